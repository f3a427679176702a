// GGUF (ggml docs/gguf.md): magic, version 1-3, tensor and metadata counts, then typed key/value
// metadata and tensor infos. Only that section is read, with caps on every length and count. A
// `tokenizer.chat_template` is a Jinja template that llama.cpp-based loaders render: template code
// that reaches Python internals is unsafe (CVE-2024-34359).
import type { ModelFormat } from "../format.js";
import { NeedMore, type ByteReader } from "../reader.js";
import { formatData } from "../format-data.js";
import { newResult, type FileResult } from "../result.js";

export const ggufFormat: ModelFormat = {
  id: "gguf",
  description: "GGUF (llama.cpp): the metadata and tensor infos are read; a chat template that reaches Python internals is unsafe",
  sniff: (h) => h[0] === 0x47 && h[1] === 0x47 && h[2] === 0x55 && h[3] === 0x46,
  scan: async (blob) => scanGguf(await blob.open(), blob.size),
  extensions: { gguf: "gguf", ggml: "gguf" },
  namedAs: "model",
  results: { gguf: { manifest: "gguf" } },
};

const MAX_STRING = 16 << 20;
const MAX_ARRAY = 1 << 24;
const MAX_KV = 1 << 16;
const MAX_TENSORS = 1 << 20;
const SCALAR = [1, 1, 2, 2, 4, 4, 4, 1]; // u8 i8 u16 i16 u32 i32 f32 bool
const WIDE = new Map([
  [10, 8],
  [11, 8],
  [12, 8],
]); // u64 i64 f64

class GgufError extends Error {}

export async function scanGguf(r: ByteReader, size: number): Promise<FileResult> {
  const res = newResult("gguf");
  try {
    await r.take(4);
    const version = (await r.take(4)).readUInt32LE(0);
    if (version < 1 || version > 3) throw new GgufError(`unsupported GGUF version ${version}`);
    const v1 = version === 1;
    const count = async () => (v1 ? BigInt((await r.take(4)).readUInt32LE(0)) : (await r.take(8)).readBigUInt64LE(0));
    const tensors = await count();
    const kvs = await count();
    if (tensors > BigInt(MAX_TENSORS)) throw new GgufError(`tensor count ${tensors} exceeds ${MAX_TENSORS}`);
    if (kvs > BigInt(MAX_KV)) throw new GgufError(`metadata count ${kvs} exceeds ${MAX_KV}`);
    res.details["version"] = version;
    res.details["tensors"] = Number(tensors);
    res.details["metadata"] = Number(kvs);
    const strLen = async () => {
      const n = await count();
      if (n > BigInt(MAX_STRING) || n > BigInt(size)) throw new GgufError(`string length ${n} at byte ${r.pos} is out of range`);
      return Number(n);
    };
    const readString = async (keep: boolean) => {
      const n = await strLen();
      if (!keep) {
        await r.skip(n, "string");
        return "";
      }
      return (await r.take(n, "string")).toString("utf8");
    };
    /**
     * Skips `n` strings (a tokenizer's vocabulary: hundreds of thousands of them) synchronously
     * while they are in the reader's window, awaiting only to refill it or to seek past a long one.
     */
    const skipStrings = async (n: number) => {
      let i = 0;
      while (i < n) {
        try {
          while (i < n) {
            const len = v1 ? r.u32Sync() : r.u64Sync();
            if (len > MAX_STRING || len > size) throw new GgufError(`string length ${len} at byte ${r.pos} is out of range`);
            i++;
            const pending = r.skipSync(Number(len), "string");
            if (pending) {
              await pending;
              break;
            }
          }
        } catch (e) {
          if (!(e instanceof NeedMore)) throw e;
          await r.ensure(e.upTo - r.pos);
        }
      }
    };
    const templateKeys = formatData().chatTemplate.keys.values;
    const isTemplateKey = (name: string) => templateKeys.some((k) => name === k || name.startsWith(k + "."));
    const skipValue = async (type: number, keep: boolean): Promise<string | undefined> => {
      if (type >= 0 && type < SCALAR.length) return void (await r.skip(SCALAR[type]!));
      if (WIDE.has(type)) return void (await r.skip(WIDE.get(type)!));
      if (type === 8) return readString(keep);
      if (type === 9) {
        const itemType = (await r.take(4)).readUInt32LE(0);
        const n = await count();
        if (n > BigInt(MAX_ARRAY)) throw new GgufError(`array of ${n} items exceeds ${MAX_ARRAY}`);
        if (itemType === 9) throw new GgufError("nested arrays are not allowed");
        const width = itemType < SCALAR.length ? SCALAR[itemType] : WIDE.get(itemType);
        if (width !== undefined) await r.skip(Number(n) * width, "array");
        else if (itemType === 8) await skipStrings(Number(n));
        else throw new GgufError(`unknown array item type ${itemType}`);
        return undefined;
      }
      throw new GgufError(`unknown value type ${type} at byte ${r.pos}`);
    };
    for (let i = 0; i < Number(kvs); i++) {
      const key = await readString(true);
      const type = (await r.take(4)).readUInt32LE(0);
      // llama.cpp finds a key by strcmp, so it reads a key up to its first NUL ("tokenizer.chat_template\0x"
      // is the template to it); Python's gguf reads it whole. A template by either reading is checked.
      const nul = key.indexOf("\0");
      const isTemplate = isTemplateKey(key) || (nul >= 0 && isTemplateKey(key.slice(0, nul)));
      const value = await skipValue(type, isTemplate);
      if (isTemplate && value) checkTemplate(res, key, value);
      if (key === "general.architecture" && value) res.details["architecture"] = value;
    }
    for (let i = 0; i < Number(tensors); i++) {
      await readString(false);
      const dims = (await r.take(4)).readUInt32LE(0);
      if (dims > 8) throw new GgufError(`tensor ${i} has ${dims} dimensions`);
      await r.skip(8 * dims);
      await r.skip(4);
      const offset = (await r.take(8)).readBigUInt64LE(0);
      if (offset > BigInt(size)) throw new GgufError(`tensor ${i} offset ${offset} lies past the end of the file`);
    }
  } catch (e) {
    res.findings.push({ verdict: "error", code: "bad-header", message: e instanceof Error ? e.message : String(e), offset: r.pos });
  }
  return res;
}

/** Flags Jinja constructs that reach Python internals (sandbox escapes). */
export function checkTemplate(res: FileResult, key: string, template: string) {
  const hits = formatData().chatTemplate.unsafePatterns.values.filter((p) => new RegExp(p).test(template));
  if (hits.length) {
    res.findings.push({
      verdict: "unsafe",
      code: "chat-template-injection",
      message: `${key} uses ${hits.map((h) => JSON.stringify(new RegExp(h).exec(template)![0])).join(", ")}: template code that reaches Python internals when the loader renders it`,
    });
  }
  res.details["chatTemplate"] = true;
}
