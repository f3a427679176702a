// The text report as people read it: grouped by file with the worst first, a code frame, the fix
// and the docs once per rule and file, counts that say what they count, and the verdict last.
import type { Finding } from "../../src/findings/types.js";
import { snippetOf } from "../../src/report/snippets.js";
import { renderText } from "../../src/report/text.js";
import type { Report, SystemReport } from "../../src/report/types.js";

let n = 0;
function finding(over: Partial<Finding>): Finding {
  n++;
  return {
    ruleId: "rule-a",
    title: "A rule",
    control: "MONITORUSE",
    threats: [],
    severity: "warning",
    status: "open",
    message: `problem ${n}`,
    path: "src/app.py",
    line: 1,
    column: 1,
    fingerprint: n.toString(16).padStart(32, "0"),
    system: "svc",
    remediation: "Do the right thing.",
    link: "https://owaspai.org/go/monitoruse/",
    ...over,
  };
}

function system(over: Partial<SystemReport> = {}): SystemReport {
  return {
    name: "svc",
    manifest: "ai-system.yaml",
    folder: "",
    evaluated: true,
    facts: { stated: {}, implied: {}, defaulted: {}, unstated: [] },
    threats: [
      { id: "PROMPTINJECTION", title: "Prompt injection", link: "", applies: true, responsibility: "self", priority: "normal", assumed: false, reasons: [] },
    ],
    controls: [
      { id: "MONITORUSE", title: "Monitor use", link: "", status: "verified", claimed: "implemented", because: [], findings: 0 },
      { id: "OVERSIGHT", title: "Oversight", link: "", status: "claimed", claimed: "implemented", because: [], findings: 0 },
      { id: "RATELIMIT", title: "Rate limit", link: "", status: "not-applicable", claimed: null, because: [], findings: 0 },
    ],
    models: 1,
    summary: { errors: 1, warnings: 1, notes: 0, accepted: 0, passed: false, verdict: "failed" },
    ...over,
  };
}

function report(findings: Finding[], over: Partial<Report> = {}): Report {
  const open = findings.filter((f) => f.status === "open");
  const byStatus: Record<string, number> = {};
  for (const f of findings) byStatus[f.status] = (byStatus[f.status] ?? 0) + 1;
  return {
    reportVersion: "1",
    tool: { name: "aigate", version: "0.1.0" },
    generatedAt: "2026-11-27T00:00:00.000Z",
    today: "2026-11-27",
    root: ".",
    policy: { name: "p", version: "1", files: [], rules: 1 },
    systems: [system()],
    findings,
    inventory: { files: 1, models: [], unscanned: [] },
    summary: {
      findings: findings.length,
      open: open.length,
      accepted: findings.filter((f) => f.status === "accepted").length,
      byStatus,
      bySeverity: {
        error: open.filter((f) => f.severity === "error").length,
        warning: open.filter((f) => f.severity === "warning").length,
        note: open.filter((f) => f.severity === "note").length,
      },
      failOn: "error",
      passed: false,
    },
    ...over,
  };
}

test("grouped by file, the file with the worst findings first, by severity then line within it", () => {
  const r = report([
    finding({ path: "b.py", line: 9, severity: "warning", message: "b warning" }),
    finding({ path: "a.py", line: 3, severity: "note", message: "a note" }),
    finding({ path: "b.py", line: 2, severity: "error", message: "b error", ruleId: "rule-b" }),
    finding({ path: "a.py", line: 1, severity: "warning", message: "a warning", ruleId: "rule-c" }),
  ]);
  const lines = renderText(r).split("\n");
  const heads = lines.filter((l) => /^\S+\.py/.test(l));
  expect(heads).toEqual([
    "b.py (1 error, 1 warning)",
    "b.py:2:1: error b error [rule-b MONITORUSE]",
    "b.py:9:1: warning b warning [rule-a MONITORUSE]",
    "a.py (1 warning, 1 note)",
    "a.py:1:1: warning a warning [rule-c MONITORUSE]",
    "a.py:3:1: note a note [rule-a MONITORUSE]",
  ]);
});

test("a code frame with a caret at the column; the fix and the docs once per rule and file", () => {
  const text = '    model = pickle.load(open(path, "rb"))';
  const r = report([
    finding({ line: 12, column: 13, snippet: snippetOf(text, 13), ruleId: "code-unsafe-model-load", message: "first" }),
    finding({ line: 30, column: 5, snippet: snippetOf("x = 1", 5), ruleId: "code-unsafe-model-load", message: "second" }),
  ]);
  const out = renderText(r);
  expect(out).toContain(
    [
      "src/app.py:12:13: warning first [code-unsafe-model-load MONITORUSE]",
      '  12 |     model = pickle.load(open(path, "rb"))',
      "     |             ^",
      "  fix: Do the right thing.",
      "  docs: https://github.com/aigate-dev/aigate/blob/v1/docs/rules.md#code-unsafe-model-load",
      "src/app.py:30:5: warning second [code-unsafe-model-load MONITORUSE]",
      "  30 | x = 1",
      "     |     ^",
      "",
    ].join("\n"),
  );
  expect(out.match(/fix:/g)).toHaveLength(1);
});

test("a rule that is not built in links to its own page (the Exchange control)", () => {
  expect(renderText(report([finding({ ruleId: "acme-guardrail" })]))).toContain("  docs: https://owaspai.org/go/monitoruse/");
});

test("paths relative to the current folder; the checked folder itself for a finding without a file", () => {
  const r = report(
    [
      finding({ path: "ai-system.yaml", line: 4 }),
      finding({ path: ".", ruleId: "manifest-missing", severity: "error", message: "no AI system manifest matches" }),
    ],
    { systems: [] },
  );
  const out = renderText(r, { pathPrefix: "services/bot", dir: "services/bot" });
  expect(out).toMatch(/^services\/bot: error no AI system manifest matches \[manifest-missing MONITORUSE\]$/m);
  expect(out).toMatch(/^services\/bot\/ai-system\.yaml:4:1: warning /m);
  expect(out).toContain("hint: no AI system manifest was found; start one with `aigate init services/bot`");
  expect(renderText(r)).toMatch(/^\.: error no AI system manifest/m);
});

test("counts say what they count, with plurals", () => {
  const out = renderText(report([finding({ severity: "error" })], { inventory: { files: 1, models: [], unscanned: [] } }));
  expect(out.trimEnd().split("\n").pop()).toBe(
    "Checked 1 file (0 model files; 1 model declared) and 1 system: 1 open finding (1 error, 0 warnings, 0 notes). Gate (fail-on error): failed",
  );
  expect(out).toMatch(
    /^system svc \(ai-system\.yaml\): failed — 1 error, 1 warning, 0 notes open; 2 controls apply: 1 verified, 1 claimed \(not verified\); 1 threat applies$/m,
  );
});

test("--min-severity lists what is at or above it and counts the rest; --quiet lists only what fails the gate, one line each", () => {
  const r = report([
    finding({ severity: "error", message: "bad" }),
    finding({ severity: "warning" }),
    finding({ severity: "note" }),
    finding({ status: "accepted", acceptedBy: "RA-1" }),
  ]);
  const warn = renderText(r, { minSeverity: "warning" });
  expect(warn).not.toMatch(/: note /);
  expect(warn).toContain("Not listed: 1 open finding below --min-severity warning (--format json lists every finding).");
  expect(warn).toMatch(/^ {2}src\/app\.py:1:1: warning problem \d+ \[rule-a\] \(accepted: RA-1\)$/m);
  const quiet = renderText(r, { quiet: true }).split("\n").filter(Boolean);
  expect(quiet).toEqual([
    "src/app.py:1:1: error bad [rule-a MONITORUSE]",
    "Not listed: 2 open findings below fail-on error, 1 accepted or suppressed (--format json lists every finding).",
    expect.stringMatching(/^system svc /),
    expect.stringMatching(/Gate \(fail-on error\): failed$/),
  ]);
});

test("under a baseline or --scope changed, the new findings are listed and the others counted", () => {
  const r = report([
    finding({ severity: "error", message: "new one" }),
    ...Array.from({ length: 131 }, (_, i) => finding({ status: i % 2 ? "baselined" : "pre-existing", line: i + 2 })),
  ]);
  const out = renderText(r);
  expect(out.split("\n")[0]).toBe("1 new finding (the 131 other findings are baselined or pre-existing: counted below, not listed)");
  expect(out.match(/^src\/app\.py:\d+:1: /gm)).toHaveLength(1);
  expect(out).toContain("Not listed: 66 pre-existing (outside the lines the change touches), 65 baselined (--format json lists every finding).");
});

test("pending exceptions are shown with what they would cover", () => {
  const r = report([finding({ severity: "error", pendingException: "risk acceptance RA-9 at ai-system.yaml:40" })], {
    pending: [{ kind: "risk-acceptance", path: "ai-system.yaml", line: 40, system: "svc", description: "risk acceptance RA-9", covers: ["x"] }],
  });
  const out = renderText(r);
  expect(out).toContain("(an exception this change adds would cover it after review: risk acceptance RA-9 at ai-system.yaml:40)");
  expect(out).toMatch(/^pending \(this change adds them to the gate's configuration; they apply after review\): /m);
  expect(out).toContain("  ai-system.yaml:40: risk acceptance: risk acceptance RA-9 — would cover 1 finding, which stays open");
});

test("a system whose manifest has errors is not evaluated, never passed", () => {
  const out = renderText(
    report([], {
      systems: [
        system({ evaluated: false, controls: [], summary: { errors: 0, warnings: 0, notes: 0, accepted: 0, passed: false, verdict: "not-evaluated" } }),
      ],
    }),
  );
  expect(out).toMatch(/^system svc \(ai-system\.yaml\): not evaluated: the manifest has errors; fix them and check again$/m);
});

test("colour only when asked", () => {
  const r = report([finding({ severity: "error" })]);
  expect(renderText(r)).not.toContain("\u001b[");
  expect(renderText(r, { color: true })).toContain("\u001b[31merror\u001b[0m");
});

describe("snippets", () => {
  test("a long line is a window around the column, the caret still under it", () => {
    const line = `${"a".repeat(300)}TARGET${"b".repeat(300)}`;
    const s = snippetOf(line, 301)!;
    expect(s.text.length).toBeLessThanOrEqual(202);
    expect(s.text.slice(s.column - 1, s.column + 5)).toBe("TARGET");
  });

  test("secrets are masked, and a line naming a credential loses its string literals", () => {
    expect(snippetOf('OPENAI_API_KEY = "not-a-known-shape-123456"', 1)!.text).toBe('OPENAI_API_KEY = "***"');
    expect(snippetOf('client = OpenAI(api_key="sk-proj-abcdefghijklmnopqrstuvwxyz0123456789")', 17)!.text).not.toContain("abcdefghij");
    expect(snippetOf('tokenizer = AutoTokenizer.from_pretrained("gpt2")', 13)!.text).toBe('tokenizer = AutoTokenizer.from_pretrained("gpt2")');
  });

  test("tabs become spaces; a blank line is no snippet", () => {
    expect(snippetOf("\tx = 1", 2)).toEqual({ text: " x = 1", column: 2 });
    expect(snippetOf("   ", 1)).toBeUndefined();
  });
});
