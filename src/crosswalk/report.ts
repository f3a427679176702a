// The crosswalk in the reports: the JSON report's `standards` on every finding and control, and
// the catalogue entries (id, title, version, link) of the standards they name.
import type { Report } from "../report/types.js";
import { loadCrosswalk, refsFor, refsOf } from "./index.js";
import type { StandardRefs } from "./types.js";

/** A copy of the report with `standards` on each finding (its control and threats) and each system's controls. */
export function withStandards(r: Report): Report & { standards: { id: string; title: string; version: string; link: string }[] } {
  const used = new Set<string>();
  const note = (refs: StandardRefs) => {
    for (const k of Object.keys(refs)) used.add(k);
    return refs;
  };
  const findings = r.findings.map((f) => ({ ...f, standards: note(refsFor(f.control, f.threats)) }));
  const systems = r.systems.map((s) => ({ ...s, controls: s.controls.map((c) => ({ ...c, standards: note(refsOf(c.id)) })) }));
  const standards = loadCrosswalk()
    .standards.filter((s) => used.has(s.id))
    .map((s) => ({ id: s.id, title: s.title, version: s.version, link: s.link }));
  return { ...r, systems, findings, standards };
}
