// Found by fuzzing (fuzz/targets/data-parquet.ts, a 10 s timeout): a mutated footer whose column
// chunk has a dictionary page offset of another Thrift type. Number() of it is NaN, which passed
// every range check of the footer (`start < 4` and `start + size > fileSize` are both false for
// NaN); the page check then read an empty chunk and hyparquet read the chunk from offset NaN, whose
// v2 page header had no level lengths, and looped. Every offset is now checked to be a count
// (src/inventory/scanners/data/parquet-validate.ts metadataProblem), and every page of a chunk is
// checked, not only as many as its value count needs. In a child process, so a hang fails the test.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const HERE = import.meta.dirname;

test("a column chunk offset that is not a number makes the footer corrupt, not a hang", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(HERE, "read-parquet.ts"), join(HERE, "fixtures", "parquet-offset-of-another-type.parquet")], {
    encoding: "utf8",
    timeout: 8000,
    killSignal: "SIGKILL",
  });
  expect(r.signal).toBeNull();
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ format: "parquet", complete: false, malformed: { reason: expect.stringMatching(/footer is corrupt/) } });
}, 30_000);
