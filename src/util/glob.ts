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

// Compiled globs, keyed by options and pattern; null for a glob that failed checkGlob.
const compiled = new Map<string, Minimatch | null>();
const CACHE_MAX = 10_000;

function compile(pattern: string, matchBase: boolean, checked = false): Minimatch | null {
  const key = `${matchBase ? "b" : "-"}${checked ? "c" : "-"}${pattern}`;
  let mm = compiled.get(key);
  if (mm !== undefined) return mm;
  mm = checked || checkGlob(pattern) === null ? new Minimatch(pattern, { ...BASE_OPTIONS, matchBase }) : null;
  if (compiled.size >= CACHE_MAX) compiled.clear();
  compiled.set(key, mm);
  return mm;
}

/** One glob against one path; `matchBase` lets a glob without `/` match the file's name. */
export function matchGlob(path: string, glob: string, opts: { matchBase?: boolean } = {}): boolean {
  const mm = compile(glob, opts.matchBase === true);
  return mm !== null && mm.match(path);
}

/** True when any glob matches; a glob without `/` matches a file's name in any folder. */
export function matchesAny(path: string, globs: readonly string[]): boolean {
  return globs.some((g) => typeof g === "string" && matchGlob(path, g, { matchBase: !g.includes("/") }));
}

/** A glob matches the path itself or, when it names a folder, anything below it. */
export function matchesGlobOrBelow(path: string, glob: string): boolean {
  const g = glob.replace(/\/+$/, "");
  const mm = compile(g, false);
  if (mm === null) return false;
  if (mm.match(path) || path.startsWith(g + "/")) return true;
  // `g/**` may exceed the limits by its one more `**`; g itself passed them.
  return compile(`${g}/**`, false, true)?.match(path) ?? false;
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
