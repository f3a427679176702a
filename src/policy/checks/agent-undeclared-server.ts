// `agent-undeclared-server`: an MCP server that an agent or MCP client configuration in the system's
// files gives agents (the agents scanner's `agent.mcp-server` observations) and that the manifest's
// tools[] does not declare: agency nobody reviewed. Names match as for code tools (case, `-`, `_`,
// spaces and dots ignored); a switched-off server counts too, since one edit switches it on.
import type { CheckKind, CheckResult } from "../types.js";
import { toolKey } from "./code-tools-shared.js";
import { fill } from "./template.js";

export const agentUndeclaredServerCheck: CheckKind = {
  meta: {
    kind: "agent-undeclared-server",
    description: "Each MCP server an agent configuration in the system's files declares is declared in the manifest's tools[] (matched by name).",
    paramsSchema: { type: "object", properties: {}, additionalProperties: false },
    placeholders: ["name", "client", "launch", "message"],
  },
  run(_params, ctx) {
    if (ctx.system.synthetic) return [];
    const declared = new Set((ctx.system.manifest.tools ?? []).map((t) => toolKey(t.name)));
    const governed = ctx.governed;
    const out: CheckResult[] = [];
    for (const o of ctx.inventory.observations) {
      if (o.kind !== "agent.mcp-server" || !governed.has(o.location.path)) continue;
      const name = String(o.data?.name ?? "");
      if (declared.has(toolKey(name))) continue;
      out.push({
        location: o.location,
        key: `mcp-server:${toolKey(name)}`,
        message: fill(ctx.rule.message, {
          name,
          client: String(o.data?.client ?? ""),
          launch: String(o.data?.launch ?? ""),
          message: `${o.message}, but the manifest's tools[] does not declare "${name}"`,
        }),
      });
    }
    return out;
  },
};
