// The `fold` summary kind through run() with the whole built-in pack: a control a pack raised above
// the summary, or one a current acceptance names, stays a finding of its own rule; the summary's
// severity is the worst of what it lists; a single unaccounted control is its own rule's finding.
import { loadTaxonomy } from "../../../src/exchange/taxonomy.js";
import { runCase } from "../../../src/policy/rule-tester.js";

const HEAD = "apiVersion: aigate/v1\nname: sys\nowner: {team: t, contact: t@example.com}\n";
const LLM_APP =
  "profile: {isGenAI: true, isLLM: true, trainsOrFinetunes: false, usesRAG: true, trainingDataSensitive: false, membershipSensitive: false, inputSensitive: true, modelIsIP: false, modelHostedExternally: true, untrustedInput: true, hasAgency: true}\n";
const sys = HEAD + LLM_APP;
const allClaimed = () =>
  sys +
  "controls:\n" +
  loadTaxonomy()
    .controls.map((c) => `  ${c.id}: {status: not-applicable, note: out of scope for this test}\n`)
    .join("");
const raise = (rule: string, severity: string) =>
  `apiVersion: aigate/v1\nkind: PolicyPack\nname: org\nversion: '1'\noverrides:\n  - { rule: ${rule}, severity: ${severity} }\n`;

describe("controls-unaccounted leaves on their own", () => {
  test("a control a pack raised to error, and the others folded", async () => {
    const r = await runCase({ files: { "ai-system.yaml": sys }, packs: [raise("control-ratelimit-accounted", "error")] });
    const own = r.findings.filter((f) => f.ruleId.startsWith("control-"));
    expect(own.map((f) => `${f.ruleId} ${f.severity}`)).toEqual(["control-ratelimit-accounted error"]);
    const folded = r.findings.filter((f) => f.ruleId === "controls-unaccounted");
    expect(folded).toHaveLength(1);
    expect(folded[0]!.message).not.toContain("RATELIMIT");
  });
  test("a control a current acceptance names stays its own, accepted; an expired one's is folded", async () => {
    const ra = (control: string, expires: string) =>
      `  - {control: ${control}, justification: handled by the platform's gateway, approver: a@example.com, expires: ${expires}}\n`;
    const files = { "ai-system.yaml": sys + "riskAcceptances:\n" + ra("RATELIMIT", "2027-01-31") + ra("DATAMINIMIZE", "2026-01-31") };
    const r = await runCase({ files });
    expect(r.findings.filter((f) => f.ruleId.startsWith("control-")).map((f) => `${f.ruleId} ${f.status}`)).toEqual(["control-ratelimit-accounted accepted"]);
    const folded = r.findings.find((f) => f.ruleId === "controls-unaccounted")!;
    expect(folded.message).toContain("DATAMINIMIZE");
    expect(folded.message).not.toContain("RATELIMIT");
  });
  test("only notes left: the summary is a note", async () => {
    const onlyNotes = allClaimed()
      .replace(/ {2}(SECDEVPROGRAM|DATAMINIMIZE|SHORTRETAIN|RATELIMIT): .*\n/g, "")
      .replace(/ {2}(DEVPROGRAM|CHECKCOMPLIANCE): .*\n/g, "");
    const r = await runCase({
      files: { "ai-system.yaml": onlyNotes },
      packs: [
        raise("control-secdevprogram-accounted", "note") +
          "  - { rule: control-dataminimize-accounted, severity: note }\n  - { rule: control-shortretain-accounted, severity: note }\n  - { rule: control-ratelimit-accounted, severity: note }\n",
      ],
    });
    const folded = r.findings.filter((f) => f.ruleId === "controls-unaccounted");
    expect(folded.map((f) => f.severity)).toEqual(["note"]);
    expect(folded[0]!.message).toMatch(/\(6\): /);
  });
  test("a single unaccounted control is reported by its own rule", async () => {
    const one = allClaimed().replace(/ {2}RATELIMIT: .*\n/, "");
    const r = await runCase({ files: { "ai-system.yaml": one } });
    expect(r.findings.filter((f) => /^control/.test(f.ruleId)).map((f) => f.ruleId)).toEqual(["control-ratelimit-accounted"]);
  });
});
