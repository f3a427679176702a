// The code-* and profile-evidence check kinds end to end through run(): a repository with Python,
// a notebook, TypeScript and requirements, governed by a manifest that contradicts the code.
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../../src/run.js";

const fixtures = join(process.cwd(), "__tests__/inventory/scanners");

const MANIFEST = `apiVersion: aigate/v1
name: mixed-agent
owner: { team: ml, contact: ml@example.com }
profile:
  isGenAI: true
  isLLM: true
  trainsOrFinetunes: false
  hasAgency: false
tools:
  - name: lookup_order
    privileges: [read]
    humanApproval: never
  - name: archive-report
    privileges: [read]
    humanApproval: never
`;

describe("code check kinds through run()", () => {
  let dir: string;
  let findings: { ruleId: string; path: string; line: number; column: number; message: string }[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "aigate-code-checks-"));
    await cp(join(fixtures, "code/fixtures/python"), join(dir, "app"), { recursive: true });
    await cp(join(fixtures, "code/fixtures/notebook"), join(dir, "notebooks"), { recursive: true });
    await cp(join(fixtures, "code/fixtures/js"), join(dir, "web"), { recursive: true });
    await cp(join(fixtures, "dependencies/fixtures/python-mixed/requirements.txt"), join(dir, "requirements.txt"));
    await writeFile(join(dir, "ai-system.yaml"), MANIFEST);
    findings = (await run({ root: dir, today: "2026-11-27" })).findings;
  }, 60000);
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const of = (rule: string) => findings.filter((f) => f.ruleId === rule).map((f) => `${f.path}:${f.line}:${f.column}`);

  test("a stated fact the code contradicts is reported at the fact, naming the evidence", () => {
    const c = findings.filter((f) => f.ruleId === "profile-contradicted-by-code");
    expect(c.map((f) => `${f.path}:${f.line}`).sort()).toEqual(["ai-system.yaml:7", "ai-system.yaml:8"]);
    expect(c.find((f) => f.line === 7)!.message).toMatch(
      /^profile\.trainsOrFinetunes is false, but notebooks\/finetune\.ipynb:\d+:\d+ calls transformers\.Trainer \(cell 3, line 2\)/,
    );
  });

  test("an unstated fact the code settles is reported with its value", () => {
    const inferred = findings.filter((f) => f.ruleId === "profile-fact-inferred-from-code").map((f) => f.message);
    expect(inferred.some((m) => /^profile\.modelHostedExternally is not stated; the code says true: app\/sinks\.py:15:12/.test(m))).toBe(true);
    expect(inferred.some((m) => m.startsWith("profile.usesRAG is not stated; the code says true"))).toBe(true);
  });

  test("undeclared tools are findings at the code; declared names match across - and _", () => {
    expect(of("code-undeclared-tool")).toEqual(expect.arrayContaining(["app/agent.py:7:9", "app/agent.py:25:1", "app/agent.py:31:5"]));
    expect(of("code-undeclared-tool")).not.toContain("app/agent.py:18:1"); // archive_report is declared as archive-report
    expect(of("code-undeclared-tool")).not.toContain("app/agent.py:12:1");
  });

  test("a read-only tool whose code writes is a finding at the manifest's tool", () => {
    const f = findings.filter((x) => x.ruleId === "code-readonly-tool-writes");
    expect(f.map((x) => `${x.path}:${x.line}`)).toEqual(["ai-system.yaml:14"]);
    expect(f[0]!.message).toContain("app/agent.py:18 (shutil.move() at line 20)");
  });

  test("torch.load(weights_only=True) with the pinned torch 2.5.1 is CVE-2025-32434", () => {
    expect(of("code-torch-load-old-torch")).toEqual(["app/unsafe_load.py:11:9"]);
  });

  test("Python, notebook and TypeScript findings at exact locations in one run", () => {
    expect(of("code-model-output-to-sink")).toEqual(expect.arrayContaining(["app/sinks.py:17:5", "web/chat.tsx:11:15", "web/chat.tsx:17:3"]));
    expect(of("code-trust-remote-code")).toEqual(expect.arrayContaining(["app/downloads.py:10:75"]));
    expect(of("code-unsafe-model-load").some((l) => l.startsWith("notebooks/finetune.ipynb:"))).toBe(true);
    // torch==2.5.1 is a vulnerable pin; every version langchain~=0.3.0 allows has an advisory.
    expect(of("dependency-ai-library-vulnerable")).toEqual(["requirements.txt:5:1", "requirements.txt:10:1"]);
  });
});
