// Rules on what the manifest states (policies/builtin/manifest.yaml): facts, claims and their
// evidence, supplier responsibilities, risk acceptances, and the models, data and tools it lists.
import { RuleTester } from "../../src/policy/rule-tester.js";
import { ALL_TRUE, LLM_APP, manifest, TRAINED } from "./helpers.js";

const tester = new RuleTester();

tester.run("profile-fact-unstated", {
  valid: [{ name: "every core fact stated", files: { "ai-system.yaml": manifest(ALL_TRUE) } }],
  invalid: [
    {
      name: "inputSensitive left out",
      files: {
        "ai-system.yaml": manifest(
          "profile:",
          "  isGenAI: false",
          "  isLLM: false",
          "  trainsOrFinetunes: true",
          "  usesRAG: false",
          "  trainingDataSensitive: true",
          "  membershipSensitive: false",
          "  modelIsIP: false",
          "  modelHostedExternally: false",
          "  untrustedInput: false",
          "  hasAgency: false",
        ),
      },
      findings: [{ path: "ai-system.yaml", line: 4, column: 1, endLine: 4, endColumn: 8, message: "profile.inputSensitive is not stated" }],
    },
  ],
});

tester.run("owner-contact-reachable", {
  valid: [
    { name: "an e-mail address", files: { "ai-system.yaml": manifest(TRAINED) } },
    {
      name: "a chat channel",
      files: { "ai-system.yaml": ["apiVersion: aigate/v1", "name: sys", "owner: {team: t, contact: '#ml-platform'}", TRAINED].join("\n") },
    },
  ],
  invalid: [
    {
      name: "a bare name",
      files: { "ai-system.yaml": ["apiVersion: aigate/v1", "name: sys", "owner: {team: t, contact: the ml team}", TRAINED].join("\n") },
      findings: [{ path: "ai-system.yaml", line: 3, column: 27, endLine: 3, endColumn: 38, message: 'owner.contact "the ml team" is not an e-mail address' }],
    },
  ],
});

tester.run("system-description-present", {
  valid: [{ files: { "ai-system.yaml": manifest("description: Scores claims for fraud review; adjusters decide.", TRAINED) } }],
  invalid: [
    {
      files: { "ai-system.yaml": manifest(TRAINED) },
      findings: [{ path: "ai-system.yaml", line: 1, column: 1, endLine: 5, endColumn: 1, message: "the manifest has no description" }],
    },
  ],
});

tester.run("claimed-control-evidence-missing", {
  valid: [
    {
      name: "a file, a folder with content and a URL",
      files: {
        "ai-system.yaml": manifest(
          TRAINED,
          "controls:",
          "  RATELIMIT: {status: implemented, evidence: [gateway/limits.yaml, https://wiki.example.com/limits, docs/]}",
        ),
        "gateway/limits.yaml": "rps: 10\n",
        "docs/security.md": "x",
      },
    },
    {
      name: "a planned control cites nothing yet",
      files: { "ai-system.yaml": manifest(TRAINED, "controls:", "  RATELIMIT: {status: planned, due: 2027-01-01, evidence: [missing.md]}") },
    },
  ],
  invalid: [
    {
      name: "missing, empty and too broad",
      files: {
        "ai-system.yaml": manifest(
          TRAINED,
          "controls:",
          "  MONITORUSE: {status: partial, evidence: [missing.md], note: half done}",
          "  SECPROGRAM: {status: implemented, evidence: [empty.md]}",
          "  RATELIMIT: {status: implemented, evidence: ['src/**']}",
        ),
        "empty.md": "",
        ...Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`src/m${i}.py`, "x = 1\n"])),
      },
      findings: [
        { path: "ai-system.yaml", line: 6, column: 44, endLine: 6, endColumn: 54, message: "controls.MONITORUSE cites missing.md, which does not exist" },
        { path: "ai-system.yaml", line: 7, column: 48, endLine: 7, endColumn: 56, message: "controls.SECPROGRAM cites empty.md, which is empty" },
        {
          path: "ai-system.yaml",
          line: 8,
          column: 47,
          endLine: 8,
          endColumn: 55,
          message: "controls.RATELIMIT cites src/**, which matches more than 25 files",
        },
      ],
    },
  ],
});

tester.run("planned-control-overdue", {
  valid: [{ files: { "ai-system.yaml": manifest(TRAINED, "controls:", "  RATELIMIT: {status: planned, due: 2027-01-01}") } }],
  invalid: [
    {
      files: { "ai-system.yaml": manifest(TRAINED, "controls:", "  RATELIMIT: {status: planned, due: 2026-06-30}") },
      findings: [
        {
          path: "ai-system.yaml",
          line: 6,
          column: 37,
          endLine: 6,
          endColumn: 47,
          message: "controls.RATELIMIT was planned for 2026-06-30 and is still not implemented",
        },
      ],
    },
  ],
});

const HOSTED =
  "profile: {isGenAI: true, isLLM: true, trainsOrFinetunes: false, modelHostedExternally: true, usesRAG: false, untrustedInput: true, hasAgency: false, inputSensitive: false, modelIsIP: false, trainingDataSensitive: false, membershipSensitive: false}";
tester.run("supplier-assurance-missing", {
  valid: [
    {
      name: "a current responsibility with an existing document",
      files: {
        "ai-system.yaml": manifest(
          HOSTED,
          "responsibilities:",
          "  - {supplier: Acme, share: supplier, threats: [RUNTIMEMODELPOISON], assurance: [soc2.md], expires: 2027-01-31}",
        ),
        "soc2.md": "Acme SOC 2",
      },
    },
    { name: "nothing left to a supplier", files: { "ai-system.yaml": manifest(TRAINED) } },
  ],
  invalid: [
    {
      name: "no responsibility covers the threat",
      files: { "ai-system.yaml": manifest(HOSTED) },
      findings: [
        {
          path: "ai-system.yaml",
          line: 4,
          column: 1,
          endLine: 4,
          endColumn: 8,
          message: "RUNTIMEMODELPOISON (Direct runtime model poisoning) is the supplier's to mitigate, but no responsibilities entry covers it",
        },
      ],
    },
    {
      name: "an expired assurance and a missing document",
      files: {
        "ai-system.yaml": manifest(
          HOSTED,
          "responsibilities:",
          "  - {supplier: Acme, share: supplier, threats: [RUNTIMEMODELPOISON], assurance: [soc2.md, gone.md], expires: 2026-01-31}",
        ),
        "soc2.md": "Acme SOC 2",
      },
      findings: [
        { path: "ai-system.yaml", line: 6, column: 91, endLine: 6, endColumn: 98, message: "but assurance document gone.md does not exist" },
        { path: "ai-system.yaml", line: 6, column: 110, endLine: 6, endColumn: 120, message: "but the assurance from Acme expired on 2026-01-31" },
      ],
    },
  ],
});

const acceptance = (fields: string) => `  - {${fields}, justification: reviewed with the security team, approver: sec@example.com}`;
tester.run("risk-acceptance-expired", {
  valid: [
    {
      files: {
        "ai-system.yaml": manifest(
          TRAINED,
          "riskAcceptances:",
          acceptance("id: RA-1, rule: secrets-file-committed, approved: 2026-06-01, expires: 2027-01-31"),
        ),
      },
    },
  ],
  invalid: [
    {
      files: { "ai-system.yaml": manifest(TRAINED, "riskAcceptances:", acceptance("id: RA-2, rule: secrets-file-committed, expires: 2026-01-01")) },
      findings: [
        {
          path: "ai-system.yaml",
          line: 6,
          column: 55,
          endLine: 6,
          endColumn: 65,
          message: "risk acceptance RA-2 for secrets-file-committed expired on 2026-01-01",
        },
      ],
    },
  ],
});

tester.run("risk-acceptance-too-long", {
  valid: [
    {
      files: {
        "ai-system.yaml": manifest(
          TRAINED,
          "riskAcceptances:",
          acceptance("id: RA-1, rule: secrets-file-committed, approved: 2026-06-01, expires: 2027-05-31"),
        ),
      },
    },
  ],
  invalid: [
    {
      name: "545 days",
      files: {
        "ai-system.yaml": manifest(
          TRAINED,
          "riskAcceptances:",
          acceptance("id: RA-1, rule: secrets-file-committed, approved: 2026-01-01, expires: 2027-06-30"),
        ),
      },
      findings: [
        { path: "ai-system.yaml", line: 6, column: 77, endLine: 6, endColumn: 87, message: "risk acceptance RA-1 for secrets-file-committed runs 545 days" },
      ],
    },
    {
      name: "approved after it expires",
      files: {
        "ai-system.yaml": manifest(
          TRAINED,
          "riskAcceptances:",
          acceptance("id: RA-3, rule: secrets-file-committed, approved: 2027-02-01, expires: 2027-01-31"),
        ),
      },
      findings: [
        { path: "ai-system.yaml", line: 6, column: 56, endLine: 6, endColumn: 66, message: "RA-3: approved 2027-02-01 is after it expires (2027-01-31)" },
      ],
    },
  ],
});

const HASH = "a1".repeat(20);
tester.run("model-source-unpinned", {
  valid: [
    {
      files: {
        "ai-system.yaml": manifest(
          LLM_APP,
          "models:",
          `  - {name: m, source: {uri: https://huggingface.co/org/model, revision: "${HASH}"}, license: apache-2.0}`,
        ),
      },
    },
  ],
  invalid: [
    {
      name: "a branch name and no revision",
      files: {
        "ai-system.yaml": manifest(
          LLM_APP,
          "models:",
          "  - {name: main-branch, source: {uri: https://huggingface.co/org/model, revision: main}}",
          "  - {name: floating, source: {uri: https://huggingface.co/org/other}}",
        ),
      },
      findings: [
        {
          path: "ai-system.yaml",
          line: 6,
          column: 33,
          endLine: 6,
          endColumn: 88,
          message: "model main-branch is downloaded from a source without a pinned commit hash or digest",
        },
        {
          path: "ai-system.yaml",
          line: 7,
          column: 30,
          endLine: 7,
          endColumn: 69,
          message: "model floating is downloaded from a source without a pinned commit hash or digest",
        },
      ],
    },
  ],
});

tester.run("model-hash-undeclared", {
  valid: [
    {
      name: "a declared sha256",
      files: { "ai-system.yaml": manifest(TRAINED, "models:", `  - {name: clf, path: models/clf.onnx, sha256: "${"0".repeat(64)}", license: MIT}`) },
    },
    {
      name: "a model not stored in the repository",
      files: { "ai-system.yaml": manifest(TRAINED, "models:", `  - {name: hub, source: {uri: https://huggingface.co/org/m, revision: "${HASH}"}}`) },
    },
  ],
  invalid: [
    {
      files: { "ai-system.yaml": manifest(TRAINED, "models:", "  - {name: clf, path: models/clf.onnx, license: MIT}") },
      findings: [
        { path: "ai-system.yaml", line: 6, column: 5, endLine: 6, endColumn: 53, message: "model clf is stored in the repository without a declared sha256" },
      ],
    },
  ],
});

tester.run("model-license-undeclared", {
  valid: [{ files: { "ai-system.yaml": manifest(LLM_APP, "models:", "  - {name: gpt, provider: openai, id: gpt-4o, license: LicenseRef-OpenAI-Terms}") } }],
  invalid: [
    {
      files: { "ai-system.yaml": manifest(LLM_APP, "models:", "  - {name: gpt, provider: openai, id: gpt-4o}") },
      findings: [{ path: "ai-system.yaml", line: 6, column: 5, endLine: 6, endColumn: 46, message: "model gpt has no declared licence" }],
    },
  ],
});

const dataset = (fields: string) => `  - {name: d, use: [training], sensitivity: internal, ${fields}}`;
tester.run("dataset-provenance-undeclared", {
  valid: [
    {
      files: {
        "ai-system.yaml": manifest(TRAINED, "datasets:", dataset("uri: s3://b/d, provenance: {origin: internal, collection: exports}, personalData: none")),
      },
    },
  ],
  invalid: [
    {
      files: { "ai-system.yaml": manifest(TRAINED, "datasets:", dataset("uri: s3://b/d, personalData: none")) },
      findings: [{ path: "ai-system.yaml", line: 6, column: 5, endLine: 6, endColumn: 89, message: "dataset d does not say where its data comes from" }],
    },
  ],
});

tester.run("personal-data-retention-undeclared", {
  valid: [
    {
      name: "a finite retention",
      files: { "ai-system.yaml": manifest(TRAINED, "datasets:", dataset("uri: s3://b/d, personalData: pseudonymised, retention: P2Y")) },
    },
    { name: "no personal data", files: { "ai-system.yaml": manifest(TRAINED, "datasets:", dataset("uri: s3://b/d, personalData: none")) } },
  ],
  invalid: [
    {
      name: "none and indefinite",
      files: {
        "ai-system.yaml": manifest(
          TRAINED,
          "datasets:",
          dataset("uri: s3://b/d, personalData: pseudonymised"),
          "  - {name: e, use: [evaluation], sensitivity: internal, uri: s3://b/e, personalData: identifiable, retention: indefinite}",
        ),
      },
      findings: [
        { path: "ai-system.yaml", line: 6, column: 5, endLine: 6, endColumn: 98, message: "dataset d holds personal data but has no finite retention period" },
        { path: "ai-system.yaml", line: 7, column: 5, endLine: 7, endColumn: 122, message: "dataset e holds personal data but has no finite retention period" },
      ],
    },
  ],
});

tester.run("identifiable-training-data-not-obfuscated", {
  valid: [
    {
      name: "pseudonymised before training",
      files: {
        "ai-system.yaml": manifest(
          TRAINED,
          "datasets:",
          dataset("uri: s3://b/d, personalData: identifiable, anonymization: names hashed with a keyed hash, retention: P2Y"),
        ),
      },
    },
    {
      name: "identifiable data used only for evaluation",
      files: {
        "ai-system.yaml": manifest(
          TRAINED,
          "datasets:",
          "  - {name: d, use: [evaluation], sensitivity: internal, uri: s3://b/d, personalData: identifiable, retention: P2Y}",
        ),
      },
    },
  ],
  invalid: [
    {
      files: { "ai-system.yaml": manifest(TRAINED, "datasets:", dataset("uri: s3://b/d, personalData: identifiable, retention: P2Y")) },
      findings: [
        { path: "ai-system.yaml", line: 6, column: 5, endLine: 6, endColumn: 113, message: "dataset d trains the model on identifiable personal data" },
      ],
    },
  ],
});

const tools = (...entries: string[]) => manifest(LLM_APP, "tools:", ...entries.map((e) => `  - {${e}}`));
tester.run("tool-write-without-approval", {
  valid: [
    {
      name: "approval on write",
      files: { "ai-system.yaml": tools("name: tickets, privileges: [read, write], resources: ['zendesk:tickets'], humanApproval: on-write") },
    },
    { name: "read only", files: { "ai-system.yaml": tools("name: search, privileges: [read], humanApproval: never") } },
  ],
  invalid: [
    {
      files: { "ai-system.yaml": tools("name: shell, privileges: [execute], resources: [host], humanApproval: never") },
      findings: [
        {
          path: "ai-system.yaml",
          line: 6,
          column: 5,
          endLine: 6,
          endColumn: 82,
          message: "tool shell can write, delete, execute, send or pay, and the model may call it with no human approval",
        },
      ],
    },
  ],
});

tester.run("tool-privileges-unscoped", {
  valid: [{ files: { "ai-system.yaml": tools("name: tickets, privileges: [write], resources: ['zendesk:tickets'], humanApproval: on-write") } }],
  invalid: [
    {
      files: { "ai-system.yaml": tools("name: fetch, privileges: [read, network], humanApproval: never") },
      findings: [
        { path: "ai-system.yaml", line: 6, column: 5, endLine: 6, endColumn: 69, message: "tool fetch has privileges beyond read but lists no resources" },
      ],
    },
  ],
});

tester.run("tool-admin-privilege", {
  valid: [{ files: { "ai-system.yaml": tools("name: tickets, privileges: [write], resources: ['zendesk:tickets'], humanApproval: on-write") } }],
  invalid: [
    {
      files: { "ai-system.yaml": tools("name: cloud, privileges: [admin], resources: ['aws:*'], humanApproval: always") },
      findings: [{ path: "ai-system.yaml", line: 6, column: 31, endLine: 6, endColumn: 38, message: "tool cloud gives the model admin privileges" }],
    },
  ],
});

tester.run("tool-acts-as-service", {
  valid: [
    {
      name: "acts as the user",
      files: { "ai-system.yaml": tools("name: tickets, privileges: [write], resources: ['zendesk:tickets'], humanApproval: on-write, actsAs: user") },
    },
    {
      name: "a service identity that only reads",
      files: { "ai-system.yaml": tools("name: search, privileges: [read], humanApproval: never, actsAs: service") },
    },
  ],
  invalid: [
    {
      files: { "ai-system.yaml": tools("name: tickets, privileges: [write], resources: ['zendesk:tickets'], humanApproval: on-write, actsAs: service") },
      findings: [{ path: "ai-system.yaml", line: 6, column: 5, endLine: 6, endColumn: 115, message: "tool tickets changes things with a service identity" }],
    },
  ],
});
