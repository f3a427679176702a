// Appends one array to another. `target.push(...items)` passes every item as an argument, and V8
// refuses a call with more than about 120,000 of them ("Maximum call stack size exceeded"): seven
// 2 MB source files of repeated sinks made the code scanner's merge fail that way. A loop has no limit.

/** Appends `items` to `target` in order; returns `target`. */
export function append<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}
