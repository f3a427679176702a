// scripts/build-crosswalk.ts's core on fixture texts (no network, no snapshot): which citations of
// an Exchange page become mappings, how a later edition of the LLM Top 10 is matched by title, and
// the catalogues read from ATLAS, the LLM Top 10, the agentic candidates and the CoSAI Risk Map.
import { buildCrosswalk, exchangeCitations, type SourceFile } from "../../src/crosswalk/build.js";

const C = "0123456789abcdef0123456789abcdef01234567";
const file = (repository: string, path: string, text: string): SourceFile => ({ repository: `https://github.com/${repository}`, commit: C, path, text });

const PAGE = [
  "## 2.2 Prompt injection",
  ">Permalink: https://owaspai.org/go/promptinjection/",
  "",
  "### 2.2.1 Direct prompt injection",
  ">Permalink: https://owaspai.org/go/directpromptinjection/",
  "**References**",
  "<!-- OPENCRE_SECTION_CRE_START slug=directpromptinjection -->",
  "- [OpenCRE: Direct prompt injection](https://opencre.org/cre/686-110)",
  "    - [OWASP Top10 for LLM: sec. LLM01:2026: Prompt Injection](https://genai.owasp.org/x/)",
  "    - [MITRE ATLAS: sec. AML.T0051.000: LLM Prompt Injection: Direct](https://atlas.mitre.org/techniques/AML.T0051.000)",
  "    - [NIST AI 100-2: sec. 3.3: Direct Prompt Injection Attacks](https://csrc.nist.gov/pubs/ai/100/2/e2023/final)",
  "<!-- OPENCRE_SECTION_CRE_END slug=directpromptinjection -->",
  "#### Details",
  "See [MITRE ATLAS - Jailbreak](https://atlas.mitre.org/techniques/AML.T0054) and [an unknown one](https://atlas.mitre.org/techniques/AML.T9999).",
  "```",
  "ISO/IEC 42001 B.1.1 inside a code block is not a citation",
  "```",
  "#### #MONITOR USE",
  ">Permalink: https://owaspai.org/go/monitoruse/",
  "  - ISO/IEC 42001 B.6.2.6 discusses AI system operation and monitoring.",
  "    - [OWASP Top10 for LLM: sec. LLM10:2026: Improper Output Handling](https://genai.owasp.org/x/)",
  "    - [OWASP Top10 for LLM: sec. LLM11:2026: Something New](https://genai.owasp.org/x/)",
  "#### #NOT A CONTROL",
  ">Permalink: https://owaspai.org/go/notacontrol/",
  "- [MITRE ATLAS: sec. AML.M0024: AI Telemetry Logging](https://atlas.mitre.org/mitigations/AML.M0024)",
].join("\n");

const ATLAS = [
  "id: ATLAS",
  "version: 9.9.9",
  "matrices:",
  "- id: ATLAS",
  "  techniques:",
  "  - { id: AML.T0051, name: LLM Prompt Injection }",
  "  - { id: AML.T0051.000, name: Direct, subtechnique-of: AML.T0051 }",
  "  - { id: AML.T0054, name: LLM Jailbreak }",
  "  mitigations:",
  "  - { id: AML.M0024, name: AI Telemetry Logging }",
].join("\n");

const llm = (n: string, title: string) => file("OWASP/llm", `2_0_vulns/LLM${n}_X.md`, `## LLM${n}:2025 ${title}\n\n### Description\n`);
const agentic = (n: string, title: string) => file("OWASP/llm", `initiatives/a/ASI${n}_X.md`, `## Risk/Vuln Name\n**${title}**\n`);

const input = {
  exchange: [file("OWASP/www-project-ai-security-and-privacy-guide", "content/docs/2.md", PAGE)],
  atlas: file("mitre-atlas/atlas-data", "dist/ATLAS.yaml", ATLAS),
  llmTop10: [llm("01", "Prompt Injection"), llm("05", "Improper Output Handling")],
  agentic: [agentic("01", "Memory Poisoning"), agentic("16", "Beyond the list")],
  cosai: {
    risks: file("cosai-oasis/secure-ai-tooling", "risk-map/yaml/risks.yaml", "risks:\n  - { id: riskPromptInjection, title: Prompt Injection }\n"),
    controls: file("cosai-oasis/secure-ai-tooling", "risk-map/yaml/controls.yaml", "controls:\n  - { id: controlRedTeaming, title: Red Teaming }\n"),
  },
  ids: {
    controls: [{ id: "MONITORUSE", aliases: [] }],
    threats: [
      { id: "PROMPTINJECTION", aliases: [] },
      { id: "DIRECTPROMPTINJECTION", aliases: [] },
    ],
  },
};

test("citations carry the slug of the section they are in (OpenCRE blocks, permalinks, subsections), never from code blocks", () => {
  const c = exchangeCitations(PAGE).map((x) => `${x.slug} ${x.standard} ${x.id}${x.edition ? `:${x.edition}` : ""}`);
  expect(c).toEqual([
    "directpromptinjection owasp-llm LLM01:2026",
    "directpromptinjection mitre-atlas AML.T0051.000",
    "directpromptinjection nist-ai-100-2 3.3",
    "directpromptinjection mitre-atlas AML.T0054",
    "directpromptinjection mitre-atlas AML.T9999",
    "monitoruse iso-42001 A.6.2.6",
    "monitoruse owasp-llm LLM10:2026",
    "monitoruse owasp-llm LLM11:2026",
    "notacontrol mitre-atlas AML.M0024",
  ]);
});

test("mappings: sources pinned per entry; a later LLM edition counts by title; what does not resolve is skipped, never guessed", () => {
  const { file: out, skipped } = buildCrosswalk(input);
  const m = out.mappings.map((x) => `${x.from} ${x.standard} ${x.items.join(",")}`);
  expect(m).toEqual([
    "DIRECTPROMPTINJECTION mitre-atlas AML.T0051.000,AML.T0054",
    "DIRECTPROMPTINJECTION nist-ai-100-2 3.3",
    "DIRECTPROMPTINJECTION owasp-llm-2025 LLM01",
    "MONITORUSE iso-42001 A.6.2.6",
    "MONITORUSE owasp-llm-2025 LLM05",
  ]);
  for (const x of out.mappings)
    expect(x.source).toMatchObject({ repository: "https://github.com/OWASP/www-project-ai-security-and-privacy-guide", commit: C, path: "content/docs/2.md" });
  expect(out.mappings.find((x) => x.standard === "owasp-llm-2025" && x.from === "MONITORUSE")!.source!.locator).toMatch(
    /cited as LLM10:2026; the 2025 item of the same title is LLM05/,
  );
  expect(skipped).toEqual([
    expect.stringMatching(/DIRECTPROMPTINJECTION cites AML\.T9999, which ATLAS 9\.9\.9 does not list/),
    expect.stringMatching(/MONITORUSE cites LLM11:2026 "Something New", a title no 2025 item has/),
    expect.stringMatching(/section \/go\/notacontrol\/ is not a control or threat/),
  ]);
});

test("catalogues: ATLAS sub-techniques titled with their parent, the LLM Top 10 from its files, T1..T15, CoSAI risks and controls, NIST AI 100-2 from the citations", () => {
  const { file: out } = buildCrosswalk(input);
  const items = (id: string) => out.standards.find((s) => s.id === id)!.items.map((i) => `${i.id} ${i.title}`);
  expect(items("mitre-atlas")).toEqual([
    "AML.M0024 AI Telemetry Logging",
    "AML.T0051 LLM Prompt Injection",
    "AML.T0051.000 LLM Prompt Injection: Direct",
    "AML.T0054 LLM Jailbreak",
  ]);
  expect(out.standards.find((s) => s.id === "mitre-atlas")!.version).toBe("9.9.9");
  expect(items("owasp-llm-2025")).toEqual(["LLM01 Prompt Injection", "LLM05 Improper Output Handling"]);
  expect(items("owasp-agentic-threats")).toEqual(["T1 Memory Poisoning"]);
  expect(items("cosai-risk-map")).toEqual(["riskPromptInjection Prompt Injection", "controlRedTeaming Red Teaming"]);
  expect(items("nist-ai-100-2")).toEqual(["3.3 Direct Prompt Injection Attacks"]);
  for (const s of out.standards) expect(s.source?.commit).toBe(C);
});
