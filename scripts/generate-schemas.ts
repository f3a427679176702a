// Writes the generated JSON Schemas to schemas/. Run with `npm run schemas` after changing the
// taxonomy, the manifest schema or a check kind's parameters.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { generatedSchemas, generatedValidators, serialiseSchema } from "../src/schemas.js";
import { packageRoot } from "../src/util/package-root.js";

for (const [name, schema] of Object.entries(generatedSchemas())) {
  writeFileSync(join(packageRoot(), "schemas", name), serialiseSchema(schema));
  console.log(`wrote schemas/${name}`);
}
writeFileSync(join(packageRoot(), "src", "generated", "validators.js"), generatedValidators());
console.log("wrote src/generated/validators.js");
