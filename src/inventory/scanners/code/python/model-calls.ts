// A model call of a Python file fed by taint: untrusted input pasted into its prompt (an f-string,
// + or .format built from input: instructions and untrusted text share one string), and an entry
// point whose users can call the model as often as they like (no rate limiter; authenticated users
// with a token cap are bounded; a client on the user's own key is the user's bill). Limits: limits.ts.
import type { Node } from "web-tree-sitter";
import { inputIntoPrompt, reportUnbounded, type Templates } from "../flow-hits.js";
import type { Taint } from "../flow-taint.js";
import type { Flow } from "./flow-state.js";
import { byokCall, TOKEN_CAP } from "./limits.js";
import type { PyCall } from "./names.js";
import { isTemplate } from "./syntax.js";
import { keyOf } from "./taint.js";

/** Strings built from parts: f-strings, `+` and `.format`. */
const TEMPLATES: Templates = { types: ["string", "binary_operator", "call"], is: isTemplate };

export function modelCallFindings(flow: Flow, c: PyCall, fnNode: Node | null): void {
  const fed = inputIntoPrompt(flow.report, c, [...c.positional, ...c.kwargs.values()], TEMPLATES, (n) => flow.taint.mentions(n));
  unboundedCalls(flow, c, fnNode, fed);
}

/** An entry point fed to the model with nothing in the file that limits how often (reported once per entry point). */
function unboundedCalls(flow: Flow, c: PyCall, fnNode: Node | null, fed: Taint | undefined): void {
  const { limits, taint } = flow;
  // A client built from the user's own key (a password field in the UI): the user pays.
  const clientRoot = fnNode ? keyOf(fnNode)?.split(".")[0] : undefined;
  const ownKey = (clientRoot !== undefined && limits.ownKey.has(clientRoot)) || byokCall(flow, c);
  // Authenticated users with a cap on what one call may generate: bounded, if not rate-limited.
  const capped =
    [...c.kwargs].some(([k, v]) => TOKEN_CAP.test(k) && taint.mentions(v)?.kind !== "input") || (clientRoot !== undefined && limits.capped.has(clientRoot));
  if (!fed?.entry || limits.rateLimited || ownKey || (fed.entry.authenticated && capped)) return;
  reportUnbounded(flow.report, limits.reportedEntries, c.node, c.name, fed);
}
