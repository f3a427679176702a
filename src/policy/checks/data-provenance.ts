// `data-provenance`: what the manifest says about where a dataset came from.
//   aspect "missing":  a dataset without `provenance` (origin, collection).
//   aspect "licence":  external data (origin public, vendor or scraped) committed to the repository
//                      with no `license` on the dataset.
//   aspect "unpinned": a dataset fetched from a hub (its `uri` or `provenance.uri`) with no
//                      `provenance.revision` to pin the download.
import { globOrBelowTest } from "../../util/glob.js";
import { pathsOf } from "../../inventory/file-index.js";
import type { CheckKind, CheckResult } from "../types.js";
import { declaredDatasets } from "./data-datasets.js";
import { fill } from "./template.js";

const EXTERNAL = new Set(["public", "vendor", "scraped"]);
// Dataset hubs whose downloads move unless pinned to a revision (a commit or tag).
const HUB = /^(?:hf:\/\/|https?:\/\/(?:www\.)?(?:huggingface\.co|hf\.co|kaggle\.com|tfhub\.dev|openml\.org)\/)/i;

export const dataProvenanceCheck: CheckKind = {
  meta: {
    kind: "data-provenance",
    description:
      "Dataset provenance in the manifest: `aspect: missing` (no provenance), `licence` (external data committed without a licence), `unpinned` (hub download without a revision).",
    paramsSchema: {
      type: "object",
      required: ["aspect"],
      properties: { aspect: { enum: ["missing", "licence", "unpinned"] } },
      additionalProperties: false,
    },
    placeholders: ["dataset", "origin", "files", "uri", "message"],
  },
  run(params, ctx) {
    if (ctx.system.synthetic) return [];
    const aspect = params["aspect"] as "missing" | "licence" | "unpinned";
    const files = pathsOf(ctx.inventory.files);
    const results: CheckResult[] = [];
    for (const d of declaredDatasets(ctx)) {
      const base = `/datasets/${d.index}`;
      const p = d.entry.provenance;
      const name = d.entry.name;
      if (aspect === "missing" && !p) {
        results.push({
          location: ctx.system.locate(base, "key"),
          key: `provenance-missing:${name}`,
          message: fill(ctx.rule.message, { dataset: name, message: `dataset "${name}" has no provenance (origin, collection)` }),
        });
      } else if (aspect === "licence" && p && EXTERNAL.has(p.origin) && !d.entry.license) {
        const declared = d.globs.map(globOrBelowTest);
        const committed = files.filter((f) => declared.some((t) => t(f)));
        if (committed.length === 0) continue;
        results.push({
          location: ctx.system.locate(`${base}/provenance/origin`, "value"),
          key: `provenance-licence:${name}`,
          message: fill(ctx.rule.message, {
            dataset: name,
            origin: p.origin,
            files: `${committed.length} file${committed.length === 1 ? "" : "s"} in the repository (${committed[0]}${committed.length > 1 ? ", ..." : ""})`,
            message: `dataset "${name}" is ${p.origin} data with ${committed.length} file(s) in the repository (${committed[0]}${committed.length > 1 ? ", ..." : ""}) and no license`,
          }),
        });
      } else if (aspect === "unpinned") {
        const uri = p?.uri ?? d.entry.uri;
        if (!uri || !HUB.test(uri) || p?.revision) continue;
        const pointer = p?.uri ? `${base}/provenance/uri` : `${base}/uri`;
        results.push({
          location: ctx.system.locate(pointer, "value"),
          key: `provenance-unpinned:${name}`,
          message: fill(ctx.rule.message, {
            dataset: name,
            uri,
            message: `dataset "${name}" is fetched from ${uri} without a pinned revision (provenance.revision)`,
          }),
        });
      }
    }
    return results;
  },
};
