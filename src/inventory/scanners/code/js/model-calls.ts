// What the flow checks at a call of the model: untrusted input pasted into its prompt, and users
// calling it with nothing to bound how often or how much (no rate limiter; no authentication with
// a cap on the tokens a call generates; not the user's own key paying for it).
import type { Node } from "web-tree-sitter";
import { inputIntoPrompt, reportUnbounded, type Templates } from "../flow-hits.js";
import { shortText } from "../tree-walk.js";
import type { JsFile } from "./context.js";
import { isTemplate, type JsCall } from "./names.js";
import type { FlowPass } from "./pass.js";

/** Options that cap what one model call generates. */
const TOKEN_CAP = /^(max_tokens|maxTokens|maxOutputTokens|max_output_tokens|max_completion_tokens|maxCompletionTokens)$/;

/** Strings built from parts: templates with substitutions, `+` with a string in it. */
const TEMPLATES: Templates = { types: ["template_string", "binary_expression"], is: isTemplate };

/** Variables holding a client built with a token cap, or something built around such a client. */
export function cappedClients(file: JsFile): Set<string> {
  const capped = new Set<string>();
  for (const d of file.declarators) {
    const v = d.childForFieldName("value");
    const n = d.childForFieldName("name");
    if (!v || n?.type !== "identifier") continue;
    const head = v.text.slice(0, 4000);
    // Built from a capped client: only worth a look below once some client is capped.
    if (
      /\b(max_tokens|maxTokens|maxOutputTokens|max_completion_tokens|maxCompletionTokens)\s*:/.test(head) ||
      (capped.size > 0 &&
        v
          .descendantsOfType("identifier")
          .slice(0, 200)
          .some((x) => !!x && capped.has(x.text)))
    )
      capped.add(n.text);
  }
  return capped;
}

/** A call (or awaited call) given an API key from the request: the user pays with their own key. */
export function byok(p: FlowPass, call: Node): boolean {
  const target = call.type === "await_expression" ? call.namedChildren[0] : call;
  const args = target?.childForFieldName("arguments")?.namedChildren ?? [];
  return args.some(
    (a) =>
      a?.type === "object" &&
      a.namedChildren.some(
        (x) =>
          x?.type === "pair" &&
          /^["']?(\w+_)?(api_?key|apiKey|openAIApiKey|anthropicApiKey|token)["']?$/i.test(x.childForFieldName("key")?.text ?? "") &&
          p.mentions(x.childForFieldName("value"))?.kind === "input",
      ),
  );
}

export function onModelCall(p: FlowPass, node: Node, c: JsCall, fnNode: Node | null): void {
  const fed = inputIntoPrompt(p.report, { node, name: c.name }, c.args, TEMPLATES, (n) => p.mentions(n));
  // A client built from the user's own key: the user pays.
  const clientRoot = fnNode ? shortText(fnNode)?.split(".")[0] : undefined;
  const ownKey = (clientRoot !== undefined && p.ownKeyClients.has(clientRoot)) || byok(p, node);
  // Authenticated users with a cap on what one call may generate: bounded, if not rate-limited.
  const capped =
    c.args.some(
      (a) =>
        a.type === "object" &&
        a.namedChildren.some(
          (x) =>
            x?.type === "pair" &&
            TOKEN_CAP.test((x.childForFieldName("key")?.text ?? "").replace(/["']/g, "")) &&
            p.mentions(x.childForFieldName("value"))?.kind !== "input",
        ),
    ) ||
    (clientRoot !== undefined && p.cappedClients.has(clientRoot));
  if (fed?.entry && !p.rateLimited && !ownKey && !(fed.entry.authenticated && capped)) reportUnbounded(p.report, p.unboundedEntries, node, c.name, fed);
}
