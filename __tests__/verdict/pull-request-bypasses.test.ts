// A pull request cannot switch its own gate off. Each case is a pull request built as git commits
// in a temporary repository: a base commit whose gate fails, then a change that tries to turn it
// green through the gate's own configuration. The CLI runs in-process with `--base main`.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliInProcess } from "../helpers/cli.js";
import type { Finding } from "../../src/findings/types.js";
import type { Report } from "../../src/report/types.js";

const cli = cliInProcess;

const MANIFEST = `apiVersion: aigate/v1
name: triage
owner: { team: ml, contact: ml@example.com }
profile:
  isGenAI: false
  isLLM: false
  trainsOrFinetunes: true
  usesRAG: false
  trainingDataSensitive: false
  membershipSensitive: false
  inputSensitive: false
  modelIsIP: false
  modelHostedExternally: false
  untrustedInput: false
  hasAgency: false
`;

const APP = `import pickle


def load(path):
    with open(path, "rb") as f:
        return pickle.load(f)
`;

/** A protocol-0 pickle that calls os.system when loaded. */
const EVIL_PICKLE = Buffer.from("cposix\nsystem\n(S'echo pwned'\ntR.", "latin1");

interface Repo {
  dir: string;
  git: (...args: string[]) => string;
  write: (path: string, text: string | Buffer) => void;
  commit: (message: string) => void;
}

function repo(files: Record<string, string | Buffer>): Repo {
  const dir = mkdtempSync(join(tmpdir(), "aigate-pr-"));
  const git = (...a: string[]) =>
    execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "init.defaultBranch=main", ...a], { cwd: dir, stdio: "pipe" }).toString();
  const write = (path: string, text: string | Buffer) => {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  for (const [p, t] of Object.entries(files)) write(p, t);
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "base");
  git("checkout", "-qb", "feature");
  return { dir, git, write, commit: (m) => (git("add", "-A"), void git("commit", "-qm", m)) };
}

async function check(dir: string, ...extra: string[]): Promise<{ code: number; report: Report }> {
  const r = await cli(["check", dir, "--format", "json", "--today", "2026-11-27", ...extra]);
  if (r.code === 2) throw new Error(r.err);
  return { code: r.code, report: JSON.parse(r.out) as Report };
}

const open = (r: Report, rule?: string | RegExp) =>
  r.findings.filter((f: Finding) => f.status === "open" && (rule === undefined || (typeof rule === "string" ? f.ruleId === rule : rule.test(f.ruleId))));

function pickleRule(r: Report): Finding {
  const f = r.findings.find((x) => x.path === "app.py" && x.severity === "error");
  if (!f) throw new Error(`no error finding on app.py: ${r.findings.map((x) => `${x.ruleId}@${x.path}:${x.line}`).join(", ")}`);
  return f;
}

describe("exceptions a pull request adds are pending, never counted", () => {
  test("a risk acceptance added by the change accepts nothing and is listed as pending", async () => {
    const r = repo({ "ai-system.yaml": MANIFEST, "app.py": APP });
    const before = await check(r.dir, "--base", "main");
    const target = pickleRule(before.report);
    expect(before.code).toBe(1);

    r.write(
      "ai-system.yaml",
      MANIFEST +
        `riskAcceptances:\n  - id: RA-1\n    rule: ${target.ruleId}\n    justification: these files are produced by our own pipeline\n    approver: me@example.com\n    expires: 2027-01-01\n`,
    );
    r.commit("accept it");
    // Without a base the checkout is trusted (as on main after review): the acceptance counts.
    const trusting = await check(r.dir);
    expect(trusting.report.findings.find((f) => f.fingerprint === target.fingerprint)!.status).toBe("accepted");
    // With the base, it is pending: the finding stays open and the gate fails.
    const gated = await check(r.dir, "--base", "main");
    expect(gated.code).toBe(1);
    const f = gated.report.findings.find((x) => x.fingerprint === target.fingerprint)!;
    expect(f.status).toBe("open");
    expect(f.pendingException).toMatch(/RA-1/);
    expect(gated.report.pending).toEqual([expect.objectContaining({ kind: "risk-acceptance", system: "triage", covers: [target.fingerprint] })]);
    expect(gated.report.notes!.join("\n")).toMatch(/adds 1 risk acceptance.*apply after review/);
  });

  test("an inline suppression added by the change suppresses nothing", async () => {
    const r = repo({ "ai-system.yaml": MANIFEST, "app.py": APP });
    const target = pickleRule((await check(r.dir, "--base", "main")).report);
    r.write("app.py", APP.replace("return pickle.load(f)", `return pickle.load(f)  # aigate: ignore[${target.ruleId}] we trust these files`));
    r.commit("suppress it");
    expect((await check(r.dir)).report.findings.find((f) => f.path === "app.py" && f.ruleId === target.ruleId)!.status).toBe("suppressed");
    const gated = await check(r.dir, "--base", "main");
    expect(gated.code).toBe(1);
    expect(gated.report.findings.find((f) => f.path === "app.py" && f.ruleId === target.ruleId)!.status).toBe("open");
    expect(gated.report.pending!.map((p) => p.kind)).toEqual(["suppression"]);
  });

  test("a suppression that is already on the base counts; copying it onto a new line does not", async () => {
    const suppressed = APP.replace("return pickle.load(f)", "return pickle.load(f)  # aigate: ignore[code-unsafe-model-load] reviewed in SEC-1");
    const r = repo({ "ai-system.yaml": MANIFEST, "app.py": suppressed });
    const same = await check(r.dir, "--base", "main");
    expect(same.report.findings.find((f) => f.path === "app.py" && f.ruleId === "code-unsafe-model-load")!.status).toBe("suppressed");
    r.write("app.py", suppressed + "\n\ndef again(f):\n    return pickle.load(f)  # aigate: ignore[code-unsafe-model-load] reviewed in SEC-1\n");
    r.commit("copy it");
    const copied = await check(r.dir, "--base", "main");
    const statuses = copied.report.findings
      .filter((f) => f.path === "app.py" && f.ruleId === "code-unsafe-model-load")
      .map((f) => f.status)
      .sort();
    expect(statuses).toEqual(["open", "suppressed"]);
    expect(copied.code).toBe(1);
  });

  test("a regenerated baseline in the change baselines nothing", async () => {
    const r = repo({ "ai-system.yaml": MANIFEST, "app.py": "x = 1\n", ".github/aigate-baseline.json": "" });
    // The base has a baseline without the pickle finding.
    expect((await cli(["baseline", r.dir, "--output", join(r.dir, ".github/aigate-baseline.json"), "--today", "2026-11-27"])).code).toBe(0);
    r.git("checkout", "-q", "main");
    r.commit("baseline");
    r.git("checkout", "-q", "feature");
    r.git("merge", "-q", "main");
    r.write("app.py", APP);
    expect((await cli(["baseline", r.dir, "--output", join(r.dir, ".github/aigate-baseline.json"), "--today", "2026-11-27"])).code).toBe(0);
    r.commit("add pickle and rebaseline");
    const baseline = join(r.dir, ".github/aigate-baseline.json");
    expect((await check(r.dir, "--baseline", baseline)).code).toBe(0);
    const gated = await check(r.dir, "--baseline", baseline, "--base", "main");
    expect(gated.code).toBe(1);
    expect(pickleRule(gated.report).status).toBe("open");
    expect(gated.report.pending!.find((p) => p.kind === "baseline")!.covers.length).toBeGreaterThan(0);
  });

  test("what the baseline says was fixed comes from the base: added entries are not 'fixed', reworded ones keep the base's words", async () => {
    const r = repo({ "ai-system.yaml": MANIFEST, "app.py": APP, ".github/aigate-baseline.json": "" });
    const file = join(r.dir, ".github/aigate-baseline.json");
    expect((await cli(["baseline", r.dir, "--output", file, "--today", "2026-11-27"])).code).toBe(0);
    r.git("checkout", "-q", "main");
    r.commit("baseline");
    r.git("checkout", "-q", "feature");
    r.git("merge", "-q", "main");
    // The change fixes the unsafe load, rewords the base's entries and adds an entry of its own.
    r.write("app.py", "x = 1\n");
    const b = JSON.parse(readFileSync(file, "utf8")) as {
      findings: { fingerprint: string; message: string; ruleId: string; path: string; system: string | null }[];
    };
    const atBase = new Map(b.findings.map((e) => [e.fingerprint, e.message]));
    for (const e of b.findings) e.message = "[all clear](https://attacker.example)";
    b.findings.push({ fingerprint: "ab".repeat(16), ruleId: "code-unsafe-model-load", path: "app.py", system: "triage", message: "forged fix" });
    r.write(".github/aigate-baseline.json", JSON.stringify(b));
    r.commit("fix, reword and add");
    const gated = await check(r.dir, "--baseline", file, "--base", "main");
    const fixed = gated.report.baseline!.fixed;
    expect(fixed.length).toBeGreaterThan(0);
    expect(fixed.map((e) => e.fingerprint)).not.toContain("ab".repeat(16));
    for (const e of fixed) expect(e.message).toBe(atBase.get(e.fingerprint));
    expect(gated.report.baseline!.pending).toBe(1);
    // Without a base the file is trusted as it is.
    const plain = await check(r.dir, "--baseline", file);
    expect(plain.report.baseline!.fixed.map((e) => e.fingerprint)).toContain("ab".repeat(16));
  });

  test("an override in an in-repository pack edited by the change is ignored; a pack the change adds is not loaded", async () => {
    const pack = (extra: string) => `apiVersion: aigate/v1\nkind: PolicyPack\nname: acme\nversion: 1.0.0\n${extra}`;
    const r = repo({ "ai-system.yaml": MANIFEST, "app.py": APP, "policy/acme.yaml": pack("") });
    const target = pickleRule((await check(r.dir, "--base", "main", "--policy", join(r.dir, "policy/acme.yaml"))).report);
    r.write("policy/acme.yaml", pack(`overrides:\n  - { rule: ${target.ruleId}, enabled: false }\n`));
    r.write("policy/new.yaml", pack(`overrides:\n  - { rule: ${target.ruleId}, severity: note }\n`));
    r.commit("switch the rule off");
    expect((await check(r.dir, "--policy", join(r.dir, "policy/acme.yaml"))).code).toBe(0);
    const gated = await check(r.dir, "--base", "main", "--policy", join(r.dir, "policy/acme.yaml"), "--policy", join(r.dir, "policy/new.yaml"));
    expect(gated.code).toBe(1);
    expect(open(gated.report, target.ruleId).length).toBe(1);
    expect(gated.report.pending!.map((p) => p.description).join("\n")).toMatch(/edits to policy pack policy\/acme.yaml[\s\S]*new policy pack policy\/new.yaml/);
  });

  test("an ignore glob the change adds excludes nothing", async () => {
    const r = repo({ "ai-system.yaml": MANIFEST, "app.py": APP });
    const target = pickleRule((await check(r.dir, "--base", "main")).report);
    r.write("ai-system.yaml", MANIFEST + `ignore: ["*.py"]\n`);
    r.commit("ignore python");
    const gated = await check(r.dir, "--base", "main");
    expect(gated.report.findings.find((f) => f.fingerprint === target.fingerprint)?.status).toBe("open");
    expect(gated.report.pending!.find((p) => p.kind === "ignore")!.covers).toContain(target.fingerprint);
  });
});

describe("the repository cannot hide files or run code", () => {
  test("a .gitignore line over a committed unsafe pickle and .env hides neither", async () => {
    const r = repo({ "ai-system.yaml": MANIFEST, "model.pkl": EVIL_PICKLE, ".env": "OPENAI_API_KEY=not-a-real-key\n" });
    const before = await check(r.dir);
    const paths = (rep: Report) => new Set(open(rep).map((f) => f.path));
    expect(paths(before.report)).toEqual(expect.objectContaining({}));
    expect(paths(before.report).has("model.pkl")).toBe(true);
    expect(paths(before.report).has(".env")).toBe(true);
    r.write(".gitignore", "*.pkl\n.env\n");
    r.commit("ignore them");
    const after = await check(r.dir, "--base", "main");
    expect(paths(after.report).has("model.pkl")).toBe(true);
    expect(paths(after.report).has(".env")).toBe(true);
    expect(after.code).toBe(1);
  });

  test("a sub-folder that looks like a bare repository runs nothing and hides no change", async () => {
    const marker = join(tmpdir(), `aigate-pwned-${process.pid}-${Date.now()}`);
    const r = repo({ "sub/ai-system.yaml": MANIFEST, "sub/readme.txt": "x\n" });
    r.write("sub/app.py", APP);
    r.write("sub/HEAD", "ref: refs/heads/main\n");
    r.write("sub/config", `[core]\n\tbare = true\n\trepositoryformatversion = 0\n\tfsmonitor = "touch ${marker}; echo"\n`);
    r.write("sub/refs/heads/.keep", "");
    r.write("sub/objects/.keep", "");
    r.commit("plant a repository");
    const res = await check(join(r.dir, "sub"), "--scope", "changed", "--base", "main");
    expect(existsSync(marker)).toBe(false);
    expect(res.code).toBe(1);
    expect(open(res.report).some((f) => f.path === "app.py")).toBe(true);
  });

  test("--output through a committed symbolic link is refused", async () => {
    const r = repo({ "ai-system.yaml": MANIFEST });
    const victim = join(tmpdir(), `aigate-victim-${process.pid}-${Date.now()}`);
    writeFileSync(victim, "keep me");
    symlinkSync(victim, join(r.dir, "report.json"));
    const res = await cli(["check", r.dir, "--format", "json", "--output", join(r.dir, "report.json")]).catch((e: Error) => ({
      code: 2,
      out: "",
      err: e.message,
    }));
    expect(res.code).toBe(2);
    expect(readFileSync(victim, "utf8")).toBe("keep me");
  });
});

describe("manifest errors never pass", () => {
  test("baselined, out of scope or with fail-on never: still not evaluated, and only fail-on never exits 0", async () => {
    const broken = MANIFEST.replace("isGenAI: false", "isGenAI: nope");
    const r = repo({ "ai-system.yaml": broken, "app.py": "x = 1\n" });
    const baseline = join(r.dir, "b.json");
    expect((await cli(["baseline", r.dir, "--output", baseline])).code).toBe(0);
    r.commit("baseline");
    r.write("other.txt", "y\n");
    r.commit("unrelated change");
    const res = await check(r.dir, "--baseline", baseline, "--scope", "changed", "--base", "main");
    expect(res.code).toBe(1);
    expect(res.report.systems[0]!.evaluated).toBe(false);
    expect(res.report.systems[0]!.summary.verdict).toBe("not-evaluated");
    expect(open(res.report, /^manifest-/).length).toBeGreaterThan(0);
    const never = await check(r.dir, "--fail-on", "never");
    expect(never.code).toBe(0);
    expect(never.report.systems[0]!.summary.verdict).toBe("not-evaluated");
  });
});

describe("evidence must show something", () => {
  test('evidence: ["**"] does not back a claim', async () => {
    const files: Record<string, string> = { "ai-system.yaml": MANIFEST + "controls:\n  DEVSECURITY: { status: implemented, evidence: ['**'] }\n" };
    for (let i = 0; i < 30; i++) files[`src/m${i}.py`] = "x = 1\n";
    const r = repo(files);
    const res = await check(r.dir);
    expect(open(res.report, "claimed-control-evidence-missing").map((f) => f.message)).toEqual([expect.stringMatching(/too many to be evidence/)]);
  });
});
