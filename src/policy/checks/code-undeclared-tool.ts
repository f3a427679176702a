// `code-undeclared-tool`: a tool the code gives a model (LangChain, OpenAI/Anthropic definitions,
// MCP) that the manifest's `tools[]` does not declare: the system has agency nobody reviewed.
import type { CheckKind, CheckResult } from "../types.js";
import { codeTools, toolKey } from "./code-tools-shared.js";
import { fill } from "./template.js";

export const codeUndeclaredToolCheck: CheckKind = {
  meta: {
    kind: "code-undeclared-tool",
    description: "Each tool the code gives a model is declared in the manifest's tools[] (matched by name).",
    paramsSchema: { type: "object", properties: {}, additionalProperties: false },
    placeholders: ["name", "framework", "privileges", "message"],
  },
  run(_params, ctx) {
    if (ctx.system.synthetic) return [];
    const declared = new Set((ctx.system.manifest.tools ?? []).map((t) => toolKey(t.name)));
    const seen = new Set<string>();
    const out: CheckResult[] = [];
    for (const o of codeTools(ctx)) {
      const name = String(o.data?.name ?? "");
      if (declared.has(toolKey(name)) || seen.has(`${o.location.path}:${toolKey(name)}`)) continue;
      seen.add(`${o.location.path}:${toolKey(name)}`);
      const privileges = (o.data?.privileges as string[] | undefined) ?? [];
      out.push({
        location: o.location,
        key: `tool:${toolKey(name)}`,
        message: fill(ctx.rule.message, {
          name,
          framework: String(o.data?.framework ?? ""),
          privileges: privileges.length ? privileges.join(", ") : "unknown",
          message: `${o.message}, but the manifest's tools[] does not declare "${name}"`,
        }),
      });
    }
    return out;
  },
};
