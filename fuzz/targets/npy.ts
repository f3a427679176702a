// The NumPy .npy reader (scanNpy): magic, version, the header dict, and the pickle that follows
// for object arrays. Bad headers are findings, never exceptions.
import { scanNpy } from "../../src/inventory/scanners/models/formats/npy.js";
import { accessBlob } from "../../src/inventory/scanners/models/scan-blob.js";
import type { TargetMeta } from "../lib/harness.js";
import { access, checkResult, lists } from "../lib/models.js";

export const meta: TargetMeta = {
  description: "NumPy .npy reader (scanNpy)",
  dict: "npy",
  seedGlobs: ["__tests__/inventory/scanners/models/fixtures/**/*.npy", "__tests__/inventory/scanners/models/fixtures/attacks/numpy/*"],
};

export async function fuzz(data: Buffer): Promise<void> {
  checkResult(await scanNpy(await accessBlob(access(data)).open(), { lists }, data.length), "scanNpy");
}

/** Version 1, 2 and 3 headers; an object array followed by a pickle. */
export function seeds(): Buffer[] {
  const npy = (major: number, dict: string, body: Buffer) => {
    const lenBytes = major === 1 ? 2 : 4;
    let header = dict;
    const pad = (64 - ((6 + 2 + lenBytes + header.length + 1) % 64)) % 64;
    header += " ".repeat(pad) + "\n";
    const len = Buffer.alloc(lenBytes);
    if (lenBytes === 2) len.writeUInt16LE(header.length);
    else len.writeUInt32LE(header.length);
    return Buffer.concat([Buffer.from("\x93NUMPY", "latin1"), Buffer.from([major, 0]), len, Buffer.from(header, "latin1"), body]);
  };
  return [
    npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", Buffer.alloc(16)),
    npy(2, "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }", Buffer.alloc(4)),
    npy(3, "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", Buffer.from("\x80\x02cos\nsystem\nq\x00.", "latin1")),
  ];
}
