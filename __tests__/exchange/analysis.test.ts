import { analyse, factConflicts, normaliseFacts } from "../../src/exchange/analysis.js";
import { loadTaxonomy } from "../../src/exchange/taxonomy.js";

const t = loadTaxonomy();
const threat = (a: ReturnType<typeof analyse>, id: string) => a.threats.find((x) => x.id === id)!;

describe("the taxonomy's seed cases", () => {
  test.each(t.seedCases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const a = analyse(t, c.profile);
    for (const id of c.expectInclude) expect([id, threat(a, id).applies]).toEqual([id, true]);
    for (const id of c.expectIgnore) expect([id, threat(a, id).applies]).toEqual([id, false]);
    for (const id of c.expectDeprioritized ?? []) expect([id, threat(a, id).priority]).toEqual([id, "low"]);
    for (const [id, who] of Object.entries(c.expectResponsibility ?? {})) expect([id, threat(a, id).responsibility]).toEqual([id, who]);
  });
});

describe("unstated facts", () => {
  test("an unstated fact lets include rules fire and says it was assumed", () => {
    const a = analyse(t, { isGenAI: true, isLLM: true, untrustedInput: true });
    const leak = threat(a, "INPUTDATALEAK");
    expect(leak.applies).toBe(true);
    expect(leak.assumed).toBe(true);
    expect(leak.reasons.some((r) => r.assumed.includes("inputSensitive"))).toBe(true);
  });

  test("stating the fact removes the assumption", () => {
    const a = analyse(t, { isGenAI: true, isLLM: true, untrustedInput: true, inputSensitive: false, usesRAG: false });
    expect(threat(a, "INPUTDATALEAK").applies).toBe(false);
  });

  test("an unstated fact never fires an ignore rule", () => {
    // trainsOrFinetunes unstated: development-time data poisoning stays in.
    const a = analyse(t, { isGenAI: false });
    expect(threat(a, "DATAPOISON").applies).toBe(true);
    expect(threat(a, "DATAPOISON").assumed).toBe(true);
  });

  test("core facts without a value are listed as unstated; optional ones take their default", () => {
    const n = normaliseFacts(t, { isLLM: true });
    expect(n.facts.isGenAI).toBe(true);
    expect(n.implied.isGenAI).toMatch(/generative/);
    expect(n.unstated).toContain("usesRAG");
    expect(n.defaulted).toContain("isClassifier");
  });
});

test("a stated fact that breaks a constraint is reported", () => {
  expect(factConflicts(t, { isLLM: true, isGenAI: false })).toEqual([expect.objectContaining({ fact: "isGenAI", because: "isLLM" })]);
});

test("controls: always-apply controls apply, supplier threats make SUPPLYCHAINMANAGE apply", () => {
  const a = analyse(t, t.seedCases[0]!.profile);
  const c = (id: string) => a.controls.find((x) => x.id === id)!;
  expect(c("AIPROGRAM").applies).toBe(true);
  expect(c("SUPPLYCHAINMANAGE").owner).toBe("self");
  expect(c("OBFUSCATETRAININGDATA").applies).toBe(false); // relevant only when training
});

test("a manifest responsibility changes who mitigates a threat", () => {
  const profile = t.seedCases[0]!.profile;
  const a = analyse(t, profile, [{ threats: ["AIRESOURCEEXHAUSTION"], share: "shared", supplier: "Acme" }]);
  expect(threat(a, "AIRESOURCEEXHAUSTION").responsibility).toBe("shared");
});
