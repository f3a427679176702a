// The policy-pack loader (loadPacks) on an in-memory pack that may extend others: YAML, schema,
// check-kind parameters, duplicate rules, overrides. A broken pack is a PackError whose problems
// are located inside the pack's text; any other exception is a bug.
import { loadTaxonomy } from "../../src/exchange/taxonomy.js";
import { loadPacks, PackError } from "../../src/policy/load.js";
import { assertInside, invariant, type TargetMeta } from "../lib/harness.js";

export const meta: TargetMeta = {
  description: "policy-pack loader (loadPacks)",
  dict: "yaml",
  seedGlobs: ["policies/**/*.yaml", "__tests__/**/fixtures/**/*pack*.yaml"],
  // A `manifest` check's schema fragment is the pack's own JSON Schema, compiled by Ajv into a
  // Function whose source quotes the fragment's strings (enum values, property names): the detector
  // reports its sentinel there although it is a string literal, never code.
  // __tests__/policy/checks/fragment-strings.test.ts shows hostile strings stay data.
  disableBugDetectors: ["remote-code-execution"],
};

const taxonomy = loadTaxonomy();
const ROOT = "/fuzz-packs";
/** What an `extends` of the fuzzed pack finds: one small valid pack, else nothing. */
const BASE = `name: base\nversion: "1"\nrules:\n  - id: base-rule\n    control: DATAMINIMIZE\n    severity: warning\n    message: base\n    check: {kind: files, absent: ["*.pem"]}\n`;

export async function fuzz(data: Buffer): Promise<void> {
  const text = data.toString("utf8");
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    await loadPacks(taxonomy, ["pack.yaml"], {
      builtin: false,
      cwd: ROOT,
      read: async (file) => (file === `${ROOT}/pack.yaml` ? text : file === `${ROOT}/base.yaml` ? BASE : null),
    });
  } catch (e) {
    if (!(e instanceof PackError)) throw e;
    invariant(e.problems.length > 0, "a PackError without problems");
    for (const p of e.problems) {
      if (p.file !== "pack.yaml") continue;
      assertInside(body, p, `pack problem (${p.message.slice(0, 80)})`);
    }
  }
}
