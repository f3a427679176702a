// The inventory is what one walk of the repository found, plus what the scanners observed.
// Scanners report facts (observations); they never decide severity: policy rules do.
import type { ObservationKind } from "./observation-kinds.js";

export type { ObservationKind } from "./observation-kinds.js";

/** A file found by the walk. `path` is POSIX, relative to the scanned root. */
export interface RepoFile {
  path: string;
  size: number;
  /** git's blob id when the file is tracked and unchanged: files with one id have the same bytes. */
  oid?: string;
}

/** A place in a file. Lines and columns are 1-based; a whole-file fact is at line 1, column 1. */
export interface Location {
  path: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/**
 * A fact a scanner established about the repository, e.g. "models/x.pt is a PyTorch zip whose
 * data.pkl imports posix.system at offset 812". `kind` names the observation (`model.unsafe`,
 * `data.personal-data`, ...; the catalogue is observation-kinds.ts); `key` identifies the problem
 * for stable fingerprints (the offending value or a normalised snippet, never a line number).
 */
export interface Observation {
  scanner: string;
  kind: ObservationKind;
  location: Location;
  message: string;
  key: string;
  data?: Record<string, unknown>;
}

/** A file a scanner could not read or parse: reported as unscanned, never as safe. */
export interface Unscanned {
  path: string;
  scanner: string;
  reason: string;
  /** The walk's bound kept it out (a folder too deep, paths past the entry limit): unread content, never clean. */
  bounded?: true;
}

/** A model artifact found in the repository (`inventory.models[]` of the JSON report). */
export interface ModelArtifact {
  path: string;
  format: string;
  verdict: "safe" | "suspicious" | "unsafe" | "error" | "unscanned";
  sha256: string | null;
  size: number;
  /** The globals (module.name) that decided the verdict, for pickle-based formats. */
  globals?: string[];
  details?: Record<string, unknown>;
}

/** What every scanner adds to the inventory. */
export interface ScanResult {
  observations: Observation[];
  unscanned: Unscanned[];
  models?: ModelArtifact[];
  /** Anything else the scanner wants rules to see, keyed by the scanner id. */
  facts?: Record<string, unknown>;
}

/** Settings a policy pack may pass to scanners (e.g. an organisation's model allowlist). */
export type ScannerSettings = Record<string, unknown>;

export interface ScanContext {
  /** Absolute path of the scanned root. */
  root: string;
  /** Every file the walk found (ignores already applied). */
  files: readonly RepoFile[];
  settings: ScannerSettings;
  /** Reads at most `length` bytes at `position` of a repository file (relative path). */
  readRange(path: string, position: number, length: number): Promise<Buffer>;
}

/** A scanner: one module with a typed `meta` and one line in `scanners/index.ts`. */
export interface Scanner {
  meta: { id: string; description: string };
  scan(ctx: ScanContext): Promise<ScanResult>;
}

export interface Inventory {
  root: string;
  files: RepoFile[];
  observations: Observation[];
  unscanned: Unscanned[];
  models: ModelArtifact[];
  facts: Record<string, unknown>;
}
