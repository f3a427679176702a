// Reports of many systems for the posture tests, the screenshot and bench/merge.ts: real reports of
// the bundled examples (aigate's own run) varied deterministically per system (control statuses,
// findings, risk acceptances and their expiry), so each is a valid report of realistic size.
import { join } from "node:path";
import type { ControlStatus, Report } from "../../src/report/types.js";
import { run } from "../../src/run.js";
import { packageRoot } from "../../src/util/package-root.js";
import { summarise } from "../../src/verdict.js";

export const EXAMPLES = ["support-assistant", "claims-triage", "ops-agent"] as const;

/** One report per bundled example, as `aigate check --today` writes it. */
export async function templateReports(today = "2026-11-27"): Promise<Report[]> {
  const out: Report[] = [];
  for (const e of EXAMPLES) out.push(await run({ root: join(packageRoot(), "examples", e), today, failOn: "error", cwd: packageRoot() }));
  return out;
}

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATUSES: ControlStatus[] = ["fail", "accepted", "not-claimed", "claimed", "supplier", "verified"];
const TEAMS = ["payments", "search", "support", "risk", "claims", "growth", "platform", "research", "fraud", "ops"];

export interface SyntheticOptions {
  org?: string;
  today?: string;
  /** Systems in the report (default 1; every 10th report has 2). */
  systems?: number;
}

/** The i-th synthetic report: a template varied by i (deterministic). */
export function syntheticReport(templates: Report[], i: number, o: SyntheticOptions = {}): Report {
  const rnd = prng(i + 1);
  const t = templates[i % templates.length]!;
  const r = structuredClone(t);
  const org = o.org ?? "acme";
  const today = o.today ?? "2026-11-27";
  const team = TEAMS[i % TEAMS.length]!;
  const repo = `${org}/${team}-${String(i).padStart(5, "0")}`;
  r.repository = { name: repo, commit: ((i * 2654435761) >>> 0).toString(16).padStart(8, "0").repeat(5) };
  r.generatedAt = new Date(Date.parse(`${today}T06:00:00Z`) + i * 1000).toISOString();
  r.root = ".";
  const base = r.systems[0]!;
  const count = o.systems ?? (i % 10 === 9 ? 2 : 1);
  const systems = [];
  const findings = [];
  for (let k = 0; k < count; k++) {
    const s = structuredClone(base);
    const oldName = base.name;
    s.name = k === 0 ? `${team}-${base.name}` : `${team}-${base.name}-${k + 1}`;
    s.manifest = k === 0 ? base.manifest : `service-${k + 1}/${base.manifest}`;
    for (const c of s.controls) {
      if (c.status === "not-applicable") continue;
      if (rnd() < 0.2) c.status = STATUSES[Math.floor(rnd() * STATUSES.length)]!;
    }
    for (const th of s.threats) if (th.applies && rnd() < 0.1) th.applies = false;
    const mine = t.findings
      .filter((f) => f.system === oldName && rnd() < 0.75)
      .map((f) => ({ ...f, system: s.name, path: k === 0 ? f.path : `service-${k + 1}/${f.path}` }));
    findings.push(...mine);
    const acceptances = [];
    if (rnd() < 0.4) {
      const days = Math.floor(rnd() * 400) - 60;
      const expires = new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
      acceptances.push({
        id: `RA-${i}-${k}`,
        target: mine[0]?.ruleId ?? "controls-unaccounted",
        approver: `security-${team}@example.com`,
        expires,
        accepted: Math.floor(rnd() * 3),
        pending: rnd() < 0.05,
      });
    }
    s.acceptances = acceptances;
    systems.push(s);
  }
  r.systems = systems;
  r.findings = [...findings, ...t.findings.filter((f) => f.system === null)];
  summarise(r);
  return r;
}
