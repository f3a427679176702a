// The OWASP AI Exchange taxonomy (data in ./data) and the result of its risk analysis.

export type When = Record<string, boolean>;

export interface ProfileFact {
  id: string;
  question: string;
  explanation?: string;
  core: boolean;
  default?: boolean;
  implies?: When;
}

export interface Threat {
  id: string;
  title: string;
  parent: string | null;
  lifecycle: string;
  description: string;
  link: string;
  isGroup: boolean;
  aliases: string[];
  controls: string[];
  genAIOnly: boolean;
}

export interface Control {
  id: string;
  title: string;
  group: string;
  threats: string[];
  alwaysApply: boolean;
  repoEvidence: string | null;
  description: string;
  link: string;
  aliases: string[];
  evidenceSignals?: string[];
  relevantWhen?: When[];
}

export interface ApplicabilityRule {
  id: string;
  effect: "include" | "ignore" | "deprioritize";
  when: When;
  threats: string[];
  responsibility?: "self" | "supplier";
  source: string;
  edition: "current" | "seed";
  usesDerivedFacts: boolean;
}

export interface DerivedFact {
  id: string;
  definition: string;
  anyThreatApplies: string[];
}

export interface SeedCase {
  name: string;
  profile: When;
  expectInclude: string[];
  expectIgnore: string[];
  expectDeprioritized?: string[];
  expectResponsibility?: Record<string, "self" | "supplier">;
  seedSentence: string;
}

export interface Taxonomy {
  schemaVersion: string;
  source: { repository: string; commit: string; date: string };
  profileFacts: ProfileFact[];
  factConstraints: { if: When; then: When; why: string }[];
  derivedFacts: DerivedFact[];
  threats: Threat[];
  controls: Control[];
  applicability: ApplicabilityRule[];
  seedCases: SeedCase[];
}

/** Why a threat applies or not: a rule that fired, with the facts it read. */
export interface Reason {
  rule: string;
  effect: ApplicabilityRule["effect"];
  /** Facts the rule read, with the value used. */
  facts: When;
  /** Facts the manifest does not state, taken as the value that lets the rule fire. */
  assumed: string[];
  /** Where the reason comes from when it is not a taxonomy rule (e.g. a manifest responsibility). */
  note?: string;
}

export type Responsibility = "self" | "supplier" | "shared";

export interface ThreatAssessment {
  id: string;
  title: string;
  link: string;
  applies: boolean;
  responsibility: Responsibility | null;
  priority: "normal" | "low" | null;
  /** True when the threat applies only because a fact the manifest does not state was assumed. */
  assumed: boolean;
  reasons: Reason[];
}

export interface ControlAssessment {
  id: string;
  title: string;
  link: string;
  applies: boolean;
  /** self: the organisation implements it; supplier: assurance is needed from a supplier. */
  owner: "self" | "supplier" | null;
  /** Applicable threats this control mitigates (or "always" for controls that always apply). */
  because: string[];
}

export interface Analysis {
  /** Facts after normalisation: stated, implied by a constraint, or defaulted. Unstated core facts are absent. */
  facts: When;
  stated: When;
  implied: Record<string, string>;
  defaulted: string[];
  unstated: string[];
  threats: ThreatAssessment[];
  controls: ControlAssessment[];
}
