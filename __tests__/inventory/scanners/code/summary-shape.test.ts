// crossFileJoin reads summaries back from the scan cache too: only those in the shape the code
// scanner writes are used (wellFormed); anything else is left out, never read as if it were one.
import { wellFormed } from "../../../../src/inventory/scanners/code/cross-file.js";

describe("summaries read back are used only in the shape the scanner writes", () => {
  const ok = { path: "a.py", lang: "python", functions: {}, classes: {}, uses: [], resultSinks: [] };
  test.each([
    ["an empty summary", ok, true],
    ["a function with sink parameters", { ...ok, functions: { f: { sinks: [{ index: 0 }] } } }, true],
    ["a class with its bases", { ...ok, classes: { C: ["Base"] } }, true],
    ["no language", { ...ok, lang: "ruby" }, false],
    ["a sink parameter without an index", { ...ok, functions: { f: { sinks: [{ index: "0" }] } } }, false],
    ["a function that is not an object", { ...ok, functions: { f: 1 } }, false],
    ["a base that is not a name", { ...ok, classes: { C: [1] } }, false],
    ["a use without its taint", { ...ok, uses: [{ callee: "f", line: 1 }] }, false],
    ["a result sink without its line", { ...ok, resultSinks: [{ callee: "f", sink: "eval" }] }, false],
    ["functions as a list", { ...ok, functions: [] }, false],
  ])("%s", (_, summary, expected) => {
    expect(wellFormed(summary as unknown as Parameters<typeof wellFormed>[0])).toBe(expected);
  });
});
