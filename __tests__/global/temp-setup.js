// Every temporary folder the tests make (os.tmpdir() reads TMPDIR at each call, in this process and
// in the workers started after it) goes under one folder per run, which temp-teardown.js removes:
// a run of the suite otherwise leaves about a hundred folders in /tmp.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup() {
  const dir = mkdtempSync(join(tmpdir(), "aigate-tests-"));
  process.env.AIGATE_TEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
}
