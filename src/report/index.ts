// The reporter registry: one line per output format.
import { renderJson } from "./json.js";
import { renderMarkdown } from "./markdown.js";
import { renderSarif } from "./sarif.js";
import { renderText } from "./text.js";
import type { Report } from "./types.js";

export interface Reporter {
  meta: { format: string; description: string };
  render(report: Report, opts: { color?: boolean }): string;
}

export const REPORTERS: readonly Reporter[] = [
  { meta: { format: "text", description: "findings as file:line:column lines and a verdict (default)" }, render: (r, o) => renderText(r, o) },
  { meta: { format: "json", description: "the full report (schemas/report.schema.json)" }, render: (r) => renderJson(r) },
  { meta: { format: "sarif", description: "SARIF 2.1.0 for GitHub code scanning: one run per system" }, render: (r) => renderSarif(r) },
  { meta: { format: "markdown", description: "verdict, control matrix per system and findings" }, render: (r) => renderMarkdown(r) },
];

export const reporter = (format: string) => REPORTERS.find((r) => r.meta.format === format);
