// Turns one file's scan into observations, located at the file (line 1, column 1) with the
// offending global(s) and byte offsets in the message. `key` is the global (or the reason), so a
// finding's fingerprint survives unrelated changes to the file. An unsafe or suspicious file has
// two shapes of observation under one kind (an imported global, a construct such as BUILD on a
// global): `what`, `at`, `detail` and `more` hold each shape's words, so one rule message reads
// "{format} file {what}{at}{detail}{more}" for both.
import type { Observation } from "../../types.js";
import type { Finding, GlobalFound, ScannedModel } from "./result.js";

const PER_KIND = 20;

/** The `what` of a construct finding (a global's is the import itself). */
const CONSTRUCT = { unsafe: "has an unsafe construct", suspicious: "has a suspicious construct" } as const;

/** The observation's own message: the sentence models.yaml's model-unsafe and model-suspicious write. */
function sentence(format: string, w: { what: string; at: string; detail: string; more: string }): string {
  return `${format} file ${w.what}${w.at}${w.detail}${w.more}`;
}

export function observationsFor(scanner: string, m: ScannedModel): Observation[] {
  const out: Observation[] = [];
  const a = m.artifact;
  const at = { path: a.path, line: 1, column: 1 };
  const base = { format: a.format, verdict: a.verdict, sha256: a.sha256 };
  const where = (member?: string, offset?: number) => `${member ? ` in ${member}` : ""}${offset !== undefined ? ` at byte ${offset}` : ""}`;
  if (a.format === "lfs-pointer") return out;
  const r = m.result;
  if (!r) return out;

  for (const verdict of ["unsafe", "suspicious"] as const) {
    const kind = `model.${verdict}` as const;
    // One observation per distinct global, with its first place and how often it occurs.
    const byGlobal = new Map<string, GlobalFound[]>();
    for (const g of r.globals) if (g.verdict === verdict) byGlobal.set(g.resolved, [...(byGlobal.get(g.resolved) ?? []), g]);
    let n = 0;
    for (const [name, hits] of byGlobal) {
      if (n++ >= PER_KIND) break;
      const g = hits[0]!;
      const raw = `${g.module}.${g.name}` !== name ? ` (written as ${g.module}.${g.name})` : "";
      const words = {
        what: `imports ${name}${raw}`,
        at: where(g.member, g.offset),
        detail: ` via ${g.opcode}: ${g.reason}`,
        more: hits.length > 1 ? ` (${hits.length} times)` : "",
      };
      out.push({
        scanner,
        kind,
        location: at,
        key: name,
        message: sentence(a.format, words),
        data: {
          ...base,
          global: name,
          module: g.module,
          name: g.name,
          offset: g.offset,
          member: g.member ?? null,
          opcode: g.opcode,
          reason: g.reason,
          count: hits.length,
          ...words,
        },
      });
    }
    const byCode = new Map<string, Finding[]>();
    for (const f of r.findings) if (f.verdict === verdict) byCode.set(f.code, [...(byCode.get(f.code) ?? []), f]);
    for (const [code, fs] of byCode) {
      const f = fs[0]!;
      const words = {
        what: CONSTRUCT[verdict],
        at: where(f.member, f.offset),
        detail: `: ${f.message}`,
        more: fs.length > 1 ? ` (and ${fs.length - 1} more)` : "",
      };
      out.push({
        scanner,
        kind,
        location: at,
        key: code,
        message: sentence(a.format, words),
        data: { ...base, code, offset: f.offset ?? null, member: f.member ?? null, count: fs.length, problem: f.message, ...words },
      });
    }
  }
  const errors = r.findings.filter((f) => f.verdict === "error" && f.code !== "unscannable-archive");
  if (errors.length) {
    const f = errors[0]!;
    out.push({
      scanner,
      kind: "model.error",
      location: at,
      key: f.code,
      message: `${a.format} file could not be fully parsed: ${f.message}${where(f.member, f.offset)}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ""}; it is not counted as safe`,
      data: {
        ...base,
        code: f.code,
        offset: f.offset ?? null,
        member: f.member ?? null,
        count: errors.length,
        problem: f.message,
        at: where(f.member, f.offset),
        more: errors.length > 1 ? ` (and ${errors.length - 1} more)` : "",
      },
    });
  }
  const hidden = r.unscannable ?? r.findings.find((f) => f.code === "unscannable-archive")?.message;
  if (hidden) {
    out.push({
      scanner,
      kind: "model.unscannable-archive",
      location: at,
      key: "unscannable-archive",
      message: `${hidden}; not counted as safe`,
      data: { ...base, reason: hidden },
    });
  }
  if (a.details?.["pickleBased"]) {
    out.push({
      scanner,
      kind: "model.pickle-format",
      location: at,
      key: a.format,
      message: `${a.path} is a ${a.format} file, a pickle-based format whose loading can run code; safetensors, ONNX or GGUF store weights without code`,
      data: { ...base },
    });
  }
  return out;
}
