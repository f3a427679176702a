// Binary search over a sorted list, for the lookups that would otherwise read the list through.

/**
 * The first index in 0..length for which `before(i)` is false, where `before` holds for a prefix of
 * the indexes and for none after it: in a sorted list, where the first item not below a key is.
 */
export function firstNotBefore(length: number, before: (index: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Orders strings by UTF-16 code units, the same on every machine. `localeCompare` would follow the
 * locale of whoever runs the report (and costs a collation per call): report order must not.
 */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
