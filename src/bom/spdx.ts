// The SPDX 3.0.1 JSON-LD AI-BOM of one system, with the Core, Software, AI and Dataset profiles: the
// system is a software_Package (purpose application) described by a software_Sbom; models are
// ai_AIPackage (with the two license relationships the AI profile requires), datasets are
// dataset_DatasetPackage (datasetType is required), hosted model APIs, tools and MCP servers are
// software_Package elements the system `usesTool`; AI/ML libraries are software_Package with purls;
// trainedOn relationships link models to datasets; Exchange threats and control statuses are
// Annotations on the system. Identifiers are URNs derived from the content, so the same repository
// gives the same bytes; `created` is the day given with --today.
import { createHash } from "node:crypto";
import { PackageURL } from "packageurl-js";
import { redactText, redactUrl } from "../util/redact.js";
import type { SystemBomInput } from "./collect.js";
import { systemVersion } from "./cyclonedx.js";
import { append } from "../util/append.js";

export const SPDX_CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld";
export const SPDX_SPEC_VERSION = "3.0.1";
/** The SPDX individual that says nothing is asserted about a license. */
export const NO_ASSERTION_LICENSE = "https://spdx.org/rdf/3.0.1/terms/ExpandedLicensing/NoAssertionLicense";

type Node = Record<string, unknown>;

const CONFIDENTIALITY: Record<string, string> = { public: "clear", internal: "green", confidential: "amber", restricted: "red" };

/** What the parts of one document share while it is built. */
interface Build {
  s: SystemBomInput;
  graph: Node[];
  rels: Node[];
  /** A unique element id of a kind and name. */
  id: (kind: string, name: string) => string;
  /** Adds an element to the graph; its id. */
  add: (type: string, spdxId: string, props: Node) => string;
  /** Adds a relationship when it has targets. */
  rel: (from: string, relationshipType: string, to: string[]) => void;
  /** The id of a license expression (one element per expression), or NOASSERTION. */
  lic: (license: string | undefined) => string;
}

const CI = "_:creationinfo";

export function spdxBom(s: SystemBomInput): string {
  const b = newBuild(s);
  const { graph, id, add } = b;
  const toolId = id("tool", "aigate");
  const ownerId = id("organization", s.manifest.owner.team);
  graph.push({
    type: "CreationInfo",
    "@id": CI,
    specVersion: SPDX_SPEC_VERSION,
    created: `${s.today}T00:00:00Z`,
    createdBy: [ownerId],
    createdUsing: [toolId],
  });
  add("Tool", toolId, { name: `aigate ${s.toolVersion}` });
  add("Organization", ownerId, {
    name: s.manifest.owner.team,
    externalIdentifier: [{ type: "ExternalIdentifier", externalIdentifierType: "email", identifier: s.manifest.owner.contact }],
  });
  const version = systemVersion(s);
  const systemId = add("software_Package", id("system", s.name), {
    name: s.name,
    ...(s.manifest.description ? { description: s.manifest.description } : {}),
    software_packageVersion: version,
    software_packageUrl: new PackageURL("generic", undefined, s.name, version, undefined).toString(),
    software_primaryPurpose: "application",
    originatedBy: [ownerId],
  });
  const datasetIds = addDatasets(b);
  // Element order is the document's order: models, then what the system uses, then libraries.
  const models = addModels(b, datasetIds);
  const usesTool = addServices(b);
  const members = [...models, ...addLibraries(b)];
  b.rel(systemId, "contains", [...members, ...datasetIds.values()]);
  b.rel(systemId, "usesTool", usesTool);
  addAnalysis(b, systemId);
  append(graph, b.rels);
  return documentOf(b, systemId);
}

function newBuild(s: SystemBomInput): Build {
  const seed = createHash("sha256")
    .update(JSON.stringify({ n: s.name, m: s.manifest, r: s.revision ?? "" }))
    .digest("hex")
    .slice(0, 16);
  const ids = new Set<string>();
  const graph: Node[] = [];
  const rels: Node[] = [];
  const licenses = new Map<string, string>();
  const b: Build = {
    s,
    graph,
    rels,
    id: (kind, name) => {
      let v = `urn:aigate:${seed}:${kind}:${encodeURIComponent(name)}`;
      for (let i = 2; ids.has(v); i++) v = `urn:aigate:${seed}:${kind}:${encodeURIComponent(name)}-${i}`;
      ids.add(v);
      return v;
    },
    add: (type, spdxId, props) => {
      graph.push({ type, spdxId, creationInfo: CI, ...props });
      return spdxId;
    },
    rel: (from, relationshipType, to) => {
      if (to.length)
        rels.push({
          type: "Relationship",
          spdxId: b.id("relationship", `${relationshipType}-${rels.length + 1}`),
          creationInfo: CI,
          from,
          relationshipType,
          to,
        });
    },
    lic: (l) => {
      const k = l ?? "";
      if (!licenses.has(k))
        licenses.set(k, l ? b.add("simplelicensing_LicenseExpression", b.id("license", l), { simplelicensing_licenseExpression: l }) : NO_ASSERTION_LICENSE);
      return licenses.get(k)!;
    },
  };
  return b;
}

/** Datasets: DatasetPackage elements with their licenses; their ids by name. */
function addDatasets({ s, add, id, rel, lic }: Build): Map<string, string> {
  const datasetIds = new Map<string, string>();
  for (const d of s.datasets) {
    const dsId = add("dataset_DatasetPackage", id("dataset", d.name), {
      name: d.name,
      software_primaryPurpose: "data",
      dataset_datasetType: ["noAssertion"],
      ...(CONFIDENTIALITY[d.sensitivity] ? { dataset_confidentialityLevel: CONFIDENTIALITY[d.sensitivity] } : {}),
      dataset_hasSensitivePersonalInformation: d.personalData === "none" || d.personalData === "anonymised" ? "no" : "yes",
      ...(d.anonymization ? { dataset_anonymizationMethodUsed: [d.anonymization] } : {}),
      ...(d.provenance?.collection ? { dataset_dataCollectionProcess: d.provenance.collection } : {}),
      dataset_intendedUse: d.use.join(", "),
      ...((d.uri ?? d.provenance?.uri) ? { software_downloadLocation: redactUrl((d.uri ?? d.provenance?.uri)!) } : {}),
      ...(d.provenance?.revision ? { software_packageVersion: d.provenance.revision } : {}),
      comment: [
        `sensitivity: ${d.sensitivity}`,
        `personal data: ${d.personalData}`,
        d.retention ? `retention: ${d.retention}` : "",
        d.provenance ? `provenance: ${d.provenance.origin}${d.provenance.supplier ? ` (${d.provenance.supplier})` : ""}` : "",
      ]
        .filter(Boolean)
        .join("; "),
    });
    datasetIds.set(d.name, dsId);
    rel(dsId, "hasConcludedLicense", [lic(undefined)]);
    rel(dsId, "hasDeclaredLicense", [lic(d.license)]);
  }
  return datasetIds;
}

/** Models: AIPackage elements with what the analysis says of them; their ids. */
function addModels({ s, add, id, rel, lic }: Build, datasetIds: Map<string, string>): string[] {
  const applicable = s.threats.filter((t) => t.applies);
  const members: string[] = [];
  const sensitiveTraining = s.datasets.some((d) => d.use.includes("training") && d.personalData !== "none" && d.personalData !== "anonymised");
  for (const m of s.models) {
    const e = m.entry;
    const a = m.artifact;
    const name = e?.name ?? a!.path;
    const sha = a?.sha256 ?? e?.sha256;
    const modelId = add("ai_AIPackage", id("model", name), {
      name,
      software_primaryPurpose: "model",
      ...(e?.source?.revision ? { software_packageVersion: e.source.revision } : {}),
      ...(e?.source?.uri ? { software_downloadLocation: redactUrl(e.source.uri) } : {}),
      ...(sha && /^[0-9a-f]{64}$/i.test(sha) ? { verifiedUsing: [{ type: "Hash", algorithm: "sha256", hashValue: sha.toLowerCase() }] } : {}),
      ...(e?.role ? { ai_typeOfModel: [e.role] } : {}),
      ai_autonomyType: s.manifest.profile.hasAgency === true ? "yes" : s.manifest.profile.hasAgency === false ? "no" : "noAssertion",
      ai_useSensitivePersonalInformation: sensitiveTraining ? "yes" : s.datasets.length ? "no" : "noAssertion",
      ...(applicable.length ? { ai_limitation: `OWASP AI Exchange threats that apply: ${applicable.map((t) => t.id).join(", ")}` } : {}),
      ...(s.manifest.description ? { ai_informationAboutApplication: s.manifest.description } : {}),
      ...(a ? { comment: `file ${a.path}; format ${a.format}; scanner verdict ${a.verdict}` } : e?.format ? { comment: `format ${e.format}` } : {}),
    });
    members.push(modelId);
    rel(modelId, "hasConcludedLicense", [lic(undefined)]);
    rel(modelId, "hasDeclaredLicense", [lic(e?.license)]);
    rel(
      modelId,
      "trainedOn",
      (e?.trainedOn ?? []).map((n) => datasetIds.get(n)).filter((x): x is string => !!x),
    );
  }
  return members;
}

/** Hosted model APIs, tools and MCP servers: what the system uses; their ids. */
function addServices({ s, add, id }: Build): string[] {
  const usesTool: string[] = [];
  for (const h of s.hostedModels) {
    usesTool.push(
      add("software_Package", id("hosted-model", h.name), {
        name: h.id ?? h.name,
        software_primaryPurpose: "model",
        comment: `hosted model API from ${h.provider}${h.role ? `; role ${h.role}` : ""}`,
      }),
    );
  }
  for (const t of s.tools) {
    usesTool.push(
      add("software_Package", id("tool", t.name), {
        name: t.name,
        software_primaryPurpose: "application",
        comment: `tool; privileges: ${t.privileges.join(", ") || "none"}; human approval: ${t.humanApproval}${t.actsAs ? `; acts as ${t.actsAs}` : ""}`,
      }),
    );
  }
  for (const srv of s.servers) {
    usesTool.push(
      add("software_Package", id("mcp-server", `${srv.location}:${srv.name}`), {
        name: srv.name,
        software_primaryPurpose: "application",
        ...(srv.version ? { software_packageVersion: srv.version } : {}),
        ...(srv.url ? { software_downloadLocation: srv.url } : {}),
        comment: redactText(
          `MCP server configured for ${srv.client} at ${srv.location}; transport ${srv.transport}${srv.package ? `; package ${srv.ecosystem}:${srv.package}${srv.pinned ? "" : " (unpinned)"}` : ""}${srv.autoApprove ? "; auto-approved tools" : ""}${srv.broadFilesystem ? "; whole file system or home folder" : ""}${srv.privilegedContainer ? "; privileged container" : ""}`,
        ),
      }),
    );
  }
  return usesTool;
}

/** AI/ML libraries with purls; their ids. */
function addLibraries({ s, add, id }: Build): string[] {
  return s.dependencies.map((d) => {
    const [ns, n] = d.ecosystem === "npm" && d.name.startsWith("@") ? [d.name.split("/")[0], d.name.split("/")[1]!] : [undefined, d.name];
    return add("software_Package", id("library", `${d.ecosystem}:${d.name}@${d.version ?? ""}`), {
      name: d.name,
      software_primaryPurpose: "library",
      ...(d.version ? { software_packageVersion: d.version } : {}),
      software_packageUrl: new PackageURL(d.ecosystem, ns, n, d.version, undefined).toString(),
      comment: `declared in ${d.declared}${d.version ? "" : "; not pinned"}`,
    });
  });
}

/** The Exchange analysis: one annotation per applicable threat and per applicable control. */
function addAnalysis({ s, add, id }: Build, systemId: string): void {
  for (const t of s.threats) {
    if (!t.applies) continue;
    add("Annotation", id("threat", t.id), {
      annotationType: "other",
      subject: systemId,
      statement: `OWASP AI Exchange threat ${t.id} (${t.title}) applies; responsibility ${t.responsibility ?? "unknown"}; priority ${t.priority ?? "normal"}${t.assumed ? "; assumed (a fact is not stated)" : ""}; ${t.link}`,
    });
  }
  for (const c of s.controls) {
    if (c.status === "not-applicable") continue;
    add("Annotation", id("control", c.id), {
      annotationType: "other",
      subject: systemId,
      statement: `OWASP AI Exchange control ${c.id} (${c.title}): ${c.status}; ${c.link}`,
    });
  }
}

/** The SBOM and the document around every element. */
function documentOf({ s, graph, id, lic }: Build, systemId: string): string {
  const dataLicense = lic("CC0-1.0");
  const elements = graph.filter((n) => n.type !== "CreationInfo").map((n) => n.spdxId as string);
  const sbomId = id("sbom", s.name);
  graph.push({
    type: "software_Sbom",
    spdxId: sbomId,
    creationInfo: CI,
    name: `AI-BOM of ${s.name}`,
    software_sbomType: ["analyzed"],
    rootElement: [systemId],
    element: elements,
  });
  graph.push({
    type: "SpdxDocument",
    spdxId: id("document", s.name),
    creationInfo: CI,
    name: `aigate AI-BOM: ${s.name}`,
    dataLicense,
    profileConformance: ["core", "software", "ai", "dataset", "simpleLicensing"],
    rootElement: [sbomId],
    element: [...elements, sbomId],
  });
  return `${JSON.stringify({ "@context": SPDX_CONTEXT, "@graph": graph }, null, 2)}\n`;
}
