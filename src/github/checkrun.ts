// The check run: a title, a summary and every open finding as an annotation, sent 50 per request
// (the API's limit; annotations of updates are appended), so far more than the 10-per-type of
// workflow commands reach the Files view. Annotation titles and messages are plain text: control
// characters and bidi marks from content are shown as escapes. The summary is Markdown: names go
// through mdCode.
import type { Finding, Severity } from "../findings/types.js";
import type { Report } from "../report/types.js";
import { cut, mdCode, mdLink, termText } from "../util/escape.js";
import type { Octokit } from "./client.js";

export const CHECK_ANNOTATIONS_PER_REQUEST = 50;
/** Bound on annotations per run (50 requests), so one run stays well inside the write rate limits. */
export const CHECK_MAX_ANNOTATIONS = 2500;
export const CHECK_TEXT_MAX = 65535;
const LEVEL: Record<Severity, "failure" | "warning" | "notice"> = { error: "failure", warning: "warning", note: "notice" };

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "failure" | "warning" | "notice";
  title: string;
  message: string;
}

export function toAnnotation(f: Finding, toRepoPath: (p: string) => string): CheckAnnotation {
  const start = Math.max(1, f.line);
  const end = f.endLine && f.endLine >= start ? f.endLine : start;
  const a: CheckAnnotation = {
    path: toRepoPath(f.path),
    start_line: start,
    end_line: end,
    annotation_level: LEVEL[f.severity],
    title: cut(termText(`${f.title} [${f.ruleId}]`), 255),
    message: cut(f.remediation ? `${termText(f.message)}\n${termText(f.remediation)}` : termText(f.message), 60000),
  };
  // Columns only on one line (the API rejects them across lines).
  if (end === start && f.column >= 1) {
    a.start_column = f.column;
    a.end_column = f.endColumn && f.endColumn > f.column ? f.endColumn : f.column;
  }
  return a;
}

export function checkSummary(report: Report, annotated: number, omitted: number, runUrl: string | null): { title: string; summary: string } {
  const s = report.summary;
  const b = s.bySeverity;
  const title = `${s.passed ? "Passed" : "Failed"}: ${b.error} errors, ${b.warning} warnings, ${b.note} notes open`;
  const known = report.findings.filter((f) => f.status === "pre-existing" || f.status === "baselined").length;
  const lines = [
    `**aigate ${s.passed ? "passed" : "failed"}** (fail-on ${mdCode(s.failOn, { table: false })}): ${b.error} errors, ${b.warning} warnings, ${b.note} notes open; ${s.accepted} accepted; ${known} pre-existing or baselined.`,
    "",
    "| system | verdict | errors | warnings | notes |",
    "| --- | --- | --: | --: | --: |",
    ...report.systems.map((x) => `| ${mdCode(x.name)} | ${verdictIcon(x)} | ${x.summary.errors} | ${x.summary.warnings} | ${x.summary.notes} |`),
    "",
    `${annotated} open findings are annotated on the files${omitted ? `; ${omitted} more are not (at most ${CHECK_MAX_ANNOTATIONS} per run)` : ""}.`,
  ];
  if (runUrl) lines.push("", mdLink("Full report in the job summary", runUrl));
  let summary = lines.join("\n");
  // Cut at a line end, so no code span or table row is left open.
  if (summary.length > CHECK_TEXT_MAX) {
    const keep = summary.slice(0, CHECK_TEXT_MAX - 40);
    summary = keep.slice(0, keep.lastIndexOf("\n")) + "\n\n…cut to fit the check-run limit.";
  }
  return { title: cut(title, 255), summary };
}

function verdictIcon(s: Report["systems"][number]): string {
  const v = s.summary.verdict ?? (s.summary.passed ? "passed" : "failed");
  return v === "passed" ? "✅" : v === "not-evaluated" ? "❌ not evaluated" : "❌";
}

/** Creates the check run with the first batch, appends the rest, and completes it with the verdict. */
export async function publishCheckRun(
  octokit: Octokit,
  where: { owner: string; repo: string; headSha: string; name: string; detailsUrl: string | null },
  report: Report,
  toRepoPath: (p: string) => string,
  runUrl: string | null,
): Promise<{ id: number; url: string; annotations: number; requests: number }> {
  const open = report.findings.filter((f) => f.status === "open");
  const annotations = open.slice(0, CHECK_MAX_ANNOTATIONS).map((f) => toAnnotation(f, toRepoPath));
  const output = checkSummary(report, annotations.length, open.length - annotations.length, runUrl);
  const batches: CheckAnnotation[][] = [];
  for (let i = 0; i < annotations.length; i += CHECK_ANNOTATIONS_PER_REQUEST) batches.push(annotations.slice(i, i + CHECK_ANNOTATIONS_PER_REQUEST));
  const conclusion = report.summary.passed ? "success" : "failure";
  const { owner, repo } = where;
  const created = await octokit.rest.checks.create({
    owner,
    repo,
    name: where.name,
    head_sha: where.headSha,
    ...(where.detailsUrl ? { details_url: where.detailsUrl } : {}),
    ...(batches.length <= 1
      ? { status: "completed" as const, conclusion, completed_at: new Date().toISOString() }
      : { status: "in_progress" as const, started_at: new Date().toISOString() }),
    output: { ...output, annotations: batches[0] ?? [] },
  });
  let requests = 1;
  for (let i = 1; i < batches.length; i++) {
    const last = i === batches.length - 1;
    await octokit.rest.checks.update({
      owner,
      repo,
      check_run_id: created.data.id,
      ...(last ? { status: "completed" as const, conclusion, completed_at: new Date().toISOString() } : {}),
      output: { ...output, annotations: batches[i] },
    });
    requests++;
  }
  return { id: created.data.id, url: created.data.html_url ?? "", annotations: annotations.length, requests };
}
