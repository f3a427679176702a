// Shared by the code-tool checks: the `code.tool` observations in a system's files, and matching a
// tool's name in code with a manifest `tools[]` entry (case, `-`, `_`, spaces and dots ignored).
import type { Observation } from "../../inventory/types.js";
import type { CheckContext } from "../types.js";

export const toolKey = (name: string): string => name.toLowerCase().replace(/[\s_.-]+/g, "");

export function codeTools(ctx: CheckContext): Observation[] {
  const governed = ctx.governed;
  return ctx.inventory.observations.filter((o) => o.kind === "code.tool" && governed.has(o.location.path));
}
