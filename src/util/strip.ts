// Linear-time forms of the trims that regular expressions make quadratic. `s.replace(/\/+$/, "")`
// looks for a match at every position: on a run of n slashes followed by anything else, each start
// scans the rest of the run, n²/2 steps, so a 1 MB value in a manifest, lockfile or comment holds a
// run for minutes. These scan once. (The lint rules regexp/no-super-linear-move and
// regexp/no-super-linear-backtracking keep new ones out.)

/** `s` without the characters of `chars` at its end: `s.replace(/[chars]+$/, "")`. */
export function stripTrailing(s: string, chars: string): string {
  let end = s.length;
  while (end > 0 && chars.includes(s[end - 1]!)) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** `s` without the characters of `chars` at its start: `s.replace(/^[chars]+/, "")`. */
export function stripLeading(s: string, chars: string): string {
  let start = 0;
  while (start < s.length && chars.includes(s[start]!)) start++;
  return start === 0 ? s : s.slice(start);
}

/** `s` without the characters of `chars` at either end: `s.replace(/^[chars]+|[chars]+$/g, "")`. */
export function stripEnds(s: string, chars: string): string {
  return stripTrailing(stripLeading(s, chars), chars);
}

/** A line terminator: what `.` does not match, so what can fail a `.*$` after every other step. */
export const LINE_BREAK = /[\n\r\u2028\u2029]/;

/** Where the last line of `s` starts: after its last line terminator (those that `.` does not match). */
function lastLineStart(s: string): number {
  return Math.max(s.lastIndexOf("\n"), s.lastIndexOf("\r"), s.lastIndexOf("\u2028"), s.lastIndexOf("\u2029")) + 1;
}

/**
 * `s` cut at the first `mark` of its last line: `s.replace(/mark.*$/, "")` (the expression matches
 * only where `.*` can reach the end, so on the last line). A single-line value is cut at its first
 * `mark`.
 */
export function cutAt(s: string, mark: string): string {
  const at = s.indexOf(mark, lastLineStart(s));
  return at < 0 ? s : s.slice(0, at);
}

/**
 * `line` without a comment that follows a blank, and the blanks before it: what
 * `line.replace(/\s+#.*$/, "")` gives on a line without line terminators.
 */
export function cutSpacedComment(line: string): string {
  for (let at = line.indexOf("#", 1); at > 0; at = line.indexOf("#", at + 1)) {
    if (!/\s/.test(line[at - 1]!)) continue;
    let start = at - 1;
    while (start > 0 && /\s/.test(line[start - 1]!)) start--;
    return line.slice(0, start);
  }
  return line;
}
