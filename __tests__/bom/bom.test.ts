// The AI-BOM: CycloneDX 1.7 for the three examples validates against the official schema (the
// library's strict JSON validator), carries the minimum elements cdxgen's validator checks, and is
// byte-for-byte deterministic; SPDX 3.0.1 JSON-LD has every element's required fields, resolvable
// references and the AI profile's license relationships.
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as CDX from "@cyclonedx/cyclonedx-library";
import { PackageURL } from "packageurl-js";
import { buildBoms } from "../../src/bom/index.js";
import { NO_ASSERTION_LICENSE, SPDX_CONTEXT } from "../../src/bom/spdx.js";
import { writeAgentRepo } from "../fixtures/agents/repo.js";

const EXAMPLES = ["claims-triage", "ops-agent", "support-assistant"];
const TODAY = "2026-11-27";
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let dir: string;
const boms = new Map<string, { cdx: string; spdx: string }>();
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "aigate-bom-"));
  for (const e of EXAMPLES) {
    await cp(join(process.cwd(), "examples", e), join(dir, e), { recursive: true });
    const cdx = (await buildBoms({ root: join(dir, e), format: "cyclonedx", today: TODAY })).files;
    const spdx = (await buildBoms({ root: join(dir, e), format: "spdx", today: TODAY })).files;
    expect(cdx).toHaveLength(1);
    boms.set(e, { cdx: cdx[0]!.content, spdx: spdx[0]!.content });
  }
  await writeAgentRepo(join(dir, "agents"));
  const a = await buildBoms({ root: join(dir, "agents"), format: "cyclonedx", today: TODAY });
  const s = await buildBoms({ root: join(dir, "agents"), format: "spdx", today: TODAY });
  boms.set("agents", { cdx: a.files[0]!.content, spdx: s.files[0]!.content });
}, 120000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("CycloneDX", () => {
  test.each([...EXAMPLES, "agents"])("%s validates against the official CycloneDX 1.7 JSON schema", async (e) => {
    const validator = new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot7);
    expect(await validator.validate(boms.get(e)!.cdx)).toBeNull();
  });

  // The checks of cdxgen's BOM validator (lib/helpers/validator.js: validateMetadata, validatePurls,
  // validateRefs), each asserted, plus the spec's "modelCard SHOULD be specified" for models.
  test.each([...EXAMPLES, "agents"])("%s carries cdxgen's minimum elements", (e) => {
    const bom = JSON.parse(boms.get(e)!.cdx) as Json;
    expect(bom.bomFormat).toBe("CycloneDX");
    expect(bom.specVersion).toBe("1.7");
    expect(bom.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(bom.metadata.timestamp).toBe(`${TODAY}T00:00:00.000Z`);
    const root = bom.metadata.component as Json;
    expect(root).toBeDefined(); // metadata.component is present
    expect(root.purl).toBeTruthy(); // purl for metadata.component
    expect(root["bom-ref"]).toBeTruthy(); // bom-ref for metadata.component
    expect(root.version).toBeTruthy(); // version for metadata.component
    for (const c of root.components ?? []) expect([c["bom-ref"], c.name]).not.toEqual(expect.arrayContaining([root["bom-ref"], root.name])); // parent not repeated
    const refs = new Set<string>([root["bom-ref"], ...(bom.components ?? []).map((c: Json) => c["bom-ref"])]);
    for (const c of bom.components ?? []) {
      const p = PackageURL.fromString(c.purl); // every component has a valid purl
      expect(p.type).toBe(p.type.toLowerCase());
      if (["npm", "golang"].includes(p.type)) expect(p.name.includes("%2F") && !p.namespace).toBe(false);
      if (c.type === "machine-learning-model") expect(c.modelCard).toBeDefined();
      if (c.type === "data") expect(c.data?.[0]?.governance?.owners?.length).toBeGreaterThan(0);
    }
    for (const d of bom.dependencies ?? []) {
      expect(d.ref).not.toMatch(/%40|%3A|%2F/);
      expect(refs.has(d.ref)).toBe(true);
      for (const x of d.dependsOn ?? []) expect(refs.has(x)).toBe(true);
    }
    expect(root.properties.some((p: Json) => p.name.startsWith("aigate:control:"))).toBe(true);
  });

  test("the same repository and date give the same bytes", async () => {
    const again = await buildBoms({ root: join(dir, "claims-triage"), format: "cyclonedx", today: TODAY });
    expect(again.files[0]!.content).toBe(boms.get("claims-triage")!.cdx);
    const other = await buildBoms({ root: join(dir, "claims-triage"), format: "cyclonedx", today: "2026-11-28" });
    expect(JSON.parse(other.files[0]!.content).serialNumber).not.toBe(JSON.parse(boms.get("claims-triage")!.cdx).serialNumber);
  });

  test("claims-triage: the model with its card, datasets with governance, the Exchange analysis", () => {
    const bom = JSON.parse(boms.get("claims-triage")!.cdx) as Json;
    const model = bom.components.find((c: Json) => c.type === "machine-learning-model" && c.name === "triage-xgb");
    expect(model.modelCard.modelParameters.task).toBe("classifier");
    expect(model.modelCard.modelParameters.datasets.map((d: Json) => d.ref).sort()).toEqual(["dataset:claims-2019-2024", "dataset:fraud-labels"]);
    expect(model.modelCard.considerations.ethicalConsiderations.length).toBeGreaterThan(3);
    expect(model.licenses[0].expression).toBe("LicenseRef-Proprietary");
    const labels = bom.components.find((c: Json) => c.name === "fraud-labels");
    expect(labels.data[0]).toMatchObject({ type: "dataset", classification: "restricted", sensitiveData: ["personal data: identifiable"] });
    expect(labels.properties).toEqual(expect.arrayContaining([{ name: "aigate:dataset:retention", value: "P2Y" }]));
    expect(bom.metadata.component.properties.filter((p: Json) => p.name.startsWith("aigate:threat:")).length).toBeGreaterThan(5);
    expect(bom.components.some((c: Json) => c.type === "library" && c.purl.startsWith("pkg:pypi/"))).toBe(true);
  });

  test("agents: MCP servers are services with their privileges; no secret reaches the BOM", () => {
    const text = boms.get("agents")!.cdx;
    const bom = JSON.parse(text) as Json;
    const home = bom.services.find((s: Json) => s.name === "home-fs");
    expect(home.properties).toEqual(
      expect.arrayContaining([
        { name: "aigate:mcp:privilege", value: "whole file system or home folder" },
        { name: "aigate:mcp:declared", value: "false" },
      ]),
    );
    expect(home.trustZone).toBe("local");
    expect(bom.services.find((s: Json) => s.name === "github").endpoints).toEqual(["https://api.githubcopilot.com/mcp/"]);
    expect(text).not.toMatch(/AbCdEfGhIjKlMnOp|3f9c2a7b1e8d/);
  });
});

describe("SPDX 3.0.1", () => {
  // What is checked, from the SPDX 3.0.1 model: every element has type, spdxId and creationInfo;
  // CreationInfo has specVersion, created (a UTC date-time) and createdBy; Relationship has from,
  // relationshipType and to; every reference resolves inside the graph (or is an SPDX individual);
  // the AI profile's conformance (exactly one hasConcludedLicense and one hasDeclaredLicense
  // relationship per ai_AIPackage); dataset_datasetType on every dataset_DatasetPackage; enumerated
  // values from the model's vocabularies.
  test.each([...EXAMPLES, "agents"])("%s has the required fields and resolvable references", (e) => {
    const doc = JSON.parse(boms.get(e)!.spdx) as Json;
    expect(doc["@context"]).toBe(SPDX_CONTEXT);
    const graph = doc["@graph"] as Json[];
    const ci = graph.filter((n) => n.type === "CreationInfo");
    expect(ci).toHaveLength(1);
    expect(ci[0]).toMatchObject({ specVersion: "3.0.1", created: `${TODAY}T00:00:00Z` });
    expect(ci[0]!.createdBy.length).toBeGreaterThan(0);
    const ids = new Set(graph.filter((n) => n.spdxId).map((n) => n.spdxId as string));
    expect(ids.size).toBe(graph.length - 1); // unique ids
    const known = (x: string) => ids.has(x) || x === NO_ASSERTION_LICENSE;
    for (const n of graph) {
      if (n.type === "CreationInfo") continue;
      expect(n.creationInfo).toBe(ci[0]!["@id"]);
      expect(n.spdxId).toMatch(/^urn:aigate:[0-9a-f]{16}:/);
      for (const k of ["from", "subject", "dataLicense"]) if (n[k]) expect(known(n[k])).toBe(true);
      for (const k of ["to", "rootElement", "element", "originatedBy", "createdBy"]) for (const x of n[k] ?? []) expect(known(x)).toBe(true);
      if (n.type === "Relationship") expect(n.relationshipType && n.to?.length).toBeTruthy();
      if (n.type === "dataset_DatasetPackage") {
        expect(n.dataset_datasetType.length).toBeGreaterThan(0);
        if (n.dataset_confidentialityLevel) expect(["red", "amber", "green", "clear"]).toContain(n.dataset_confidentialityLevel);
        expect(["yes", "no", "noAssertion"]).toContain(n.dataset_hasSensitivePersonalInformation);
      }
      if (n.type === "ai_AIPackage") {
        for (const t of ["hasConcludedLicense", "hasDeclaredLicense"])
          expect(graph.filter((r) => r.type === "Relationship" && r.from === n.spdxId && r.relationshipType === t)).toHaveLength(1);
        expect(["yes", "no", "noAssertion"]).toContain(n.ai_autonomyType);
        expect(n.software_primaryPurpose).toBe("model");
      }
      if (n.verifiedUsing)
        for (const h of n.verifiedUsing) expect(h).toMatchObject({ type: "Hash", algorithm: "sha256", hashValue: expect.stringMatching(/^[0-9a-f]{64}$/) });
    }
    for (const c of ci[0]!.createdUsing ?? []) expect(ids.has(c)).toBe(true);
  });

  test("claims-triage: the model is trained on its datasets", () => {
    const graph = (JSON.parse(boms.get("claims-triage")!.spdx) as Json)["@graph"] as Json[];
    const model = graph.find((n) => n.type === "ai_AIPackage" && n.name === "triage-xgb")!;
    const trained = graph.find((n) => n.type === "Relationship" && n.from === model.spdxId && n.relationshipType === "trainedOn")!;
    const names = trained.to.map((t: string) => graph.find((n) => n.spdxId === t)!.name).sort();
    expect(names).toEqual(["claims-2019-2024", "fraud-labels"]);
  });
});
