// The crosswalk data (policies/crosswalk/): no dangling id (a mapping naming a control or threat the
// taxonomy lacks, or an item its standard's catalogue lacks), provenance on every catalogue and
// mapping (a source at a pinned commit, or a reviewed rationale), and coverage, printed and held.
import { coverage, crosswalkProblems, loadCrosswalk, refsFor, refsOf, resolveSelector, STANDARD_ORDER } from "../../src/crosswalk/index.js";
import { loadTaxonomy } from "../../src/exchange/taxonomy.js";
import { loadPacks } from "../../src/policy/load.js";
import { diagnosticCatalogue } from "../../src/findings/diagnostics.js";

const t = loadTaxonomy();
const cw = loadCrosswalk();

test("no dangling id: every mapping names a taxonomy control or threat and items of its standard's catalogue", () => {
  expect(crosswalkProblems(cw, t)).toEqual([]);
});

test("a dangling id is reported, with did you mean", () => {
  const broken = {
    standards: cw.standards,
    mappings: [
      ...cw.mappings,
      { from: "PROMPTINJECTIONN", standard: "owasp-llm-2025", items: ["LLM01"], reviewed: "test" },
      { from: "RATELIMIT", standard: "owasp-llm-2025", items: ["LLM11"], reviewed: "test" },
      { from: "RATELIMIT", standard: "eu-ai-acts", items: ["Art.15"], reviewed: "test" },
      { from: "RATELIMIT", standard: "eu-ai-act", items: ["Art.15"] },
    ],
  };
  const problems = crosswalkProblems(broken, t);
  expect(problems).toEqual([
    expect.stringMatching(/PROMPTINJECTIONN is not a control or threat of the taxonomy \(did you mean PROMPTINJECTION\?\)/),
    expect.stringMatching(/owasp-llm-2025 has no item LLM11/),
    expect.stringMatching(/no standard eu-ai-acts in the catalogues \(did you mean eu-ai-act\?\)/),
    expect.stringMatching(/RATELIMIT -> eu-ai-act\): no provenance/),
  ]);
});

test("provenance on every entry: a source pinned to a commit, or a one-line reviewed rationale", () => {
  for (const e of [...cw.standards, ...cw.mappings]) {
    const name = "from" in e ? `${e.from} -> ${e.standard}` : e.id;
    expect([name, Boolean(e.source) !== Boolean(e.reviewed)]).toEqual([name, true]);
    if (e.source) {
      expect(e.source.repository).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
      expect(e.source.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(e.source.path.length).toBeGreaterThan(0);
    } else expect(e.reviewed).toMatch(/^[^\n]{3,}$/);
  }
});

test("the Exchange mappings are read at the taxonomy's commit", () => {
  const exchange = cw.mappings.filter((m) => m.source?.repository === t.source.repository);
  expect(exchange.length).toBeGreaterThan(40);
  for (const m of exchange) expect(m.source!.commit).toBe(t.source.commit);
});

test("every standard of the display order has a catalogue", () => {
  expect(cw.standards.map((s) => s.id)).toEqual([...STANDARD_ORDER]);
  for (const s of cw.standards) expect(s.items.length).toBeGreaterThan(0);
  expect(cw.standards.find((s) => s.id === "owasp-llm-2025")!.items.map((i) => i.id)).toEqual([
    "LLM01",
    "LLM02",
    "LLM03",
    "LLM04",
    "LLM05",
    "LLM06",
    "LLM07",
    "LLM08",
    "LLM09",
    "LLM10",
  ]);
  expect(cw.standards.find((s) => s.id === "owasp-agentic-threats")!.items.map((i) => i.id)).toEqual(Array.from({ length: 15 }, (_, i) => `T${i + 1}`));
});

test("coverage: controls and threats mapped per standard, by source and reviewed", () => {
  const c = coverage(cw, t);
  const lines = c.rows.map(
    (r) =>
      `${r.standard.padEnd(22)} controls ${String(r.controls).padStart(2)}  threats ${String(r.threats).padStart(2)}  by source ${String(r.bySource).padStart(2)}  reviewed ${String(r.reviewed).padStart(2)}`,
  );
  console.log(
    [`crosswalk coverage: ${c.controls.mapped}/${c.controls.total} controls, ${c.threats.mapped}/${c.threats.total} threats mapped`, ...lines].join("\n"),
  );
  // Every control but model watermarking maps somewhere; only umbrella threats and generic ones do not.
  expect(t.controls.filter((x) => !Object.keys(refsOf(x.id)).length).map((x) => x.id)).toEqual(["MODELWATERMARKING"]);
  expect(
    t.threats
      .filter((x) => !Object.keys(refsOf(x.id)).length)
      .map((x) => x.id)
      .sort(),
  ).toEqual(["DEVCODELEAK", "DEVDATALEAK", "DEVLEAK", "GENERICDEVTHREATS", "GENERICSECTHREATS", "INPUTTHREATS", "RUNTIMECONVENTIONALSEC"]);
  for (const r of c.rows) expect([r.standard, r.controls + r.threats > 0]).toEqual([r.standard, true]);
});

test("every built-in rule and diagnostic carries references", async () => {
  const pack = await loadPacks(t, []);
  const bare = pack.rules.filter((r) => !Object.keys(refsFor(r.control, r.threats)).length).map((r) => r.id);
  expect(bare).toEqual([]);
  const diagnostics = [...diagnosticCatalogue().values()].filter((d) => !Object.keys(refsFor(d.control, d.threats)).length).map((d) => d.id);
  expect(diagnostics).toEqual([]);
});

test("references of a rule merge its control's and threats', in catalogue order", () => {
  const refs = refsFor("PROMPTINJECTIONIOHANDLING", ["DIRECTPROMPTINJECTION"]);
  expect(Object.keys(refs)).toEqual(["owasp-llm-2025", "mitre-atlas", "nist-ai-100-2", "eu-ai-act", "cosai-risk-map"]);
  expect(refs["owasp-llm-2025"]).toEqual(["LLM01"]);
  expect(refs["mitre-atlas"]).toEqual(expect.arrayContaining(["AML.T0051.000", "AML.M0015"]));
});

test("selectors: a standard, a standard's item (any case), or an error with did you mean", () => {
  expect(resolveSelector("eu-ai-act")).toEqual({ standard: "eu-ai-act" });
  expect(resolveSelector("owasp-llm-2025/llm01", { itemAllowed: true })).toEqual({ standard: "owasp-llm-2025", item: "LLM01" });
  expect(resolveSelector("eu-act")).toEqual({ error: expect.stringMatching(/^unknown standard "eu-act" \(did you mean "eu-ai-act"\?\)/) });
  expect(resolveSelector("owasp-llm-2025/LLM1", { itemAllowed: true })).toEqual({
    error: expect.stringMatching(/has no item "LLM1" \(did you mean "owasp-llm-2025\/LLM01"/),
  });
  expect(resolveSelector("owasp-llm-2025/LLM01")).toEqual({ error: expect.stringMatching(/name a standard only/) });
});
