// `code-tool-privileges`: a tool the manifest declares read-only (no write, delete, execute, send,
// payments or admin privilege) whose code writes (files, shell, HTTP POST, SQL commit, mail).
// The finding sits at the manifest's tool entry and names the code that writes.
import type { CheckKind, CheckResult } from "../types.js";
import { codeTools, toolKey } from "./code-tools-shared.js";
import { fill } from "./template.js";

const WRITING = new Set(["write", "delete", "execute", "send", "payments", "admin"]);

export const codeToolPrivilegesCheck: CheckKind = {
  meta: {
    kind: "code-tool-privileges",
    description: "A tool declared without write-like privileges is not given code that writes.",
    paramsSchema: { type: "object", properties: {}, additionalProperties: false },
    placeholders: ["name", "privileges", "evidence", "message"],
  },
  run(_params, ctx) {
    if (ctx.system.synthetic) return [];
    const found = codeTools(ctx);
    const out: CheckResult[] = [];
    (ctx.system.manifest.tools ?? []).forEach((tool, i) => {
      if (tool.privileges.some((p) => WRITING.has(p))) return;
      const writer = found.find((o) => toolKey(String(o.data?.name ?? "")) === toolKey(tool.name) && o.data?.writes === true);
      if (!writer) return;
      const evidence = `${writer.location.path}:${writer.location.line}${writer.data?.writeEvidence ? ` (${String(writer.data.writeEvidence)})` : ""}`;
      out.push({
        location: ctx.system.locate(`/tools/${i}/privileges`),
        key: `tool-privileges:${toolKey(tool.name)}`,
        message: fill(ctx.rule.message, {
          name: tool.name,
          privileges: tool.privileges.join(", ") || "none",
          evidence,
          message: `tools[${i}] "${tool.name}" is declared with privileges [${tool.privileges.join(", ")}], but its code writes: ${evidence}`,
        }),
      });
    });
    return out;
  },
};
