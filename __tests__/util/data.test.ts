// The package's data files against their schemas (schemas/data/): every registered file matches its
// schema as the schema file says now (strict compile, every error), the generated validators agree,
// every data file under policies/ and src/exchange/data/ is registered, and a value that breaks its
// schema is reported.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";
import { DATA_FILES, dataProblems, loadData, type DataFile } from "../../src/util/data.js";
import { packageRoot } from "../../src/util/package-root.js";

const root = packageRoot();
const names = Object.keys(DATA_FILES) as DataFile[];
const read = (name: string): unknown => {
  const text = readFileSync(join(root, name), "utf8");
  return /\.ya?ml$/.test(name) ? parse(text) : JSON.parse(text);
};
function files(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((n) => (statSync(join(root, dir, n)).isDirectory() ? files(`${dir}/${n}`) : [`${dir}/${n}`]));
}

test.each(names)("%s matches its schema", (name) => {
  expect(dataProblems(name, read(name))).toBe("");
});

test("loadData reads a file once", () => {
  expect(loadData("policies/code/patterns.json")).toBe(loadData("policies/code/patterns.json"));
});

test("every data file is registered, and every schema in schemas/data/ is used", () => {
  const data = [...files("policies"), ...files("src/exchange/data")].filter((f) => /\.(json|ya?ml)$/.test(f) && !f.startsWith("policies/builtin/"));
  expect(data.filter((f) => !(f in DATA_FILES))).toEqual([]);
  const schemas = files("schemas/data").map((f) => relative(root, join(root, f)));
  expect(schemas.filter((s) => !Object.values(DATA_FILES).includes(s as never))).toEqual([]);
});

test("a value that breaks its schema is reported at its place", () => {
  const doc = read("policies/diagnostics.yaml") as { diagnostics: Record<string, unknown>[] };
  doc.diagnostics[1]!.severity = "fatal";
  expect(dataProblems("policies/diagnostics.yaml", doc)).toContain("/diagnostics/1/severity must be equal to one of the allowed values");
  const patterns = read("policies/code/patterns.json") as Record<string, unknown>;
  patterns.extra = true;
  expect(dataProblems("policies/code/patterns.json", patterns)).toBe("/ must NOT have additional properties (extra)");
});
