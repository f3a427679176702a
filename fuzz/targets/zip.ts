// The ZIP reader (readZipDirectory, openMember) and the archive scanner (scanZip) on one in-memory
// file. readZipDirectory/openMember report a broken archive with ZipError, a short read with
// TruncatedError, a corrupt or oversized deflate stream with CapError; scanZip never throws.
import { openMember, readZipDirectory, ZipError, type ZipDirectory } from "../../src/inventory/scanners/models/zip.js";
import { scanZip } from "../../src/inventory/scanners/models/formats/zip-archive.js";
import { scanBlob } from "../../src/inventory/scanners/models/scan-blob.js";
import { CapError, TruncatedError } from "../../src/inventory/scanners/models/reader.js";
import { expectOnly, type TargetMeta } from "../lib/harness.js";
import { access, blobContext, checkResult } from "../lib/models.js";

export const meta: TargetMeta = {
  description: "ZIP reader and archive scanner (readZipDirectory, openMember, scanZip)",
  dict: "zip",
  seedGlobs: ["__tests__/inventory/scanners/models/fixtures/**/*.{pt,pth,zip,npz,keras}", "__tests__/inventory/scanners/models/fixtures/benign/torch/*.bin"],
};

export async function fuzz(data: Buffer): Promise<void> {
  const ra = access(data);
  let dir: ZipDirectory | undefined;
  try {
    dir = await readZipDirectory(ra);
  } catch (e) {
    expectOnly(e, ZipError, TruncatedError);
  }
  for (const e of dir?.entries.slice(0, 8) ?? []) {
    try {
      const m = await openMember(ra, e, 1 << 20);
      try {
        while ((await m.reader.ensure(1)) && m.reader.pos < 256 << 10) await m.reader.take(Math.min(m.reader.available, 64 << 10));
      } finally {
        m.close();
      }
    } catch (err) {
      expectOnly(err, ZipError, TruncatedError, CapError);
    }
  }
  checkResult(await scanZip(ra, blobContext("models/model.pt"), scanBlob), "scanZip");
}
