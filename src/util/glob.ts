// Glob matching as users write globs in .gitignore-like places: dotfiles match, and a glob without
// a `/` matches a file's name in any folder. Globs come from manifests and packs, which on a pull
// request are written by whoever opens it, so every glob is bounded before it is used:
// `checkGlob` says what is wrong with one (callers report it as a located finding), and a glob
// that fails it matches nothing. Matching uses minimatch's parser and matcher, which test each
// path portion with a Thompson-NFA matcher (no backtracking) and walk `**` with memoisation; with
// brace expansion capped here, one glob costs time linear in the path's length.
import { braceExpand, GLOBSTAR, Minimatch, type MinimatchOptions } from "minimatch";
import { stripTrailing } from "./strip.js";

export const GLOB_LIMITS = {
  /** Characters in one glob. */
  maxLength: 500,
  /** Patterns one glob's braces expand to (`{a,b}{c,d}` is 4). */
  maxExpansions: 64,
  /** Braces inside braces. */
  maxBraceDepth: 4,
  /** `**` segments. */
  maxGlobstars: 8,
  /** `*`, `?`, `[...]` and extglob groups. */
  maxWildcards: 32,
} as const;

const BASE_OPTIONS: MinimatchOptions = { dot: true, braceExpandMax: GLOB_LIMITS.maxExpansions };

/** What is wrong with a glob, or null when it can be used. */
export function checkGlob(pattern: string): string | null {
  if (typeof pattern !== "string") return "a glob must be a string";
  const L = GLOB_LIMITS;
  if (pattern.length > L.maxLength) return `the glob is ${pattern.length} characters long (at most ${L.maxLength})`;
  let depth = 0;
  let deepest = 0;
  let globstars = 0;
  let wildcards = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      i++;
    } else if (c === "{") {
      deepest = Math.max(deepest, ++depth);
    } else if (c === "}") {
      if (depth > 0) depth--;
    } else if (c === "*") {
      if (pattern[i + 1] === "*") {
        globstars++;
        while (pattern[i + 1] === "*") i++;
      } else {
        wildcards++;
      }
    } else if (c === "?" || c === "[") {
      wildcards++;
    } else if (c === "(" && i > 0 && "@!+".includes(pattern[i - 1]!)) {
      wildcards++;
    }
  }
  if (deepest > L.maxBraceDepth) return `braces nest ${deepest} deep (at most ${L.maxBraceDepth})`;
  if (globstars > L.maxGlobstars) return `the glob has ${globstars} "**" (at most ${L.maxGlobstars})`;
  if (wildcards > L.maxWildcards) return `the glob has ${wildcards} wildcards (at most ${L.maxWildcards})`;
  // Count the expansions with one more allowed than the limit: braceExpand stops there.
  const expanded = braceExpand(pattern, { braceExpandMax: L.maxExpansions + 1 }).length;
  if (expanded > L.maxExpansions) return `its braces expand to more than ${L.maxExpansions} patterns (use * or ? instead of long lists and ranges)`;
  try {
    new Minimatch(pattern, BASE_OPTIONS);
  } catch (e) {
    return `not a valid glob: ${e instanceof Error ? e.message : String(e)}`;
  }
  return null;
}

// Compiled globs by pattern, one table per option set; null for a glob that failed checkGlob.
interface Compiled {
  mm: Minimatch;
  /** Texts of which every matching path contains one (one per brace expansion), or null when unknown. */
  literals: string[] | null;
  /** The file names or name endings a matching path must have (see nameKeys), computed when first asked. */
  names?: NameKeys | null;
}
const compiled: Map<string, Compiled | null>[] = [new Map(), new Map(), new Map(), new Map()];
const CACHE_MAX = 10_000;

function compile(pattern: string, matchBase: boolean, checked = false): Compiled | null {
  const table = compiled[(matchBase ? 1 : 0) + (checked ? 2 : 0)]!;
  let c = table.get(pattern);
  if (c !== undefined) return c;
  if (checked || checkGlob(pattern) === null) {
    const mm = new Minimatch(pattern, { ...BASE_OPTIONS, matchBase });
    c = { mm, literals: literalsOf(mm) };
  } else c = null;
  if (table.size >= CACHE_MAX) table.clear();
  table.set(pattern, c);
  return c;
}

/**
 * For each pattern minimatch made of a glob (one per brace expansion, after its own clean-up of
 * `.` and `..`), the longest plain text within one path segment, which every path it matches
 * contains: a cheap test before minimatch's (rules test their globs against every file of the
 * repository). Null when some pattern has none of at least 2 characters, or the glob is negated.
 */
function literalsOf(mm: Minimatch): string[] | null {
  if (mm.negate || mm.set.length === 0) return null;
  const out: string[] = [];
  for (const parts of mm.set) {
    let best = "";
    for (const part of parts) {
      let runs: string[];
      if (typeof part === "string") runs = [part];
      else if (typeof part === "object" && part !== null && typeof (part as { pattern?: unknown }).pattern === "string") {
        const text = (part as { pattern: string }).pattern;
        // Classes, extglobs and escapes do not appear as written.
        runs = /[[\]\\(){}]/.test(text) ? [] : text.split(/[*?]+/);
      } else runs = [];
      for (const r of runs) if (r.length > best.length) best = r;
    }
    if (best.length < 2) return null;
    out.push(best);
  }
  return out;
}

function matches(c: Compiled | null, path: string): boolean {
  if (c === null) return false;
  const lits = c.literals;
  if (lits !== null) {
    let any = false;
    for (let i = 0; i < lits.length && !any; i++) any = path.includes(lits[i]!);
    if (!any) return false;
  }
  return c.mm.match(path);
}

/** One glob against one path; `matchBase` lets a glob without `/` match the file's name. */
export function matchGlob(path: string, glob: string, opts: { matchBase?: boolean } = {}): boolean {
  return matches(compile(glob, opts.matchBase === true), path);
}

/** matchGlob's test for one glob, compiled once: for loops over many paths. */
export function globTest(glob: string, opts: { matchBase?: boolean } = {}): (path: string) => boolean {
  const c = compile(glob, opts.matchBase === true);
  return c === null ? () => false : (path) => matches(c, path);
}

// The compiled globs of a list, by the list (rules pass the same lists for every file), with the
// patterns they were compiled from: a list edited in place is compiled again.
const lists = new WeakMap<readonly string[], { patterns: unknown[]; test: (path: string) => boolean }>();

/** True when any glob matches; a glob without `/` matches a file's name in any folder. */
export function matchesAny(path: string, globs: readonly string[]): boolean {
  let entry = lists.get(globs);
  if (!entry || entry.patterns.length !== globs.length || entry.patterns.some((g, i) => g !== globs[i])) {
    entry = { patterns: [...globs], test: anyGlobTest(globs) };
    lists.set(globs, entry);
  }
  return entry.test(path);
}

/** matchesAny's test for one list, compiled once: for loops over many paths. */
export function anyGlobTest(globs: readonly string[]): (path: string) => boolean {
  const cs = globs.map((g) => (typeof g === "string" ? compile(g, !g.includes("/")) : null)).filter((c): c is Compiled => c !== null);
  if (cs.length === 0) return () => false;
  const only = cs[0]!;
  if (cs.length === 1) return (path) => matches(only, path);
  return (path) => {
    for (const c of cs) if (matches(c, path)) return true;
    return false;
  };
}

/** A glob matches the path itself or, when it names a folder, anything below it. */
export function matchesGlobOrBelow(path: string, glob: string): boolean {
  return globOrBelowTest(glob)(path);
}

/** matchesGlobOrBelow's test for one glob, compiled once: for loops over many paths. */
export function globOrBelowTest(glob: string): (path: string) => boolean {
  const g = stripTrailing(glob, "/");
  const c = compile(g, false);
  if (c === null) return () => false;
  const folder = g + "/";
  // `g/**` may exceed the limits by its one more `**`; g itself passed them.
  let below: Compiled | null | undefined;
  return (path) => matches(c, path) || path.startsWith(folder) || matches((below ??= compile(`${g}/**`, false, true)), path);
}

/**
 * For a check kind's `validate`: "check.<param> glob "...": <problem>" for the first glob of the
 * named list parameters that fails checkGlob, or undefined.
 */
export function globParamProblem(params: Record<string, unknown>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const v = params[name];
    for (const g of typeof v === "string" ? [v] : Array.isArray(v) ? v : []) {
      const problem = typeof g === "string" ? checkGlob(g) : null;
      if (problem) return `check.${name} glob ${JSON.stringify(g.length > 80 ? g.slice(0, 77) + "..." : g)}: ${problem}`;
    }
  }
  return undefined;
}

export function hasMagic(pattern: string): boolean {
  return /[*?[\]{}!]/.test(pattern);
}

/**
 * What a glob says of the name of every path it matches, from the last part of each pattern
 * minimatch made of it: the whole name (a plain last part) or the name's ending from its last dot
 * (a last part such as `*.pem` or `service-account*.json`). Null when some pattern says neither (a
 * last part `**`, `runbook*`, a class), or the glob is negated.
 */
interface NameKeys {
  names: string[];
  endings: string[];
}

function nameKeys(c: Compiled): NameKeys | null {
  if (c.names !== undefined) return c.names;
  let keys: NameKeys | null = c.mm.negate || c.mm.set.length === 0 ? null : { names: [], endings: [] };
  for (const parts of c.mm.set) {
    if (!keys) break;
    const last = parts[parts.length - 1];
    if (typeof last === "string") keys.names.push(last);
    else if (last !== undefined && last !== GLOBSTAR && typeof (last as { pattern?: unknown }).pattern === "string") {
      const text = (last as { pattern: string }).pattern;
      const tail = text.slice(Math.max(text.lastIndexOf("*"), text.lastIndexOf("?")) + 1);
      if (/[[\]\\(){}]/.test(text) || !tail.includes(".")) keys = null;
      else keys.endings.push(tail.slice(tail.lastIndexOf(".")));
    } else keys = null;
  }
  return (c.names = keys);
}

/** A list of paths with its files' names and name endings indexed, for globs that say them. */
export interface PathIndex {
  paths: readonly string[];
  /** Positions by name (one position, or several for a name in many folders) and by ending. */
  byName?: Map<string, number | number[]>;
  byEnding?: Map<string, number | number[]>;
  /** Every path, each ended by a NUL (no path holds one), and where each starts: searched for literal text. */
  joined?: { text: string; starts: Int32Array };
}

const indexes = new WeakMap<readonly string[], PathIndex>();

/** The index of a list of paths (made once per list; the list must not change afterwards). */
export function pathIndex(paths: readonly string[]): PathIndex {
  let index = indexes.get(paths);
  if (!index) indexes.set(paths, (index = { paths }));
  return index;
}

function byNameAndEnding(index: PathIndex): { byName: Map<string, number | number[]>; byEnding: Map<string, number | number[]> } {
  if (!index.byName || !index.byEnding) {
    const byName = new Map<string, number | number[]>();
    const byEnding = new Map<string, number | number[]>();
    const add = (m: Map<string, number | number[]>, k: string, i: number) => {
      const l = m.get(k);
      if (l === undefined) m.set(k, i);
      else if (typeof l === "number") m.set(k, [l, i]);
      else l.push(i);
    };
    const paths = index.paths;
    for (let i = 0; i < paths.length; i++) {
      const p = paths[i]!;
      const name = p.slice(p.lastIndexOf("/") + 1);
      add(byName, name, i);
      const dot = name.lastIndexOf(".");
      if (dot >= 0) add(byEnding, name.slice(dot), i);
    }
    index.byName = byName;
    index.byEnding = byEnding;
  }
  return { byName: index.byName, byEnding: index.byEnding };
}

/**
 * The positions (ascending) of the indexed paths that any of the globs matches, as matchesAny
 * would say (or, with `matchBase: false`, matchGlob); `first` stops at the first one found. A glob
 * that names the file's name or its ending is tested on the paths with that name only.
 */
export function matchingPaths(index: PathIndex, globs: readonly string[], opts: { first?: boolean; matchBase?: boolean } = {}): number[] {
  const cs = globs
    .map((g) => (typeof g === "string" ? compile(g, opts.matchBase === false ? false : !g.includes("/")) : null))
    .filter((c): c is Compiled => c !== null);
  const keyed = cs.filter((c) => nameKeys(c) !== null);
  const rest = cs.filter((c) => nameKeys(c) === null);
  const found = new Set<number>();
  if (keyed.length) {
    const { byName, byEnding } = byNameAndEnding(index);
    for (const c of keyed) {
      const keys = nameKeys(c)!;
      for (const at of [...keys.names.map((n) => byName.get(n)), ...keys.endings.map((e) => byEnding.get(e))]) {
        for (const i of at === undefined ? [] : typeof at === "number" ? [at] : at) {
          if (found.has(i) || !matches(c, index.paths[i]!)) continue;
          found.add(i);
          if (opts.first) return [i];
        }
      }
    }
  }
  // Globs with literal text: the paths holding it, found by searching all paths as one text.
  const searched = rest.filter((c) => c.literals !== null && c.literals.every((l) => !l.includes("\0")));
  for (const c of searched) {
    const candidates = new Set<number>();
    for (const literal of c.literals!) for (const i of pathsContaining(index, literal)) candidates.add(i);
    for (const i of [...candidates].sort((a, b) => a - b)) {
      if (found.has(i) || !matches(c, index.paths[i]!)) continue;
      found.add(i);
      if (opts.first) return [i];
    }
  }
  const scanned = rest.filter((c) => !searched.includes(c));
  if (scanned.length) {
    const paths = index.paths;
    for (let i = 0; i < paths.length; i++) {
      if (found.has(i)) continue;
      for (const c of scanned) {
        if (!matches(c, paths[i]!)) continue;
        found.add(i);
        if (opts.first) return [i];
        break;
      }
    }
  }
  return [...found].sort((a, b) => a - b);
}

/** Positions (ascending) of the indexed paths that contain `text` (which holds no NUL). */
function pathsContaining(index: PathIndex, text: string): number[] {
  if (!index.joined) {
    const starts = new Int32Array(index.paths.length);
    let at = 0;
    index.paths.forEach((p, i) => {
      starts[i] = at;
      at += p.length + 1;
    });
    index.joined = { text: index.paths.join("\0") + "\0", starts };
  }
  const { text: all, starts } = index.joined;
  const out: number[] = [];
  for (let pos = all.indexOf(text); pos >= 0;) {
    // The path the match starts in: the last one starting at or before it.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    out.push(lo);
    // On to the next path: one position per path.
    pos = lo + 1 < starts.length ? all.indexOf(text, starts[lo + 1]!) : -1;
  }
  return out;
}

/** True when any of the globs matches one of the indexed paths (see matchingPaths). */
export function anyPathMatches(index: PathIndex, globs: readonly string[], opts: { matchBase?: boolean } = {}): boolean {
  return matchingPaths(index, globs, { ...opts, first: true }).length > 0;
}
