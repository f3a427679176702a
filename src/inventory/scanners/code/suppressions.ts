// Inline suppressions: `# aigate: ignore[rule-id, other-id] reason` (`//` in JS/TS). A suppression
// covers its own line and, when it stands alone on a line, the next one. Without a reason it
// suppresses nothing and is itself reported.
import { LINE_BREAK } from "../../../util/strip.js";

export interface Suppression {
  line: number;
  column: number;
  rules: string[];
  reason: string;
  /** Lines it covers. */
  lines: number[];
}

const OPENER = /aigate:\s*ignore\[/g;

/**
 * The rule list and reason of the first `aigate: ignore[...] reason` in `comment` whose reason runs
 * to the comment's end on one line: what /aigate:\s*ignore\[([^\]]*)\]\s*(.*)$/ matches, found in
 * one pass (that expression read the rest of the comment from every opener without a `]`).
 */
function matchSuppression(comment: string): [rules: string, reason: string] | undefined {
  OPENER.lastIndex = 0;
  for (let m = OPENER.exec(comment); m; m = OPENER.exec(comment)) {
    const open = m.index + m[0].length;
    const close = comment.indexOf("]", open);
    if (close < 0) return undefined;
    let from = close + 1;
    while (from < comment.length && /\s/.test(comment[from]!)) from++;
    const reason = comment.slice(from);
    if (!LINE_BREAK.test(reason)) return [comment.slice(open, close), reason];
    // Every opener before `close` shares its `]` and its reason: the next candidate is past it.
    OPENER.lastIndex = close + 1;
  }
  return undefined;
}

export function parseSuppression(comment: string, line: number, column: number, standalone: boolean): Suppression | undefined {
  const m = matchSuppression(comment);
  if (!m) return undefined;
  const rules = m[0]
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean);
  const reason = m[1].replace(/\*\/\s*$/, "").trim();
  return { line, column, rules, reason, lines: standalone ? [line, line + 1] : [line] };
}
