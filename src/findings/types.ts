// One finding type for every stage: manifest errors, rule results, scanner observations.
export type Severity = "error" | "warning" | "note";
export const SEVERITIES: readonly Severity[] = ["error", "warning", "note"];

/** `baselined` (in the baseline file) and `pre-existing` (outside the changed lines under scope: changed) never fail the gate. */
export type FindingStatus = "open" | "accepted" | "suppressed" | "baselined" | "pre-existing";

/**
 * What a finding is about, for risk acceptances that name it (`packages`, `advisories`, `models`)
 * and for reports. Filled where the evidence says it: a dependency finding names its package and
 * advisories, a model finding its model.
 */
export interface FindingSubjects {
  /** Package names as the dependency file writes them (e.g. `torch`, `@langchain/core`). */
  packages?: string[];
  /** Ids of the advisories the finding reports, as the advisory database writes them (PYSEC-, GHSA-). */
  advisories?: string[];
  /** Other ids of those advisories (CVE-...), by advisory id: an acceptance may name either. */
  advisoryAliases?: Record<string, string[]>;
  /**
   * The model: the manifest's `models[].name` when an entry declares it, the model file's path
   * (relative to the checked folder) for a file, or the hub id the code downloads.
   */
  models?: string[];
}

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
  /** An exception the change under review adds would cover this finding; it stays open until then. */
  pendingException?: string;
  /** What the finding is about (package, advisories, model), when the evidence names it. */
  subjects?: FindingSubjects;
  /**
   * Set when several findings share rule, system, path and key: their position ordered by line and
   * column (0 for the first, which keeps the plain fingerprint; see `disambiguate`).
   */
  occurrence?: number;
  /** Why a risk acceptance naming this finding's rule did not accept it (too broad for a new finding, another subject). */
  note?: string;
  /**
   * The source line the finding points at, for a code frame: taken when the report is built (so
   * reporters never re-read the repository), at most 200 characters around the column, tabs as
   * spaces, secrets masked; never from data files or env files. `column` is the caret's 1-based
   * position in `text`.
   */
  snippet?: { text: string; column: number };
  /**
   * Set on a finding that stands for several of one rule, system and status past the report's bounds
   * (src/findings/fold.ts): how many, and their fingerprints (all of them when `complete`).
   */
  folded?: { count: number; fingerprints: string[]; complete: boolean };
}
