// The bundled CLI, run as a user runs it: exit codes, located output, JSON that matches its schema.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { packageRoot } from "../../src/util/package-root.js";

const root = packageRoot();
const cli = (args: string[], cwd = root) => spawnSync(process.execPath, [join(root, "bin", "aigate.js"), ...args], { cwd, encoding: "utf8" });
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (a: Ajv2020) => void;

// These tests run the committed bundle in dist/, as users do; CI checks that it is fresh.

test("--help lists the commands; exit 0", () => {
  const r = cli(["--help"]);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/check \[options\] \[dir\]/);
  expect(r.stdout).toMatch(/explain/);
});

test("an unknown option is a usage error: exit 2", () => {
  const r = cli(["check", "--no-such-flag"]);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/unknown option/);
});

test("a missing folder is a usage error: exit 2", () => {
  const r = cli(["check", "does/not/exist"]);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/not a folder/);
});

test("a reader that closes the pipe early (`| head`) gets no stack trace; the verdict's exit code stands", async () => {
  const child = spawn(process.execPath, [join(root, "bin", "aigate.js"), "check", "examples/ops-agent", "--today", "2026-11-27", "--format", "json"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  // The read end closes before the report is written: every write of the child meets EPIPE.
  child.stdout.destroy();
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const status = await new Promise<number | null>((done) => child.on("close", (code) => done(code)));
  expect(stderr).toBe("");
  expect(status).toBe(1);
});

test("--threads: a count from 1 to 64, else a usage error; the report is the same with one thread", () => {
  for (const bad of ["0", "65", "two", "-1"]) {
    const r = cli(["check", "examples/ops-agent", "--threads", bad]);
    expect([bad, r.status]).toEqual([bad, 2]);
    expect(r.stderr).toMatch(/--threads.*expected a whole number from 1 to 64/);
  }
  const args = ["check", "examples/ops-agent", "--today", "2026-11-27", "--format", "json"];
  const strip = (s: string) => s.replace(/"generatedAt": "[^"]*"/, "");
  const one = cli([...args, "--threads", "1"]);
  const two = cli([...args, "--threads", "2"]);
  expect(one.status).toBe(1);
  expect(strip(one.stdout)).toBe(strip(two.stdout));
});

test("a failing example exits 1 and prints located findings", () => {
  const r = cli(["check", "examples/ops-agent", "--today", "2026-11-27", "--no-color"]);
  expect(r.status).toBe(1);
  expect(r.stdout).toContain("ai-system.yaml:55:17: error tool github gives the model admin privileges [tool-admin-privilege LEASTMODELPRIVILEGE]");
  expect(r.stdout).toMatch(/Gate \(fail-on error\): failed/);
});

test("a passing example exits 0; fail-on warning makes it fail", () => {
  expect(cli(["check", "examples/support-assistant", "--today", "2026-11-27"]).status).toBe(0);
  expect(cli(["check", "examples/support-assistant", "--today", "2026-11-27", "--fail-on", "warning"]).status).toBe(1);
});

test("--format json writes a report that matches schemas/report.schema.json", () => {
  const out = join(mkdtempSync(join(tmpdir(), "aigate-")), "r.json");
  const r = cli(["check", "examples/claims-triage", "--format", "json", "--output", out, "--today", "2026-11-27"]);
  expect(r.status).toBe(1);
  const report = JSON.parse(readFileSync(out, "utf8"));
  const ajv = new Ajv2020({ allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(join(root, "schemas", "report.schema.json"), "utf8")));
  expect(validate.errors ?? validate(report)).toBe(true);
  expect(report.systems[0].name).toBe("claims-triage");
  expect(report.findings[0]).toEqual(expect.objectContaining({ ruleId: expect.any(String), fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/) }));
});

test("an invalid organisation pack is a configuration error located in the pack: exit 2", () => {
  const dir = mkdtempSync(join(tmpdir(), "aigate-pack-"));
  writeFileSync(
    join(dir, "org.yaml"),
    [
      "apiVersion: aigate/v1",
      "kind: PolicyPack",
      "name: org",
      "version: 1.0.0",
      "overrides:",
      "  - rule: tool-admin-privilge",
      "    severity: warning",
      "rules:",
      "  - id: x",
      "    severity: fatal",
    ].join("\n"),
  );
  const r = cli(["check", "examples/ops-agent", "--policy", join(dir, "org.yaml")]);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/org\.yaml:9:5: rules\.0 is missing the required key "title"/);
  expect(r.stderr).toMatch(/org\.yaml:10:15: rules\.0\.severity must be one of error, warning, note; got "fatal"/);
});

test("an organisation pack can override severities and disable rules", () => {
  const dir = mkdtempSync(join(tmpdir(), "aigate-pack-"));
  writeFileSync(
    join(dir, "org.yaml"),
    [
      "apiVersion: aigate/v1",
      "kind: PolicyPack",
      "name: org",
      "version: 1.0.0",
      "overrides:",
      "  - { rule: tool-admin-privilege, severity: warning }",
      "  - { rule: secrets-file-committed, enabled: false }",
    ].join("\n"),
  );
  const r = cli(["check", "examples/ops-agent", "--policy", join(dir, "org.yaml"), "--today", "2026-11-27", "--format", "json"]);
  const report = JSON.parse(r.stdout);
  expect(report.findings.find((f: { ruleId: string }) => f.ruleId === "tool-admin-privilege").severity).toBe("warning");
  expect(report.findings.some((f: { ruleId: string }) => f.ruleId === "secrets-file-committed")).toBe(false);
});

test("a folder without a manifest is one finding, and the run still reports", () => {
  const dir = mkdtempSync(join(tmpdir(), "aigate-empty-"));
  mkdirSync(join(dir, "models"));
  writeFileSync(join(dir, "models", "README.md"), "weights live elsewhere\n");
  const r = cli(["check", dir, "--format", "json"]);
  expect(r.status).toBe(1);
  const report = JSON.parse(r.stdout);
  expect(report.findings.filter((f: { ruleId: string }) => f.ruleId === "manifest-missing")).toHaveLength(1);
  expect(report.inventory.files).toBe(1);
});

test("explain prints why each threat applies (for a folder or one manifest file)", () => {
  expect(cli(["explain", "examples/support-assistant/ai-system.yaml"]).stdout).toBe(cli(["explain", "examples/support-assistant"]).stdout);
  const r = cli(["explain", "examples/support-assistant"]);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/RUNTIMEMODELPOISON\s+applies {2}supplier/);
  expect(r.stdout).toMatch(/EVASION\s+ignored/);
});

test("init writes a manifest that check accepts, and refuses to overwrite one", () => {
  const dir = mkdtempSync(join(tmpdir(), "aigate-init-"));
  writeFileSync(join(dir, "app.py"), 'from openai import OpenAI\nclient = OpenAI()\nr = client.chat.completions.create(model="gpt-4o", messages=[])\n');
  expect(cli(["init", dir]).status).toBe(0);
  const manifest = readFileSync(join(dir, "ai-system.yaml"), "utf8");
  expect(manifest).toMatch(/isLLM: true # inferred: app\.py:3/);
  const report = JSON.parse(cli(["check", dir, "--format", "json"]).stdout);
  // Valid as written: no manifest error, only the questions init left (answered, they go away).
  expect(report.findings.filter((f: { ruleId: string }) => f.ruleId.startsWith("manifest-") && f.ruleId !== "manifest-open-question")).toEqual([]);
  expect(report.systems[0].evaluated).toBe(true);
  const again = cli(["init", dir]);
  expect(again.status).toBe(2);
  expect(again.stderr).toMatch(/exists; use --force/);
});
