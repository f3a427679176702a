// Glob matching with minimatch, as users write globs in .gitignore-like places: dotfiles match.
import { minimatch } from "minimatch";

export function matchesAny(path: string, globs: readonly string[]): boolean {
  return globs.some((g) => minimatch(path, g, { dot: true, matchBase: !g.includes("/") }));
}

export function hasMagic(pattern: string): boolean {
  return /[*?[\]{}!]/.test(pattern);
}
