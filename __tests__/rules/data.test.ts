// Rules on the data scanner's observations and the data-* check kinds (policies/builtin/data.yaml):
// what the data in the repository holds against what the manifest's datasets[] say about it.
import { RuleTester } from "../../src/policy/rule-tester.js";
import { manifest, TRAINED } from "./helpers.js";

const tester = new RuleTester();

/** A CSV with two e-mail addresses on lines 2 and 3. */
const EMAILS = "id,email,amount\n1,anna.jansen@example.net,12\n2,ben.okafor@mailbox.nl,30\n";
const CLEAN = "id,amount,currency\n1,12,EUR\n2,30,EUR\n";
const dataset = (fields: string) =>
  `  - {name: claims, use: [training], sensitivity: internal, paths: ["data/*.csv"], provenance: {origin: internal, collection: exports 2026-10}, ${fields}}`;

tester.run("data-personal-contradicts-manifest", {
  valid: [
    {
      name: "declared identifiable",
      files: {
        "ai-system.yaml": manifest(TRAINED, "datasets:", dataset("personalData: identifiable, anonymization: hashed, retention: P2Y")),
        "data/claims.csv": EMAILS,
      },
    },
  ],
  invalid: [
    {
      name: "personalData: none",
      files: { "ai-system.yaml": manifest(TRAINED, "datasets:", dataset("personalData: none, retention: P2Y")), "data/claims.csv": EMAILS },
      findings: [{ path: "data/claims.csv", line: 2, column: 1, message: 'but dataset "claims" declares personalData: none (ai-system.yaml:6)' }],
    },
  ],
});

tester.run("data-personal-undeclared", {
  valid: [
    {
      name: "a dataset declares it",
      files: {
        "ai-system.yaml": manifest(TRAINED, "datasets:", dataset("personalData: identifiable, anonymization: hashed, retention: P2Y")),
        "data/claims.csv": EMAILS,
      },
    },
  ],
  invalid: [
    {
      files: { "ai-system.yaml": manifest(TRAINED), "data/claims.csv": EMAILS },
      findings: [
        { path: "data/claims.csv", line: 2, column: 1, message: "data/claims.csv holds personal data (email (2)) and no dataset in the manifest declares it" },
      ],
    },
  ],
});

tester.run("data-undeclared", {
  valid: [{ files: { "ai-system.yaml": manifest(TRAINED, "datasets:", dataset("personalData: none, retention: P2Y")), "data/orders.csv": CLEAN } }],
  invalid: [
    {
      name: "a CSV, a Git LFS pointer and a retrieval store",
      files: {
        "ai-system.yaml": manifest(TRAINED),
        "data/orders.csv": CLEAN,
        "data/big.jsonl": `version https://git-lfs.github.com/spec/v1\noid sha256:${"4d".repeat(32)}\nsize 734003200\n`,
        "storage/docstore.json": "{}",
      },
      findings: [
        { path: "data/big.jsonl", line: 1, column: 1, message: "data/big.jsonl holds Git LFS data that no dataset in the manifest declares" },
        { path: "data/orders.csv", line: 1, column: 1, message: "data/orders.csv holds csv data that no dataset in the manifest declares" },
        {
          path: "storage/docstore.json",
          line: 1,
          column: 1,
          message: "storage/docstore.json holds a llamaindex retrieval store that no dataset in the manifest declares",
        },
      ],
    },
  ],
});

tester.run("data-dataset-missing-files", {
  valid: [{ files: { "ai-system.yaml": manifest(TRAINED, "datasets:", dataset("personalData: none, retention: P2Y")), "data/orders.csv": CLEAN } }],
  invalid: [
    {
      files: { "ai-system.yaml": manifest(TRAINED, "datasets:", dataset("personalData: none, retention: P2Y")), "archive/orders.csv": CLEAN },
      findings: [
        {
          path: "ai-system.yaml",
          line: 6,
          column: 68,
          endLine: 6,
          endColumn: 80,
          message: 'dataset "claims" declares paths "data/*.csv", which matches nothing in the repository',
        },
      ],
    },
  ],
});

tester.run("data-retention", {
  valid: [
    {
      name: "a retention that has not passed",
      files: {
        "ai-system.yaml": manifest(TRAINED, "datasets:", dataset("personalData: identifiable, anonymization: hashed, retention: P2Y")),
        "data/claims.csv": EMAILS,
      },
    },
  ],
  invalid: [
    {
      name: "found personal data, no retention",
      files: { "ai-system.yaml": manifest(TRAINED, "datasets:", dataset("personalData: none")), "data/claims.csv": EMAILS },
      findings: [
        {
          path: "ai-system.yaml",
          line: 6,
          column: 5,
          endLine: 6,
          endColumn: 163,
          message: 'dataset "claims" has no retention, and personal data was found in it (email (2))',
        },
      ],
    },
    {
      name: "a retention counted from the collection date has passed",
      files: {
        "ai-system.yaml": manifest(TRAINED, "datasets:", dataset("personalData: identifiable, anonymization: hashed, retention: P6M")).replace(
          "exports 2026-10",
          "exports 2025-01",
        ),
        "data/claims.csv": EMAILS,
      },
      findings: [
        {
          path: "ai-system.yaml",
          line: 6,
          column: 195,
          endLine: 6,
          endColumn: 204,
          message: 'dataset "claims" keeps data past its retention (P6M from 2025-01-31, which ended 2025-07-31)',
        },
      ],
    },
  ],
});

tester.run("data-minimisation", {
  valid: [
    {
      name: "anonymization recorded",
      files: {
        "ai-system.yaml": manifest(TRAINED, "datasets:", dataset("personalData: identifiable, anonymization: hashed, retention: P2Y")),
        "data/claims.csv": EMAILS,
      },
    },
    {
      name: "DATAMINIMIZE claimed",
      files: {
        "ai-system.yaml": manifest(
          TRAINED,
          "datasets:",
          dataset("personalData: identifiable, retention: P2Y"),
          "controls:",
          "  DATAMINIMIZE: {status: partial, evidence: [select.py]}",
        ),
        "data/claims.csv": EMAILS,
        "select.py": "COLUMNS = ['amount']\n",
      },
    },
  ],
  invalid: [
    {
      files: { "ai-system.yaml": manifest(TRAINED, "datasets:", dataset("personalData: identifiable, retention: P2Y")), "data/claims.csv": EMAILS },
      findings: [
        {
          path: "ai-system.yaml",
          line: 6,
          column: 5,
          endLine: 6,
          endColumn: 187,
          message: 'dataset "claims": personal data was found in it (email (2)), but no DATAMINIMIZE or OBFUSCATETRAININGDATA control is claimed',
        },
      ],
    },
  ],
});

const NOT_SENSITIVE = TRAINED.replace("trainingDataSensitive: true", "trainingDataSensitive: false").replace(
  "membershipSensitive: true",
  "membershipSensitive: false",
);
tester.run("data-profile-contradicted", {
  valid: [
    {
      name: "the profile says it is sensitive",
      files: {
        "ai-system.yaml": manifest(TRAINED, "datasets:", dataset("personalData: identifiable, anonymization: hashed, retention: P2Y")),
        "data/claims.csv": EMAILS,
      },
    },
  ],
  invalid: [
    {
      files: {
        "ai-system.yaml": manifest(NOT_SENSITIVE, "datasets:", dataset("personalData: identifiable, anonymization: hashed, retention: P2Y")),
        "data/claims.csv": EMAILS,
      },
      findings: [
        {
          path: "ai-system.yaml",
          line: 4,
          column: 105,
          endLine: 4,
          endColumn: 110,
          message: 'profile.trainingDataSensitive is false, but training data holds personal data: "claims" (email (2))',
        },
      ],
    },
  ],
});

tester.run("data-external-unlicensed", {
  valid: [
    {
      files: {
        "ai-system.yaml": manifest(
          TRAINED,
          "datasets:",
          dataset("personalData: none, retention: P2Y, license: CC-BY-4.0").replace("origin: internal", "origin: public"),
        ),
        "data/orders.csv": CLEAN,
      },
    },
  ],
  invalid: [
    {
      files: {
        "ai-system.yaml": manifest(TRAINED, "datasets:", dataset("personalData: none, retention: P2Y").replace("origin: internal", "origin: public")),
        "data/orders.csv": CLEAN,
      },
      findings: [
        {
          path: "ai-system.yaml",
          line: 6,
          column: 104,
          endLine: 6,
          endColumn: 110,
          message: 'dataset "claims" is public data with 1 file in the repository (data/orders.csv) and no license',
        },
      ],
    },
  ],
});

const hub = (provenance: string) =>
  manifest(
    TRAINED,
    "datasets:",
    `  - {name: squad, use: [evaluation], sensitivity: public, personalData: none, provenance: {origin: public, collection: SQuAD, uri: "https://huggingface.co/datasets/rajpurkar/squad"${provenance}}, license: CC-BY-SA-4.0}`,
  );
tester.run("data-hub-unpinned", {
  valid: [{ files: { "ai-system.yaml": hub(`, revision: "${"7b".repeat(20)}"`) } }],
  invalid: [
    {
      files: { "ai-system.yaml": hub("") },
      findings: [
        {
          path: "ai-system.yaml",
          line: 6,
          column: 132,
          endLine: 6,
          endColumn: 181,
          message: 'dataset "squad" is fetched from https://huggingface.co/datasets/rajpurkar/squad without a pinned revision',
        },
      ],
    },
  ],
});

tester.run("data-secret", {
  valid: [{ files: { "ai-system.yaml": manifest(TRAINED), "data/orders.csv": CLEAN } }],
  invalid: [
    {
      files: { "ai-system.yaml": manifest(TRAINED), "data/keys.csv": "id,key\n1,AKIAQWERTYUIOPASDFGH\n2,AKIAZXCVBNMLKJHGFDSA\n" },
      findings: [{ path: "data/keys.csv", line: 2, column: 1, message: 'aws-access-key-id in column "key" of data/keys.csv: 2 found (values masked)' }],
    },
  ],
});

tester.run("data-malformed", {
  valid: [{ files: { "ai-system.yaml": manifest(TRAINED), "data/chat.jsonl": '{"a": 1}\n{"a": 2}\n' } }],
  invalid: [
    {
      files: { "ai-system.yaml": manifest(TRAINED), "data/chat.jsonl": '{"a": 1}\n{"a": 2\nnot json\n' },
      findings: [{ path: "data/chat.jsonl", line: 2, column: 1, message: "data/chat.jsonl cannot be parsed as jsonl at line 2:" }],
    },
  ],
});

tester.run("data-lfs-unscanned", {
  valid: [{ files: { "ai-system.yaml": manifest(TRAINED), "data/train.csv": CLEAN } }],
  invalid: [
    {
      files: {
        "ai-system.yaml": manifest(TRAINED),
        "data/train.csv": `version https://git-lfs.github.com/spec/v1\noid sha256:${"4d".repeat(32)}\nsize 734003200\n`,
      },
      findings: [
        {
          path: "data/train.csv",
          line: 1,
          column: 1,
          message: "data/train.csv is a Git LFS pointer: its content (734003200 bytes) is not in the repository and was not scanned",
        },
      ],
    },
  ],
});

const RAG =
  "profile: {isGenAI: true, isLLM: true, trainsOrFinetunes: false, usesRAG: true, trainingDataSensitive: false, membershipSensitive: false, inputSensitive: false, modelIsIP: false, modelHostedExternally: true, untrustedInput: true, hasAgency: false}";
tester.run("data-retrieval-store", {
  valid: [{ name: "a JSON file that is not a store", files: { "ai-system.yaml": manifest(RAG), "storage/settings.json": "{}" } }],
  invalid: [
    {
      files: { "ai-system.yaml": manifest(RAG), "storage/docstore.json": "{}", "storage/default__vector_store.json": "{}" },
      findings: [{ path: "storage/default__vector_store.json", line: 1, column: 1, message: "llamaindex retrieval store committed at storage (2 files)" }],
    },
  ],
});
