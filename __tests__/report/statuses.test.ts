// Control statuses say what is known: verified only when a rule checked evidence; every sink
// (explain, Markdown, the sticky comment, SARIF, JSON) uses the same words, and nothing that was
// not verified is shown with a tick.
import { join } from "node:path";
import { renderExplain } from "../../src/explain.js";
import { commentTargets, renderComment } from "../../src/github/comment.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { renderSarif } from "../../src/report/sarif.js";
import type { ControlStatus, Report } from "../../src/report/types.js";
import { run } from "../../src/run.js";
import { packageRoot } from "../../src/util/package-root.js";
import { EXAMPLES_TODAY } from "../examples.helpers.js";

let report: Report;
beforeAll(async () => {
  report = await run({ root: join(packageRoot(), "examples", "support-assistant"), today: EXAMPLES_TODAY });
});
const status = (id: string) => report.systems[0]!.controls.find((c) => c.id === id)!;

test("a claim whose cited files exist is verified, by the rule that checked them", () => {
  expect(status("PROMPTINJECTIONIOHANDLING")).toMatchObject({ status: "verified", claimed: "partial", verifiedBy: ["claimed-control-evidence-missing"] });
});

test("not-applicable with a justification is claimed, not verified; planned is not claimed; unclaimed is not claimed", () => {
  expect(status("AGENTSANDBOXING")).toMatchObject({ status: "claimed", claimed: "not-applicable" });
  expect(status("DISCRETE")).toMatchObject({ status: "not-claimed", claimed: null });
  expect(status("RATELIMIT")).toMatchObject({ status: "accepted", claimed: "planned" }); // its overdue finding is accepted
});

test("supplier controls and statuses of every kind", () => {
  expect(status("RUNTIMEMODELINTEGRITY").status).toBe("supplier");
  const seen = new Set(report.systems[0]!.controls.map((c) => c.status));
  for (const s of ["verified", "claimed", "not-claimed", "accepted", "supplier", "not-applicable"] as ControlStatus[])
    expect([s, seen.has(s)]).toEqual([s, true]);
});

test("only verified controls get a tick, in Markdown and in the comment", () => {
  const rows = (md: string) => md.split("\n").filter((l) => l.startsWith("| [") && / \| /.test(l));
  const md = renderMarkdown(report);
  const matrix = rows(md).filter((l) => /\| (✅|📝|⬜|❌|⚠️|🤝) /.test(l));
  expect(matrix.length).toBeGreaterThan(10);
  for (const c of report.systems[0]!.controls.filter((x) => x.status !== "verified" && x.status !== "not-applicable")) {
    expect(matrix.find((l) => l.startsWith(`| [${c.id}]`))).not.toMatch(/✅/);
  }
  const comment = renderComment({
    repoKey: "000000000000",
    passed: true,
    sections: commentTargets(report).map((t) => ({ ...t, fixed: [] })),
    failOn: "error",
    scope: "all",
    runUrl: null,
    previouslyOpen: null,
    knowsBase: false,
  });
  expect(comment).toContain("[AGENTSANDBOXING](https://owaspai.org/go/agentsandboxing/) | 📝 claimed, not verified");
  expect(comment).toContain("[PROMPTINJECTIONIOHANDLING](https://owaspai.org/go/promptinjectioniohandling/) | ✅ verified");
  expect(comment).toContain("```mermaid");
});

test("explain says the words, never pass", () => {
  const text = renderExplain(report.systems[0]!);
  expect(text).toMatch(/^ {2}PROMPTINJECTIONIOHANDLING +verified \(checked by claimed-control-evidence-missing\) \(manifest: partial\)/m);
  expect(text).toMatch(/^ {2}AGENTSANDBOXING +claimed, not verified \(manifest: not-applicable\)/m);
  expect(text).toMatch(/^ {2}DISCRETE +not claimed/m);
  expect(text).not.toMatch(/ pass\b/);
});

test("SARIF carries the same statuses in each run's properties", () => {
  const log = JSON.parse(renderSarif(report)) as { runs: { properties: { controlStatuses: Record<string, Record<string, string>> } }[] };
  const statuses = log.runs[0]!.properties.controlStatuses["support-assistant"]!;
  expect(statuses.PROMPTINJECTIONIOHANDLING).toBe("verified");
  expect(statuses.AGENTSANDBOXING).toBe("claimed");
  expect(Object.values(statuses)).not.toContain("pass");
});
