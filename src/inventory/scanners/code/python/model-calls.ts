// A model call of a Python file fed by taint: untrusted input pasted into its prompt (an f-string,
// + or .format built from input: instructions and untrusted text share one string), and an entry
// point whose users can call the model as often as they like (no rate limiter; authenticated users
// with a token cap are bounded; a client on the user's own key is the user's bill). Limits: limits.ts.
import type { Node } from "web-tree-sitter";
import type { Taint } from "../flow-taint.js";
import { at, where } from "../places.js";
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
  const node = c.node;
  let fed: Taint | undefined;
  for (const a of [...c.positional, ...c.kwargs.values()]) {
    const t = taint.mentions(a);
    if (t?.kind === "input") fed ??= t;
    // An f-string, + or .format built from input inside the call's arguments. Input typed by
    // the person running the program (console, arguments) is theirs to phrase.
    const built = t?.kind === "input" && !t.local && (t.templated || [a, ...a.descendantsOfType(["string", "binary_operator", "call"]).filter((x): x is Node => !!x).slice(0, 200)].some((x) => isTemplate(x) && taint.mentions(x)?.kind === "input"));
    if (!built || !t) continue;
    flow.report({
      kind: "code.input-into-prompt",
      ...at(node),
      message: `${t.what} (${t.source}) from ${where(t.row)} is pasted into the prompt of ${c.name}() at ${where(node.startPosition.row)}: instructions and untrusted text share one string`,
      key: `prompt:${t.source}->${c.name}`,
      data: { source: t.source, call: c.name, sourceLine: t.row + 1, what: t.what, sourceAt: where(t.row) },
    });
  }
  return fed;
}

/** An entry point fed to the model with nothing in the file that limits how often (reported once per entry point). */
function unboundedCalls(flow: Flow, c: PyCall, fnNode: Node | null, fed: Taint | undefined): void {
  const { limits, taint } = flow;
  const node = c.node;
  // A client built from the user's own key (a password field in the UI): the user pays.
  const clientRoot = fnNode ? keyOf(fnNode)?.split(".")[0] : undefined;
  const ownKey = (clientRoot !== undefined && limits.ownKey.has(clientRoot)) || byokCall(flow, c);
  // Authenticated users with a cap on what one call may generate: bounded, if not rate-limited.
  const capped = [...c.kwargs].some(([k, v]) => TOKEN_CAP.test(k) && taint.mentions(v)?.kind !== "input") || (clientRoot !== undefined && limits.capped.has(clientRoot));
  if (!fed?.entry || limits.rateLimited || ownKey || (fed.entry.authenticated && capped)) return;
  const e = fed.entry;
  const k = `${e.framework}:${e.name}:${e.row}`;
  if (limits.reportedEntries.has(k)) return;
  limits.reportedEntries.add(k);
  flow.report({
    kind: "code.unbounded-model-calls",
    ...at(node),
    message: `${e.framework === "streamlit" ? "the Streamlit app" : `${e.framework} entry point ${e.name}`} calls the model (${c.name}) at ${where(node.startPosition.row)} with ${fed.what} from ${where(fed.row)}, and nothing in the file limits how often (no rate limiter${e.authenticated ? "" : ", no authentication"})`,
    key: `unbounded:${e.framework}:${e.name}`,
    data: { framework: e.framework, entry: e.name, call: c.name, authenticated: e.authenticated, caller: e.framework === "streamlit" ? "the Streamlit app" : `${e.framework} entry point ${e.name}`, input: `${fed.what} from ${where(fed.row)}`, missing: `no rate limiter${e.authenticated ? "" : ", no authentication"}` },
  });
}
