// The code scanner's fixture sources (__tests__/inventory/scanners/code/fixtures), as texts.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../src/util/package-root.js";

const FIXTURES = join(packageRoot(), "__tests__", "inventory", "scanners", "code", "fixtures");

/** The texts of the files below fixtures/`dir` whose names match `ext`, in path order. */
export function codeFixtures(dir: string, ext: RegExp): string[] {
  return readdirSync(join(FIXTURES, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => ext.test(f))
    .sort()
    .map((f) => readFileSync(join(FIXTURES, dir, f), "utf8"));
}
