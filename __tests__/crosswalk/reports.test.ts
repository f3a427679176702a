// The crosswalk where users look, on the bundled examples: the JSON report's `standards` on every
// finding and control (valid against schemas/report.schema.json), SARIF rule tags and properties
// (valid SARIF, within GitHub's tag limit), `explain`'s references, and the `--standard` matrix in
// explain, the text summary and the Markdown job summary (an unknown standard is a usage error).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { loadCrosswalk, refsFor } from "../../src/crosswalk/index.js";
import { matrixText, standardMatrix } from "../../src/crosswalk/matrix.js";
import { renderExplain } from "../../src/explain.js";
import { renderJson } from "../../src/report/json.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { renderSarif } from "../../src/report/sarif.js";
import { renderText } from "../../src/report/text.js";
import type { Report } from "../../src/report/types.js";
import { run } from "../../src/run.js";
import { packageRoot } from "../../src/util/package-root.js";
import { EXAMPLES, EXAMPLES_TODAY } from "../examples.helpers.js";
import { hostileReport, markdownProblems, terminalProblems } from "../report/hostile.helpers.js";
import { cliInProcess } from "../helpers/cli.js";

const root = packageRoot();
const reports = new Map<string, Report>();
beforeAll(async () => {
  for (const name of EXAMPLES) reports.set(name, await run({ root: join(root, "examples", name), today: EXAMPLES_TODAY }));
}, 120_000);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("JSON report", () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(join(root, "schemas/report.schema.json"), "utf8")));

  test.each(EXAMPLES)("%s: every finding and every control carries standards; the report matches its schema", (name) => {
    const json = JSON.parse(renderJson(reports.get(name)!)) as Json;
    expect(validate(json) ? [] : validate.errors).toEqual([]);
    expect(json.findings.length).toBeGreaterThan(0);
    for (const f of json.findings) {
      expect([f.ruleId, Object.keys(f.standards).length > 0]).toEqual([f.ruleId, true]);
      expect(f.standards).toEqual(refsFor(f.control, f.threats));
    }
    const controls = json.systems.flatMap((s: Json) => s.controls);
    expect(controls.find((c: Json) => c.id === "OVERSIGHT").standards).toMatchObject({ "eu-ai-act": ["Art.14"] });
    expect(controls.find((c: Json) => c.id === "MONITORUSE").standards).toMatchObject({
      "mitre-atlas": ["AML.M0024"],
      "iso-42001": expect.arrayContaining(["A.6.2.6"]),
    });
    expect(json.standards.map((s: Json) => s.id)).toEqual(expect.arrayContaining(["owasp-llm-2025", "eu-ai-act", "nist-ai-rmf"]));
  });

  test("a prompt injection finding names LLM01", () => {
    const f = refsFor("PROMPTINJECTIONIOHANDLING", ["DIRECTPROMPTINJECTION", "INDIRECTPROMPTINJECTION"]);
    expect(f["owasp-llm-2025"]).toEqual(["LLM01"]);
    expect(f["mitre-atlas"]).toEqual(expect.arrayContaining(["AML.T0051.000", "AML.T0051.001"]));
  });
});

describe("SARIF", () => {
  test.each(EXAMPLES)("%s: rules carry standard/<standard>/<item> tags (10 at most) and every reference in properties", (name) => {
    const log = JSON.parse(renderSarif(reports.get(name)!)) as Json;
    const rules: Json[] = log.runs.flatMap((r: Json) => r.tool.driver.rules);
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      const tags: string[] = rule.properties.tags;
      expect(tags.length).toBeLessThanOrEqual(10);
      expect(new Set(tags).size).toBe(tags.length);
      expect(tags.slice(0, 2)).toEqual(["security", "ai"]);
      const std = tags.filter((x) => x.startsWith("standard/"));
      expect([rule.id, std.length > 0]).toEqual([rule.id, true]);
      for (const tag of std) {
        const [, s, item] = /^standard\/([^/]+)\/(.+)$/.exec(tag)!;
        expect(rule.properties.standards[s!]).toContain(item);
      }
      expect(rule.help.markdown).toMatch(/\*\*Standards\.\*\* /);
    }
  });

  test("tags take one item of each standard in turn", () => {
    const log = JSON.parse(renderSarif(reports.get("ops-agent")!)) as Json;
    const rule = log.runs[0].tool.driver.rules.find((r: Json) => r.id === "tool-write-without-approval");
    expect(rule.properties.tags).toEqual(expect.arrayContaining(["control/OVERSIGHT", "standard/eu-ai-act/Art.14"]));
    const standards = rule.properties.tags.filter((x: string) => x.startsWith("standard/")).map((x: string) => x.split("/")[1]);
    expect(new Set(standards.slice(0, Object.keys(rule.properties.standards).length)).size).toBe(
      Math.min(standards.length, Object.keys(rule.properties.standards).length),
    );
  });
});

describe("explain and --standard", () => {
  test("explain lists each control's references", () => {
    const text = renderExplain(reports.get("support-assistant")!.systems[0]!);
    expect(text).toMatch(/^ {2}OVERSIGHT +verified.*\n {6}standards: .*eu-ai-act Art\.14/m);
  });

  test("the matrix groups a system's applicable controls by clause, with their status", () => {
    const s = reports.get("ops-agent")!.systems[0]!;
    const m = standardMatrix(s, "eu-ai-act");
    const art14 = m.rows.find((r) => r.item.id === "Art.14")!;
    expect(art14.controls).toEqual([{ id: "OVERSIGHT", status: s.controls.find((c) => c.id === "OVERSIGHT")!.status, via: [] }]);
    expect(m.rows.length + m.uncovered).toBe(12);
    // A risk list: controls count under an item through the applicable threats they mitigate.
    const llm01 = standardMatrix(s, "owasp-llm-2025").rows.find((r) => r.item.id === "LLM01")!;
    expect(llm01.controls.find((c) => c.id === "PROMPTINJECTIONIOHANDLING")!.via).toEqual([]);
    expect(llm01.controls.find((c) => c.id === "RATELIMIT")?.via).toEqual(expect.arrayContaining(["PROMPTINJECTION"]));
    const text = matrixText([s], "eu-ai-act").join("\n");
    expect(text).toMatch(/^ {2}Art\.14 Human oversight\n {6}OVERSIGHT +(verified|claimed|not-claimed|fail|accepted|supplier)$/m);
  });

  test("explain --standard prints the matrix; an unknown standard is a usage error with did you mean", async () => {
    const ok = await cliInProcess(["explain", "examples/support-assistant", "--standard", "eu-ai-act"]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^system support-assistant: EU AI Act .*\(clause -> controls -> status\)$/m);
    expect(ok.out).toMatch(/^ {2}Art\.12 Record-keeping\n {6}MONITORUSE +[a-z-]+$/m);
    const bad = await cliInProcess(["explain", "examples/support-assistant", "--standard", "eu-act"]).catch((e: Error) => ({
      code: -1,
      out: "",
      err: e.message,
    }));
    expect(bad.err).toMatch(/--standard: unknown standard "eu-act" \(did you mean "eu-ai-act"\?\)/);
  });

  test("explain --rule shows a rule's references with titles, links and provenance; an unknown id is refused with did you mean", async () => {
    const r = await cliInProcess(["explain", "--rule", "tool-write-without-approval"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^rule tool-write-without-approval: .*\n {2}control OVERSIGHT/);
    expect(r.out).toMatch(/^ {4}Art\.14 Human oversight {2}https:\/\/eur-lex\.europa\.eu\/.*#art_14\n {8}from OVERSIGHT: reviewed: human oversight$/m);
    expect(r.out).toMatch(
      /^ {4}AML\.M0029 Human In-the-Loop for AI Agent Actions .*\n {8}from OVERSIGHT: source OWASP\/www-project-ai-security-and-privacy-guide@5413fde06349 content\/ai_exchange\/content\/docs\/1_general_controls\.md$/m,
    );
    expect((await cliInProcess(["explain", "--rule", "directpromptinjection"])).out).toMatch(
      /^threat DIRECTPROMPTINJECTION: Direct prompt injection\n[\s\S]*LLM01 Prompt Injection/,
    );
    await expect(cliInProcess(["explain", "--rule", "tool-write-without-aproval"])).rejects.toThrow(/did you mean "tool-write-without-approval"/);
  });

  test("the text summary and the Markdown job summary show the matrix before the verdict", () => {
    const r = reports.get("claims-triage")!;
    const text = renderText(r, { standard: "nist-ai-rmf" });
    expect(text).toMatch(/^system claims-triage: NIST AI Risk Management Framework 1\.0/m);
    expect(text.trimEnd().split("\n").at(-1)).toMatch(/Gate \(fail-on error\): failed$/);
    expect(renderText(r)).not.toMatch(/clause -> controls/);
    const md = renderMarkdown(r, { standard: "iso-42001" });
    expect(md).toMatch(/^### ISO\/IEC 42001 .*: controls by clause$/m);
    expect(md).toMatch(
      /^\| \[A\.6\.2\.6\]\(https:\/\/www\.iso\.org\/standard\/81230\.html\) AI system operation and monitoring \| CONTINUOUSVALIDATION \| \S+ [a-z-]+ \|\n\| {2}\| MONITORUSE \| \S+ [a-z-]+ \|$/m,
    );
    expect(renderMarkdown(r)).not.toMatch(/controls by clause/);
  });

  test("hostile system names reach the matrix escaped (terminal and Markdown)", () => {
    const r = hostileReport();
    for (const s of r.systems)
      s.controls.push({
        id: "OVERSIGHT",
        title: "Oversight",
        link: "https://owaspai.org/go/oversight/",
        status: "fail",
        claimed: null,
        because: [],
        findings: 1,
      });
    for (const standard of ["eu-ai-act", "owasp-llm-2025"]) {
      expect(terminalProblems(renderText(r, { standard }))).toEqual([]);
      expect(terminalProblems(matrixText(r.systems, standard).join("\n"))).toEqual([]);
      // The clauses' links are the crosswalk's own data (checked by its schema); what comes from the repository is checked here.
      const own = new Set(loadCrosswalk().standards.flatMap((x) => x.items.map((i) => i.link)));
      const md = renderMarkdown(r, { standard }).replace(/\]\((https:\/\/[^)\s]+)\)/g, (m, url: string) => (own.has(url) ? "]" : m));
      expect(md).toMatch(/controls by clause/);
      expect(markdownProblems(md)).toEqual([]);
    }
  });
});
