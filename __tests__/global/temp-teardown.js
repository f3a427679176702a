// Removes the run's temporary folder (temp-setup.js), whatever the tests left in it.
import { rmSync } from "node:fs";

export default function teardown() {
  const dir = process.env.AIGATE_TEST_TMPDIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
}
