// Secrets for AI services: provider key formats, and literal values given to the environment
// variables the SDKs read. The value never leaves this module unmasked: maskSecret (util/redact)
// shows the issuer's public prefix and the length, nothing else.
import { createHash } from "node:crypto";
import { maskSecret } from "../../../util/redact.js";
import { codePatterns } from "./patterns.js";

export { maskSecret };

export interface SecretHit {
  id: string;
  service: string;
  masked: string;
  /** Hash prefix of the value: the fingerprint key, so the same secret is the same finding. */
  hash: string;
  /** Offset of the secret within the searched text. */
  offset: number;
}

let compiled: { id: string; service: string; re: RegExp }[] | undefined;
const regexes = () =>
  (compiled ??= codePatterns().secrets.patterns.map((p) => ({
    id: p.id,
    service: p.service,
    re: new RegExp(`(?<![A-Za-z0-9_\\-])${p.regex}(?![A-Za-z0-9_\\-])`, "g"),
  })));

/** Hits reported per searched text: enough to flag it, and the overlap test below stays cheap. */
const MAX_HITS = 100;
const hashOf = (value: string) => createHash("sha256").update(value).digest("hex").slice(0, 16);

export function findSecrets(text: string): SecretHit[] {
  const out: SecretHit[] = [];
  for (const { id, service, re } of regexes()) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      if (out.length >= MAX_HITS) return out;
      if (out.some((h) => m.index >= h.offset && m.index < h.offset + 4)) continue;
      out.push({ id, service, masked: maskSecret(m[0]), hash: hashOf(m[0]), offset: m.index });
    }
  }
  return out;
}

let placeholder: RegExp | undefined;
/** A literal value for a provider's key variable that is not a placeholder. */
export function namedSecret(name: string, value: string): SecretHit | undefined {
  const names = codePatterns().secrets.envNames.names;
  const upper = name.toUpperCase();
  if (!names.includes(upper)) return undefined;
  placeholder ??= new RegExp(codePatterns().secrets.placeholders, "i");
  const v = value.trim();
  if (v.length < 8 || placeholder.test(v)) return undefined;
  return { id: "ai-service-credential", service: upper, masked: maskSecret(v), hash: hashOf(v), offset: 0 };
}
