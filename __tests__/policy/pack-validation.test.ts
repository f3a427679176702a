// What the pack loader rejects beyond the pack schema, each as a located pack error: an
// observation match that names no catalogued kind (with "did you mean"), `where` fields and message
// placeholders the check never fills, and parameters against the check kind's whole params schema.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { loadTaxonomy } from "../../src/exchange/taxonomy.js";
import { loadPacks, PackError } from "../../src/policy/load.js";
import type { Rule } from "../../src/policy/types.js";

const taxonomy = loadTaxonomy();
const dir = mkdtempSync(join(tmpdir(), "aigate-pack-validation-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rule = (check: string, message = "m") =>
  [
    "  - id: r-one",
    "    title: t",
    "    control: AIPROGRAM",
    "    threats: []",
    "    severity: error",
    `    check: ${check}`,
    `    message: ${JSON.stringify(message)}`,
    "    remediation: r",
    "    link: https://example.com/r",
  ].join("\n");

/** Loads a pack of these rules alone and returns its problems ("line:column: message"), [] when it loads. */
async function problems(...rules: string[]): Promise<string[]> {
  const file = join(dir, `p${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, ["apiVersion: aigate/v1", "kind: PolicyPack", "name: t", "version: '1'", "rules:", ...rules].join("\n") + "\n");
  try {
    await loadPacks(taxonomy, [file], { builtin: false, cwd: dir });
    return [];
  } catch (e) {
    if (!(e instanceof PackError)) throw e;
    return e.problems.map((p) => `${p.line}:${p.column}: ${p.message}`);
  }
}

describe("observation rules", () => {
  test("a kind or a glob that selects catalogued kinds loads", async () => {
    expect(await problems(rule('{ kind: observation, match: "model.unsafe" }'))).toEqual([]);
    expect(await problems(rule('{ kind: observation, match: "data.*", where: { format: csv } }', "{path}: {format} {message}"))).toEqual([]);
  });

  test("a misspelled kind is an error at the match, with did you mean", async () => {
    expect(await problems(rule('{ kind: observation, match: "model.unsafee" }'))).toEqual([
      '11:40: rule "r-one": check.match "model.unsafee" names no observation kind (did you mean "model.unsafe"?)',
    ]);
    expect(await problems(rule('{ kind: observation, match: "agents.*" }'))).toEqual([
      '11:40: rule "r-one": check.match "agents.*" names no observation kind (did you mean "agent.*"?)',
    ]);
  });

  test("every built-in observation rule with its match misspelled fails to load", async () => {
    const builtin = (await loadPacks(taxonomy, [], { useSnapshot: false })).rules.filter((r) => r.check.kind === "observation");
    expect(builtin.length).toBeGreaterThan(20);
    for (const r of builtin) {
      const { origin, ...raw } = r;
      void origin;
      const broken: Rule = { ...raw, id: "r-one", check: { ...r.check, match: `${String(r.check.match)}s` } };
      const yaml = stringify([broken], { lineWidth: 0 }).replace(/^/gm, "  ");
      const got = await problems(yaml.trimEnd());
      expect([r.id, got.length, got[0]]).toEqual([r.id, 1, expect.stringContaining(`names no observation kind (did you mean "${String(r.check.match)}"?)`)]);
    }
  });

  test("a `where` field the matched kinds do not carry is an error at the field", async () => {
    expect(await problems(rule('{ kind: observation, match: "data.*", where: { formatt: csv } }'))).toEqual([
      '11:59: rule "r-one": check.where: "data.*" observations have no field "formatt" (did you mean "format"?)',
    ]);
  });

  test("a placeholder the matched kinds do not carry is an error at the message", async () => {
    expect(await problems(rule('{ kind: observation, match: "dependency.unpinned" }', "{package} is {sepc}"))).toEqual([
      '12:14: rule "r-one": message placeholder {sepc} is not a value the observation check gives (did you mean "spec"?) (it gives {message}, {path}, {ecosystem}, {package}, {spec})',
    ]);
  });
});

describe("parameters against the check kind's params schema", () => {
  test("a kind that takes no parameters rejects one", async () => {
    expect(await problems(rule("{ kind: facts, scope: system }"))).toEqual(['11:27: unknown key "scope" in rules.0.check']);
  });

  test("conditions the pack schema does not carry: one of several keys, a key another needs", async () => {
    expect(await problems(rule("{ kind: files, scope: system }"))).toEqual([
      '11:5: rule "r-one": rules.0.check needs at least one of: require, forbid, maxBytes',
    ]);
    expect(await problems(rule("{ kind: acceptances, assert: max-duration }"))).toEqual([
      '11:5: rule "r-one": rules.0.check is missing the required key "maxDays"',
    ]);
    expect(await problems(rule("{ kind: manifest, pointer: /description }"))).toEqual([
      '11:5: rule "r-one": rules.0.check needs at least one of: required, schema',
    ]);
  });

  test("placeholders are checked for every kind", async () => {
    expect(await problems(rule('{ kind: files, forbid: ["*.pem"] }', "{path} is committed ({size})"))).toEqual([]);
    expect(await problems(rule('{ kind: files, forbid: ["*.pem"] }', "{file} is committed"))).toEqual([
      '12:14: rule "r-one": message placeholder {file} is not a value the files check gives (did you mean "size"?) (it gives {globs}, {path}, {size}, {limit})',
    ]);
  });
});
