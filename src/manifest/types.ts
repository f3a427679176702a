// The parsed `ai-system.yaml` and where each of its values sits in the file.
import type { Location } from "../inventory/types.js";

export type FactValues = Record<string, boolean>;

export interface ModelEntry {
  name: string;
  role?: string;
  path?: string;
  provider?: string;
  id?: string;
  source?: { uri: string; revision?: string };
  sha256?: string;
  format?: string;
  license?: string;
  baseModel?: string;
  trainedOn?: string[];
}

export interface DatasetEntry {
  name: string;
  use: string[];
  paths?: string[];
  uri?: string;
  provenance?: { origin: string; supplier?: string; uri?: string; revision?: string; collection?: string };
  sensitivity: string;
  personalData: string;
  anonymization?: string;
  retention?: string;
  license?: string;
}

export interface ToolEntry {
  name: string;
  kind?: string;
  privileges: string[];
  resources?: string[];
  actsAs?: string;
  humanApproval: "always" | "on-write" | "never";
  path?: string;
}

export interface ControlClaim {
  status: "implemented" | "partial" | "planned" | "not-applicable";
  evidence?: string[];
  note?: string;
  due?: string;
}

export interface Responsibility {
  supplier: string;
  models?: string[];
  share: "supplier" | "shared";
  threats?: string[];
  controls?: string[];
  assurance: string[];
  reviewed?: string;
  expires?: string;
  note?: string;
}

export interface RiskAcceptance {
  id?: string;
  rule?: string;
  control?: string;
  threat?: string;
  /** Globs of the finding's path. */
  paths?: string[];
  /** Exact findings (their fingerprints, as reports show them). */
  fingerprints?: string[];
  /** Packages the finding is about (PyPI names compare case-, `-`/`_`/`.`-insensitively). */
  packages?: string[];
  /** Advisory ids or aliases (PYSEC-, GHSA-, CVE-): every advisory the finding reports must be named. */
  advisories?: string[];
  /** Models: a models[].name, a model file's path or a hub id the code downloads. */
  models?: string[];
  justification: string;
  approver: string;
  approved?: string;
  expires: string;
  ticket?: string;
}

export interface Manifest {
  apiVersion: "aigate/v1";
  name: string;
  description?: string;
  owner: { team: string; contact: string };
  profile: FactValues;
  ignore?: string[];
  models?: ModelEntry[];
  datasets?: DatasetEntry[];
  tools?: ToolEntry[];
  controls?: Record<string, ControlClaim>;
  responsibilities?: Responsibility[];
  riskAcceptances?: RiskAcceptance[];
}

/** Offsets of a YAML node: the key (for mapping entries) and the value. */
export interface NodeRange {
  key?: [number, number];
  value: [number, number];
}

/** A manifest file: its text, parsed value and a locator from JSON pointer to file position. */
export interface ManifestSource {
  /** Path relative to the scanned root (POSIX). */
  path: string;
  text: string;
  ranges: Map<string, NodeRange>;
  /** 1-based line/column of an offset. */
  position(offset: number): { line: number; column: number };
}

/** A validated manifest, ready for analysis. */
export interface System {
  manifest: Manifest;
  source: ManifestSource;
  /** Folder the system governs, relative to the scanned root ("" for the root). */
  folder: string;
  /** Folders below `folder` governed by nested manifests (excluded from this system). */
  excludedFolders: string[];
  /** True for the stand-in system that holds files no manifest governs (no manifest checks run on it). */
  synthetic: boolean;
  /** Locates a JSON pointer in the manifest (the key when `key` is asked and present). */
  locate(pointer: string, prefer?: "key" | "value"): Location;
}
