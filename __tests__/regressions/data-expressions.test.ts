// The package's data files hold the regular expressions the scanners run over repository content
// (secret formats, PII detectors, chat-template patterns, name lists): none may read the same
// characters again and again (quadratic or worse on a run of one character), as the lint rules
// require of the expressions in the code. Every string of a registered data file that has a
// quantifier and compiles as an expression is checked with scslre, the analysis behind those rules.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { analyse } from "scslre";
import { parse } from "yaml";
import { DATA_FILES } from "../../src/util/data.js";
import { packageRoot } from "../../src/util/package-root.js";

function* expressions(v: unknown, at: string): Generator<[string, RegExp]> {
  if (typeof v === "string") {
    if (!/[*+{]/.test(v)) return;
    try {
      yield [at, new RegExp(v)];
    } catch {
      // not an expression (a glob, a sentence)
    }
  } else if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) yield* expressions(x, `${at}/${i}`);
  } else if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) yield* expressions(x, `${at}/${k}`);
  }
}

test("no expression in the data files is super-linear", () => {
  const found: string[] = [];
  let checked = 0;
  for (const file of Object.keys(DATA_FILES)) {
    const text = readFileSync(join(packageRoot(), file), "utf8");
    for (const [at, re] of expressions(file.endsWith(".json") ? JSON.parse(text) : parse(text), "")) {
      checked++;
      const { reports } = analyse({ source: re.source, flags: re.flags });
      if (reports.length) found.push(`${file}#${at} ${re.source.slice(0, 80)}: ${reports.map((r) => r.type).join(", ")}`);
    }
  }
  expect(checked).toBeGreaterThan(100);
  expect(found).toEqual([]);
});

test("the check finds a quadratic expression", () => {
  expect(analyse({ source: String.raw`\s+#.*$`, flags: "" }).reports.length).toBeGreaterThan(0);
});
