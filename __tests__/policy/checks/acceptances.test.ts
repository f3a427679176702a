// The manifest's riskAcceptances entries: which selectors the schema takes, and the `acceptances`
// check's messages for an acceptance that names exact findings.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { analyse } from "../../../src/exchange/analysis.js";
import { loadTaxonomy } from "../../../src/exchange/taxonomy.js";
import type { Inventory } from "../../../src/inventory/types.js";
import { walkRepository } from "../../../src/inventory/walk.js";
import { loadManifest, parseManifest } from "../../../src/manifest/load.js";
import { evaluate } from "../../../src/policy/engine.js";
import { loadPacks } from "../../../src/policy/load.js";

const taxonomy = loadTaxonomy();
const head = ["apiVersion: aigate/v1", "name: s", "owner: {team: t, contact: t@example.com}", "profile: {isGenAI: false}", "riskAcceptances:"];
const tail = "justification: reviewed with the security team last week, approver: sec@example.com, expires: 2027-06-30";
const problems = (entry: string) =>
  parseManifest("ai-system.yaml", [...head, `  - {${entry}, ${tail}}`].join("\n"), taxonomy).diagnostics.map((d) => d.message);

test("an acceptance may name fingerprints alone; packages, advisories and models narrow a rule, control or threat", () => {
  expect(problems("fingerprints: ['0123456789abcdef0123456789abcdef']")).toEqual([]);
  expect(problems("rule: dependency-ai-library-vulnerable, packages: [torch], advisories: [CVE-2025-32434, PYSEC-2025-41]")).toEqual([]);
  expect(problems("control: SUPPLYCHAINMANAGE, models: [clf, models/clf.pkl]")).toEqual([]);
  expect(problems("packages: [torch]")).not.toEqual([]); // a subject alone would accept every rule's finding about it
  expect(problems("fingerprints: [not-a-fingerprint]")).not.toEqual([]);
  expect(problems("rule: dependency-ai-library-vulnerable, packages: []")).not.toEqual([]);
});

test("the acceptances check names an acceptance of exact findings by them", async () => {
  const root = mkdtempSync(join(tmpdir(), "aigate-acceptances-"));
  const text = [
    ...head,
    "  - {fingerprints: ['0123456789abcdef0123456789abcdef'], justification: reviewed with the security team last week, approver: sec@example.com, approved: 2025-01-01, expires: 2026-10-01}",
  ].join("\n");
  mkdirSync(dirname(join(root, "ai-system.yaml")), { recursive: true });
  writeFileSync(join(root, "ai-system.yaml"), text);
  const pack = await loadPacks(taxonomy, []);
  const walk = await walkRepository(root);
  const inventory: Inventory = { root, files: walk.files, observations: [], unscanned: [], models: [], facts: {} };
  const system = (await loadManifest(root, "ai-system.yaml", taxonomy)).system!;
  const { findings } = evaluate([{ system, analysis: analyse(taxonomy, system.manifest.profile), governedFiles: walk.files.map((f) => f.path) }], pack, {
    taxonomy,
    inventory,
    today: "2026-11-27",
    folders: walk.folders,
  });
  expect(findings.filter((f) => f.ruleId.startsWith("risk-acceptance")).map((f) => f.message)).toEqual([
    "risk acceptance riskAcceptances[0] for findings 0123456789abcdef0123456789abcdef expired on 2026-10-01; the findings it covered are open again",
    "risk acceptance riskAcceptances[0] for findings 0123456789abcdef0123456789abcdef runs 638 days; acceptances are reviewed at least yearly",
  ]);
});
