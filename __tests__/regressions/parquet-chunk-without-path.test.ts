// Found by fuzzing (fuzz/targets/data-parquet.ts): a column chunk whose metadata has no
// path_in_schema made readParquet throw a TypeError ("Cannot read properties of undefined") that
// reached the report as JavaScript internals. It is a malformed file, read as far as it goes.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const HERE = import.meta.dirname;

test("a column chunk without a schema path is malformed, not an exception", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(HERE, "read-parquet.ts"), join(HERE, "fixtures", "parquet-chunk-without-path.parquet")], { encoding: "utf8", timeout: 15000, killSignal: "SIGKILL" });
  expect(r.stderr).not.toMatch(/TypeError|Cannot read properties/);
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ format: "parquet" });
}, 30_000);
