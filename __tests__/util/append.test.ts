// Appending large arrays (src/util/append.ts): a spread into push() takes each item as an argument
// and fails past about 120,000; the code scanner's merge of seven 2 MB files of repeated sinks did.
import { codeResult, type CodeFileOutcome } from "../../src/inventory/scanners/code/scanner.js";
import { append } from "../../src/util/append.js";

const N = 300_000;

test("append takes any number of items, where a spread into push fails", () => {
  const items = Array.from({ length: N }, (_, i) => i);
  expect(() => [].push(...(items as never[]))).toThrow(RangeError);
  const target = [-1];
  expect(append(target, items)).toBe(target);
  expect(target).toHaveLength(N + 1);
  expect(target[N]).toBe(N - 1);
});

test("the code scanner merges a file with 300,000 observations", () => {
  const outcome = {
    observations: Array.from({ length: N }, (_, i) => ({
      scanner: "code",
      kind: "code.unsafe-load",
      message: "m",
      key: `k${i}`,
      location: { path: "a.py", line: i + 1, column: 1 },
    })),
    unscanned: [],
    facts: { inferred: {}, tools: [], models: [] },
    stats: { candidates: 1, prefilterSkipped: 0, parsed: 1, bytesRead: 1 },
    cacheable: true,
  } as unknown as CodeFileOutcome;
  expect(codeResult([outcome]).observations).toHaveLength(N);
});
