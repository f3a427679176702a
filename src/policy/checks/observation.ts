// `observation`: scanners' observations of a kind (a glob such as `model.unsafe` or `data.*`) in the
// files a system governs become results. The scanner says what it saw; the rule decides severity.
import { globParamProblem, matchGlob } from "../../util/glob.js";
import type { CheckKind } from "../types.js";
import { fill } from "./template.js";

export const observationCheck: CheckKind = {
  meta: {
    kind: "observation",
    description: "Every scanner observation whose kind matches `match` (a glob) in the system's files, optionally only where `where` fields of its data are equal.",
    paramsSchema: {
      type: "object",
      required: ["match"],
      properties: {
        match: { type: "string", minLength: 1, description: "Observation kind or glob, e.g. model.unsafe, data.*" },
        where: { type: "object", description: "Equality conditions on the observation's data fields." },
      },
    },
  },
  validate(params) {
    return globParamProblem(params, ["match"]);
  },
  run(params, ctx) {
    const governed = new Set(ctx.governedFiles);
    const where = (params.where as Record<string, unknown> | undefined) ?? {};
    return ctx.inventory.observations
      .filter((o) => governed.has(o.location.path) && matchGlob(o.kind, params.match as string) && Object.entries(where).every(([k, v]) => o.data?.[k] === v))
      .map((o) => ({
        location: o.location,
        key: `${o.kind}:${o.key}`,
        message: fill(ctx.rule.message, { message: o.message, path: o.location.path, ...(o.data ?? {}) }),
      }));
  },
};
