// Found by fuzzing (fuzz/targets/data-parquet.ts, over the 512 MB limit): a 2.7 KB Parquet file (the
// users.parquet fixture, mutated) whose version 2 data page says PLAIN_DICTIONARY with a bit width
// of 0 and then an RLE run of 1,237,284,461 values for a page of 10. hyparquet 1.33's readRle writes
// `count` values into the page's array whatever its length, so the array grew until the process ran
// out of memory. The page check (src/inventory/scanners/data/parquet-validate.ts) only walked the
// levels of version 2 pages; it now decompresses every data page as hyparquet will and walks each
// run-length encoded section (levels, dictionary indexes, booleans) to the point hyparquet stops
// reading. Run in a child process with a small heap, so a regression fails the test, not the run.
import { readParquetInChild } from "./parquet-child.js";

test("an RLE run longer than its page is malformed, not an out-of-memory crash", () => {
  const r = readParquetInChild("parquet-rle-run-past-page.parquet", 128);
  expect(r.signal).toBeNull();
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({
    format: "parquet",
    complete: false,
    malformed: { reason: expect.stringMatching(/run-length encoded values of a Parquet page are corrupt/) },
  });
}, 30_000);
