// Rules that ask the manifest to account for every applicable Exchange control
// (policies/builtin/controls.yaml), one `control` rule per control: each is quiet when the
// manifest claims the control (any status) or the repository shows one of its signal files, and
// reports the unclaimed control at the manifest otherwise. The table states, for every rule, the
// control, the title its message names and a file that matches its first signal glob.
import { RuleTester } from "../../src/policy/rule-tester.js";
import { ALL_TRUE, manifest } from "./helpers.js";

const tester = new RuleTester();

const CONTROLS: [rule: string, control: string, title: string, signal: string | null][] = [
  ["control-secprogram-accounted", "SECPROGRAM", "Security program", "SECURITY.md"],
  ["control-secdevprogram-accounted", "SECDEVPROGRAM", "Secure development program", ".github/workflows/codeql.yml"],
  ["control-devprogram-accounted", "DEVPROGRAM", "Development program", "dvc.yaml"],
  ["control-checkcompliance-accounted", "CHECKCOMPLIANCE", "Check compliance", "docs/dpia-2026.md"],
  ["control-dataminimize-accounted", "DATAMINIMIZE", "Data minimize", null],
  ["control-alloweddata-accounted", "ALLOWEDDATA", "Allowed data", "docs/datasheet.md"],
  ["control-shortretain-accounted", "SHORTRETAIN", "Short retain", null],
  ["control-obfuscatetrainingdata-accounted", "OBFUSCATETRAININGDATA", "Obfuscate training data", null],
  ["control-discrete-accounted", "DISCRETE", "Discrete", null],
  ["control-oversight-accounted", "OVERSIGHT", "Oversight", null],
  ["control-leastmodelprivilege-accounted", "LEASTMODELPRIVILEGE", "Least model privilege", null],
  ["control-modelalignment-accounted", "MODELALIGNMENT", "Model alignment", null],
  ["control-aitransparency-accounted", "AITRANSPARENCY", "AI transparency", "docs/MODEL_CARD.md"],
  ["control-continuousvalidation-accounted", "CONTINUOUSVALIDATION", "Continuous validation", "eval/run.py"],
  ["control-explainability-accounted", "EXPLAINABILITY", "Explainability", null],
  ["control-unwantedbiastesting-accounted", "UNWANTEDBIASTESTING", "Unwanted bias testing", "tests/fairness_check.py"],
  ["control-monitoruse-accounted", "MONITORUSE", "Monitor use", null],
  ["control-ratelimit-accounted", "RATELIMIT", "Rate limit", null],
  ["control-modelaccesscontrol-accounted", "MODELACCESSCONTROL", "Model access control", null],
  ["control-anomalousinputhandling-accounted", "ANOMALOUSINPUTHANDLING", "Anomalous input handling", null],
  ["control-unwantedinputserieshandling-accounted", "UNWANTEDINPUTSERIESHANDLING", "Unwanted input series handling", null],
  ["control-obscureconfidence-accounted", "OBSCURECONFIDENCE", "Obscure confidence", null],
  ["control-evasioninputhandling-accounted", "EVASIONINPUTHANDLING", "Evasion input handling", null],
  ["control-evasionrobustmodel-accounted", "EVASIONROBUSTMODEL", "Evasion robust model", null],
  ["control-trainadversarial-accounted", "TRAINADVERSARIAL", "Train adversarial", null],
  ["control-inputdistortion-accounted", "INPUTDISTORTION", "Input distortion", null],
  ["control-adversarialrobustdistillation-accounted", "ADVERSARIALROBUSTDISTILLATION", "Adversarial robust distillation", null],
  ["control-promptinjectioniohandling-accounted", "PROMPTINJECTIONIOHANDLING", "Prompt injection I/O handling", null],
  ["control-inputsegregation-accounted", "INPUTSEGREGATION", "Input segregation", null],
  ["control-sensitiveoutputhandling-accounted", "SENSITIVEOUTPUTHANDLING", "Sensitive output handling", null],
  ["control-smallmodel-accounted", "SMALLMODEL", "Small model", null],
  ["control-modelwatermarking-accounted", "MODELWATERMARKING", "Model watermarking", null],
  ["control-dosinputvalidation-accounted", "DOSINPUTVALIDATION", "DoS input validation", null],
  ["control-limitresources-accounted", "LIMITRESOURCES", "Limit resources", null],
  ["control-devsecurity-accounted", "DEVSECURITY", "Development security", ".gitleaks.toml"],
  ["control-segregatedata-accounted", "SEGREGATEDATA", "Segregate data", null],
  ["control-confcompute-accounted", "CONFCOMPUTE", "Confidential compute", null],
  ["control-federatedlearning-accounted", "FEDERATEDLEARNING", "Federated learning", null],
  ["control-supplychainmanage-accounted", "SUPPLYCHAINMANAGE", "Supply chain management", ".github/dependabot.yml"],
  ["control-modelensemble-accounted", "MODELENSEMBLE", "Model ensemble", null],
  ["control-moretraindata-accounted", "MORETRAINDATA", "More train data", null],
  ["control-dataqualitycontrol-accounted", "DATAQUALITYCONTROL", "Data quality control", "great_expectations/great_expectations.yml"],
  ["control-traindatadistortion-accounted", "TRAINDATADISTORTION", "Train data distortion", null],
  ["control-poisonrobustmodel-accounted", "POISONROBUSTMODEL", "Poison robust model", null],
  ["control-runtimemodelintegrity-accounted", "RUNTIMEMODELINTEGRITY", "Runtime model integrity", null],
  ["control-runtimemodeliointegrity-accounted", "RUNTIMEMODELIOINTEGRITY", "Runtime model input/output integrity", null],
  ["control-runtimemodelconfidentiality-accounted", "RUNTIMEMODELCONFIDENTIALITY", "Runtime model confidentiality", null],
  ["control-modelobfuscation-accounted", "MODELOBFUSCATION", "Model obfuscation", null],
  ["control-encodemodeloutput-accounted", "ENCODEMODELOUTPUT", "Encode model output", null],
  ["control-modelinputconfidentiality-accounted", "MODELINPUTCONFIDENTIALITY", "Model input confidentiality", null],
  ["control-augmentationdataconfidentiality-accounted", "AUGMENTATIONDATACONFIDENTIALITY", "Augmentation data confidentiality", null],
  ["control-augmentationdataintegrity-accounted", "AUGMENTATIONDATAINTEGRITY", "Augmentation data integrity", null],
  ["control-agentsandboxing-accounted", "AGENTSANDBOXING", "Agent sandboxing and isolation", null],
];

/** Every core fact true: every control applies. No control claimed. */
const UNCLAIMED = manifest(ALL_TRUE);
/** The same system claiming every control of the table (planned, due next year). */
const CLAIMED = manifest(ALL_TRUE, "controls:", ...CONTROLS.map(([, control]) => `  ${control}: {status: planned, due: 2027-06-30}`));
/** A system for which few controls apply: a classifier trained in-house that takes no untrusted input. */
const SMALL = manifest(
  "profile: {isGenAI: false, isLLM: false, trainsOrFinetunes: false, usesRAG: false, trainingDataSensitive: false, membershipSensitive: false, inputSensitive: false, modelIsIP: false, modelHostedExternally: true, untrustedInput: false, hasAgency: false}",
);

for (const [rule, control, title, signal] of CONTROLS) {
  tester.run(rule, {
    valid: [
      { name: "claimed in the manifest", files: { "ai-system.yaml": CLAIMED } },
      ...(signal ? [{ name: `shown by ${signal}`, files: { "ai-system.yaml": UNCLAIMED, [signal]: "evidence\n" } }] : []),
    ],
    invalid: [
      {
        name: "applies and is not claimed",
        files: { "ai-system.yaml": UNCLAIMED },
        findings: [{ path: "ai-system.yaml", line: 1, column: 1, endLine: 5, endColumn: 1, message: `${control} (${title}) applies to this system (` }],
      },
      {
        name: "a manifest with other claims: reported at controls",
        files: {
          "ai-system.yaml": manifest(ALL_TRUE, "controls:", `  ${control === "RATELIMIT" ? "MONITORUSE" : "RATELIMIT"}: {status: planned, due: 2027-06-30}`),
        },
        findings: [{ path: "ai-system.yaml", line: 5, column: 1, endLine: 5, endColumn: 9, message: `${control} (${title}) applies to this system (` }],
      },
    ],
  });
}

// Not every control applies: the same rules stay quiet for a system the analysis rules them out for.
tester.run("control-federatedlearning-accounted", {
  valid: [{ name: "no training: federated learning does not apply", files: { "ai-system.yaml": SMALL } }],
  invalid: [
    {
      files: { "ai-system.yaml": UNCLAIMED },
      findings: [
        {
          path: "ai-system.yaml",
          line: 1,
          column: 1,
          endLine: 5,
          endColumn: 1,
          message: "FEDERATEDLEARNING (Federated learning) applies to this system (threats: ",
        },
      ],
    },
  ],
});
