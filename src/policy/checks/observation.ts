// `observation`: scanners' observations of a kind (a glob such as `model.unsafe` or `data.*`) in the
// files a system governs become results. The scanner says what it saw; the rule decides severity.
// `match` must select at least one kind of the catalogue (src/inventory/observation-kinds.ts), and
// `where` and the message's placeholders may only name fields those kinds carry.
import { OBSERVATION_KINDS, type ObservationKindInfo } from "../../inventory/observation-kinds.js";
import { relativePaths } from "../../inventory/file-index.js";
import { anyPathMatches, globParamProblem, matchGlob, pathIndex } from "../../util/glob.js";
import { joinPointer } from "../../util/pointer.js";
import { didYouMean } from "../../util/suggest.js";
import type { Check, CheckKind } from "../types.js";
import { fill } from "./template.js";

/** Placeholders every observation rule may use besides the data fields of the kinds it matches. */
const ALWAYS = ["message", "path"] as const;
/** What a `perFile` rule may use as well: the rest of the file's group, in words. */
const PER_FILE = ["others"] as const;

/** The catalogue's kinds that a `match` (a kind or a glob) selects. */
export function matchedKinds(match: string): ObservationKindInfo[] {
  return OBSERVATION_KINDS.filter((k) => matchGlob(k.kind, match));
}

function fieldsOf(params: Check): string[] {
  return [...new Set(matchedKinds(String(params.match)).flatMap((k) => Object.keys(k.fields)))];
}

export const observationCheck: CheckKind = {
  meta: {
    kind: "observation",
    description:
      "Every scanner observation whose kind matches `match` (a glob) in the system's files, optionally only where `where` fields of its data are equal.",
    paramsSchema: {
      type: "object",
      required: ["match"],
      properties: {
        match: { type: "string", minLength: 1, description: "Observation kind or glob, e.g. model.unsafe, data.*" },
        where: { type: "object", description: "Equality conditions on the observation's data fields." },
        perFile: {
          type: "boolean",
          description:
            "One result per file and kind: the first observation, with the keys of the others listed (a pickle's many unlisted globals are one finding); the message's {others} placeholder holds that list in words (\"; and 2 more: a, b\"), or nothing.",
        },
        unlessFiles: {
          type: "array",
          items: { type: "string" },
          description: "Globs: no result when a file the system governs matches one (a Next.js middleware that authenticates every route).",
        },
      },
      additionalProperties: false,
    },
    placeholders: [...ALWAYS, ...PER_FILE],
  },
  validate(params) {
    const glob = globParamProblem(params, ["match", "unlessFiles"]);
    if (glob) return { at: "/match", message: glob };
    const match = String(params.match);
    if (matchedKinds(match).length === 0) {
      const areas = [...new Set(OBSERVATION_KINDS.filter((k) => k.kind.includes(".")).map((k) => `${k.kind.split(".")[0]}.*`))];
      return {
        at: "/match",
        message: `check.match "${match}" names no observation kind${didYouMean(match, [...OBSERVATION_KINDS.map((k) => k.kind), ...areas])}`,
      };
    }
    const fields = fieldsOf(params);
    for (const key of Object.keys((params.where as Record<string, unknown> | undefined) ?? {})) {
      if (!fields.includes(key))
        return { at: joinPointer("/where", key), key: true, message: `check.where: "${match}" observations have no field "${key}"${didYouMean(key, fields)}` };
    }
    return undefined;
  },
  placeholders(params) {
    return [...ALWAYS, ...(params.perFile ? PER_FILE : []), ...fieldsOf(params)];
  },
  run(params, ctx) {
    const governed = ctx.governed;
    const unless = (params.unlessFiles as string[] | undefined) ?? [];
    if (unless.length) {
      if (anyPathMatches(pathIndex(relativePaths(ctx.governedFiles, ctx.system.folder)), unless)) return [];
    }
    const where = (params.where as Record<string, unknown> | undefined) ?? {};
    const seen = ctx.inventory.observations.filter(
      (o) => governed.has(o.location.path) && matchGlob(o.kind, params.match as string) && Object.entries(where).every(([k, v]) => o.data?.[k] === v),
    );
    if (!params.perFile) {
      return seen.map((o) => ({
        location: o.location,
        key: `${o.kind}:${o.key}`,
        message: fill(ctx.rule.message, { message: o.message, path: o.location.path, ...(o.data ?? {}) }),
      }));
    }
    const groups = new Map<string, typeof seen>();
    for (const o of seen) {
      const k = `${o.location.path}\0${o.kind}`;
      const g = groups.get(k);
      if (g) g.push(o);
      else groups.set(k, [o]);
    }
    return [...groups.values()].map((g) => {
      const o = g[0]!;
      const more = g.slice(1).map((x) => x.key);
      const shown = more.slice(0, 20);
      // {others}: the rest of the group, in words ("; and 2 more: a, b"), or empty.
      const others = more.length
        ? `; and ${more.length} more: ${shown.join(", ")}${more.length > shown.length ? `, and ${more.length - shown.length} others` : ""}`
        : "";
      // The file is the finding: its key stays the same as globals are added or removed.
      return {
        location: o.location,
        key: `${o.kind}:file`,
        message: fill(ctx.rule.message, { message: o.message + others, others, path: o.location.path, ...(o.data ?? {}) }),
      };
    });
  },
};
