// Precision: each false-alarm class a reviewer reported on real repositories, as valid cases (the
// rule stays quiet) next to the invalid case it must still catch. Loads of files the code just
// wrote; yarn and pnpm lockfiles; a range whose every version is vulnerable; training logs;
// evaluator models; a missing supplier contract at warning; licences of models the team trained.
import { RuleTester } from "../../src/policy/rule-tester.js";
import { LLM_APP, manifest, TRAINED } from "./helpers.js";

const HOSTED =
  "profile: {isGenAI: true, isLLM: true, trainsOrFinetunes: false, modelHostedExternally: true, usesRAG: false, untrustedInput: true, hasAgency: false, inputSensitive: false, modelIsIP: false, trainingDataSensitive: false, membershipSensitive: false}";

const tester = new RuleTester();
const py = (...lines: string[]) => lines.join("\n") + "\n";

tester.run("code-unsafe-model-load", {
  valid: [
    {
      name: "a test that saves a checkpoint and loads it back",
      files: {
        "ai-system.yaml": manifest(TRAINED),
        "tests/test_ckpt.py": py(
          "import torch",
          "def test_round_trip(tmp_path):",
          "    p = tmp_path / 'm.pt'",
          "    torch.save({'w': 1}, p)",
          "    assert torch.load(p)['w'] == 1",
        ),
      },
    },
    {
      name: "pickle through open() handles of the same path",
      files: {
        "ai-system.yaml": manifest(TRAINED),
        "cache.py": py(
          "import pickle",
          "def cache(obj, name):",
          "    with open(name, 'wb') as f:",
          "        pickle.dump(obj, f)",
          "    with open(name, 'rb') as f:",
          "        return pickle.load(f)",
        ),
      },
    },
  ],
  invalid: [
    {
      name: "a load of a file the function did not write",
      files: {
        "ai-system.yaml": manifest(TRAINED),
        "serve.py": py("import torch", "def load(p):", "    torch.save({}, 'other.pt')", "    return torch.load(p)"),
      },
      findings: [
        {
          path: "serve.py",
          line: 4,
          column: 12,
          message: "torch.load() runs without weights_only=True, so it unpickles arbitrary objects: a crafted file runs code when it is loaded",
        },
      ],
    },
  ],
});

const PACKAGE = '{\n  "dependencies": {\n    "openai": "^4.20.0"\n  }\n}\n';
tester.run("dependency-ai-library-unpinned", {
  valid: [
    {
      name: "a Yarn Berry lockfile resolves the range",
      files: {
        "ai-system.yaml": manifest(LLM_APP),
        "package.json": PACKAGE,
        "yarn.lock": '__metadata:\n  version: 6\n\n"openai@npm:^4.20.0":\n  version: 4.20.1\n  resolution: "openai@npm:4.20.1"\n  checksum: abc\n',
      },
    },
    {
      name: "a Yarn 1 lockfile",
      files: { "ai-system.yaml": manifest(LLM_APP), "package.json": PACKAGE, "yarn.lock": 'openai@^4.20.0:\n  version "4.20.1"\n  integrity sha512-x\n' },
    },
    {
      name: "a pnpm lockfile",
      files: {
        "ai-system.yaml": manifest(LLM_APP),
        "package.json": PACKAGE,
        "pnpm-lock.yaml": "lockfileVersion: '9.0'\n\npackages:\n\n  openai@4.20.1:\n    resolution: {integrity: sha512-x}\n",
      },
    },
  ],
  invalid: [
    {
      name: "no lockfile",
      files: { "ai-system.yaml": manifest(LLM_APP), "package.json": PACKAGE },
      findings: [{ path: "package.json", line: 3, column: 5, message: "AI/ML library openai is not pinned (openai@^4.20.0)" }],
    },
  ],
});

tester.run("dependency-ai-library-vulnerable", {
  valid: [{ name: "a range that allows fixed versions", files: { "ai-system.yaml": manifest(TRAINED), "requirements.txt": "torch>=2.6\n" } }],
  invalid: [
    {
      name: "a cap below the fix: every allowed version is vulnerable",
      files: { "ai-system.yaml": manifest(TRAINED), "requirements.txt": "torch<2.6\n" },
      findings: [
        { path: "requirements.txt", line: 1, column: 1, message: /^every version torch<2\.6 allows has .*CVE-2025-32434.*which the specifier excludes$/ },
      ],
    },
  ],
});

const TSV = "step\tloss\taccuracy\n1\t0.9\t0.5\n2\t0.7\t0.6\n3\t0.5\t0.7\n";
tester.run("data-undeclared", {
  valid: [
    {
      name: "training-run logs",
      files: { "ai-system.yaml": manifest(TRAINED), "logs/run-1/metrics.tsv": TSV, "runs/exp2/progress.tsv": TSV, "wandb/latest/history.tsv": TSV },
    },
  ],
  invalid: [
    {
      name: "the same table outside a log folder is data",
      files: { "ai-system.yaml": manifest(TRAINED), "logs/run-1/metrics.tsv": TSV, "data/metrics.tsv": TSV },
      findings: [{ path: "data/metrics.tsv", line: 1, column: 1, message: "data/metrics.tsv holds tsv data that no dataset in the manifest declares" }],
    },
  ],
});

const OPENAI_CALL = (fn: string) =>
  py(
    "from openai import OpenAI",
    "client = OpenAI()",
    `def ${fn}(answer):`,
    "    return client.chat.completions.create(model='gpt-4o', messages=[{'role': 'user', 'content': answer}])",
  );
tester.run("profile-contradicted-by-code", {
  valid: [
    { name: "a judge in an evaluation folder", files: { "ai-system.yaml": manifest(TRAINED), "evals/judge.py": OPENAI_CALL("rate") } },
    { name: "a grading function beside the training code", files: { "ai-system.yaml": manifest(TRAINED), "train.py": OPENAI_CALL("judge_answer") } },
  ],
  invalid: [
    {
      name: "the same call serving users",
      files: { "ai-system.yaml": manifest(TRAINED), "app.py": OPENAI_CALL("chat") },
      findings: [
        { path: "ai-system.yaml", line: 4, column: 20, endLine: 4, endColumn: 25, message: /^profile\.isGenAI is false, but app\.py:4:12 calls openai/ },
        { path: "ai-system.yaml", line: 4, column: 34, endLine: 4, endColumn: 39, message: /^profile\.isLLM is false, but app\.py:4:12 calls openai/ },
        {
          path: "ai-system.yaml",
          line: 4,
          column: 201,
          endLine: 4,
          endColumn: 206,
          message: /^profile\.modelHostedExternally is false, but app\.py:4:12 calls the hosted API openai/,
        },
      ],
    },
  ],
});

tester.run("supplier-assurance-missing", {
  valid: [{ name: "nothing left to a supplier", files: { "ai-system.yaml": manifest(TRAINED) } }],
  invalid: [
    {
      name: "no contract on its own is a warning, not a failed gate",
      files: { "ai-system.yaml": manifest(HOSTED) },
      findings: [
        {
          path: "ai-system.yaml",
          line: 4,
          column: 1,
          endLine: 4,
          endColumn: 8,
          severity: "warning",
          message: "is the supplier's to mitigate, but no responsibilities entry covers it",
        },
      ],
    },
  ],
});

tester.run("model-license-undeclared", {
  valid: [
    {
      name: "a model the team trained",
      files: {
        "ai-system.yaml": manifest(
          TRAINED,
          "datasets:",
          "  - {name: claims, use: [training], uri: s3://b/c, sensitivity: internal, personalData: none, provenance: {origin: internal, collection: exports}}",
          "models:",
          "  - {name: clf, path: models/clf.onnx, trainedOn: [claims]}",
        ),
      },
    },
    { name: "a model in the repository with no source", files: { "ai-system.yaml": manifest(TRAINED, "models:", "  - {name: clf, path: models/clf.onnx}") } },
  ],
  invalid: [
    {
      name: "a model downloaded from a hub",
      files: { "ai-system.yaml": manifest(TRAINED, "models:", "  - {name: base, source: {uri: 'hf://org/model', revision: main}}") },
      findings: [{ path: "ai-system.yaml", line: 6, column: 5, endLine: 6, endColumn: 66, message: "model base has no declared licence" }],
    },
  ],
});
