// `code-torch-weights-only`: `torch.load(weights_only=True)` is only a safe loader from torch 2.6.0
// on: before it, CVE-2025-32434 runs code from a crafted checkpoint even with weights_only=True.
// Compares the code scanner's observations with the torch version the dependency files pin.
import { lt, valid } from "@renovatebot/pep440";
import { comparable } from "../../inventory/scanners/dependencies/advisories.js";
import type { DependencyFacts } from "../../inventory/scanners/dependencies/scanner.js";
import type { CheckKind, CheckResult } from "../types.js";
import { fill } from "./template.js";

export const codeTorchWeightsOnlyCheck: CheckKind = {
  meta: {
    kind: "code-torch-weights-only",
    description: "torch.load(weights_only=True) with a pinned torch older than `minimum` (default 2.6.0, CVE-2025-32434).",
    paramsSchema: {
      type: "object",
      properties: { minimum: { type: "string", minLength: 1, description: "The first torch version whose weights_only loader is safe (default 2.6.0)." } },
      additionalProperties: false,
    },
    placeholders: ["version", "pinned", "message"],
  },
  run(params, ctx) {
    const minimum = typeof params.minimum === "string" ? params.minimum : "2.6.0";
    const deps = ctx.inventory.facts.dependencies as DependencyFacts | undefined;
    const pins = (deps?.pins?.pypi?.torch ?? []).filter((p) => {
      const v = comparable(p.version);
      return v !== undefined && valid(minimum) !== null && lt(v, minimum);
    });
    if (pins.length === 0) return [];
    const governed = ctx.governed;
    const pin = pins[0]!;
    const out: CheckResult[] = [];
    for (const o of ctx.inventory.observations) {
      if (o.kind !== "code.torch-load-weights-only" || !governed.has(o.location.path)) continue;
      out.push({
        location: o.location,
        key: `torch-weights-only:${pin.version}`,
        message: fill(ctx.rule.message, {
          version: pin.version,
          pinned: `${pin.path}:${pin.line}`,
          message: `torch.load(weights_only=True) is not a safe loader with torch ${pin.version} (pinned at ${pin.path}:${pin.line}): CVE-2025-32434 runs code from a crafted checkpoint before torch ${minimum}`,
        }),
      });
    }
    return out;
  },
};
