// Workflow-command annotations. GitHub shows at most 10 errors, 10 warnings and 10 notices per
// step, so the most severe come first and the rest are counted, not silently dropped.
//
// @actions/core writes `::error file=...,title=...::message`, escaping `%`, CR and LF in the
// message and also `:` and `,` in properties: a message cannot end the command or start another
// line, and a title or path cannot add a property. What it leaves (ESC and other controls, bidi
// marks, the legacy `##[` prefix) is escaped here with termText before it reaches the log.
import type { Finding, Severity } from "../findings/types.js";
import { termText } from "../util/escape.js";
import { append } from "../util/append.js";

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
    append(shown, open.slice(0, ANNOTATION_LIMIT));
    omitted[sev] = Math.max(0, open.length - ANNOTATION_LIMIT);
  }
  return { shown, omitted };
}

export interface WorkflowAnnotation {
  /** The @actions/core function to call: `core[level](message, properties)`. */
  level: "error" | "warning" | "notice";
  message: string;
  properties: { title: string; file: string; startLine: number; startColumn: number };
}

const LEVEL: Record<Severity, WorkflowAnnotation["level"]> = { error: "error", warning: "warning", note: "notice" };

/**
 * A finding as the arguments of core.error / core.warning / core.notice. The message and title are
 * termText (the one line break is aigate's own, between message and remediation; core encodes it).
 * The file is the path (core escapes it as a property) with termText too: a name with control
 * characters is hostile, and its annotation not landing on the file is the lesser harm.
 */
export function workflowAnnotation(f: Finding, toWorkspace: (p: string) => string): WorkflowAnnotation {
  return {
    level: LEVEL[f.severity],
    message: f.remediation ? `${termText(f.message)}\n${termText(f.remediation)}` : termText(f.message),
    properties: {
      title: termText(`${f.title} [${f.ruleId}]`, 500),
      file: termText(toWorkspace(f.path)),
      startLine: Math.max(1, f.line),
      startColumn: Math.max(1, f.column),
    },
  };
}
