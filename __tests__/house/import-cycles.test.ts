// No import cycles among the sources: a module that imports one that imports it back sees the
// other half undefined while they load, and the two can only be understood together. The graph is
// the load-time one (type-only imports and dynamic import() are left out: scripts/house/import-graph.ts).
import { importCycles, importGraph } from "../../scripts/house/import-graph.js";
import { packageRoot } from "../../src/util/package-root.js";

test("src/**/*.ts has no import cycle", () => {
  const graph = importGraph(packageRoot(), "src");
  expect(graph.size).toBeGreaterThan(100);
  const cycles = importCycles(graph).map((c) => c.join(" -> "));
  expect(cycles).toEqual([]);
});

test("the cycle finder finds a cycle and shows it as a path back to its start", () => {
  const graph = new Map([
    ["a.ts", ["b.ts"]],
    ["b.ts", ["c.ts"]],
    ["c.ts", ["a.ts", "d.ts"]],
    ["d.ts", []],
    ["e.ts", ["e.ts"]],
  ]);
  expect(importCycles(graph)).toEqual([
    ["a.ts", "b.ts", "c.ts", "a.ts"],
    ["e.ts", "e.ts"],
  ]);
});
