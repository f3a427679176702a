// The catalogue of engine-raised findings (policies/diagnostics.yaml) and a builder for them.
import type { Location } from "../inventory/types.js";
import { loadData } from "../util/data.js";
import { fingerprint } from "./fingerprint.js";
import type { Finding, Severity } from "./types.js";

export interface DiagnosticMeta {
  id: string;
  title: string;
  control: string;
  threats: string[];
  severity: Severity;
  remediation: string;
  link: string;
}

let catalogue: Map<string, DiagnosticMeta> | undefined;

export function diagnosticCatalogue(): Map<string, DiagnosticMeta> {
  if (!catalogue) {
    const doc = loadData<{ diagnostics: DiagnosticMeta[] }>("policies/diagnostics.yaml");
    catalogue = new Map(doc.diagnostics.map((d) => [d.id, d]));
  }
  return catalogue;
}

export type DiagnosticId =
  | "manifest-missing"
  | "manifest-yaml"
  | "manifest-schema"
  | "manifest-reference"
  | "manifest-not-evaluated"
  | "manifest-old-id"
  | "profile-fact-conflict"
  | "manifest-duplicate-folder"
  | "risk-acceptance-stale"
  | "manifest-open-question";

/** A located problem found while loading, before it becomes a finding. */
export interface Diagnostic {
  id: DiagnosticId;
  message: string;
  location: Location;
  key: string;
  system: string | null;
}

export function diagnosticFinding(d: Diagnostic, severityOverride?: Severity): Finding {
  const meta = diagnosticCatalogue().get(d.id);
  if (!meta) throw new Error(`aigate: diagnostic ${d.id} is missing from policies/diagnostics.yaml`);
  return {
    ruleId: meta.id,
    title: meta.title,
    control: meta.control,
    threats: meta.threats,
    severity: severityOverride ?? meta.severity,
    status: "open",
    message: d.message,
    path: d.location.path,
    line: d.location.line,
    column: d.location.column,
    fingerprint: fingerprint({ ruleId: meta.id, system: d.system, path: d.location.path, key: d.key }),
    system: d.system,
    remediation: meta.remediation,
    link: meta.link,
  };
}
