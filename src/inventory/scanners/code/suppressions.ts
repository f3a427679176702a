// Inline suppressions: `# aigate: ignore[rule-id, other-id] reason` (`//` in JS/TS). A suppression
// covers its own line and, when it stands alone on a line, the next one. Without a reason it
// suppresses nothing and is itself reported.
export interface Suppression {
  line: number;
  column: number;
  rules: string[];
  reason: string;
  /** Lines it covers. */
  lines: number[];
}

const SUPPRESSION = /aigate:\s*ignore\[([^\]]*)\]\s*(.*)$/;

export function parseSuppression(comment: string, line: number, column: number, standalone: boolean): Suppression | undefined {
  const m = SUPPRESSION.exec(comment);
  if (!m) return undefined;
  const rules = m[1]!
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean);
  const reason = m[2]!.replace(/\*\/\s*$/, "").trim();
  return { line, column, rules, reason, lines: standalone ? [line, line + 1] : [line] };
}
