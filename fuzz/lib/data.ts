// The data scanner's readers on an in-memory file, with the default budgets and detectors.
import { dataConfig } from "../../src/inventory/scanners/data/config.js";
import { DataDetections } from "../../src/inventory/scanners/data/detect.js";
import type { DataFile, FormatReader, FormatSample } from "../../src/inventory/scanners/data/sample.js";
import { DEFAULT_BUDGETS } from "../../src/inventory/scanners/data/settings.js";
import { invariant } from "./harness.js";

export function memFile(path: string, data: Buffer): DataFile {
  let bytesRead = 0;
  return {
    path,
    size: data.length,
    get bytesRead() {
      return bytesRead;
    },
    async read(position: number, length: number): Promise<Buffer> {
      if (position >= data.length || length <= 0) return Buffer.alloc(0);
      const buf = data.subarray(position, Math.min(data.length, position + length));
      bytesRead += buf.length;
      return buf;
    },
  };
}

/** Runs one reader the way the data scanner does (sampleFile); its exceptions are bugs. */
export async function sample(reader: FormatReader, path: string, data: Buffer): Promise<FormatSample> {
  const budgets = { ...DEFAULT_BUDGETS };
  const detections = new DataDetections(dataConfig(), budgets.maxCellChars);
  const file = memFile(path, data);
  const s = await reader(file, detections, budgets);
  invariant(Number.isInteger(s.rowsSampled) && s.rowsSampled >= 0, `${path}: rowsSampled ${s.rowsSampled}`);
  if (s.malformed) {
    invariant(Number.isInteger(s.malformed.line) && s.malformed.line >= 1, `${path}: malformed at line ${s.malformed.line}`);
    invariant(
      s.malformed.column === undefined || (Number.isInteger(s.malformed.column) && s.malformed.column >= 1),
      `${path}: malformed at column ${s.malformed.column}`,
    );
  }
  for (const d of [...detections.personalData(), ...detections.secrets()])
    invariant(d.count >= 0 && d.line >= 1, `${path}: detection ${d.kind} count ${d.count} line ${d.line}`);
  return s;
}
