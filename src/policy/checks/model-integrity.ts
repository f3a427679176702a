// `model-integrity`: compares the model files the `models` scanner found with the manifest's
// `models[]`: a declared sha256 that does not match the computed one (or a Git LFS pointer's oid),
// and model files no entry declares. (Unpinned sources are manifest.yaml's model-source-unpinned.)
import { posix } from "node:path";
import type { ModelArtifact } from "../../inventory/types.js";
import type { CheckKind, CheckContext, CheckResult } from "../types.js";
import { fill } from "./template.js";

/** True when `path` is the declared path or lies in the declared folder. */
const covers = (declared: string, path: string) => declared === "" || path === declared || path.startsWith(declared.endsWith("/") ? declared : declared + "/");

function declaredPaths(ctx: CheckContext): { index: number; path: string; sha256?: string }[] {
  return (ctx.system.manifest.models ?? []).flatMap((m, index) =>
    m.path ? [{ index, path: posix.normalize(ctx.resolve(m.path)).replace(/\/$/, "").replace(/^\.$/, ""), sha256: m.sha256 }] : [],
  );
}

function governedModels(ctx: CheckContext): ModelArtifact[] {
  const governed = ctx.governed;
  return ctx.inventory.models.filter((m) => governed.has(m.path));
}

export const modelIntegrityCheck: CheckKind = {
  meta: {
    kind: "model-integrity",
    description:
      "Model files against the manifest's models[]: `assert: sha256` (declared digest differs from the computed one), `undeclared` (a model file no models[].path covers).",
    paramsSchema: {
      type: "object",
      required: ["assert"],
      properties: { assert: { enum: ["sha256", "undeclared"] } },
      additionalProperties: false,
    },
    placeholders: ["path", "declared", "actual", "format", "message"],
  },
  run(params, ctx) {
    if (ctx.system.synthetic) return [];
    const results: CheckResult[] = [];
    const models = governedModels(ctx);
    if (params["assert"] === "sha256") {
      for (const d of declaredPaths(ctx)) {
        if (!d.sha256) continue;
        const files = models.filter((m) => covers(d.path, m.path));
        // A folder with several model files cannot be checked against one digest.
        if (files.length !== 1 || !files[0]!.sha256) continue;
        const got = files[0]!.sha256;
        if (got.toLowerCase() === d.sha256.toLowerCase()) continue;
        results.push({
          location: ctx.system.locate(`/models/${d.index}/sha256`),
          key: `sha256:${files[0]!.path}:${d.sha256}`,
          message: fill(ctx.rule.message, {
            path: files[0]!.path,
            declared: d.sha256,
            actual: got,
            message: `${files[0]!.path}: sha256 is ${got}, the manifest declares ${d.sha256}`,
          }),
        });
      }
    } else if (params["assert"] === "undeclared") {
      const declared = declaredPaths(ctx);
      for (const m of models) {
        if (declared.some((d) => covers(d.path, m.path))) continue;
        results.push({
          location: { path: m.path, line: 1, column: 1 },
          key: `undeclared:${m.path}`,
          message: fill(ctx.rule.message, {
            path: m.path,
            format: m.format,
            message: `${m.path} is a ${m.format} model file that no models[] entry of the manifest declares`,
          }),
        });
      }
    }
    return results;
  },
};
