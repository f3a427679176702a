// YAML nested deeper than a manifest or pack ever needs is one located problem, found by a linear
// pre-scan before the (recursive) parser sees it: never a RangeError, never a stack trace.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { MAX_YAML_DEPTH, nestingBeyond, parseYamlSource } from "../../src/util/yaml-source.js";

const N = 20_000;
// Where the pre-scan stops: the level past the cap (the line itself counts as one level).
const D = MAX_YAML_DEPTH;
const deep: [string, string, { line: number; column: number }][] = [
  ["compact mappings (: : :)", `name: x\nowner: ${": ".repeat(N)}x\n`, { line: 2, column: 8 + 2 * (D - 1) }],
  ["compact keys (? ? ?)", `${"? ".repeat(N)}x\n`, { line: 1, column: 1 + 2 * (D - 1) }],
  ["compact sequences (- - -)", `a:\n  ${"- ".repeat(N)}x\n`, { line: 2, column: 3 + 2 * (D - 2) }],
  ["flow sequences ([[[)", `a: ${"[".repeat(N)}${"]".repeat(N)}\n`, { line: 1, column: 4 + D - 1 }],
  ["flow mappings ({{{)", `a: ${"{".repeat(N)}${"}".repeat(N)}\n`, { line: 1, column: 4 + D - 1 }],
  ["indented mappings", Array.from({ length: 200 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n") + " x\n", { line: D + 1, column: D + 1 }],
];

describe("nesting deeper than the cap", () => {
  it.each(deep)("%s: one fatal problem at the line and column where it goes too deep", (_name, text, at) => {
    const src = parseYamlSource(text);
    expect(src.problems).toHaveLength(1);
    const p = src.problems[0]!;
    expect(p).toMatchObject({ code: "too-deep", fatal: true });
    expect(src.position(p.offset)).toEqual(at);
    expect(p.message).toBe(`nesting deeper than ${MAX_YAML_DEPTH} levels at ${at.line}:${at.column}: the file was not read`);
    expect(src.value).toBeUndefined();
  });
});

describe("ordinary YAML is not held back", () => {
  it("nesting up to the cap parses", () => {
    const d = MAX_YAML_DEPTH - 2;
    expect(parseYamlSource(`a: ${"[".repeat(d)}${"]".repeat(d)}\n`).problems).toEqual([]);
  });

  it("brackets, colons and dashes inside scalars, quotes, comments and block scalars are not nesting", () => {
    const text = [
      "name: a[0] and b{1}",
      `title: "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["`,
      "note: 'it''s [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[['",
      "# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
      "text: |",
      ...Array.from({ length: 100 }, (_, i) => `  ${" ".repeat(i)}- : ? [ {`),
      "after: [a, {b: c}, 'd]]]]', \"e}}}\"]",
    ].join("\n");
    const src = parseYamlSource(text + "\n");
    expect(src.problems).toEqual([]);
    expect((src.value as Record<string, unknown>).after).toEqual(["a", { b: "c" }, "d]]]]", "e}}}"]);
  });

  it("every YAML file the project ships is within the cap", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.name === "node_modules" || e.name.startsWith(".")) continue;
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.ya?ml$/.test(e.name)) files.push(p);
      }
    };
    for (const d of ["policies", "examples", "__tests__"]) walk(join(process.cwd(), d));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) expect({ f, at: nestingBeyond(readFileSync(f, "utf8"), MAX_YAML_DEPTH) }).toEqual({ f, at: undefined });
  });
});
