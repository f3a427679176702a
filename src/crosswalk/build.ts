// Builds the generated part of the crosswalk (policies/crosswalk/generated.json) from the text of
// public sources: the OWASP AI Exchange's pages (their references and links to standards), MITRE
// ATLAS (dist/ATLAS.yaml), the OWASP Top 10 for LLM Applications 2025, the agentic threats list
// and the CoSAI Risk Map. Pure functions over file texts, so that tests run them on fixtures
// without network; scripts/build-crosswalk.ts reads the texts from fetched snapshots.
// Only facts are copied (ids, titles, links); a citation that does not resolve is reported, never guessed.
import { parse } from "yaml";
import type { CrosswalkFile, Mapping, SourceRef, Standard, StandardItem } from "./types.js";

/** A file of a snapshot: its repository, the commit it was read at, its path and text. */
export interface SourceFile {
  repository: string;
  commit: string;
  path: string;
  text: string;
}

/** The Exchange ids a page's permalink slug can name (ids and their aliases). */
export interface ExchangeIds {
  controls: { id: string; aliases: string[] }[];
  threats: { id: string; aliases: string[] }[];
}

export interface BuildInput {
  exchange: SourceFile[];
  atlas: SourceFile;
  llmTop10: SourceFile[];
  agentic: SourceFile[];
  cosai: { risks: SourceFile; controls: SourceFile };
  ids: ExchangeIds;
}

export interface BuildResult {
  file: CrosswalkFile;
  /** Citations that were not mapped, and why (printed by the script for review). */
  skipped: string[];
}

const ref = (f: SourceFile, locator?: string): SourceRef => ({ repository: f.repository, commit: f.commit, path: f.path, ...(locator ? { locator } : {}) });

/** The ATLAS catalogue: every technique (sub-techniques titled "Parent: Name") and mitigation. */
export function atlasCatalogue(f: SourceFile): Standard {
  const doc = parse(f.text, { maxAliasCount: 100 }) as {
    version?: string;
    matrices?: { techniques?: { id: string; name: string; "subtechnique-of"?: string }[]; mitigations?: { id: string; name: string }[] }[];
  };
  const m = doc.matrices?.[0];
  const techniques = m?.techniques ?? [];
  const byId = new Map(techniques.map((t) => [t.id, t]));
  const items: StandardItem[] = [];
  for (const t of techniques) {
    const parent = t["subtechnique-of"] ?? /^(AML\.T\d{4})\.\d{3}$/.exec(t.id)?.[1];
    const title = parent && byId.has(parent) ? `${byId.get(parent)!.name}: ${t.name}` : t.name;
    items.push({ id: t.id, title, link: `https://atlas.mitre.org/techniques/${t.id}` });
  }
  for (const x of m?.mitigations ?? []) items.push({ id: x.id, title: x.name, link: `https://atlas.mitre.org/mitigations/${x.id}` });
  items.sort((a, b) => a.id.localeCompare(b.id));
  return {
    id: "mitre-atlas",
    title: "MITRE ATLAS",
    version: String(doc.version ?? ""),
    link: "https://atlas.mitre.org",
    source: ref(f, "matrices[0].techniques and .mitigations"),
    items,
  };
}

/** The OWASP Top 10 for LLM Applications 2025: one file per item, titled "## LLM01:2025 Prompt Injection". */
export function llmTop10Catalogue(files: SourceFile[]): Standard {
  const items: StandardItem[] = [];
  for (const f of files) {
    const m = /^#+[ \t]*(LLM\d{2}):2025[ \t]+(\S.*)$/m.exec(f.text);
    if (!m) continue;
    items.push({
      id: m[1]!,
      title: m[2]!.trim(),
      link: `https://github.com/${f.repository.replace(/^https:\/\/github\.com\//, "")}/blob/${f.commit}/${f.path.split("/").map(encodeURIComponent).join("/")}`,
    });
  }
  items.sort((a, b) => a.id.localeCompare(b.id));
  const first = files[0]!;
  return {
    id: "owasp-llm-2025",
    title: "OWASP Top 10 for LLM Applications",
    version: "2025",
    link: "https://genai.owasp.org/llm-top-10/",
    source: { ...ref(first, "the item files LLM01..LLM10 of 2_0_vulns/"), path: first.path.replace(/\/[^/]*$/, "/") },
    items,
  };
}

/**
 * The agentic threats T1..T15 of "Agentic AI - Threats and Mitigations": their titles as the
 * initial candidate files ASI01..ASI15 of the agentic security initiative name them, in the guide's order.
 */
export function agenticCatalogue(files: SourceFile[]): Standard {
  const items: StandardItem[] = [];
  for (const f of files) {
    const n = /ASI(\d{2})_[^/]*\.md$/.exec(f.path);
    const title = [...f.text.matchAll(/Risk\/Vuln Name(\s*)\*\*(.+?)\*\*/g)].find((t) => t[1]!.includes("\n"))?.[2];
    if (!n || !title || Number(n[1]) < 1 || Number(n[1]) > 15) continue;
    items.push({ id: `T${Number(n[1])}`, title: title.trim(), link: "https://genai.owasp.org/resource/agentic-ai-threats-and-mitigations/" });
  }
  items.sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
  const first = files[0]!;
  return {
    id: "owasp-agentic-threats",
    title: "OWASP Agentic AI - Threats and Mitigations",
    version: "1.0",
    link: "https://genai.owasp.org/resource/agentic-ai-threats-and-mitigations/",
    source: { ...ref(first, "titles of the candidate files ASI01..ASI15, numbered T1..T15 as in the guide"), path: first.path.replace(/\/[^/]*$/, "/") },
    items,
  };
}

/** The CoSAI Risk Map: its risks and its controls (ids as the YAML writes them). */
export function cosaiCatalogue(risks: SourceFile, controls: SourceFile): Standard {
  const r = (parse(risks.text) as { risks?: { id: string; title: string }[] }).risks ?? [];
  const c = (parse(controls.text) as { controls?: { id: string; title: string }[] }).controls ?? [];
  const link = (f: SourceFile) => `https://github.com/${f.repository.replace(/^https:\/\/github\.com\//, "")}/blob/${f.commit}/${f.path}`;
  const items: StandardItem[] = [
    ...r.map((x) => ({ id: x.id, title: x.title, link: link(risks) })),
    ...c.map((x) => ({ id: x.id, title: x.title, link: link(controls) })),
  ];
  return {
    id: "cosai-risk-map",
    title: "CoSAI Risk Map",
    version: risks.commit.slice(0, 12),
    link: "https://github.com/cosai-oasis/secure-ai-tooling/tree/main/risk-map",
    source: { ...ref(risks, "risks[] and controls[] (risk-map/yaml/controls.yaml)"), path: "risk-map/yaml/" },
    items,
  };
}

/** The Exchange id a permalink slug names, by id or alias (ids are slugs in upper case). */
export function exchangeIdOfSlug(slug: string, ids: ExchangeIds): string | undefined {
  const up = slug.toUpperCase();
  for (const x of [...ids.controls, ...ids.threats]) if (x.id === up || x.aliases.includes(up)) return x.id;
  return undefined;
}

export interface Citation {
  slug: string;
  standard: "mitre-atlas" | "nist-ai-100-2" | "owasp-llm" | "iso-42001";
  id: string;
  /** As the page titles the item (NIST AI 100-2, OWASP LLM). */
  title?: string;
  link?: string;
  /** The edition the page cites (OWASP LLM: 2026 or 2025). */
  edition?: string;
}

/**
 * The citations of standards on an Exchange page, each with the permalink slug of the section it is
 * in: the OpenCRE reference blocks (their own slug), MITRE ATLAS links, "NIST AI 100-2: sec." and
 * "OWASP Top10 for LLM: sec." entries, and "ISO/IEC 42001 B.x.y" in links-to-standards lists.
 */
export function exchangeCitations(text: string): Citation[] {
  const out: Citation[] = [];
  const stack: { level: number; slug: string | null; own: boolean }[] = [];
  let block: string | null = null;
  let fence = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*```/.test(line)) fence = !fence;
    if (fence) continue;
    const h = /^(#{1,6})\s/.exec(line);
    if (h) {
      const level = h[1]!.length;
      while (stack.length && stack[stack.length - 1]!.level >= level) stack.pop();
      stack.push({ level, slug: stack[stack.length - 1]?.slug ?? null, own: false });
      continue;
    }
    const p = /Permalink:\s*https:\/\/owaspai\.org\/go(?:to)?\/([a-z0-9]+)\/?/.exec(line);
    if (p && stack.length && !stack[stack.length - 1]!.own) {
      stack[stack.length - 1]!.slug = p[1]!;
      stack[stack.length - 1]!.own = true;
    }
    const start = /OPENCRE_SECTION_CRE_START slug=([a-z0-9]+)/.exec(line);
    if (start) block = start[1]!;
    if (/OPENCRE_SECTION_CRE_END/.test(line)) block = null;
    const slug = block ?? stack[stack.length - 1]?.slug ?? null;
    if (!slug) continue;
    for (const m of line.matchAll(/atlas\.mitre\.org\/(?:techniques|mitigations)\/(AML\.[TM]\d{4}(?:\.\d{3})?)\b/g))
      out.push({ slug, standard: "mitre-atlas", id: m[1]! });
    const nist = /\[NIST AI 100-2: sec\. (\d+(?:\.\d+)*): ([^\]]+)\]\((https:\/\/[^)\s]+)\)/.exec(line);
    if (nist) out.push({ slug, standard: "nist-ai-100-2", id: nist[1]!, title: nist[2]!.trim(), link: nist[3]! });
    const llm = /\[OWASP Top10 for LLM: sec\. (LLM\d{2}):(\d{4}): ([^\]]+)\]/.exec(line);
    if (llm) out.push({ slug, standard: "owasp-llm", id: llm[1]!, edition: llm[2]!, title: llm[3]!.trim() });
    const iso = /ISO\/IEC 42001\b(.*)$/i.exec(line);
    if (iso) for (const m of iso[1]!.matchAll(/\bB\.(\d+(?:\.\d+)+)\b/g)) out.push({ slug, standard: "iso-42001", id: `A.${m[1]!}` });
  }
  return out;
}

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

/** The generated crosswalk: catalogues from the sources and the mappings the Exchange's pages cite. */
export function buildCrosswalk(input: BuildInput): BuildResult {
  const skipped: string[] = [];
  const atlas = atlasCatalogue(input.atlas);
  const llm = llmTop10Catalogue(input.llmTop10);
  const agentic = agenticCatalogue(input.agentic);
  const cosai = cosaiCatalogue(input.cosai.risks, input.cosai.controls);
  const nistItems = new Map<string, StandardItem>();
  const atlasIds = new Set(atlas.items.map((i) => i.id));
  const grouped = new Map<string, Mapping>();
  const add = (from: string, standard: string, item: string, f: SourceFile, locator: string) => {
    const key = `${from}\u0000${standard}\u0000${f.path}`;
    let m = grouped.get(key);
    if (!m) grouped.set(key, (m = { from, standard, items: [], source: ref(f, locator) }));
    if (!m.items.includes(item)) m.items.push(item);
  };
  let nistSource: SourceFile | undefined;
  for (const page of input.exchange) {
    for (const c of exchangeCitations(page.text)) {
      const from = exchangeIdOfSlug(c.slug, input.ids);
      if (!from) {
        skipped.push(`${page.path}: section /go/${c.slug}/ is not a control or threat of the taxonomy (${c.standard} ${c.id})`);
        continue;
      }
      const locator = `references and links to standards of https://owaspai.org/go/${c.slug}/`;
      if (c.standard === "mitre-atlas") {
        if (atlasIds.has(c.id)) add(from, "mitre-atlas", c.id, page, locator);
        else skipped.push(`${page.path}: ${from} cites ${c.id}, which ATLAS ${atlas.version} does not list`);
      } else if (c.standard === "nist-ai-100-2") {
        if (!nistItems.has(c.id)) nistItems.set(c.id, { id: c.id, title: c.title!, link: c.link! });
        nistSource ??= page;
        add(from, "nist-ai-100-2", c.id, page, locator);
      } else if (c.standard === "owasp-llm") {
        // The Exchange may cite a later edition: a 2025 item counts only when it has the same title (its number may differ).
        const item = llm.items.find((i) => norm(i.title) === norm(c.title!));
        if (item) add(from, "owasp-llm-2025", item.id, page, `${locator} (cited as ${c.id}:${c.edition}; the 2025 item of the same title is ${item.id})`);
        else skipped.push(`${page.path}: ${from} cites ${c.id}:${c.edition} "${c.title}", a title no 2025 item has`);
      } else {
        add(from, "iso-42001", c.id, page, `${locator} (cites Annex B guidance ${c.id.replace(/^A/, "B")}, the implementation guidance of control ${c.id})`);
      }
    }
  }
  const nist: Standard = {
    id: "nist-ai-100-2",
    title: "NIST AI 100-2 Adversarial Machine Learning: A Taxonomy and Terminology of Attacks and Mitigations",
    version: "E2023",
    link: "https://csrc.nist.gov/pubs/ai/100/2/e2023/final",
    source: nistSource
      ? {
          ...ref(nistSource, "the sections the OpenCRE references of the Exchange's pages cite, with their titles"),
          path: nistSource.path.replace(/\/[^/]*$/, "/"),
        }
      : undefined,
    items: [...nistItems.values()].sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true })),
  };
  if (!nist.source) delete nist.source;
  const mappings = [...grouped.values()].map((m) => ({ ...m, items: m.items.sort() }));
  mappings.sort((a, b) => a.from.localeCompare(b.from) || a.standard.localeCompare(b.standard) || a.source!.path.localeCompare(b.source!.path));
  return {
    file: {
      description: "Generated by scripts/build-crosswalk.ts from the sources each entry names; do not edit (reviewed mappings are in reviewed.yaml).",
      standards: [llm, agentic, atlas, nist, cosai],
      mappings,
    },
    skipped,
  };
}
