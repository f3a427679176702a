// The command line in-process (the sources, not the bundle): colours, progress, paths relative to
// where it runs, --quiet/--min-severity, the generated reference in README.md, and the JSON report
// against its schema.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { buildProgram, displayPrefix, startProgress, useColor, type CliIO } from "../../src/cli.js";
import { readmeWithCliReference } from "../../src/docs.js";
import { packageRoot } from "../../src/util/package-root.js";
import { EXAMPLES, EXAMPLES_TODAY } from "../examples.helpers.js";

const root = packageRoot();
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (a: Ajv2020) => void;

async function aigate(args: string[], io: Partial<CliIO> = {}) {
  let stdout = "";
  let stderr = "";
  let code = -1;
  const program = buildProgram({
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    setExit: (c) => (code = c),
    cwd: root,
    env: {},
    stdoutIsTTY: false,
    stderrIsTTY: false,
    ...io,
  });
  try {
    await program.parseAsync(args, { from: "user" });
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith("commander.")) code = 2;
    else throw e;
  }
  return { code, stdout, stderr };
}

describe("colour", () => {
  test.each([
    // flag, to a file, env, TTY → colour
    [true, false, {}, true, true],
    [true, false, {}, false, false],
    [false, false, {}, true, false],
    [true, true, { FORCE_COLOR: "1" }, true, false],
    [true, false, { NO_COLOR: "1" }, true, false],
    [true, false, { NO_COLOR: "" }, true, true],
    [true, false, { FORCE_COLOR: "1" }, false, true],
    [true, false, { FORCE_COLOR: "0" }, true, false],
    [true, false, { FORCE_COLOR: "1", NO_COLOR: "1" }, false, true],
    [false, false, { FORCE_COLOR: "1" }, true, false],
  ])("--color %s, file %s, env %j, tty %s: %s", (flag, file, env, tty, want) => {
    expect(useColor(flag, file, env as NodeJS.ProcessEnv, tty)).toBe(want);
  });

  test("NO_COLOR on a terminal and FORCE_COLOR into a pipe", async () => {
    const args = ["check", "examples/ops-agent", "--today", EXAMPLES_TODAY];
    expect((await aigate(args, { stdoutIsTTY: true, env: { NO_COLOR: "1" } })).stdout).not.toContain("\u001b[");
    expect((await aigate(args, { stdoutIsTTY: false, env: { FORCE_COLOR: "1" } })).stdout).toContain("\u001b[31merror\u001b[0m");
  });
});

describe("progress", () => {
  test("nothing when standard error is not a terminal", () => {
    const out: string[] = [];
    startProgress("checking .", (s) => out.push(s), false, 0)();
    expect(out).toEqual([]);
  });

  test("after the delay, a line that is cleared when the run ends", async () => {
    const out: string[] = [];
    const stop = startProgress("checking big-repo", (s) => out.push(s), true, 5);
    await new Promise((r) => setTimeout(r, 30));
    stop();
    expect(out[0]).toMatch(/^\r\u001b\[2Kaigate: checking big-repo \(\d+s\)$/); // eslint-disable-line no-control-regex
    expect(out.at(-1)).toBe("\r\u001b[2K");
  });

  test("a run shorter than the delay writes nothing", () => {
    const out: string[] = [];
    startProgress("checking .", (s) => out.push(s), true, 10_000)();
    expect(out).toEqual([]);
  });
});

test("paths are relative to where aigate runs", async () => {
  expect(displayPrefix("/work", "/work")).toBe("");
  expect(displayPrefix("/work", "/work/services/bot")).toBe("services/bot");
  expect(displayPrefix("/work/a", "/work/b")).toBe("../b");
  const fromTop = await aigate(["check", "examples/ops-agent", "--today", EXAMPLES_TODAY]);
  expect(fromTop.stdout).toContain(
    "examples/ops-agent/ai-system.yaml:55:17: error tool github gives the model admin privileges [tool-admin-privilege LEASTMODELPRIVILEGE]",
  );
  const inside = await aigate(["check", ".", "--today", EXAMPLES_TODAY], { cwd: join(root, "examples", "ops-agent") });
  expect(inside.stdout).toMatch(/^ai-system\.yaml:55:17: error tool github/m);
  expect(inside.code).toBe(1);
});

test("--quiet and --min-severity", async () => {
  const quiet = await aigate(["check", "examples/ops-agent", "--today", EXAMPLES_TODAY, "--quiet"]);
  const findingLines = quiet.stdout.split("\n").filter((l) => /^examples\/ops-agent\/\S+:\d+:\d+: /.test(l));
  expect(findingLines.length).toBeGreaterThan(0);
  expect(findingLines.every((l) => / error /.test(l))).toBe(true);
  expect(quiet.stdout).not.toMatch(/^ {2}(fix|docs):/m);
  const warn = await aigate(["check", "examples/ops-agent", "--today", EXAMPLES_TODAY, "--min-severity", "warning"]);
  expect(warn.stdout).not.toMatch(/^\S+:\d+:\d+: note /m);
  expect(warn.stdout).toMatch(/^Not listed: \d+ open findings? below --min-severity warning/m);
  expect((await aigate(["check", "examples/ops-agent", "--min-severity", "fatal"])).code).toBe(2);
});

test("README.md's command-line reference is what `npm run docs` generates from the CLI", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  expect(readmeWithCliReference(readme)).toBe(readme);
  for (const flag of ["--quiet", "--min-severity", "--scope", "--baseline", "--base", "sarif", "--force"]) expect(readme).toContain(flag);
});

test.each(EXAMPLES)("the JSON report of %s matches schemas/report.schema.json", async (name) => {
  const r = await aigate(["check", `examples/${name}`, "--today", EXAMPLES_TODAY, "--format", "json"]);
  const ajv = new Ajv2020({ allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(join(root, "schemas", "report.schema.json"), "utf8")));
  const report = JSON.parse(r.stdout);
  expect(validate(report) ? [] : validate.errors).toEqual([]);
  expect(report.systems[0].controls.some((c: { status: string }) => c.status === "verified")).toBe(true);
  expect(report.systems[0].controls.some((c: { status: string }) => c.status === "pass")).toBe(false);
});
