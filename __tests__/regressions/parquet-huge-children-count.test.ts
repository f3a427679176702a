// Found by fuzzing (fuzz/targets/data-parquet.ts, a 10 s timeout): a mutated Parquet footer whose
// schema claims billions of children for a handful of elements. topLevelColumns
// (src/inventory/scanners/data/parquet.ts) counted through every claimed child, past the end of the
// schema, for minutes. It now walks at most the schema's elements, without recursion. In a child
// process, so a regression fails the test instead of stopping the run.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const HERE = import.meta.dirname;

test("a schema that claims more children than it has is read in linear time", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(HERE, "read-parquet.ts"), join(HERE, "fixtures", "parquet-huge-children-count.parquet")], {
    encoding: "utf8",
    timeout: 8000,
    killSignal: "SIGKILL",
  });
  expect(r.signal).toBeNull();
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ format: "parquet", complete: false, columns: expect.arrayContaining(["user_id", "contact", "last_ip"]) });
}, 30_000);
