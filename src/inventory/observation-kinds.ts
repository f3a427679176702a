// The catalogue of observation kinds: every fact a scanner can report, the scanner that reports it,
// what it means and the `data` fields it carries. `Observation.kind` is typed from it, so a scanner
// cannot emit a kind that is not here and a check kind cannot compare with a misspelled one; the
// pack loader checks a rule's `observation` match, `where` fields and message placeholders against it.
// Adding a kind: one entry here (a test runs the scanners and fails on an unlisted kind or field).

/** A data field of an observation and what it holds. */
export type ObservationFields = Readonly<Record<string, string>>;

export interface ObservationKindInfo {
  /** `<scanner area>.<what>`, e.g. `model.unsafe`; the name rules select with `check.match`. */
  readonly kind: string;
  /** The id of the scanner that emits it (`meta.id` in src/inventory/scanners/). */
  readonly scanner: string;
  /** One line: what the scanner saw. */
  readonly description: string;
  /** The fields of `data` (any may be absent or null), with their meaning. */
  readonly fields: ObservationFields;
}

/** Fields every code observation may carry: where a hit sits in a notebook. */
const NOTEBOOK = { cell: "notebook cell number (1-based), for hits in .ipynb files", cellLine: "line within that cell (1-based)" } as const;
/** Fields of a data-flow observation whose source and sink are in different files. */
const CROSS_FILE = {
  sourcePath: "the file of the source when the flow crosses files",
  sinkPath: "the file of the sink when the flow crosses files",
  sinkLine: "the line of the sink when the flow crosses files",
  via: "the function of another file the value is passed to, or null",
} as const;
/** The global a model file imports (model.unsafe, model.suspicious). */
const MODEL_GLOBAL = {
  global: "the resolved module.name imported",
  module: "the module as written",
  name: "the name as written",
  opcode: "the pickle opcode that imports it",
} as const;
/** Where in a model file a finding is, and how often (model.unsafe, model.suspicious). */
const MODEL_FINDING_PLACE = {
  code: "a finding code (for non-global findings)",
  problem: "the construct, in words (for non-global findings)",
  offset: "byte offset, or null",
  member: "the archive member, or null",
  count: "occurrences",
} as const;
/** Fields every model observation carries. */
const MODEL = {
  format: "model format (pytorch-zip, pickle, joblib, keras, ...)",
  verdict: "the file's verdict: safe, suspicious, unsafe, error",
  sha256: "the file's sha256, or null",
} as const;
/** The words of a model.unsafe or model.suspicious sentence, for an imported global and for a construct alike. */
const MODEL_FINDING = {
  what: 'what the file does, in words ("imports os.system (written as posix.system)", "has an unsafe construct")',
  at: 'where it is, in words (" in data.pkl at byte 42"), or empty',
  detail: 'how and why, in words (" via GLOBAL: process execution and native code", ": BUILD sets attributes on ...")',
  more: 'how often, in words (" (3 times)", " (and 2 more)"), or empty',
} as const;
/** Fields every agent-configuration observation carries. */
const AGENT_CONFIG = { client: "the agent or MCP client the configuration belongs to", format: "the configuration format id" } as const;
const EVIDENCE = { fact: "the profile fact", value: "the value the code shows (true)", evidence: "path:line:column and what the code does" } as const;

export const OBSERVATION_KINDS = [
  // docker scanner: Dockerfile, Dockerfile.*, *.dockerfile, Containerfile
  {
    kind: "docker.remote-script",
    scanner: "docker",
    description: "a RUN that pipes a script fetched with curl or wget into a shell or interpreter",
    fields: { url: "the URL fetched (query values redacted)", interpreter: "the program it is piped into" },
  },
  {
    kind: "docker.unverified-download",
    scanner: "docker",
    description: "a download in the image build over plain HTTP, or of model weights without a digest check or pinned revision",
    fields: {
      url: "the URL or model id (query values redacted)",
      how: "ADD, curl, wget or huggingface-cli",
      reason: "plain-http, no-checksum or no-revision",
      modelFile: "true when the file is model weights",
      problem: "what is missing, in words (over plain HTTP, without a digest check, without a pinned revision)",
    },
  },
  {
    kind: "docker.pip-unpinned",
    scanner: "docker",
    description: "an AI library installed by pip in the image build without an exact version",
    fields: { package: "the package name", spec: "the requirement as written", pre: "true with --pre" },
  },
  {
    kind: "docker.pip-url",
    scanner: "docker",
    description: "a package installed by pip in the image build from a URL or VCS without a commit or hash",
    fields: { package: 'the package name, or "a package"', url: "the URL (query values redacted)" },
  },
  {
    kind: "docker.pip-index",
    scanner: "docker",
    description: "pip in the image build given an extra index (dependency confusion) or a trusted host (no TLS verification)",
    fields: {
      option: "--extra-index-url or --trusted-host",
      url: "the index URL or host (redacted)",
      extra: "true for --extra-index-url",
      risk: "what can go wrong, in words",
    },
  },
  {
    kind: "docker.base-image-unpinned",
    scanner: "docker",
    description: "a base image of a serving image (or an image it copies files from) without a tag (or with latest) and without a digest",
    fields: { image: "the image as written", tag: "the tag, or null", problem: "no tag, or the moving tag latest", instruction: "FROM, or COPY --from" },
  },
  {
    kind: "docker.secret",
    scanner: "docker",
    description: "a secret-named ENV or ARG: a literal value, a build argument, or a build argument copied into the image's environment",
    fields: {
      name: "the variable name",
      instruction: "ENV or ARG",
      reason: "literal, build-arg or env-from-arg",
      masked: "the literal value, masked, or null",
      exposure: "how the secret gets into the image, in words",
    },
  },
  {
    kind: "docker.root-serving",
    scanner: "docker",
    description: "an image that exposes a port for a model server and never leaves the root user",
    fields: { ports: "the exposed ports, comma-separated" },
  },
  // code scanner: Python, notebooks, JavaScript/TypeScript, .env files
  {
    kind: "code.unsafe-load",
    scanner: "code",
    description: "a call that deserialises with pickle or another code-running loader",
    fields: {
      loader: "the qualified name of the loader called",
      weightsOnly: "false when torch.load lacks weights_only=True",
      how: "what the loader does that runs code, in words",
      ...NOTEBOOK,
    },
  },
  {
    kind: "code.torch-load-weights-only",
    scanner: "code",
    description: "torch.load(weights_only=True): safe only with a torch that fixes CVE-2025-32434",
    fields: { loader: "the qualified name of the loader called", ...NOTEBOOK },
  },
  {
    kind: "code.trust-remote-code",
    scanner: "code",
    description: "a model load with trust_remote_code=True, which runs Python downloaded with the model",
    fields: { call: "the qualified name of the call", ...NOTEBOOK },
  },
  {
    kind: "code.unpinned-download",
    scanner: "code",
    description: "a hub model download without a commit-hash revision",
    fields: {
      call: "the qualified name of the call",
      model: "the model id, or null",
      revision: "the revision given (a movable name), or null",
      what: "what is downloaded, in words",
      pin: "how it is (not) pinned, in words",
      risk: "what can change, in words",
      also: "the other places of the same download in the file, or empty",
      ...NOTEBOOK,
    },
  },
  {
    kind: "code.output-to-sink",
    scanner: "code",
    description: "model output reaching an interpreter, a shell, SQL or HTML without encoding",
    fields: {
      source: "the call whose result is model output",
      sink: "the call or property it reaches",
      sinkKind: "what the sink interprets (shell, SQL, HTML, ...), or null",
      sourceLine: "the line of the model call",
      ...CROSS_FILE,
      flow: "the path the value takes, with places",
      ...NOTEBOOK,
    },
  },
  {
    kind: "code.input-to-sink",
    scanner: "code",
    description:
      "untrusted input (a request, a UI input, CLI arguments, retrieved documents) reaching a shell, an interpreter, SQL, HTML, a URL or a file path",
    fields: {
      source: "where the input comes from (a request parameter, a call)",
      sink: "the call it reaches",
      sinkKind: "what the sink does",
      sourceLine: "the line the input enters on",
      framework: "the web or UI framework of the entry point, or null",
      ...CROSS_FILE,
      what: "the input, in words",
      flow: "the path the value takes, with places",
      ...NOTEBOOK,
    },
  },
  {
    kind: "code.tool-input-to-sink",
    scanner: "code",
    description: "a tool's body passing an argument the model chooses to a shell, an interpreter, SQL, HTML, a URL or a file path",
    fields: {
      tool: "the tool's name",
      sink: "the call it reaches",
      sinkKind: "what the sink does",
      sourceLine: "the line of the parameter",
      ...CROSS_FILE,
      flow: "the path the value takes, with places",
      ...NOTEBOOK,
    },
  },
  {
    kind: "code.dynamic-tool-dispatch",
    scanner: "code",
    description: "a call of a function the model names (a dispatch table, getattr, a registry lookup) with no approval step",
    fields: {
      callee: "the expression that picks the function",
      source: "the model call the name comes from",
      sourceLine: "its line",
      sourceAt: "the place of the model call",
      ...NOTEBOOK,
    },
  },
  {
    kind: "code.unauthenticated-retrieval-write",
    scanner: "code",
    description: "a web entry point without authentication that writes request data into a retrieval store",
    fields: {
      framework: "the web framework",
      entry: "the route handler",
      call: "the store's write call",
      what: "what is written, in words",
      entryAt: "the place of the route handler",
      ...NOTEBOOK,
    },
  },
  {
    kind: "code.unbounded-model-calls",
    scanner: "code",
    description: "a model call fed by users through a web or UI entry point, in a file with no rate limiting",
    fields: {
      framework: "the web or UI framework",
      entry: "the entry point",
      call: "the model call",
      authenticated: "true when the entry point authenticates",
      caller: "the entry point, in words",
      input: "the user input and its place",
      missing: "what limits are missing, in words",
      ...NOTEBOOK,
    },
  },
  {
    kind: "code.input-into-prompt",
    scanner: "code",
    description: "untrusted input pasted into a prompt template (f-string, +, format) given to a model",
    fields: {
      source: "where the input comes from",
      call: "the model call",
      sourceLine: "the line the input enters on",
      what: "the input, in words",
      sourceAt: "the place the input enters",
      ...NOTEBOOK,
    },
  },
  {
    kind: "code.exposed-inference-ui",
    scanner: "code",
    description: "an inference UI or server started on every interface, with a public share link or a debugger, without authentication",
    fields: {
      call: "the call that starts it",
      settings: "the settings that expose it",
      what: "what is exposed and to whom, in words",
      why: "why the settings matter, in parentheses, or empty",
      arguments: "the settings, comma-separated",
      ...NOTEBOOK,
    },
  },
  {
    kind: "code.secret",
    scanner: "code",
    description: "a credential for an AI or cloud service written in code or a .env file",
    fields: {
      service: "the service, or the variable name for a named literal",
      pattern: "the secret pattern id",
      masked: "the value, masked",
      variable: "the .env variable name",
      ...NOTEBOOK,
    },
  },
  {
    kind: "code.tool",
    scanner: "code",
    description: "a tool the code gives a model (LangChain, OpenAI/Anthropic definitions, MCP)",
    fields: {
      name: "the tool's name",
      framework: "the framework that defines it",
      privileges: "privileges inferred from its code",
      writes: "true when its code writes (files, shell, HTTP POST, SQL, mail)",
      writeEvidence: "the call that writes, or null",
      ...NOTEBOOK,
    },
  },
  {
    kind: "code.malformed",
    scanner: "code",
    description: "a source file (notebook) that could not be read; its code was not scanned",
    fields: { error: "why it could not be read" },
  },
  {
    kind: "code.suppression-without-reason",
    scanner: "code",
    description: "an inline `aigate: ignore[...]` comment without a reason or rule id",
    fields: { rules: "the rule ids it names", missing: "a reason or a rule id", ...NOTEBOOK },
  },
  {
    kind: "suppression",
    scanner: "code",
    description: "a valid inline suppression (rules, reason, lines); the verdict stage applies it",
    fields: { rules: "the rule ids it suppresses", lines: "the lines it covers", reason: "why" },
  },
  { kind: "evidence.isLLM", scanner: "code", description: "code that calls a large language model", fields: { ...EVIDENCE, ...NOTEBOOK } },
  { kind: "evidence.isGenAI", scanner: "code", description: "code that calls a generative model", fields: { ...EVIDENCE, ...NOTEBOOK } },
  { kind: "evidence.trainsOrFinetunes", scanner: "code", description: "code that trains or fine-tunes a model", fields: { ...EVIDENCE, ...NOTEBOOK } },
  {
    kind: "evidence.usesRAG",
    scanner: "code",
    description: "code that retrieves context for a model (vector stores, retrievers)",
    fields: { ...EVIDENCE, ...NOTEBOOK },
  },
  { kind: "evidence.hasAgency", scanner: "code", description: "code that gives a model tools it can call", fields: { ...EVIDENCE, ...NOTEBOOK } },
  {
    kind: "evidence.modelHostedExternally",
    scanner: "code",
    description: "code that calls a model hosted by a provider",
    fields: { ...EVIDENCE, ...NOTEBOOK },
  },

  // data scanner: datasets, corpora and retrieval stores
  {
    kind: "data.file",
    scanner: "data",
    description: "a data file found by content (CSV, JSON Lines, Parquet, SQLite, ...), sampled within budgets",
    fields: {
      format: "the data format",
      size: "bytes",
      bytesRead: "bytes read to sample it",
      rowsSampled: "rows sampled",
      totalRows: "rows in the file when known, or null",
      columns: "column names, or null",
      complete: "true when every row was sampled",
      sampled: "false when the budget left it unsampled",
      notes: "what the reader noticed",
      details: "format-specific details",
    },
  },
  {
    kind: "data.personal-data",
    scanner: "data",
    description: "personal data in a data file, by column and count (values masked, never reported)",
    fields: {
      kind: "the kind of personal data (email, phone, iban, ...)",
      column: "the column, or null for line-based files",
      count: "values found in the sampled rows",
      rows: "sample row numbers",
      evidence: "how it was recognised: value, column-name",
      valuesSampled: "false when only the column name says so",
      masked: "the first value's shape, masked",
      rowsSampled: "rows sampled",
      format: "the data format",
      label: "the kind of personal data, in words (E-mail addresses)",
      place: 'where in the file, in words (column "email", line 3)',
      sampledRows: "rows sampled, in words (40 sampled rows)",
    },
  },
  {
    kind: "data.secret",
    scanner: "data",
    description: "a secret or access token in a data file (masked)",
    fields: {
      kind: "the kind of secret",
      column: "the column, or null",
      count: "values found",
      rows: "sample row numbers",
      masked: "the first value, masked",
      place: 'where in the file, in words (column "token", line 3)',
    },
  },
  {
    kind: "data.malformed",
    scanner: "data",
    description: "a data file that cannot be parsed",
    fields: { format: "the data format", line: "the line of the first problem", reason: "what is wrong" },
  },
  {
    kind: "data.retrieval-store",
    scanner: "data",
    description: "a retrieval store committed to the repository (Chroma, FAISS, LanceDB, ...)",
    fields: { store: "the store type", root: "its folder or file", files: "files in it", fileCount: "files in it, in words (1 file, 3 files)" },
  },
  {
    kind: "data.media",
    scanner: "data",
    description: "a folder of images, audio or video (counted, not read)",
    fields: { folder: "the folder", images: "image files", audio: "audio files", video: "video files" },
  },
  {
    kind: "data.lfs-pointer",
    scanner: "data",
    description: "a Git LFS pointer to data: the content is not in the repository and was not scanned",
    fields: {
      oid: "the LFS object id, or null",
      size: "the size the pointer declares, or null",
      content: "its content, with the declared size when there is one, in words",
    },
  },

  // dependencies scanner: requirements, pyproject, Pipfile, conda, npm and their locks
  {
    kind: "dependency.unpinned",
    scanner: "dependencies",
    description: "an AI/ML library with no exact version and no lockfile pinning it",
    fields: { ecosystem: "pypi or npm", package: "the package name", spec: "the version specifier as written" },
  },
  {
    kind: "dependency.vulnerable",
    scanner: "dependencies",
    description: "a pinned version of a package with known advisories",
    fields: {
      ecosystem: "pypi",
      package: "the package name",
      version: "the pinned version, or null for a range",
      allowed: "the specifier when no version is pinned and every version it allows is affected (torch<2.6)",
      severity: "the worst advisory severity",
      fixed: "the lowest version that fixes all, or null",
      advisories: "the advisories (id, aliases, severity, summary, url, fixed)",
      unfixed: "advisory ids without a fixed version",
      undetermined: "advisory ids whose ranges could not be compared",
      source: "the advisory data's repository, commit and date",
      versions: "what is affected, in words (torch 2.1.0, every version torch<2.6 allows)",
      found: "how many advisories, in words",
      ids: "the advisory ids (first five) and their CVE aliases",
      fix: "the version that fixes them, in words, or that none does yet",
    },
  },
  {
    kind: "dependency.url-install",
    scanner: "dependencies",
    description: "a package installed from a URL or VCS without a pinned commit or hash",
    fields: {
      ecosystem: "pypi or npm",
      package: "the package name",
      url: "the URL",
      vcs: "true for a version-control URL",
      aiLibrary: "true when the package is an AI/ML library",
      missing: "what pins it, in words (a pinned commit, a hash)",
      risk: "what can change, in words",
    },
  },
  {
    kind: "dependency.extra-index",
    scanner: "dependencies",
    description: "an extra package index, which can shadow public packages (dependency confusion)",
    fields: { url: "the index URL", option: "the option that adds it" },
  },
  {
    kind: "dependency.malformed",
    scanner: "dependencies",
    description: "a dependency file that cannot be parsed",
    fields: { fatal: "true when nothing in the file could be read", problem: "what could not be read" },
  },

  // models scanner: model files by content
  {
    kind: "model.unsafe",
    scanner: "models",
    description: "a model file that runs code when loaded (a dangerous global or construct)",
    fields: {
      ...MODEL,
      ...MODEL_GLOBAL,
      reason: "why it is dangerous",
      ...MODEL_FINDING_PLACE,
      ...MODEL_FINDING,
    },
  },
  {
    kind: "model.suspicious",
    scanner: "models",
    description: "a model file that imports code outside the allowlist",
    fields: {
      ...MODEL,
      ...MODEL_GLOBAL,
      reason: "why it is not allowlisted",
      ...MODEL_FINDING_PLACE,
      ...MODEL_FINDING,
    },
  },
  {
    kind: "model.error",
    scanner: "models",
    description: "a model file that could not be fully scanned (truncated, corrupt, over a budget)",
    fields: {
      ...MODEL,
      code: "the error code",
      offset: "byte offset, or null",
      member: "the archive member, or null",
      count: "errors in the file",
      problem: "the first error",
      at: 'where it is, in words (" in data.pkl at byte 42"), or empty',
      more: 'how many more errors, in words (" (and 2 more)"), or empty',
    },
  },
  {
    kind: "model.unscannable-archive",
    scanner: "models",
    description: "an archive aigate cannot open that may hide a model file",
    fields: { ...MODEL, reason: "what cannot be opened, and what that leaves unscanned" },
  },
  { kind: "model.pickle-format", scanner: "models", description: "a model stored in a pickle-based format", fields: { ...MODEL } },

  // agents scanner: agent and MCP client configurations, agent instruction files
  {
    kind: "agent.mcp-server",
    scanner: "agents",
    description: "an MCP server an agent configuration gives agents",
    fields: {
      ...AGENT_CONFIG,
      name: "the server's name",
      transport: "stdio, http or sse",
      command: "the command that launches it, or null",
      package: "the package it runs, or null",
      url: "its URL (credentials redacted), or null",
      disabled: "true when switched off",
      launch: "how it is started, in words (runs npx -y @x/server, or its URL; switched off)",
    },
  },
  {
    kind: "agent.secret",
    scanner: "agents",
    description: "a literal secret in an agent configuration (env, headers, URL)",
    fields: {
      ...AGENT_CONFIG,
      name: "the server's name",
      variable: "the variable, header or parameter",
      masked: "the value, masked",
      subject: 'what holds it, in words (MCP server "x", Claude Code settings)',
      secret: "what kind of secret, in words (an OpenAI key, a literal credential)",
      place: "where it is written, in words (env X, header Y, its URL (token))",
    },
  },
  {
    kind: "agent.unpinned-server",
    scanner: "agents",
    description: "an MCP server launched from a package or image without a pinned version",
    fields: {
      ...AGENT_CONFIG,
      name: "the server's name",
      runner: "npx, uvx, docker, ...",
      spec: "the package or image as written",
      package: "the package name",
      ecosystem: "npm, pypi, docker, ...",
      why: "why that is not pinned, in words",
    },
  },
  {
    kind: "agent.privileged-container",
    scanner: "agents",
    description: "an MCP server run in a privileged container (host mounts, --privileged, host network)",
    fields: { ...AGENT_CONFIG, name: "the server's name", privileges: "what the container is given", granted: "the same, comma-separated" },
  },
  {
    kind: "agent.broad-permission",
    scanner: "agents",
    description: "an agent permission that reaches the whole file system, any shell command or every tool",
    fields: {
      ...AGENT_CONFIG,
      name: "the server's name",
      what: "filesystem, shell, all-tools or sandbox-off",
      value: "the setting as written",
      subject: 'who is given it, in words (MCP server "x", Claude Code)',
      grant: "what is given, in words",
      setting: "the setting that gives it, as written",
      reach: "what that puts within reach, in words",
    },
  },
  {
    kind: "agent.insecure-transport",
    scanner: "agents",
    description: "a remote MCP server reached over plain HTTP",
    fields: { ...AGENT_CONFIG, name: "the server's name", url: "its URL (credentials redacted)" },
  },
  {
    kind: "agent.unauthenticated-server",
    scanner: "agents",
    description: "a remote MCP server configured without a credential",
    fields: { ...AGENT_CONFIG, name: "the server's name", url: "its URL (credentials redacted)" },
  },
  {
    kind: "agent.auto-approve",
    scanner: "agents",
    description: "tools or commands an agent runs without asking",
    fields: {
      ...AGENT_CONFIG,
      name: "the server's name",
      scope: "all or some",
      tools: "the tools approved in advance",
      subject: 'who runs them, in words (MCP server "x", Claude Code)',
      approves: "what runs without asking, in words",
      setting: "the setting that approves it, as written",
      reach: "what that lets through, in words",
    },
  },
  {
    kind: "agent.malformed",
    scanner: "agents",
    description: "an agent configuration that cannot be parsed; its servers were not checked",
    fields: { ...AGENT_CONFIG, error: "what could not be read" },
  },
  {
    kind: "agent.hidden-unicode",
    scanner: "agents",
    description: "hidden Unicode (tags, bidi controls, zero-width runs) in a file agents read as instructions",
    fields: {
      tags: "Unicode tag characters",
      bidi: "bidirectional controls",
      zeroWidthRuns: "runs of zero-width characters",
      longestRun: "the longest run",
      tagText: "the text the tag characters spell",
      hidden: "what is hidden, in words",
      line: "the line of the first hidden character",
      column: "its column",
    },
  },
] as const satisfies readonly ObservationKindInfo[];

/** An observation kind a scanner can emit. */
export type ObservationKind = (typeof OBSERVATION_KINDS)[number]["kind"];

/** The kinds one scanner area emits, e.g. `KindOf<"code.">`. */
export type KindOf<Prefix extends string> = Extract<ObservationKind, `${Prefix}${string}`>;

const BY_KIND: ReadonlyMap<string, ObservationKindInfo> = new Map(OBSERVATION_KINDS.map((k) => [k.kind, k]));

export function observationKind(kind: string): ObservationKindInfo | undefined {
  return BY_KIND.get(kind);
}

export function isObservationKind(kind: string): kind is ObservationKind {
  return BY_KIND.has(kind);
}
