// One way to keep secrets out of every sink (terminal, JSON, Markdown, SARIF, annotations):
//   maskSecret(value)  a secret's public prefix and its length, never another character of it;
//   redactUrl(url)     a URL without its user info, with query and fragment values replaced;
//   redactText(text)   both of the above, applied to every URL and known token shape in a text.
// redactText is idempotent (redacting twice changes nothing) and cheap enough to run on every
// finding message; it knows token shapes and `name=value` secrets, not every secret there is, so
// scanners still mask what they find themselves.
import { TOKEN_FORMATS } from "./secret-prefixes.js";
import { stripTrailing } from "./strip.js";

/** Shown instead of a value that is not a secret's known prefix. */
export const MASK = "***";

// The shown prefix never exceeds what stays hidden, and at least this much stays hidden.
const MIN_HIDDEN = 8;
const PREFIXES = [...new Set([...TOKEN_FORMATS.map((f) => f.prefix), "eyJ"])].sort((a, b) => b.length - a.length);
const PRIVATE_KEY_HEADER = /^-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/;

/** The public prefix of a secret (`hf_`, `ghp_`, `sk-ant-`, a PEM header...), or "" for none. */
export function publicPrefix(value: string): string {
  const pem = PRIVATE_KEY_HEADER.exec(value);
  if (pem) return pem[0];
  for (const p of PREFIXES) {
    if (value.startsWith(p) && value.length - p.length >= Math.max(MIN_HIDDEN, p.length)) return p;
  }
  return "";
}

/** `hf_…(37 chars)`, `…(8 chars)`: the issuer's public prefix, if any, and the length. */
export function maskSecret(value: string): string {
  return `${publicPrefix(value)}…(${value.length} chars)`;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

// Every known token shape, longest prefix first; the body takes the whole run of its characters so
// that no tail of a longer token is left in the clear. The look-behind keeps `task-...` from
// matching `sk-...` and makes the scan linear (a match can only start where a run starts).
const TOKEN_SOURCE = [
  "eyJ[A-Za-z0-9_\\-]{10,}\\.eyJ[A-Za-z0-9_\\-]{10,}\\.[A-Za-z0-9_\\-]{10,}",
  // A PEM private key up to its END line (or the end of the text); a masked one (header then …) is left.
  "-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:[^-…]|-(?!----END))(?:[^-]|-(?!----END))*(?:-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----)?",
  ...[...TOKEN_FORMATS].sort((a, b) => b.prefix.length - a.prefix.length).map((f) => `${escapeRe(f.prefix)}[${f.body}]{${f.min},}`),
].join("|");
const TOKENS = new RegExp(`(?<![A-Za-z0-9])(?:${TOKEN_SOURCE})`, "g");

/** Replaces every known token shape in `text` with its mask. */
export function maskTokens(text: string): string {
  return text.replace(TOKENS, (m) => maskSecret(m));
}

// Query and fragment parameters whose values are public (package names, hashes of files, refs).
const PUBLIC_PARAMS = new Set([
  "egg",
  "subdirectory",
  "sha1",
  "sha224",
  "sha256",
  "sha384",
  "sha512",
  "md5",
  "ref",
  "rev",
  "revision",
  "branch",
  "tag",
  "version",
  "download",
]);
// SSH user names that are the same for everyone, not credentials.
const PUBLIC_USERS = new Set(["git", "hg"]);
// Webhook URLs whose path after this prefix is the credential.
const WEBHOOKS: { host: RegExp; path: string }[] = [
  { host: /^hooks\.slack\.com$/i, path: "/services/" },
  { host: /^(?:ptb\.|canary\.)?discord(?:app)?\.com$/i, path: "/api/webhooks/" },
  { host: /^api\.telegram\.org$/i, path: "/bot" },
];

const URL_START = /^([A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/)/;
const FRAGMENT_REF = /^[A-Za-z0-9._/:^~+-]{1,100}$/;
const BARE_PARAM = /^[A-Za-z0-9._-]{1,16}$/;

function redactParams(params: string): string {
  return params
    .split("&")
    .map((part) => {
      const eq = part.indexOf("=");
      if (eq < 0) return part === MASK || (BARE_PARAM.test(part) && maskTokens(part) === part) ? part : MASK;
      const name = maskTokens(part.slice(0, eq));
      const value = part.slice(eq + 1);
      if (value === "" || value === MASK) return `${name}=${value}`;
      return PUBLIC_PARAMS.has(name.toLowerCase()) ? `${name}=${maskTokens(value)}` : `${name}=${MASK}`;
    })
    .join("&");
}

function redactPath(host: string, path: string): string {
  for (const w of WEBHOOKS) {
    if (w.host.test(host) && path.startsWith(w.path) && path.length > w.path.length) return w.path + MASK;
  }
  return maskTokens(path);
}

/**
 * A URL without credentials: the user info (all of it, up to the last `@` before the first `/`,
 * so a password holding `@` goes too) becomes `***@`, query and fragment parameters keep their
 * names but not their values (file hashes, `egg=` and refs excepted), a fragment that is a plain
 * ref (`#main`, `#v1.2`) stays, and token shapes anywhere in the path are masked. Text that is not
 * a `scheme://` URL gets its token shapes masked.
 */
export function redactUrl(url: string): string {
  const m = URL_START.exec(url);
  if (!m) return maskTokens(url);
  const scheme = m[1]!;
  let rest = url.slice(scheme.length);
  let userinfo = "";
  const slash = rest.indexOf("/");
  const at = rest.lastIndexOf("@", slash === -1 ? rest.length : slash);
  if (at >= 0) {
    const user = rest.slice(0, at);
    userinfo = PUBLIC_USERS.has(user) ? `${user}@` : `${MASK}@`;
    rest = rest.slice(at + 1);
  }
  const q = rest.indexOf("?");
  const h = rest.indexOf("#");
  const pathEnd = Math.min(q < 0 ? rest.length : q, h < 0 ? rest.length : h);
  const slashAt = rest.indexOf("/");
  const hostEnd = slashAt < 0 || slashAt > pathEnd ? pathEnd : slashAt;
  const host = rest.slice(0, hostEnd);
  let out = scheme + userinfo + host + redactPath(host.replace(/:\d+$/, ""), rest.slice(hostEnd, pathEnd));
  if (q >= 0 && (h < 0 || q < h)) out += "?" + redactParams(rest.slice(q + 1, h < 0 ? rest.length : h));
  if (h >= 0) {
    const fragment = rest.slice(h + 1);
    out += "#" + (fragment.includes("=") ? redactParams(fragment) : FRAGMENT_REF.test(fragment) || fragment === "" ? maskTokens(fragment) : MASK);
  }
  return out;
}

// A URL inside text: from its scheme to the next space or quote. The look-behind makes the scan
// linear: a scheme can only start where a run of scheme characters starts.
const URL_IN_TEXT = /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/[^\s"'<>`]+/g;
// Punctuation that ends a sentence rather than the URL.
const TRAILING = ").,;:!?]}";

// `password=...`, `"api_key": "..."`, `HF_TOKEN="..."`: a value given to a secret-named key. The
// name must end with the secret word (so `tokenizer: gpt2` stays), a `:` needs a quote on one side
// (so prose such as "token: expected a string" stays), and values that are masks, placeholders,
// numbers or booleans stay.
const ASSIGNMENT =
  /(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]*?(?:password|passwd|pwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?|auth)s?)(["'][ \t]*:[ \t]*["']?|[ \t]*:[ \t]*["']|["']?[ \t]*=[ \t]*["']?)([^\s"'`,;&<>)]{4,})/gi;
const KEEP_VALUE = /^(?:\d+|true|false|null|none|undefined|yes|no|required|optional|\$\{.*\}|\$[A-Za-z_][A-Za-z0-9_]*|%\(?[A-Za-z_].*|\{\{.*\}\})$|…|\*\*\*/i;

function maskAssignments(text: string): string {
  return text.replace(ASSIGNMENT, (whole, key: string, sep: string, value: string) => (KEEP_VALUE.test(value) ? whole : `${key}${sep}${maskSecret(value)}`));
}

// Cheap pre-checks: most messages hold no URL, no token and no assignment.
const MAYBE_TOKEN = new RegExp(`(?:${[...new Set(PREFIXES.map((p) => escapeRe(p.slice(0, 2))))].join("|")}|-----BEGIN)`);
const MAYBE_ASSIGNMENT = /(?:pass|pwd|secret|token|key|credential|auth)/i;

/**
 * Masks every URL's credentials and every known token shape in arbitrary text. Idempotent:
 * redactText(redactText(s)) === redactText(s).
 */
export function redactText(text: string): string {
  if (typeof text !== "string" || text === "") return text;
  let out = text;
  if (out.includes("://")) {
    out = out.replace(URL_IN_TEXT, (m) => {
      const url = stripTrailing(m, TRAILING);
      return redactUrl(url) + m.slice(url.length);
    });
  }
  if (MAYBE_TOKEN.test(out)) out = maskTokens(out);
  if (MAYBE_ASSIGNMENT.test(out)) out = maskAssignments(out);
  return out;
}
