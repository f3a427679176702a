// The scan cache, the pool of scan threads and `scope: changed`: a repeated run of an unchanged
// repository parses nothing and reports the same bytes; a changed file is rescanned alone; corrupt
// or foreign cache entries are ignored; the pool's size never changes the report; under scope
// changed a file outside the change is taken from the cache or not opened.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { scanInventory } from "../../src/inventory/scan.js";
import { SCANNERS } from "../../src/inventory/scanners/index.js";
import { walkRepository } from "../../src/inventory/walk.js";
import type { Diff } from "../../src/github/diff.js";
import { run } from "../../src/run.js";

const EVIL = Buffer.from("cposix\nsystem\n(S'echo pwned'\ntR.", "latin1");
const BENIGN = Buffer.from([0x80, 0x02, 0x7d, 0x71, 0x00, 0x2e]);
const AI_PY = (i: number) => `import torch\n\nw = torch.load("w${i}.pt")\n`;
const PLAIN_PY = (i: number) => `def f${i}(x):\n    return x + ${i}\n`;

function repo(files: Record<string, string | Buffer>, git = false): string {
  const root = mkdtempSync(join(tmpdir(), "aigate-scan-cache-"));
  for (const [p, data] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), data);
  }
  if (git) {
    const g = (...a: string[]) => execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...a], { cwd: root, stdio: "pipe" });
    g("init", "-q");
    g("add", "-A");
    g("commit", "-qm", "files");
  }
  return root;
}

function corpus(n: number): Record<string, string | Buffer> {
  const files: Record<string, string | Buffer> = {
    "models/evil.pkl": EVIL,
    "models/ok.pkl": BENIGN,
    "models/copy.pkl": EVIL,
    ".env": "OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCDEF\n",
  };
  for (let i = 0; i < n; i++) files[`src/p${Math.floor(i / 50)}/m${i}.py`] = i % 10 === 0 ? AI_PY(i) : PLAIN_PY(i);
  return files;
}

const cacheDir = () => mkdtempSync(join(tmpdir(), "aigate-cache-dir-"));
const scan = async (root: string, opts: Parameters<typeof scanInventory>[4] = {}) =>
  scanInventory(root, (await walkRepository(root)).files, {}, SCANNERS, opts);
const parsed = (s: Awaited<ReturnType<typeof scan>>) => (s.inventory.facts["code"] as { stats: { parsed: number } }).stats.parsed;
const modelBytes = (s: Awaited<ReturnType<typeof scan>>) => (s.inventory.facts["models"] as { models: { bytesRead: number } }).models.bytesRead;
const comparable = (s: Awaited<ReturnType<typeof scan>>) => {
  const { facts, ...rest } = s.inventory;
  // What was read differs between a cold and a warm run; what was found does not.
  const { models: _m, code, ...others } = facts as Record<string, unknown>;
  const { stats: _s, ...codeFacts } = code as Record<string, unknown>;
  return JSON.stringify({ ...rest, facts: { ...others, code: codeFacts } });
};

describe("scan cache", () => {
  test("an unchanged git repository is not parsed again, and a changed file is rescanned alone", async () => {
    const root = repo(corpus(60), true);
    const dir = cacheDir();
    const cold = await scan(root, { cacheDir: dir, threads: 1 });
    expect(parsed(cold)).toBe(6);
    expect(cold.stats.cacheHits).toBe(0);
    const warm = await scan(root, { cacheDir: dir, threads: 1 });
    expect(parsed(warm)).toBe(0);
    expect(modelBytes(warm)).toBe(0); // committed files: their blob ids prove them, nothing is opened
    expect(warm.stats.cacheMisses).toBe(0);
    expect(comparable(warm)).toBe(comparable(cold));

    writeFileSync(join(root, "src/p0/m1.py"), AI_PY(1));
    const edited = await scan(root, { cacheDir: dir, threads: 1 });
    expect(parsed(edited)).toBe(1);
    // The edited file misses in each per-file scanner (models, code); the whole-result scanners rerun.
    expect(edited.stats.cacheMisses).toBeLessThanOrEqual(2 + (SCANNERS.length - 2));
    expect(comparable(edited)).toBe(comparable(await scan(root, { threads: 1 })));
  });

  test("outside git, the ranges a scanner read prove a file unchanged", async () => {
    const root = repo(corpus(20));
    const dir = cacheDir();
    const cold = await scan(root, { cacheDir: dir });
    const warm = await scan(root, { cacheDir: dir });
    expect(parsed(cold)).toBe(2);
    expect(parsed(warm)).toBe(0);
    expect(comparable(warm)).toBe(comparable(cold));
    // Same size, other bytes: the proof fails and the file is scanned again.
    writeFileSync(join(root, "models/evil.pkl"), Buffer.from("cposix\nsystem\n(S'echo pwnex'\ntR.", "latin1"));
    writeFileSync(join(root, "models/copy.pkl"), BENIGN);
    const again = await scan(root, { cacheDir: dir });
    expect(again.inventory.models.find((m) => m.path === "models/copy.pkl")!.verdict).toBe("safe");
    expect(again.inventory.models.find((m) => m.path === "models/evil.pkl")!.verdict).toBe("unsafe");
  });

  test("corrupt and foreign cache files and entries are ignored, never trusted", async () => {
    const root = repo(corpus(20));
    const dir = cacheDir();
    const cold = await scan(root, { cacheDir: dir });
    const files = readdirSync(dir);
    const modelsFile = join(
      dir,
      files.find((f) => f.startsWith("models"))!,
    );
    const codeFile = join(
      dir,
      files.find((f) => f.startsWith("code"))!,
    );
    // A model entry claiming the unsafe pickle is safe, but whose proof is not the file's bytes.
    const cache = JSON.parse(readFileSync(modelsFile, "utf8"));
    const entry = cache.entries["models/evil.pkl"];
    entry.outcome.model.artifact.verdict = "safe";
    entry.outcome.model.result.globals = [];
    entry.proof.digest = "0".repeat(64);
    // A wrong shape: another file's path in the artifact.
    cache.entries["models/copy.pkl"].outcome.model.artifact.path = "elsewhere.pkl";
    writeFileSync(modelsFile, JSON.stringify(cache));
    writeFileSync(codeFile, "{ not json");
    // Another unit's file under this unit's name is foreign.
    writeFileSync(
      join(
        dir,
        files.find((f) => f.startsWith("whole-data"))!,
      ),
      readFileSync(
        join(
          dir,
          files.find((f) => f.startsWith("whole-agents"))!,
        ),
      ),
    );
    const warm = await scan(root, { cacheDir: dir });
    expect(comparable(warm)).toBe(comparable(cold));
    expect(warm.inventory.models.find((m) => m.path === "models/evil.pkl")!.verdict).toBe("unsafe");
    expect(parsed(warm)).toBe(2);
  });

  test("the cache folder must be outside the scanned folder", async () => {
    const root = repo({ "a.py": PLAIN_PY(1) });
    await expect(run({ root, today: "2026-11-27", cacheDir: join(root, ".aigate-cache") })).rejects.toThrow(/inside the scanned folder/);
    await expect(run({ root, today: "2026-11-27", cacheDir: root })).rejects.toThrow(/inside the scanned folder/);
  });
});

describe("scan threads", () => {
  test("the report is the same bytes whatever the number of threads", async () => {
    const root = repo(corpus(400), true);
    const reports: string[] = [];
    for (const threads of [1, 2, 3]) {
      const r = await run({ root, today: "2026-11-27", threads });
      r.generatedAt = "";
      reports.push(JSON.stringify(r));
    }
    expect(reports[1]).toBe(reports[0]);
    expect(reports[2]).toBe(reports[0]);
    expect(JSON.parse(reports[0]!).findings.length).toBeGreaterThan(40);
  });
});

describe("scope: changed", () => {
  const manifest = ["apiVersion: aigate/v1", "name: sys", "owner: {team: t, contact: t@example.com}", "profile: {isGenAI: true}"].join("\n") + "\n";
  const change = (paths: string[]): Diff => ({
    source: "git",
    incomplete: false,
    files: new Map(
      paths.map((path) => [path, { path, status: "modified" as const, added: new Set([1, 2, 3]), commentable: new Set([1, 2, 3]), whole: false }]),
    ),
  });

  test("files outside the change are not opened without a cache, and come from it with one", async () => {
    const root = repo({ ...corpus(30), "svc/ai-system.yaml": manifest, "svc/app.py": AI_PY(99) });
    const diff = change(["src/p0/m10.py"]);
    const only = await scan(root, { scanOnly: (p) => diff.files.has(p) });
    expect(parsed(only)).toBe(1);
    expect(only.inventory.models).toEqual([]);
    expect(only.notes.join(" ")).toMatch(/unchanged files were not scanned/);

    const dir = cacheDir();
    const full = await scan(root, { cacheDir: dir });
    const scoped = await scan(root, { cacheDir: dir, scanOnly: (p) => diff.files.has(p) });
    expect(parsed(scoped)).toBe(0);
    expect(comparable(scoped)).toBe(comparable(full));
    expect(scoped.notes).toEqual([]);
  });

  test("without a cache, an unchanged file shares the outcome of a changed file with its bytes, as a full scan would", async () => {
    const root = repo({ "models/copy.pkl": EVIL, "models/evil.pkl": EVIL, "models/ok.pkl": BENIGN, "src/m.py": AI_PY(1) }, true);
    const models = async (changed: string) => (await scan(root, { scanOnly: (p) => p === changed })).inventory.models.map((m) => m.path);
    // The first of identical files decides: scanned when it is the changed one, its copies with it.
    expect(await models("models/copy.pkl")).toEqual(["models/copy.pkl", "models/evil.pkl"]);
    expect(await models("models/evil.pkl")).toEqual(["models/evil.pkl"]);
    expect(await models("src/m.py")).toEqual([]);
  });

  test("through run(): a changed manifest scans its system's files; findings elsewhere are not listed", async () => {
    const root = repo({ ...corpus(30), "svc/ai-system.yaml": manifest, "svc/app.py": AI_PY(99), "svc/w.pkl": EVIL });
    const paths = async (diff: Diff) => (await run({ root, today: "2026-11-27", scope: "changed", diff })).findings.map((f) => f.path);
    const codeOnly = await paths(change(["src/p0/m10.py"]));
    expect(codeOnly).toContain("src/p0/m10.py");
    expect(codeOnly.some((p) => p.startsWith("svc/") && p !== "svc/ai-system.yaml")).toBe(false);
    expect(codeOnly).not.toContain("models/evil.pkl");
    const manifestChange = await paths(change(["svc/ai-system.yaml"]));
    expect(manifestChange).toEqual(expect.arrayContaining(["svc/app.py", "svc/w.pkl"]));
    expect(manifestChange).not.toContain("src/p0/m10.py");
  });
});
