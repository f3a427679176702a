// The `fold` summary kind through the real pipeline: unclaimed applicable controls are one finding
// per system (severity from the folded rules, capped by the summary rule), never in addition to a
// specific finding of the same control; a control a pack raised above the summary, or one a
// current acceptance names, stays a finding of its own. Also: the suspicious globals of one pickle
// are one finding.
import { loadTaxonomy } from "../../../src/exchange/taxonomy.js";
import { loadPacks } from "../../../src/policy/load.js";
import { ruleCases, runCase } from "./rule-cases.js";

/** The per-control rules the summary folds: they run with it in its cases. */
const CONTROL_RULES = (await loadPacks(loadTaxonomy(), [])).rules.filter((r) => r.check.kind === "control").map((r) => r.id);

const HEAD = "apiVersion: aigate/v1\nname: sys\nowner: {team: t, contact: t@example.com}\n";
/** An LLM application on a hosted model with RAG and tools. */
const LLM_APP =
  "profile: {isGenAI: true, isLLM: true, trainsOrFinetunes: false, usesRAG: true, trainingDataSensitive: false, membershipSensitive: false, inputSensitive: true, modelIsIP: false, modelHostedExternally: true, untrustedInput: true, hasAgency: true}\n";
const sys = HEAD + LLM_APP;
/** Every Exchange control claimed as not applicable: nothing is left unaccounted. */
const allClaimed = () =>
  sys + "controls:\n" + loadTaxonomy().controls.map((c) => `  ${c.id}: {status: not-applicable, note: out of scope for this test}\n`).join("");
const raise = (rule: string, severity: string) => `apiVersion: aigate/v1\nkind: PolicyPack\nname: org\nversion: '1'\noverrides:\n  - { rule: ${rule}, severity: ${severity} }\n`;

ruleCases("controls-unaccounted", {
  valid: [
    { name: "every control accounted for", files: { "ai-system.yaml": allClaimed() }, alsoRun: CONTROL_RULES },
    {
      name: "the summary switched off: one finding per control, none of the summary",
      files: { "ai-system.yaml": sys },
      packs: ["apiVersion: aigate/v1\nkind: PolicyPack\nname: org\nversion: '1'\noverrides:\n  - { rule: controls-unaccounted, enabled: false }\n"],
    },
  ],
  invalid: [
    {
      name: "nothing claimed: one finding listing the controls, worst severity first",
      files: { "ai-system.yaml": sys },
      alsoRun: CONTROL_RULES,
      findings: [{ path: "ai-system.yaml", line: 1, column: 1, endLine: 5, endColumn: 1, severity: "warning", message: /^controls that apply to this system but that the manifest does not account for \(\d+\): SECDEVPROGRAM \(Secure development program\), .*ENCODEMODELOUTPUT .*\(.*, note\)/ }],
    },
    {
      name: "a control with a specific finding is not listed again",
      alsoRun: [...CONTROL_RULES, "code-model-output-to-sink"],
      files: { "ai-system.yaml": sys, "app.py": "import os\nfrom openai import OpenAI\nclient = OpenAI()\nr = client.chat.completions.create(model='m', messages=[])\nos.system(r.choices[0].message.content)\n" },
      findings: [{ path: "ai-system.yaml", line: 1, column: 1, endLine: 5, endColumn: 1, message: /^(?!.*ENCODEMODELOUTPUT).*SECDEVPROGRAM/ }],
    },
  ],
});

describe("controls-unaccounted leaves on their own", () => {
  test("a control a pack raised to error, and the others folded", async () => {
    const r = await runCase({ files: { "ai-system.yaml": sys }, packs: [raise("control-ratelimit-accounted", "error")] });
    const own = r.findings.filter((f) => f.ruleId.startsWith("control-"));
    expect(own.map((f) => `${f.ruleId} ${f.severity}`)).toEqual(["control-ratelimit-accounted error"]);
    const folded = r.findings.filter((f) => f.ruleId === "controls-unaccounted");
    expect(folded).toHaveLength(1);
    expect(folded[0]!.message).not.toContain("RATELIMIT");
  });
  test("a control a current acceptance names stays its own, accepted; an expired one's is folded", async () => {
    const ra = (control: string, expires: string) => `  - {control: ${control}, justification: handled by the platform's gateway, approver: a@example.com, expires: ${expires}}\n`;
    const files = { "ai-system.yaml": sys + "riskAcceptances:\n" + ra("RATELIMIT", "2027-01-31") + ra("DATAMINIMIZE", "2026-01-31") };
    const r = await runCase({ files });
    expect(r.findings.filter((f) => f.ruleId.startsWith("control-")).map((f) => `${f.ruleId} ${f.status}`)).toEqual(["control-ratelimit-accounted accepted"]);
    const folded = r.findings.find((f) => f.ruleId === "controls-unaccounted")!;
    expect(folded.message).toContain("DATAMINIMIZE");
    expect(folded.message).not.toContain("RATELIMIT");
  });
  test("only notes left: the summary is a note", async () => {
    const onlyNotes = allClaimed().replace(/ {2}(SECDEVPROGRAM|DATAMINIMIZE|SHORTRETAIN|RATELIMIT): .*\n/g, "").replace(/ {2}(DEVPROGRAM|CHECKCOMPLIANCE): .*\n/g, "");
    const r = await runCase({ files: { "ai-system.yaml": onlyNotes }, packs: [raise("control-secdevprogram-accounted", "note") + "  - { rule: control-dataminimize-accounted, severity: note }\n  - { rule: control-shortretain-accounted, severity: note }\n  - { rule: control-ratelimit-accounted, severity: note }\n"] });
    const folded = r.findings.filter((f) => f.ruleId === "controls-unaccounted");
    expect(folded.map((f) => f.severity)).toEqual(["note"]);
    expect(folded[0]!.message).toMatch(/\(6\): /);
  });
  test("a single unaccounted control is reported by its own rule", async () => {
    const one = allClaimed().replace(/ {2}RATELIMIT: .*\n/, "");
    const r = await runCase({ files: { "ai-system.yaml": one } });
    expect(r.findings.filter((f) => /^control/.test(f.ruleId)).map((f) => f.ruleId)).toEqual(["control-ratelimit-accounted"]);
  });
});

/** A protocol 2 pickle that imports these globals (GLOBAL, POP each) and returns None. */
const pickleImporting = (...globals: [string, string][]) =>
  Buffer.concat([Buffer.from([0x80, 0x02]), ...globals.map(([m, n]) => Buffer.from(`c${m}\n${n}\n0`, "latin1")), Buffer.from("N.", "latin1")]);

ruleCases("model-suspicious", {
  valid: [{ name: "only allowlisted globals", files: { "ai-system.yaml": sys, "models/m.pkl": pickleImporting(["collections", "OrderedDict"]) } }],
  invalid: [
    {
      name: "three unlisted globals in one file are one finding listing them",
      files: {
        "ai-system.yaml": sys,
        "models/clf.pkl": pickleImporting(["sklearn.tree._classes", "DecisionTreeClassifier"], ["sklearn.ensemble._forest", "RandomForestClassifier"], ["sklearn.preprocessing._data", "StandardScaler"]),
        "models/other.pkl": pickleImporting(["zlib", "decompress"]),
      },
      findings: [
        { path: "models/clf.pkl", line: 1, column: 1, message: /imports sklearn\.tree\._classes\.DecisionTreeClassifier .*; and 2 more: sklearn\.ensemble\._forest\.RandomForestClassifier, sklearn\.preprocessing\._data\.StandardScaler$/ },
        { path: "models/other.pkl", line: 1, column: 1, message: "imports zlib.decompress" },
      ],
    },
  ],
});
