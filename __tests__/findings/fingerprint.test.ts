// The same problem twice in a file gets two fingerprints; the first keeps the plain one, and edits
// elsewhere in the file keep both.
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { analyse } from "../../src/exchange/analysis.js";
import { loadTaxonomy } from "../../src/exchange/taxonomy.js";
import { disambiguate, fingerprint, occurrenceFingerprint } from "../../src/findings/fingerprint.js";
import type { Finding } from "../../src/findings/types.js";
import { aFinding } from "../helpers/findings.js";
import { scanContext } from "../../src/inventory/context.js";
import { SCANNERS } from "../../src/inventory/scanners/index.js";
import type { Inventory } from "../../src/inventory/types.js";
import { walkRepository } from "../../src/inventory/walk.js";
import { loadManifest } from "../../src/manifest/load.js";
import { evaluate } from "../../src/policy/engine.js";
import { loadPacks } from "../../src/policy/load.js";

/** Scans `files` and evaluates the built-in pack on their one system (no acceptances, no gate). */
async function evaluateRepo(files: Record<string, string>): Promise<Finding[]> {
  const root = mkdtempSync(join(tmpdir(), "aigate-fp-"));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  const taxonomy = loadTaxonomy();
  const pack = await loadPacks(taxonomy, []);
  const walk = await walkRepository(root);
  const inventory: Inventory = { root, files: walk.files, observations: [], unscanned: [], models: [], facts: {} };
  const ctx = scanContext(root, walk.files, pack.settings);
  for (const s of SCANNERS) {
    const r = await s.scan(ctx);
    inventory.observations.push(...r.observations);
    inventory.models.push(...(r.models ?? []));
    if (r.facts) inventory.facts[s.meta.id] = r.facts;
  }
  const system = (await loadManifest(root, "ai-system.yaml", taxonomy)).system!;
  const analysis = analyse(taxonomy, system.manifest.profile);
  return evaluate([{ system, analysis, governedFiles: walk.files.map((f) => f.path) }], pack, {
    taxonomy,
    inventory,
    today: "2026-11-27",
    folders: walk.folders,
  }).findings;
}

const manifest = "apiVersion: aigate/v1\nname: s\nowner: {team: t, contact: t@example.com}\nprofile: {isGenAI: false, trainsOrFinetunes: true}\n";
const loads = (fs: Finding[]) =>
  fs.filter((f) => f.ruleId === "code-unsafe-model-load").map((f) => ({ line: f.line, fingerprint: f.fingerprint, occurrence: f.occurrence }));

function finding(over: Partial<Finding>): Finding {
  return aFinding({ fingerprint: fingerprint({ ruleId: "r", system: "s", path: "a.py", key: "k" }), system: "s", ...over });
}

describe("disambiguate", () => {
  it("keeps the first twin's fingerprint and gives the n-th sha256(fingerprint + NUL + n), cut to the same length", () => {
    const base = fingerprint({ ruleId: "r", system: "s", path: "a.py", key: "k" });
    const other = finding({ fingerprint: fingerprint({ ruleId: "r", system: "s", path: "a.py", key: "other" }), line: 1 });
    // Found out of order: ordering is by line, then column.
    const third = finding({ line: 9, column: 1 });
    const first = finding({ line: 3, column: 5 });
    const second = finding({ line: 3, column: 9 });
    const all = [third, other, first, second];
    disambiguate(all);
    const expected1 = createHash("sha256").update(`${base}\u00001`).digest("hex").slice(0, 32);
    expect(first).toMatchObject({ fingerprint: base, occurrence: 0 });
    expect(second).toMatchObject({ fingerprint: expected1, occurrence: 1 });
    expect(third).toMatchObject({ fingerprint: occurrenceFingerprint(base, 2), occurrence: 2 });
    expect(other.occurrence).toBeUndefined();
    expect(new Set(all.map((f) => f.fingerprint)).size).toBe(4);
    // A second call changes nothing.
    const before = all.map((f) => f.fingerprint);
    disambiguate(all);
    expect(all.map((f) => f.fingerprint)).toEqual(before);
  });

  it("two pickle.load(f) in one file get two fingerprints, which unrelated lines inserted above do not change", async () => {
    const code = [
      "import pickle",
      "",
      "with open('a.pkl', 'rb') as f:",
      "    a = pickle.load(f)",
      "with open('b.pkl', 'rb') as f:",
      "    b = pickle.load(f)",
      "",
    ];
    const found = await evaluateRepo({ "ai-system.yaml": manifest, "train.py": code.join("\n") });
    const raw = loads(found);
    expect(raw.map((x) => x.line)).toEqual([4, 6]);
    expect(raw[0]!.fingerprint).toBe(raw[1]!.fingerprint); // what the key alone gives
    disambiguate(found);
    const first = loads(found);
    expect(first[0]).toEqual({ line: 4, fingerprint: raw[0]!.fingerprint, occurrence: 0 }); // baselines written before stay valid
    expect(first[1]!.fingerprint).not.toBe(first[0]!.fingerprint);
    expect(first[1]!.occurrence).toBe(1);

    const edited = ["# a header comment", "import os", ...code.slice(0, 4), "print('unrelated')", "", ...code.slice(4)];
    const again = await evaluateRepo({ "ai-system.yaml": manifest, "train.py": edited.join("\n") });
    disambiguate(again);
    const second = loads(again);
    expect(second.map((x) => x.line)).toEqual([6, 10]);
    expect(second.map((x) => x.fingerprint)).toEqual(first.map((x) => x.fingerprint));
  });
});
