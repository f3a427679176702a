// The standards crosswalk: catalogues of other standards' items and mappings from OWASP AI Exchange
// controls and threats to them. The data is in policies/crosswalk/ (schemas/data/crosswalk.schema.json).

/** Where a fact was copied from: a public repository at a pinned commit, and the file in it. */
export interface SourceRef {
  repository: string;
  commit: string;
  path: string;
  /** Where in the file (a section, a list), in aigate's words. */
  locator?: string;
}

/** One item of a standard: a technique, a risk, an article, a subcategory, a control. */
export interface StandardItem {
  id: string;
  title: string;
  link: string;
}

export interface Standard {
  id: string;
  title: string;
  version: string;
  link: string;
  /** The catalogue's provenance: copied from `source`, or `reviewed` (the rationale). */
  source?: SourceRef;
  reviewed?: string;
  items: StandardItem[];
}

/** Exchange control or threat `from` maps to `items` of `standard`: from a source, or reviewed with a rationale. */
export interface Mapping {
  from: string;
  standard: string;
  items: string[];
  source?: SourceRef;
  reviewed?: string;
}

/** The shape of each file in policies/crosswalk/. */
export interface CrosswalkFile {
  description: string;
  standards: Standard[];
  mappings: Mapping[];
}

/** References of a control, threat, rule or finding: item ids by standard id, standards in catalogue order. */
export type StandardRefs = Record<string, string[]>;
