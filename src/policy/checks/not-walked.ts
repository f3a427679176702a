// `not-walked`: parts of the repository a bound of the walk kept out (a folder deeper than the walk
// goes, the paths past its entry limit), under the system's folder. Nothing read what is there, so
// it is reported, never taken as clean: a model file hidden 300 folders deep was not seen at all.
import { isUnder } from "../../inventory/walk.js";
import type { CheckKind } from "../types.js";
import { fill } from "./template.js";

export const notWalkedCheck: CheckKind = {
  meta: {
    kind: "not-walked",
    description:
      "Every path under the system's folder that a bound of the repository walk kept out (deeper than it goes, past its entry limit): content that no scanner read.",
    paramsSchema: { type: "object", properties: {}, additionalProperties: false },
    placeholders: ["path", "reason"],
  },
  run(_params, ctx) {
    const folder = ctx.system.folder;
    const excluded = ctx.system.excludedFolders;
    return ctx.inventory.unscanned
      .filter((u) => u.bounded && u.scanner === "walk" && isUnder(u.path, folder) && !excluded.some((f) => isUnder(u.path, f)))
      .map((u) => ({
        location: { path: u.path, line: 1, column: 1 },
        key: u.path,
        message: fill(ctx.rule.message, { path: u.path, reason: u.reason }),
      }));
  },
};
