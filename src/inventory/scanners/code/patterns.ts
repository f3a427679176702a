// The code scanner's data (policies/code/patterns.json) and the one matcher it needs: a qualified
// name against a pattern where `*` matches any text.
import { loadData } from "../../../util/data.js";
import type { RoundTripData } from "./round-trip.js";
import type { PythonFlowData } from "./python/data.js";
import type { JsFlowData } from "./js/flow.js";

export interface CallPattern {
  pattern: string;
  hosted?: boolean;
  what?: string;
  /** An input typed by the person running the program (console, arguments): not untrusted for sinks. */
  local?: boolean;
}

export interface CodePatterns {
  prefilter: { tokens: string[] };
  unsafeLoaders: { always: string[]; torchLoad: string[]; numpyLoad: string[]; kerasLoad: string[] };
  roundTrip: RoundTripData;
  flow: { source: string; python: PythonFlowData; js: JsFlowData };
  /** Regular expressions: file paths and function names where model calls only evaluate the system. */
  evaluationContext: { source: string; paths: string; functions: string };
  downloads: {
    python: string[];
    js: string[];
    pythonOther: { source: string; datasets: string[]; localBuilders: string[]; prompts: string[]; torchHub: string[] };
    jsPrompts: string[];
  };
  llmCalls: { python: CallPattern[]; js: CallPattern[] };
  tools: {
    classes: Record<string, { name: string; privileges: string[] }>;
    loadToolsNames: Record<string, string[]>;
    writeCalls: { python: string[]; js: string[] };
  };
  evidence: {
    trainsOrFinetunes: { python: string[]; js: string[]; needsImport: string[] };
    usesRAG: { python: string[]; js: string[] };
  };
  secrets: { patterns: { id: string; service: string; regex: string }[]; envNames: { names: string[] }; placeholders: string };
}

let cached: CodePatterns | undefined;
export function codePatterns(): CodePatterns {
  cached ??= loadData<CodePatterns>("policies/code/patterns.json");
  return cached;
}

/** A pattern's expression: `*` matches any text (dots included); everything else is literal. */
const patternSource = (pattern: string): string =>
  `^${pattern
    .split("*")
    .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*")}$`;

const compiled = new Map<string, RegExp>();
function patternRegExp(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) compiled.set(pattern, (re = new RegExp(patternSource(pattern))));
  return re;
}

/** `*` matches any text (dots included); everything else is literal. */
export const matchesName = (pattern: string, name: string): boolean => patternRegExp(pattern).test(name);

/**
 * A list of patterns compiled once: names without `*` in a map, the others behind one expression that
 * rejects most names in a single test. A parsed file asks these lists about every call it makes.
 */
interface ListMatcher {
  exact: Map<string, number>;
  wild: [index: number, re: RegExp][];
  anyWild?: RegExp;
  /** Answers already given: a file asks about the same names again and again (each scope read, each pass). */
  answers: Map<string, number>;
}
/** Answers kept per list; past this the list starts afresh (a repository's distinct call names are fewer, mostly). */
const MAX_ANSWERS = 4096;
const lists = new WeakMap<readonly string[], ListMatcher>();

function listMatcher(patterns: readonly string[]): ListMatcher {
  let m = lists.get(patterns);
  if (!m) {
    const exact = new Map<string, number>();
    const wild: [number, RegExp][] = [];
    patterns.forEach((p, i) => {
      if (!p.includes("*")) {
        if (!exact.has(p)) exact.set(p, i);
      } else wild.push([i, patternRegExp(p)]);
    });
    m = { exact, wild, anyWild: wild.length ? new RegExp(wild.map(([, re]) => `(?:${re.source})`).join("|")) : undefined, answers: new Map() };
    lists.set(patterns, m);
  }
  return m;
}

/** Position of the first pattern in the list that the name matches, or -1. */
function firstMatch(patterns: readonly string[], name: string): number {
  // Short lists are often written in place (`anyName([s.pattern], …)`): a new array each call.
  if (patterns.length <= 2) return patterns.findIndex((p) => matchesName(p, name));
  const m = listMatcher(patterns);
  let answer = m.answers.get(name);
  if (answer === undefined) {
    answer = m.exact.get(name) ?? -1;
    if (m.anyWild?.test(name))
      for (const [i, re] of m.wild) {
        if (answer >= 0 && i > answer) break;
        if (re.test(name)) {
          answer = i;
          break;
        }
      }
    if (m.answers.size >= MAX_ANSWERS) m.answers.clear();
    m.answers.set(name, answer);
  }
  return answer;
}

const patternLists = new WeakMap<readonly CallPattern[], string[]>();
function patternsOf(list: readonly CallPattern[]): string[] {
  let names = patternLists.get(list);
  if (!names) patternLists.set(list, (names = list.map((p) => p.pattern)));
  return names;
}
export const findPattern = <T extends CallPattern>(list: T[], name: string): T | undefined => {
  const i = firstMatch(patternsOf(list), name);
  return i < 0 ? undefined : list[i];
};
/** Whether the name matches any item's pattern. */
export const anyPattern = (list: readonly CallPattern[], name: string): boolean => firstMatch(patternsOf(list), name) >= 0;
/**
 * The first item whose pattern the name matches and for which `also` holds. A name no pattern
 * matches (most calls) is turned away by the list's compiled matcher in one test.
 */
export function findPatternWhere<T extends CallPattern>(list: readonly T[], name: string, also: (item: T) => boolean): T | undefined {
  if (!anyPattern(list, name)) return undefined;
  return list.find((p) => matchesName(p.pattern, name) && also(p));
}
export const anyName = (list: string[], name: string): boolean => firstMatch(list, name) >= 0;
