// Findings reported once: unclaimed applicable controls are one `controls-unaccounted` finding per
// system (the `fold` summary kind), never in addition to a specific finding of the same control;
// the suspicious globals of one pickle are one finding. More of the fold's behaviour (severity
// overrides, acceptances, a single control): __tests__/policy/checks/fold.test.ts.
import { loadTaxonomy } from "../../src/exchange/taxonomy.js";
import { loadPacks } from "../../src/policy/load.js";
import { RuleTester } from "../../src/policy/rule-tester.js";

const tester = new RuleTester();

/** The per-control rules the summary folds: they run with it in its cases. */
const CONTROL_RULES = (await loadPacks(loadTaxonomy(), [])).rules.filter((r) => r.check.kind === "control").map((r) => r.id);

const HEAD = "apiVersion: aigate/v1\nname: sys\nowner: {team: t, contact: t@example.com}\n";
/** An LLM application on a hosted model with RAG and tools. */
const LLM_APP =
  "profile: {isGenAI: true, isLLM: true, trainsOrFinetunes: false, usesRAG: true, trainingDataSensitive: false, membershipSensitive: false, inputSensitive: true, modelIsIP: false, modelHostedExternally: true, untrustedInput: true, hasAgency: true}\n";
const sys = HEAD + LLM_APP;
/** Every Exchange control claimed as not applicable: nothing is left unaccounted. */
const allClaimed = () =>
  sys +
  "controls:\n" +
  loadTaxonomy()
    .controls.map((c) => `  ${c.id}: {status: not-applicable, note: out of scope for this test}\n`)
    .join("");

tester.run("controls-unaccounted", {
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
      findings: [
        {
          path: "ai-system.yaml",
          line: 1,
          column: 1,
          endLine: 5,
          endColumn: 1,
          severity: "warning",
          message:
            /^controls that apply to this system but that the manifest does not account for \(\d+\): SECPROGRAM \(Security program\), SECDEVPROGRAM \(Secure development program\), .*ENCODEMODELOUTPUT .*\(.*, note\)/,
        },
      ],
    },
    {
      name: "a control with a specific finding is not listed again",
      alsoRun: [...CONTROL_RULES, "code-model-output-to-sink"],
      files: {
        "ai-system.yaml": sys,
        "app.py":
          "import os\nfrom openai import OpenAI\nclient = OpenAI()\nr = client.chat.completions.create(model='m', messages=[])\nos.system(r.choices[0].message.content)\n",
      },
      findings: [{ path: "ai-system.yaml", line: 1, column: 1, endLine: 5, endColumn: 1, message: /^(?!.*ENCODEMODELOUTPUT).*SECPROGRAM/ }],
    },
  ],
});

/** A protocol 2 pickle that imports these globals (GLOBAL, POP each) and returns None. */
const pickleImporting = (...globals: [string, string][]) =>
  Buffer.concat([Buffer.from([0x80, 0x02]), ...globals.map(([m, n]) => Buffer.from(`c${m}\n${n}\n0`, "latin1")), Buffer.from("N.", "latin1")]);

tester.run("model-suspicious", {
  valid: [{ name: "only allowlisted globals", files: { "ai-system.yaml": sys, "models/m.pkl": pickleImporting(["collections", "OrderedDict"]) } }],
  invalid: [
    {
      name: "three unlisted globals in one file are one finding listing them",
      files: {
        "ai-system.yaml": sys,
        "models/clf.pkl": pickleImporting(
          ["sklearn.tree._classes", "DecisionTreeClassifier"],
          ["sklearn.ensemble._forest", "RandomForestClassifier"],
          ["sklearn.preprocessing._data", "StandardScaler"],
        ),
        "models/other.pkl": pickleImporting(["zlib", "decompress"]),
      },
      findings: [
        {
          path: "models/clf.pkl",
          line: 1,
          column: 1,
          message:
            /imports sklearn\.tree\._classes\.DecisionTreeClassifier .*; and 2 more: sklearn\.ensemble\._forest\.RandomForestClassifier, sklearn\.preprocessing\._data\.StandardScaler$/,
        },
        { path: "models/other.pkl", line: 1, column: 1, message: "imports zlib.decompress" },
      ],
    },
  ],
});
