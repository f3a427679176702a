// One shape for every client's MCP server entry: name, transport, command line, environment, URL,
// headers, the auto-approval it is given and whether it is switched off, each with the path of its
// value in the file (so every finding is located).
import type { ConfigFormat } from "./formats.js";
import type { ConfigDoc, Segment } from "./source.js";

export interface McpServer {
  name: string;
  /** Path of the server's entry in the file. */
  path: Segment[];
  transport: "stdio" | "http" | "sse" | "unknown";
  /** argv[0] is the command; `argvPaths[i]` locates argv[i]. */
  argv: string[];
  argvPaths: Segment[][];
  env: { name: string; value: string; path: Segment[] }[];
  url?: { value: string; path: Segment[] };
  headers: { name: string; value: string; path: Segment[] }[];
  /** Authentication configured other than by a header: a token variable, OAuth settings. */
  authBy?: string;
  /** A literal token written in a token key (Codex's legacy `bearer_token`). */
  literalTokens: { key: string; value: string; path: Segment[] }[];
  /** Auto-approval given to the server: every tool (`trust: true`, `"*"`) or a list of tools. */
  autoApprove?: { key: string; tools: string[] | "all"; path: Segment[] };
  disabled: boolean;
}

/** Entries past this many per file are not read (a real file has a few dozen). */
export const MAX_SERVERS_PER_FILE = 500;
const MAX_ARGS = 200;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined);

export function readServers(format: ConfigFormat, doc: ConfigDoc): McpServer[] {
  const out: McpServer[] = [];
  for (const where of format.servers) {
    let node: unknown = doc.value;
    for (const k of where.at) node = isObject(node) ? node[k] : undefined;
    if (where.shape === "map" && isObject(node)) {
      for (const [name, entry] of Object.entries(node).slice(0, MAX_SERVERS_PER_FILE)) {
        if (isObject(entry)) out.push(readServer(name, [...where.at, name], entry));
      }
    } else if (where.shape === "list" && Array.isArray(node)) {
      node.slice(0, MAX_SERVERS_PER_FILE).forEach((entry, i) => {
        if (!isObject(entry)) return;
        // Continue's config.json nests the launch under `transport`.
        const inner = isObject(entry.transport) ? entry.transport : undefined;
        const name = str(entry.name) ?? str(inner?.name) ?? `#${i + 1}`;
        if (inner) out.push(readServer(name, [...where.at, i, "transport"], inner, [...where.at, i]));
        else out.push(readServer(name, [...where.at, i], entry));
      });
    }
  }
  return out;
}

function readServer(name: string, path: Segment[], e: Record<string, unknown>, entryPath: Segment[] = path): McpServer {
  const s: McpServer = {
    name,
    path: entryPath,
    transport: "unknown",
    argv: [],
    argvPaths: [],
    env: [],
    headers: [],
    literalTokens: [],
    disabled: e.disabled === true || e.enabled === false,
  };
  const command = str(e.command);
  const args = Array.isArray(e.args) ? e.args.slice(0, MAX_ARGS) : [];
  if (command !== undefined) {
    // A whole command line written in `command` (no args): split on spaces, all located at the command.
    if (args.length === 0 && /\s/.test(command.trim())) {
      for (const part of command.trim().split(/\s+/).slice(0, MAX_ARGS)) {
        s.argv.push(part);
        s.argvPaths.push([...path, "command"]);
      }
    } else {
      s.argv.push(command);
      s.argvPaths.push([...path, "command"]);
    }
    args.forEach((a, i) => {
      const v = str(a);
      if (v === undefined) return;
      s.argv.push(v);
      s.argvPaths.push([...path, "args", i]);
    });
  }
  for (const key of ["url", "httpUrl", "serverUrl"]) {
    const v = str(e[key]);
    if (v !== undefined) {
      s.url = { value: v, path: [...path, key] };
      break;
    }
  }
  for (const key of ["env", "environment"]) {
    if (!isObject(e[key])) continue;
    for (const [k, v] of Object.entries(e[key] as Record<string, unknown>).slice(0, MAX_ARGS)) {
      const value = str(v);
      if (value !== undefined) s.env.push({ name: k, value, path: [...path, key, k] });
    }
  }
  for (const key of ["headers", "http_headers", "requestInit"]) {
    const h = key === "requestInit" && isObject(e[key]) ? (e[key] as Record<string, unknown>).headers : e[key];
    if (!isObject(h)) continue;
    const base = key === "requestInit" ? [...path, key, "headers"] : [...path, key];
    for (const [k, v] of Object.entries(h).slice(0, MAX_ARGS)) {
      const value = str(v);
      if (value !== undefined) s.headers.push({ name: k, value, path: [...base, k] });
    }
  }
  for (const key of ["bearer_token_env_var", "env_http_headers", "oauth", "authProviderType", "auth"]) {
    if (e[key] !== undefined && e[key] !== false && e[key] !== null) s.authBy ??= key;
  }
  for (const key of ["bearer_token", "apiKey", "api_key", "token"]) {
    const v = str(e[key]);
    if (v !== undefined) s.literalTokens.push({ key, value: v, path: [...path, key] });
  }
  const type = (str(e.type) ?? str(e.transport) ?? "").toLowerCase();
  if (type === "stdio" || type === "local") s.transport = "stdio";
  else if (type === "sse") s.transport = "sse";
  else if (/^(?:http|streamable-?http|streamablehttp|remote)$/.test(type)) s.transport = "http";
  else if (s.argv.length) s.transport = "stdio";
  else if (s.url) s.transport = "http";
  // Auto-approval: Cline's autoApprove, Roo/Kilo's alwaysAllow (tool lists), Gemini's trust: true.
  for (const key of ["autoApprove", "alwaysAllow"]) {
    const v = e[key];
    if (v === true) s.autoApprove = { key, tools: "all", path: [...path, key] };
    else if (Array.isArray(v) && v.length) {
      const tools = v.map(str).filter((x): x is string => x !== undefined);
      s.autoApprove = { key, tools: tools.some((t) => t === "*" || t === "all") ? "all" : tools, path: [...path, key] };
    }
  }
  if (e.trust === true) s.autoApprove = { key: "trust", tools: "all", path: [...path, "trust"] };
  return s;
}
