// Glob matching as users write globs in .gitignore-like places: dotfiles match, and a glob without
// a `/` matches a file's name in any folder. Globs come from manifests and packs, which on a pull
// request are written by whoever opens it, so every glob is bounded before it is used:
// `checkGlob` says what is wrong with one (callers report it as a located finding), and a glob
// that fails it matches nothing. Matching uses minimatch's parser and matcher, which test each
// path portion with a Thompson-NFA matcher (no backtracking) and walk `**` with memoisation; with
// brace expansion capped here, one glob costs time linear in the path's length.
import { braceExpand, Minimatch, type MinimatchOptions } from "minimatch";

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
  /** Text every matching path contains (the longest literal run within one path segment), or "" when unknown. */
  literal: string;
}
const compiled: Map<string, Compiled | null>[] = [new Map(), new Map(), new Map(), new Map()];
const CACHE_MAX = 10_000;

function compile(pattern: string, matchBase: boolean, checked = false): Compiled | null {
  const table = compiled[(matchBase ? 1 : 0) + (checked ? 2 : 0)]!;
  let c = table.get(pattern);
  if (c !== undefined) return c;
  c = checked || checkGlob(pattern) === null ? { mm: new Minimatch(pattern, { ...BASE_OPTIONS, matchBase }), literal: literalRun(pattern) } : null;
  if (table.size >= CACHE_MAX) table.clear();
  table.set(pattern, c);
  return c;
}

/**
 * The longest run of plain characters within one segment of a glob, which every path it matches
 * contains: a cheap test before minimatch's (rules test their globs against every file of the
 * repository). "" for globs whose text may not appear as written: braces, classes, extglobs,
 * escapes, negation.
 */
function literalRun(pattern: string): string {
  if (/[{}[\]\\()]/.test(pattern) || pattern.startsWith("!")) return "";
  let best = "";
  for (const run of pattern.split(/[*?/]+/)) if (run.length > best.length) best = run;
  return best.length >= 2 ? best : "";
}

function matches(c: Compiled | null, path: string): boolean {
  return c !== null && (c.literal === "" || path.includes(c.literal)) && c.mm.match(path);
}

/** One glob against one path; `matchBase` lets a glob without `/` match the file's name. */
export function matchGlob(path: string, glob: string, opts: { matchBase?: boolean } = {}): boolean {
  return matches(compile(glob, opts.matchBase === true), path);
}

// The compiled globs of a list, by the list (rules pass the same lists for every file), with the
// patterns they were compiled from: a list edited in place is compiled again.
const lists = new WeakMap<readonly string[], { patterns: unknown[]; compiled: (Compiled | null)[] }>();

/** True when any glob matches; a glob without `/` matches a file's name in any folder. */
export function matchesAny(path: string, globs: readonly string[]): boolean {
  let entry = lists.get(globs);
  if (!entry || entry.patterns.length !== globs.length || entry.patterns.some((g, i) => g !== globs[i])) {
    entry = { patterns: [...globs], compiled: globs.map((g) => (typeof g === "string" ? compile(g, !g.includes("/")) : null)) };
    lists.set(globs, entry);
  }
  for (const c of entry.compiled) if (matches(c, path)) return true;
  return false;
}

/** A glob matches the path itself or, when it names a folder, anything below it. */
export function matchesGlobOrBelow(path: string, glob: string): boolean {
  const g = glob.replace(/\/+$/, "");
  const c = compile(g, false);
  if (c === null) return false;
  if (matches(c, path) || path.startsWith(g + "/")) return true;
  // `g/**` may exceed the limits by its one more `**`; g itself passed them.
  return matches(compile(`${g}/**`, false, true), path);
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
