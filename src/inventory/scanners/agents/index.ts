// The agents scanner: the configuration files where coding agents and MCP clients keep their
// servers and permissions (formats.ts), and the instruction files agents read. Reports each MCP
// server, how it is launched (unpinned packages and images, privileged containers), how it is
// reached (plain HTTP, no credential), literal secrets in its environment and headers, broad
// permissions and auto-approval, and hidden Unicode in instruction files. Nothing is run; every
// file is bounded in bytes and nesting; every value is located at file:line:column.
import { createHash } from "node:crypto";
import { redactUrl } from "../../../util/redact.js";
import type { KindOf } from "../../observation-kinds.js";
import type { Location, ScanContext, ScanResult, Scanner } from "../../types.js";
import { configFormat, isInstructionFile, type ConfigFormat } from "./formats.js";
import { describeHidden, findHiddenUnicode } from "./hidden-unicode.js";
import { analyseLaunch, isFilesystemServer, isRootOrHome, type Launch } from "./launch.js";
import { hasCredentialParameter, literalSecret, urlSecrets } from "./secrets.js";
import { readServers, type McpServer } from "./servers.js";
import { parseConfig, type ConfigDoc, type Segment } from "./source.js";

const SCANNER = "agents";
export const MAX_CONFIG_BYTES = 1024 * 1024;
export const MAX_INSTRUCTION_BYTES = 2 * 1024 * 1024;

/** What the BOM and other readers learn about each server (inventory.facts.agents). */
export interface AgentServerFact {
  name: string;
  client: string;
  format: string;
  location: string;
  transport: McpServer["transport"];
  command?: string;
  runner?: string;
  package?: string;
  ecosystem?: string;
  version?: string;
  pinned?: boolean;
  url?: string;
  disabled: boolean;
  autoApprove?: "all" | string[];
  broadFilesystem: boolean;
  privilegedContainer: boolean;
}

export interface AgentFacts {
  servers: AgentServerFact[];
  configFiles: { path: string; client: string; format: string }[];
  instructionFiles: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A host that is this machine: plain HTTP to it never crosses a network. */
export function isLocalHost(url: string): boolean {
  const host = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/@?#]*@)?(\[[^\]]*\]|[^/:?#]*)/i.exec(url)?.[1]?.toLowerCase() ?? "";
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    /^127\.\d+\.\d+\.\d+$/.test(host) ||
    host === "[::1]" ||
    host === "0.0.0.0" ||
    host === "host.docker.internal"
  );
}

export const agentsScanner: Scanner = {
  meta: {
    id: SCANNER,
    description:
      "Agent and MCP client configurations (servers, launch pinning, transport, secrets, permissions, auto-approval) and hidden Unicode in agent instruction files",
  },
  async scan(ctx: ScanContext): Promise<ScanResult> {
    const result: ScanResult = { observations: [], unscanned: [] };
    const facts: AgentFacts = { servers: [], configFiles: [], instructionFiles: [] };
    for (const file of ctx.files) {
      const format = configFormat(file.path);
      if (format) await scanConfig(ctx, file.path, file.size, format, result, facts);
      else if (isInstructionFile(file.path)) await scanInstructions(ctx, file.path, file.size, result, facts);
    }
    result.facts = facts as unknown as Record<string, unknown>;
    return result;
  },
};

async function readText(ctx: ScanContext, path: string, size: number, cap: number, result: ScanResult): Promise<string | undefined> {
  if (size > cap) {
    result.unscanned.push({ path, scanner: SCANNER, reason: `file is ${size} bytes, over the ${cap}-byte limit for agent files` });
    return undefined;
  }
  const buf = await ctx.readRange(path, 0, size);
  if (buf.subarray(0, 8192).includes(0)) {
    result.unscanned.push({ path, scanner: SCANNER, reason: "binary content (NUL bytes) in an agent file" });
    return undefined;
  }
  return buf.toString("utf8");
}

async function scanInstructions(ctx: ScanContext, path: string, size: number, result: ScanResult, facts: AgentFacts): Promise<void> {
  const text = await readText(ctx, path, size, MAX_INSTRUCTION_BYTES, result);
  if (text === undefined) return;
  facts.instructionFiles.push(path);
  const hidden = findHiddenUnicode(text);
  if (!hidden) return;
  result.observations.push({
    scanner: SCANNER,
    kind: "agent.hidden-unicode",
    location: { path, line: hidden.line, column: hidden.column },
    message: `${path} is read by coding agents as instructions and hides ${describeHidden(hidden)} that a reviewer does not see, the first at line ${hidden.line}, column ${hidden.column}`,
    key: `hidden-unicode:${createHash("sha256").update(hidden.sequence).digest("hex").slice(0, 16)}`,
    data: {
      tags: hidden.tags,
      bidi: hidden.bidi,
      zeroWidthRuns: hidden.zeroWidthRuns,
      longestRun: hidden.longestRun,
      tagText: hidden.tagText,
      hidden: describeHidden(hidden),
      line: hidden.line,
      column: hidden.column,
    },
  });
}

async function scanConfig(ctx: ScanContext, path: string, size: number, format: ConfigFormat, result: ScanResult, facts: AgentFacts): Promise<void> {
  const text = await readText(ctx, path, size, MAX_CONFIG_BYTES, result);
  if (text === undefined) return;
  const parsed = parseConfig(format.syntax, text);
  if ("error" in parsed) {
    result.observations.push({
      scanner: SCANNER,
      kind: "agent.malformed",
      location: { path, ...parsed.position },
      message: `${format.client} configuration ${path} could not be read (${parsed.error}); its servers and permissions were not checked`,
      key: `malformed:${parsed.error}`,
      data: { client: format.client, format: format.id, error: parsed.error },
    });
    result.unscanned.push({ path, scanner: SCANNER, reason: parsed.error });
    return;
  }
  facts.configFiles.push({ path, client: format.client, format: format.id });
  const doc = parsed.doc;
  const emit = (kind: KindOf<"agent.">, at: Segment[], message: string, key: string, data: Record<string, unknown> = {}, useKey = false) => {
    const loc: Location = { path, ...doc.locate(at, useKey) };
    result.observations.push({ scanner: SCANNER, kind, location: loc, message, key, data: { client: format.client, format: format.id, ...data } });
  };
  for (const server of readServers(format, doc)) checkServer(server, path, format, doc, emit, facts);
  checkClientSettings(format, doc, emit);
}

type Emit = (kind: KindOf<"agent.">, at: Segment[], message: string, key: string, data?: Record<string, unknown>, useKey?: boolean) => void;

function checkServer(s: McpServer, path: string, format: ConfigFormat, doc: ConfigDoc, emit: Emit, facts: AgentFacts): void {
  const launch: Launch = analyseLaunch(s.argv);
  const at = (i: number | undefined) => (i !== undefined && s.argvPaths[i] ? s.argvPaths[i]! : s.path);
  const label = `MCP server "${s.name}"`;
  const url = s.url ? redactUrl(s.url.value) : undefined;
  const remote = !!s.url && !isLocalHost(s.url.value);
  const broadFs: { value: string; index: number }[] = [];
  if (isFilesystemServer(launch.name ?? s.argv.join(" "))) {
    for (const a of launch.serverArgs) if (isRootOrHome(a.value)) broadFs.push(a);
    for (const m of launch.mounts) if (isRootOrHome(m.source) === "home") broadFs.push({ value: m.source, index: m.index });
  }
  const where = s.argv.length ? `${s.argv.slice(0, 4).join(" ")}${s.argv.length > 4 ? " …" : ""}` : (url ?? "no command or URL");
  const serverLoc = doc.locate(s.path, true);
  facts.servers.push({
    name: s.name,
    client: format.client,
    format: format.id,
    location: `${path}:${serverLoc.line}:${serverLoc.column}`,
    transport: s.transport,
    ...(s.argv[0] !== undefined ? { command: s.argv[0] } : {}),
    ...(launch.runner ? { runner: launch.runner } : {}),
    ...(launch.name ? { package: launch.name, ecosystem: launch.ecosystem, pinned: launch.pinned } : {}),
    ...(launch.version ? { version: launch.version } : {}),
    ...(url ? { url } : {}),
    disabled: s.disabled,
    ...(s.autoApprove ? { autoApprove: s.autoApprove.tools } : {}),
    broadFilesystem: broadFs.length > 0,
    privilegedContainer: launch.privileged.length > 0,
  });
  emit(
    "agent.mcp-server",
    s.path,
    `${format.client} configuration gives agents the ${label} (${s.transport === "stdio" ? "runs " : ""}${where})${s.disabled ? ", switched off" : ""}`,
    `mcp-server:${s.name}`,
    {
      name: s.name,
      transport: s.transport,
      command: s.argv[0] ?? null,
      package: launch.name ?? null,
      url: url ?? null,
      disabled: s.disabled,
      launch: `${s.transport === "stdio" ? "runs " : ""}${where}${s.disabled ? ", switched off" : ""}`,
    },
    true,
  );

  // Secrets are committed whether or not the server is switched on.
  for (const e of s.env) {
    const secret = literalSecret(e.name, e.value);
    if (secret)
      emit("agent.secret", e.path, `${label} is given ${secret.what} in env ${e.name}: ${secret.masked}`, `secret:${s.name}:${e.name}:${secret.hash}`, {
        name: s.name,
        variable: e.name,
        masked: secret.masked,
        subject: label,
        secret: secret.what,
        place: `env ${e.name}`,
      });
  }
  for (const h of s.headers) {
    const secret = literalSecret(h.name, h.value, true);
    if (secret)
      emit("agent.secret", h.path, `${label} sends ${secret.what} in header ${h.name}: ${secret.masked}`, `secret:${s.name}:${h.name}:${secret.hash}`, {
        name: s.name,
        variable: h.name,
        masked: secret.masked,
        subject: label,
        secret: secret.what,
        place: `header ${h.name}`,
      });
  }
  for (const t of s.literalTokens) {
    const secret = literalSecret("token", t.value, true);
    if (secret)
      emit("agent.secret", t.path, `${label} has a literal token in ${t.key}: ${secret.masked}`, `secret:${s.name}:${t.key}:${secret.hash}`, {
        name: s.name,
        variable: t.key,
        masked: secret.masked,
        subject: label,
        secret: "a literal token",
        place: t.key,
      });
  }
  if (s.url) {
    for (const u of urlSecrets(s.url.value))
      emit(
        "agent.secret",
        s.url.path,
        `${label}'s URL carries ${u.secret.what} (${u.param}): ${u.secret.masked}`,
        `secret:${s.name}:url:${u.param}:${u.secret.hash}`,
        { name: s.name, variable: u.param, masked: u.secret.masked, subject: label, secret: u.secret.what, place: `its URL (${u.param})` },
      );
  }
  if (s.disabled) return;

  if (launch.spec && !launch.pinned) {
    emit(
      "agent.unpinned-server",
      at(launch.specIndex),
      `${label} is launched with ${launch.runner} ${launch.spec}: ${launch.unpinnedWhy}`,
      `unpinned:${s.name}:${launch.spec}`,
      { name: s.name, runner: launch.runner, spec: launch.spec, package: launch.name, ecosystem: launch.ecosystem, why: launch.unpinnedWhy },
    );
  }
  if (launch.privileged.length) {
    const first = launch.privileged[0]!;
    emit(
      "agent.privileged-container",
      at(first.index),
      `${label} runs in a container with ${launch.privileged.map((p) => p.what).join(", ")}: a compromised or manipulated server controls the host`,
      `privileged:${s.name}:${launch.privileged.map((p) => p.what).join(",")}`,
      { name: s.name, privileges: launch.privileged.map((p) => p.what), granted: launch.privileged.map((p) => p.what).join(", ") },
    );
  }
  for (const a of broadFs) {
    emit(
      "agent.broad-permission",
      at(a.index),
      `${label} is a filesystem server given ${isRootOrHome(a.value) === "root" ? "the whole file system" : "the home folder"} (${a.value}): every file the user can read or write, SSH keys and cloud credentials included, is one tool call away`,
      `broad-fs:${s.name}:${a.value}`,
      {
        name: s.name,
        what: "filesystem",
        value: a.value,
        subject: label,
        grant: `is a filesystem server given ${isRootOrHome(a.value) === "root" ? "the whole file system" : "the home folder"}`,
        setting: a.value,
        reach: FILES_REACH,
      },
    );
  }
  if (s.url && /^http:\/\//i.test(s.url.value) && remote) {
    emit(
      "agent.insecure-transport",
      s.url.path,
      `${label} is reached over plain HTTP (${url}): anyone on the network path can read what the agent sends and change the tools and results it gets back`,
      `http:${s.name}:${url}`,
      { name: s.name, url },
    );
  }
  const hasAuthHeader = s.headers.some(
    (h) => /^(?:authorization|proxy-authorization|cookie)$/i.test(h.name) || /(?:api[-_]?key|token|auth|secret|key)$/i.test(h.name),
  );
  const hasUrlAuth = !!s.url && hasCredentialParameter(s.url.value);
  if (remote && !hasAuthHeader && !s.authBy && !hasUrlAuth && !s.literalTokens.length) {
    emit(
      "agent.unauthenticated-server",
      s.url!.path,
      `${label} at ${url} is configured without a credential (no Authorization or API-key header, no token variable, no OAuth settings): unless it signs in with OAuth, it serves any caller, and nothing proves to the agent that it is the server you meant`,
      `no-auth:${s.name}:${url}`,
      { name: s.name, url },
    );
  }
  if (s.autoApprove) {
    const all = s.autoApprove.tools === "all";
    const tools = all ? [] : (s.autoApprove.tools as string[]);
    emit(
      "agent.auto-approve",
      s.autoApprove.path,
      all
        ? `${label} is trusted to run every tool without asking (${s.autoApprove.key})`
        : `${label} runs ${tools.length} tool${tools.length === 1 ? "" : "s"} without asking (${s.autoApprove.key}: ${tools.slice(0, 5).join(", ")}${tools.length > 5 ? ", …" : ""})`,
      `auto-approve:${s.name}:${s.autoApprove.key}`,
      {
        name: s.name,
        scope: all ? "all" : "some",
        tools,
        subject: label,
        approves: all ? "is trusted to run every tool without asking" : `runs ${tools.length} tool${tools.length === 1 ? "" : "s"} without asking`,
        setting: all ? s.autoApprove.key : `${s.autoApprove.key}: ${tools.slice(0, 5).join(", ")}${tools.length > 5 ? ", …" : ""}`,
        reach: all ? CALL_REACH : "a manipulated call of one of them runs before anyone sees it",
      },
    );
  }
}

/** What a broad permission or an approval given in advance puts within reach, in words. */
const FILES_REACH = "every file the user can read or write, SSH keys and cloud credentials included, is one tool call away";
const SHELL_REACH = "an instruction injected into anything the agent reads can run commands as the user";
const TOOLS_REACH = "an instruction injected into anything the agent reads can use every tool";
const CALL_REACH = "a manipulated tool call runs before anyone sees it";

/** Client-wide permissions: allow lists, permission modes, sandbox modes, global auto-approval. */
function checkClientSettings(format: ConfigFormat, doc: ConfigDoc, emit: Emit): void {
  const v = doc.value;
  if (!isObject(v)) return;
  const client = format.client;
  if (format.id === "claude-code-settings") {
    const perms = isObject(v.permissions) ? v.permissions : {};
    if (Array.isArray(perms.allow)) {
      perms.allow.slice(0, 1000).forEach((rule, i) => {
        if (typeof rule !== "string") return;
        const r = rule.replace(/\s+/g, "");
        if (/^(?:Bash|Bash\((?:\*|:\*|\*\*|\*:\*)?\)|\*)$/.test(r)) {
          emit(
            "agent.broad-permission",
            ["permissions", "allow", i],
            `${client} may run ${r === "*" ? "every tool" : "any shell command"} without asking (permissions.allow "${rule}")`,
            `allow:${rule}`,
            {
              what: r === "*" ? "all-tools" : "shell",
              value: rule,
              subject: client,
              grant: `may run ${r === "*" ? "every tool" : "any shell command"} without asking`,
              setting: `permissions.allow "${rule}"`,
              reach: r === "*" ? TOOLS_REACH : SHELL_REACH,
            },
          );
        }
      });
    }
    if (perms.defaultMode === "bypassPermissions") {
      emit(
        "agent.auto-approve",
        ["permissions", "defaultMode"],
        `${client} starts in bypassPermissions mode: every tool call, shell commands included, runs without asking`,
        "defaultMode:bypassPermissions",
        {
          scope: "all",
          tools: [],
          subject: client,
          approves: "starts in bypassPermissions mode",
          setting: "permissions.defaultMode",
          reach: "every tool call, shell commands included, runs without asking",
        },
      );
    }
    if (Array.isArray(perms.additionalDirectories)) {
      perms.additionalDirectories.slice(0, 200).forEach((d, i) => {
        if (typeof d === "string" && isRootOrHome(d))
          emit(
            "agent.broad-permission",
            ["permissions", "additionalDirectories", i],
            `${client} is given ${isRootOrHome(d) === "root" ? "the whole file system" : "the home folder"} (permissions.additionalDirectories "${d}")`,
            `dirs:${d}`,
            {
              what: "filesystem",
              value: d,
              subject: client,
              grant: `is given ${isRootOrHome(d) === "root" ? "the whole file system" : "the home folder"}`,
              setting: `permissions.additionalDirectories "${d}"`,
              reach: FILES_REACH,
            },
          );
      });
    }
    if (v.enableAllProjectMcpServers === true) {
      emit(
        "agent.auto-approve",
        ["enableAllProjectMcpServers"],
        `${client} starts every MCP server a project's .mcp.json declares without asking (enableAllProjectMcpServers): a change to .mcp.json adds tools nobody approved`,
        "enableAllProjectMcpServers",
        {
          scope: "some",
          tools: [],
          subject: client,
          approves: "starts every MCP server a project's .mcp.json declares without asking",
          setting: "enableAllProjectMcpServers",
          reach: "a change to .mcp.json adds tools nobody approved",
        },
      );
    }
    if (isObject(v.env)) {
      for (const [k, val] of Object.entries(v.env).slice(0, 500)) {
        if (typeof val !== "string") continue;
        const secret = literalSecret(k, val);
        if (secret)
          emit(
            "agent.secret",
            ["env", k],
            `${client} settings give the agent ${secret.what} in env ${k}: ${secret.masked}`,
            `secret:settings:${k}:${secret.hash}`,
            { variable: k, masked: secret.masked, subject: `${client} settings`, secret: secret.what, place: `env ${k}` },
          );
      }
    }
  }
  if (format.id === "gemini-settings") {
    const tools = isObject(v.tools) ? v.tools : {};
    for (const [key, list] of [["allowed", tools.allowed] as const]) {
      if (!Array.isArray(list)) continue;
      list.slice(0, 1000).forEach((t, i) => {
        if (typeof t !== "string") return;
        const r = t.replace(/\s+/g, "");
        if (/^(?:run_shell_command|ShellTool|run_shell_command\(\*?\)|\*)$/.test(r)) {
          emit(
            "agent.broad-permission",
            ["tools", key, i],
            `${client} runs ${r === "*" ? "every tool" : "any shell command"} without asking (tools.${key} "${t}")`,
            `allowed:${t}`,
            {
              what: r === "*" ? "all-tools" : "shell",
              value: t,
              subject: client,
              grant: `runs ${r === "*" ? "every tool" : "any shell command"} without asking`,
              setting: `tools.${key} "${t}"`,
              reach: r === "*" ? TOOLS_REACH : SHELL_REACH,
            },
          );
        }
      });
    }
  }
  if (format.id === "codex-config") {
    const scopes: { path: Segment[]; table: Record<string, unknown> }[] = [{ path: [], table: v }];
    if (isObject(v.profiles))
      for (const [name, p] of Object.entries(v.profiles).slice(0, 100)) if (isObject(p)) scopes.push({ path: ["profiles", name], table: p });
    for (const { path, table } of scopes) {
      const where = path.length ? ` in profile ${String(path[1])}` : "";
      if (table.approval_policy === "never") {
        emit(
          "agent.auto-approve",
          [...path, "approval_policy"],
          `${client} never asks before running commands${where} (approval_policy = "never")`,
          `approval_policy:${path.join(".")}`,
          {
            scope: "all",
            tools: [],
            subject: client,
            approves: `never asks before running commands${where}`,
            setting: 'approval_policy = "never"',
            reach: "a manipulated command runs before anyone sees it",
          },
        );
      }
      if (table.sandbox_mode === "danger-full-access") {
        emit(
          "agent.broad-permission",
          [...path, "sandbox_mode"],
          `${client} runs without its sandbox${where} (sandbox_mode = "danger-full-access"): commands reach every file and the network`,
          `sandbox_mode:${path.join(".")}`,
          {
            what: "sandbox-off",
            value: "danger-full-access",
            subject: client,
            grant: `runs without its sandbox${where}`,
            setting: 'sandbox_mode = "danger-full-access"',
            reach: "commands reach every file and the network",
          },
        );
      }
    }
  }
  if (format.id === "vscode-settings") {
    for (const key of ["chat.tools.autoApprove", "chat.tools.global.autoApprove"]) {
      if (v[key] === true)
        emit("agent.auto-approve", [key], `${client} agents run every tool and terminal command without asking (${key}: true)`, `${key}`, {
          scope: "all",
          tools: [],
          subject: `${client} agents`,
          approves: "run every tool and terminal command without asking",
          setting: `${key}: true`,
          reach: CALL_REACH,
        });
    }
  }
}
