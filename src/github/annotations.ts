// Workflow-command annotations. GitHub shows at most 10 errors, 10 warnings and 10 notices per
// step, so the most severe come first and the rest are counted, not silently dropped.
import type { Finding, Severity } from "../findings/types.js";

export const ANNOTATION_LIMIT = 10;

export interface AnnotationPlan {
  shown: Finding[];
  omitted: Record<Severity, number>;
}

export function planAnnotations(findings: readonly Finding[]): AnnotationPlan {
  const shown: Finding[] = [];
  const omitted: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  for (const sev of ["error", "warning", "note"] as const) {
    const open = findings.filter((f) => f.status === "open" && f.severity === sev);
    shown.push(...open.slice(0, ANNOTATION_LIMIT));
    omitted[sev] = Math.max(0, open.length - ANNOTATION_LIMIT);
  }
  return { shown, omitted };
}
