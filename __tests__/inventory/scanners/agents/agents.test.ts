// The agents scanner's parts: launch commands, literal secrets, hidden Unicode, formats and bounded
// parsers with locations.
import { analyseLaunch, isRootOrHome } from "../../../../src/inventory/scanners/agents/launch.js";
import { findHiddenUnicode } from "../../../../src/inventory/scanners/agents/hidden-unicode.js";
import { literalSecret, urlSecrets } from "../../../../src/inventory/scanners/agents/secrets.js";
import { parseConfig } from "../../../../src/inventory/scanners/agents/source.js";
import { configFormat, isInstructionFile } from "../../../../src/inventory/scanners/agents/formats.js";

describe("launch commands", () => {
  test.each([
    [["npx", "-y", "@modelcontextprotocol/server-github"], false, "@modelcontextprotocol/server-github"],
    [["npx", "-y", "@modelcontextprotocol/server-github@2025.4.8"], true, "@modelcontextprotocol/server-github"],
    [["npx", "-y", "@playwright/mcp@latest"], false, "@playwright/mcp"],
    [["npx", "--package=pkg@^1.2.0", "bin"], false, "pkg"],
    [["npm", "exec", "--yes", "--", "mcp-remote@0.1.18", "https://x"], true, "mcp-remote"],
    [["pnpm", "dlx", "server"], false, "server"],
    [["uvx", "mcp-server-git"], false, "mcp-server-git"],
    [["uvx", "mcp-server-git==0.6.2"], true, "mcp-server-git"],
    [["uvx", "mcp-server-git@0.6.2"], true, "mcp-server-git"],
    [["uvx", "--from", "mcp-server-git>=0.6", "mcp-server-git"], false, "mcp-server-git"],
    [["uv", "tool", "run", "--python", "3.12", "pkg==1.0"], true, "pkg"],
    [["pipx", "run", "--spec", "pkg==1.0", "pkg"], true, "pkg"],
    [["pipx", "run", "pkg"], false, "pkg"],
    [["docker", "run", "-i", "--rm", "-e", "TOKEN", "ghcr.io/github/github-mcp-server"], false, "ghcr.io/github/github-mcp-server"],
    [["docker", "run", "-i", "--rm", "localhost:5000/img:1.0"], false, "localhost:5000/img"],
    [["podman", "run", "--rm", `img@sha256:${"a".repeat(64)}`], true, "img"],
    [["cmd", "/c", "npx", "-y", "pkg"], false, "pkg"],
  ])("%j pinned=%s", (argv, pinned, name) => {
    const l = analyseLaunch(argv);
    expect({ pinned: l.pinned, name: l.name }).toEqual({ pinned, name });
  });

  test("local programs and scripts are not packages", () => {
    expect(analyseLaunch(["node", "./server.js"]).spec).toBeUndefined();
    expect(analyseLaunch(["npx", "./local-server"]).spec).toBeUndefined();
    expect(analyseLaunch(["python", "-m", "server"]).spec).toBeUndefined();
  });

  test("container privileges and mounts", () => {
    const l = analyseLaunch([
      "docker",
      "run",
      "--privileged",
      "--cap-add=SYS_ADMIN",
      "-v",
      "/var/run/docker.sock:/var/run/docker.sock",
      "--mount",
      "type=bind,source=/,target=/host",
      "img@sha256:" + "b".repeat(64),
    ]);
    expect(l.privileged.map((p) => p.what)).toEqual([
      "--privileged",
      "--cap-add SYS_ADMIN",
      "a mount of the Docker socket (-v /var/run/docker.sock:/var/run/docker.sock)",
      "a mount of the host's root folder (--mount type=bind,source=/,target=/host)",
    ]);
    expect(l.pinned).toBe(true);
  });

  test("root and home folders", () => {
    for (const p of ["/", "C:\\", "C:/", "//"]) expect(isRootOrHome(p)).toBe("root");
    for (const p of ["~", "~/", "$HOME", "${HOME}", "${userHome}", "%USERPROFILE%", "/home/dev", "/Users/dev/", "/root"]) expect(isRootOrHome(p)).toBe("home");
    for (const p of ["./src", "${workspaceFolder}", "/home/dev/project", "/srv/data", "~/project"]) expect(isRootOrHome(p)).toBeUndefined();
  });
});

describe("literal secrets", () => {
  test("references and placeholders are not secrets", () => {
    for (const v of [
      "${input:token}",
      "${env:TOKEN}",
      "$TOKEN",
      "{{TOKEN}}",
      "%TOKEN%",
      "<your-token>",
      "YOUR_API_KEY",
      "your_api_key_here",
      "changeme",
      "Bearer ${input:gh}",
    ]) {
      expect([v, literalSecret("Authorization", v, true)]).toEqual([v, undefined]);
    }
    expect(literalSecret("LOG_LEVEL", "debug-verbose-mode")).toBeUndefined();
  });
  test("known formats anywhere, literal values of secret-named keys", () => {
    expect(literalSecret("ANYTHING", "hf_abcdefghijklmnopqrstuvwxyzABCDEFGH")?.masked).toBe("hf_…(37 chars)");
    expect(literalSecret("Authorization", "Bearer abcd1234efgh5678", true)?.masked).toBe("…(16 chars)");
    expect(literalSecret("DB_PASSWORD", "s3cr3t-p4ss")?.what).toBe("a literal credential");
    expect(urlSecrets("https://mcp.example.com/mcp?api_key=abcd1234efgh5678&x=1").map((s) => s.param)).toEqual(["api_key"]);
    expect(urlSecrets("https://user:hunter2hunter2@mcp.example.com/").map((s) => s.param)).toEqual(["user info"]);
  });
});

describe("hidden Unicode", () => {
  test("tag characters, bidi controls and zero-width runs; single joiners are ordinary", () => {
    expect(findHiddenUnicode("plain text\nno tricks")).toBeUndefined();
    expect(findHiddenUnicode("emoji 👩\u200d💻 and \u200b one space")).toBeUndefined();
    expect(findHiddenUnicode("\ufeffBOM at the start is fine")).toBeUndefined();
    expect(findHiddenUnicode("a\nbc\u200b\u200b\u200bd")).toMatchObject({ line: 2, column: 3, zeroWidthRuns: 1, longestRun: 3 });
    expect(findHiddenUnicode("x\u2066y\u2069")).toMatchObject({ line: 1, column: 2, bidi: 2 });
    const t = findHiddenUnicode(`ok ${String.fromCodePoint(0xe0068, 0xe0069)}`)!;
    expect(t).toMatchObject({ line: 1, column: 4, tags: 2, tagText: "hi" });
  });
});

describe("formats", () => {
  test("files are recognised by path", () => {
    expect(configFormat(".vscode/mcp.json")?.id).toBe("vscode-mcp");
    expect(configFormat("apps/web/.cursor/mcp.json")?.id).toBe("cursor-mcp");
    expect(configFormat(".mcp.json")?.id).toBe("claude-code-mcp");
    expect(configFormat("mcp.json")).toBeUndefined();
    expect(configFormat(".claude/settings.local.json")?.id).toBe("claude-code-settings");
    expect(configFormat(".continue/mcpServers/db.yaml")?.id).toBe("continue-yaml");
    expect(configFormat("package.json")).toBeUndefined();
    expect(configFormat(".codex/config.toml")?.id).toBeDefined();
    expect(configFormat(".continue/config.yml")?.id).toBe("continue-yaml");
    expect(configFormat("claude_desktop_config.json")?.id).toBeDefined();
    expect(configFormat(".vscode/mcp.json.bak")).toBeUndefined();
    for (const p of [
      "AGENTS.md",
      "pkg/CLAUDE.md",
      "GEMINI.md",
      ".cursorrules",
      ".cursor/rules/a.mdc",
      ".github/copilot-instructions.md",
      ".github/instructions/ts.instructions.md",
      "x/review.prompt.md",
      ".claude/commands/fix.md",
      ".windsurfrules",
      "a/.clinerules",
      ".clinerules/style.md",
      ".roo/rules-code/a.txt",
      ".continue/rules/a.yaml",
      ".github/chatmodes/plan.chatmode.md",
      "x/REVIEW.PROMPT.MD",
      ".cursor/rules/A.MDC",
    ])
      expect([p, isInstructionFile(p)]).toEqual([p, true]);
    for (const p of ["README.md", "docs/agents.md", "src/prompt.ts"]) expect([p, isInstructionFile(p)]).toEqual([p, false]);
  });

  test("parsers are bounded and report located errors", () => {
    const deep = "[".repeat(100) + "]".repeat(100);
    expect(parseConfig("json", deep)).toMatchObject({ error: expect.stringContaining("nesting deeper than 64") });
    expect(parseConfig("toml", "a = [" + "[".repeat(100) + "]".repeat(101))).toHaveProperty("error");
    expect(parseConfig("yaml", "a: [" + "[".repeat(100) + "]".repeat(101))).toHaveProperty("error");
    expect(parseConfig("json", '{\n  "a": 1,\n  "b": }')).toMatchObject({ position: { line: 3, column: 8 } });
    expect(parseConfig("toml", "a = 1\nb = = 2")).toMatchObject({ position: { line: 2 } });
  });

  test("a later duplicate key is the one read and located", () => {
    const p = parseConfig("json", '{"servers": {"a": {"command": "safe"},\n "a": {"command": "evil"}}}');
    if (!("doc" in p)) throw new Error("parse failed");
    expect((p.doc.value as { servers: { a: { command: string } } }).servers.a.command).toBe("evil");
    expect(p.doc.locate(["servers", "a", "command"])).toEqual({ line: 2, column: 19 });
  });
});
