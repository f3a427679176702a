// Generated files (schemas, reference docs) must match what their generators make now.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { generatedDocs } from "../src/docs.js";
import { readmeWithTables } from "../src/readme-tables.js";
import { generatedBuiltinPack, generatedSchemas, generatedValidators, serialiseSchema } from "../src/schemas.js";
import { DATA_DIGESTS, DATA_FILES, generatedDataDigests, generatedYamlSnapshot, isValidatedText, YAML_SNAPSHOT, type DataFile } from "../src/util/data.js";
import { packageRoot } from "../src/util/package-root.js";
import { VERSION } from "../src/version.js";

test.each(Object.entries(generatedSchemas()))("schemas/%s is current (npm run generate)", (name, schema) => {
  expect(readFileSync(join(packageRoot(), "schemas", name), "utf8")).toBe(serialiseSchema(schema));
});

test("src/generated/validators.js is current (npm run generate)", () => {
  expect(readFileSync(join(packageRoot(), "src", "generated", "validators.js"), "utf8")).toBe(generatedValidators());
});

test("src/generated/builtin-pack.json is current (npm run generate)", async () => {
  expect(readFileSync(join(packageRoot(), "src", "generated", "builtin-pack.json"), "utf8")).toBe(await generatedBuiltinPack());
});

test(`${YAML_SNAPSHOT} is current (npm run generate)`, () => {
  expect(readFileSync(join(packageRoot(), YAML_SNAPSHOT), "utf8")).toBe(generatedYamlSnapshot());
});

test(`${DATA_DIGESTS} is current (npm run generate), and only a file's validated text skips validation`, () => {
  expect(readFileSync(join(packageRoot(), DATA_DIGESTS), "utf8")).toBe(generatedDataDigests());
  const names = Object.keys(DATA_FILES) as DataFile[];
  expect(Object.keys(JSON.parse(readFileSync(join(packageRoot(), DATA_DIGESTS), "utf8")) as object).sort()).toEqual([...names].sort());
  for (const name of names) {
    const text = readFileSync(join(packageRoot(), name), "utf8");
    expect([name, isValidatedText(name, text)]).toEqual([name, true]);
    expect([name, isValidatedText(name, text + " ")]).toEqual([name, false]);
  }
});

test("docs/rules.md and docs/controls.md are current (npm run docs)", async () => {
  for (const [path, text] of Object.entries(await generatedDocs())) expect([path, readFileSync(join(packageRoot(), path), "utf8")]).toEqual([path, text]);
});

test("README.md's tables of check kinds, model formats and reporters are current (npm run docs)", () => {
  const readme = readFileSync(join(packageRoot(), "README.md"), "utf8");
  expect(readme).toBe(readmeWithTables(readme));
});

test("the version in package.json is the one aigate reports", () => {
  expect(JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")).version).toBe(VERSION);
});
