import { loadTaxonomy } from "../../src/exchange/taxonomy.js";
import { loadPacks } from "../../src/policy/load.js";

test("the built-in pack loads and validates", async () => {
  const pack = await loadPacks(loadTaxonomy(), []);
  expect(pack.rules.length).toBeGreaterThan(50);
  expect(new Set(pack.rules.map((r) => r.id)).size).toBe(pack.rules.length);
});
