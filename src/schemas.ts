// The JSON Schemas aigate publishes in schemas/: generated from the taxonomy and the check-kind
// registry (`npm run schemas`), checked by a test to be current.
import { loadTaxonomy } from "./exchange/taxonomy.js";
import { buildManifestSchema } from "./manifest/schema.js";
import { CHECK_KINDS } from "./policy/checks/index.js";
import { builtinSnapshot } from "./policy/load.js";
import { buildPackSchema } from "./policy/schema.js";
import { standaloneValidators } from "./util/standalone.js";

export function generatedSchemas(): Record<string, Record<string, unknown>> {
  const t = loadTaxonomy();
  return {
    "ai-system.schema.json": buildManifestSchema(t),
    "policy-pack.schema.json": buildPackSchema(t, CHECK_KINDS),
  };
}

/** The standalone validators module (src/generated/validators.js) for the generated schemas. */
export function generatedValidators(): string {
  const s = generatedSchemas();
  return standaloneValidators({ manifest: s["ai-system.schema.json"]!, pack: s["policy-pack.schema.json"]! });
}

/** The built-in pack snapshot (src/generated/builtin-pack.json). */
export async function generatedBuiltinPack(): Promise<string> {
  return JSON.stringify(await builtinSnapshot(loadTaxonomy()), null, 1) + "\n";
}

export const serialiseSchema = (s: Record<string, unknown>) => JSON.stringify(s, null, 2) + "\n";
