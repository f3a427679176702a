// Where agents and MCP clients keep their servers and permissions, and how each file is written.
// Facts from each client's documentation (the `docs` link of each format):
//   VS Code      .vscode/mcp.json: "servers": {name: {type: stdio|http|sse, command, args, env, envFile, url, headers}}
//                .vscode/settings.json: "mcp": {"servers": ...}; chat.tools.autoApprove / chat.tools.global.autoApprove
//   Cursor       .cursor/mcp.json: "mcpServers": {name: {command, args, env, url, headers}}
//   Claude Code  .mcp.json: "mcpServers": {name: {type, command, args, env, url, headers}}
//                .claude/settings.json, .claude/settings.local.json: permissions.{allow, deny, ask,
//                defaultMode, additionalDirectories}, enableAllProjectMcpServers, env
//   Claude Desktop claude_desktop_config.json: "mcpServers": {name: {command, args, env}}
//   Gemini CLI   .gemini/settings.json: "mcpServers": {name: {command, args, env, cwd, url (SSE),
//                httpUrl, headers, trust, includeTools, excludeTools}}; tools.allowed (no confirmation)
//   Codex        .codex/config.toml: [mcp_servers.<name>] command, args, env, url, bearer_token_env_var,
//                http_headers, env_http_headers, enabled; approval_policy, sandbox_mode (also in [profiles.*])
//   Continue     .continue/config.yaml: mcpServers: [{name, command, args, env, type, url}];
//                .continue/mcpServers/*.yaml (blocks with the same list); config.json:
//                experimental.modelContextProtocolServers[].transport {type, command, args, url}
//   Windsurf     mcp_config.json: "mcpServers": {name: {command, args, env, serverUrl, url, headers, disabled}}
//   Cline, Roo Code, Kilo Code  cline_mcp_settings.json, .roo/mcp.json, .kilocode/mcp.json:
//                "mcpServers": {name: {command, args, env, url, headers, alwaysAllow, autoApprove, disabled}}
import type { Syntax } from "./source.js";

export interface ConfigFormat {
  id: string;
  client: string;
  syntax: Syntax;
  /** Where its servers are: a map of name to entry at this key path, a list of entries with `name`, or none. */
  servers: { at: string[]; shape: "map" | "list" }[];
  docs: string;
}

const MCP_SERVERS = [{ at: ["mcpServers"], shape: "map" as const }];

const FORMATS: { test: (path: string, base: string) => boolean; format: ConfigFormat }[] = [
  {
    test: (p) => p.endsWith("/.vscode/mcp.json"),
    format: {
      id: "vscode-mcp",
      client: "VS Code",
      syntax: "json",
      servers: [{ at: ["servers"], shape: "map" }, ...MCP_SERVERS],
      docs: "https://code.visualstudio.com/docs/copilot/reference/mcp-configuration",
    },
  },
  {
    test: (p) => p.endsWith("/.vscode/settings.json"),
    format: {
      id: "vscode-settings",
      client: "VS Code",
      syntax: "json",
      servers: [{ at: ["mcp", "servers"], shape: "map" }],
      docs: "https://code.visualstudio.com/docs/agents/approvals",
    },
  },
  {
    test: (p) => p.endsWith("/.cursor/mcp.json"),
    format: { id: "cursor-mcp", client: "Cursor", syntax: "json", servers: MCP_SERVERS, docs: "https://cursor.com/docs/mcp" },
  },
  {
    test: (_, b) => b === ".mcp.json",
    format: { id: "claude-code-mcp", client: "Claude Code", syntax: "json", servers: MCP_SERVERS, docs: "https://code.claude.com/docs/en/mcp" },
  },
  {
    test: (p) => p.endsWith("/.claude/settings.json") || p.endsWith("/.claude/settings.local.json"),
    format: { id: "claude-code-settings", client: "Claude Code", syntax: "json", servers: MCP_SERVERS, docs: "https://code.claude.com/docs/en/settings" },
  },
  {
    test: (_, b) => b === "claude_desktop_config.json",
    format: { id: "claude-desktop", client: "Claude Desktop", syntax: "json", servers: MCP_SERVERS, docs: "https://modelcontextprotocol.io/quickstart/user" },
  },
  {
    test: (p) => p.endsWith("/.gemini/settings.json"),
    format: { id: "gemini-settings", client: "Gemini CLI", syntax: "json", servers: MCP_SERVERS, docs: "https://geminicli.com/docs/tools/mcp-server" },
  },
  {
    test: (p) => p.endsWith("/.codex/config.toml"),
    format: {
      id: "codex-config",
      client: "Codex",
      syntax: "toml",
      servers: [{ at: ["mcp_servers"], shape: "map" }],
      docs: "https://developers.openai.com/codex/mcp",
    },
  },
  {
    test: (p) => /(^|\/)\.continue\/config\.ya?ml$/.test(p) || /(^|\/)\.continue\/mcpServers\/[^/]+\.ya?ml$/.test(p),
    format: {
      id: "continue-yaml",
      client: "Continue",
      syntax: "yaml",
      servers: [{ at: ["mcpServers"], shape: "list" }],
      docs: "https://docs.continue.dev/customize/deep-dives/mcp",
    },
  },
  {
    test: (p) => /(^|\/)\.continue\/config\.json$/.test(p) || /(^|\/)\.continue\/mcpServers\/[^/]+\.json$/.test(p),
    format: {
      id: "continue-json",
      client: "Continue",
      syntax: "json",
      servers: [{ at: ["experimental", "modelContextProtocolServers"], shape: "list" }, ...MCP_SERVERS],
      docs: "https://docs.continue.dev/customize/deep-dives/mcp",
    },
  },
  {
    test: (_, b) => b === "mcp_config.json",
    format: { id: "windsurf-mcp", client: "Windsurf", syntax: "json", servers: MCP_SERVERS, docs: "https://docs.windsurf.com/windsurf/cascade/mcp" },
  },
  {
    test: (_, b) => b === "cline_mcp_settings.json",
    format: { id: "cline-mcp", client: "Cline", syntax: "json", servers: MCP_SERVERS, docs: "https://docs.cline.bot/mcp/configuring-mcp-servers" },
  },
  {
    test: (p) => p.endsWith("/.roo/mcp.json"),
    format: { id: "roo-mcp", client: "Roo Code", syntax: "json", servers: MCP_SERVERS, docs: "https://docs.roocode.com/features/mcp/using-mcp-in-roo" },
  },
  {
    test: (p) => p.endsWith("/.kilocode/mcp.json"),
    format: { id: "kilo-mcp", client: "Kilo Code", syntax: "json", servers: MCP_SERVERS, docs: "https://kilo.ai/docs/features/mcp/using-mcp-in-cli" },
  },
];

const CONFIG_ENDING = /\.(?:json|toml|ya?ml)$/;
const INSTRUCTION_ENDING = /(?:\.(?:md|mdc|txt|ya?ml)|rules)$/i;

/** The agent or MCP configuration format of a repository path, or undefined. */
export function configFormat(path: string): ConfigFormat | undefined {
  // Every format above is JSON, TOML or YAML by name: one test passes over nearly every file.
  if (!CONFIG_ENDING.test(path)) return undefined;
  const p = path.startsWith("/") ? path : `/${path}`;
  const base = p.slice(p.lastIndexOf("/") + 1);
  return FORMATS.find((f) => f.test(p, base))?.format;
}

/**
 * Instruction and prompt files that coding agents read as instructions: AGENTS.md (Codex, Copilot,
 * Cursor, ...), CLAUDE.md, GEMINI.md, Cursor rules (.cursorrules, .cursor/rules/), Windsurf, Cline
 * and Roo rules, Continue rules, GitHub Copilot's custom instructions, prompt files and chat modes,
 * Claude Code commands and subagents.
 */
export function isInstructionFile(path: string): boolean {
  // Each kind below ends so (the rule files' names end in "rules"): one test for nearly every file.
  if (!INSTRUCTION_ENDING.test(path)) return false;
  const p = `/${path}`;
  const base = p.slice(p.lastIndexOf("/") + 1);
  if (/^(?:AGENTS?|CLAUDE|CLAUDE\.local|GEMINI)\.md$/.test(base)) return true;
  if ([".cursorrules", ".windsurfrules", ".clinerules", ".roorules"].includes(base)) return true;
  if (p.endsWith("/.github/copilot-instructions.md")) return true;
  if (/\.(prompt|instructions|chatmode|agent)\.md$/i.test(base)) return true;
  return /\/(?:\.cursor\/rules|\.windsurf\/rules|\.clinerules|\.roo\/rules(?:-[^/]+)?|\.continue\/rules|\.claude\/commands|\.claude\/agents|\.github\/instructions|\.github\/prompts|\.github\/chatmodes)\/(?:[^/]+\/)*[^/]+\.(?:md|mdc|txt|ya?ml)$/i.test(
    p,
  );
}
