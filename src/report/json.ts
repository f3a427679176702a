// The JSON report: the Report value as documented by schemas/report.schema.json.
import type { Report } from "./types.js";

export function renderJson(r: Report): string {
  return JSON.stringify(r, null, 2) + "\n";
}
