// Risk acceptances accept what they name: subjects (packages, advisories, models), exact
// fingerprints, and never, when broad, a finding the change under review adds. Current acceptances
// that match nothing are reported where they are written.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { analyse } from "../../src/exchange/analysis.js";
import { loadTaxonomy } from "../../src/exchange/taxonomy.js";
import { acceptanceMatches, applyAcceptances, staleAcceptanceDiagnostic, staleAcceptanceDiagnostics } from "../../src/findings/accept.js";
import { diagnosticFinding } from "../../src/findings/diagnostics.js";
import { disambiguate } from "../../src/findings/fingerprint.js";
import type { Finding } from "../../src/findings/types.js";
import { scanContext } from "../../src/inventory/context.js";
import { SCANNERS } from "../../src/inventory/scanners/index.js";
import type { Inventory } from "../../src/inventory/types.js";
import { walkRepository } from "../../src/inventory/walk.js";
import { loadManifest } from "../../src/manifest/load.js";
import type { System } from "../../src/manifest/types.js";
import { evaluate } from "../../src/policy/engine.js";
import { loadPacks } from "../../src/policy/load.js";

const TODAY = "2026-11-27";
const taxonomy = loadTaxonomy();

/** Scans `files` and evaluates the built-in pack on their one system; acceptances are left to the test. */
async function evaluateRepo(files: Record<string, string>): Promise<{ findings: Finding[]; system: System }> {
  const root = mkdtempSync(join(tmpdir(), "aigate-accept-"));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text, "latin1");
  }
  const pack = await loadPacks(taxonomy, []);
  const walk = await walkRepository(root);
  const inventory: Inventory = { root, files: walk.files, observations: [], unscanned: [], models: [], facts: {} };
  const ctx = scanContext(root, walk.files, pack.settings);
  for (const s of SCANNERS) {
    const r = await s.scan(ctx);
    inventory.observations.push(...r.observations);
    inventory.models.push(...(r.models ?? []));
    if (r.facts) inventory.facts[s.meta.id] = r.facts;
  }
  const loaded = await loadManifest(root, "ai-system.yaml", taxonomy);
  expect(loaded.diagnostics).toEqual([]);
  const system = loaded.system!;
  const analysis = analyse(taxonomy, system.manifest.profile);
  const { findings } = evaluate([{ system, analysis, governedFiles: walk.files.map((f) => f.path) }], pack, {
    taxonomy,
    inventory,
    today: TODAY,
    folders: walk.folders,
  });
  disambiguate(findings);
  return { findings, system };
}

const head = ["apiVersion: aigate/v1", "name: s", "owner: {team: t, contact: t@example.com}", "profile: {isGenAI: true, isLLM: true}"];
const ra = (fields: string) =>
  `  - {${fields}, justification: reviewed with the security team and a compensating control, approver: sec@example.com, expires: 2027-06-30}`;
const requirements = "torch==2.0.1\ntransformers==4.36.0\n";
const vulnerable = (fs: Finding[], pkg: string) => fs.find((f) => f.ruleId === "dependency-ai-library-vulnerable" && f.subjects?.packages?.includes(pkg))!;
const accept = (r: { findings: Finding[]; system: System }, isNew?: (f: Finding) => boolean) =>
  applyAcceptances(r.findings, "s", r.system.manifest.riskAcceptances ?? [], TODAY, taxonomy, { isNew });

describe("finding subjects", () => {
  it("a dependency finding names its package and advisories (with their aliases); a model finding its model", async () => {
    const r = await evaluateRepo({
      "ai-system.yaml": [
        ...head,
        "models:",
        "  - {name: clf, path: models/clf.pkl, format: pickle}",
        "  - {name: hub, source: {uri: https://huggingface.co/org/m}}",
      ].join("\n"),
      "requirements.txt": requirements,
      "models/clf.pkl": "\x80\x04}\x94.",
    });
    const torch = vulnerable(r.findings, "torch");
    expect(torch.subjects!.packages).toEqual(["torch"]);
    expect(torch.subjects!.advisories!.length).toBeGreaterThan(1);
    expect(torch.subjects!.advisories!.some((id) => (torch.subjects!.advisoryAliases?.[id] ?? []).includes("CVE-2025-32434"))).toBe(true);
    expect(vulnerable(r.findings, "transformers").subjects!.packages).toEqual(["transformers"]);
    expect(r.findings.find((f) => f.ruleId === "model-pickle-format")!.subjects).toEqual({ models: ["clf", "models/clf.pkl"] });
    expect(r.findings.find((f) => f.ruleId === "model-source-unpinned")!.subjects).toEqual({ models: ["hub"] });
    expect(r.findings.find((f) => f.ruleId === "system-description-present")!.subjects).toBeUndefined();
  });
});

describe("applyAcceptances", () => {
  it("an acceptance for torch's advisory does not accept transformers added next to it", async () => {
    const r = await evaluateRepo({
      "ai-system.yaml": [...head, "riskAcceptances:", ra("id: RA-TORCH, rule: dependency-ai-library-vulnerable, packages: [torch]")].join("\n"),
      "requirements.txt": requirements,
    });
    const use = accept(r, () => true);
    expect(vulnerable(r.findings, "torch")).toMatchObject({ status: "accepted", acceptedBy: "RA-TORCH (sec@example.com, until 2027-06-30)" });
    const transformers = vulnerable(r.findings, "transformers");
    expect(transformers.status).toBe("open");
    expect(transformers.note).toBe("risk acceptance RA-TORCH does not cover this finding: it names packages torch; this finding is about transformers");
    expect(use).toEqual({ used: [true], matched: [true], stale: [] });
  });

  it("a broad acceptance keeps covering existing findings but not one the change adds", async () => {
    const r = await evaluateRepo({
      "ai-system.yaml": [...head, "riskAcceptances:", ra("id: RA-DEPS, rule: dependency-ai-library-vulnerable")].join("\n"),
      "requirements.txt": requirements,
    });
    const added = vulnerable(r.findings, "transformers");
    const use = accept(r, (f) => f === added);
    expect(vulnerable(r.findings, "torch").status).toBe("accepted");
    expect(added.status).toBe("open");
    expect(added.note).toMatch(
      /^risk acceptance RA-DEPS is too broad to cover a finding this change adds: name its fingerprint or subject \(fingerprints: \[[0-9a-f]{32}\] or packages: \[transformers\], advisories: \[PYSEC-/,
    );
    expect(use).toEqual({ used: [true], matched: [true], stale: [] });
    // Without a change under review (no isNew), a broad acceptance accepts as before.
    const again = await evaluateRepo({
      "ai-system.yaml": [...head, "riskAcceptances:", ra("id: RA-DEPS, rule: dependency-ai-library-vulnerable")].join("\n"),
      "requirements.txt": requirements,
    });
    accept(again);
    expect(vulnerable(again.findings, "transformers").status).toBe("accepted");
  });

  it("paths narrow a finding about a place, but not a dependency finding (its file holds every dependency)", async () => {
    const r = await evaluateRepo({
      "ai-system.yaml": [
        ...head,
        "riskAcceptances:",
        ra("id: RA-DEPS, rule: dependency-ai-library-vulnerable, paths: [requirements.txt]"),
        ra("id: RA-ENV, rule: secrets-file-committed, paths: ['fixtures/**']"),
      ].join("\n"),
      "requirements.txt": requirements,
      "fixtures/.env": "KEY=fake",
    });
    accept(r, () => true);
    expect(vulnerable(r.findings, "torch").status).toBe("open");
    expect(vulnerable(r.findings, "torch").note).toMatch(/^risk acceptance RA-DEPS is too broad/);
    expect(r.findings.find((f) => f.ruleId === "secrets-file-committed")).toMatchObject({ status: "accepted", path: "fixtures/.env" });
  });

  it("fingerprints name exact findings, new or not; a finding they do not name stays open", async () => {
    const files = { "ai-system.yaml": [...head].join("\n"), "requirements.txt": requirements };
    const first = await evaluateRepo(files);
    const fp = vulnerable(first.findings, "torch").fingerprint;
    const r = await evaluateRepo({ ...files, "ai-system.yaml": [...head, "riskAcceptances:", ra(`id: RA-FP, fingerprints: ['${fp}']`)].join("\n") });
    const use = accept(r, () => true);
    expect(vulnerable(r.findings, "torch").status).toBe("accepted");
    expect(vulnerable(r.findings, "transformers").status).toBe("open");
    expect(vulnerable(r.findings, "transformers").note).toBeUndefined(); // no note on every finding it does not name
    expect(use.used).toEqual([true]);
  });

  it("advisories: every advisory the finding reports must be named, by id or alias", async () => {
    const base = await evaluateRepo({ "ai-system.yaml": head.join("\n"), "requirements.txt": requirements });
    const torch = vulnerable(base.findings, "torch");
    const ids = torch.subjects!.advisories!;
    const cve = torch.subjects!.advisoryAliases![ids[0]!]!.find((a) => a.startsWith("CVE-"))!;
    const one = `[${cve}]`;
    const all = `[${[cve, ...ids.slice(1)].join(", ")}]`;
    const r = await evaluateRepo({
      "ai-system.yaml": [
        ...head,
        "riskAcceptances:",
        ra(`id: RA-ONE, rule: dependency-ai-library-vulnerable, advisories: ${one}`),
        ra(`id: RA-ALL, rule: dependency-ai-library-vulnerable, packages: [Torch], advisories: ${all}`),
      ].join("\n"),
      "requirements.txt": requirements,
    });
    expect(acceptanceMatches(r.system.manifest.riskAcceptances![0]!, vulnerable(r.findings, "torch"), taxonomy)).toBe(false);
    expect(acceptanceMatches(r.system.manifest.riskAcceptances![1]!, vulnerable(r.findings, "torch"), taxonomy)).toBe(true);
    const use = accept(r, () => true);
    expect(vulnerable(r.findings, "torch")).toMatchObject({ status: "accepted", acceptedBy: expect.stringMatching(/^RA-ALL /) });
    expect(vulnerable(r.findings, "transformers").status).toBe("open");
    // RA-ONE names one of torch's advisories only: it matches nothing, so it is stale.
    expect(use.stale.map((a) => a.id)).toEqual(["RA-ONE"]);
    // Alone, it leaves torch open and says which advisories it does not name.
    const alone = await evaluateRepo({
      "ai-system.yaml": [...head, "riskAcceptances:", ra(`id: RA-ONE, rule: dependency-ai-library-vulnerable, advisories: ${one}`)].join("\n"),
      "requirements.txt": requirements,
    });
    accept(alone);
    expect(vulnerable(alone.findings, "torch")).toMatchObject({
      status: "open",
      note: expect.stringMatching(new RegExp(`^risk acceptance RA-ONE does not cover this finding: it does not name advisories ${ids[1]}, `)),
    });
  });

  it("models name a model by its manifest name or file path", async () => {
    const r = await evaluateRepo({
      "ai-system.yaml": [
        ...head,
        "models:",
        "  - {name: clf, path: models/clf.pkl, format: pickle}",
        "  - {name: other, path: models/other.pkl, format: pickle}",
        "riskAcceptances:",
        ra("id: RA-CLF, rule: model-pickle-format, models: [clf]"),
      ].join("\n"),
      "models/clf.pkl": "\x80\x04}\x94.",
      "models/other.pkl": "\x80\x04}\x94.",
    });
    accept(r, () => true);
    const pickles = r.findings.filter((f) => f.ruleId === "model-pickle-format").map((f) => [f.path, f.status]);
    expect(pickles).toEqual([
      ["models/clf.pkl", "accepted"],
      ["models/other.pkl", "open"],
    ]);
  });
});

describe("stale acceptances", () => {
  it("a current acceptance that matches no finding is a warning at its entry; expired and refused ones are not stale", async () => {
    const r = await evaluateRepo({
      "ai-system.yaml": [
        ...head,
        "riskAcceptances:",
        ra("id: RA-STALE, rule: model-unsafe"),
        "  - {id: RA-OLD, rule: model-unsafe, justification: an acceptance that ran out long ago, approver: sec@example.com, expires: 2026-01-01}",
        ra("id: RA-BROAD, rule: dependency-ai-library-vulnerable"),
        ra("rule: dependency-ai-library-vulnerable, packages: [numpy]"),
      ].join("\n"),
      "requirements.txt": requirements,
    });
    const use = accept(r, () => true);
    expect(use.used).toEqual([false, false, false, false]);
    expect(use.matched).toEqual([false, false, true, false]);
    expect(use.stale.map((a) => a.id ?? "(no id)")).toEqual(["RA-STALE", "(no id)"]);
    const diags = staleAcceptanceDiagnostics(r.system, use.stale);
    expect(diags.map((d) => [d.id, `${d.location.path}:${d.location.line}`, d.message])).toEqual([
      ["risk-acceptance-stale", "ai-system.yaml:6", "risk acceptance RA-STALE (rule model-unsafe) matches no finding: remove it, or correct what it names"],
      [
        "risk-acceptance-stale",
        "ai-system.yaml:9",
        "risk acceptance riskAcceptances[3] (rule dependency-ai-library-vulnerable; packages numpy) matches no finding: remove it, or correct what it names",
      ],
    ]);
    // The same diagnostic from an entry's known location (the verdict stage knows each entry's place).
    expect(staleAcceptanceDiagnostic(use.stale[1]!, "s", diags[1]!.location, 3)).toEqual(diags[1]);
    const f = diagnosticFinding(diags[0]!);
    expect(f).toMatchObject({ ruleId: "risk-acceptance-stale", severity: "warning", control: "AIPROGRAM", system: "s", status: "open" });
    expect(f.fingerprint).not.toBe(diagnosticFinding(diags[1]!).fingerprint);
  });

  it("an acceptance whose finding is already baselined is not stale, and leaves that finding baselined", async () => {
    const r = await evaluateRepo({
      "ai-system.yaml": [...head, "riskAcceptances:", ra("id: RA-T, rule: dependency-ai-library-vulnerable, packages: [torch]")].join("\n"),
      "requirements.txt": requirements,
    });
    vulnerable(r.findings, "torch").status = "baselined";
    const use = accept(r);
    expect(use).toEqual({ used: [false], matched: [true], stale: [] });
    expect(vulnerable(r.findings, "torch").status).toBe("baselined");
  });
});
