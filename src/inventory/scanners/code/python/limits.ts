// What bounds how often and how much users can make a Python file's model calls generate: a rate
// limiter in the file (set up for the whole app, it limits the routes of other files too: the
// summary says so), a cap on the tokens one call generates (on the call, or on the client the
// call is made through), and clients built with the user's own key (the user pays).
import type { CrossFile } from "../flow-steps.js";
import type { PyFile } from "./context.js";
import type { PythonFlowData } from "./data.js";
import type { Flow } from "./flow-state.js";
import type { PyCall } from "./names.js";
import type { AssignmentChain } from "./syntax.js";

/** Arguments that cap what one model call generates. */
export const TOKEN_CAP =
  /^(max_tokens|max_new_tokens|max_output_tokens|max_completion_tokens|maxTokens|maxOutputTokens|maxCompletionTokens|num_predict|n_predict)$/;

export interface Limits {
  /** The file imports a rate limiter or decorates with one. */
  rateLimited: boolean;
  /** Clients (and what is built around them) constructed with a token cap. */
  capped: Set<string>;
  /** Clients constructed with a key the user typed in (`OpenAI(api_key=st.text_input(...))`), and what is built from them. */
  ownKey: Set<string>;
  /** Entry points already reported as calling the model without limits. */
  reportedEntries: Set<string>;
}

/** The file's limits; records in the summary when its limiter covers the whole app. */
export function fileLimits(file: PyFile, F: PythonFlowData, cross: CrossFile | undefined): Limits {
  const rateLimited = F.rateLimitModules.some((m) => file.names.importsAny([m])) || /@\w+\.limit\(/.test(file.text);
  // A limiter set up for the whole app (default limits, middleware, init_app) limits the routes of other files too.
  if (
    cross &&
    !cross.symbolic &&
    rateLimited &&
    /default_limits|application_limits|SlowAPIMiddleware|\.init_app\(|Limiter\([^)]{0,200}\bapp\b|app\.state\.limiter|FastAPILimiter\.init/.test(file.text)
  )
    cross.summary.limits = "app";
  return { rateLimited, capped: cappedClients(file), ownKey: new Set(), reportedEntries: new Set() };
}

function cappedClients(file: PyFile): Set<string> {
  const capped = new Set<string>();
  for (const ch of file.chains.of.values()) {
    const v = ch.value;
    if (!v || (v.type !== "call" && v.type !== "binary_operator")) continue;
    const made = v.type === "call" ? file.callById.get(v.id) : undefined;
    // Built from a capped client: only worth a look below once some client is capped.
    const isCapped =
      (made && [...made.kwargs.keys()].some((k) => TOKEN_CAP.test(k))) ||
      (capped.size > 0 &&
        v
          .descendantsOfType("identifier")
          .slice(0, 200)
          .some((x) => !!x && capped.has(x.text)));
    if (isCapped) for (const l of ch.targets) if (l.type === "identifier") capped.add(l.text);
  }
  return capped;
}

/** A call given a key or token the user typed in. */
export const byokCall = (flow: Flow, c: PyCall) =>
  [...c.kwargs].some(([k, v]) => /^(\w+_)?(api_?key|token)$/i.test(k) && flow.taint.mentions(v)?.kind === "input");

/** `x = Client(api_key=<typed by the user>)`, and what is built from such a client (an agent or chain around it): x is the user's own. */
export function noteOwnKeyClients(flow: Flow, ch: AssignmentChain): void {
  const made = ch.value?.type === "call" ? flow.file.callById.get(ch.value.id) : undefined;
  const fromOwn =
    made && (byokCall(flow, made) || [...made.positional, ...made.kwargs.values()].some((a) => a.type === "identifier" && flow.limits.ownKey.has(a.text)));
  if (fromOwn) for (const l of ch.targets) if (l.type === "identifier") flow.limits.ownKey.add(l.text);
}
