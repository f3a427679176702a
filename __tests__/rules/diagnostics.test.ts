// Diagnostics (policies/diagnostics.yaml): findings aigate raises while it reads manifests, before
// any rule runs. Their messages are written where they are raised (src/manifest/load.ts, src/run.ts).
import { RuleTester } from "../../src/policy/rule-tester.js";
import { HEAD, manifest, TRAINED } from "./helpers.js";

const tester = new RuleTester();
const sys = manifest(TRAINED);

tester.run("manifest-missing", {
  valid: [{ files: { "ai-system.yaml": sys } }],
  // Located at the checked folder itself ("."): the manifest it lacks is not a file that exists.
  invalid: [
    {
      name: "a repository with code and no manifest",
      files: { "app.py": "print(1)\n" },
      findings: [{ path: ".", line: 1, column: 1, message: "no AI system manifest matches **/ai-system.{yaml,yml}" }],
    },
  ],
});

tester.run("manifest-open-question", {
  valid: [{ name: "every question answered", files: { "ai-system.yaml": manifest(TRAINED, "# untrustedInput was UNKNOWN, answered in the profile") } }],
  invalid: [
    {
      name: "a question aigate init left, and one on a commented-out key",
      files: {
        "ai-system.yaml": manifest(
          "profile: {isGenAI: false} # UNKNOWN: is it generative? — answer true|false",
          "  # untrustedInput: # UNKNOWN: can outsiders write to it? — answer true|false",
        ),
      },
      findings: [
        { path: "ai-system.yaml", line: 4, column: 29, message: "open question on profile: is it generative? — answer true|false" },
        { path: "ai-system.yaml", line: 5, column: 23, message: "open question on untrustedInput: can outsiders write to it? — answer true|false" },
      ],
    },
  ],
});

tester.run("manifest-yaml", {
  valid: [{ files: { "ai-system.yaml": sys } }],
  invalid: [
    {
      name: "an unclosed flow mapping, and an alias",
      files: {
        "ai-system.yaml": [...HEAD, "profile: {isGenAI: false", "models: []"].join("\n"),
        "svc/ai-system.yaml": [...HEAD, "x: &a [1]", "y: *a", TRAINED].join("\n"),
      },
      findings: [
        { path: "ai-system.yaml", line: 5, column: 1, message: "YAML syntax error: Flow map in block collection must be sufficiently indented and end with" },
        { path: "svc/ai-system.yaml", line: 4, column: 4, message: "YAML anchors and aliases are not allowed: write each value out (2 in this file; first" },
      ],
    },
  ],
});

tester.run("manifest-schema", {
  valid: [{ files: { "ai-system.yaml": sys } }],
  invalid: [
    {
      files: { "ai-system.yaml": manifest("profile:", "  usesRag: true", "  isGenAI: yes", "models:", "  - {name: m, sha256: 1234567890}") },
      findings: [
        { path: "ai-system.yaml", line: 5, column: 3, message: 'unknown key "usesRag" in profile (did you mean "usesRAG"?)' },
        { path: "ai-system.yaml", line: 6, column: 12, message: 'profile.isGenAI must be boolean ("yes" is a string in YAML 1.2; write true or false)' },
        { path: "ai-system.yaml", line: 8, column: 5, message: 'model "m" must say where it lives: path (weights in the repository), provider + id (hosted' },
        { path: "ai-system.yaml", line: 8, column: 23, message: "models.0.sha256 must be string (YAML read 1234567890 as a number; quote it)" },
      ],
    },
  ],
});

tester.run("manifest-reference", {
  valid: [
    {
      files: {
        "ai-system.yaml": manifest(
          TRAINED,
          "riskAcceptances:",
          "  - {rule: secrets-file-committed, justification: a justification long enough, approver: a@example.com, expires: 2027-01-01}",
        ),
      },
    },
  ],
  invalid: [
    {
      name: "a threat listed as a control",
      files: { "ai-system.yaml": manifest(TRAINED, "controls:", "  DATAPOISON: {status: implemented, evidence: [x.md]}"), "x.md": "x" },
      findings: [{ path: "ai-system.yaml", line: 6, column: 3, message: '"DATAPOISON" is an Exchange threat, not a control' }],
    },
    {
      name: "an acceptance naming an unknown rule",
      files: {
        "ai-system.yaml": manifest(
          TRAINED,
          "riskAcceptances:",
          "  - {rule: secrets-file, justification: a justification long enough, approver: a@example.com, expires: 2027-01-01}",
        ),
      },
      findings: [
        { path: "ai-system.yaml", line: 6, column: 12, message: 'risk acceptance names unknown rule "secrets-file" (did you mean "secrets-file-committed"?)' },
      ],
    },
  ],
});

tester.run("manifest-not-evaluated", {
  valid: [{ files: { "ai-system.yaml": sys } }],
  invalid: [
    {
      files: { "ai-system.yaml": manifest("profile: {isGenAI: maybe}") },
      findings: [{ path: "ai-system.yaml", line: 1, column: 1, message: "system sys was not evaluated: its manifest has errors" }],
    },
  ],
});

tester.run("manifest-old-id", {
  valid: [{ files: { "ai-system.yaml": manifest(TRAINED, "controls:", "  ANOMALOUSINPUTHANDLING: {status: planned, due: 2027-01-01}") } }],
  invalid: [
    {
      files: { "ai-system.yaml": manifest(TRAINED, "controls:", "  DETECTODDINPUT: {status: planned, due: 2027-01-01}") },
      findings: [
        { path: "ai-system.yaml", line: 6, column: 3, message: 'control "DETECTODDINPUT" is written "ANOMALOUSINPUTHANDLING" in the current Exchange' },
      ],
    },
  ],
});

tester.run("profile-fact-conflict", {
  valid: [{ files: { "ai-system.yaml": sys } }],
  invalid: [
    {
      files: { "ai-system.yaml": manifest("profile: {isGenAI: false, isLLM: true, modelIsIP: true, modelPubliclyAvailable: true}") },
      findings: [
        { path: "ai-system.yaml", line: 4, column: 20, message: "profile.isGenAI contradicts profile.isLLM: an LLM is a generative model" },
        { path: "ai-system.yaml", line: 4, column: 51, message: "profile.modelIsIP contradicts profile.modelPubliclyAvailable" },
      ],
    },
  ],
});

tester.run("manifest-duplicate-folder", {
  valid: [{ name: "two systems in two folders", files: { "a/ai-system.yaml": sys, "b/ai-system.yaml": sys.replace("name: sys", "name: other") } }],
  invalid: [
    {
      files: { "ai-system.yaml": sys, "ai-system.yml": sys.replace("name: sys", "name: other") },
      findings: [
        { path: "ai-system.yml", line: 1, column: 1, message: "ai-system.yml and ai-system.yaml are in the same folder; only ai-system.yaml was read" },
      ],
    },
  ],
});

tester.run("risk-acceptance-stale", {
  valid: [
    {
      name: "the acceptance accepts a finding",
      files: {
        "ai-system.yaml": manifest(
          TRAINED,
          "riskAcceptances:",
          "  - {id: RA-1, rule: secrets-file-committed, justification: fixtures hold fake keys only, approver: a@example.com, expires: 2027-01-01}",
        ),
        ".env": "KEY=fake\n",
      },
    },
  ],
  invalid: [
    {
      name: "nothing left to accept",
      files: {
        "ai-system.yaml": manifest(
          TRAINED,
          "riskAcceptances:",
          "  - {id: RA-1, rule: secrets-file-committed, justification: fixtures hold fake keys only, approver: a@example.com, expires: 2027-01-01}",
        ),
      },
      findings: [{ path: "ai-system.yaml", line: 6, column: 1, message: "RA-1" }],
    },
  ],
});
