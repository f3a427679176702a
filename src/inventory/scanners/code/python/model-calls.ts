// A model call of a Python file fed by taint: untrusted input pasted into its prompt (an f-string,
// + or .format built from input: instructions and untrusted text share one string), and an entry
// point whose users can call the model as often as they like (no rate limiter; authenticated users
// with a token cap are bounded; a client on the user's own key is the user's bill). Limits: limits.ts.
import type { Node } from "web-tree-sitter";
import { inputIntoPromptHit, reportUnbounded } from "../flow-hits.js";
import type { Taint } from "../flow-taint.js";
import type { Flow } from "./flow-state.js";
import { byokCall, TOKEN_CAP } from "./limits.js";
import type { PyCall } from "./names.js";
import { isTemplate } from "./syntax.js";
import { keyOf } from "./taint.js";

export function modelCallFindings(flow: Flow, c: PyCall, fnNode: Node | null): void {
  const fed = inputIntoPrompt(flow, c);
  unboundedCalls(flow, c, fnNode, fed);
}

/** Reports input built into the prompt; returns the first input that feeds the call. */
function inputIntoPrompt(flow: Flow, c: PyCall): Taint | undefined {
  const { taint } = flow;
  let fed: Taint | undefined;
  for (const a of [...c.positional, ...c.kwargs.values()]) {
    const t = taint.mentions(a);
    if (t?.kind === "input") fed ??= t;
    // An f-string, + or .format built from input inside the call's arguments. Input typed by
    // the person running the program (console, arguments) is theirs to phrase.
    const built = t?.kind === "input" && !t.local && (t.templated || [a, ...a.descendantsOfType(["string", "binary_operator", "call"]).filter((x): x is Node => !!x).slice(0, 200)].some((x) => isTemplate(x) && taint.mentions(x)?.kind === "input"));
    if (!built || !t) continue;
    flow.report(inputIntoPromptHit(c.node, c.name, t));
  }
  return fed;
}

/** An entry point fed to the model with nothing in the file that limits how often (reported once per entry point). */
function unboundedCalls(flow: Flow, c: PyCall, fnNode: Node | null, fed: Taint | undefined): void {
  const { limits, taint } = flow;
  // A client built from the user's own key (a password field in the UI): the user pays.
  const clientRoot = fnNode ? keyOf(fnNode)?.split(".")[0] : undefined;
  const ownKey = (clientRoot !== undefined && limits.ownKey.has(clientRoot)) || byokCall(flow, c);
  // Authenticated users with a cap on what one call may generate: bounded, if not rate-limited.
  const capped = [...c.kwargs].some(([k, v]) => TOKEN_CAP.test(k) && taint.mentions(v)?.kind !== "input") || (clientRoot !== undefined && limits.capped.has(clientRoot));
  if (!fed?.entry || limits.rateLimited || ownKey || (fed.entry.authenticated && capped)) return;
  reportUnbounded(flow.report, limits.reportedEntries, c.node, c.name, fed);
}
