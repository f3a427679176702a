// Found by fuzzing (fuzz/targets/data-parquet.ts): a 2.8 KB Parquet file (the users.parquet
// fixture with a mutated page header) made readParquet (src/inventory/scanners/data/parquet.ts)
// never return. Its v2 data page header has no repetition_levels_byte_length; hyparquet 1.33's
// readDataPageV2 sets `reader.offset = daph2.repetition_levels_byte_length` (undefined), and
// readRleBitPackedHybrid then reads its run headers at offset NaN: DataView.getUint8(NaN) reads
// byte 0 again and again, a zero-length run, forever. The data scanner now checks page headers
// before hyparquet decodes them; this keeps it so (in a child process, so a hang fails the test
// instead of stopping the run).
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const HERE = import.meta.dirname;

test("a v2 data page without level byte lengths is malformed, not a hang", () => {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", join(HERE, "read-parquet.ts"), join(HERE, "fixtures", "parquet-v2-page-without-level-lengths.parquet")],
    { encoding: "utf8", timeout: 6000, killSignal: "SIGKILL" },
  );
  expect(r.signal).toBeNull();
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ format: "parquet", complete: false });
}, 20_000);
