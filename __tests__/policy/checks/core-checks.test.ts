// The engine's own check kinds, each on a small repository made for the case.
import { writeRepository, type Files } from "../../../src/policy/rule-tester.js";
import { run } from "../../../src/run.js";

const repo = (files: Files) => writeRepository(files, "aigate-checks-");
const base = ["apiVersion: aigate/v1", "name: sys", "owner: {team: t, contact: t@example.com}"];
const findings = async (root: string, rule: string) =>
  (await run({ root, today: "2026-11-27" })).findings.filter((f) => f.ruleId === rule).map((f) => `${f.path}:${f.line}:${f.column} ${f.status} ${f.message}`);

test("evidence: missing and empty files are findings, URLs and folders with content are not", async () => {
  const root = repo({
    "ai-system.yaml": [
      ...base,
      "profile: {isGenAI: false}",
      "controls:",
      "  RATELIMIT: {status: implemented, evidence: [gateway/limits.yaml, https://wiki.example.com/rate-limits, docs/]}",
      "  MONITORUSE: {status: partial, evidence: [missing.md], note: half done}",
      "  SECPROGRAM: {status: implemented, evidence: [empty.md]}",
    ].join("\n"),
    "gateway/limits.yaml": "rps: 10\n",
    "docs/security.md": "x",
    "empty.md": "",
  });
  expect(await findings(root, "claimed-control-evidence-missing")).toEqual([
    "ai-system.yaml:7:44 open controls.MONITORUSE cites missing.md, which does not exist",
    "ai-system.yaml:8:48 open controls.SECPROGRAM cites empty.md, which is empty",
  ]);
});

test("assurance: a supplier threat needs a current responsibility with existing documents", async () => {
  const hosted =
    "profile: {isGenAI: true, isLLM: true, trainsOrFinetunes: false, modelHostedExternally: true, usesRAG: false, untrustedInput: true, hasAgency: false, inputSensitive: false, modelIsIP: false, trainingDataSensitive: false, membershipSensitive: false}";
  const none = repo({ "ai-system.yaml": [...base, hosted].join("\n") });
  expect(await findings(none, "supplier-assurance-missing")).toEqual([
    "ai-system.yaml:4:1 open RUNTIMEMODELPOISON (Direct runtime model poisoning) is the supplier's to mitigate, but no responsibilities entry covers it",
  ]);
  const expired = repo({
    "ai-system.yaml": [
      ...base,
      hosted,
      "responsibilities:",
      "  - {supplier: Acme, share: supplier, threats: [RUNTIMEMODELPOISON], assurance: [soc2.md, gone.md], expires: 2026-01-31}",
    ].join("\n"),
    "soc2.md": "Acme SOC 2",
  });
  expect(await findings(expired, "supplier-assurance-missing")).toEqual([
    "ai-system.yaml:6:91 open RUNTIMEMODELPOISON (Direct runtime model poisoning) is the supplier's to mitigate, but assurance document gone.md does not exist",
    "ai-system.yaml:6:110 open RUNTIMEMODELPOISON (Direct runtime model poisoning) is the supplier's to mitigate, but the assurance from Acme expired on 2026-01-31",
  ]);
});

test("acceptances: expired ones are errors; a long one is a warning; a current one accepts by rule and path", async () => {
  const root = repo({
    "ai-system.yaml": [
      ...base,
      "profile: {isGenAI: false}",
      "riskAcceptances:",
      "  - {id: RA-1, rule: secrets-file-committed, paths: ['fixtures/**'], justification: test fixtures hold fake keys only, approver: sec@example.com, approved: 2026-01-01, expires: 2027-06-30}",
      "  - {id: RA-2, rule: secrets-file-committed, justification: an old acceptance for something else, approver: sec@example.com, expires: 2026-01-01}",
    ].join("\n"),
    "fixtures/.env": "KEY=fake",
    "app/.env": "KEY=real",
  });
  expect(await findings(root, "secrets-file-committed")).toEqual([
    "app/.env:1:1 open app/.env usually holds credentials (API keys for model providers, cloud or hub tokens) and is committed",
    "fixtures/.env:1:1 accepted fixtures/.env usually holds credentials (API keys for model providers, cloud or hub tokens) and is committed",
  ]);
  expect(await findings(root, "risk-acceptance-expired")).toEqual([
    "ai-system.yaml:7:135 open risk acceptance RA-2 for secrets-file-committed expired on 2026-01-01; the findings it covered are open again",
  ]);
  expect(await findings(root, "risk-acceptance-too-long")).toEqual([
    "ai-system.yaml:6:178 open risk acceptance RA-1 for secrets-file-committed runs 545 days; acceptances are reviewed at least yearly",
  ]);
});

test("an acceptance naming an unknown rule is a located reference error", async () => {
  const root = repo({
    "ai-system.yaml": [
      ...base,
      "profile: {}",
      "riskAcceptances:",
      "  - {rule: secrets-file, justification: a justification long enough, approver: a@example.com, expires: 2027-01-01}",
    ].join("\n"),
  });
  expect(await findings(root, "manifest-reference")).toEqual([
    'ai-system.yaml:6:12 open risk acceptance names unknown rule "secrets-file" (did you mean "secrets-file-committed"?)',
  ]);
});

test("files: artifacts over the size limit are findings (sparse files: no bytes written)", async () => {
  const root = repo({ "ai-system.yaml": [...base, "profile: {}"].join("\n"), "models/big.safetensors": { size: 60 * 1024 * 1024 }, "models/small.onnx": "x" });
  expect(await findings(root, "large-artifact-in-git")).toEqual([
    "models/big.safetensors:1:1 open models/big.safetensors is 60 MiB (over 50 MiB) and sits in Git, where every clone copies it and access cannot be revoked",
  ]);
});

test("facts: each unstated core fact is a note naming the threats it added", async () => {
  const root = repo({
    "ai-system.yaml": [
      ...base,
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
    ].join("\n"),
  });
  expect(await findings(root, "profile-fact-unstated")).toEqual([
    expect.stringMatching(/^ai-system\.yaml:4:1 open profile\.inputSensitive is not stated .*assumed: INPUTDATALEAK$/),
  ]);
});
