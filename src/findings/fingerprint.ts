// Fingerprints identify a problem, not a position: rule, system, path and the evidence key.
// Line numbers and message text are left out so rewording or unrelated edits never reopen a finding.
import { createHash } from "node:crypto";

export function fingerprint(parts: { ruleId: string; system: string | null; path: string; key: string }): string {
  return createHash("sha256")
    .update([parts.ruleId, parts.system ?? "", parts.path, parts.key].join("\u0000"))
    .digest("hex")
    .slice(0, 32);
}
