// `evidence-content`: a claimed control's evidence must show that control, not only exist. A cited
// file of a control with content signals must contain one (a rate limiter's import or setting, not
// the word in prose: documents and comment lines do not count), and one file cited for many
// controls without showing any of them in particular is generic. Cited files are read from the
// walked inventory only, bounded in bytes and files; patterns run on RE2.
import { join } from "node:path";
import { readRangeSync } from "../../inventory/context.js";
import { filesUnder } from "../../inventory/file-index.js";
import { joinPointer } from "../../util/pointer.js";
import { compileSafe, isRegexError, type SafeRegExp } from "../../util/regex.js";
import type { CheckKind, CheckResult } from "../types.js";
import { fill } from "./template.js";

/** Bytes read of one cited file, and files read for one folder cited. */
const MAX_BYTES = 512 * 1024;
const MAX_FILES = 25;
/** Text that is prose: a word in it is not a control in place. */
const PROSE = /\.(md|markdown|mdx|rst|txt|adoc|asciidoc|org|html?|pdf|docx?|odt|rtf)$/i;
/** A line that is only a comment (in the languages and configuration formats evidence is cited in). */
const COMMENT = /^\s*(#|\/\/|\/\*|\*|--|;|<!--|%|rem\s)/i;

interface Signal {
  what: string;
  patterns: string[];
}

const compiled = new Map<string, SafeRegExp | null>();
function regex(p: string): SafeRegExp | null {
  if (!compiled.has(p)) {
    const r = compileSafe(p, "i");
    compiled.set(p, isRegexError(r) ? null : r);
  }
  return compiled.get(p)!;
}

export const evidenceContentCheck: CheckKind = {
  meta: {
    kind: "evidence-content",
    description:
      "The files a claimed control cites show it: for a control with content signals, a cited file (not prose, not a comment) matches one of its patterns; a file cited for more than `maxControlsPerFile` other controls is too generic to evidence them.",
    paramsSchema: {
      type: "object",
      required: ["signals"],
      properties: {
        signals: {
          type: "object",
          description:
            "Per control id: `what` the evidence must show (in words) and the `patterns` (RE2, case-insensitive) of which a cited file must match one on a line that is not a comment.",
          additionalProperties: {
            type: "object",
            required: ["what", "patterns"],
            properties: {
              what: { type: "string", description: "What shows the control, in words (used in the message)." },
              patterns: { type: "array", items: { type: "string" }, minItems: 1, description: "Patterns of which one must match." },
            },
            additionalProperties: false,
          },
        },
        maxControlsPerFile: {
          type: "integer",
          minimum: 1,
          description: "A file cited for more controls without content signals than this is generic evidence (default 2).",
        },
      },
      additionalProperties: false,
    },
    placeholders: ["control", "path", "what", "controls", "count"],
  },
  validate(params) {
    for (const [control, s] of Object.entries((params.signals ?? {}) as Record<string, Signal>)) {
      for (const [i, p] of (s.patterns ?? []).entries()) {
        const r = compileSafe(p, "i");
        if (isRegexError(r)) return { at: `/signals/${control}/patterns/${i}`, message: r.error };
      }
    }
    return undefined;
  },
  run(params, ctx) {
    if (ctx.system.synthetic) return [];
    const signals = (params.signals ?? {}) as Record<string, Signal>;
    const maxPerFile = (params.maxControlsPerFile as number | undefined) ?? 2;
    const results: CheckResult[] = [];
    /** The files a cited path stands for (a file, or the first files below a folder). */
    const filesOf = (path: string): string[] => {
      // An empty file is the evidence check's finding (claimed-control-evidence-missing), not this one's.
      const size = ctx.fileSize(path);
      if (size !== undefined) return size ? [path] : [];
      const folder = path.replace(/\/$/, "");
      const out: string[] = [];
      // "" (the top level) names no file below it: no path starts with "/".
      if (folder !== "") for (const f of filesUnder(ctx.inventory.files, folder)) if (f.size > 0 && out.push(f.path) >= MAX_FILES) break;
      return out;
    };
    const textCache = new Map<string, string | null>();
    const textOf = (path: string): string | null => {
      if (!textCache.has(path)) {
        let t: string | null = null;
        try {
          const buf = readRangeSync(join(ctx.inventory.root, path), 0, Math.min(ctx.fileSize(path) ?? 0, MAX_BYTES));
          t = buf.subarray(0, 8192).includes(0) ? null : buf.toString("utf8");
        } catch {
          t = null;
        }
        textCache.set(path, t);
      }
      return textCache.get(path)!;
    };
    /** The first line of the file (not a comment) that matches one of the patterns: "path:line: text". */
    const shows = (path: string, s: Signal): string | undefined => {
      if (PROSE.test(path)) return undefined;
      const text = textOf(path);
      if (!text) return undefined;
      const res = s.patterns.map(regex).filter((r): r is SafeRegExp => !!r);
      const lines = text.split(/\r?\n/);
      for (let i = 0; i < lines.length; i++) {
        const l = lines[i]!;
        if (l.length > 2000 || COMMENT.test(l)) continue;
        if (res.some((r) => r.test(l))) return `${path}:${i + 1}`;
      }
      return undefined;
    };

    const citedBy = new Map<string, { control: string; index: number; e: string }[]>();
    for (const [control, claim] of Object.entries(ctx.system.manifest.controls ?? {})) {
      if (claim.status !== "implemented" && claim.status !== "partial") continue;
      const base = joinPointer("/controls", control);
      const local = (claim.evidence ?? []).map((e, i) => ({ e, i })).filter(({ e }) => !/^https?:\/\//.test(e));
      const s = signals[control];
      const existing = local.map(({ e, i }) => ({ e, i, files: filesOf(ctx.resolve(e)) })).filter((x) => x.files.length);
      if (s && existing.length) {
        // Shown when any cited file shows it; else one result at the first citation.
        const found = existing.some((x) => x.files.some((f) => shows(f, s)));
        if (!found) {
          const first = existing[0]!;
          const prose = existing.every((x) => x.files.every((f) => PROSE.test(f)));
          results.push({
            location: ctx.system.locate(`${base}/evidence/${first.i}`),
            key: `${base}:content:${existing.map((x) => x.e).join(",")}`,
            control,
            message: fill(ctx.rule.message, {
              control,
              path: existing.map((x) => x.e).join(", "),
              what: `${s.what}${prose ? " (a document saying so is not the control in place)" : ""}`,
              controls: control,
              count: 1,
            }),
          });
        }
        continue;
      }
      for (const x of existing)
        if (x.files.length === 1) {
          const l = citedBy.get(x.files[0]!) ?? [];
          l.push({ control, index: x.i, e: x.e });
          citedBy.set(x.files[0]!, l);
        }
    }
    for (const [path, cites] of citedBy) {
      if (cites.length <= maxPerFile) continue;
      const first = cites[0]!;
      const controls = cites.map((c) => c.control);
      results.push({
        location: ctx.system.locate(`${joinPointer("/controls", first.control)}/evidence/${first.index}`),
        key: `generic:${path}`,
        control: first.control,
        message: fill(ctx.rule.message, {
          control: first.control,
          path: first.e,
          what: `something specific to each of ${controls.join(", ")}`,
          controls: controls.join(", "),
          count: controls.length,
        }),
      });
    }
    return results;
  },
};
