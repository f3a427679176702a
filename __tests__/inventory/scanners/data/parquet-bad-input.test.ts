// Mutated Parquet files (found by a mutational fuzzer on the users.parquet fixture) that made
// hyparquet loop for minutes inside one call, or quote JavaScript internals in findings: each is
// now a located malformed finding in plain words, and the run goes on to the next file.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readParquet } from "../../../../src/inventory/scanners/data/parquet.js";
import type { DataDetections } from "../../../../src/inventory/scanners/data/detect.js";
import type { DataFile } from "../../../../src/inventory/scanners/data/sample.js";
import { DEFAULT_BUDGETS } from "../../../../src/inventory/scanners/data/settings.js";

const good = readFileSync(join(process.cwd(), "__tests__/inventory/scanners/data/fixtures/parquet/data/users.parquet"));
const mutated = (edits: [number, number][]) => {
  const b = Buffer.from(good);
  for (const [at, v] of edits) b[at] = v;
  return b;
};

function fileOf(b: Buffer): DataFile {
  let read = 0;
  return {
    path: "data/users.parquet",
    size: b.length,
    get bytesRead() {
      return read;
    },
    async read(p, l) {
      read += l;
      return b.subarray(p, p + l);
    },
  };
}

const detections = { cell() {}, unsampledColumns() {} } as unknown as DataDetections;
const INTERNALS = /undefined|Cannot read|is not a function|NaN|field_\d|\.map\b|destructure/;

describe("mutated Parquet", () => {
  it.each([
    [
      "a run-length run far longer than its page (looped for minutes)",
      [
        [924, 0x05],
        [1410, 0x00],
        [2159, 0x02],
      ],
    ],
    [
      "corrupt page and footer bytes (looped for minutes)",
      [
        [20, 0xff],
        [43, 0xe0],
        [2109, 0xcf],
        [2661, 0x08],
      ],
    ],
    [
      "a page count out of range (looped for minutes)",
      [
        [422, 0x6c],
        [789, 0xc4],
        [920, 0x06],
      ],
    ],
    [
      "a corrupt page header (looped for minutes)",
      [
        [263, 0xff],
        [672, 0x23],
      ],
    ],
  ] as [string, [number, number][]][])("%s: a plain malformed finding, quickly", async (_name, edits) => {
    const r = await readParquet(fileOf(mutated(edits)), detections, { ...DEFAULT_BUDGETS });
    const text = [r.malformed?.reason ?? "", r.unscannedReason ?? "", ...r.notes].join("\n");
    expect(r.malformed ?? r.unscannedReason ?? r.notes.length).toBeTruthy();
    expect(text).not.toMatch(INTERNALS);
  });

  it("every single-byte corruption of the footer gives a plain message or a sample", async () => {
    const footerLength = good.readUInt32LE(good.length - 8);
    const from = good.length - 8 - footerLength;
    for (let at = from; at < good.length - 8; at += 3) {
      for (const v of [0x00, 0xff, 0x15]) {
        const r = await readParquet(fileOf(mutated([[at, v]])), detections, { ...DEFAULT_BUDGETS });
        const text = [r.malformed?.reason ?? "", r.unscannedReason ?? "", ...r.notes].join("\n");
        expect({ at, v, text: INTERNALS.test(text) ? text : "" }).toEqual({ at, v, text: "" });
      }
    }
  });

  it("the intact file is still sampled (3 of its 4 row groups of 10 rows, the default)", async () => {
    const r = await readParquet(fileOf(good), detections, { ...DEFAULT_BUDGETS });
    expect(r.malformed).toBeUndefined();
    expect(r.rowsSampled).toBe(30);
  });
});
