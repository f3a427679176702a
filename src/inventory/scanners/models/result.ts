// What scanning one model file (or one member of it) found, before it becomes observations.
import type { ModelArtifact } from "../../types.js";
import type { GlobalHit, Issue, PickleResult } from "./pickle/walker.js";

export type Verdict = "safe" | "suspicious" | "unsafe" | "error";

export interface Finding {
  verdict: "suspicious" | "unsafe" | "error";
  /** A short stable code (`frame-straddle`, `lambda-layer`, `bad-header` ...), used in the key. */
  code: string;
  message: string;
  /** Byte offset in the decoded stream of the member (or the file). */
  offset?: number;
  /** Container chain inside the file (`archive/data.pkl`, `inner.zip!data.pkl`, `gzip`). */
  member?: string;
}

export interface GlobalFound extends GlobalHit {
  member?: string;
}

export interface FileResult {
  format: string;
  /** A pickle-based format (code runs when it is loaded). */
  pickle: boolean;
  globals: GlobalFound[];
  findings: Finding[];
  details: Record<string, unknown>;
  /** Set for archives whose content could not be read (7z, compressed tar). */
  unscannable?: string;
}

/** One file's outcome: its inventory entry, what the scan found, and why it was not scanned. */
export interface ScannedModel {
  artifact: ModelArtifact;
  result?: FileResult;
  unscanned?: string;
}

const RANK: Record<Verdict, number> = { safe: 0, suspicious: 1, error: 2, unsafe: 3 };

export function worst(a: Verdict, b: Verdict): Verdict {
  return RANK[b] > RANK[a] ? b : a;
}

export function verdictOf(r: FileResult): Verdict {
  let v: Verdict = r.unscannable ? "error" : "safe";
  for (const g of r.globals) v = worst(v, g.verdict);
  for (const f of r.findings) v = worst(v, f.verdict);
  return v;
}

export function newResult(format: string, pickle = false): FileResult {
  return { format, pickle, globals: [], findings: [], details: {} };
}

/** Adds a pickle walk's globals and issues under a member name. */
export function addPickle(into: FileResult, p: PickleResult, member?: string, base = 0) {
  for (const g of p.globals) into.globals.push({ ...g, offset: g.offset + base, ...(member ? { member } : {}) });
  for (const i of p.issues) into.findings.push(issueFinding(i, member, base));
}

export function issueFinding(i: Issue, member?: string, base = 0): Finding {
  return { verdict: i.verdict, code: i.code, message: i.message, offset: i.offset + base, ...(member ? { member } : {}) };
}

/** Merges a nested result (a zip member, a decompressed stream) under a container name. */
export function merge(into: FileResult, from: FileResult, member: string) {
  const chain = (m?: string) => (m ? `${member}!${m}` : member);
  for (const g of from.globals) into.globals.push({ ...g, member: chain(g.member) });
  for (const f of from.findings) into.findings.push({ ...f, member: chain(f.member) });
  if (from.pickle) into.pickle = true;
  if (from.unscannable) into.findings.push({ verdict: "error", code: "unscannable-archive", message: `${member}: ${from.unscannable}`, member });
}
