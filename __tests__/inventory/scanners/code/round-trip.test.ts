// Round trips in notebooks: a load of the file the same cell wrote is not an unsafe load; a load
// in a later cell is (the file on disk may have been replaced between runs of the cells). The
// Python cases are in fixtures/python/round_trip.py (expect/ok markers).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { codeScanner } from "../../../../src/inventory/scanners/code/scanner.js";
import { scanFixture } from "../fixture-harness.js";

const notebook = (...cells: string[]) =>
  JSON.stringify({
    cells: cells.map((c) => ({ cell_type: "code", metadata: {}, outputs: [], source: c.split(/(?<=\n)/) })),
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  });

test("a notebook cell that saves then loads is a round trip; a later cell's load is not", async () => {
  const root = mkdtempSync(join(tmpdir(), "aigate-round-trip-"));
  writeFileSync(join(root, "nb.ipynb"), notebook('import torch\ntorch.save(model, "m.pt")\nm = torch.load("m.pt")\n', 'm2 = torch.load("m.pt")\n'));
  const result = await scanFixture(codeScanner, root);
  const loads = result.observations.filter((o) => o.kind === "code.unsafe-load");
  expect(loads.map((o) => [o.data!.cell, o.data!.cellLine])).toEqual([[2, 1]]);
});
