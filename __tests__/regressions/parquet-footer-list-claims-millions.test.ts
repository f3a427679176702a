// Found by fuzzing (fuzz/targets/data-parquet.ts, over the 512 MB limit): a 2.6 KB Parquet file (the
// users.parquet fixture, mutated) whose footer has a Thrift list claiming 14,824,703 elements in
// 1,028 bytes. hyparquet 1.33 decodes the footer with `new Array(listSize)` before reading an
// element, so the process took 110 MB for nothing, and a larger claim more. The footer (and each
// page header) is now walked by thrift-bounds.ts before hyparquet sees it. Run in a child process
// with a small heap, so a regression fails the test, not the run.
import { readParquetInChild } from "./parquet-child.js";

test("a footer list longer than the footer is a corrupt footer, not an allocation of its claim", () => {
  const r = readParquetInChild("parquet-footer-list-claims-millions.parquet", 48);
  expect(r.signal).toBeNull();
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({
    format: "parquet",
    complete: false,
    malformed: { reason: expect.stringMatching(/Parquet footer is corrupt \(a list claims 14824703 elements/) },
  });
}, 30_000);
