// A Keras .h5 file's root attributes are read by following the HDF5 structure h5py wrote (the
// fixtures), not by searching the file: the weights are never read, the model_config is found in
// whichever block holds it (object header, continuation block, dense storage, huge heap object,
// global heap, after a user block), and a file whose structure is not followed falls back to the
// bounded search with the reason said. Truncated files are results, never exceptions.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { HDF5_LIMITS, readRootAttributes } from "../../../../src/inventory/scanners/models/formats/hdf5-attributes.js";
import { scanHdf5 } from "../../../../src/inventory/scanners/models/formats/hdf5.js";
import { bufferAccess, type RandomAccess } from "../../../../src/inventory/scanners/models/reader.js";

const fixtures = join(process.cwd(), "__tests__", "inventory", "scanners", "models", "fixtures");
const file = (path: string) => readFileSync(join(fixtures, path));

/** A RandomAccess that counts what is read and refuses any read touching [from, to). */
function guarded(data: Buffer, from = 0, to = 0): RandomAccess & { bytes: number } {
  const inner = bufferAccess(data);
  const ra = {
    size: data.length,
    bytes: 0,
    read: async (pos: number, len: number) => {
      if (pos < to && pos + len > from) throw new Error(`read of [${pos}, ${pos + len}) touches the weights at [${from}, ${to})`);
      const b = await inner.read(pos, len);
      ra.bytes += b.length;
      return b;
    },
  };
  return ra;
}

/** The text of the first attribute of that name. */
const textOf = (attrs: Map<string, (string | undefined)[]>, name: string) => attrs.get(name)?.[0];

const config = async (path: string) => {
  const r = await readRootAttributes(guarded(file(path)), (n) => n === "model_config");
  if (!r.ok) throw new Error(r.reason);
  return r.attributes;
};

describe("the root attributes of an HDF5 file", () => {
  test.each([
    ["benign/keras/dense.h5", ["keras_version", "backend", "model_config"]],
    ["benign/keras/dense-latest.h5", ["keras_version", "model_config"]],
    ["benign/keras/weights-only.h5", ["layer_names", "backend", "keras_version"]],
    ["benign/keras/measurements.h5", ["units"]],
    ["attacks/keras/h5-vlen-config.h5", ["model_config"]],
    ["attacks/keras/h5-huge-config.h5", ["keras_version", "model_config"]],
    ["attacks/keras/h5-user-block.h5", ["model_config"]],
    ["attacks/keras/h5-config-after-weights.h5", ["keras_version", "model_config"]],
  ])("%s: every root attribute, by name", async (path, names) => {
    const attrs = await config(path);
    for (const n of names) expect(attrs.has(n)).toBe(true);
    const text = textOf(attrs, "model_config");
    if (attrs.has("model_config")) expect(JSON.parse(text!)).toHaveProperty("class_name");
    else expect(text).toBeUndefined();
  });

  test("dense storage: thirty attributes in a fractal heap, found through its B-tree", async () => {
    const attrs = await config("attacks/keras/h5-dense-attributes.h5");
    expect([...attrs.keys()].filter((k) => /^a\d+$/.test(k)).length).toBe(30);
    expect(textOf(attrs, "model_config")).toContain('"Lambda"');
  });

  test("a huge attribute (over 64 KiB) is read whole from the heap's huge objects", async () => {
    const text = textOf(await config("attacks/keras/h5-huge-config.h5"), "model_config")!;
    expect(text.length).toBeGreaterThan(64 * 1024);
    expect((JSON.parse(text) as { config: { layers: unknown[] } }).config.layers.length).toBe(1101);
  });

  test("an attribute added after the weights is found without reading them", async () => {
    const data = file("attacks/keras/h5-config-after-weights.h5");
    // The dataset is 1024 float32 ones: find its bytes, and refuse any read of them.
    const one = Buffer.alloc(4 * 1024);
    for (let i = 0; i < 1024; i++) one.writeFloatLE(1, i * 4);
    const from = data.indexOf(one);
    expect(from).toBeGreaterThan(0);
    const ra = guarded(data, from, from + one.length);
    const r = await readRootAttributes(ra, (n) => n === "model_config");
    expect(r.ok && textOf(r.attributes, "model_config")).toContain('"Lambda"');
    // The continuation block sits after the weights: the reader went there and read little else.
    expect(from).toBeLessThan(data.lastIndexOf(Buffer.from("model_config")));
    expect(ra.bytes).toBeLessThan(data.length - one.length);
  });

  test("two attributes of the same name: both configs are checked, whichever a loader takes", async () => {
    const data = Buffer.from(file("benign/keras/config-and-spare.h5"));
    expect((await scanHdf5(bufferAccess(data)))?.findings).toEqual([]);
    // "model_config_spare" becomes "model_config\0spare": a C string, the name model_config.
    const at = data.indexOf(Buffer.from("model_config_spare\0"));
    expect(at).toBeGreaterThan(0);
    data[at + "model_config".length] = 0;
    const attrs = await readRootAttributes(bufferAccess(data), (n) => n === "model_config");
    expect(attrs.ok && attrs.attributes.get("model_config")?.length).toBe(2);
    const res = await scanHdf5(bufferAccess(data));
    expect(res?.findings.map((f) => f.code)).toContain("lambda-layer");
  });

  test("a continuation block that points back to itself is a cycle, not a loop", async () => {
    // Superblock version 0 (8-byte offsets and lengths), the root's object header at 96, its one
    // message a continuation to the message itself.
    const data = Buffer.alloc(136);
    Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0, 0, 8, 8, 0]).copy(data, 0);
    data.writeBigUInt64LE(96n, 64); // root entry: object header address
    data.writeUInt8(1, 96); // object header version 1
    data.writeUInt16LE(1, 98); // one message
    data.writeUInt32LE(24, 104); // 24 bytes of messages, from 112
    data.writeUInt16LE(0x10, 112); // continuation
    data.writeUInt16LE(16, 114);
    data.writeBigUInt64LE(112n, 120); // to 112 ...
    data.writeBigUInt64LE(24n, 128); // ... 24 bytes long
    const r = await readRootAttributes(bufferAccess(data), () => true);
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/cycle/) as unknown });
  });

  test("the bytes read for structure are bounded", async () => {
    const r = await readRootAttributes(bufferAccess(file("attacks/keras/h5-huge-config.h5")), () => true, { ...HDF5_LIMITS, maxBytes: 4096 });
    expect(r).toEqual({ ok: false, reason: "more than 4096 bytes of structure" });
  });

  test("a file cut anywhere is an answer, never an exception", async () => {
    for (const path of ["benign/keras/dense.h5", "attacks/keras/h5-dense-attributes.h5", "attacks/keras/h5-vlen-config.h5"]) {
      const data = file(path);
      for (let n = 0; n < data.length; n += 61) {
        const r = await readRootAttributes(bufferAccess(data.subarray(0, n)), () => true);
        expect(r.ok || r.reason.length > 0).toBe(true);
        const res = await scanHdf5(bufferAccess(data.subarray(0, n))); // resolves: an exception fails the test
        if (res) expect(res.format).toBe("keras-h5");
      }
    }
  });
});

describe("the Keras .h5 scan", () => {
  test("a structure it does not follow falls back to the bounded search and says so", async () => {
    const cfg = JSON.stringify({ class_name: "Sequential", config: { layers: [{ class_name: "Lambda", config: { function: ["x", null, null] } }] } });
    // A version-9 superblock: the signature, then nothing this reader follows; the JSON sits in the first window.
    const data = Buffer.concat([Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 9]), Buffer.alloc(64), Buffer.from(`model_config${cfg}`)]);
    const res = await scanHdf5(bufferAccess(data));
    expect(res?.format).toBe("keras-h5");
    expect(String(res?.details["structure"])).toMatch(/^not followed \(superblock version 9\)/);
    expect(res?.findings.map((f) => f.code)).toContain("lambda-layer");
  });

  test("a model_config that is not JSON is an error, not a pass", async () => {
    const data = file("benign/keras/dense.h5");
    const at = data.indexOf(Buffer.from('{"class_name"'));
    const broken = Buffer.from(data);
    broken.write("!", at);
    const res = await scanHdf5(bufferAccess(broken));
    expect(res?.findings).toEqual([expect.objectContaining({ verdict: "error", code: "bad-header" })]);
  });
});
