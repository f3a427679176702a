// The reporter registry: one line per output format.
import { renderJson } from "./json.js";
import { renderMarkdown } from "./markdown.js";
import { renderSarif } from "./sarif.js";
import type { RepositoryLinks } from "./links.js";
import { renderText, type TextOptions } from "./text.js";
import type { Report } from "./types.js";

/** What a caller may tell a reporter: the text reporter's options, and where locations live on GitHub. */
export type RenderOptions = TextOptions & { links?: RepositoryLinks };

export interface Reporter {
  meta: { format: string; description: string };
  render(report: Report, opts: RenderOptions): string;
}

export const REPORTERS: readonly Reporter[] = [
  {
    meta: {
      format: "text",
      description: "findings grouped by file, worst first, with the source line, the fix and the rule's docs; a verdict per system (default)",
    },
    render: (r, o) => renderText(r, o),
  },
  { meta: { format: "json", description: "the full report (schemas/report.schema.json)" }, render: (r) => renderJson(r) },
  { meta: { format: "sarif", description: "SARIF 2.1.0 for GitHub code scanning: one run per system" }, render: (r) => renderSarif(r) },
  {
    meta: { format: "markdown", description: "the verdict and a line per system, the findings, then each system's control matrix (the job summary)" },
    render: (r, o) => renderMarkdown(r, { links: o.links, standard: o.standard }),
  },
];

export const reporter = (format: string) => REPORTERS.find((r) => r.meta.format === format);
