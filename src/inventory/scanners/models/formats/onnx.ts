// ONNX (protobuf ModelProto): streamed field by field, raw tensor payloads skipped, so only the
// graph structure is read. Two things matter: operator domains outside the standard ones need a
// custom operator library loaded into the runtime, and `external_data` locations are file paths
// the runtime opens (CVE-2022-25882, CVE-2024-27318, CVE-2025-51480): they must stay inside the
// repository, relative, with no `..`, drive, backslash or NUL.
import { posix } from "node:path";
import type { ModelFormat } from "../format.js";
import type { ByteReader } from "../reader.js";
import { formatData } from "../format-data.js";
import { newResult, type FileResult } from "../result.js";

export const onnxFormat: ModelFormat = {
  id: "onnx",
  description: "ONNX: the graph is streamed (tensor payloads skipped); custom operator domains and external data paths that leave the repository are reported",
  sniff: (h) => looksLikeOnnx(h),
  scan: async (blob, ctx, call) => {
    const res = await scanOnnx(await blob.open(), blob.size, ctx.filePath);
    // A protobuf that does not parse as a model was probably not ONNX at all.
    return call.trial && res.findings.some((f) => f.code === "bad-protobuf") ? undefined : res;
  },
  extensions: { onnx: "onnx" },
  namedAs: "model",
  results: { onnx: { manifest: "onnx" } },
};

/** An ONNX ModelProto starts with ir_version (field 1, varint 1..15) followed by a known field. */
function looksLikeOnnx(h: Buffer): boolean {
  if (h[0] !== 0x08 || !h[1] || h[1] < 1 || h[1] > 15) return false;
  const tag = h[2];
  // producer_name (2), producer_version (3), domain (4), model_version (5, varint), doc_string (6), graph (7), opset_import (8)
  return tag === 0x12 || tag === 0x1a || tag === 0x22 || tag === 0x28 || tag === 0x32 || tag === 0x3a || tag === 0x42;
}

type Msg = "model" | "graph" | "node" | "attr" | "tensor" | "sparse" | "opset" | "function" | "training" | "entry";
/** Sub-message fields per message (field number -> message), from onnx/onnx.proto. */
const SCHEMA: Record<Msg, Record<number, Msg>> = {
  model: { 7: "graph", 8: "opset", 20: "training", 25: "function" },
  graph: { 1: "node", 5: "tensor", 15: "sparse" },
  node: { 5: "attr" },
  attr: { 5: "tensor", 6: "graph", 10: "tensor", 11: "graph", 22: "sparse", 23: "sparse" },
  tensor: { 13: "entry" },
  sparse: { 1: "tensor", 2: "tensor" },
  opset: {},
  function: { 7: "node", 9: "opset" },
  training: { 1: "graph", 3: "graph" },
  entry: {},
};
/** String fields kept (field number per message). */
const STRINGS: Partial<Record<Msg, number[]>> = { node: [4, 7], opset: [1], entry: [1, 2], tensor: [8], model: [2] };
const MAX_DEPTH = 32;

class OnnxError extends Error {}

interface Ctx {
  r: ByteReader;
  domains: Set<string>;
  external: { tensor: string; location: string }[];
  opTypes: number;
}

export async function scanOnnx(r: ByteReader, size: number, filePath: string): Promise<FileResult> {
  const res = newResult("onnx");
  const ctx: Ctx = { r, domains: new Set(), external: [], opTypes: 0 };
  try {
    await message(ctx, "model", size, 0, {});
  } catch (e) {
    res.findings.push({ verdict: "error", code: "bad-protobuf", message: e instanceof Error ? e.message : String(e), offset: r.pos });
    return res;
  }
  const standard = new Set(formatData().onnx.standardDomains.values);
  const custom = [...ctx.domains].filter((d) => !standard.has(d)).sort();
  if (custom.length)
    res.findings.push({
      verdict: "suspicious",
      code: "custom-op-domain",
      message: `operators from custom domain(s) ${custom.map((d) => JSON.stringify(d)).join(", ")} need a custom operator library loaded into the runtime`,
    });
  for (const e of ctx.external) {
    const why = externalPathProblem(e.location, filePath);
    if (why)
      res.findings.push({
        verdict: "unsafe",
        code: "external-data-path",
        message: `tensor ${JSON.stringify(e.tensor)} reads external data from ${JSON.stringify(e.location)}: ${why}`,
      });
  }
  res.details["nodes"] = ctx.opTypes;
  res.details["externalData"] = ctx.external.map((e) => e.location);
  return res;
}

/** Why an external-data location is unsafe, or undefined when it stays beside the model. */
export function externalPathProblem(location: string, filePath: string): string | undefined {
  if (location.includes("\0")) return "the path holds a NUL byte";
  if (location.includes("\\")) return "the path holds a backslash";
  if (/^[A-Za-z]:/.test(location) || location.startsWith("/")) return "the path is absolute";
  if (location.split("/").includes("..")) return "the path climbs out of the model's folder with ..";
  const resolved = posix.normalize(posix.join(posix.dirname(filePath), location));
  if (resolved.startsWith("../") || resolved === "..") return "the path leaves the repository";
  return undefined;
}

async function varint(r: ByteReader): Promise<bigint> {
  let v = 0n;
  for (let shift = 0n; shift < 70n; shift += 7n) {
    const b = await r.u8();
    v |= BigInt(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
  }
  throw new OnnxError(`varint too long at byte ${r.pos}`);
}

async function message(ctx: Ctx, kind: Msg, end: number, depth: number, out: Record<number, string | bigint>): Promise<void> {
  const r = ctx.r;
  if (depth > MAX_DEPTH) throw new OnnxError("messages nested too deep");
  const entries: Record<number, string | bigint>[] = [];
  while (r.pos < end) {
    const tag = await varint(r);
    const field = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (field === 0) throw new OnnxError(`field number 0 at byte ${r.pos}`);
    if (wire === 0) out[field] = await varint(r);
    else if (wire === 1) await r.skip(8);
    else if (wire === 5) await r.skip(4);
    else if (wire === 2) {
      const len = Number(await varint(r));
      if (r.pos + len > end) throw new OnnxError(`field ${field} of ${kind} runs past its end (byte ${r.pos + len} > ${end})`);
      const sub = SCHEMA[kind][field];
      if (sub) {
        const child: Record<number, string | bigint> = {};
        await message(ctx, sub, r.pos + len, depth + 1, child);
        if (sub === "entry") entries.push(child);
        if (sub === "node") {
          ctx.opTypes++;
          ctx.domains.add(typeof child[7] === "string" ? child[7] : "");
        }
        if (sub === "opset") ctx.domains.add(typeof child[1] === "string" ? child[1] : "");
      } else if (STRINGS[kind]?.includes(field) && len <= 4096) out[field] = (await r.take(len)).toString("utf8");
      else await r.skip(len, `field ${field}`);
    } else throw new OnnxError(`wire type ${wire} (groups) at byte ${r.pos}`);
  }
  if (r.pos !== end) throw new OnnxError(`${kind} message overruns its length`);
  if (kind === "tensor") {
    const loc = entries.find((e) => e[1] === "location");
    if (loc && typeof loc[2] === "string") ctx.external.push({ tensor: typeof out[8] === "string" ? out[8] : "?", location: loc[2] });
    else if (out[14] === 1n) ctx.external.push({ tensor: typeof out[8] === "string" ? out[8] : "?", location: "" });
  }
}
