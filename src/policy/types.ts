// Policy packs, rules and the check-kind interface that every evidence source plugs into.
import type { Analysis, Taxonomy } from "../exchange/types.js";
import type { Finding, Severity } from "../findings/types.js";
import type { Inventory, Location } from "../inventory/types.js";
import type { System } from "../manifest/types.js";

/** When a rule runs: its control must apply to the system, and every condition here must hold. */
export interface RuleWhen {
  /** At least one of these threats applies (with responsibility self or shared unless `responsibility` says otherwise). */
  threats?: string[];
  /** Profile facts with the value they must have (an unstated fact matches: the analysis assumes the worst). */
  facts?: Record<string, boolean>;
  /** Run even when the rule's control does not apply to the system. */
  always?: boolean;
  /**
   * Run only when the rule maps (through its control and threats, by the standards crosswalk in
   * policies/crosswalk/) to one of these: a standard id (`eu-ai-act`) or one item (`owasp-llm-2025/LLM01`).
   */
  standards?: string[];
}

export interface Check {
  kind: string;
  [param: string]: unknown;
}

export interface Rule {
  id: string;
  title: string;
  control: string;
  threats: string[];
  severity: Severity;
  when?: RuleWhen;
  check: Check;
  message: string;
  remediation: string;
  link: string;
  /** Globs (relative to the scanned root) that limit where the rule's findings count. */
  paths?: string[];
  enabled?: boolean;
  /** The pack file and position the rule came from, for error messages. */
  origin?: Location;
}

export interface RuleOverride {
  rule: string;
  enabled?: boolean;
  severity?: Severity;
  paths?: string[];
}

/** A model-allowlist entry a pack adds for its organisation (`module.name`). */
export interface AllowlistEntry {
  module: string;
  name: string;
  reason: string;
}

export interface PolicyPack {
  name: string;
  version: string;
  rules: Rule[];
  /** Settings passed to scanners, merged over packs (later packs win, lists concatenate). */
  settings: Record<string, unknown>;
  /** Files that made up the pack, in load order. */
  files: string[];
}

/** What a check kind sees: the rule, one system, its analysis, and the inventory of the repository. */
export interface CheckContext {
  rule: Rule;
  system: System;
  analysis: Analysis;
  taxonomy: Taxonomy;
  inventory: Inventory;
  /** Files governed by this system (paths relative to the scanned root). */
  governedFiles: readonly string[];
  /** The same files as a set (built once per system: rules test membership for every observation). */
  governed: ReadonlySet<string>;
  /** A file's size in bytes when the inventory has it (a path relative to the scanned root), else undefined. */
  fileSize: (path: string) => number | undefined;
  /** Today's date (YYYY-MM-DD, UTC), from the run (tests pin it). */
  today: string;
  /** True when a path (relative to the scanned root) exists in the inventory as a file or a folder. */
  exists(path: string): boolean;
  /** True when the path is an empty file, or a folder or glob with no non-empty file in it. */
  isEmpty(path: string): boolean;
  /** Resolves a manifest path: relative to the manifest's folder; a leading "/" is the scanned root. */
  resolve(manifestPath: string): string;
  /** For a `summary` check kind: the system's findings from the rules that ran before it. */
  findings?: readonly Finding[];
  /** For a `summary` check kind: every rule of the pack (to tell which rule a finding came from). */
  rules?: readonly Rule[];
}

/** One problem a check found. The engine turns it into a finding with the rule's metadata. */
export interface CheckResult {
  location: Location;
  /** Overrides the rule's message (the rule's message is used when absent). */
  message?: string;
  /** Identifies the problem for the fingerprint (a pointer and value, a path, a global name). */
  key: string;
  /** Overrides the rule's control, e.g. the claimed control whose evidence is missing. */
  control?: string;
  threats?: string[];
  /** A severity for this result below the rule's (a summary reports the worst of what it folds, capped by its rule). */
  severity?: Severity;
  /** Fingerprints of the system's earlier findings this result stands for (a summary folds them into one). */
  replaces?: readonly string[];
  /** The result only removes the findings it `replaces` and is not a finding itself. */
  onlyReplaces?: boolean;
}

/** A problem with a rule's check parameters, at a JSON pointer below `check` (e.g. `/match`). */
export interface CheckProblem {
  at: string;
  message: string;
  /** Locate the problem at the key rather than at its value (an unknown key). */
  key?: boolean;
}

/** A check kind: one module with a typed `meta` and one line in `checks/index.ts`. */
export interface CheckKind {
  meta: {
    kind: string;
    description: string;
    /**
     * JSON Schema (2020-12) of the check's parameters besides `kind`. The pack loader validates every
     * rule's check against all of it (not only `properties`); a kind without parameters declares
     * `{ type: "object", properties: {}, additionalProperties: false }`.
     */
    paramsSchema: Record<string, unknown>;
    /** The `{name}` placeholders a rule's message may use: the values this kind passes to fill(). */
    placeholders: readonly string[];
    /**
     * `summary`: the kind's rules run after the system's other rules and see their findings
     * (`CheckContext.findings`); a result may stand for several of them (`replaces`).
     */
    phase?: "summary";
  };
  /** Checks parameters the schema cannot (a schema fragment that must compile, an observation kind that must exist). */
  validate?(params: Check): string | CheckProblem | undefined;
  /** The placeholders a rule with these parameters may use, when they depend on the parameters (default: meta.placeholders). */
  placeholders?(params: Check): readonly string[];
  run(params: Check, ctx: CheckContext): CheckResult[];
}
