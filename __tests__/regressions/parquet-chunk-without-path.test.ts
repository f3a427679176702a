// Found by fuzzing (fuzz/targets/data-parquet.ts): a column chunk whose metadata has no
// path_in_schema made readParquet throw a TypeError ("Cannot read properties of undefined") that
// reached the report as JavaScript internals; so did a schema column without a name (the data
// scanner's column detectors read its name). Both are read as far as they go.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const HERE = import.meta.dirname;

test.each([
  ["a column chunk without a schema path", "parquet-chunk-without-path.parquet"],
  ["a schema column without a name", "parquet-unnamed-column.parquet"],
])(
  "%s is read as far as it goes, not an exception",
  (_what, fixture) => {
    const r = spawnSync(process.execPath, ["--import", "tsx", join(HERE, "read-parquet.ts"), join(HERE, "fixtures", fixture)], {
      encoding: "utf8",
      timeout: 15000,
      killSignal: "SIGKILL",
    });
    expect(r.stderr).not.toMatch(/TypeError|Cannot read properties/);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ format: "parquet" });
  },
  30_000,
);
