// The check-kind registry: one line per kind. A rule's `check.kind` names one of these.
import type { CheckKind } from "../types.js";

export const CHECK_KINDS: readonly CheckKind[] = [
];

export function checkKind(kind: string): CheckKind | undefined {
  return CHECK_KINDS.find((k) => k.meta.kind === kind);
}
