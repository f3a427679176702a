// The Report: the one value every reporter renders. Its JSON form is documented by
// schemas/report.schema.json.
import type { ThreatAssessment } from "../exchange/types.js";
import type { Finding, Severity } from "../findings/types.js";
import type { ModelArtifact, Unscanned } from "../inventory/types.js";

/**
 * What is known about a control, in order of precedence: `not-applicable` (the analysis rules it
 * out), `fail` (a finding about it fails or would fail the gate: open, baselined or pre-existing),
 * `accepted` (its findings are covered by a risk acceptance or an inline suppression), `supplier`
 * (only supplier threats need it), `verified` (a rule checked evidence: the cited files exist, or
 * signal files were found), `claimed` (claimed in the manifest, nothing checkable: no local
 * evidence, a URL, or not-applicable with a justification), `not-claimed` (neither claimed nor
 * evidenced, or only planned). Only `verified` is ever shown as a tick.
 */
export type ControlStatus = "verified" | "claimed" | "not-claimed" | "fail" | "accepted" | "supplier" | "not-applicable";
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
  /** For `verified`: the rules whose check found the evidence (cited files exist, signal files found). */
  verifiedBy?: string[];
}

export interface SystemReport {
  name: string;
  manifest: string;
  folder: string;
  evaluated: boolean;
  facts: { stated: Record<string, boolean>; implied: Record<string, boolean>; defaulted: Record<string, boolean>; unstated: string[] };
  threats: ThreatAssessment[];
  controls: ControlReport[];
  /** Models the manifest declares (`models[]`), whether or not their files are in the repository. */
  models?: number;
  /** The manifest's risk acceptances with their expiry (for the organisation posture). */
  acceptances?: AcceptanceRecord[];
  /** `verdict` is "not-evaluated" for a system whose manifest has errors: it is never shown as passing. */
  summary: { errors: number; warnings: number; notes: number; accepted: number; passed: boolean; verdict?: "passed" | "failed" | "not-evaluated" };
}

/** A pack source outside the repository: a GitHub repository at a commit, or an npm package version. */
export interface PolicySourceRecord {
  /** The reference as written in the configuration or on the command line. */
  ref: string;
  kind: "github" | "npm";
  /** False for a moving reference (branch, tag, range) that the configuration allowed. */
  pinned: boolean;
  /** The commit SHA (github) or exact version (npm) that was used. */
  resolved: string;
  /** npm: the tarball's integrity hash. */
  integrity?: string;
  /** The pack files read from it. */
  files: string[];
}

/** A risk acceptance of a system's manifest, as the organisation posture lists them by expiry. */
export interface AcceptanceRecord {
  id: string | null;
  /** What it accepts: a rule id, a control, a threat, or fingerprints. */
  target: string;
  approver: string;
  expires: string;
  /** Findings of this run it accepted. */
  accepted: number;
  /** Whether it is trusted (present at the base commit), or added by the change under review (pending). */
  pending: boolean;
}

/** An exception the change under review adds to the gate's own configuration: it does not count yet. */
export interface PendingException {
  kind: "risk-acceptance" | "suppression" | "baseline" | "policy-pack" | "ignore" | "config";
  path: string;
  line: number;
  system: string | null;
  description: string;
  /** Fingerprints of the findings it would cover (they stay open). */
  covers: string[];
}

/** One entry of a baseline file (written by `aigate baseline`). */
export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  system: string | null;
  path: string;
  message: string;
}

export interface Report {
  reportVersion: "1";
  tool: { name: "aigate"; version: string };
  generatedAt: string;
  today: string;
  root: string;
  policy: {
    name: string;
    version: string;
    files: string[];
    rules: number;
    /** Packs read from other repositories or npm packages, with the commit or version used (see src/packs/). */
    sources?: PolicySourceRecord[];
  };
  /** The repository the report is about (owner/name) and its commit, when known (the Action, `check --repository`). */
  repository?: { name: string; commit?: string | null };
  /** The configuration file (aigate.yml) that applied, and where it was read from. */
  config?: { file: string | null; source: string };
  systems: SystemReport[];
  findings: Finding[];
  inventory: { files: number; models: ModelArtifact[]; unscanned: Unscanned[] };
  /** Where the gate's configuration (packs, baseline, acceptances, suppressions) was trusted from. */
  trust?: { base: string | null; source: string };
  /** Exceptions this change adds: they apply after review. */
  pending?: PendingException[];
  /** The baseline that applied: how many entries were trusted or pending, and the trusted ones no finding has any more. */
  baseline?: { file: string; entries: number; pending: number; fixed: BaselineEntry[] };
  /** Plain-language notes on what the verdict stage did (scope, baseline, pending exceptions). */
  notes?: string[];
  summary: {
    findings: number;
    open: number;
    accepted: number;
    /** Findings by status (open, accepted, suppressed, ...). */
    byStatus?: Record<string, number>;
    bySeverity: Record<Severity, number>;
    failOn: FailOn;
    /** Systems whose manifest has errors: they fail the gate unless fail-on is never. */
    notEvaluated?: number;
    passed: boolean;
  };
}
