// The safetensors header reader (scanSafetensors): every problem is a finding, never an exception.
import { scanSafetensors } from "../../src/inventory/scanners/models/formats/safetensors.js";
import type { TargetMeta } from "../lib/harness.js";
import { access, checkResult } from "../lib/models.js";

export const meta: TargetMeta = {
  description: "safetensors header reader (scanSafetensors)",
  dict: "safetensors",
  seedGlobs: ["__tests__/inventory/scanners/models/fixtures/**/*.safetensors"],
};

export async function fuzz(data: Buffer): Promise<void> {
  checkResult(await scanSafetensors(access(data)), "scanSafetensors");
}

/** Small well-formed files: tensors, metadata, an empty header. */
export function seeds(): Buffer[] {
  const file = (header: unknown, dataBytes: number) => {
    const h = Buffer.from(JSON.stringify(header));
    const n = Buffer.alloc(8);
    n.writeBigUInt64LE(BigInt(h.length));
    return Buffer.concat([n, h, Buffer.alloc(dataBytes)]);
  };
  return [
    file({ __metadata__: { format: "pt" }, w: { dtype: "F32", shape: [2, 2], data_offsets: [0, 16] } }, 16),
    file({ a: { dtype: "I8", shape: [1], data_offsets: [0, 1] }, b: { dtype: "BF16", shape: [], data_offsets: [1, 3] } }, 3),
    file({}, 0),
  ];
}
