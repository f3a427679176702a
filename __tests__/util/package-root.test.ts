import { existsSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../src/util/package-root.js";

test("finds the folder that holds the built-in policies", () => {
  expect(existsSync(join(packageRoot(), "src", "exchange", "data", "ai-exchange-taxonomy.json"))).toBe(true);
});
