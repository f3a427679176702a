// Globs written in a manifest or a pack are bounded before use: a brace bomb is a located problem,
// never minutes of matching, and never silently ignored.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadTaxonomy } from "../../src/exchange/taxonomy.js";
import { parseManifest } from "../../src/manifest/load.js";
import { loadPacks, PackError } from "../../src/policy/load.js";
import { run } from "../../src/run.js";

const BOMB = "{a,b}".repeat(20) + "/**";
const MANIFEST = (extra: string) => `apiVersion: aigate/v1
name: bomb
owner: { team: t, contact: t@example.com }
profile: { isGenAI: false }
${extra}`;

test("brace-bomb globs in ignore, datasets, acceptances and evidence are located manifest errors", () => {
  const text = MANIFEST(`ignore: ["${BOMB}"]
datasets:
  - { name: d, use: [training], paths: ["${BOMB}"] }
controls:
  DEVSECURITY: { status: implemented, evidence: ["${BOMB}"] }
`);
  const r = parseManifest("ai-system.yaml", text, loadTaxonomy());
  const globs = r.diagnostics.filter((d) => /expands to|brace/i.test(d.message));
  expect(globs.map((d) => d.location.line)).toEqual([5, 7, 9]);
  expect(r.system).toBeUndefined();
});

test("a 300-byte manifest of brace globs finishes at once and fails the gate as not evaluated", async () => {
  const dir = mkdtempSync(join(tmpdir(), "aigate-bomb-"));
  writeFileSync(join(dir, "ai-system.yaml"), MANIFEST(`ignore: ["${BOMB}", "${BOMB}"]\n`));
  for (let i = 0; i < 40; i++) writeFileSync(join(dir, `f${i}.txt`), "x");
  const report = await run({ root: dir, today: "2026-11-27" });
  expect(report.summary.passed).toBe(false);
  expect(report.systems[0]!.evaluated).toBe(false);
});

test("a pack's rule or override paths with a brace bomb is a pack error at its line", async () => {
  const dir = mkdtempSync(join(tmpdir(), "aigate-bomb-pack-"));
  const file = join(dir, "pack.yaml");
  writeFileSync(
    file,
    `apiVersion: aigate/v1\nkind: PolicyPack\nname: p\nversion: 1.0.0\noverrides:\n  - rule: secrets-file-committed\n    paths: ["${BOMB}"]\n`,
  );
  const err = await loadPacks(loadTaxonomy(), [file], { cwd: dir }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PackError);
  expect((err as PackError).problems[0]).toMatchObject({ line: 7 });
});
