// The JSON report: the Report value as documented by schemas/report.schema.json, with the standards
// crosswalk's references on each finding and control (`standards`) and the standards they name.
import { withStandards } from "../crosswalk/report.js";
import { jsonSafe } from "../util/escape.js";
import type { Report } from "./types.js";

export function renderJson(r: Report): string {
  return jsonSafe(JSON.stringify(withStandards(r), null, 2)) + "\n";
}
