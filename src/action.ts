// The GitHub Action entry: reads inputs, calls the same run() as the CLI, and writes annotations,
// the job summary, the report file and outputs; fails the step per `fail-on`.
import { writeFile } from "node:fs/promises";
import { posix, resolve } from "node:path";
import * as core from "@actions/core";
import { planAnnotations } from "./github/annotations.js";
import { prepareGitHub, publishGitHub, sessionNotes, type GitHubInputs } from "./github/pull-request.js";
import { PackError } from "./policy/load.js";
import { renderJson } from "./report/json.js";
import { renderMarkdown } from "./report/markdown.js";
import { renderSarif } from "./report/sarif.js";
import type { FailOn } from "./report/types.js";
import { SCOPES, type Scope } from "./scope.js";
import { run } from "./run.js";

const FAIL_ON = ["error", "warning", "note", "never"];

export async function runAction(): Promise<void> {
  try {
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const path = core.getInput("path") || ".";
    const failOn = (core.getInput("fail-on") || "error") as FailOn;
    if (!FAIL_ON.includes(failOn)) throw new Error(`fail-on must be one of ${FAIL_ON.join(", ")}; got "${failOn}"`);
    const policyFiles = core.getMultilineInput("policy").filter(Boolean);
    const reportFile = core.getInput("report-file") || "aigate-report.json";
    const annotate = (core.getInput("annotations") || "true") !== "false";

    const root = resolve(workspace, path);
    const report = await run({ root, manifestGlob: core.getInput("manifest") || undefined, policyFiles, failOn, cwd: workspace });
    report.root = path;
    // Baseline and diff-aware scope change statuses before anything reports the verdict.
    const github = await prepareGitHub(report, githubInputs(), { workspace, path, root });
    for (const note of github.notes) core.info(`aigate: ${note}`);

    // Annotations need paths relative to the workspace.
    const toWorkspace = (p: string) => posix.normalize(posix.join(path.split("\\").join("/"), p));
    if (annotate) {
      const plan = planAnnotations(report.findings);
      for (const f of plan.shown) {
        const props = { title: `${f.title} [${f.ruleId}]`, file: toWorkspace(f.path), startLine: f.line, startColumn: f.column };
        const text = f.remediation ? `${f.message}\n${f.remediation}` : f.message;
        if (f.severity === "error") core.error(text, props);
        else if (f.severity === "warning") core.warning(text, props);
        else core.notice(text, props);
      }
      const left = plan.omitted.error + plan.omitted.warning + plan.omitted.note;
      if (left) core.info(`aigate: ${left} more findings (${plan.omitted.error} errors, ${plan.omitted.warning} warnings, ${plan.omitted.note} notes) are not annotated: GitHub shows 10 of each per step. See the job summary and ${reportFile}.`);
    }

    const reportPath = resolve(workspace, reportFile);
    await writeFile(reportPath, renderJson(report));
    const sarifFile = core.getInput("sarif-file");
    if (sarifFile) {
      const sarifPath = resolve(workspace, sarifFile);
      await writeFile(sarifPath, renderSarif(report));
      core.setOutput("sarif-path", sarifPath);
    }
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(renderMarkdown(report, { maxFindings: 100 }) + sessionNotes(github)).write();
    // PR comment, review and check run: after the summary; a failure degrades and never changes the verdict.
    const feedback = await publishGitHub(github, report, { info: core.info, warning: (m) => core.warning(m) }).catch((e: unknown) => {
      core.warning(`aigate: could not post pull-request feedback (${(e as Error).message}); the findings are in the annotations and the job summary.`);
      return null;
    });
    core.setOutput("github-feedback", feedback?.feedback ?? "degraded");
    if (feedback?.commentUrl) core.setOutput("comment-url", feedback.commentUrl);
    if (feedback?.checkRunUrl) core.setOutput("check-run-url", feedback.checkRunUrl);
    core.setOutput("review-comments", String(feedback?.reviewComments ?? 0));
    core.setOutput("baselined", String(github.counts.baselined));
    core.setOutput("pre-existing", String(github.counts.preExisting));

    const s = report.summary;
    core.setOutput("passed", String(s.passed));
    core.setOutput("errors", String(s.bySeverity.error));
    core.setOutput("warnings", String(s.bySeverity.warning));
    core.setOutput("notes", String(s.bySeverity.note));
    core.setOutput("accepted", String(s.accepted));
    core.setOutput("findings", String(s.findings));
    core.setOutput("systems", String(report.systems.length));
    core.setOutput("report-path", reportPath);
    if (!s.passed) core.setFailed(`aigate: gate failed: ${s.bySeverity.error} errors, ${s.bySeverity.warning} warnings, ${s.bySeverity.note} notes open (fail-on: ${failOn})`);
    else core.info(`aigate: gate passed (${s.open} open findings below fail-on ${failOn}, ${s.accepted} accepted)`);
  } catch (e) {
    if (e instanceof PackError) core.setFailed(`aigate: invalid policy pack:\n${e.message}`);
    else core.setFailed(`aigate: ${(e as Error).message}`);
  }
}

/** The pull-request inputs (see action.yml). */
function githubInputs(): GitHubInputs {
  const flag = (name: string, dflt: boolean) => {
    const v = core.getInput(name).toLowerCase();
    if (v === "") return dflt;
    if (v !== "true" && v !== "false") throw new Error(`${name} must be true or false; got "${v}"`);
    return v === "true";
  };
  const scope = (core.getInput("scope") || "all") as Scope;
  if (!SCOPES.includes(scope)) throw new Error(`scope must be one of ${SCOPES.join(", ")}; got "${scope}"`);
  return {
    token: core.getInput("github-token"),
    scope,
    baseline: core.getInput("baseline") || null,
    base: core.getInput("base") || null,
    comment: flag("comment", true),
    review: flag("review", true),
    checkRun: flag("check-run", false),
    checkName: core.getInput("check-name") || "aigate",
    deleteCommentWhenClean: flag("delete-comment-when-clean", false),
  };
}

await runAction();
