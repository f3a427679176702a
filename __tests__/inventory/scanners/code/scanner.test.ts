import { join } from "node:path";
import { codeScanner, type CodeFacts } from "../../../../src/inventory/scanners/code/scanner.js";
import type { Observation } from "../../../../src/inventory/types.js";
import { compareWithMarkers, materialize, scanFixture } from "../fixture-harness.js";

const FIXTURES = join(process.cwd(), "__tests__/inventory/scanners/code/fixtures");
const fixture = (name: string) => materialize(join(FIXTURES, name));
const only = (obs: Observation[], path: string) => obs.filter((o) => o.location.path === path);

describe("code scanner on marked fixtures", () => {
  for (const name of ["python", "js"]) {
    it(`${name}: reports exactly the marked lines and columns`, async () => {
      const root = fixture(name);
      const result = await scanFixture(codeScanner, root);
      // Inline suppressions are applied by the engine (see __tests__/findings/suppress.test.ts): here
      // the suppressed lines are left out, and the suppressions themselves are observations.
      const suppressions = result.observations.filter((o) => o.kind === "suppression");
      const covered = (o: Observation) =>
        suppressions.some((s) => s.location.path === o.location.path && (s.data!.lines as number[]).includes(o.location.line));
      const marked = result.observations.filter((o) => o.kind !== "code.suppression-without-reason" && o.kind !== "suppression" && !covered(o));
      expect(compareWithMarkers(root, marked)).toEqual([]);
      expect(result.unscanned).toEqual([]);
    });
  }

  it("a suppression with a reason is reported as such, with the lines it covers", async () => {
    const result = await scanFixture(codeScanner, fixture("python"));
    const s = result.observations.filter((o) => o.kind === "suppression" && o.location.path === "unsafe_load.py");
    expect(s.map((o) => [o.location.line, o.data])).toEqual([
      [25, { rules: ["code-unsafe-model-load"], lines: [25], reason: "blob is produced by our own signed pipeline" }],
    ]);
  });

  it("a suppression without a reason suppresses nothing and is itself reported", async () => {
    const result = await scanFixture(codeScanner, fixture("python"));
    const s = result.observations.filter((o) => o.kind === "code.suppression-without-reason");
    expect(s.map((o) => `${o.location.path}:${o.location.line}:${o.location.column}`)).toEqual(["secrets.py:9:1"]);
    const js = await scanFixture(codeScanner, fixture("js"));
    expect(js.observations.filter((o) => o.kind === "code.suppression-without-reason").map((o) => `${o.location.path}:${o.location.line}`)).toEqual([
      "chat.tsx:30",
    ]);
  });

  it("masks every secret in messages and data", async () => {
    const result = await scanFixture(codeScanner, fixture("python"));
    const all = JSON.stringify(result);
    for (const secret of [
      "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEFGH",
      "a-legacy-internal-key-value-123",
      "ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210",
      "0123456789abcdef0123456789abcdef",
    ])
      expect(all).not.toContain(secret);
    expect(all).toContain("sk-proj-…(52 chars)");
    // A secret without a known public prefix shows no character of itself: only its length.
    expect(all).toContain("literal value for ANTHROPIC_API_KEY committed in code: …(31 chars)");
  });

  it("finds the tools the code gives a model, and whether they write", async () => {
    const result = await scanFixture(codeScanner, fixture("python"));
    const tools = only(result.observations, "agent.py").filter((o) => o.kind === "code.tool");
    expect(tools.map((o) => [o.data!.name, o.data!.framework, o.data!.writes, `${o.location.line}:${o.location.column}`])).toEqual([
      ["terminal", "langchain", true, "7:9"],
      ["read_file", "langchain", false, "8:10"],
      ["lookup_order", "langchain", false, "12:1"],
      ["archive_report", "langchain", true, "18:1"],
      ["search_docs", "mcp", false, "25:1"],
      ["get_weather", "openai", false, "30:5"],
      ["send_email", "anthropic", false, "31:5"],
    ]);
  });

  it("infers profile facts with their evidence", async () => {
    const result = await scanFixture(codeScanner, fixture("python"));
    const facts = result.facts as unknown as CodeFacts;
    expect(Object.keys(facts.inferred).sort()).toEqual(["hasAgency", "isGenAI", "isLLM", "modelHostedExternally", "usesRAG"]);
    expect(facts.inferred.isLLM!.evidence).toMatch(/^sinks\.py:15:12 calls openai\.OpenAI\(\)\.chat\.completions\.create/);
    const ev = result.observations.find((o) => o.kind === "evidence.hasAgency")!;
    expect(ev.data).toMatchObject({ fact: "hasAgency", value: true });
  });
});

describe("notebooks", () => {
  it("reports code-cell findings at the cell's line in the .ipynb file, naming cell and line", async () => {
    const root = fixture("notebook");
    const result = await scanFixture(codeScanner, root);
    const { readFileSync } = await import("node:fs");
    const lines = readFileSync(join(root, "finetune.ipynb"), "utf8").split("\n");
    const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    const colOf = (needle: string, sub: string) => lines[lineOf(needle) - 1]!.indexOf(sub) + 1;
    const got = result.observations
      .filter((o) => !o.kind.startsWith("evidence."))
      .map((o) => [o.kind, o.location.line, o.location.column, o.data?.cell, o.data?.cellLine])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(got).toEqual([
      ["code.secret", lineOf("HF_TOKEN"), colOf("HF_TOKEN", '\\"hf_'), 4, 2],
      ["code.trust-remote-code", lineOf("from_pretrained"), colOf("from_pretrained", "trust_remote_code"), 3, 1],
      ["code.unpinned-download", lineOf("from_pretrained"), colOf("from_pretrained", "AutoModel"), 3, 1],
      ["code.unsafe-load", lineOf('torch.load(\\"ckpt'), colOf('torch.load(\\"ckpt', "torch.load"), 4, 1],
    ]);
    expect(result.observations.find((o) => o.kind === "code.unsafe-load")!.message).toContain("(cell 4, line 1)");
    const facts = result.facts as unknown as CodeFacts;
    expect(facts.inferred.trainsOrFinetunes!.evidence).toMatch(/^finetune\.ipynb:\d+:\d+ calls transformers\.Trainer \(cell 3, line 2\)/);
    expect(JSON.stringify(result)).not.toContain("AbCdEfGhIjKlMnOpQrStUvWxYz01234567");
  });
});

describe("malformed inputs", () => {
  it("invalid notebook JSON, a binary .py and huge minified JS: one located finding or skipped with a reason; the run goes on", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const root = fixture("malformed");
    // Huge minified JS is generated here (a few MB), not committed.
    writeFileSync(join(root, "bundle.min.js"), `var openai=require("openai");${"a=eval(b);".repeat(150_000)}\n`);
    const result = await scanFixture(codeScanner, root);
    expect(result.observations.filter((o) => o.kind === "code.malformed").map((o) => `${o.location.path}:${o.location.line}`)).toEqual(["broken.ipynb:2"]);
    const reasons = Object.fromEntries(result.unscanned.map((u) => [u.path, u.reason]));
    expect(Object.keys(reasons).sort()).toEqual(["broken.ipynb", "bundle.min.js", "weights.py"]);
    expect(reasons["weights.py"]).toMatch(/binary/);
    expect(reasons["bundle.min.js"]).toMatch(/minified/);
    // A Python file with a syntax error is still parsed (tree-sitter recovers) and checked.
    expect(
      compareWithMarkers(
        root,
        result.observations.filter((o) => o.location.path === "syntax_error.py"),
      ),
    ).toEqual([]);
    expect(mkdtempSync).toBeDefined();
  });
});
