// Found by fuzzing (fuzz/targets/zip.ts): a 44-byte file with a Zip64 end-of-central-directory
// locator whose record is neither where it points nor right before it, with fewer than 56 bytes
// before the locator. readZipDirectory (src/inventory/scanners/models/zip.ts) read the fallback
// position anyway and called readUInt32LE on a short buffer: a RangeError instead of the ZipError
// that reports a malformed archive. It now refuses the fallback when the bytes are not there.
import { bufferAccess } from "../../src/inventory/scanners/models/reader.js";
import { readZipDirectory, ZipError } from "../../src/inventory/scanners/models/zip.js";

const INPUT = Buffer.from("UAAAUEsGBwAAUEsDBAAAAAAAAAEAAABQSwUGAAAAAAMAA70AAAAAEgIAAAAA", "base64");

test("a Zip64 locator without its record near the start of the file is a ZipError", async () => {
  await expect(readZipDirectory(bufferAccess(INPUT))).rejects.toThrow(ZipError);
  await expect(readZipDirectory(bufferAccess(INPUT))).rejects.toThrow(/Zip64 end record missing/);
});
