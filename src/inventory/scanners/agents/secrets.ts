// Literal secrets in an MCP server's `env`, `headers` and URL: a provider key format (the code
// scanner's list), or a value given to a secret-named variable or an authentication header that
// is not a reference (`${input:x}`, `${env:X}`, `$X`, `{{X}}`, `%X%`) or a placeholder. Values
// leave this module masked (util/redact's maskSecret); the fingerprint key is a hash prefix.
import { createHash } from "node:crypto";
import { maskSecret } from "../../../util/redact.js";
import { codePatterns } from "../code/patterns.js";
import { findSecrets } from "../code/secrets.js";

export interface LiteralSecret {
  masked: string;
  hash: string;
  /** "a <provider> key" for a known format, else "a literal credential". */
  what: string;
}

const SECRET_NAME =
  /(?:^|[_.-])(?:api[_-]?key|apikey|key|token|secret|password|passwd|pwd|pat|credentials?|auth|authorization|access[_-]?key|private[_-]?key|client[_-]?secret|session)$/i;
const AUTH_HEADER = /^(?:authorization|proxy-authorization|x-api-key|api-key|x-auth-token|x-access-token|cookie)$/i;

/**
 * Whether `v` refers to a variable instead of holding a value: `${NAME}`, `$NAME`, `{{ name }}`,
 * `%NAME%`, `{env:NAME}`. One pass each: the expression these replace scanned the rest of the text
 * from every `${` and `{{` in it (quadratic on a value of repeated openers).
 */
export function isReference(v: string): boolean {
  const dollar = v.indexOf("${");
  if (dollar >= 0 && v.indexOf("}", dollar + 2) >= 0) return true;
  const env = v.indexOf("{env:");
  if (env >= 0 && v.indexOf("}", env + 5) >= 0) return true;
  if (/\$[A-Za-z_]|%[A-Za-z_][A-Za-z0-9_]*%/.test(v)) return true;
  // `{{` ... `}}` with no `}` between: every `{{` before the first `}` after one ends there too.
  for (let open = v.indexOf("{{"); open >= 0;) {
    const close = v.indexOf("}", open + 2);
    if (close < 0) return false;
    if (v[close + 1] === "}") return true;
    open = v.indexOf("{{", close + 1);
  }
  return false;
}
const PLACEHOLDER =
  /^(?:<[^>]*>|\[[^\]]*\]|your[-_ ].*|.*[-_ ]here|x{3,}|\*{3,}|\.{3,}|changeme|change[-_]me|todo|none|null|dummy|example|placeholder|redacted|secret|token|password)$/i;
const hashOf = (v: string) => createHash("sha256").update(v).digest("hex").slice(0, 16);

let placeholders: RegExp | undefined;
function isPlaceholder(v: string): boolean {
  placeholders ??= new RegExp(codePatterns().secrets.placeholders, "i");
  // ALL_CAPS_WITH_UNDERSCORES names a variable ("YOUR_API_KEY"), it is not a value.
  return PLACEHOLDER.test(v) || placeholders.test(v) || /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(v);
}

/** A literal secret in `value`, given to the variable or header `name`, or undefined. */
export function literalSecret(name: string, value: string, header = false): LiteralSecret | undefined {
  const known = findSecrets(value)[0];
  if (known) {
    const literal = value.slice(known.offset).match(/^\S+/)?.[0] ?? value;
    return { masked: known.masked, hash: hashOf(literal), what: `${/^[AEIOU]/i.test(known.service) ? "an" : "a"} ${known.service} key` };
  }
  const secretNamed = header ? AUTH_HEADER.test(name) || SECRET_NAME.test(name) : SECRET_NAME.test(name);
  if (!secretNamed) return undefined;
  // `Bearer <token>`, `Basic <b64>`, `token <t>`: the credential is the last word.
  const v = value
    .trim()
    .replace(/^(?:bearer|basic|token|apikey|api-key)\s+/i, "")
    .trim();
  if (v.length < 8 || isReference(v) || isPlaceholder(v) || /\s/.test(v)) return undefined;
  return { masked: maskSecret(v), hash: hashOf(v), what: "a literal credential" };
}

/**
 * Whether a query parameter's name (after a `?` or `&`, up to its `=`) mentions a key, token, auth
 * or secret: what /[?&][^=&]*(?:key|token|auth|secret)[^=&]*=/i finds, in one pass (that expression
 * scans the rest of a name from each `?` in it: quadratic on a URL of question marks).
 */
export function hasCredentialParameter(url: string): boolean {
  for (let i = 0; i < url.length; i++) {
    if (url[i] !== "?" && url[i] !== "&") continue;
    let end = i + 1;
    while (end < url.length && url[end] !== "=" && url[end] !== "&") end++;
    if (end < url.length && url[end] === "=" && /key|token|auth|secret/i.test(url.slice(i + 1, end))) return true;
    // A `?` inside this name starts a shorter name ending at the same place: the next start is `end`.
    i = end - 1;
  }
  return false;
}

/** Secret-named query parameters with literal values in a URL (`?api_key=...`). */
export function urlSecrets(url: string): { param: string; secret: LiteralSecret }[] {
  const q = url.indexOf("?");
  const out: { param: string; secret: LiteralSecret }[] = [];
  const query = q < 0 ? "" : url.slice(q + 1);
  const fragment = query.indexOf("#");
  for (const pair of (fragment < 0 ? query : query.slice(0, fragment)).split("&").slice(0, 50)) {
    const eq = pair.indexOf("=");
    if (eq <= 0) continue;
    let name = pair.slice(0, eq);
    let value = pair.slice(eq + 1);
    try {
      name = decodeURIComponent(name);
      value = decodeURIComponent(value);
    } catch {
      // keep the raw text
    }
    const s = literalSecret(name, value);
    if (s) out.push({ param: name, secret: s });
  }
  // Credentials in the user-info part: https://user:password@host/...
  const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/@?#]*)@/i.exec(url)?.[1];
  if (userinfo && userinfo.includes(":")) {
    const pw = userinfo.slice(userinfo.indexOf(":") + 1);
    if (pw && !isReference(pw)) out.push({ param: "user info", secret: { masked: maskSecret(pw), hash: hashOf(pw), what: "a password" } });
  }
  return out;
}
