// The JSON report: the Report value as documented by schemas/report.schema.json.
import { jsonSafe } from "../util/escape.js";
import type { Report } from "./types.js";

export function renderJson(r: Report): string {
  return jsonSafe(JSON.stringify(r, null, 2)) + "\n";
}
