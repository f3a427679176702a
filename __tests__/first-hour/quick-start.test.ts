// The README's quick start, walked as a new user walks it, through the command line itself:
// a small LLM app with no manifest → `check` says to run init → `init` → `check` reports the open
// questions and the real problems → the user answers and fixes → `check` passes; the job summary
// and the pull-request comment of the green run say so first.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { buildProgram } from "../../src/cli.js";
import { commentTargets, renderCommentWithin } from "../../src/github/comment.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { run } from "../../src/run.js";
import { APP_FILES, makeRepo } from "./app.helpers.js";

/** Runs one aigate command in-process, as `aigate <args>` from `cwd`. */
async function aigate(cwd: string, ...args: string[]) {
  let stdout = "";
  let stderr = "";
  let code = -1;
  const program = buildProgram({
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    setExit: (c) => (code = c),
    cwd,
    env: {},
    stdoutIsTTY: false,
    stderrIsTTY: false,
  });
  await program.parseAsync(args, { from: "user" });
  return { code, stdout, stderr };
}

const TODAY = "2026-11-27";

test("init → check → edit → pass, on a generated LLM app", async () => {
  const files = Object.fromEntries(Object.entries(APP_FILES).filter(([p]) => !p.startsWith("services/")));
  const root = makeRepo(files, { git: true });

  // Day one: no manifest. The output says what to do, at a place that exists.
  const before = await aigate(root, "check", "--today", TODAY);
  expect(before.code).toBe(1);
  expect(before.stdout).toMatch(/^\.: error no AI system manifest matches/m);
  expect(before.stdout).toContain("hint: no AI system manifest was found; start one with `aigate init`");
  expect(before.stdout).not.toMatch(/ai-system\.yaml:1:1/);

  // 1. init
  const init = await aigate(root, "init");
  expect(init.code).toBe(0);
  expect(init.stderr).toMatch(
    /wrote ai-system\.yaml: inferred 3 models, 2 tools, 1 dataset, 4 profile facts; (\d+) questions marked UNKNOWN to answer\.\nNext: answer each UNKNOWN/,
  );
  const manifest = readFileSync(join(root, "ai-system.yaml"), "utf8");
  const questions = (manifest.match(/# UNKNOWN:/g) ?? []).length;
  expect(init.stderr).toContain(`${questions} questions marked UNKNOWN`);

  // 2. check: every question is an error at its line, with the real problems.
  const first = await aigate(root, "check", "--today", TODAY);
  expect(first.code).toBe(1);
  expect((first.stdout.match(/^ai-system\.yaml:\d+:\d+: error open question/gm) ?? []).length).toBe(questions);
  expect(first.stdout).toMatch(
    /^ai-system\.yaml:\d+:5: error tool run_command can write, delete, execute, send or pay, and the model may call it with no human approval/m,
  );
  expect(first.stdout).toMatch(/^ai-system\.yaml:\d+:5: error dataset data trains the model on identifiable personal data/m);
  expect(first.stdout).toMatch(/Gate \(fail-on error\): failed\n$/);

  // 3. The user answers every question and fixes what check reported.
  const facts: Record<string, boolean> = {
    trainsOrFinetunes: false,
    usesRAG: false,
    trainingDataSensitive: false,
    membershipSensitive: false,
    inputSensitive: true,
    modelIsIP: false,
    untrustedInput: true,
  };
  let edited = manifest;
  for (const [fact, value] of Object.entries(facts)) edited = edited.replace(new RegExp(`  # ${fact}: # UNKNOWN:.*\\n`), `  ${fact}: ${value}\n`);
  edited = edited
    .replace(/use: \[training\] # UNKNOWN:.*/, "use: [evaluation]")
    .replace(
      /personalData: identifiable # .*/,
      "personalData: pseudonymised\n    anonymization: e-mail and phone replaced by keyed hashes before the data is used",
    )
    .replace(/privileges: \[write\] # UNKNOWN:.*/, "privileges: [send, network]")
    .replace(/humanApproval: never # UNKNOWN:.*/g, "humanApproval: always");
  expect(edited).not.toMatch(/UNKNOWN:/);
  // The hosted models leave runtime threats to the supplier: record who, with an assurance document.
  mkdirSync(join(root, "docs", "vendors"), { recursive: true });
  writeFileSync(join(root, "docs", "vendors", "openai-dpa.md"), "# OpenAI data processing addendum\n\nSigned 2026-05-01; zero data retention enabled.\n");
  edited += [
    "responsibilities:",
    "  - supplier: OpenAI",
    "    models: [gpt-4o-mini, gpt-4o]",
    "    share: supplier",
    "    threats: [RUNTIMEMODELPOISON, RUNTIMEMODELLEAK]",
    "    assurance: [docs/vendors/openai-dpa.md]",
    "    expires: 2027-06-30",
    "",
  ].join("\n");
  writeFileSync(join(root, "ai-system.yaml"), edited);

  // 4. check passes: a first honest green run.
  const green = await aigate(root, "check", "--today", TODAY);
  expect({ code: green.code, errors: green.stdout.split("\n").filter((l) => /^\S+:\d+:\d+: error /.test(l)) }).toEqual({ code: 0, errors: [] });
  expect(green.stdout).toMatch(/^system app \(ai-system\.yaml\): passed — 0 errors, /m);
  expect(green.stdout).toMatch(/Gate \(fail-on error\): passed\n$/);
  const quiet = await aigate(root, "check", "--today", TODAY, "--quiet");
  expect(quiet.stdout.split("\n").filter(Boolean)).toEqual([
    expect.stringMatching(/^Not listed: \d+ open findings below fail-on error/),
    expect.stringMatching(/^system app .*: passed/),
    expect.stringMatching(/Gate \(fail-on error\): passed$/),
  ]);

  // 5. What the Action shows for it: the verdict and the system's line first.
  const report = await run({ root, today: TODAY });
  const md = renderMarkdown(report).split("\n");
  expect(md[0]).toBe("## aigate: ✅ passed");
  expect(md.find((l) => l.startsWith("- "))).toMatch(/^- ✅ `app` \(`ai-system\.yaml`\): \*\*passed\*\*/);
  const comment = renderCommentWithin({
    repoKey: "000000000000",
    passed: report.summary.passed,
    sections: commentTargets(report).map((t) => ({ ...t, fixed: [] })),
    failOn: "error",
    scope: "all",
    runUrl: null,
    previouslyOpen: null,
    knowsBase: false,
  });
  expect(comment.split("\n").slice(1, 2)).toEqual(["## aigate: ✅ passed"]);
});
