// safetensors: u64 header length N, then N bytes of JSON mapping tensor names to dtype, shape and
// data_offsets relative to the data section. Only the header is read. The reference reader caps N
// at 100,000,000 and requires the offsets to stay in the file and to cover it without gaps.
import { jsonSyntaxProblem } from "../../../../util/json-error.js";
import { randomAccess, tooBig } from "../blob.js";
import type { ModelFormat } from "../format.js";
import type { RandomAccess } from "../reader.js";
import { newResult, type FileResult } from "../result.js";

export const safetensorsFormat: ModelFormat = {
  id: "safetensors",
  description: "safetensors: the JSON header is checked (length, tensors' dtypes, shapes and offsets covering the data without gaps or overlaps)",
  sniff: (h, size) => {
    if (h.length < 9 || h[8] !== 0x7b) return false;
    const n = h.readBigUInt64LE(0);
    // Any plausible length (text would read as a huge number): a bad one is the parser's error to report.
    return n > 1n && (n <= BigInt(Math.max(0, size - 8)) || n < 1n << 40n);
  },
  scan: async (blob, ctx) => {
    const ra = await randomAccess(blob, ctx);
    return ra ? scanSafetensors(ra) : tooBig("safetensors", blob);
  },
  extensions: { safetensors: "safetensors" },
  namedAs: "model",
  results: { safetensors: { manifest: "safetensors" } },
};

const MAX_HEADER = 100_000_000;

export async function scanSafetensors(ra: RandomAccess): Promise<FileResult> {
  const res = newResult("safetensors");
  const bad = (message: string, verdict: "error" | "suspicious" = "error") => {
    res.findings.push({ verdict, code: "bad-header", message, offset: 0 });
    return res;
  };
  if (ra.size < 8) return bad("file shorter than the 8-byte header length");
  const n = (await ra.read(0, 8)).readBigUInt64LE(0);
  if (n > BigInt(MAX_HEADER)) return bad(`header length ${n} exceeds the 100,000,000-byte limit`);
  if (n > BigInt(ra.size - 8)) return bad(`header length ${n} runs past the end of the file (${ra.size} bytes)`);
  const text = (await ra.read(8, Number(n))).toString("utf8");
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    // Where, not what: the header's metadata is free text and may hold anything.
    return bad(`header is ${jsonSyntaxProblem(text, e).message}`);
  }
  if (!header || typeof header !== "object" || Array.isArray(header)) return bad("header is not a JSON object");
  if (hasDuplicateKeys(text)) bad("header has duplicate tensor names", "suspicious");
  const dataSize = ra.size - 8 - Number(n);
  const spans: [number, number, string][] = [];
  for (const [name, v] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (!v || typeof v !== "object" || Object.values(v).some((x) => typeof x !== "string")) bad("__metadata__ is not a map of strings");
      continue;
    }
    const t = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const offs = t?.data_offsets;
    if (
      typeof t?.dtype !== "string" ||
      !Array.isArray(t.shape) ||
      !Array.isArray(offs) ||
      offs.length !== 2 ||
      !offs.every((o) => Number.isSafeInteger(o) && (o as number) >= 0)
    ) {
      return bad(`tensor ${JSON.stringify(name)} lacks a dtype, shape or two data_offsets`);
    }
    const [b, e] = offs as [number, number];
    if (b > e || e > dataSize) return bad(`tensor ${JSON.stringify(name)} data_offsets [${b}, ${e}] fall outside the data section (${dataSize} bytes)`);
    spans.push([b, e, name]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  let at = 0;
  for (const [b, e, name] of spans) {
    if (b !== at) {
      bad(`tensor ${JSON.stringify(name)} starts at ${b}, expected ${at} (${b < at ? "overlap" : "gap"})`, "suspicious");
      break;
    }
    at = e;
  }
  if (at !== dataSize && spans.length) bad(`tensors cover ${at} of the ${dataSize} data bytes (trailing data)`, "suspicious");
  res.details["tensors"] = spans.length;
  res.details["headerBytes"] = Number(n);
  return res;
}

/** Top-level duplicate keys (JSON.parse keeps only the last one). */
function hasDuplicateKeys(text: string): boolean {
  const seen = new Set<string>();
  let depth = 0;
  const re = /"((?:[^"\\]|\\.)*)"\s*:|[{}[\]]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const c = m[0];
    if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
    else if (depth === 1) {
      if (seen.has(m[1]!)) return true;
      seen.add(m[1]!);
    }
  }
  return false;
}
