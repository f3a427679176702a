// Hostile strings (mentions, HTML, aigate's own markers, workflow commands, terminal escapes, bidi
// marks, table breakers, 10,000-character names, a forged verdict) as paths, system names and
// messages, through every reporter of the registry and `explain`: nothing from content reaches a
// terminal, the runner's log or Markdown unescaped, and the verdict line is the gate's.
import { withStandards } from "../../src/crosswalk/report.js";
import { renderExplain } from "../../src/explain.js";
import { REPORTERS, reporter } from "../../src/report/index.js";
import { MARKDOWN_MAX_BYTES, renderMarkdown } from "../../src/report/markdown.js";
import type { Report } from "../../src/report/types.js";
import { mdCode, mdText, termLocation, termText } from "../../src/util/escape.js";
import { HOSTILE, hostileFindings, hostileReport, markdownProblems, terminalProblems, withoutCodeSpans } from "./hostile.helpers.js";

const render = (format: string, r: Report, color = false) => reporter(format)!.render(r, { color });

test("every reporter of the registry is covered here", () => {
  expect(REPORTERS.map((r) => r.meta.format).sort()).toEqual(["json", "markdown", "sarif", "text"]);
});

describe("text", () => {
  for (const color of [false, true]) {
    test(`no escape, control or bidi character and no workflow command from content (colour ${color})`, () => {
      const r = hostileReport();
      const out = render("text", r, color);
      expect(terminalProblems(out, { colour: color })).toEqual([]);
      // Every open finding has a line that starts with its (escaped) location; accepted ones are
      // listed indented, pre-existing ones counted; every other line starts with aigate's own text.
      const lines = out.split("\n").map((l) => l.replace(/\u001b\[\d+m/g, "")); // eslint-disable-line no-control-regex
      for (const f of r.findings.filter((x) => x.status === "open"))
        expect([f.line, lines.some((l) => l.startsWith(`${termLocation(f.path)}:${f.line}:${f.column}: `))]).toEqual([f.line, true]);
      for (const f of r.findings.filter((x) => x.status === "accepted"))
        expect([f.line, lines.some((l) => l.startsWith(`  ${termLocation(f.path)}:${f.line}:${f.column}: `))]).toEqual([f.line, true]);
      expect(out.replace(/\u001b\[\d+m/g, "")).toMatch(/Not listed: 5 pre-existing \(outside the lines the change touches\)/); // eslint-disable-line no-control-regex
      // The verdict is the gate's, on the last line, whatever the messages say.
      expect(
        out
          .trimEnd()
          .split("\n")
          .pop()!
          // eslint-disable-next-line no-control-regex
          .replace(/\u001b\[\d+m/g, ""),
      ).toMatch(/Gate \(fail-on error\): failed$/);
      expect(out.split("\n").filter((l) => /^Gate|Gate \(fail-on/.test(l))).toHaveLength(1);
    });
  }

  test("a location that would start a workflow command is prefixed", () => {
    expect(termLocation("::error::x")).toBe("./::error::x");
    expect(termLocation(" ::error::x")).toBe("./ ::error::x");
    expect(termLocation("\u2003::x")).toBe("./\u2003::x");
    expect(termLocation("")).toBe("./");
    expect(termLocation("src/app.py")).toBe("src/app.py");
    expect(termLocation("\n::error::x")).toBe("\\x0a::error::x");
  });

  test("termText shows every control, DEL, C1 and bidi character as a visible escape", () => {
    expect(termText("a\u001b[2Jb")).toBe("a\\x1b[2Jb");
    expect(termText("\u001b]52;c;aGk=\u0007")).toBe("\\x1b]52;c;aGk=\\x07");
    expect(termText("l1\r\nl2\t\u007f\u0085\u009b")).toBe("l1\\x0d\\x0al2\\x09\\x7f\\x85\\x9b");
    expect(termText("a\u202eb\u2066c\u200fd\u061ce\u2028f\ufeff")).toBe("a\\u{202e}b\\u{2066}c\\u{200f}d\\u{61c}e\\u{2028}f\\u{feff}");
    expect(termText("x ##[error]y")).toBe("x ##\\x5berror]y");
    expect(termText("ünïcode ✅ 日本 👍")).toBe("ünïcode ✅ 日本 👍");
  });
});

describe("markdown", () => {
  test("no raw HTML, comment, mention, reference, link or broken table from content; the verdict line is the gate's", () => {
    const md = render("markdown", hostileReport());
    expect(markdownProblems(md)).toEqual([]);
    expect(md.split("\n")[0]).toBe("## aigate: ❌ failed");
    expect(md.split("\n").filter((l) => l.startsWith("## "))).toEqual(["## aigate: ❌ failed"]);
    // Content's HTML comments exist only inside code spans, where they are text.
    for (const line of md.split("\n")) expect(withoutCodeSpans(line)).not.toContain("<!--");
    // Names are code spans, cut to a bounded length.
    expect(md).toContain(mdCode("@org/team", { table: false }));
    expect(md.length).toBeLessThan(200_000);
  });

  test("a passing gate says passed whatever the content says", () => {
    const r = hostileReport(hostileFindings().map((f) => ({ ...f, status: "accepted" as const })));
    r.summary.passed = true;
    const md = renderMarkdown(r);
    expect(md.split("\n")[0]).toBe("## aigate: ✅ passed");
    expect(markdownProblems(md)).toEqual([]);
  });

  test("stays within its byte budget (GitHub's step summary takes 1 MiB) whatever the number of systems and findings", () => {
    const base = hostileReport();
    const findings = Array.from({ length: 60_000 }, (_, i) => ({
      ...base.findings[i % base.findings.length]!,
      line: i + 1,
      message: `${"m".repeat(300)} ${i} ${HOSTILE[i % HOSTILE.length]}`,
    }));
    const systems = Array.from({ length: 5_000 }, (_, i) => ({ ...base.systems[i % 3]!, name: `system-${i}-${"n".repeat(300)}` }));
    const r: Report = {
      ...base,
      findings,
      systems,
      inventory: {
        ...base.inventory,
        unscanned: Array.from({ length: 5000 }, (_, i) => ({ path: `u${i}${"p".repeat(2000)}`, scanner: "models", reason: "r".repeat(5000) })),
      },
    };
    const md = renderMarkdown(r, { maxFindings: 100_000 });
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(MARKDOWN_MAX_BYTES);
    expect(md).toMatch(/…\d+ more systems in the JSON report\./);
    expect(md).toMatch(/…and \d+ more findings in the JSON report\./);
    expect(md).toMatch(/Not scanned \(5000\)/);
    expect(markdownProblems(md)).toEqual([]);
    const small = renderMarkdown(r, { maxBytes: 64 * 1024, maxFindings: 100_000 });
    expect(Buffer.byteLength(small)).toBeLessThanOrEqual(64 * 1024);
    expect(small.split("\n")[0]).toBe("## aigate: ❌ failed");
    expect(small).toMatch(/more findings in the JSON report/);
  });
});

describe("the Markdown escapes", () => {
  test("mdCode: a code span that holds anything and keeps a table row whole", () => {
    expect(mdCode("a`b")).toBe("``a`b``");
    expect(mdCode("``x")).toBe("``` ``x ```");
    expect(mdCode("`")).toBe("`` ` ``");
    expect(mdCode(" a ")).toBe("`  a  `");
    expect(mdCode("")).toBe("` `");
    expect(mdCode("a|b")).toBe("`a\\|b`");
    expect(mdCode("a|b", { table: false })).toBe("`a|b`");
    expect(mdCode("l1\r\nl2\nl3")).toBe("`l1 l2 l3`");
    expect(mdCode("e\u001b[2J\u202e")).toBe("`e\\x1b[2J\\u{202e}`");
    expect(mdCode("x".repeat(10_000)).length).toBeLessThanOrEqual(260);
    expect(mdCode("x".repeat(10_000))).toMatch(/…`$/);
    for (const h of HOSTILE) {
      const code = mdCode(h);
      // One code span covering the whole value, in one line.
      expect(withoutCodeSpans(code)).toBe("⟦code⟧");
      expect(code).not.toMatch(/\n/);
      expect(markdownProblems(`| ${code} |`)).toEqual([]);
    }
  });

  test("mdText: prose that renders as itself, with nothing GitHub would link, ping or parse", () => {
    expect(mdText("<img src=x>")).toBe("&lt;img src=x&gt;");
    expect(mdText("<!-- aigate:finding x -->")).toBe("&lt;\\!-- aigate:finding x --&gt;");
    expect(mdText("@org/team")).toBe("@&#x2060;org/team");
    expect(mdText("a@b.example")).toBe("a@&#x2060;b.example");
    expect(mdText("#123 gh-4")).toBe("\\#&#x2060;123 gh-&#x2060;4");
    expect(mdText("https://x.example")).toBe("https:&#x2060;//x.example");
    expect(mdText("*a* _b_ [c](d) `e` ~f~ $g$ |")).toBe("\\*a\\* \\_b\\_ \\[c\\]\\(d\\) \\`e\\` \\~f\\~ \\$g\\$ \\|");
    expect(mdText("&amp; &#64;")).toBe("&amp;amp; &amp;\\#&#x2060;64;");
    expect(mdText("l1\nl2\r\nl3")).toBe("l1 l2 l3");
    expect(mdText("x".repeat(5000), 100)).toHaveLength(100);
    for (const h of HOSTILE) expect(markdownProblems(`| ${mdText(h)} |`)).toEqual([]);
  });
});

describe("json and sarif", () => {
  test("json: the report as data, every string intact, no raw control character, no line content starts", () => {
    const r = hostileReport();
    const out = render("json", r);
    expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(withStandards(r))));
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/); // eslint-disable-line no-control-regex
    for (const line of out.split("\n")) expect(line).not.toMatch(/^\s*::/);
  });

  test("sarif: messages intact as plain text, locations percent-encoded, no raw control character", () => {
    const r = hostileReport();
    const out = render("sarif", r);
    const log = JSON.parse(out) as {
      runs: { results: { message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    const results = log.runs.flatMap((x) => x.results);
    expect(results.length).toBeGreaterThan(0);
    const messages = new Set(r.findings.map((f) => (f.remediation ? `${f.message}\n${f.remediation}` : f.message)));
    for (const res of results) {
      expect(messages.has(res.message.text)).toBe(true);
      expect(res.locations[0]!.physicalLocation.artifactLocation.uri).not.toMatch(/[\s<>`|\u0000-\u001f\u007f-\u009f\u202e]/); // eslint-disable-line no-control-regex
    }
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/); // eslint-disable-line no-control-regex
    for (const line of out.split("\n")) expect(line).not.toMatch(/^\s*::/);
  });

  // `##[` (which the runner reads anywhere in a line of a step's output), C1 controls and bidi marks
  // are written as \uXXXX escapes: the printed JSON parses to the same value.
  test("json and sarif printed to a runner's log carry no legacy command prefix, C1 control or bidi mark", () => {
    for (const format of ["json", "sarif"]) expect(terminalProblems(render(format, hostileReport()))).toEqual([]);
  });
});

describe("explain", () => {
  test("no escape, control or bidi character and no workflow command from the manifest's names", () => {
    const r = hostileReport();
    for (const s of r.systems) {
      const out = renderExplain(s);
      expect(terminalProblems(out)).toEqual([]);
      expect(out.startsWith(`system ${termText(s.name)} (`)).toBe(true);
    }
  });
});
