// The organisation posture as a Markdown summary (a job summary, a wiki page): the totals, the
// failing systems, the rules that fail most often, the controls most often failing, the threats,
// the acceptances that expired or expire soon, and the change since the previous posture. Values
// from the reports are escaped (code spans, escaped prose); the page stays under GitHub's 1 MiB
// job-summary limit by listing at most a bounded number of rows per table.
import { mdCode, mdText } from "../util/escape.js";
import type { Posture } from "./posture.js";

const MAX_ROWS = 50;
const BUDGET = 900 * 1024;

export function renderPostureMarkdown(p: Posture): string {
  const t = p.totals;
  const n = (x: number) => x.toLocaleString("en");
  const out: string[] = [];
  out.push(`## AI security posture: ${n(t.failed)} of ${n(t.systems)} systems failing`, "");
  out.push(
    `${n(t.systems)} systems in ${n(t.repositories)} repositories (${n(p.inputs.reports)} reports merged${p.inputs.invalid.length ? `, ${n(p.inputs.invalid.length)} left out as invalid` : ""}${p.inputs.duplicates ? `, ${n(p.inputs.duplicates)} duplicates` : ""}); expiries counted from ${p.today}.`,
    "",
  );
  out.push(
    "| passed | failed | not evaluated | open errors | open warnings | open notes | accepted | acceptances expired | expiring in 30 days |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  out.push(
    `| ${n(t.passed)} | ${n(t.failed)} | ${n(t.notEvaluated)} | ${n(t.open.error)} | ${n(t.open.warning)} | ${n(t.open.note)} | ${n(t.accepted)} | ${n(t.acceptances.expired)} | ${n(t.acceptances.expiring)} |`,
    "",
  );

  if (p.change) {
    const c = p.change;
    const s = (x: number) => (x > 0 ? `+${n(x)}` : n(x));
    out.push("### Change since the previous posture", "");
    out.push(
      `Against ${c.previous.generatedAt} (${n(c.previous.systems)} systems): systems ${s(c.totals.systems)}, passed ${s(c.totals.passed)}, failed ${s(c.totals.failed)}, open errors ${s(c.totals.error)}; ${n(c.added.length)} new, ${n(c.removed.length)} no longer reported, ${n(c.verdicts.length)} verdicts changed; control statuses improved ${n(c.controls.improved)}, regressed ${n(c.controls.regressed)}.`,
      "",
    );
    if (c.verdicts.length) {
      out.push("| system | was | now |", "| --- | --- | --- |");
      for (const v of c.verdicts.slice(0, MAX_ROWS)) out.push(`| ${mdCode(v.key)} | ${v.from} | ${v.to} |`);
      if (c.verdicts.length > MAX_ROWS) out.push(`| …and ${n(c.verdicts.length - MAX_ROWS)} more | | |`);
      out.push("");
    }
  }

  const failing = p.systems.filter((s) => s.verdict !== "passed").sort((a, b) => b.open.error - a.open.error || b.open.warning - a.open.warning);
  if (failing.length) {
    out.push(
      "### Systems that fail",
      "",
      "| repository | system | verdict | errors | warnings | failing controls |",
      "| --- | --- | --- | ---: | ---: | ---: |",
    );
    for (const s of failing.slice(0, MAX_ROWS))
      out.push(
        `| ${mdCode(s.repository)} | ${mdCode(s.name)} | ${s.verdict} | ${n(s.open.error)} | ${n(s.open.warning)} | ${n([...s.controls].filter((c) => c === "F").length)} |`,
      );
    if (failing.length > MAX_ROWS) out.push(`| …and ${n(failing.length - MAX_ROWS)} more | | | | | |`);
    out.push("");
  }

  if (p.rules.length) {
    out.push("### Rules that fail most often", "", "| rule | control | severity | systems | open findings |", "| --- | --- | --- | ---: | ---: |");
    for (const r of p.rules.slice(0, 20))
      out.push(
        `| ${mdCode(r.id)} ${mdText(r.title, 120)} | ${r.control ? mdCode(r.control) : ""} | ${mdText(r.severity)} | ${n(r.systems)} | ${n(r.findings)} |`,
      );
    out.push("");
  }

  const byFail = p.controls
    .map((c) => ({ c, fail: c.counts.F ?? 0 }))
    .filter((x) => x.fail > 0)
    .sort((a, b) => b.fail - a.fail);
  if (byFail.length) {
    out.push(
      "### Controls most often failing",
      "",
      "| control | failing | verified | not claimed | systems where it applies |",
      "| --- | ---: | ---: | ---: | ---: |",
    );
    for (const { c, fail } of byFail.slice(0, 20)) {
      const applies = Object.entries(c.counts)
        .filter(([k]) => k !== "-")
        .reduce((a, [, v]) => a + v, 0);
      out.push(`| ${mdCode(c.id)} ${mdText(c.title, 120)} | ${n(fail)} | ${n(c.counts.V ?? 0)} | ${n(c.counts.N ?? 0)} | ${n(applies)} |`);
    }
    out.push("");
  }

  if (p.threats.length) {
    out.push("### Threats that apply", "", "| threat | systems |", "| --- | ---: |");
    for (const th of [...p.threats].sort((a, b) => b.systems - a.systems).slice(0, 20))
      out.push(`| ${mdCode(th.id)} ${mdText(th.title, 120)} | ${n(th.systems)} |`);
    out.push("");
  }

  const soon = p.acceptances.filter((a) => a.state !== "current");
  if (soon.length) {
    out.push(
      "### Risk acceptances expired or expiring within 30 days",
      "",
      "| expires | repository | system | acceptance | accepts | approver |",
      "| --- | --- | --- | --- | --- | --- |",
    );
    for (const a of soon.slice(0, MAX_ROWS))
      out.push(
        `| ${mdText(a.expires)}${a.state === "expired" ? " (expired)" : ""} | ${mdCode(a.repository)} | ${mdCode(a.system)} | ${a.id ? mdCode(a.id) : ""} | ${a.target ? mdCode(a.target) : ""} | ${mdText(a.approver, 120)} |`,
      );
    if (soon.length > MAX_ROWS) out.push(`| …and ${n(soon.length - MAX_ROWS)} more | | | | | |`);
    out.push("");
  }

  if (p.inputs.invalid.length) {
    out.push("### Reports left out", "");
    for (const x of p.inputs.invalid.slice(0, 20)) out.push(`- ${mdCode(x.file, { table: false })}: ${mdText(x.problem, 300)}`);
    if (p.inputs.invalid.length > 20) out.push(`- …and ${n(p.inputs.invalid.length - 20)} more (posture.json lists them)`);
    out.push("");
  }
  let text = out.join("\n");
  if (Buffer.byteLength(text) > BUDGET)
    text = text.slice(0, BUDGET) + "\n\n…cut to stay within the job summary's size limit; posture.html and posture.json have everything.\n";
  return text;
}
