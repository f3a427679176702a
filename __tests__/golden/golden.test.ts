// Golden files: the text report, the Markdown job summary and the pull-request comment of each
// example, exactly as a person reads them. Reviewed like code; after a deliberate change to the
// output, regenerate them with `UPDATE_GOLDEN=1` and read the diff.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBaseline } from "../../src/baseline.js";
import { commentTargets, renderCommentWithin } from "../../src/github/comment.js";
import type { RepositoryLinks } from "../../src/report/links.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { renderText } from "../../src/report/text.js";
import type { Report } from "../../src/report/types.js";
import { run } from "../../src/run.js";
import { packageRoot } from "../../src/util/package-root.js";
import { EXAMPLES, EXAMPLES_TODAY } from "../examples.helpers.js";

const UPDATE = process.env.UPDATE_GOLDEN === "1";
const HERE = join(packageRoot(), "__tests__", "golden");
const SHA = "0123456789abcdef0123456789abcdef01234567";
const RUN_URL = "https://github.com/aigate-dev/aigate/actions/runs/1";

/** Compares `actual` with the golden file, or writes it under UPDATE_GOLDEN=1. */
function golden(name: string, actual: string): void {
  const file = join(HERE, name);
  if (UPDATE) {
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`no golden file ${name}: run the test with UPDATE_GOLDEN=1 and review the file`);
  expect(actual).toBe(readFileSync(file, "utf8"));
}

const links = (name: string): RepositoryLinks => ({ owner: "aigate-dev", repo: "aigate", sha: SHA, pathPrefix: `examples/${name}` });

function comment(r: Report, name: string, knowsBase: boolean): string {
  return renderCommentWithin({
    repoKey: "0123456789ab",
    passed: r.summary.passed,
    sections: commentTargets(r).map((t) => ({ ...t, fixed: [] })),
    failOn: r.summary.failOn,
    scope: "all",
    runUrl: RUN_URL,
    previouslyOpen: null,
    knowsBase,
    links: links(name),
    pending: r.pending,
  });
}

describe.each(EXAMPLES)("%s", (name) => {
  let report: Report;
  beforeAll(async () => {
    report = await run({ root: join(packageRoot(), "examples", name), today: EXAMPLES_TODAY });
  });

  test("text output (as `aigate check examples/<name>` prints it from the repository's top level)", () => {
    golden(`${name}.txt`, renderText(report, { pathPrefix: `examples/${name}`, dir: `examples/${name}` }));
  });

  test("Markdown job summary", () => {
    golden(`${name}.summary.md`, renderMarkdown(report, { maxFindings: 100, links: links(name) }));
  });

  test("pull-request comment", () => {
    golden(`${name}.comment.md`, comment(report, name, false));
  });
});

describe("ops-agent under a baseline of every finding but two", () => {
  let report: Report;
  beforeAll(async () => {
    const root = join(packageRoot(), "examples", "ops-agent");
    const all = await run({ root, today: EXAMPLES_TODAY, failOn: "never" });
    const b = createBaseline(all);
    // The two findings of the committed .env are new; the rest are known.
    b.findings = b.findings.filter((e) => e.path !== ".env");
    const file = join(mkdtempSync(join(tmpdir(), "aigate-golden-")), "baseline.json");
    writeFileSync(file, JSON.stringify(b));
    report = await run({ root, today: EXAMPLES_TODAY, baseline: file });
  });

  test("text output lists the new findings and counts the others", () => {
    const text = renderText(report, { pathPrefix: "examples/ops-agent" });
    expect(report.findings.filter((f) => f.status === "open").map((f) => f.path)).toEqual([".env", ".env"]);
    expect(text.split("\n")[0]).toBe(
      `2 new findings (the ${report.findings.length - 2} other findings are baselined or pre-existing: counted below, not listed)`,
    );
    expect(text).toMatch(new RegExp(`^Not listed: ${report.findings.length - 2} baselined \\(--format json lists every finding\\)\\.$`, "m"));
    golden("ops-agent.baseline.txt", text);
  });

  test("the comment shows the new findings and folds the baselined ones away", () => {
    golden("ops-agent.baseline.comment.md", comment(report, "ops-agent", true));
  });
});
