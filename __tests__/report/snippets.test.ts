// Which files code frames may be read from: never data, archives, secrets or model files (the
// model extensions come from the format registry).
import { MODEL_EXTENSIONS } from "../../src/inventory/scanners/models/formats/index.js";
import { neverFramed } from "../../src/report/snippets.js";

describe("neverFramed", () => {
  test("code frames are never taken from a file named as a model, nor from data, archives or secrets", () => {
    for (const e of MODEL_EXTENSIONS.keys()) expect([e, neverFramed(`models/m.${e}`)]).toEqual([e, true]);
    for (const path of ["data/x.csv", "certs/k.pem", "a/b.zip", "M.SAFETENSORS"]) expect([path, neverFramed(path)]).toEqual([path, true]);
    for (const path of ["src/app.py", "ai-system.yaml", "Dockerfile"]) expect([path, neverFramed(path)]).toEqual([path, false]);
  });
});
