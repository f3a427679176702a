// Loads the OWASP AI Exchange taxonomy (data/ai-exchange-taxonomy.json) and resolves ids and aliases.
import { loadData } from "../util/data.js";
import type { Control, Taxonomy, Threat } from "./types.js";

let cached: Taxonomy | undefined;

export function loadTaxonomy(): Taxonomy {
  cached ??= loadData<Taxonomy>("src/exchange/data/ai-exchange-taxonomy.json");
  return cached;
}

export interface ResolvedId {
  id: string;
  /** How the id was written when it was not the canonical id (an alias or another case). */
  writtenAs?: string;
}

/** Resolves a threat or control id written in a manifest or pack: exact, any case, or an older alias. */
export function resolveId(list: readonly (Threat | Control)[], written: string): ResolvedId | undefined {
  const upper = written.toUpperCase();
  for (const item of list) {
    if (item.id === written) return { id: item.id };
    if (item.id === upper || item.aliases.includes(upper)) return { id: item.id, writtenAs: written };
  }
  return undefined;
}

export function threatById(t: Taxonomy, id: string): Threat | undefined {
  return t.threats.find((x) => x.id === id);
}

export function controlById(t: Taxonomy, id: string): Control | undefined {
  return t.controls.find((x) => x.id === id);
}

/** The threat and all threats below it in the hierarchy. */
export function threatWithDescendants(t: Taxonomy, id: string): string[] {
  const out = [id];
  for (let i = 0; i < out.length; i++) for (const th of t.threats) if (th.parent === out[i]) out.push(th.id);
  return out;
}
