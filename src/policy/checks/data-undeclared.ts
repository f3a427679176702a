// `data-undeclared`: data files, retrieval stores and LFS pointers that no dataset of the manifest
// declares (by its `paths` globs). With `personalData: true`, only those holding personal data.
// `except` globs name files that are not data the system uses (training-run logs and metrics).
import { globParamProblem, matchesAny } from "../../util/glob.js";
import type { CheckKind, CheckResult } from "../types.js";
import { dataObservations, datasetFor, declaredDatasets, summariseKinds } from "./data-datasets.js";
import { fill } from "./template.js";

export const dataUndeclaredCheck: CheckKind = {
  meta: {
    kind: "data-undeclared",
    description:
      "Data the data scanner found (files, retrieval stores, LFS pointers) that no `datasets[].paths` glob of the manifest declares; with `personalData: true`, only undeclared data that holds personal data.",
    paramsSchema: {
      type: "object",
      properties: {
        personalData: { type: "boolean", description: "Only undeclared data in which personal data was found." },
        except: {
          type: "array",
          items: { type: "string" },
          description: "Globs of files that are not data the system uses (training-run logs, metrics): never reported.",
        },
      },
      additionalProperties: false,
    },
    placeholders: ["path", "kinds", "what", "message"],
  },
  validate(params) {
    return globParamProblem(params, ["except"]);
  },
  run(params, ctx) {
    if (ctx.system.synthetic) return [];
    const datasets = declaredDatasets(ctx);
    const personal = dataObservations(ctx, ["data.personal-data"]);
    const found = dataObservations(ctx, ["data.file", "data.lfs-pointer", "data.retrieval-store"]);
    const seen = new Set<string>();
    const except = (params["except"] as string[] | undefined) ?? [];
    const results: CheckResult[] = [];
    for (const o of found) {
      const path = o.location.path;
      const root = typeof o.data?.["root"] === "string" ? (o.data["root"] as string) : path;
      if (seen.has(path)) continue; // a store's file is also a data file: one result
      seen.add(path);
      if (datasetFor(datasets, path) || datasetFor(datasets, root)) continue;
      if (except.length && matchesAny(path, except)) continue;
      const here = personal.filter((p) => p.location.path === path);
      if (params["personalData"] === true) {
        if (here.length === 0) continue;
        results.push({
          location: here[0]!.location,
          key: `undeclared-personal:${path}`,
          message: fill(ctx.rule.message, {
            path,
            kinds: summariseKinds(here),
            message: `${path} holds personal data (${summariseKinds(here)}) and no dataset in the manifest declares it`,
          }),
        });
      } else {
        const what =
          o.kind === "data.retrieval-store"
            ? `a ${String(o.data?.["store"])} retrieval store`
            : o.kind === "data.lfs-pointer"
              ? "Git LFS data"
              : `${String(o.data?.["format"])} data`;
        results.push({
          location: o.location,
          key: `undeclared:${path}`,
          message: fill(ctx.rule.message, { path, what, message: `${path}: ${what} that no dataset in the manifest declares` }),
        });
      }
    }
    return results;
  },
};
