// The agents scanner and the agent-* rules end to end through run(): a repository with VS Code,
// Cursor, Claude Code, Gemini CLI, Codex, Continue, Roo and Windsurf configurations and agent
// instruction files. Each rule fires exactly on the lines marked `expect:` and never on `ok:` lines.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../../../src/run.js";
import { HIDDEN_EXPECTED, markers, writeAgentRepo } from "../../../fixtures/agents/repo.js";

type F = { ruleId: string; path: string; line: number; column: number; message: string; severity: string; control: string };

describe("agent and MCP configurations through run()", () => {
  let dir: string;
  let findings: F[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "aigate-agents-"));
    await writeAgentRepo(dir);
    findings = (await run({ root: dir, today: "2026-11-27" })).findings as F[];
  }, 60000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const agentFindings = () => findings.filter((f) => f.ruleId.startsWith("agent-"));

  test("every `expect:` line gives its rule, and nothing else fires from agent rules", () => {
    const { expect: expected } = markers();
    const want = [...expected].flatMap(([at, rules]) => rules.map((r) => `${r} ${at}`));
    for (const h of HIDDEN_EXPECTED) want.push(`agent-instructions-hidden-unicode ${h.replace(/:\d+$/, "")}`);
    const got = agentFindings().map((f) => `${f.ruleId} ${f.path}:${f.line}`);
    expect([...new Set(got)].sort()).toEqual([...new Set(want)].sort());
  });

  test("`ok:` lines stay quiet for the rules they name", () => {
    const { ok } = markers();
    for (const [at, rules] of ok) for (const r of rules) expect(agentFindings().filter((f) => `${f.path}:${f.line}` === at && f.ruleId === r)).toEqual([]);
  });

  test("hidden Unicode is located at the first hidden character and says what the tag characters spell", () => {
    const hidden = findings.filter((f) => f.ruleId === "agent-instructions-hidden-unicode");
    expect(hidden.map((f) => `${f.path}:${f.line}:${f.column}`).sort()).toEqual([...HIDDEN_EXPECTED].sort());
    const agents = hidden.find((f) => f.path === "AGENTS.md")!;
    expect(agents.message).toContain("Unicode tag characters spelling");
    expect(agents.message).toContain("evil.example");
    expect(hidden.find((f) => f.path === ".github/copilot-instructions.md")!.message).toContain("2 bidirectional controls");
    expect(hidden.find((f) => f.path === ".cursor/rules/style.mdc")!.message).toContain("zero-width characters (the longest 6)");
    expect(findings.some((f) => f.path === "CLAUDE.md")).toBe(false);
  });

  test("secrets are masked in every message", () => {
    const secrets = findings.filter((f) => f.ruleId === "agent-config-secret");
    expect(secrets).toHaveLength(3);
    for (const f of secrets) {
      expect(f.message).not.toMatch(/AbCdEfGhIjKlMnOp|3f9c2a7b1e8d/);
      expect(f.message).toMatch(/…\(\d+ chars\)/);
    }
    expect(secrets.find((f) => f.path === ".cursor/mcp.json")!.message).toContain("sk-proj-…(");
  });

  test("locations point at the value: column of the unpinned package, the TOML array item, the YAML entry", () => {
    const at = (rule: string, path: string) => findings.filter((f) => f.ruleId === rule && f.path === path).map((f) => `${f.line}:${f.column}`);
    expect(at("agent-mcp-server-unpinned", ".codex/config.toml")).toEqual(["10:15"]);
    expect(at("agent-mcp-server-unpinned", ".vscode/mcp.json")).toEqual(["19:9"]);
    expect(at("agent-mcp-server-undeclared", ".continue/config.yaml")).toEqual(["4:5"]);
    expect(at("agent-mcp-server-undeclared", ".codex/config.toml")).toEqual(["4:1", "8:1"]);
    expect(at("agent-auto-approve-all", ".codex/config.toml")).toEqual(["1:1"]);
  });

  test("severities and controls come from the rules", () => {
    const one = (rule: string) => findings.find((f) => f.ruleId === rule)!;
    expect(one("agent-mcp-server-undeclared")).toMatchObject({ severity: "error", control: "LEASTMODELPRIVILEGE" });
    expect(one("agent-mcp-server-unpinned")).toMatchObject({ severity: "warning", control: "SUPPLYCHAINMANAGE" });
    expect(one("agent-privileged-container").message).toContain("--privileged, a mount of the host's root folder (-v /:/host)");
    expect(one("agent-mcp-server-unauthenticated")).toMatchObject({ severity: "note" });
    expect(one("agent-auto-approve-tools").message).toMatch(/enableAllProjectMcpServers|navigate, screenshot/);
  });
});
