// Found by fuzzing (fuzz/targets/npy.ts, fuzz/targets/model-blob.ts): scanNpy
// (src/inventory/scanners/models/formats/npy.ts) reads the magic, the header length and the header
// with ByteReader.take, which throws TruncatedError when the file ends first. scanBlob passes the
// exception on, so a truncated .npy is reported by scanModelFile as "the scanner could not read
// this file" (scan-failed: the code path for scanner defects) instead of a bad-header finding that
// says where the file ends; inside an .npz it becomes a bad-member finding with the raw message.
// Fix: catch TruncatedError in scanNpy and return fail(res, e.message).
import { ModelLists } from "../../src/inventory/scanners/models/lists.js";
import { bufferAccess } from "../../src/inventory/scanners/models/reader.js";
import { accessBlob, DEFAULT_LIMITS, scanBlob } from "../../src/inventory/scanners/models/scan-blob.js";

const lists = new ModelLists();
const scan = (data: Buffer) => scanBlob(accessBlob(bufferAccess(data)), { walk: { lists }, limits: DEFAULT_LIMITS, filePath: "x.npy", depth: 0 });

// Magic, version 1.0, a header length of 118, and only 24 bytes of the header.
const TRUNCATED = Buffer.concat([Buffer.from("\x93NUMPY\x01\x00", "latin1"), Buffer.from([118, 0]), Buffer.from("{'descr': '|O', 'fortran")]);

describe("a truncated .npy is a finding, not an exception", () => {
  test("header shorter than its declared length", async () => {
    const res = await scan(TRUNCATED);
    expect(res?.findings).toEqual(expect.arrayContaining([expect.objectContaining({ verdict: "error", code: "bad-header" })]));
  });

  test("magic cut short after the version", async () => {
    const res = await scan(Buffer.from("\x93NUMPY\x01\x00\x76", "latin1"));
    expect(res?.findings).toEqual(expect.arrayContaining([expect.objectContaining({ verdict: "error" })]));
  });

  test("a complete header still reads (control)", async () => {
    const header = "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }".padEnd(117, " ") + "\n";
    const res = await scan(Buffer.concat([Buffer.from("\x93NUMPY\x01\x00", "latin1"), Buffer.from([118, 0]), Buffer.from(header, "latin1"), Buffer.alloc(8)]));
    expect(res?.format).toBe("numpy-npy");
    expect(res?.findings).toEqual([]);
  });
});
