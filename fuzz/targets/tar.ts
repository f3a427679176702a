// The tar reader of the model scanner (scanTar): legacy torch tars and tars carrying model files.
// It isolates errors per member, so any exception is a bug.
import { scanTar } from "../../src/inventory/scanners/models/formats/tar.js";
import { scanBlob } from "../../src/inventory/scanners/models/scan-blob.js";
import type { TargetMeta } from "../lib/harness.js";
import { access, blobContext, checkResult } from "../lib/models.js";

export const meta: TargetMeta = {
  description: "tar reader (scanTar)",
  dict: "tar",
  seedGlobs: ["__tests__/inventory/scanners/models/fixtures/**/*.tar"],
};

export async function fuzz(data: Buffer): Promise<void> {
  checkResult(await scanTar(access(data), blobContext("models/model.tar"), scanBlob), "scanTar");
}

/** A one-member ustar archive holding a tiny pickle, built here (no binary seeds in the repository). */
export function seeds(): Buffer[] {
  const member = (name: string, body: Buffer) => {
    const h = Buffer.alloc(512);
    h.write(name, 0, "latin1");
    h.write("0000644\0", 100, "latin1");
    h.write(body.length.toString(8).padStart(11, "0") + "\0", 124, "latin1");
    h.write("0", 156, "latin1");
    h.write("ustar\0" + "00", 257, "latin1");
    h.fill(0x20, 148, 156);
    let sum = 0;
    for (const x of h) sum += x;
    h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, "latin1");
    return Buffer.concat([h, body, Buffer.alloc((512 - (body.length % 512)) % 512)]);
  };
  const pickle = Buffer.from("\x80\x02cos\nsystem\nq\x00.", "latin1");
  return [
    Buffer.concat([member("model.pkl", pickle), Buffer.alloc(1024)]),
    Buffer.concat([member("sys_info", pickle), member("pickle", pickle), member("storages", pickle), member("tensors", pickle), Buffer.alloc(1024)]),
  ];
}
