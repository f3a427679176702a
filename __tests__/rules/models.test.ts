// Rules on model files (policies/builtin/models.yaml): what the models scanner observed in them
// (does loading run code?) and how they compare with the manifest's models[] (digests, declarations).
import { createHash } from "node:crypto";
import { RuleTester } from "../../src/policy/rule-tester.js";
import { manifest, TRAINED } from "./helpers.js";

const tester = new RuleTester();
const FIXTURES = "__tests__/inventory/scanners/models/fixtures";
const fixture = (path: string) => ({ copy: `${FIXTURES}/${path}` });
const sys = manifest(TRAINED);

/** A one-tensor safetensors file and its sha256. */
const header = '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}';
const SAFETENSORS = Buffer.concat([Buffer.alloc(8), Buffer.from(header), Buffer.alloc(4)]);
SAFETENSORS.writeBigUInt64LE(BigInt(header.length), 0);
const DIGEST = createHash("sha256").update(SAFETENSORS).digest("hex");

tester.run("model-unsafe", {
  valid: [{ name: "a state dict", files: { "ai-system.yaml": sys, "models/sd.pt": fixture("benign/torch/state-dict.pt") } }],
  invalid: [
    {
      name: "a pickle that calls os.system, and one named .bin without a manifest",
      files: { "ai-system.yaml": sys, "models/model.pkl": fixture("attacks/pickle/global-reduce-p0.pkl") },
      findings: [{ path: "models/model.pkl", line: 1, column: 1, message: "pickle file imports os.system" }],
    },
    {
      name: "no manifest: the file is still reported",
      files: { "weights.bin": fixture("attacks/names/weights.bin") },
      findings: [{ path: "weights.bin", line: 1, column: 1, message: "imports os.system" }],
    },
    {
      name: "a construct rather than an import: BUILD on an imported class",
      files: { "ai-system.yaml": sys, "models/m.pkl": fixture("attacks/pickle/build-on-global.pkl") },
      findings: [
        {
          path: "models/m.pkl",
          line: 1,
          column: 1,
          message: "pickle file has an unsafe construct at byte 30: BUILD sets attributes on the imported object collections.OrderedDict itself",
        },
      ],
    },
  ],
});

tester.run("model-suspicious", {
  valid: [
    { name: "a state dict", files: { "ai-system.yaml": sys, "models/sd.pt": fixture("benign/torch/state-dict.pt") } },
    {
      name: "scikit-learn classes, with the pack's sklearn allowlist tier",
      files: { "ai-system.yaml": sys, "models/clf.joblib": fixture("benign/sklearn/logistic.joblib") },
      packs: ["apiVersion: aigate/v1\nkind: PolicyPack\nname: org\nversion: '1'\nsettings:\n  modelAllowlistTiers: [sklearn]\n"],
    },
  ],
  invalid: [
    {
      files: { "ai-system.yaml": sys, "models/m.pkl": fixture("attacks/pickle/unknown-global.pkl") },
      findings: [
        { path: "models/m.pkl", line: 1, column: 1, message: "pickle file imports zlib.decompress at byte 20 via STACK_GLOBAL: not on the allowlist" },
      ],
    },
    {
      name: "one finding per file: the other globals are listed",
      files: { "ai-system.yaml": sys, "models/full.pt": fixture("benign/torch/full-module.pt") },
      findings: [
        {
          path: "models/full.pt",
          line: 1,
          column: 1,
          message:
            "pytorch-zip file imports torch.nn.modules.container.Sequential in full-module/data.pkl at byte 2 via GLOBAL: not on the allowlist; and 2 more: torch.nn.modules.linear.Linear, torch.nn.modules.activation.ReLU",
        },
      ],
    },
    {
      name: "a construct rather than an import: an EXT opcode",
      files: { "ai-system.yaml": sys, "models/e.pkl": fixture("attacks/pickle/ext1.pkl") },
      findings: [
        {
          path: "models/e.pkl",
          line: 1,
          column: 1,
          message: "pickle file has a suspicious construct at byte 2: EXT opcode loads entry 1 of copyreg's extension registry",
        },
      ],
    },
  ],
});

tester.run("model-unparseable", {
  valid: [{ files: { "ai-system.yaml": sys, "models/m.safetensors": SAFETENSORS } }],
  invalid: [
    {
      name: "a truncated pickle and a safetensors header that lies",
      files: {
        "ai-system.yaml": sys,
        "models/t.pkl": fixture("attacks/pickle/truncated.pkl"),
        "models/bad.safetensors": fixture("attacks/safetensors/length-past-file.safetensors"),
      },
      findings: [
        { path: "models/bad.safetensors", line: 1, column: 1, message: "safetensors file could not be fully parsed" },
        { path: "models/t.pkl", line: 1, column: 1, message: "pickle file could not be fully parsed" },
      ],
    },
  ],
});

tester.run("model-unscannable-archive", {
  valid: [{ name: "a plain tar is opened and scanned", files: { "ai-system.yaml": sys, "models/ok.tar": fixture("benign/not-a-model/plain.zip") } }],
  invalid: [
    {
      files: { "ai-system.yaml": sys, "models/model.7z": fixture("attacks/archives/model.7z") },
      findings: [{ path: "models/model.7z", line: 1, column: 1, message: "not counted as safe" }],
    },
  ],
});

tester.run("model-pickle-format", {
  valid: [{ files: { "ai-system.yaml": sys, "models/m.safetensors": SAFETENSORS } }],
  invalid: [
    {
      files: { "ai-system.yaml": sys, "models/sd.pt": fixture("benign/torch/state-dict.pt") },
      findings: [{ path: "models/sd.pt", line: 1, column: 1, message: "models/sd.pt is a pytorch-zip file, a pickle-based format" }],
    },
  ],
});

const declaring = (sha: string) => manifest(TRAINED, "models:", `  - {name: clf, path: models/m.safetensors, sha256: "${sha}", license: MIT}`);
tester.run("model-hash-mismatch", {
  valid: [{ files: { "ai-system.yaml": declaring(DIGEST), "models/m.safetensors": SAFETENSORS } }],
  invalid: [
    {
      files: { "ai-system.yaml": declaring("0".repeat(64)), "models/m.safetensors": SAFETENSORS },
      findings: [
        {
          path: "ai-system.yaml",
          line: 6,
          column: 53,
          endLine: 6,
          endColumn: 119,
          message: `models/m.safetensors: sha256 is ${DIGEST}, the manifest declares ${"0".repeat(64)}`,
        },
      ],
    },
  ],
});

tester.run("model-undeclared", {
  valid: [
    { name: "declared by its path", files: { "ai-system.yaml": declaring(DIGEST), "models/m.safetensors": SAFETENSORS } },
    {
      name: "a declared folder covers the files in it",
      files: {
        "ai-system.yaml": manifest(TRAINED, "models:", "  - {name: all, path: models/, license: MIT}"),
        "models/a.safetensors": SAFETENSORS,
        "models/sub/b.safetensors": SAFETENSORS,
      },
    },
  ],
  invalid: [
    {
      files: { "ai-system.yaml": sys, "models/m.safetensors": SAFETENSORS },
      findings: [
        {
          path: "models/m.safetensors",
          line: 1,
          column: 1,
          message: "models/m.safetensors is a safetensors model file that no models[] entry of the manifest declares",
        },
      ],
    },
  ],
});
