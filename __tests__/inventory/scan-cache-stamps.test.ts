// The scan cache's fast paths: a file whose stamp (device, inode, size, modification and
// status-change times) is the one recorded is a hit without being read, and a unit whose files all
// have the recorded blob ids or stamps takes its merged result from the summary without reading the
// per-file entries. Neither may hide a change: a file rewritten with the same size and modification
// time is read again (its status-change time moved), a file changed just before the walk gets no
// stamp, a corrupt summary is a miss, and a run that left files unscanned writes no summary.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { RACY_MS } from "../../src/inventory/cache.js";
import { scanInventory } from "../../src/inventory/scan.js";
import { SCANNERS } from "../../src/inventory/scanners/index.js";
import { walkRepository } from "../../src/inventory/walk.js";

const EVIL = Buffer.from("cposix\nsystem\n(S'echo pwned'\ntR.", "latin1");
const BENIGN = Buffer.from([0x80, 0x02, 0x7d, 0x71, 0x00, 0x2e]);

function repo(): string {
  const root = mkdtempSync(join(tmpdir(), "aigate-stamps-"));
  const files: Record<string, string | Buffer> = { "models/evil.pkl": EVIL, "models/ok.pkl": BENIGN };
  for (let i = 0; i < 20; i++) files[`src/m${i}.py`] = i % 5 === 0 ? `import torch\nw = torch.load("w${i}.pt")\n` : `def f${i}(x):\n    return x\n`;
  for (const [p, data] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), data);
  }
  return root;
}

const settle = () => new Promise((r) => setTimeout(r, RACY_MS + 200));
const scan = async (root: string, opts: Parameters<typeof scanInventory>[4] = {}) =>
  scanInventory(root, (await walkRepository(root)).files, {}, SCANNERS, { threads: 1, ...opts });
const parsed = (s: Awaited<ReturnType<typeof scan>>) => (s.inventory.facts["code"] as { stats: { parsed: number } }).stats.parsed;
const comparable = (s: Awaited<ReturnType<typeof scan>>) => {
  const { facts, ...rest } = s.inventory;
  const { models: _m, code, ...others } = facts as Record<string, unknown>;
  const { stats: _s, ...codeFacts } = code as Record<string, unknown>;
  return JSON.stringify({ ...rest, facts: { ...others, code: codeFacts } });
};
const verdict = (s: Awaited<ReturnType<typeof scan>>, path: string) => s.inventory.models.find((m) => m.path === path)?.verdict;

describe("stamps", () => {
  test("files last changed before the walk are proven by their stamps: nothing is read again", async () => {
    const root = repo();
    await settle();
    const dir = mkdtempSync(join(tmpdir(), "aigate-stamps-cache-"));
    const cold = await scan(root, { cacheDir: dir });
    // Per-file entries only (the summary is the next test's): the second run goes through them.
    for (const f of readdirSync(dir)) if (f.endsWith("-summary.json")) rmSync(join(dir, f));
    const warm = await scan(root, { cacheDir: dir });
    expect(warm.stats.cacheMisses).toBe(0);
    expect(warm.stats.cacheVerified).toBe(0);
    expect(parsed(warm)).toBe(0);
    expect(comparable(warm)).toBe(comparable(cold));
  }, 20_000);

  test("a file rewritten with the same size and modification time is read again", async () => {
    const root = repo();
    await settle();
    const dir = mkdtempSync(join(tmpdir(), "aigate-stamps-cache-"));
    await scan(root, { cacheDir: dir });
    const file = join(root, "models/ok.pkl");
    const before = statSync(file);
    // Six bytes like the benign pickle's: a GLOBAL of the os module.
    writeFileSync(file, Buffer.from("cos\ne\n", "latin1"));
    utimesSync(file, before.atime, before.mtime);
    expect(statSync(file).size).toBe(before.size);
    const again = await scan(root, { cacheDir: dir });
    expect(again.stats.cacheMisses).toBeGreaterThan(0);
    expect(verdict(again, "models/ok.pkl")).not.toBe("safe");
    expect(comparable(again)).toBe(comparable(await scan(root)));
  }, 20_000);

  test("a file changed just before the walk gets no stamp: the next run reads it to prove it", async () => {
    const root = repo();
    const dir = mkdtempSync(join(tmpdir(), "aigate-stamps-cache-"));
    await scan(root, { cacheDir: dir }); // the files were written a moment ago
    const models = readdirSync(dir).find((f) => f.startsWith("models") && !f.endsWith("-summary.json"))!;
    const entries = JSON.parse(readFileSync(join(dir, models), "utf8")).entries as Record<string, { stamp?: string }>;
    expect(Object.values(entries).some((e) => e.stamp !== undefined)).toBe(false);
    expect(readdirSync(dir).some((f) => f.endsWith("-summary.json"))).toBe(false);
    const warm = await scan(root, { cacheDir: dir });
    expect(warm.stats.cacheVerified).toBeGreaterThan(0);
    expect(warm.stats.cacheMisses).toBe(0);
  });
});

describe("summaries", () => {
  test("an unchanged tree takes each unit's merged result from its summary, the same bytes", async () => {
    const root = repo();
    await settle();
    const dir = mkdtempSync(join(tmpdir(), "aigate-stamps-cache-"));
    const cold = await scan(root, { cacheDir: dir });
    expect(readdirSync(dir).filter((f) => f.endsWith("-summary.json")).length).toBe(2);
    // Without the per-file entries the summaries alone give the result.
    for (const f of readdirSync(dir)) if (/^(models|code)\d+-[0-9a-f]{16}-[0-9a-f]{16}\.json$/.test(f)) rmSync(join(dir, f));
    const warm = await scan(root, { cacheDir: dir });
    expect(warm.stats.cacheMisses).toBe(0);
    expect(warm.stats.cacheVerified).toBe(0);
    expect(comparable(warm)).toBe(comparable(cold));
    expect(verdict(warm, "models/evil.pkl")).toBe("unsafe");
  }, 20_000);

  test("a summary that does not parse, or says otherwise about its files, is not used", async () => {
    const root = repo();
    await settle();
    const dir = mkdtempSync(join(tmpdir(), "aigate-stamps-cache-"));
    const cold = await scan(root, { cacheDir: dir });
    const models = join(
      dir,
      readdirSync(dir).find((f) => f.startsWith("models") && f.endsWith("-summary.json"))!,
    );
    const code = join(
      dir,
      readdirSync(dir).find((f) => f.startsWith("code") && f.endsWith("-summary.json"))!,
    );
    const s = JSON.parse(readFileSync(models, "utf8"));
    s.key = "0".repeat(64);
    writeFileSync(models, JSON.stringify(s));
    writeFileSync(code, "{ not json");
    const warm = await scan(root, { cacheDir: dir });
    expect(comparable(warm)).toBe(comparable(cold));
    // The right key, but an artifact of the wrong shape (a verdict no scanner gives): not used.
    const t = JSON.parse(readFileSync(models, "utf8"));
    expect(t.key).not.toBe("0".repeat(64)); // the warm run wrote the summary again
    for (const a of t.result.models) a.verdict = "fine";
    writeFileSync(models, JSON.stringify(t));
    const forged = await scan(root, { cacheDir: dir });
    expect(verdict(forged, "models/evil.pkl")).toBe("unsafe");
    // A file edited since: the summary's key no longer holds, the file is scanned again.
    writeFileSync(join(root, "models/ok.pkl"), EVIL);
    const edited = await scan(root, { cacheDir: dir });
    expect(verdict(edited, "models/ok.pkl")).toBe("unsafe");
  }, 20_000);

  test("a run that leaves files unscanned (scope: changed) writes no summary", async () => {
    const root = repo();
    await settle();
    const dir = mkdtempSync(join(tmpdir(), "aigate-stamps-cache-"));
    await scan(root, { cacheDir: dir, scanOnly: (p) => p === "src/m0.py" });
    expect(readdirSync(dir).some((f) => f.endsWith("-summary.json"))).toBe(false);
  }, 20_000);

  test("files another engine wrote are removed when the cache is saved", async () => {
    const root = repo();
    const dir = mkdtempSync(join(tmpdir(), "aigate-stamps-cache-"));
    const stale = [
      "models1-0123456789abcdef-0123456789abcdef.json",
      "code2-0123456789abcdef-0123456789abcdef-summary.json",
      "whole-agents-0123456789abcdef-0123456789abcdef.json",
    ];
    for (const f of stale) writeFileSync(join(dir, f), "{}");
    writeFileSync(join(dir, "notes.txt"), "kept");
    await scan(root, { cacheDir: dir });
    const left = readdirSync(dir);
    for (const f of stale) expect(left).not.toContain(f);
    expect(left).toContain("notes.txt");
  });
});
