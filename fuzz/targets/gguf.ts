// The GGUF reader (scanGguf): header, metadata key/values (chat templates are checked), tensor
// infos. Truncation, bad counts and versions are findings, never exceptions.
import { scanGguf } from "../../src/inventory/scanners/models/formats/gguf.js";
import { accessBlob } from "../../src/inventory/scanners/models/scan-blob.js";
import type { TargetMeta } from "../lib/harness.js";
import { access, checkResult } from "../lib/models.js";

export const meta: TargetMeta = {
  description: "GGUF reader (scanGguf)",
  dict: "gguf",
  seedGlobs: ["__tests__/inventory/scanners/models/fixtures/**/*.gguf"],
};

export async function fuzz(data: Buffer): Promise<void> {
  checkResult(await scanGguf(await accessBlob(access(data)).open(), data.length), "scanGguf");
}

/** A version-3 file with a string, an array and a chat template. */
export function seeds(): Buffer[] {
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b;
  };
  const u64 = (n: number) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    return b;
  };
  const str = (s: string) => Buffer.concat([u64(Buffer.byteLength(s)), Buffer.from(s)]);
  const kv = [
    Buffer.concat([str("general.architecture"), u32(8), str("llama")]),
    Buffer.concat([str("general.alignment"), u32(4), u32(32)]),
    Buffer.concat([str("tokenizer.ggml.tokens"), u32(9), u32(8), u64(2), str("a"), str("b")]),
    Buffer.concat([str("tokenizer.chat_template"), u32(8), str("{% for m in messages %}{{ m.content }}{% endfor %}")]),
  ];
  const tensor = Buffer.concat([str("w"), u32(1), u64(4), u32(0), u64(0)]);
  return [Buffer.concat([Buffer.from("GGUF"), u32(3), u64(1), u64(kv.length), ...kv, tensor, Buffer.alloc(32)])];
}
