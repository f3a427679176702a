// Runs read-parquet.ts on a fixture in a child process with a small heap and a hard deadline, so a
// regression (a hang, an allocation of a crafted count) fails the test, not the test run.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const HERE = import.meta.dirname;

export function readParquetInChild(fixture: string, heapMb: number) {
  return spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, "--import", "tsx", join(HERE, "read-parquet.ts"), join(HERE, "fixtures", fixture)], {
    encoding: "utf8",
    timeout: 15000,
    killSignal: "SIGKILL",
  });
}
