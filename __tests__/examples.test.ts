// The bundled examples: their exact findings, their verdicts, and the Exchange analysis agreeing
// with the seed overview's plain rules on these typical systems.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "../src/run.js";
import type { Report } from "../src/report/types.js";
import { packageRoot } from "../src/util/package-root.js";
import { EXAMPLES, EXAMPLES_TODAY, findingLines } from "./examples.helpers.js";

const reports = new Map<string, Report>();
beforeAll(async () => {
  for (const name of EXAMPLES) reports.set(name, await run({ root: join(packageRoot(), "examples", name), today: EXAMPLES_TODAY }));
});

const applies = (r: Report, id: string) => r.systems[0]!.threats.find((t) => t.id === id)!;

test.each(EXAMPLES)("%s reports exactly its expected findings", (name) => {
  const expected = readFileSync(join(packageRoot(), "examples", name, "expected-findings.txt"), "utf8")
    .trim()
    .split("\n");
  expect(findingLines(reports.get(name)!)).toEqual(expected);
});

test("verdicts: the assistant passes, the classifier and the agent fail the default gate", () => {
  expect(reports.get("support-assistant")!.summary.passed).toBe(true);
  expect(reports.get("claims-triage")!.summary.passed).toBe(false);
  expect(reports.get("ops-agent")!.summary.passed).toBe(false);
});

describe("the seed overview's rules hold on the examples", () => {
  test("GenAI that does not classify: evasion and model inversion are ignored", () => {
    for (const name of ["support-assistant", "ops-agent"]) {
      const r = reports.get(name)!;
      expect(applies(r, "EVASION").applies).toBe(false);
      expect(applies(r, "MODELINVERSION").applies).toBe(false);
    }
  });
  test("no training: development-time threats are ignored except the supply chain", () => {
    const r = reports.get("support-assistant")!;
    for (const id of ["DEVMODELPOISON", "DEVDATALEAK", "DEVMODELLEAK"]) expect([id, applies(r, id).applies]).toEqual([id, false]);
    expect(applies(r, "SUPPLYMODELPOISON")).toMatchObject({ applies: true, responsibility: "self" });
  });
  test("a RAG store is treated like training data: its poisoning applies without training", () => {
    const r = reports.get("support-assistant")!;
    expect(applies(r, "DATAPOISON").applies).toBe(true);
    expect(applies(r, "AUGMENTATIONDATAMANIPULATION").applies).toBe(true);
  });
  test("membership inference only where membership is harmful", () => {
    expect(applies(reports.get("claims-triage")!, "MEMBERSHIPINFERENCE").applies).toBe(true);
    expect(applies(reports.get("support-assistant")!, "MEMBERSHIPINFERENCE").applies).toBe(false);
  });
  test("no sensitive input: leaking input data is ignored unless sensitive retrieved data enters the prompt", () => {
    expect(applies(reports.get("support-assistant")!, "INPUTDATALEAK").applies).toBe(true); // inputSensitive
    // ops-agent states inputSensitive: false, but its runbooks (sensitive) are put into the prompt: the current Exchange's refinement.
    expect(applies(reports.get("ops-agent")!, "INPUTDATALEAK").reasons.map((x) => x.rule)).toEqual(["rag-retrieved-data-is-input"]);
  });
  test("a classifier trained in-house gets evasion and development-time threats", () => {
    const r = reports.get("claims-triage")!;
    for (const id of ["EVASION", "DATAPOISON", "DEVDATALEAK", "MODELEXFILTRATION"]) expect([id, applies(r, id).applies]).toEqual([id, true]);
  });
  test("a model hosted by a supplier leaves runtime model poisoning to the supplier", () => {
    expect(applies(reports.get("support-assistant")!, "RUNTIMEMODELPOISON").responsibility).toBe("supplier");
    expect(applies(reports.get("ops-agent")!, "RUNTIMEMODELPOISON").responsibility).toBe("self");
  });
});

test("risk acceptances: a current one accepts, an expired one is a finding and accepts nothing", () => {
  const assistant = reports.get("support-assistant")!;
  expect(assistant.findings.find((f) => f.ruleId === "planned-control-overdue")).toMatchObject({
    status: "accepted",
    acceptedBy: expect.stringContaining("RA-2026-014"),
  });
  const claims = reports.get("claims-triage")!;
  expect(claims.findings.find((f) => f.ruleId === "risk-acceptance-expired")).toMatchObject({ status: "open", severity: "error", line: 131, column: 14 });
  expect(claims.findings.filter((f) => f.threats.includes("EVASION") && f.status === "accepted")).toEqual([]);
});

test("the control matrix shows supplier controls and failing controls", () => {
  const c = (r: Report, id: string) => r.systems[0]!.controls.find((x) => x.id === id)!.status;
  expect(c(reports.get("support-assistant")!, "RUNTIMEMODELINTEGRITY")).toBe("supplier");
  expect(c(reports.get("ops-agent")!, "OVERSIGHT")).toBe("fail");
  expect(c(reports.get("claims-triage")!, "PROMPTINJECTIONIOHANDLING")).toBe("not-applicable");
});
