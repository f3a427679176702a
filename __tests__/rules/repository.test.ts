// Rules on files in the repository (policies/builtin/repository.yaml): security policy, incident
// response and threat-model documents, files that hold secrets, large artifacts in Git.
import { RuleTester } from "../../src/policy/rule-tester.js";
import { manifest, TRAINED } from "./helpers.js";

const tester = new RuleTester();
const sys = manifest(TRAINED);

tester.run("security-policy-present", {
  valid: [{ files: { "ai-system.yaml": sys, "SECURITY.md": "Report to security@example.com" } }],
  invalid: [
    { files: { "ai-system.yaml": sys }, findings: [{ path: "ai-system.yaml", line: 1, column: 1, endLine: 5, endColumn: 1, message: "no SECURITY.md" }] },
  ],
});

tester.run("incident-response-documented", {
  valid: [{ files: { "ai-system.yaml": sys, "docs/incident-response.md": "Page the on-call ML engineer." } }],
  invalid: [
    {
      files: { "ai-system.yaml": sys },
      findings: [{ path: "ai-system.yaml", line: 1, column: 1, endLine: 5, endColumn: 1, message: "no incident-response document" }],
    },
  ],
});

tester.run("ai-threat-model-present", {
  valid: [{ files: { "ai-system.yaml": sys, "docs/threat-model.md": "Assets, threats, decisions." } }],
  invalid: [
    {
      files: { "ai-system.yaml": sys },
      findings: [{ path: "ai-system.yaml", line: 1, column: 1, endLine: 5, endColumn: 1, message: "no threat model or risk analysis document" }],
    },
  ],
});

tester.run("secrets-file-committed", {
  valid: [{ name: "templates of .env files", files: { "ai-system.yaml": sys, ".env.example": "OPENAI_API_KEY=", "app/.env.template": "HF_TOKEN=" } }],
  invalid: [
    {
      files: { "ai-system.yaml": sys, ".env": "KEY=x", "app/.env.local": "KEY=y", "certs/server.pem": "-----BEGIN", "ml/.huggingface/token": "hf_x" },
      findings: [
        { path: ".env", line: 1, column: 1, message: ".env usually holds credentials" },
        { path: "app/.env.local", line: 1, column: 1, message: "app/.env.local usually holds credentials" },
        { path: "certs/server.pem", line: 1, column: 1, message: "certs/server.pem usually holds credentials" },
        { path: "ml/.huggingface/token", line: 1, column: 1, message: "ml/.huggingface/token usually holds credentials" },
      ],
    },
  ],
});

tester.run("large-artifact-in-git", {
  valid: [
    {
      name: "small artifacts, and large files that are not artifacts",
      files: { "ai-system.yaml": sys, "models/small.onnx": "x", "docs/big.txt": { size: 60 * 1024 * 1024 } },
    },
  ],
  invalid: [
    {
      name: "a sparse 60 MiB checkpoint (no bytes written)",
      files: { "ai-system.yaml": sys, "models/big.ckpt": { size: 60 * 1024 * 1024 } },
      findings: [{ path: "models/big.ckpt", line: 1, column: 1, message: "models/big.ckpt is 60 MiB (over 50 MiB)" }],
    },
  ],
});

/** A path `levels` folders deep (d/d/…/d/name). */
const deep = (levels: number, name: string) => `${"d/".repeat(levels)}${name}`;
const PICKLE = Buffer.from("80049510000000000000008c026f73948c0673797374656d94938c026964948552942e", "hex").toString("latin1");

tester.run("repository-not-walked", {
  valid: [{ name: "a file 256 folders deep is walked", files: { "ai-system.yaml": sys, [deep(256, "ok.txt")]: "x" } }],
  invalid: [
    {
      name: "a model 300 folders deep, below the walk's bound",
      files: { "ai-system.yaml": sys, [deep(300, "model.pkl")]: PICKLE },
      findings: [{ path: deep(257, "").slice(0, -1), line: 1, column: 1, message: `${deep(257, "").slice(0, -1)} was not walked (more than 256 folders deep` }],
    },
  ],
});
