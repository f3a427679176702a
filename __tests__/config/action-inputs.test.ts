// action.yml and the README agree: every input and output of the Action is described in action.yml
// and has a row in one of the README's tables (the configuration file's inputs included).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ACTION_DEFAULTS } from "../../src/config/action.js";
import { packageRoot } from "../../src/util/package-root.js";

const action = parse(readFileSync(join(packageRoot(), "action.yml"), "utf8")) as {
  inputs: Record<string, { description?: string; default?: string }>;
  outputs: Record<string, { description?: string }>;
};
const rows = readFileSync(join(packageRoot(), "README.md"), "utf8")
  .split("\n")
  .filter((l) => l.startsWith("| `"));
const listed = (name: string) => rows.some((r) => r.split("|")[1]!.includes(`\`${name}\``));

test.each(Object.keys(action.inputs))("input %s is described in action.yml and has a README row", (name) => {
  expect(action.inputs[name]!.description!.length).toBeGreaterThan(20);
  expect(listed(name)).toBe(true);
});

test.each(Object.keys(action.outputs))("output %s is described in action.yml and has a README row", (name) => {
  expect(action.outputs[name]!.description!.length).toBeGreaterThan(10);
  expect(listed(name)).toBe(true);
});

test("the defaults the configuration file yields to are action.yml's", () => {
  for (const [name, dflt] of Object.entries(ACTION_DEFAULTS)) expect([name, action.inputs[name]?.default ?? ""]).toEqual([name, dflt]);
  expect(action.inputs.config).toMatchObject({ default: "" });
  expect(action.inputs["pack-token"]).toMatchObject({ default: "" });
});
