// The sticky PR comment: one per pull request, with one section per system, found again by a marker
// at the very start of a comment the same bot wrote, and updated in place. It carries the gate's
// verdict, counts, each system's control matrix, what the PR adds and what it fixed, and stays under
// GitHub's comment size limit (the rest is in the job summary).
//
// Everything from the scanned repository goes through mdCode/mdText, so finding text can never
// plant a marker or raw HTML. Markers that carry state (the open fingerprints, for "fixed since the
// previous run", and the review comments' finding markers) are read only at the place aigate puts
// them, on comments by the bot, and only with a valid HMAC made with a key the caller derives from a
// secret the PR's author does not have.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { BaselineEntry } from "../baseline.js";
import type { Finding, Severity } from "../findings/types.js";
import type { RepositoryLinks } from "../report/links.js";
import { controlChart, controlTally, locationCell, ruleCell, STATUS_LABEL, STATUS_ORDER, systemLines, systemVerdict as verdictOf } from "../report/markdown.js";
import { pendingMarkdown } from "../report/pending.js";
import type { PendingException, Report, SystemReport } from "../report/types.js";
import { mdCode, mdLink, mdText, safeHttpUrl } from "../util/escape.js";
import type { Octokit } from "./client.js";
import { append } from "../util/append.js";
import { byCodeUnits } from "../util/sorted.js";

/** GitHub refuses longer comment bodies (422 "Body is too long (maximum is 65536 characters)"). */
export const COMMENT_MAX_CHARS = 65536;
/** The login GITHUB_TOKEN writes as; a PAT or an App token writes as another user (pass its login). */
export const DEFAULT_BOT_LOGIN = "github-actions[bot]";
const STATE_MAX_FINGERPRINTS = 400;
/** Characters kept for the footer and the state marker when the body is sized. */
const FOOTER_RESERVE = 400 + STATE_MAX_FINGERPRINTS * 30;
/** Length of a message in a comment row. */
const MESSAGE_MAX = 600;
/** Verdict lines at the top; the other systems are counted. */
const MAX_SYSTEM_LINES = 50;

const SEV: Record<Severity, string> = { error: "🔴", warning: "🟡", note: "🔵" };

// ---------------------------------------------------------------------------------------------
// Markers and their signatures

/**
 * Keys of the markers aigate leaves in its comments. `repoKey` (a short hash of the repository and
 * an optional instance name, not secret) tells this repository's sticky comment from a copy of
 * another's; the HMAC key, derived from the caller's secret, signs state so that no one without the
 * secret can make aigate believe a finding was fixed or already commented. Without a secret nothing
 * is signed and signed state is never trusted.
 */
export class MarkerSigner {
  readonly repoKey: string;
  private readonly key: Buffer | null;

  /**
   * @param secret stable across the runs of a pull request and unknown to its author (e.g. a
   *   repository secret); null or "" to sign nothing.
   * @param instance tells several aigate jobs of one repository apart ("" for one).
   */
  constructor(secret: string | null | undefined, owner: string, repo: string, instance = "") {
    this.repoKey = createHash("sha256")
      .update(`aigate sticky comment\u0000${owner.toLowerCase()}/${repo.toLowerCase()}\u0000${instance}`)
      .digest("hex")
      .slice(0, 12);
    this.key = secret ? createHmac("sha256", secret).update("aigate marker key v2").digest() : null;
  }

  get canSign(): boolean {
    return this.key !== null;
  }

  /** The signature of `payload` for `kind` on pull request `issue`, or null without a key. */
  sign(kind: "state" | "finding", issue: number, payload: string): string | null {
    if (!this.key) return null;
    return createHmac("sha256", this.key).update(`${kind}\u0000${this.repoKey}\u0000${issue}\u0000${payload}`).digest("hex");
  }

  /** Whether `sig` is the signature of `payload`; always false without a key. */
  verify(kind: "state" | "finding", issue: number, payload: string, sig: string | undefined): boolean {
    const want = this.sign(kind, issue, payload);
    if (!want || !sig || sig.length !== want.length) return false;
    return timingSafeEqual(Buffer.from(sig, "utf8"), Buffer.from(want, "utf8"));
  }
}

/** The first line of the sticky comment: this repository's key, nothing from content. */
export function commentMarker(repoKey: string): string {
  return `<!-- aigate:sticky-comment v=2 key=${repoKey} -->`;
}

/** Per-system comments of earlier versions started with this; the bot's own are replaced by the single comment. */
const LEGACY_MARKER = /^<!-- aigate:sticky-comment system=[^\s>]* -->(\r?\n|$)/;

/** A system's tag in the state marker: a short hash, so no name is ever written into a marker. */
export const systemTag = (name: string) => createHash("sha256").update(name).digest("hex").slice(0, 8);

/** Open fingerprints (16-character prefixes) by system tag. */
export type CommentState = Record<string, string[]>;

const FP_RE = /^[0-9a-zA-Z_-]{1,64}$/;
const STATE_RE = /\n<!-- aigate:state ([A-Za-z0-9_-]{1,40000}) sig=([0-9a-f]{64}) -->\n?$/;

/** The state marker (the last line of the body), signed; "" when there is no key (state is then not kept). */
export function stateMarker(state: CommentState, signer: MarkerSigner, issue: number): string {
  const payload = Buffer.from(JSON.stringify({ v: 2, open: state }), "utf8").toString("base64url");
  const sig = signer.sign("state", issue, payload);
  return sig ? `<!-- aigate:state ${payload} sig=${sig} -->` : "";
}

/** The state of an earlier version of the comment: only from its last line, only with a valid signature. */
export function readState(body: string, signer: MarkerSigner, issue: number): CommentState | null {
  const m = STATE_RE.exec(body);
  if (!m || !signer.verify("state", issue, m[1]!, m[2])) return null;
  try {
    const s = JSON.parse(Buffer.from(m[1]!, "base64url").toString("utf8")) as { v?: unknown; open?: unknown };
    if (s.v !== 2 || !s.open || typeof s.open !== "object" || Array.isArray(s.open)) return null;
    const out: CommentState = {};
    for (const [tag, fps] of Object.entries(s.open as Record<string, unknown>)) {
      if (!/^[0-9a-f]{8}$/.test(tag) || !Array.isArray(fps)) continue;
      out[tag] = fps.filter((x): x is string => typeof x === "string" && FP_RE.test(x));
    }
    return out;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// The body

export interface CommentTarget {
  name: string;
  system: SystemReport | null;
  findings: Finding[];
}

/** The sections of the comment: every system of the report, or one for the repository when there is none. */
export function commentTargets(report: Report): CommentTarget[] {
  if (report.systems.length === 0) return [{ name: "(repository)", system: null, findings: report.findings }];
  const targets = report.systems.map((s) => ({
    name: s.name,
    system: s as SystemReport | null,
    findings: report.findings.filter((f) => (s.evaluated ? f.system === s.name : f.path === s.manifest)),
  }));
  // Findings of no system (repository-wide) go with the first system's section rather than nowhere.
  const owned = new Set(targets.flatMap((t) => t.findings));
  const rest = report.findings.filter((f) => !owned.has(f));
  if (rest.length) targets[0]!.findings = [...targets[0]!.findings, ...rest];
  return targets;
}

export interface CommentSection extends CommentTarget {
  /** Baseline entries of this system no longer found. */
  fixed: BaselineEntry[];
}

export interface CommentContext {
  /** The repository's key (MarkerSigner.repoKey), written in the marker. */
  repoKey: string;
  /** The gate's verdict (report.summary.passed): the comment's verdict line says this and nothing else. */
  passed: boolean;
  sections: CommentSection[];
  failOn: string;
  scope: string;
  /** aigate's own link to the run (where the job summary is). */
  runUrl: string | null;
  /** What the previous version of this comment listed as open (a verified state), to say what this push fixed. */
  previouslyOpen: CommentState | null;
  /** Whether "new" can be told apart from "pre-existing" (scope changed, or a baseline). */
  knowsBase: boolean;
  /** The state marker for what is open now ("" to write none). */
  state?: (open: CommentState) => string;
  /** Exceptions the change adds to the gate's configuration (they do not count yet). */
  pending?: PendingException[];
  /** The repository and commit the findings are about: locations link to the lines on GitHub. */
  links?: RepositoryLinks;
}

export function isClean(findings: readonly Finding[]): boolean {
  return !findings.some((f) => f.status === "open");
}

const more = (runUrl: string | null) => (safeHttpUrl(runUrl) ? `in the ${mdLink("job summary", runUrl)}` : "in the job summary");

function systemVerdict(s: SystemReport): string {
  const v = verdictOf(s);
  return `${v.icon} ${v.word}`;
}

/** Escaped rows by finding (and link context): the body is rendered several times while it is sized. */
const rows = new WeakMap<Finding, { links: RepositoryLinks | undefined; row: string }>();
function findingRow(f: Finding, links: RepositoryLinks | undefined): string {
  let row = rows.get(f);
  if (row === undefined || row.links !== links) {
    row = { links, row: `| ${SEV[f.severity]} | ${locationCell(f, links)} | ${mdText(f.message, MESSAGE_MAX)} | ${ruleCell(f)} |` };
    rows.set(f, row);
  }
  return row.row;
}

/** One system's section; `rows` bounds its finding rows. Returns the lines and the open fingerprints. */
function renderSection(c: CommentContext, t: CommentSection, rows: number, single: boolean): { lines: string[]; open: string[] } {
  const { open, count, n, openFingerprints } = tally(t.findings);
  const out: string[] = [];
  const head = t.system ? `### ${mdCode(t.name, { table: false })}: ${systemVerdict(t.system)}` : single ? "### Repository" : "### Outside any system";
  out.push("", head);
  // With one section the counts are the comment's own, already at the top.
  if (!single) out.push("", countsLine(count, n));

  if (t.system && !t.system.evaluated) out.push("", "❌ The manifest has errors, so the system was not evaluated (see below).");

  const title = c.knowsBase ? "New in this pull request" : "Open findings";
  out.push("", `#### ${title} (${open.length})`);
  let left = rows;
  if (open.length) {
    out.push("", "| | location | finding | rule |", "| --- | --- | --- | --- |");
    for (const f of open.slice(0, left)) out.push(findingRow(f, c.links));
    if (open.length > left) out.push("", `…and ${open.length - left} more ${more(c.runUrl)}.`);
    left = Math.max(0, left - open.length);
  } else out.push("", "None.");

  const nowOpen = openFingerprints;
  const before = c.previouslyOpen ? (c.previouslyOpen[systemTag(t.name)] ?? []) : null;
  const fixedNow = (before ?? []).filter((fp) => !nowOpen.has(fp)).length;
  if (t.fixed.length || fixedNow) {
    out.push("", `#### Fixed (${t.fixed.length} since the baseline${before ? `, ${fixedNow} since the previous run` : ""})`);
    if (t.fixed.length) {
      const shownFixed = Math.min(t.fixed.length, Math.max(10, left));
      out.push("");
      for (const e of t.fixed.slice(0, shownFixed))
        out.push(`- ✅ ${mdCode(e.path, { table: false })}: ${mdText(e.message, MESSAGE_MAX)} (${mdCode(e.ruleId, { table: false })})`);
      if (t.fixed.length > shownFixed) out.push(`- …and ${t.fixed.length - shownFixed} more`);
    }
  }
  const known = t.findings.filter((f) => f.status === "pre-existing" || f.status === "baselined");
  if (known.length) {
    const shownKnown = Math.min(known.length, left, 50);
    out.push("", `<details><summary>${known.length} pre-existing or baselined findings (they do not fail the gate)</summary>`, "");
    for (const f of known.slice(0, shownKnown))
      out.push(`- ${SEV[f.severity]} ${locationCell(f, c.links, false)} ${mdText(f.message, MESSAGE_MAX)} (${ruleCell(f, false)}, ${f.status})`);
    if (known.length > shownKnown) out.push(`- …and ${known.length - shownKnown} more ${more(c.runUrl)}`);
    out.push("", "</details>");
  }

  // The control matrix last, folded away: what is verified, claimed, failing or not claimed.
  if (t.system?.evaluated && t.system.controls.length) {
    const shown = t.system.controls.filter((x) => x.status !== "not-applicable");
    shown.sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || byCodeUnits(a.id, b.id));
    out.push("", `<details><summary><b>Controls</b>: ${controlTally(t.system)}</summary>`, "");
    append(out, controlChart(t.system));
    // A compact matrix: three controls per row, each with its status.
    out.push("", "| control | status | control | status | control | status |", "| --- | --- | --- | --- | --- | --- |");
    for (let i = 0; i < shown.length; i += 3) {
      const cells = shown.slice(i, i + 3).map((x) => `${mdLink(x.id, x.link)} | ${STATUS_LABEL[x.status].icon} ${STATUS_LABEL[x.status].word}`);
      while (cells.length < 3) cells.push(" | ");
      out.push(`| ${cells.join(" | ")} |`);
    }
    out.push("", `✅ verified: a rule found the evidence · 📝 claimed: the manifest says so, nothing checkable · ⬜ not claimed`, "", "</details>");
  }
  return { lines: out, open: [...nowOpen] };
}

/** `🔴 **1** error · 🟡 **2** warnings · ...`: open findings by severity, then the others by status. */
function countsLine(count: (s: Severity) => number, n: (st: Finding["status"]) => number): string {
  const sev = (s: Severity, one: string) => `${SEV[s]} **${count(s)}** ${one}${count(s) === 1 ? "" : "s"}`;
  return `${sev("error", "error")} · ${sev("warning", "warning")} · ${sev("note", "note")} open · ${n("accepted")} accepted · ${n("baselined")} baselined · ${n("pre-existing")} pre-existing`;
}

interface Tally {
  open: Finding[];
  count: (s: Severity) => number;
  n: (st: Finding["status"]) => number;
  openFingerprints: Set<string>;
}
/** Counts by finding list: the body is rendered several times while it is sized. */
const tallies = new WeakMap<readonly Finding[], Tally>();
function tally(findings: readonly Finding[]): Tally {
  let t = tallies.get(findings);
  if (!t) {
    const open = findings.filter((f) => f.status === "open");
    const bySev = new Map<string, number>();
    const byStatus = new Map<string, number>();
    for (const f of open) bySev.set(f.severity, (bySev.get(f.severity) ?? 0) + 1);
    for (const f of findings) byStatus.set(f.status, (byStatus.get(f.status) ?? 0) + 1);
    t = { open, count: (s) => bySev.get(s) ?? 0, n: (st) => byStatus.get(st) ?? 0, openFingerprints: new Set(open.map((f) => f.fingerprint.slice(0, 16))) };
    tallies.set(findings, t);
  }
  return t;
}

/**
 * The comment body. `rows` bounds each section's finding rows and `maxSections` the number of
 * system sections (the caller shrinks both until the body fits).
 */
export function renderComment(c: CommentContext, rows = 200, maxSections = Infinity): string {
  const sum = (get: (t: Tally) => number) => c.sections.reduce((k, t) => k + get(tally(t.findings)), 0);
  const count = (s: Severity) => sum((t) => t.count(s));
  const n = (st: Finding["status"]) => sum((t) => t.n(st));
  const out: string[] = [commentMarker(c.repoKey)];
  out.push(`## aigate: ${c.passed ? "✅ passed" : "❌ failed"}`, "");
  const systems = c.sections.filter((t) => t.system).length;
  out.push(
    countsLine(count, n) +
      ` (fail-on ${mdCode(c.failOn, { table: false })}, scope ${mdCode(c.scope, { table: false })}${systems > 1 ? `, ${systems} systems` : ""})`,
  );
  // One verdict line per system shown below (the sizing shrinks both together).
  const shown = c.sections.slice(0, maxSections);
  const lined = shown.flatMap((t) => (t.system ? [t.system] : []));
  const allSystems = c.sections.filter((t) => t.system).length;
  if (lined.length) append(out, ["", ...systemLines(lined.slice(0, MAX_SYSTEM_LINES))]);
  if (allSystems > Math.min(lined.length, MAX_SYSTEM_LINES))
    out.push(`- …and ${allSystems - Math.min(lined.length, MAX_SYSTEM_LINES)} more systems ${more(c.runUrl)}`);
  append(out, pendingMarkdown(c.pending));
  const state: CommentState = {};
  let stateSize = 0;
  for (const t of shown) {
    const s = renderSection(c, t, rows, c.sections.length === 1);
    append(out, s.lines);
    const room = STATE_MAX_FINGERPRINTS - stateSize;
    if (room > 0 && s.open.length) {
      state[systemTag(t.name)] = s.open.slice(0, room);
      stateSize += Math.min(room, s.open.length);
    }
  }
  if (c.sections.length > shown.length) out.push("", `…and ${c.sections.length - shown.length} more systems ${more(c.runUrl)}.`);
  if (safeHttpUrl(c.runUrl)) out.push("", `<sub>${mdLink("Full report in the job summary", c.runUrl)} · updated on every push</sub>`);
  const marker = c.state?.(state) ?? "";
  if (marker) out.push(marker);
  return out.join("\n") + "\n";
}

/** Renders within the size limit: fewer finding rows first, then fewer system sections. */
export function renderCommentWithin(c: CommentContext, max = COMMENT_MAX_CHARS): string {
  let rows = 200;
  let body = renderComment(c, rows);
  while (body.length > max && rows > 0) {
    rows = Math.floor(rows / 2);
    body = renderComment(c, rows);
  }
  let sections = c.sections.length;
  while (body.length > max && sections > 0) {
    sections = Math.floor(sections / 2);
    body = renderComment(c, rows, sections);
  }
  // Bounded parts make this unreachable in practice; never send more than GitHub takes anyway.
  if (body.length > max) {
    const tail = `\n\n…cut to fit GitHub's comment limit; ${more(c.runUrl)}.\n`;
    const keep = body.slice(0, Math.max(0, max - tail.length - FOOTER_RESERVE));
    body = keep.slice(0, keep.lastIndexOf("\n") + 1) + tail;
  }
  return body;
}

// ---------------------------------------------------------------------------------------------
// Finding the comment again, and writing it

export interface ExistingComment {
  id: number;
  body: string;
  url: string;
}

export interface StickyComments {
  /** The bot's comments that start with this repository's marker, oldest first (one is kept, extras are removed). */
  current: ExistingComment[];
  /** The bot's per-system comments of earlier versions (replaced by the single comment). */
  legacy: ExistingComment[];
}

interface ApiComment {
  id: number;
  body?: string;
  html_url: string;
  user?: { login?: string; type?: string } | null;
}

/**
 * The pull request's aigate comments: those whose author is `botLogin` (the token's user) and whose
 * body starts with the marker. A comment by a person or another bot, or one that merely contains a
 * marker, is never taken over.
 */
export async function findStickyComments(
  octokit: Octokit,
  where: { owner: string; repo: string; issue: number },
  who: { botLogin?: string; repoKey: string },
): Promise<StickyComments> {
  const all = (await octokit.paginate(octokit.rest.issues.listComments, {
    owner: where.owner,
    repo: where.repo,
    issue_number: where.issue,
    per_page: 100,
  })) as ApiComment[];
  const login = who.botLogin || DEFAULT_BOT_LOGIN;
  const marker = commentMarker(who.repoKey);
  const found: StickyComments = { current: [], legacy: [] };
  for (const c of all) {
    if (c.user?.login !== login) continue;
    const body = c.body ?? "";
    const e = { id: c.id, body, url: c.html_url };
    if (body === marker || body.startsWith(`${marker}\n`)) found.current.push(e);
    else if (LEGACY_MARKER.test(body)) found.legacy.push(e);
  }
  return found;
}

export type CommentAction = { kind: "created" | "updated" | "deleted" | "skipped"; url: string | null };

/**
 * Makes the pull request carry exactly one aigate comment with `body` (or none when it is clean and
 * `deleteWhenClean`): the existing one is updated in place (a legacy per-system one becomes it when
 * there is no current one), the bot's other aigate comments are deleted. A clean pull request that
 * never had a comment gets none.
 */
export async function upsertComment(
  octokit: Octokit,
  where: { owner: string; repo: string; issue: number },
  found: StickyComments,
  body: string,
  clean: boolean,
  deleteWhenClean: boolean,
): Promise<CommentAction> {
  const { owner, repo } = where;
  const keep = found.current[0] ?? found.legacy[0];
  const extras = [...found.current, ...found.legacy].filter((c) => c !== keep);
  const remove = async (cs: ExistingComment[]) => {
    for (const c of cs) await octokit.rest.issues.deleteComment({ owner, repo, comment_id: c.id });
  };
  if (clean && deleteWhenClean) {
    if (!keep) return { kind: "skipped", url: null };
    await remove([keep, ...extras]);
    return { kind: "deleted", url: null };
  }
  // A clean PR that never had a comment gets none: no noise when there is nothing to say.
  if (clean && !keep) return { kind: "skipped", url: null };
  let result: CommentAction;
  if (keep && keep.body === body) result = { kind: "skipped", url: keep.url };
  else if (keep) {
    const r = await octokit.rest.issues.updateComment({ owner, repo, comment_id: keep.id, body });
    result = { kind: "updated", url: r.data.html_url };
  } else {
    const r = await octokit.rest.issues.createComment({ owner, repo, issue_number: where.issue, body });
    result = { kind: "created", url: r.data.html_url };
  }
  await remove(extras);
  return result;
}
