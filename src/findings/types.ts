// One finding type for every stage: manifest errors, rule results, scanner observations.
export type Severity = "error" | "warning" | "note";
export const SEVERITIES: readonly Severity[] = ["error", "warning", "note"];

/** `baselined` (in the baseline file) and `pre-existing` (outside the changed lines under scope: changed) never fail the gate. */
export type FindingStatus = "open" | "accepted" | "suppressed" | "baselined" | "pre-existing";

export interface Finding {
  ruleId: string;
  title: string;
  control: string | null;
  threats: string[];
  severity: Severity;
  status: FindingStatus;
  message: string;
  path: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  /** Stable across runs and unrelated edits: rule, system, path and the evidence key, never the line. */
  fingerprint: string;
  /** Name of the system (manifest `name`), or null for findings outside any system. */
  system: string | null;
  remediation?: string;
  link?: string;
  /** Why the finding is accepted (the risk acceptance's id or justification). */
  acceptedBy?: string;
}
