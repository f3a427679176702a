// The Dockerfile scanner: Dockerfile, Dockerfile.*, *.dockerfile, Containerfile. Reports what
// matters to an image that builds or serves an AI system: scripts piped from the network into a
// shell, model weights downloaded over plain HTTP or without a checksum, AI packages installed
// unpinned, from URLs or with an extra index, base images without a tag or digest for serving
// images, secrets in ENV and ARG (masked), and inference servers running as root. Text only: no
// instruction is run, nothing is fetched.
import type { Observation, ScanContext, ScanResult, Scanner, Unscanned } from "../../types.js";
import { isAiLibrary } from "../dependencies/libraries.js";
import { describeUrl, exactVersion, normalizePyName, parseRequirement } from "../dependencies/pep508.js";
import { maskSecret, redactUrl } from "../../../util/redact.js";
import { lineAt, parseDockerfile, type Instruction } from "./parse.js";
import { LINE_BREAK } from "../../../util/strip.js";
import { append } from "../../../util/append.js";

const SCANNER = "docker";
const MAX_BYTES = 1024 * 1024;

/** True for the files this scanner reads (by name). */
export function isDockerfile(path: string): boolean {
  const base = path.slice(path.lastIndexOf("/") + 1);
  return /^(docker|container)file(\.[\w.-]+)?$/i.test(base) || /\.(dockerfile|containerfile)$/i.test(base);
}

/** Model weight files by name (the URL's path). */
const WEIGHTS = /\.(safetensors|bin|pt|pth|ckpt|gguf|ggml|onnx|h5|keras|pkl|pickle|joblib|msgpack|tflite|mar|npz|model)(?:[?#]|$)/i;
const HUB_FILE = /huggingface\.co\/[^\s]+\/resolve\//i;
const CHECKSUM = /\b(sha(256|384|512|1)?sum|shasum|md5sum|b2sum|gpg\s+--verify|cosign\s+verify|--checksum[= ])/i;
const SECRET_NAME =
  /^(HF_TOKEN|HUGGING_?FACE_(HUB_)?TOKEN|HUGGINGFACEHUB_API_TOKEN|[A-Z0-9_]*(API_?KEY|_TOKEN|SECRET|SECRET_KEY|PASSWORD|PASSWD|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS))$/i;
/** Commands that serve a model or an app around one. */
const SERVING =
  /\b(uvicorn|gunicorn|hypercorn|flask|streamlit|gradio|fastapi|vllm|text-generation-launcher|tritonserver|torchserve|ollama|llama[-_.]?(cpp|server)|bentoml|mlflow\s+models\s+serve|ray\s+serve|serve|app\.py|server\.py|main\.py|api\.py)\b/i;
/** pip options that take a value (the value is not a package). */
const PIP_VALUE_OPTS = new Set([
  "-r",
  "--requirement",
  "-c",
  "--constraint",
  "-i",
  "--index-url",
  "--extra-index-url",
  "-f",
  "--find-links",
  "--trusted-host",
  "-t",
  "--target",
  "--prefix",
  "--root",
  "--platform",
  "--python-version",
  "--implementation",
  "--abi",
  "--only-binary",
  "--no-binary",
  "--progress-bar",
  "--cache-dir",
  "--src",
  "--log",
  "--proxy",
  "--retries",
  "--timeout",
  "--exists-action",
  "--cert",
  "--client-cert",
  "--upgrade-strategy",
  "--config-settings",
  "--global-option",
  "--python",
]);

/** Observations one file gives at most. */
const MAX_OBSERVATIONS = 500;

interface Ctx {
  path: string;
  out: Observation[];
}

function push(c: Ctx, kind: Observation["kind"], line: number, column: number, message: string, key: string, data: Record<string, unknown>): void {
  if (c.out.length >= MAX_OBSERVATIONS) return;
  c.out.push({ scanner: SCANNER, kind, location: { path: c.path, line, column }, message, key, data });
}

/** The column (1-based) of `needle` on a physical line (the file's lines, split once), or 1. */
function columnOf(text: readonly string[], line: number, needle: string): number {
  const l = text[line - 1] ?? "";
  const i = l.indexOf(needle);
  return i >= 0 ? i + 1 : 1;
}

export function analyzeDockerfile(path: string, source: string): Observation[] {
  const c: Ctx = { path, out: [] };
  const text = source.split(/\r?\n/);
  const ins = parseDockerfile(source);
  const stages: Instruction[][] = [];
  const stageNames = new Set<string>();
  const args = new Set<string>();
  for (const i of ins) {
    if (i.keyword === "FROM" || !stages.length) stages.push([]);
    stages[stages.length - 1]!.push(i);
  }
  const last = stages[stages.length - 1] ?? [];
  const lastRuns = last
    .filter((i) => i.keyword === "CMD" || i.keyword === "ENTRYPOINT")
    .map((i) => i.args)
    .join(" ");
  const exposes = last.filter((i) => i.keyword === "EXPOSE");
  const aiInstalled = ins.some((i) => i.keyword === "RUN" && pipSegments(i.args).some((s) => pipPackages(s.tokens).some((p) => p.ai)));
  const serving = exposes.length > 0 || SERVING.test(lastRuns);

  let stage = -1;
  for (const i of ins) {
    if (i.keyword === "FROM" || stage < 0) stage++;
    const finalStage = stage === stages.length - 1;
    const at = (offset: number) => lineAt(i, offset);
    switch (i.keyword) {
      case "FROM": {
        const words = i.args.split(/\s+/).filter((w) => !w.startsWith("--"));
        const image = words[0] ?? "";
        if (words[1]?.toLowerCase() === "as" && words[2]) stageNames.add(words[2].toLowerCase());
        if (!image || image === "scratch" || stageNames.has(image.toLowerCase()) || image.includes("$")) break;
        if (image.includes("@sha256:")) break;
        const slash = image.lastIndexOf("/");
        const colon = image.lastIndexOf(":");
        const tag = colon > slash ? image.slice(colon + 1) : "";
        if (serving && (tag === "" || tag === "latest")) {
          push(
            c,
            "docker.base-image-unpinned",
            i.line,
            columnOf(text, i.line, image),
            `FROM ${image} ${tag ? "uses the moving tag latest" : "has no tag"} and no digest: the serving image is rebuilt on whatever the registry holds that day`,
            `from:${image}`,
            { image, tag: tag || null, problem: tag ? "the moving tag latest" : "no tag", instruction: "FROM" },
          );
        }
        break;
      }
      case "COPY": {
        // `COPY --from=registry/image:latest /bin/x /bin/x`: files from an image, not from a stage.
        const from = /(?:^|\s)--from=(\S+)/.exec(i.args)?.[1];
        if (
          !serving ||
          !from ||
          stageNames.has(from.toLowerCase()) ||
          /^\d+$/.test(from) ||
          from.includes("$") ||
          from.includes("@sha256:") ||
          !/[/:.]/.test(from)
        )
          break;
        const slash = from.lastIndexOf("/");
        const colon = from.lastIndexOf(":");
        const tag = colon > slash ? from.slice(colon + 1) : "";
        if (tag === "" || tag === "latest") {
          push(
            c,
            "docker.base-image-unpinned",
            i.line,
            columnOf(text, i.line, from),
            `COPY --from=${from} ${tag ? "uses the moving tag latest" : "has no tag"} and no digest: the files copied into the serving image change with whatever the registry holds that day`,
            `copy-from:${from}`,
            { image: from, tag: tag || null, problem: tag ? "the moving tag latest" : "no tag", instruction: "COPY --from" },
          );
        }
        break;
      }
      case "ARG":
      case "ENV":
        for (const { name, value, offset } of assignments(i)) {
          if (i.keyword === "ARG") args.add(name);
          if (!SECRET_NAME.test(name)) continue;
          const line = at(offset);
          const column = columnOf(text, line, name);
          if (value !== undefined && value !== "" && !/^\$\{?\w+\}?$/.test(value) && !/^<.*>$|^(changeme|xxx+|your[-_].*|\*+)$/i.test(value)) {
            push(
              c,
              "docker.secret",
              line,
              column,
              `${i.keyword} ${name} holds a literal secret (${maskSecret(value)}): it is in the Dockerfile's history and in every layer built from it`,
              `secret:${name}`,
              {
                name,
                instruction: i.keyword,
                reason: "literal",
                masked: maskSecret(value),
                exposure: `a literal value (${maskSecret(value)}) in the Dockerfile and the image`,
              },
            );
          } else if (i.keyword === "ENV" && value !== undefined && /^\$\{?(\w+)\}?$/.test(value) && args.has(/^\$\{?(\w+)\}?$/.exec(value)![1]!)) {
            push(
              c,
              "docker.secret",
              line,
              column,
              `ENV ${name}=${value} copies a build argument into the image's environment: anyone who pulls the image reads the secret`,
              `secret:${name}`,
              {
                name,
                instruction: i.keyword,
                reason: "env-from-arg",
                masked: null,
                exposure: "a build argument copied into the environment of every container run from the image",
              },
            );
          } else if (i.keyword === "ARG" && (value === undefined || value === "") && finalStage) {
            // A builder stage's arguments stay out of the final image's history.
            push(
              c,
              "docker.secret",
              line,
              column,
              `ARG ${name} passes a secret as a build argument: its value is recorded in the image history (docker history); use RUN --mount=type=secret`,
              `secret:${name}`,
              { name, instruction: i.keyword, reason: "build-arg", masked: null, exposure: "a build argument, recorded in the image history" },
            );
          }
        }
        break;
      case "ADD": {
        const words = i.args.split(/\s+/);
        const checksum = words.some((w) => w.startsWith("--checksum="));
        for (const w of words) {
          if (!/^https?:\/\//i.test(w)) continue;
          const plain = /^http:/i.test(w);
          if (!plain && checksum) continue;
          const line = at(i.args.indexOf(w));
          const url = redactUrl(w);
          push(
            c,
            "docker.unverified-download",
            line,
            columnOf(text, line, w),
            `ADD ${url} ${plain ? "downloads over plain HTTP" : "downloads without --checksum="}: ${WEIGHTS.test(w) || HUB_FILE.test(w) ? "the model weights" : "the file"} can be swapped on the way or at the source`,
            `add:${url}`,
            {
              url,
              how: "ADD",
              reason: plain ? "plain-http" : "no-checksum",
              modelFile: WEIGHTS.test(w) || HUB_FILE.test(w),
              problem: plain ? "over plain HTTP" : "without --checksum=",
            },
          );
        }
        break;
      }
      case "RUN":
        run(c, i, text);
        break;
    }
  }

  // Root: the final stage never switches to another user and exposes a port of a model server.
  const user = [...last]
    .reverse()
    .find((i) => i.keyword === "USER")
    ?.args.split(/[\s:]/)[0];
  const runsAsRoot = user === undefined || user === "root" || user === "0";
  const inference =
    aiInstalled ||
    /\b(vllm|text-generation-launcher|tritonserver|torchserve|ollama|llama|transformers|gradio|streamlit)\b/i.test(lastRuns) ||
    /\b(from_pretrained|huggingface|\.gguf|\.safetensors)\b/i.test(source);
  if (runsAsRoot && exposes.length && inference) {
    const e = exposes[0]!;
    const ports = exposes
      .flatMap((x) => x.args.split(/\s+/))
      .filter(Boolean)
      .slice(0, 10);
    push(
      c,
      "docker.root-serving",
      e.line,
      1,
      `the image exposes ${ports.join(", ")} for a model server and runs it as root (no USER in the final stage): a flaw in the server or in a loaded model gives the container's root`,
      `root:${ports.join(",")}`,
      { ports: ports.join(", ") },
    );
  }
  return c.out;
}

/** `ENV a=b c=d`, `ENV a b` (legacy), `ARG a[=b]`: names, values (unquoted) and offsets. */
function assignments(i: Instruction): { name: string; value?: string; offset: number }[] {
  const out: { name: string; value?: string; offset: number }[] = [];
  if (i.keyword === "ENV" && !/^\S+=/.test(i.args)) {
    // A line break fails `(.*)$` (no match, as always) only after every split of the blanks was tried.
    // eslint-disable-next-line regexp/no-super-linear-backtracking -- without a line break, `.*$` matches at its first try
    const m = LINE_BREAK.test(i.args) ? null : /^(\S+)\s+(.*)$/.exec(i.args);
    if (m) out.push({ name: m[1]!, value: unquote(m[2]!.trim()), offset: 0 });
    return out;
  }
  const re = /([A-Za-z_][\w.-]*)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|\S*))?/g;
  let m: RegExpExecArray | null;
  let n = 0;
  while ((m = re.exec(i.args)) && n++ < 100) out.push({ name: m[1]!, ...(m[2] !== undefined ? { value: unquote(m[2]) } : {}), offset: m.index });
  return out;
}

const unquote = (v: string) => v.replace(/^"(.*)"$/s, "$1").replace(/^'(.*)'$/s, "$1");

/** The shell commands of a RUN (split at &&, ||, ; and newlines), with their offsets. */
function commands(args: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  const re = /&&|\|\||;/g;
  let start = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(args)) && out.length < 500) {
    out.push({ text: args.slice(start, m.index), offset: start });
    start = m.index + m[0].length;
  }
  out.push({ text: args.slice(start), offset: start });
  return out;
}

interface PipSegment {
  tokens: { text: string; offset: number }[];
  offset: number;
}

function pipSegments(args: string): PipSegment[] {
  const out: PipSegment[] = [];
  for (const cmd of commands(args)) {
    const m = /(?:^|\s)(?:(?:python[\d.]*|py)\s+-m\s+pip|pip[\d.]*|uv\s+pip)\s+install\b/.exec(cmd.text);
    if (!m) continue;
    const rest = cmd.text.slice(m.index + m[0].length);
    const base = cmd.offset + m.index + m[0].length;
    const tokens: { text: string; offset: number }[] = [];
    const re = /"[^"]*"|'[^']*'|\S+/g;
    let t: RegExpExecArray | null;
    while ((t = re.exec(rest)) && tokens.length < 200) tokens.push({ text: unquote(t[0]), offset: base + t.index });
    out.push({ tokens, offset: cmd.offset });
  }
  return out;
}

interface PipPackage {
  text: string;
  offset: number;
  name?: string;
  ai: boolean;
  pinned: boolean;
  url?: string;
}

function pipPackages(tokens: PipSegment["tokens"]): PipPackage[] {
  const out: PipPackage[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.text.startsWith("-")) {
      if (PIP_VALUE_OPTS.has(t.text)) k++;
      continue;
    }
    if (t.text.includes("$") || t.text === "." || t.text.startsWith("./") || t.text.startsWith("/")) continue;
    if (/^(git\+|hg\+|svn\+|bzr\+|https?:\/\/)/i.test(t.text)) {
      const egg = /#egg=([\w.-]+)/.exec(t.text)?.[1] ?? /\/([\w.-]+?)(?:\.git)?(?:@|$|#)/.exec(t.text.split("?")[0]!)?.[1];
      const d = describeUrl(t.text);
      out.push({ text: t.text, offset: t.offset, name: egg, ai: egg ? isAiLibrary("pypi", normalizePyName(egg)) : false, pinned: d.pinned, url: t.text });
      continue;
    }
    const r = parseRequirement(t.text);
    if (typeof r === "string") continue;
    if (r.url) {
      const d = describeUrl(r.url);
      out.push({ text: t.text, offset: t.offset, name: r.name, ai: isAiLibrary("pypi", normalizePyName(r.name)), pinned: d.pinned, url: r.url });
      continue;
    }
    out.push({
      text: t.text,
      offset: t.offset,
      name: r.name,
      ai: isAiLibrary("pypi", normalizePyName(r.name)),
      pinned: exactVersion(r.specifier) !== undefined && !r.specifier.includes("*"),
    });
  }
  return out;
}

function run(c: Ctx, i: Instruction, text: readonly string[]): void {
  const at = (offset: number) => lineAt(i, offset);
  const args = i.args;
  const verified = CHECKSUM.test(args);
  // Scripts piped from the network into an interpreter (per command: no backtracking across the RUN).
  let n = 0;
  for (const cmd of commands(args)) {
    if (n >= 20) break;
    const fetcher = /(?:^|\s)(curl|wget)\s/.exec(cmd.text);
    const bar = cmd.text.indexOf("|");
    if (!fetcher || bar < fetcher.index) continue;
    const into = /^\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:\/\S*\/)?((?:ba|z|da|k)?sh|python[\d.]*|perl|ruby|node)\b/.exec(cmd.text.slice(bar));
    const u = /https?:\/\/[^\s"'|;&)]+/i.exec(cmd.text.slice(0, bar));
    if (!into || !u) continue;
    n++;
    const url = redactUrl(u[0]);
    const line = at(cmd.offset + fetcher.index);
    push(
      c,
      "docker.remote-script",
      line,
      columnOf(text, line, fetcher[1]!),
      `RUN pipes ${url} into ${into[1]} while building the image: whatever the server returns then runs, unverified`,
      `pipe:${url}`,
      { url, interpreter: into[1]! },
    );
  }
  // Downloads of model weights (or anything over plain HTTP) with curl or wget.
  for (const cmd of commands(args)) {
    const tool = /(?:^|\s)(curl|wget)\s/.exec(cmd.text)?.[1];
    const hf = /(?:^|\s)(huggingface-cli|hf)\s+download\s+(\S+)/.exec(cmd.text);
    if (hf && !/--revision[= ]+[0-9a-f]{40}\b/i.test(cmd.text)) {
      const line = at(cmd.offset + hf.index);
      push(
        c,
        "docker.unverified-download",
        line,
        columnOf(text, line, hf[1]!),
        `${hf[1]} download ${hf[2]} fetches the model without --revision=<commit hash>: the files can change under the same name`,
        `hf:${hf[2]}`,
        { url: hf[2]!, how: hf[1]!, reason: "no-revision", modelFile: true, problem: "without --revision=<commit hash>" },
      );
    }
    if (!tool) continue;
    for (const u of cmd.text.match(/https?:\/\/[^\s"'|;&)]+/gi)?.slice(0, 20) ?? []) {
      // (The word after a pipe stops at the next `|`: the same answer, where \S* read the rest of a run of pipes from each.)
      if (/\|\s*(sudo\s+)?[^\s|]*(sh|python|perl|ruby|node)/.test(cmd.text.slice(cmd.text.indexOf(u)))) continue; // reported as piped
      const plain = /^http:/i.test(u);
      const model = WEIGHTS.test(u.split("?")[0]!) || HUB_FILE.test(u);
      if (!plain && !(model && !verified)) continue;
      const url = redactUrl(u);
      const line = at(cmd.offset + cmd.text.indexOf(u));
      push(
        c,
        "docker.unverified-download",
        line,
        columnOf(text, line, u.slice(0, 40)),
        `${tool} downloads ${model ? "model weights " : ""}${url} ${plain ? "over plain HTTP" : "without checking a digest (sha256sum -c)"}: ${model ? "the weights" : "the file"} can be swapped on the way or at the source`,
        `${tool}:${url}`,
        {
          url,
          how: tool,
          reason: plain ? "plain-http" : "no-checksum",
          modelFile: model,
          problem: plain ? "over plain HTTP" : "without checking a digest (sha256sum -c)",
        },
      );
    }
  }
  // pip installs of AI packages: unpinned, from URLs, with an extra index.
  for (const seg of pipSegments(args)) {
    const words = seg.tokens.map((t) => t.text);
    const constrained = words.some((w) => w === "-c" || w === "--constraint" || w.startsWith("--constraint=") || w === "--require-hashes");
    const pre = words.includes("--pre");
    for (let k = 0; k < seg.tokens.length; k++) {
      const t = seg.tokens[k]!;
      const opt = /^(--extra-index-url|--index-url|-i|--trusted-host)(?:=(.*))?$/.exec(t.text);
      if (!opt) continue;
      const value = opt[2] ?? seg.tokens[k + 1]?.text ?? "";
      if (opt[1] === "--index-url" || opt[1] === "-i") continue;
      const url = opt[1] === "--trusted-host" ? value : redactUrl(value);
      const line = at(t.offset);
      const extra = opt[1] === "--extra-index-url";
      push(
        c,
        "docker.pip-index",
        line,
        columnOf(text, line, opt[1]!),
        extra
          ? `pip install --extra-index-url ${url}: pip takes each package from whichever index offers the highest version, so a public package with a private package's name wins (dependency confusion)`
          : `pip install --trusted-host ${url} turns off TLS verification for that host: packages can be replaced on the way`,
        `index:${opt[1]}:${url}`,
        {
          option: opt[1]!,
          url,
          extra,
          risk: extra
            ? "pip takes each package from whichever index offers the highest version, so a public package named like a private one wins (dependency confusion)"
            : "TLS is not verified for that host, so packages can be replaced on the way",
        },
      );
    }
    for (const p of pipPackages(seg.tokens)) {
      const line = at(p.offset);
      const column = columnOf(text, line, p.text.slice(0, 40));
      if (p.url) {
        if (p.pinned) continue;
        const url = redactUrl(p.url);
        push(
          c,
          "docker.pip-url",
          line,
          column,
          `pip install ${url} installs ${p.name ?? "a package"} from a URL without a commit hash or #sha256=: whatever the branch or file holds at build time is installed`,
          `url:${url}`,
          { package: p.name ?? "a package", url },
        );
      } else if (p.ai && !p.pinned && !constrained) {
        push(
          c,
          "docker.pip-unpinned",
          line,
          column,
          `pip install ${p.text}${pre ? " --pre" : ""} installs the AI library ${p.name} ${pre ? "at whatever pre-release is newest" : "unpinned"} when the image is built: each build may pull a different, possibly compromised, version`,
          `pip:${normalizePyName(p.name!)}`,
          { package: p.name!, spec: p.text, pre },
        );
      }
    }
  }
}

export const dockerScanner: Scanner = {
  meta: {
    id: SCANNER,
    description:
      "Dockerfiles and Containerfiles: piped install scripts, unverified model downloads, unpinned AI packages and base images, extra indexes, secrets in ENV/ARG, root model servers",
  },
  async scan(ctx: ScanContext): Promise<ScanResult> {
    const observations: Observation[] = [];
    const unscanned: Unscanned[] = [];
    for (const f of ctx.files) {
      if (!isDockerfile(f.path)) continue;
      if (f.size > MAX_BYTES) {
        unscanned.push({ path: f.path, scanner: SCANNER, reason: `Dockerfile is ${f.size} bytes, over the ${MAX_BYTES}-byte limit` });
        continue;
      }
      const buf = await ctx.readRange(f.path, 0, f.size);
      if (buf.subarray(0, 8192).includes(0)) {
        unscanned.push({ path: f.path, scanner: SCANNER, reason: "binary content (NUL bytes) in a file named as a Dockerfile" });
        continue;
      }
      append(observations, analyzeDockerfile(f.path, buf.toString("utf8")));
    }
    return { observations, unscanned };
  },
};
