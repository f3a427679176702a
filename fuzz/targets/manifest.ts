// The manifest loader (parseManifest): safe YAML with positions, schema validation, semantic
// checks. Every problem is a diagnostic; each must be located inside the text (the line exists,
// the column is at most one past its end), and nothing may throw.
import { loadTaxonomy } from "../../src/exchange/taxonomy.js";
import { parseManifest } from "../../src/manifest/load.js";
import { assertInside, invariant, type TargetMeta } from "../lib/harness.js";

export const meta: TargetMeta = {
  description: "manifest loader (parseManifest)",
  dict: "yaml",
  seedGlobs: ["examples/**/ai-system.yaml", "__tests__/**/fixtures/**/ai-system.yaml"],
  sync: true,
  // The loader checks manifest paths with path.normalize (pure string work, no file access); the
  // detector reports any normalize() of its "../" sentinel as traversal.
  disableBugDetectors: ["path-traversal"],
};

const taxonomy = loadTaxonomy();

export function fuzz(data: Buffer): void {
  const raw = data.toString("utf8");
  const out = parseManifest("ai-system.yaml", raw, taxonomy);
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  for (const d of out.diagnostics) {
    invariant(d.location.path === "ai-system.yaml", `diagnostic ${d.id} located in ${d.location.path}`);
    assertInside(text, d.location, `diagnostic ${d.id} (${d.message.slice(0, 80)})`);
  }
  if (out.system) invariant(!out.diagnostics.some((d) => d.id !== "manifest-old-id"), "a system came with errors");
}
