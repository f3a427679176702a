// SARIF 2.1.0 for GitHub code scanning: one run per system (its own `automationDetails` category,
// so several systems in one repository never overwrite each other), rules with their metadata,
// results with repository-relative locations and stable partial fingerprints. Kept inside GitHub's
// upload limits; what does not fit is counted in a summary result and in the run's properties.
import { refsFor, standardItem } from "../crosswalk/index.js";
import type { StandardRefs } from "../crosswalk/types.js";
import { jsonSafe, mdLink, mdText } from "../util/escape.js";
import { gzipSync } from "node:zlib";
import type { Finding, Severity } from "../findings/types.js";
import type { Report } from "./types.js";
import { stripEnds, stripTrailing } from "../util/strip.js";

/** GitHub's SARIF upload limits (docs: "SARIF support for code scanning", limits table). */
export const SARIF_LIMITS = {
  runsPerFile: 20,
  /** 25,000 are accepted per run but only the top 5,000 are kept: never send more than are kept. */
  resultsPerRun: 5000,
  rulesPerRun: 25000,
  tagsPerRule: 10,
  gzipBytes: 10 * 1024 * 1024,
  descriptionChars: 1024,
  ruleNameChars: 255,
} as const;

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI = "https://github.com/aigate-dev/aigate";

/**
 * GitHub reads `security-severity` as a score: over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium,
 * 0.1-3.9 low. aigate's error = high, warning = medium, note = low.
 */
const SECURITY_SEVERITY: Record<Severity, string> = { error: "8.0", warning: "5.5", note: "2.0" };
const PROBLEM_SEVERITY: Record<Severity, string> = { error: "error", warning: "warning", note: "recommendation" };

export const TRUNCATED_RULE_ID = "aigate-sarif-truncated";

export interface SarifOptions {
  /** Prefix that makes report paths repository-relative (the scanned folder); default: `report.root` when it is a relative path inside the repository. */
  pathPrefix?: string;
  /** Overrides the per-run result cap (tests). */
  resultsPerRun?: number;
  /** Overrides the gzip budget (tests). */
  gzipBytes?: number;
}

type Json = Record<string, unknown>;

interface RunGroup {
  category: string;
  systems: string[];
  findings: Finding[];
}

export function renderSarif(report: Report, opts: SarifOptions = {}): string {
  return jsonSafe(JSON.stringify(buildSarif(report, opts), null, 2)) + "\n";
}

export function buildSarif(report: Report, opts: SarifOptions = {}): Json {
  const prefix = normalisePrefix(opts.pathPrefix ?? report.root);
  const groups = groupRuns(report);
  let cap = opts.resultsPerRun ?? SARIF_LIMITS.resultsPerRun;
  const budget = opts.gzipBytes ?? SARIF_LIMITS.gzipBytes;
  for (;;) {
    const log = { $schema: SARIF_SCHEMA_URI, version: "2.1.0", runs: groups.map((g) => buildRun(report, g, prefix, cap)) };
    // Halve the results until the compressed file fits; the summary result says how many were left out.
    if (cap <= 1 || gzipSync(JSON.stringify(log)).length <= budget) return log;
    cap = Math.floor(cap / 2);
  }
}

function normalisePrefix(p: string | undefined): string {
  if (!p) return "";
  const posix = stripTrailing(
    p
      .split("\\")
      .join("/")
      .replace(/^\.\/+/, ""),
    "/",
  );
  if (posix === "." || posix === "" || posix.startsWith("/") || /^[A-Za-z]:/.test(posix) || posix === ".." || posix.startsWith("../")) return "";
  return posix + "/";
}

/** A category for GitHub: letters, digits and `-_.`; unique within the file. */
function slug(name: string): string {
  return stripEnds(name.toLowerCase().replace(/[^a-z0-9._-]+/g, "-"), "-") || "system";
}

/** One run per system (and one for findings outside any system); past 20 runs the rest share the last run. */
function groupRuns(report: Report): RunGroup[] {
  const names: (string | null)[] = report.systems.map((s) => s.name);
  for (const f of report.findings) if (!names.includes(f.system)) names.push(f.system);
  if (names.length === 0) names.push(null);
  const used = new Set<string>();
  const groups: RunGroup[] = [];
  const byName = new Map<string | null, RunGroup>();
  const max = SARIF_LIMITS.runsPerFile;
  for (const name of names) {
    let g: RunGroup;
    if (groups.length === max - 1 && names.length > max) {
      g = { category: "aigate/other-systems", systems: [], findings: [] };
      groups.push(g);
    } else if (groups.length >= max) g = groups[groups.length - 1]!;
    else {
      let cat = `aigate/${name === null ? "repository" : slug(name)}`;
      for (let i = 2; used.has(cat); i++) cat = `aigate/${name === null ? "repository" : slug(name)}-${i}`;
      used.add(cat);
      g = { category: cat, systems: [], findings: [] };
      groups.push(g);
    }
    g.systems.push(name ?? "(repository)");
    byName.set(name, g);
  }
  for (const f of report.findings) byName.get(f.system)!.findings.push(f);
  return groups;
}

function buildRun(report: Report, g: RunGroup, prefix: string, cap: number): Json {
  // Findings are sorted most severe first, so the cut keeps what matters.
  const kept = g.findings.length > cap ? g.findings.slice(0, cap - 1) : g.findings;
  const left = g.findings.slice(kept.length);
  const rules: Json[] = [];
  const ruleIndex = new Map<string, number>();
  const ruleFor = (f: Finding) => {
    let i = ruleIndex.get(f.ruleId);
    if (i === undefined) {
      i = rules.length;
      ruleIndex.set(f.ruleId, i);
      rules.push(ruleOf(f));
    }
    return i;
  };
  const results: Json[] = kept.map((f) => resultOf(f, ruleFor(f), prefix));
  if (left.length) {
    const counts = { error: 0, warning: 0, note: 0 };
    for (const f of left) counts[f.severity]++;
    const at = manifestOf(report, g) ?? left[0]!.path;
    const synthetic: Finding = {
      ruleId: TRUNCATED_RULE_ID,
      title: "Findings left out of this SARIF file",
      control: null,
      threats: [],
      severity: "note",
      status: "open",
      message: `${left.length} more findings (${counts.error} errors, ${counts.warning} warnings, ${counts.note} notes) of ${g.systems.join(", ")} are not in this SARIF file: GitHub keeps at most ${SARIF_LIMITS.resultsPerRun} results per run and 10 MB compressed per file. The JSON report and the job summary list them all.`,
      path: at,
      line: 1,
      column: 1,
      fingerprint: `truncated-${g.category}`,
      system: null,
      remediation: "Fix or accept the findings above, or split the repository's systems so each run stays under the limit.",
    };
    results.push(resultOf(synthetic, ruleFor(synthetic), prefix));
  }
  return {
    tool: {
      driver: {
        name: "aigate",
        fullName: "aigate: AI security controls gate (OWASP AI Exchange)",
        version: report.tool.version,
        semanticVersion: report.tool.version,
        informationUri: INFORMATION_URI,
        rules,
      },
    },
    automationDetails: { id: `${g.category}/`, description: { text: `aigate findings for ${g.systems.join(", ")}` } },
    originalUriBaseIds: { "%SRCROOT%": { description: { text: "The repository's root (the checkout)." } } },
    columnKind: "utf16CodeUnits",
    results,
    properties: {
      systems: g.systems,
      policy: `${report.policy.name}@${report.policy.version}`,
      gatePassed: report.summary.passed,
      omittedResults: left.length,
      // What is known about each applicable control of the run's systems (verified, claimed,
      // not-claimed, fail, accepted, supplier): the same statuses as the JSON report's.
      controlStatuses: Object.fromEntries(
        report.systems
          .filter((s) => g.systems.includes(s.name) && s.evaluated)
          .map((s) => [s.name, Object.fromEntries(s.controls.filter((c) => c.status !== "not-applicable").map((c) => [c.id, c.status]))]),
      ),
    },
  };
}

function manifestOf(report: Report, g: RunGroup): string | undefined {
  return report.systems.find((s) => g.systems.includes(s.name))?.manifest;
}

const cut = (s: string, n: number) => (s.length <= n ? s : s.slice(0, n - 1) + "…");

function ruleOf(f: Finding): Json {
  const standards = refsFor(f.control, f.threats);
  const helpText = [f.remediation ?? f.title, f.link ? `See ${f.link}` : ""].filter(Boolean).join("\n\n");
  const helpMarkdown = [
    `**${f.title}**`,
    f.remediation ? `**Remediation.** ${f.remediation}` : "",
    f.control ? `Control: [${f.control}](${f.link ?? INFORMATION_URI})` : "",
    f.threats.length ? `Threats: ${f.threats.join(", ")}` : "",
    standardsMarkdown(standards),
  ]
    .filter(Boolean)
    .join("\n\n");
  const full = `${f.title}.${f.control ? ` OWASP AI Exchange control ${f.control}` : ""}${f.threats.length ? `; threats ${f.threats.join(", ")}` : ""}.`;
  const tags = ruleTags(f, standards);
  const rule: Json = {
    id: f.ruleId,
    name: cut(pascal(f.ruleId), SARIF_LIMITS.ruleNameChars),
    shortDescription: { text: cut(f.title, SARIF_LIMITS.descriptionChars) },
    fullDescription: { text: cut(full, SARIF_LIMITS.descriptionChars) },
    help: { text: helpText, markdown: helpMarkdown },
    defaultConfiguration: { level: f.severity },
    properties: {
      tags,
      precision: "high",
      "problem.severity": PROBLEM_SEVERITY[f.severity],
      "security-severity": SECURITY_SEVERITY[f.severity],
      control: f.control,
      threats: f.threats,
      standards,
    },
  };
  if (f.link) rule.helpUri = f.link;
  return rule;
}

/**
 * A rule's tags, at most GitHub's 10 kept: security, ai, the control, up to two threats, then the
 * standards crosswalk as `standard/<standard>/<item>`, one item of each standard in turn (the full
 * references are in `properties.standards`).
 */
function ruleTags(f: Finding, standards: StandardRefs): string[] {
  const tags = ["security", "ai", ...(f.control ? [`control/${f.control}`] : []), ...f.threats.slice(0, 2).map((t) => `threat/${t}`)];
  const lists = Object.entries(standards).map(([s, items]) => items.map((i) => `standard/${s}/${i}`));
  for (let round = 0; tags.length < SARIF_LIMITS.tagsPerRule && lists.some((l) => l.length > round); round++) {
    for (const l of lists) if (l[round] && tags.length < SARIF_LIMITS.tagsPerRule) tags.push(l[round]!);
  }
  return tags.slice(0, SARIF_LIMITS.tagsPerRule);
}

/** `Standards: [LLM01](link) Prompt Injection; ...` for the rule's help (titles are data: escaped). */
function standardsMarkdown(standards: StandardRefs): string {
  const parts = Object.entries(standards).map(
    ([s, items]) =>
      `${mdText(s)}: ${items
        .map((i) => {
          const it = standardItem(s, i);
          return it ? `${mdLink(i, it.link)} ${mdText(it.title, 120)}` : mdText(i);
        })
        .join("; ")}`,
  );
  return parts.length ? `**Standards.** ${parts.join(" · ")}` : "";
}

const pascal = (id: string) =>
  id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");

function resultOf(f: Finding, ruleIndex: number, prefix: string): Json {
  const region: Json = { startLine: Math.max(1, f.line), startColumn: Math.max(1, f.column) };
  const endLine = f.endLine && f.endLine >= f.line ? f.endLine : Math.max(1, f.line);
  region.endLine = endLine;
  if (f.endColumn && (endLine > f.line || f.endColumn > f.column)) region.endColumn = f.endColumn;
  const result: Json = {
    ruleId: f.ruleId,
    ruleIndex,
    level: f.severity,
    message: { text: f.remediation ? `${f.message}\n${f.remediation}` : f.message },
    locations: [{ physicalLocation: { artifactLocation: { uri: encodePath(prefix + f.path), uriBaseId: "%SRCROOT%" }, region } }],
    // primaryLocationLineHash is the one GitHub matches alerts on: aigate's fingerprint ignores lines, so alerts survive edits.
    partialFingerprints: { primaryLocationLineHash: `${f.fingerprint}:1`, "aigateFingerprint/v1": f.fingerprint },
    properties: { status: f.status, system: f.system, control: f.control },
  };
  // Accepted (a risk acceptance in the manifest) and suppressed findings show as dismissed alerts, with the reason.
  if (f.status === "accepted")
    result.suppressions = [{ kind: "external", status: "accepted", justification: f.acceptedBy ?? "risk acceptance in the manifest" }];
  else if ((f.status as string) === "suppressed")
    result.suppressions = [{ kind: "inSource", status: "accepted", ...(f.acceptedBy ? { justification: f.acceptedBy } : {}) }];
  return result;
}

/** A relative URI reference: percent-encode what is not allowed in a path, keep the slashes. */
function encodePath(p: string): string {
  return p
    .split("/")
    .map((s) => encodeURIComponent(s))
    .join("/");
}
