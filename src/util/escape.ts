// Escaping, one layer per sink. On a pull request every string from the scanned repository (file
// names, file contents, manifest strings and the messages built from them) is written by whoever
// the gate checks, so it reaches a sink only through one of these functions:
//
// - Markdown/HTML (PR comments, reviews, check-run summaries, the job summary): `mdCode` for names
//   and paths, `mdText` for prose, `mdLink` for aigate's own links.
// - The terminal and the runner's log (text report, `explain`): `termText`, and `termLocation` for
//   what starts a line.
// - Workflow commands (`core.error(message, props)`): @actions/core escapes `%`, CR and LF in the
//   message and also `:` and `,` in properties, so a message cannot end the command or add a
//   property; `termText` on top keeps terminal escapes and bidi controls out of the log.

/** Unicode bidirectional controls: they reorder how the text around them is displayed. */
const BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069";
/**
 * Characters never shown as they are: C0 and C1 controls, DEL, bidi controls, the Unicode line and
 * paragraph separators and the byte-order mark.
 */
const UNSAFE = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f${BIDI}\\u2028\\u2029\\ufeff]`, "gu");
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const LINE_BREAK = /\r\n|[\r\n\u000b\u000c\u0085\u2028\u2029]/g;

/** The visible form of one unsafe character: `\xNN` below U+0100, `\u{NNNN}` above. */
function visible(ch: string): string {
  const cp = ch.codePointAt(0)!;
  return cp < 0x100 ? `\\x${cp.toString(16).padStart(2, "0")}` : `\\u{${cp.toString(16)}}`;
}

/** Cuts `s` to at most `max` characters (UTF-16 units), ending with "…", never inside a surrogate pair. */
export function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = Math.max(0, max - 1);
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return s.slice(0, end) + "…";
}

// ---------------------------------------------------------------------------------------------
// Terminal and runner log

/**
 * Text for a terminal or the runner's log: every C0/C1 control (ESC of ANSI and OSC sequences, CR,
 * LF, TAB, BEL), DEL, bidi override, line separator and BOM becomes a visible `\xNN` / `\u{NNNN}`,
 * so content can neither move the cursor, set the clipboard, clear the screen, reorder what is
 * shown nor start a new line. `##[` (the runner's legacy command prefix, honoured anywhere in a
 * line) becomes `##\x5b`. `max` cuts long values.
 */
export function termText(s: string, max = Infinity): string {
  const out = String(s).replace(UNSAFE, visible).replace(/##\[/g, "##\\x5b");
  return max === Infinity ? out : cut(out, max);
}

/**
 * A location (path) that starts a terminal line: `termText`, and prefixed with `./` when it would
 * begin with whitespace or `:` (the runner trims leading whitespace and reads `::name::` at the
 * start of a line as a workflow command) or is empty.
 */
export function termLocation(path: string): string {
  const s = termText(path);
  return s === "" || /^[\s:]/u.test(s) ? `./${s}` : s;
}

// ---------------------------------------------------------------------------------------------
// GitHub-flavoured Markdown and HTML

/** Default length of a code span's content (a path, a name). */
export const MD_CODE_MAX = 256;
/** Default length of a piece of prose (a message). */
export const MD_TEXT_MAX = 2000;

/** Flattens to one line and makes the remaining unsafe characters visible. */
function oneLine(s: string): string {
  return String(s).replace(LINE_BREAK, " ").replace(/\t/g, " ").replace(UNSAFE, visible);
}

/**
 * A name or path as a Markdown code span, safe whatever it contains: one line (line breaks become
 * spaces, other controls and bidi marks visible escapes), cut to `max` with "…", `|` escaped as
 * `\|` so a table row stays intact (GFM removes the backslash, also inside code; pass
 * `table: false` outside tables), fenced by a backtick run longer than any inside it and padded
 * with spaces where CommonMark would otherwise eat a backtick or a space. Inside a code span
 * nothing is markup: no HTML, no mention, no reference, no link.
 */
export function mdCode(s: string, opts: { max?: number; table?: boolean } = {}): string {
  let body = oneLine(cut(String(s), opts.max ?? MD_CODE_MAX));
  if (opts.table ?? true) body = body.replace(/\|/g, "\\|");
  if (body === "") return "` `";
  let longest = 0;
  for (const run of body.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = "`".repeat(longest + 1);
  const pad = body.startsWith("`") || body.endsWith("`") || (body.startsWith(" ") && body.endsWith(" ") && body.trim() !== "") ? " " : "";
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** U+2060 WORD JOINER as an entity: invisible, and it splits what GitHub would turn into a mention, reference or link. */
const JOIN = "&#x2060;";

/**
 * Prose from content, as inline Markdown that renders as exactly that text: one line, cut to `max`;
 * `&`, `<`, `>` as entities (no HTML, no `<!--` comment, no autolink); Markdown punctuation
 * backslash-escaped (no emphasis, code, link, image, strikethrough, math, table cell); and what
 * GitHub links after rendering made inert with a word joiner: `@mention` and `@org/team`, `#123`
 * and `GH-123` references, `scheme://` and `www.` autolinks, e-mail addresses. Never start a line
 * with it (a caller's own text comes first).
 */
export function mdText(s: string, max = MD_TEXT_MAX): string {
  return oneLine(cut(String(s), max))
    .replace(/[\\`*_[\]()!~|$#^{}&<>]/g, (ch) => (ch === "&" ? "&amp;" : ch === "<" ? "&lt;" : ch === ">" ? "&gt;" : `\\${ch}`))
    .replace(/@(?=[\p{L}\p{N}_-])/gu, `@${JOIN}`)
    .replace(/\\#(?=[\p{L}\p{N}_-])/gu, `\\#${JOIN}`)
    .replace(/\b(GH)-(?=\d)/gi, `$1-${JOIN}`)
    .replace(/:\/\//g, `:${JOIN}//`)
    .replace(/\b(www)\./gi, `$1${JOIN}.`);
}

/**
 * A link for aigate's own data (taxonomy links, the run URL): clickable only when `url` is an
 * absolute http(s) URL, with the characters that could end a Markdown link destination encoded;
 * otherwise the text alone. Never pass a URL taken from the scanned repository.
 */
export function mdLink(text: string, url: string | null | undefined): string {
  const href = safeHttpUrl(url);
  return href ? `[${mdText(text)}](${href})` : mdText(text);
}

/** `url` as an absolute http(s) URL safe in a Markdown link destination, or null. */
export function safeHttpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return null;
  return u.href.replace(/[()<>\s"'`\\]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

// JSON printed where a runner or terminal reads it: JSON.stringify leaves DEL, C1 controls, bidi marks,
// line separators and the runner's legacy `##[` command prefix as they are. Escaping them as
// \uXXXX keeps the document identical once parsed.
const JSON_UNSAFE = /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|##\[/g;

/** `JSON.stringify` output made safe to print to a terminal or a workflow log; parses to the same value. */
export function jsonSafe(json: string): string {
  return json.replace(JSON_UNSAFE, (m) => (m === "##[" ? "##\\u005b" : `\\u${m.charCodeAt(0).toString(16).padStart(4, "0")}`));
}

/** `text` as a JavaScript regular expression that matches itself, literally. */
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
