// Files the prefilter skips (most of a repository) share the empty parts of their outcome, which
// nothing may change; what they merge to and how they are cached is what a fresh object gives.
import { codeResult, scanCodeFile } from "../../../../src/inventory/scanners/code/scanner.js";

const read = (text: string) => async () => Buffer.from(text);

test("skipped files share frozen empty parts and merge as before", async () => {
  const a = (await scanCodeFile({ path: "a.py", size: 12 }, read("x = 1\ny = 2\n")))!;
  const b = (await scanCodeFile({ path: "lib/b.ts", size: 14 }, read("export {};\n\n\n\n")))!;
  expect(a.stats).toEqual({ candidates: 1, prefilterSkipped: 1, parsed: 0, bytesRead: 12 });
  expect(a.observations).toBe(b.observations);
  expect(a.facts).toBe(b.facts);
  expect(() => a.observations.push({} as never)).toThrow(TypeError);
  expect(JSON.parse(JSON.stringify(a))).toEqual({
    observations: [],
    unscanned: [],
    facts: { inferred: {}, tools: [], models: [] },
    stats: a.stats,
    cacheable: true,
    summary: { path: "a.py", lang: "python", functions: {}, classes: {}, uses: [], resultSinks: [] },
  });
  expect(b.summary).toEqual({ path: "lib/b.ts", lang: "js", functions: {}, classes: {}, uses: [], resultSinks: [] });
  const merged = codeResult([a, b]);
  expect(merged.observations).toEqual([]);
  expect(merged.facts).toEqual({ inferred: {}, tools: [], models: [], stats: { candidates: 2, prefilterSkipped: 2, parsed: 0, bytesRead: 26 } });
});
