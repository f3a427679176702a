// The round trip: `aigate init` on each example with its manifest removed, then `aigate check` on
// what init wrote, compared with `check` on the example's own, hand-written manifest.
//
// What this asserts:
// - init's manifest is valid as written (no manifest error: the system is evaluated);
// - what init inferred agrees with the hand-written manifest wherever both say something: profile
//   facts, hosted model ids and providers, hub downloads, dataset globs, personal data;
// - every finding in a code, data or model file is the same, except findings about things a
//   manifest leaves undeclared, which init declares from the code (they can only go away);
// - every finding on the manifest that the example does not have is either one of init's
//   questions or comes from something init documents that it leaves to the owner (below).
//
// What it cannot assert, and why: a hand-written manifest states what the code cannot show —
// claimed controls and their evidence, supplier responsibilities, risk acceptances, a description,
// licences, provenance, retention, approvals — so the example's findings about those claims
// (an overdue plan, an expired acceptance, admin privileges the code does not show) have no
// counterpart in init's output, and the findings that ask for them appear instead.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { initSystem } from "../../src/init.js";
import type { Finding } from "../../src/findings/types.js";
import type { Manifest } from "../../src/manifest/types.js";
import type { Report } from "../../src/report/types.js";
import { run } from "../../src/run.js";
import { packageRoot } from "../../src/util/package-root.js";
import { EXAMPLES, EXAMPLES_TODAY } from "../examples.helpers.js";

/** Rules whose findings in code and data say "the manifest does not declare this": init declares what the code shows. */
const DECLARED_BY_INIT = new Set([
  "code-undeclared-tool",
  "data-undeclared",
  "data-personal-undeclared",
  "model-file-undeclared",
  "agent-mcp-server-undeclared",
]);

/** Manifest findings an unanswered init output has by design, each with the reason. */
const LEFT_TO_THE_OWNER: Record<string, string> = {
  "manifest-open-question": "a value init could not infer, asked as a question",
  "system-description-present": "init writes no description",
  "owner-contact-reachable": "without a CODEOWNERS rule the owner is a question (`unknown`)",
  "supplier-assurance-missing": "init records no supplier responsibility or assurance document",
  "dataset-provenance-undeclared": "init cannot tell where data comes from",
  "model-license-undeclared": "init cannot tell a model's licence",
  "data-minimisation": "personal data was found; init claims no minimisation",
  "personal-data-retention-undeclared": "personal data was found; init states no retention",
  "profile-fact-unstated": "the facts init asks about stay unstated until answered",
  "controls-unaccounted": "init claims no control",
  "tool-write-without-approval": "init claims no approval step (humanApproval is a question)",
  "tool-privileges-unscoped": "init cannot tell what a tool's privileges are limited to",
  "identifiable-training-data-not-obfuscated": "init assumes the riskiest use of data (training) until answered",
};
const isControlGap = (id: string) => /^control-[a-z]+-accounted$/.test(id);

interface Pair {
  example: Report;
  init: Report;
  manifest: Manifest;
  written: Manifest;
  questions: number;
}

async function roundTrip(name: string): Promise<Pair> {
  const base = mkdtempSync(join(tmpdir(), "aigate-round-trip-"));
  const [e, i] = [join(base, "example", name), join(base, "init", name)];
  for (const d of [e, i]) {
    cpSync(join(packageRoot(), "examples", name), d, { recursive: true });
    rmSync(join(d, "expected-findings.txt"));
  }
  rmSync(join(i, "ai-system.yaml"));
  const r = await initSystem(i);
  writeFileSync(join(i, "ai-system.yaml"), r.text);
  return {
    example: await run({ root: e, today: EXAMPLES_TODAY }),
    init: await run({ root: i, today: EXAMPLES_TODAY }),
    manifest: parse(readFileSync(join(e, "ai-system.yaml"), "utf8")) as Manifest,
    written: parse(r.text) as Manifest,
    questions: r.questions,
  };
}

const inFiles = (r: Report) => r.findings.filter((f) => f.path !== "ai-system.yaml");
const key = (f: Finding) => `${f.ruleId} ${f.path}:${f.line}:${f.column} ${f.severity} ${f.message}`;

describe.each(EXAMPLES)("%s", (name) => {
  let p: Pair;
  beforeAll(async () => {
    p = await roundTrip(name);
  });

  test("init's manifest is valid as written and every question is reported", () => {
    expect(p.init.systems.map((s) => [s.name, s.evaluated])).toEqual([[name, true]]);
    expect(p.init.findings.filter((f) => /^manifest-(yaml|schema|reference|not-evaluated)$/.test(f.ruleId))).toEqual([]);
    expect(p.init.findings.filter((f) => f.ruleId === "manifest-open-question")).toHaveLength(p.questions);
  });

  test("what init inferred agrees with the hand-written manifest", () => {
    for (const [fact, value] of Object.entries(p.written.profile ?? {})) {
      if (fact in (p.manifest.profile ?? {})) expect([fact, value]).toEqual([fact, p.manifest.profile[fact]]);
    }
    for (const m of p.written.models ?? []) {
      if (m.id) expect((p.manifest.models ?? []).map((x) => [x.provider, x.id])).toContainEqual([m.provider, m.id]);
      if (m.source) expect((p.manifest.models ?? []).map((x) => x.source?.uri)).toContain(m.source.uri);
    }
    const declared = (p.manifest.datasets ?? []).flatMap((d) => (d.paths ?? []).map((g) => [g, d.personalData] as const));
    for (const d of p.written.datasets ?? []) {
      for (const g of d.paths ?? []) {
        const hit = declared.find(([x]) => x === g);
        expect([g, !!hit]).toEqual([g, true]);
        if (d.personalData === "identifiable") expect(["identifiable", "pseudonymised", "special-category"]).toContain(hit![1]);
      }
    }
  });

  test("findings in code, data and model files are the same, except the undeclared things init declares", () => {
    const example = inFiles(p.example)
      .filter((f) => !DECLARED_BY_INIT.has(f.ruleId))
      .map(key)
      .sort();
    const init = inFiles(p.init)
      .filter((f) => !DECLARED_BY_INIT.has(f.ruleId))
      .map(key)
      .sort();
    expect(init).toEqual(example);
    const declaredOnlyInInit = inFiles(p.init)
      .filter((f) => DECLARED_BY_INIT.has(f.ruleId))
      .map(key);
    expect(declaredOnlyInInit.filter((k) => !inFiles(p.example).map(key).includes(k))).toEqual([]);
  });

  test("every other finding on init's manifest is a question or something it documents that it leaves to the owner", () => {
    const exampleRules = new Set(p.example.findings.filter((f) => f.path === "ai-system.yaml").map((f) => f.ruleId));
    const extra = [...new Set(p.init.findings.filter((f) => f.path === "ai-system.yaml" && !exampleRules.has(f.ruleId)).map((f) => f.ruleId))];
    expect(extra.filter((id) => !(id in LEFT_TO_THE_OWNER) && !isControlGap(id))).toEqual([]);
  });
});
