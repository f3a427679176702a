// The exceptions a change adds to the gate's own configuration (report.pending), as every sink
// shows them: they do not count in this verdict and apply after review.
import { describePending } from "../verdict.js";
import { mdCode, mdText, termLocation, termText } from "../util/escape.js";
import type { PendingException } from "./types.js";

const KIND: Record<PendingException["kind"], string> = {
  "risk-acceptance": "risk acceptance",
  suppression: "inline suppression",
  baseline: "baseline",
  "policy-pack": "policy pack",
  ignore: "ignore glob",
  config: "configuration file",
};

const covers = (p: PendingException) =>
  p.covers.length ? ` — would cover ${p.covers.length} finding${p.covers.length === 1 ? "" : "s"}, which stay${p.covers.length === 1 ? "s" : ""} open` : "";

/** Markdown lines (a heading and a list) for comments and the job summary; none when nothing is pending. */
export function pendingMarkdown(pending: readonly PendingException[] | undefined, max = 20): string[] {
  if (!pending?.length) return [];
  const out = ["", `#### Pending: this change adds ${mdText(describePending(pending))} (they apply after review)`, ""];
  for (const p of pending.slice(0, max))
    out.push(`- ${KIND[p.kind]} at ${mdCode(`${p.path}:${p.line}`, { table: false })}: ${mdText(p.description)}${covers(p)}`);
  if (pending.length > max) out.push(`- …and ${pending.length - max} more in the JSON report`);
  return out;
}

/** Terminal lines; none when nothing is pending. */
export function pendingText(pending: readonly PendingException[] | undefined): string[] {
  if (!pending?.length) return [];
  return [
    `pending (this change adds them to the gate's configuration; they apply after review): ${termText(describePending(pending))}`,
    ...pending.map((p) => `  ${termLocation(`${p.path}:${p.line}`)}: ${KIND[p.kind]}: ${termText(p.description)}${covers(p)}`),
  ];
}
