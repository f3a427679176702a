// Found by fuzzing (fuzz/targets/data-parquet.ts): a 1.7 KB Parquet file whose footer schema has an
// element with num_children = -1 makes readParquet (src/inventory/scanners/data/parquet.ts) never
// return. parquetMetadataAsync → parquetMetadata → markGeoColumns (hyparquet 1.33,
// src/geoparquet.js) walks the schema with `i += num_children; continue`, so a negative count
// steps back and the loop never ends. This happens while the footer is parsed, before aigate's
// page checks run: one such file in a pull request hangs the data scanner and the whole check.
// Fix: validate the footer's schema counts before hyparquet parses it (or bound the reader's time).
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const HERE = import.meta.dirname;

test("a schema element with a negative num_children is malformed, not a hang", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(HERE, "read-parquet.ts"), join(HERE, "fixtures", "parquet-negative-num-children.parquet")], {
    encoding: "utf8",
    timeout: 6000,
    killSignal: "SIGKILL",
  });
  expect(r.signal).toBeNull();
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ format: "parquet", complete: false });
}, 20_000);
