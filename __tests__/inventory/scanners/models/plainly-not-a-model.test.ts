// plainlyNotAModel settles most source files without the model scan: it must never say "no model"
// of a file the scan would report. Checked on the shapes that are models or pointers, and on random
// bytes against scanModelFile itself.
import fc from "fast-check";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { plainlyNotAModel, scanModelFile, modelScanOptions } from "../../../../src/inventory/scanners/models/index.js";
import { ModelLists, listOptions } from "../../../../src/inventory/scanners/models/lists.js";

const file = (path: string, bytes: Buffer) => ({ path, size: bytes.length });
const hdf5Signature = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
const zipEnd = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);

test.each([
  ["Python that starts with a comment", "app.py", Buffer.from("# app\nimport os\nprint(os.getcwd())\n"), true],
  ["JavaScript that starts with a comment", "app.js", Buffer.from("// app\nconsole.log(1);\n"), true],
  // "i" is INST, a protocol 0 opcode: the scan's trial walk decides.
  ["Python that starts with an opcode byte", "app.py", Buffer.from("import os\nprint(os.getcwd())\n"), false],
  ["a pickle with PROTO", "state.py", Buffer.from([0x80, 0x02, 0x63, 0x6f, 0x73, 0x0a, 0x73, 0x79, 0x73, 0x74, 0x65, 0x6d, 0x0a, 0x2e]), false],
  ["a protocol 0 pickle without PROTO", "state.py", Buffer.from("ccollections\nOrderedDict\n(tR."), false],
  ["bytes ending in a zip's end record", "bundle.js", Buffer.concat([Buffer.from("console.log(1)\n"), zipEnd]), false],
  ["a Git LFS pointer", "model.py", Buffer.from("version https://git-lfs.github.com/spec/v1\noid sha256:" + "a".repeat(64) + "\nsize 10\n"), false],
  ["a file named as a model", "weights.pkl", Buffer.from("import os\n"), false],
  ["NumPy's magic", "arr.py", Buffer.concat([Buffer.from([0x93]), Buffer.from("NUMPY\x01\x00")]), false],
  ["an HDF5 superblock after a 1 KiB user block", "notes.py", Buffer.concat([Buffer.alloc(1024, 0x23), hdf5Signature, Buffer.alloc(64)]), false],
])("%s: %s", (_, path, bytes, expected) => {
  expect(plainlyNotAModel(file(path, bytes), bytes)).toBe(expected);
});

test("bytes that are not the whole file are not settled", () => {
  const bytes = Buffer.from("import os\n");
  expect(plainlyNotAModel({ path: "a.py", size: bytes.length + 1 }, bytes)).toBe(false);
});

test("whenever it settles a file, the model scan finds no model in it", async () => {
  const root = mkdtempSync(join(tmpdir(), "aigate-plain-"));
  const lists = new ModelLists(listOptions({}));
  const options = modelScanOptions({}, {});
  // Random bytes, and random bytes after the starts that matter (pickle opcodes, zip, LFS).
  const starts = ["", "c", "(", "\x80\x04", "PK\x03\x04", "version ", "\x93NUMPY", "GGUF", "{"].map((s) => Buffer.from(s, "latin1"));
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...starts),
      fc.uint8Array({ minLength: 0, maxLength: 1100 }),
      fc.boolean(),
      fc.constantFrom(0, 512, 1024),
      async (start, rest, withZipEnd, hdf5At) => {
        const bytes = Buffer.concat([start, Buffer.from(rest), withZipEnd ? zipEnd : Buffer.alloc(0)]);
        // An HDF5 signature where a user block would end, when the bytes reach that far.
        if (hdf5At && bytes.length >= hdf5At + hdf5Signature.length) hdf5Signature.copy(bytes, hdf5At);
        const f = file("x.py", bytes);
        if (!plainlyNotAModel(f, bytes)) return;
        writeFileSync(join(root, "x.py"), bytes);
        expect(await scanModelFile(root, f, lists, options, { bytesRead: 0 }, { hash: false })).toBeUndefined();
      },
    ),
    { numRuns: 300 },
  );
});
