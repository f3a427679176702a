// The standards crosswalk: which items of other standards (OWASP Top 10 for LLM Applications, the
// OWASP agentic threats, MITRE ATLAS, NIST AI RMF and AI 100-2, ISO/IEC 42001, the EU AI Act, the
// CoSAI Risk Map) each OWASP AI Exchange control and threat corresponds to, and so each rule and
// finding. Data: policies/crosswalk/generated.json (copied from sources by scripts/build-crosswalk.ts)
// and policies/crosswalk/reviewed.yaml (reviewed mappings with a rationale), both read through loadData.
import type { Taxonomy } from "../exchange/types.js";
import { loadData } from "../util/data.js";
import { suggest } from "../util/suggest.js";
import type { CrosswalkFile, Mapping, Standard, StandardItem, StandardRefs } from "./types.js";

export type { Mapping, Standard, StandardItem, StandardRefs } from "./types.js";

/** The order standards are shown in (reports, tags, docs); a standard not listed comes after, by id. */
export const STANDARD_ORDER = [
  "owasp-llm-2025",
  "owasp-agentic-threats",
  "mitre-atlas",
  "nist-ai-rmf",
  "nist-ai-100-2",
  "iso-42001",
  "eu-ai-act",
  "cosai-risk-map",
] as const;

export interface Crosswalk {
  standards: Standard[];
  mappings: Mapping[];
}

let cached: (Crosswalk & { byFrom: Map<string, StandardRefs>; byStandard: Map<string, Standard>; order: Map<string, number> }) | undefined;

const rank = (id: string) => {
  const i = (STANDARD_ORDER as readonly string[]).indexOf(id);
  return i < 0 ? STANDARD_ORDER.length : i;
};

/** Both crosswalk files, merged: standards in display order, mappings generated first. */
export function loadCrosswalk(): Crosswalk {
  if (cached) return cached;
  const files = [loadData<CrosswalkFile>("policies/crosswalk/generated.json"), loadData<CrosswalkFile>("policies/crosswalk/reviewed.yaml")];
  const standards = files.flatMap((f) => f.standards).sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
  const mappings = files.flatMap((f) => f.mappings);
  const byStandard = new Map(standards.map((s) => [s.id, s]));
  const order = new Map(standards.flatMap((s) => s.items.map((it, i) => [`${s.id}\u0000${it.id}`, i] as const)));
  const byFrom = new Map<string, StandardRefs>();
  for (const m of mappings) {
    if (!byStandard.has(m.standard)) continue;
    const refs = byFrom.get(m.from) ?? {};
    const list = (refs[m.standard] ??= []);
    for (const it of m.items) if (!list.includes(it) && order.has(`${m.standard}\u0000${it}`)) list.push(it);
    byFrom.set(m.from, refs);
  }
  for (const refs of byFrom.values()) sortRefs(refs, order);
  cached = { standards, mappings, byFrom, byStandard, order };
  return cached;
}

function sortRefs(refs: StandardRefs, order: Map<string, number>): void {
  const ids = Object.keys(refs).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const copy = { ...refs };
  for (const k of Object.keys(refs)) delete refs[k];
  for (const k of ids) {
    if (!copy[k]!.length) continue;
    refs[k] = [...copy[k]!].sort((a, b) => (order.get(`${k}\u0000${a}`) ?? 0) - (order.get(`${k}\u0000${b}`) ?? 0));
  }
}

export function standardById(id: string): Standard | undefined {
  loadCrosswalk();
  return cached!.byStandard.get(id);
}

export function standardItem(standard: string, item: string): StandardItem | undefined {
  return standardById(standard)?.items.find((i) => i.id === item);
}

/** The references of one Exchange control or threat (an empty object when none). */
export function refsOf(id: string): StandardRefs {
  loadCrosswalk();
  return cached!.byFrom.get(id) ?? {};
}

/** The references of a rule or finding: those of its control and of each of its threats, merged. */
export function refsFor(control: string | null | undefined, threats: readonly string[] = []): StandardRefs {
  // A report asks this for every finding, most of them of a few rules: merged once per control and threats.
  const key = `${control ?? ""}\u0000${threats.join("\u0001")}`;
  let merged = mergedRefs.get(key);
  if (!merged) mergedRefs.set(key, (merged = mergeRefs(control, threats)));
  return Object.fromEntries(Object.entries(merged).map(([s, items]) => [s, [...items]]));
}
const mergedRefs = new Map<string, StandardRefs>();

function mergeRefs(control: string | null | undefined, threats: readonly string[]): StandardRefs {
  loadCrosswalk();
  const merged: StandardRefs = {};
  for (const id of [...(control ? [control] : []), ...threats]) {
    for (const [s, items] of Object.entries(refsOf(id))) {
      const list = (merged[s] ??= []);
      for (const it of items) if (!list.includes(it)) list.push(it);
    }
  }
  sortRefs(merged, cached!.order);
  return merged;
}

/** `standard/<standard>/<item>` for each reference (SARIF tags, selection). */
export function refKeys(refs: StandardRefs): string[] {
  return Object.entries(refs).flatMap(([s, items]) => items.map((i) => `${s}/${i}`));
}

/** A selector of `when.standards` or `--standard`: a standard id, or `<standard>/<item>`. */
export interface StandardSelector {
  standard: string;
  item?: string;
}

/** Resolves a selector, or says what is wrong with it ("did you mean" for a near id). */
export function resolveSelector(written: string, opts: { itemAllowed?: boolean } = {}): StandardSelector | { error: string } {
  const cw = loadCrosswalk();
  const slash = written.indexOf("/");
  const sid = slash < 0 ? written : written.slice(0, slash);
  const item = slash < 0 ? undefined : written.slice(slash + 1);
  const std = cw.standards.find((s) => s.id === sid);
  if (!std) {
    const near = suggest(
      sid,
      cw.standards.map((s) => s.id),
    );
    return {
      error: `unknown standard "${sid}"${near.length ? ` (did you mean ${near.map((x) => `"${x}"`).join(" or ")}?)` : ""}; known: ${cw.standards.map((s) => s.id).join(", ")}`,
    };
  }
  if (item === undefined) return { standard: std.id };
  if (!opts.itemAllowed) return { error: `"${written}": name a standard only (e.g. "${std.id}")` };
  const found = std.items.find((i) => i.id === item) ?? std.items.find((i) => i.id.toLowerCase() === item.toLowerCase());
  if (!found) {
    const near = suggest(
      item,
      std.items.map((i) => i.id),
    );
    return {
      error: `"${written}": ${std.id} has no item "${item}"${near.length ? ` (did you mean ${near.map((x) => `"${std.id}/${x}"`).join(" or ")}?)` : ""}`,
    };
  }
  return { standard: std.id, item: found.id };
}

/** Whether references match any of the selectors. */
export function refsMatch(refs: StandardRefs, selectors: readonly StandardSelector[]): boolean {
  return selectors.some((s) => (refs[s.standard]?.length ?? 0) > 0 && (s.item === undefined || refs[s.standard]!.includes(s.item)));
}

/** What is wrong with the crosswalk against the taxonomy: dangling ids, duplicate catalogue ids, entries without provenance. */
export function crosswalkProblems(cw: Crosswalk, t: Taxonomy): string[] {
  const out: string[] = [];
  const exchange = new Set([...t.controls.map((c) => c.id), ...t.threats.map((x) => x.id)]);
  const seen = new Set<string>();
  const byId = new Map<string, Standard>();
  for (const s of cw.standards) {
    if (seen.has(s.id)) out.push(`standard ${s.id} is defined twice`);
    seen.add(s.id);
    byId.set(s.id, s);
    if (!s.source && !s.reviewed) out.push(`standard ${s.id} has no provenance (source or reviewed)`);
    const items = new Set<string>();
    for (const i of s.items) {
      if (items.has(i.id)) out.push(`standard ${s.id} lists item ${i.id} twice`);
      items.add(i.id);
    }
  }
  cw.mappings.forEach((m, n) => {
    const at = `mapping ${n} (${m.from} -> ${m.standard})`;
    if (!exchange.has(m.from)) out.push(`${at}: ${m.from} is not a control or threat of the taxonomy${didYouMean(m.from, [...exchange])}`);
    const std = byId.get(m.standard);
    if (!std) out.push(`${at}: no standard ${m.standard} in the catalogues${didYouMean(m.standard, [...byId.keys()])}`);
    else
      for (const it of m.items)
        if (!std.items.some((i) => i.id === it))
          out.push(
            `${at}: ${m.standard} has no item ${it}${didYouMean(
              it,
              std.items.map((i) => i.id),
            )}`,
          );
    if (!m.source && !m.reviewed) out.push(`${at}: no provenance (source or reviewed)`);
    if (m.source && m.reviewed) out.push(`${at}: both a source and a reviewed rationale`);
  });
  return out;
}

const didYouMean = (w: string, c: string[]) => {
  const s = suggest(w, c);
  return s.length ? ` (did you mean ${s.join(" or ")}?)` : "";
};

export interface CoverageRow {
  standard: string;
  controls: number;
  threats: number;
  /** Controls and threats with at least one mapping from a source, and with a reviewed one. */
  bySource: number;
  reviewed: number;
}

/** How many controls and threats each standard's mappings cover, and how many by source vs reviewed. */
export function coverage(
  cw: Crosswalk,
  t: Taxonomy,
): { rows: CoverageRow[]; controls: { mapped: number; total: number }; threats: { mapped: number; total: number } } {
  const controls = new Set(t.controls.map((c) => c.id));
  const threats = new Set(t.threats.map((x) => x.id));
  const rows = cw.standards.map((s) => {
    const ms = cw.mappings.filter((m) => m.standard === s.id);
    const ids = new Set(ms.map((m) => m.from));
    return {
      standard: s.id,
      controls: [...ids].filter((i) => controls.has(i)).length,
      threats: [...ids].filter((i) => threats.has(i)).length,
      bySource: new Set(ms.filter((m) => m.source).map((m) => m.from)).size,
      reviewed: new Set(ms.filter((m) => m.reviewed).map((m) => m.from)).size,
    };
  });
  const mapped = new Set(cw.mappings.map((m) => m.from));
  return {
    rows,
    controls: { mapped: [...controls].filter((c) => mapped.has(c)).length, total: controls.size },
    threats: { mapped: [...threats].filter((c) => mapped.has(c)).length, total: threats.size },
  };
}

/** Where one reference comes from: the Exchange id that maps to it, and the mapping's source or rationale. */
export interface RefProvenance {
  from: string;
  source?: Mapping["source"];
  reviewed?: string;
}

/** The mappings behind `standard/item` for these Exchange ids (a rule's control and threats). */
export function provenanceOf(ids: readonly string[], standard: string, item: string): RefProvenance[] {
  return loadCrosswalk()
    .mappings.filter((m) => ids.includes(m.from) && m.standard === standard && m.items.includes(item))
    .map((m) => ({ from: m.from, ...(m.source ? { source: m.source } : {}), ...(m.reviewed ? { reviewed: m.reviewed } : {}) }));
}
