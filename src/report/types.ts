// The Report: the one value every reporter renders. Its JSON form is documented by
// schemas/report.schema.json.
import type { ThreatAssessment } from "../exchange/types.js";
import type { Finding, Severity } from "../findings/types.js";
import type { ModelArtifact, Unscanned } from "../inventory/types.js";

export type ControlStatus = "pass" | "fail" | "accepted" | "supplier" | "not-applicable";
export type FailOn = Severity | "never";

export interface ControlReport {
  id: string;
  title: string;
  link: string;
  status: ControlStatus;
  /** Claimed status in the manifest, if any. */
  claimed: string | null;
  /** The applicable threats it mitigates ("always" for controls that always apply). */
  because: string[];
  findings: number;
}

export interface SystemReport {
  name: string;
  manifest: string;
  folder: string;
  evaluated: boolean;
  facts: { stated: Record<string, boolean>; implied: Record<string, boolean>; defaulted: Record<string, boolean>; unstated: string[] };
  threats: ThreatAssessment[];
  controls: ControlReport[];
  summary: { errors: number; warnings: number; notes: number; accepted: number; passed: boolean };
}

export interface Report {
  reportVersion: "1";
  tool: { name: "aigate"; version: string };
  generatedAt: string;
  today: string;
  root: string;
  policy: { name: string; version: string; files: string[]; rules: number };
  systems: SystemReport[];
  findings: Finding[];
  inventory: { files: number; models: ModelArtifact[]; unscanned: Unscanned[] };
  summary: {
    findings: number;
    open: number;
    accepted: number;
    /** Findings by status (open, accepted, suppressed, ...). */
    byStatus?: Record<string, number>;
    bySeverity: Record<Severity, number>;
    failOn: FailOn;
    passed: boolean;
  };
}
