// Writes every generated file: the JSON Schemas in schemas/, and in src/generated/ the standalone
// validators and the built-in pack snapshot. Run `npm run generate` after changing the taxonomy,
// a schema, a check kind's parameters or a built-in rule.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { generatedBuiltinPack, generatedSchemas, generatedValidators, serialiseSchema } from "../src/schemas.js";
import { DATA_DIGESTS, generatedDataDigests, generatedYamlSnapshot, YAML_SNAPSHOT } from "../src/util/data.js";
import { packageRoot } from "../src/util/package-root.js";

for (const [name, schema] of Object.entries(generatedSchemas())) {
  writeFileSync(join(packageRoot(), "schemas", name), serialiseSchema(schema));
  console.log(`wrote schemas/${name}`);
}
writeFileSync(join(packageRoot(), "src", "generated", "validators.js"), generatedValidators());
console.log("wrote src/generated/validators.js");
writeFileSync(join(packageRoot(), "src", "generated", "builtin-pack.json"), await generatedBuiltinPack());
console.log("wrote src/generated/builtin-pack.json");
writeFileSync(join(packageRoot(), YAML_SNAPSHOT), generatedYamlSnapshot());
console.log(`wrote ${YAML_SNAPSHOT}`);
writeFileSync(join(packageRoot(), DATA_DIGESTS), generatedDataDigests());
console.log(`wrote ${DATA_DIGESTS}`);
