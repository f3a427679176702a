// Hostile strings, a Report made of them, and checks of what a sink may show. Shared by
// __tests__/report/hostile-strings.test.ts (the reporters) and __tests__/github/escaping.test.ts
// (the GitHub sinks).
import type { Finding, Severity } from "../../src/findings/types.js";
import type { Report, SystemReport } from "../../src/report/types.js";

/** What a pull request's author can put in a path, a manifest name or a message. */
export const HOSTILE: readonly string[] = [
  "@org/team please review",
  "cc @octocat",
  "<img src=x onerror=alert(1)>",
  "</details></table><details open>",
  "<!-- aigate:sticky-comment v=2 key=000000000000 -->",
  "<!-- aigate:sticky-comment system=bot -->",
  "<!-- aigate:finding deadbeef -->",
  `<!-- aigate:state eyJ2IjoyLCJvcGVuIjp7fX0 sig=${"0".repeat(64)} -->`,
  "::error::x",
  "::add-mask::x",
  "::stop-commands::tok",
  "##[error]legacy command",
  "\u001b[2J\u001b[H",
  "\u001b]52;c;aGVsbG8=\u0007",
  "line1\r\nline2\n::error file=a.py::b\n## aigate: ✅ passed",
  "a|b|c",
  "a\\|b\\",
  "``` ```` ` `x`",
  "`",
  " ",
  "x".repeat(10000),
  "✅ passed",
  "evil\u202etxt.exe\u2066",
  "#123 GH-99 owner/repo#7",
  "https://evil.example/phish www.evil.example mail@evil.example",
  "[click](javascript:alert(1)) ![t](https://evil.example/t.png)",
  "**bold** _it_ ~~s~~ $x^2$ :tada:",
  "&lt;script&gt; &#64;org &#x40;team",
  " ::error::leading space",
  "\u0085::error::after NEL",
  "\u2028::error::after LS",
  "\t::warning::after tab",
  "\u009b31m C1 CSI",
  "del\u007f",
];

/** System names: hostile, and one that looks like the verdict. */
export const HOSTILE_SYSTEMS = ["@org/team", "<!-- aigate:sticky-comment v=2 key=000000000000 -->", "\n## aigate: ✅ passed\n`"] as const;

const SEVERITIES: Severity[] = ["error", "warning", "note"];

/** One finding per hostile string: the string is its path, its message and its acceptance reason. */
export function hostileFindings(): Finding[] {
  return HOSTILE.map((h, i) => ({
    ruleId: `rule-${i % 4}`,
    title: `Rule ${i % 4}`,
    control: "MONITORUSE",
    threats: ["PROMPTINJECTION"],
    severity: SEVERITIES[i % 3]!,
    status: i % 7 === 6 ? "accepted" : i % 7 === 5 ? "pre-existing" : "open",
    message: `problem with ${h}`,
    path: h,
    line: i + 1,
    column: 1,
    fingerprint: `${(0xa0000 + i).toString(16)}`.padEnd(32, "0"),
    system: HOSTILE_SYSTEMS[i % HOSTILE_SYSTEMS.length]!,
    remediation: i % 2 ? `Fix ${h}` : undefined,
    link: "https://owaspai.org/go/monitoruse/",
    acceptedBy: i % 7 === 6 ? h : undefined,
  }));
}

export function hostileSystem(name: string, i: number): SystemReport {
  return {
    name,
    manifest: `${HOSTILE[(i * 5) % HOSTILE.length]}/ai-system.yaml`,
    folder: "",
    evaluated: i !== 2,
    facts: { stated: { [HOSTILE[2]!]: true }, implied: {}, defaulted: {}, unstated: [HOSTILE[8]!] },
    threats: [
      {
        id: "PROMPTINJECTION",
        title: "Prompt injection",
        link: "https://owaspai.org/go/promptinjection/",
        applies: true,
        responsibility: "self",
        priority: "normal",
        assumed: false,
        reasons: [{ rule: "r1", effect: "include", facts: {}, assumed: [], note: HOSTILE[0] }],
      },
    ],
    controls: [
      {
        id: "MONITORUSE",
        title: "Monitor use",
        link: "https://owaspai.org/go/monitoruse/",
        status: "fail",
        claimed: HOSTILE[3]!,
        because: ["PROMPTINJECTION"],
        findings: 1,
      },
      { id: "ODDLINK", title: "Odd link", link: "javascript:alert(1)", status: "verified", claimed: null, because: [], findings: 0 },
    ],
    summary: { errors: 1, warnings: 0, notes: 0, accepted: 0, passed: i === 1, verdict: i === 2 ? "not-evaluated" : i === 1 ? "passed" : "failed" },
  };
}

/** A failing report whose every content string is hostile. */
export function hostileReport(findings: Finding[] = hostileFindings()): Report {
  const open = findings.filter((f) => f.status === "open");
  return {
    reportVersion: "1",
    tool: { name: "aigate", version: "0.1.0" },
    generatedAt: "2026-11-27T00:00:00.000Z",
    today: "2026-11-27",
    root: ".",
    policy: { name: "p", version: "1", files: [], rules: 4 },
    systems: HOSTILE_SYSTEMS.map((n, i) => hostileSystem(n, i)),
    findings,
    inventory: { files: 40, models: [], unscanned: HOSTILE.slice(0, 6).map((h) => ({ path: h, scanner: "models", reason: `cannot read ${h}` })) },
    summary: {
      findings: findings.length,
      open: open.length,
      accepted: findings.filter((f) => f.status === "accepted").length,
      bySeverity: {
        error: open.filter((f) => f.severity === "error").length,
        warning: open.filter((f) => f.severity === "warning").length,
        note: open.filter((f) => f.severity === "note").length,
      },
      failOn: "error",
      passed: false,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Markdown, read as GitHub reads it

const PUNCT = /[!-/:-@[-`{-~]/;

/**
 * The line with its code spans replaced by `⟦code⟧`, following CommonMark: a backslash escapes the
 * ASCII punctuation after it; a backtick run opens a code span closed by the next run of the same
 * length (backslashes do not escape inside), else it is literal.
 */
export function withoutCodeSpans(line: string): string {
  let out = "";
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    if (ch === "\\" && i + 1 < line.length && PUNCT.test(line[i + 1]!)) {
      out += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (ch !== "`") {
      out += ch;
      i++;
      continue;
    }
    let n = 0;
    while (line[i + n] === "`") n++;
    let j = i + n;
    let close = -1;
    while (j < line.length) {
      if (line[j] !== "`") {
        j++;
        continue;
      }
      let m = 0;
      while (line[j + m] === "`") m++;
      if (m === n) {
        close = j;
        break;
      }
      j += m;
    }
    if (close < 0) {
      out += "`".repeat(n);
      i += n;
    } else {
      out += "⟦code⟧";
      i = close + n;
    }
  }
  return out;
}

/** Text as GitHub's filters see it after rendering: backslash escapes removed, entities decoded. */
export function decoded(text: string): string {
  return text
    .replace(/\\([!-/:-@[-`{-~])/g, "$1")
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#([0-9]+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

/** Cells of a table row: `|` not preceded by a backslash separate them (GFM's scanner absorbs `\|`). */
const cellCount = (row: string) => row.replace(/\\\|/g, "").split("|").length;

const OWN_TAG = /<\/?(details|summary|b|sub)>/g;
/** Links aigate makes: taxonomy pages and the run. */
const OWN_LINK = /(?<!\\)\]\((https:\/\/(owaspai\.org|github\.com\/[^/\s)]+\/[^/\s)]+\/(actions\/runs|blob))\/[^\s)]*)\)/g;
const BAD_CHAR = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u; // eslint-disable-line no-control-regex

/**
 * What content could do in this Markdown, as a list of problems (empty: nothing). `markers` are
 * the HTML comments aigate itself writes, each allowed only on the line it names.
 */
export function markdownProblems(md: string, markers: { first?: RegExp; last?: RegExp } = {}): string[] {
  const p: string[] = [];
  const lines = md.replace(/\n$/, "").split("\n");
  let table: number | null = null;
  for (const [i, raw] of lines.entries()) {
    const where = `line ${i + 1}: ${JSON.stringify(raw.slice(0, 120))}`;
    if (i === 0 && markers.first?.test(raw)) continue;
    if (i === lines.length - 1 && markers.last?.test(raw)) continue;
    if (BAD_CHAR.test(raw)) p.push(`${where}: control or bidi character`);
    const text = withoutCodeSpans(raw);
    if (text.replace(OWN_TAG, "").includes("<")) p.push(`${where}: raw < outside aigate's own tags`);
    if (/(?<!\\)!\[/.test(text)) p.push(`${where}: image`);
    const links = [...text.matchAll(/(?<!\\)\]\(/g)].length;
    const own = [...text.matchAll(OWN_LINK)].length;
    if (links !== own) p.push(`${where}: link not made by aigate`);
    const plain = decoded(text.replace(OWN_LINK, "]"));
    if (/@[\p{L}\p{N}]/u.test(plain)) p.push(`${where}: mention`);
    if (/#\d/.test(plain) || /\bGH-\d/i.test(plain)) p.push(`${where}: issue reference`);
    if (/:\/\//.test(plain) || /\bwww\./i.test(plain)) p.push(`${where}: autolink`);
    if (/\S@[\p{L}\p{N}]/u.test(plain)) p.push(`${where}: e-mail autolink`);
    // Table rows keep the header's number of cells.
    if (raw.startsWith("|")) {
      if (table === null) table = cellCount(raw);
      else if (cellCount(raw) !== table) p.push(`${where}: ${cellCount(raw)} cells, the table has ${table}`);
    } else table = null;
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// Terminal and the runner's log

/**
 * What content could do in terminal output or the runner's log: raw control or bidi characters,
 * a line the runner would read as a workflow command (`::` after leading whitespace), or the legacy
 * `##[` prefix anywhere.
 */
export function terminalProblems(text: string, opts: { colour?: boolean } = {}): string[] {
  const p: string[] = [];
  const plain = opts.colour ? text.replace(/\u001b\[\d+m/g, "") : text; // eslint-disable-line no-control-regex
  for (const [i, line] of plain.replace(/\n$/, "").split("\n").entries()) {
    const where = `line ${i + 1}: ${JSON.stringify(line.slice(0, 120))}`;
    if (BAD_CHAR.test(line)) p.push(`${where}: control or bidi character`);
    if (/^\s*::/u.test(line)) p.push(`${where}: starts a workflow command`);
    if (line.includes("##[")) p.push(`${where}: legacy workflow command prefix`);
  }
  return p;
}
