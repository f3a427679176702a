// Version ranges judged by the versions they allow: `torch<2.6` pins nothing, but every version it
// allows is one that CVE-2025-32434 affects, which says more than "not pinned". A specifier's
// bounds are read clause by clause (PEP 440: <, <=, >, >=, ==X.*, ~=; != only removes versions);
// an advisory range covers the specifier when it starts at or below the lowest allowed version and
// its fix is at or above the cap. Without a cap newer, fixed versions are allowed: nothing to say.
import { compare } from "@renovatebot/pep440";
import { comparable, type Advisory, type AdvisoryData } from "./advisories.js";
import { LINE_BREAK } from "../../../util/strip.js";

interface Bound {
  v: string;
  inclusive: boolean;
}

export interface Bounds {
  lower?: Bound;
  upper?: Bound;
}

/** The release `X.Y` after the prefix of `==X.Y.*` or the `~=X.Y.Z` cap (`X.(Y+1)`). */
function nextRelease(release: string, keep: number): string | undefined {
  const parts = release.split(".").map((p) => Number.parseInt(p, 10));
  if (parts.some((n) => !Number.isFinite(n)) || parts.length < keep) return undefined;
  const head = parts.slice(0, keep);
  head[keep - 1]! += 1;
  return head.join(".");
}

/** The lowest and highest versions a specifier allows, or undefined when a clause is not understood. */
export function specifierBounds(specifier: string): Bounds | undefined {
  const b: Bounds = {};
  const tighten = (side: "lower" | "upper", v: string, inclusive: boolean) => {
    const c = comparable(v);
    if (!c) return false;
    const cur = b[side];
    const cmp = cur ? compare(c, cur.v) : 0;
    if (!cur || (side === "lower" ? cmp > 0 || (cmp === 0 && !inclusive) : cmp < 0 || (cmp === 0 && !inclusive))) b[side] = { v: c, inclusive };
    return true;
  };
  for (const raw of specifier.split(",")) {
    const clause = raw.trim();
    if (!clause) continue;
    // A line break fails `(.+)$` only after every split of the blanks was tried: never a clause.
    // eslint-disable-next-line regexp/no-super-linear-backtracking -- without a line break, `.*$` matches at its first try
    const m = LINE_BREAK.test(clause) ? null : /^(~=|==|!=|<=|>=|<|>)\s*(.+)$/.exec(clause);
    if (!m) return undefined;
    const [, op, v] = m as unknown as [string, string, string];
    if (op === "!=") continue;
    if (op === "==" && v.endsWith(".*")) {
      const prefix = v.slice(0, -2);
      const next = nextRelease(prefix, prefix.split(".").length);
      if (!next || !tighten("lower", prefix, true) || !tighten("upper", next, false)) return undefined;
      continue;
    }
    if (op === "~=") {
      const n = v.split(".").length;
      const next = n >= 2 ? nextRelease(v, n - 1) : undefined;
      if (!next || !tighten("lower", v, true) || !tighten("upper", next, false)) return undefined;
      continue;
    }
    const ok =
      op === "=="
        ? tighten("lower", v, true) && tighten("upper", v, true)
        : op.startsWith("<")
          ? tighten("upper", v, op === "<=")
          : tighten("lower", v, op === ">=");
    if (!ok) return undefined;
  }
  return b;
}

/**
 * The advisories of `name` that affect every version `specifier` allows (each through one of its
 * ranges), with the lowest version that fixes them all when they have fixes. Empty when the
 * specifier has no cap or allows a version outside every range.
 */
export function advisoriesForEveryAllowedVersion(name: string, specifier: string, data: AdvisoryData): { affected: Advisory[]; fixed?: string } {
  const bounds = specifierBounds(specifier);
  if (!bounds?.upper) return { affected: [] };
  const { lower, upper } = bounds;
  const affected: Advisory[] = [];
  let fixed: string | undefined;
  for (const a of data.packages[name] ?? []) {
    const range = a.ranges.find((r) => {
      if (r.introduced !== "0") {
        const lo = comparable(r.introduced);
        if (!lo || !lower || compare(lower.v, lo) < 0) return false;
      }
      if (r.fixed !== undefined) {
        const hi = comparable(r.fixed);
        // Every allowed version is below the fix: the cap is at or under it (strictly under when the cap is allowed).
        return !!hi && (upper.inclusive ? compare(upper.v, hi) < 0 : compare(upper.v, hi) <= 0);
      }
      if (r.last_affected !== undefined) {
        const hi = comparable(r.last_affected);
        return !!hi && compare(upper.v, hi) <= 0;
      }
      return true;
    });
    if (!range) continue;
    affected.push(a);
    const f = range.fixed && comparable(range.fixed);
    if (f && (!fixed || compare(f, fixed) > 0)) fixed = f;
  }
  return fixed ? { affected, fixed } : { affected };
}
