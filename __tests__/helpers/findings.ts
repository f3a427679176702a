// A finding with every field set to something plain, for tests that build findings by hand.
import type { Finding } from "../../src/findings/types.js";

export function aFinding(over: Partial<Finding> = {}): Finding {
  return {
    ruleId: "r",
    title: "t",
    control: null,
    threats: [],
    severity: "error",
    status: "open",
    message: "m",
    path: "a.py",
    line: 1,
    column: 1,
    fingerprint: "0".repeat(32),
    system: null,
    ...over,
  };
}
