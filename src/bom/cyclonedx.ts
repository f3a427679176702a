// The CycloneDX 1.7 JSON AI-BOM of one system, built with @cyclonedx/cyclonedx-library: the system
// is metadata.component; models are `machine-learning-model` components with a modelCard; datasets
// are `data` components with governance; hosted model APIs, declared tools and MCP servers are
// services; AI/ML libraries are `library` components with purls; the Exchange threats and control
// statuses are properties. The library has no model for `modelCard`, component `data` or service
// `trustZone`, so those are added to its serialised JSON by bom-ref. The output is deterministic:
// sorted lists, the timestamp from `today`, and a serial number derived from the content.
import { createHash } from "node:crypto";
// Subpath imports: the package root also loads the XML validator's optional native dependency.
import * as Enums from "@cyclonedx/cyclonedx-library/Enums";
import * as Models from "@cyclonedx/cyclonedx-library/Models";
import * as SPDX from "@cyclonedx/cyclonedx-library/SPDX";
import * as Serialize from "@cyclonedx/cyclonedx-library/Serialize";
import * as Spec from "@cyclonedx/cyclonedx-library/Spec";
import { PackageURL } from "packageurl-js";
import { redactText, redactUrl } from "../util/redact.js";
import type { BomModel, SystemBomInput } from "./collect.js";

const CDX = { Enums, Models, SPDX, Serialize, Spec };

export const CYCLONEDX_SPEC = "1.7";

const P = (name: string, value: string | number | boolean) => new CDX.Models.Property(name, String(value));
const HF = /^(?:https?:\/\/(?:www\.)?(?:huggingface\.co|hf\.co)\/|hf:\/\/)([A-Za-z0-9][\w.-]*)\/([\w.-]+)/;

function license(id: string): Models.License {
  if (CDX.SPDX.isSupportedSpdxId(id)) return new CDX.Models.SpdxLicense(id);
  if (/^(?:LicenseRef-|DocumentRef-)[A-Za-z0-9.-]+$/.test(id) || /\b(?:AND|OR|WITH)\b/.test(id)) return new CDX.Models.LicenseExpression(id);
  return new CDX.Models.NamedLicense(id);
}

/** A purl for the system, a model or a dataset: the hub's type where there is one, else `generic`. */
function purl(type: string, name: string, version?: string, namespace?: string, qualifiers?: Record<string, string>): string {
  return new PackageURL(type, namespace, name, version, qualifiers).toString();
}

/** A UUID (version 5 layout) from a digest, so the same content gets the same serial number. */
export function uuidFromDigest(hex: string): string {
  const b = Buffer.from(hex.slice(0, 32), "hex");
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function systemVersion(s: SystemBomInput): string {
  return s.revision ?? "0.0.0-unversioned";
}

interface Extra {
  modelCards: Map<string, Record<string, unknown>>;
  data: Map<string, Record<string, unknown>[]>;
  services: Map<string, Record<string, unknown>>;
}

/** What the parts of one BOM share while it is built. */
interface Build {
  s: SystemBomInput;
  bom: Models.Bom;
  extra: Extra;
  /** A bom-ref not used yet: `want`, else `want#2`, `want#3`, ... */
  ref: (want: string) => string;
}

export function cyclonedxBom(s: SystemBomInput): string {
  const refs = new Set<string>();
  const b: Build = {
    s,
    bom: new CDX.Models.Bom(),
    extra: { modelCards: new Map(), data: new Map(), services: new Map() },
    ref: (want) => {
      let r = want;
      for (let i = 2; refs.has(r); i++) r = `${want}#${i}`;
      refs.add(r);
      return r;
    },
  };
  const root = systemComponent(b);
  // Datasets first: models refer to them.
  const datasetRefs = addDatasets(b);
  addModels(b, datasetRefs);
  addServices(b);
  addLibraries(b);
  for (const c of b.bom.components) root.dependencies.add(c.bomRef);
  return serialise(b, root);
}

/** The system itself: metadata.component, with its verdict, profile, threats and controls as properties. */
function systemComponent({ s, bom, ref }: Build): Models.Component {
  const version = systemVersion(s);
  const root = new CDX.Models.Component(CDX.Enums.ComponentType.Application, s.name, {
    bomRef: ref(`system:${s.name}`),
    version,
    purl: purl("generic", s.name, version),
    ...(s.manifest.description ? { description: s.manifest.description } : {}),
    supplier: new CDX.Models.OrganizationalEntity({
      name: s.manifest.owner.team,
      contact: new CDX.Models.OrganizationalContactRepository([new CDX.Models.OrganizationalContact({ name: s.manifest.owner.contact })]),
    }),
  });
  root.properties.add(P("aigate:manifest", s.manifestPath));
  root.properties.add(P("aigate:verdict", s.verdict));
  root.properties.add(P("aigate:findings", `errors=${s.findings.errors} warnings=${s.findings.warnings} notes=${s.findings.notes}`));
  for (const [fact, value] of Object.entries(s.manifest.profile)) root.properties.add(P(`aigate:profile:${fact}`, value));
  for (const t of s.threats)
    if (t.applies)
      root.properties.add(
        P(
          `aigate:threat:${t.id}`,
          `applies; responsibility=${t.responsibility ?? "unknown"}; priority=${t.priority ?? "normal"}${t.assumed ? "; assumed" : ""}`,
        ),
      );
  for (const c of s.controls) if (c.status !== "not-applicable") root.properties.add(P(`aigate:control:${c.id}`, c.status));
  bom.metadata.component = root;
  bom.metadata.timestamp = new Date(`${s.today}T00:00:00Z`);
  bom.metadata.tools.components.add(
    new CDX.Models.Component(CDX.Enums.ComponentType.Application, "aigate", { version: s.toolVersion, bomRef: ref("tool:aigate") }),
  );
  return root;
}

/** Datasets: `data` components, their governance added to the JSON by bom-ref. */
function addDatasets({ s, bom, extra, ref }: Build): Map<string, Models.Component> {
  const datasetRefs = new Map<string, Models.Component>();
  for (const d of s.datasets) {
    const c = new CDX.Models.Component(CDX.Enums.ComponentType.Data, d.name, {
      bomRef: ref(`dataset:${d.name}`),
      purl: purl("generic", d.name, d.provenance?.revision),
    });
    if (d.provenance?.revision) c.version = d.provenance.revision;
    if (d.license) c.licenses.add(license(d.license));
    const uri = d.uri ?? d.provenance?.uri;
    if (uri) c.externalReferences.add(new CDX.Models.ExternalReference(redactUrl(uri), CDX.Enums.ExternalReferenceType.Distribution));
    c.properties.add(P("aigate:dataset:use", d.use.join(",")));
    c.properties.add(P("aigate:dataset:sensitivity", d.sensitivity));
    c.properties.add(P("aigate:dataset:personalData", d.personalData));
    if (d.retention) c.properties.add(P("aigate:dataset:retention", d.retention));
    if (d.provenance)
      c.properties.add(P("aigate:dataset:provenance", [d.provenance.origin, d.provenance.supplier, d.provenance.collection].filter(Boolean).join("; ")));
    for (const p of d.paths ?? []) c.properties.add(P("aigate:dataset:path", p));
    bom.components.add(c);
    datasetRefs.set(d.name, c);
    extra.data.set(c.bomRef.value!, [
      {
        type: "dataset",
        name: d.name,
        classification: d.sensitivity,
        ...(d.personalData !== "none" ? { sensitiveData: [`personal data: ${d.personalData}${d.anonymization ? ` (${d.anonymization})` : ""}`] } : {}),
        description: `use: ${d.use.join(", ")}${d.retention ? `; retention: ${d.retention}` : ""}${d.provenance ? `; provenance: ${d.provenance.origin}${d.provenance.supplier ? ` from ${d.provenance.supplier}` : ""}` : ""}`,
        governance: { owners: [{ organization: { name: d.provenance?.supplier ?? s.manifest.owner.team } }] },
      },
    ]);
  }
  return datasetRefs;
}

/** Models: declared entries (with their file, source or hub id) and model files nobody declared, each with a model card. */
function addModels({ s, bom, extra, ref }: Build, datasetRefs: Map<string, Models.Component>): void {
  const applicable = s.threats.filter((t) => t.applies);
  const controlsFor = (threat: string) => s.controls.filter((c) => c.status !== "not-applicable" && c.because.includes(threat));
  for (const m of s.models) {
    const c = modelComponent(m, ref);
    const trained = (m.entry?.trainedOn ?? []).map((n) => datasetRefs.get(n)).filter((x): x is Models.Component => !!x);
    for (const d of trained) c.dependencies.add(d.bomRef);
    bom.components.add(c);
    extra.modelCards.set(c.bomRef.value!, {
      modelParameters: {
        ...(m.entry?.role ? { task: m.entry.role } : {}),
        ...(trained.length ? { datasets: trained.map((d) => ({ ref: d.bomRef.value })) } : {}),
      },
      considerations: {
        ...(s.manifest.description ? { useCases: [s.manifest.description] } : {}),
        ethicalConsiderations: applicable.map((t) => ({
          name: `${t.id}: ${t.title}`,
          mitigationStrategy:
            controlsFor(t.id)
              .map((x) => `${x.id} ${x.status}`)
              .join(", ") || "no control applies",
        })),
      },
    });
  }
}

/** Hosted model APIs, tools and MCP servers are services. */
function addServices({ s, bom, extra, ref }: Build): void {
  for (const h of s.hostedModels) {
    const svc = new CDX.Models.Service(h.id ?? h.name, {
      bomRef: ref(`service:model:${h.name}`),
      provider: new CDX.Models.OrganizationalEntity({ name: h.provider! }),
    });
    svc.properties.add(P("aigate:model:name", h.name));
    if (h.role) svc.properties.add(P("aigate:model:role", h.role));
    if (h.license) svc.licenses.add(license(h.license));
    bom.services.add(svc);
    extra.services.set(svc.bomRef.value!, { trustZone: "external", data: [{ flow: "bi-directional", classification: "model input and output" }] });
  }
  for (const t of s.tools) {
    const svc = new CDX.Models.Service(t.name, { bomRef: ref(`service:tool:${t.name}`) });
    svc.properties.add(P("aigate:tool:privileges", t.privileges.join(",") || "none"));
    svc.properties.add(P("aigate:tool:humanApproval", t.humanApproval));
    if (t.kind) svc.properties.add(P("aigate:tool:kind", t.kind));
    if (t.actsAs) svc.properties.add(P("aigate:tool:actsAs", t.actsAs));
    for (const r of t.resources ?? []) svc.properties.add(P("aigate:tool:resource", r));
    bom.services.add(svc);
  }
  for (const srv of s.servers) {
    const svc = mcpService(srv, s.tools, ref);
    bom.services.add(svc);
    extra.services.set(svc.bomRef.value!, { ...(srv.url ? { endpoints: [srv.url] } : {}), trustZone: srv.transport === "stdio" ? "local" : "external" });
  }
}

function mcpService(srv: SystemBomInput["servers"][number], tools: SystemBomInput["tools"], ref: (want: string) => string): Models.Service {
  const svc = new CDX.Models.Service(srv.name, { bomRef: ref(`service:mcp:${srv.location.replace(/:\d+:\d+$/, "")}:${srv.name}`) });
  svc.group = "mcp";
  if (srv.version) svc.version = srv.version;
  svc.properties.add(P("aigate:mcp:client", srv.client));
  svc.properties.add(P("aigate:mcp:configuredAt", srv.location));
  svc.properties.add(P("aigate:mcp:transport", srv.transport));
  if (srv.command) svc.properties.add(P("aigate:mcp:command", redactText(srv.command)));
  if (srv.package)
    svc.properties.add(P("aigate:mcp:package", `${srv.ecosystem}:${srv.package}${srv.version ? `@${srv.version}` : ""}${srv.pinned ? "" : " (unpinned)"}`));
  if (srv.disabled) svc.properties.add(P("aigate:mcp:disabled", true));
  if (srv.autoApprove) svc.properties.add(P("aigate:mcp:autoApprove", srv.autoApprove === "all" ? "all tools" : srv.autoApprove.join(",")));
  if (srv.broadFilesystem) svc.properties.add(P("aigate:mcp:privilege", "whole file system or home folder"));
  if (srv.privilegedContainer) svc.properties.add(P("aigate:mcp:privilege", "privileged container"));
  const declared = tools.some((t) => t.name.toLowerCase().replace(/[\s_.-]+/g, "") === srv.name.toLowerCase().replace(/[\s_.-]+/g, ""));
  svc.properties.add(P("aigate:mcp:declared", declared));
  return svc;
}

/** AI/ML libraries, as the dependency scanner read them: `library` components with purls. */
function addLibraries({ s, bom, ref }: Build): void {
  for (const d of s.dependencies) {
    const scoped = d.ecosystem === "npm" && d.name.startsWith("@") ? d.name.slice(1).split("/") : undefined;
    const c = new CDX.Models.Component(CDX.Enums.ComponentType.Library, scoped ? scoped[1]! : d.name, {
      bomRef: ref(`pkg:${d.ecosystem}:${d.name}${d.version ? `@${d.version}` : ""}`),
      ...(scoped ? { group: `@${scoped[0]}` } : {}),
      ...(d.version ? { version: d.version } : {}),
      purl: purl(d.ecosystem, scoped ? scoped[1]! : d.name, d.version, scoped ? `@${scoped[0]}` : undefined),
    });
    c.properties.add(P("aigate:declaredIn", d.declared));
    if (!d.version) c.properties.add(P("aigate:pinned", false));
    bom.components.add(c);
  }
}

/** The library's JSON with what it has no model for added by bom-ref, and a serial number from the content. */
function serialise({ bom, extra }: Build, root: Models.Component): string {
  const serializer = new CDX.Serialize.JsonSerializer(new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot7));
  const json = JSON.parse(serializer.serialize(bom, { sortLists: true })) as Record<string, unknown>;
  for (const c of (json.components as Record<string, unknown>[] | undefined) ?? []) {
    const r = String(c["bom-ref"]);
    if (extra.modelCards.has(r)) c.modelCard = extra.modelCards.get(r);
    if (extra.data.has(r)) c.data = extra.data.get(r);
  }
  for (const svc of (json.services as Record<string, unknown>[] | undefined) ?? []) {
    const r = String(svc["bom-ref"]);
    if (extra.services.has(r)) Object.assign(svc, extra.services.get(r));
  }
  // Services depend on nothing here; their empty entries are left out, so every dependency entry
  // names a component (cdxgen's reference check reads components only).
  const componentRefs = new Set([root.bomRef.value, ...[...bom.components].map((c) => c.bomRef.value)]);
  if (Array.isArray(json.dependencies))
    json.dependencies = (json.dependencies as { ref: string; dependsOn?: string[] }[]).filter((d) => componentRefs.has(d.ref) || d.dependsOn?.length);
  // The serial number is derived from the content (without the serial number itself).
  delete json.serialNumber;
  const digest = createHash("sha256").update(JSON.stringify(json)).digest("hex");
  const ordered: Record<string, unknown> = {
    bomFormat: json.bomFormat,
    specVersion: json.specVersion,
    serialNumber: `urn:uuid:${uuidFromDigest(digest)}`,
    version: json.version ?? 1,
  };
  for (const [k, v] of Object.entries(json)) if (!(k in ordered)) ordered[k] = v;
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

function modelComponent(m: BomModel, ref: (want: string) => string): Models.Component {
  const e = m.entry;
  const a = m.artifact;
  const name = e?.name ?? a!.path;
  const hub = e?.source?.uri ? HF.exec(e.source.uri) : null;
  const version = e?.source?.revision;
  const c = new CDX.Models.Component(CDX.Enums.ComponentType.MachineLearningModel, name, {
    bomRef: ref(`model:${name}`),
    ...(version ? { version } : {}),
    purl: hub ? purl("huggingface", hub[2]!, version, hub[1]) : purl("generic", name.replace(/^.*\//, ""), version),
  });
  // The file's digest (computed, or from its Git LFS pointer), else the manifest's sha256, else a
  // `sha256:` digest given as the source revision.
  const revisionDigest = /^sha256:([0-9a-f]{64})$/i.exec(e?.source?.revision ?? "")?.[1];
  const sha = a?.sha256 ?? e?.sha256 ?? revisionDigest;
  if (sha && /^[0-9a-f]{64}$/i.test(sha)) c.hashes.set(CDX.Enums.HashAlgorithm["SHA-256"], sha.toLowerCase());
  if (e?.license) c.licenses.add(license(e.license));
  if (e?.source?.uri) c.externalReferences.add(new CDX.Models.ExternalReference(redactUrl(e.source.uri), CDX.Enums.ExternalReferenceType.Distribution));
  if (e?.source?.revision) c.properties.add(P("aigate:model:revision", e.source.revision));
  if (e?.baseModel) c.properties.add(P("aigate:model:baseModel", e.baseModel));
  if (e?.role) c.properties.add(P("aigate:model:role", e.role));
  if (e?.format || a) c.properties.add(P("aigate:model:format", a && a.format !== "lfs-pointer" ? a.format : (e?.format ?? a!.format)));
  if (a) {
    c.properties.add(P("aigate:model:path", a.path));
    c.properties.add(P("aigate:model:verdict", a.verdict));
    c.properties.add(P("aigate:model:size", a.size));
    if (a.format === "lfs-pointer") c.properties.add(P("aigate:model:hashFrom", "git-lfs-pointer"));
    for (const g of a.globals ?? []) c.properties.add(P("aigate:model:global", g));
  } else if (e?.sha256) c.properties.add(P("aigate:model:hashFrom", "manifest"));
  else if (revisionDigest) c.properties.add(P("aigate:model:hashFrom", "source revision"));
  if (e && !a && e.path) c.properties.add(P("aigate:model:path", e.path));
  return c;
}
