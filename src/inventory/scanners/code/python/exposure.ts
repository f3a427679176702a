// Inference UIs and servers of a Python file exposed to everyone: launched on every interface or
// with a public share link (the settings the data lists per call), in a file that serves a model,
// with neither the call's own authentication setting nor, where it counts, app-wide authentication.
import { findPattern } from "../patterns.js";
import { at, where } from "../places.js";
import type { Flow } from "./flow-state.js";

export function exposedUis(flow: Flow): void {
  const { file, F } = flow;
  const servesModel =
    file.llmCalls.size > 0 ||
    file.out.hits.some((h) => h.kind === "code.unsafe-load") ||
    file.calls.some((c) => /\.(from_pretrained|predict|generate|pipeline)$/.test(c.name));
  for (const c of file.calls) {
    const exposure = findPattern(F.exposure, c.name);
    if (!exposure) continue;
    if (exposure.requiresModel && !servesModel) continue;
    const problems: string[] = [];
    for (const [kw, val] of Object.entries(exposure.kwargs)) {
      const v = c.kwargs.get(kw);
      if (!v) continue;
      const text =
        v.type === "string"
          ? v.namedChildren
              .filter((x) => x?.type === "string_content")
              .map((x) => x!.text)
              .join("")
          : v.text;
      if (val.includes(text)) problems.push(`${kw}=${v.text}`);
    }
    if (!problems.length) continue;
    if (exposure.authKwargs.some((k) => c.kwargs.has(k)) || (exposure.fileAuth && flow.entries.appAuth)) continue;
    // A chained call (`gr.Interface(...).queue().launch(...)`) is located at its method name.
    const method = c.node.childForFieldName("function")?.childForFieldName("attribute") ?? c.node;
    const why = problems
      .map((p) => exposure.explain[p.split("=")[0]!])
      .filter(Boolean)
      .join("; ");
    flow.report({
      kind: "code.exposed-inference-ui",
      ...at(method),
      message: `${c.name}(${problems.join(", ")}) at ${where(method.startPosition.row)} ${exposure.what}${why ? ` (${why})` : ""}`,
      key: `exposed:${c.name}:${problems.join(",")}`,
      data: { call: c.name, settings: problems, arguments: problems.join(", "), what: exposure.what, why: why ? ` (${why})` : "" },
    });
  }
}
