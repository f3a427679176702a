// The GitHub Action: reads inputs, reads the change (base, diff), calls the same run() as the CLI,
// and writes annotations, the job summary, the report file and outputs; fails the step per
// `fail-on`. Importable without side effects (tests call runAction); action-entry.ts runs it.
import { posix, relative, resolve, sep } from "node:path";
import * as core from "@actions/core";
import { actionConfig } from "./config/action.js";
import { ConfigFileError } from "./config/load.js";
import { resolveSelector } from "./crosswalk/index.js";
import { ConfigError } from "./errors.js";
import { planAnnotations, workflowAnnotation } from "./github/annotations.js";
import { approvalsFor } from "./github/approvals.js";
import { readChange } from "./github/change.js";
import { createClient } from "./github/client.js";
import { readRunContext } from "./github/context.js";
import { githubSession, publishGitHub, sessionNotes, type GitHubInputs } from "./github/pull-request.js";
import { PackError } from "./policy/load.js";
import { renderJson } from "./report/json.js";
import { renderMarkdown } from "./report/markdown.js";
import { renderSarif } from "./report/sarif.js";
import type { FailOn, Report } from "./report/types.js";
import { prewarmFor, run } from "./run.js";
import { startWalk } from "./inventory/walk.js";
import { mdText, termText } from "./util/escape.js";
import { isInside, writeOutputFile } from "./util/safe-fs.js";
import { SCOPES, type Scope } from "./verdict.js";
import { append } from "./util/append.js";

const FAIL_ON = ["error", "warning", "note", "never"];

export async function runAction(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  let report: Report | null = null;
  try {
    const path = core.getInput("path") || ".";
    let failOn = (core.getInput("fail-on") || "error") as FailOn;
    if (!FAIL_ON.includes(failOn)) throw new ConfigError(`fail-on must be one of ${FAIL_ON.join(", ")}; got "${failOn}"`);
    let policyFiles = core.getMultilineInput("policy").filter(Boolean);
    let reportFile = core.getInput("report-file") || "aigate-report.json";
    const annotate = flag("annotations", true);
    const inputs = githubInputs();
    const standard = standardInput();

    const root = resolve(workspace, path);
    if (!isInside(workspace, root)) throw new ConfigError(`path must be inside the workspace; got "${path}"`);
    // The walk needs nothing the base or the configuration says: it lists and stats the files while
    // those are read (API requests on a shallow checkout).
    const cacheDir = cacheDirInput(env, workspace);
    const early = startWalk(root, prewarmFor({ scope: core.getInput("scope") === "changed" ? "changed" : "all", cacheDir }));
    const ctx = readRunContext(env);
    const client = inputs.token && ctx.owner ? createClient(inputs.token, { baseUrl: ctx.apiUrl }) : null;
    // aigate.yml (on a pull request: the base commit's) fills in the inputs left at their defaults.
    const setup = await actionConfig({
      root,
      workspace,
      ctx,
      client,
      env,
      log: (l) => core.info(`aigate: ${termText(l)}`),
      inputs: {
        manifest: core.getInput("manifest"),
        policy: policyFiles,
        "fail-on": core.getInput("fail-on"),
        scope: core.getInput("scope"),
        baseline: core.getInput("baseline"),
        "report-file": core.getInput("report-file"),
        "sarif-file": core.getInput("sarif-file"),
        "bom-file": core.getInput("bom-file"),
        config: core.getInput("config"),
        packToken: core.getInput("pack-token") || inputs.token,
      },
    });
    const settings = setup.settings;
    [failOn, policyFiles, reportFile, inputs.scope, inputs.baseline] = [
      settings.failOn,
      settings.policyFiles,
      settings.outputs.report ?? "aigate-report.json",
      settings.scope,
      settings.baseline ?? null,
    ];
    for (const p of policyFiles)
      if (!isInside(workspace, resolve(workspace, p))) throw new ConfigError(`policy packs must be inside the workspace; got "${p}"`);
    const prefix = posix.normalize(path.split("\\").join("/"));
    // The base, the change's lines and the review diff are read first; run() decides with them.
    const change = await readChange(
      ctx,
      client,
      { scope: inputs.scope, review: inputs.review, base: inputs.base },
      { root, prefix: prefix === "." ? "" : prefix },
    );
    report = await run({
      root,
      manifestGlob: settings.manifestGlob,
      policyFiles,
      failOn,
      cwd: workspace,
      cacheDir,
      scope: inputs.scope,
      baseline: inputs.baseline ?? undefined,
      base: change.base,
      diff: change.diff,
      notes: change.notes,
      approvals: client && ctx.pull ? (who) => approvalsFor(client, ctx, who).then((a) => (append(change.notes, a.notes), a.approvedBy)) : undefined,
      walk: early.walk,
    }).finally(() => setup.done());
    await setup.finish(report, {
      repository: ctx.owner && ctx.repo ? { name: `${ctx.owner}/${ctx.repo}`, commit: ctx.pull?.headSha ?? (ctx.sha || null) } : null,
    });
    report.root = path;
    const github = githubSession(report, inputs, ctx, client, change, { path });
    for (const note of github.notes) core.info(`aigate: ${termText(note)}`);

    // Annotations need paths relative to the workspace.
    const toWorkspace = (p: string) => posix.normalize(posix.join(prefix, p));
    if (annotate) {
      const plan = planAnnotations(report.findings);
      for (const f of plan.shown) {
        const a = workflowAnnotation(f, toWorkspace);
        core[a.level](a.message, a.properties);
      }
      const left = plan.omitted.error + plan.omitted.warning + plan.omitted.note;
      if (left)
        core.info(
          `aigate: ${left} more findings (${plan.omitted.error} errors, ${plan.omitted.warning} warnings, ${plan.omitted.note} notes) are not annotated: GitHub shows 10 of each per step. See the job summary and ${termText(reportFile)}.`,
        );
    }

    const reportPath = resolve(workspace, reportFile);
    await writeOutputFile(reportPath, renderJson(report), { within: workspace });
    core.setOutput("report-path", reportPath);
    const sarifFile = settings.outputs.sarif ?? "";
    if (sarifFile) {
      const sarifPath = resolve(workspace, sarifFile);
      await writeOutputFile(sarifPath, renderSarif(report), { within: workspace });
      core.setOutput("sarif-path", sarifPath);
    }
    const bomFile = settings.outputs.bom ?? "";
    if (bomFile) {
      // The BOM libraries are loaded only when a BOM is asked for.
      const { actionBomPaths, buildBoms } = await import("./bom/index.js");
      const { files } = await buildBoms({ root, format: "cyclonedx", cwd: workspace, policyFiles, manifestGlob: settings.manifestGlob, report });
      const bomPaths = actionBomPaths(files, resolve(workspace, bomFile));
      for (const [i, f] of files.entries()) await writeOutputFile(bomPaths[i]!, f.content, { within: workspace });
      core.setOutput("bom-path", files.length ? bomPaths.join("\n") : "");
      if (!files.length) core.info("aigate: no valid AI system manifest, so no AI-BOM was written");
    }
    // Locations link to the commit the findings are about (the checkout's), built from the run's own context.
    const links =
      ctx.owner && ctx.repo && (ctx.sha || ctx.pull?.headSha)
        ? { serverUrl: ctx.serverUrl, owner: ctx.owner, repo: ctx.repo, sha: ctx.sha || ctx.pull!.headSha, pathPrefix: prefix === "." ? "" : prefix }
        : undefined;
    if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(renderMarkdown(report, { maxFindings: 100, links, standard }) + sessionNotes(github)).write();
    // PR comment, review and check run: after the summary; a failure degrades and never changes the verdict.
    const publish = {
      botLogin: core.getInput("bot-login") || undefined,
      stateSecret: core.getInput("state-secret") || undefined,
      instance: core.getInput("check-name") || undefined,
      links,
    };
    if (publish.stateSecret) core.setSecret(publish.stateSecret);
    const feedback = await publishGitHub(github, report, { info: core.info, warning: (m) => core.warning(m) }, publish).catch((e: unknown) => {
      core.warning(`aigate: could not post pull-request feedback (${(e as Error).message}); the findings are in the annotations and the job summary.`);
      return null;
    });
    core.setOutput("github-feedback", feedback?.feedback ?? "degraded");
    if (feedback?.commentUrl) core.setOutput("comment-url", feedback.commentUrl);
    if (feedback?.checkRunUrl) core.setOutput("check-run-url", feedback.checkRunUrl);
    core.setOutput("review-comments", String(feedback?.reviewComments ?? 0));
    setVerdictOutputs(report);
    const s = report.summary;
    if (!s.passed)
      core.setFailed(
        `aigate: gate failed: ${s.bySeverity.error} errors, ${s.bySeverity.warning} warnings, ${s.bySeverity.note} notes open${s.notEvaluated ? `, ${s.notEvaluated} systems not evaluated` : ""} (fail-on: ${failOn})`,
      );
    else core.info(`aigate: gate passed (${s.open} open findings below fail-on ${failOn}, ${s.accepted} accepted)`);
  } catch (e) {
    const message = e instanceof PackError ? `invalid policy pack:\n${e.message}` : (e as Error).message;
    // A located pack or configuration error is also an annotation on its line, where the author looks.
    if (e instanceof PackError || e instanceof ConfigFileError) annotateProblems(e.problems, workspace);
    core.setFailed(
      `aigate: ${message
        .split("\n")
        .map((l) => termText(l))
        .join("\n")}`,
    );
    // The outputs and the job summary say what happened even when the run could not finish.
    if (report) setVerdictOutputs(report);
    else core.setOutput("passed", "false");
    if (env.GITHUB_STEP_SUMMARY)
      await core.summary
        .addRaw(`## aigate: ❌ not run\n\nThe gate could not run: ${mdText(message.split("\n")[0]!)}\n`)
        .write()
        .catch(() => undefined);
  }
}

/** The `standard` input: a standard of the crosswalk for the summary's matrix, checked before the run. */
function standardInput(): string | undefined {
  const written = core.getInput("standard").trim();
  if (!written) return undefined;
  const r = resolveSelector(written);
  if ("error" in r) throw new ConfigError(`standard: ${r.error}`);
  return r.standard;
}

/** Error annotations for located problems in files of the workspace (at most 50: GitHub shows 10 per step anyway). */
function annotateProblems(problems: readonly { file: string; line: number; column: number; message: string }[], workspace: string): void {
  for (const p of problems.slice(0, 50)) {
    const file = resolve(workspace, p.file);
    const inside = isInside(workspace, file);
    const where = inside ? relative(workspace, file).split(sep).join("/") : null;
    core.error(
      termText(p.message),
      where
        ? { title: "Invalid aigate configuration", file: where, startLine: Math.max(1, p.line), startColumn: Math.max(1, p.column) }
        : { title: "Invalid aigate configuration" },
    );
  }
}

/**
 * The scan cache folder (`cache-dir`): by default aigate-cache in the runner's temporary folder,
 * which an actions/cache step restores and saves; an empty value turns the cache off.
 */
function cacheDirInput(env: NodeJS.ProcessEnv, workspace: string): string | undefined {
  const v = core.getInput("cache-dir").trim();
  if (v === "") return undefined;
  if (v.includes("${{")) return env.RUNNER_TEMP ? resolve(env.RUNNER_TEMP, "aigate-cache") : undefined;
  return resolve(workspace, v);
}

function setVerdictOutputs(report: Report): void {
  const s = report.summary;
  const by = s.byStatus ?? {};
  core.setOutput("passed", String(s.passed));
  core.setOutput("errors", String(s.bySeverity.error));
  core.setOutput("warnings", String(s.bySeverity.warning));
  core.setOutput("notes", String(s.bySeverity.note));
  core.setOutput("accepted", String(s.accepted));
  core.setOutput("findings", String(s.findings));
  core.setOutput("systems", String(report.systems.length));
  core.setOutput("baselined", String(by.baselined ?? 0));
  core.setOutput("pre-existing", String(by["pre-existing"] ?? 0));
  core.setOutput("pending-exceptions", String(report.pending?.length ?? 0));
}

/** A boolean input: true or false, anything else is a configuration error naming the input. */
function flag(name: string, dflt: boolean): boolean {
  const v = core.getInput(name).trim().toLowerCase();
  if (v === "") return dflt;
  if (v !== "true" && v !== "false") throw new ConfigError(`${name} must be true or false; got "${v}"`);
  return v === "true";
}

/** The pull-request inputs (see action.yml). */
function githubInputs(): GitHubInputs {
  const scope = (core.getInput("scope") || "all") as Scope;
  if (!SCOPES.includes(scope)) throw new ConfigError(`scope must be one of ${SCOPES.join(", ")}; got "${scope}"`);
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
