// The model-format registry (src/inventory/scanners/models/formats/index.ts): each format is one
// file and one line, and every list about model formats derives from it. These tests hold each
// format to a detection sample and keep the derived lists what the scanner, `aigate init`, the data
// scanner and the manifest schema had before they were derived.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { sniff } from "../../src/inventory/scanners/models/detect.js";
import {
  manifestFormat,
  MANIFEST_MODEL_FORMATS,
  MODEL_EXT,
  MODEL_EXTENSIONS,
  MODEL_FORMATS,
  namedAs,
  pickleBasedFormat,
  RESULT_FORMATS,
} from "../../src/inventory/scanners/models/formats/index.js";
import { packageRoot } from "../../src/util/package-root.js";
import { OPCODES, PICKLE_OPCODES } from "../../src/inventory/scanners/models/pickle/opcodes.js";

const b = (...xs: (number | string)[]) => Buffer.concat(xs.map((x) => (typeof x === "number" ? Buffer.from([x]) : Buffer.from(x, "latin1"))));
const tarHead = () => {
  const h = Buffer.alloc(512);
  h.write("model.pkl", 0, "latin1");
  h.write("ustar", 257, "latin1");
  return h;
};
const safetensorsHead = () => {
  const json = Buffer.from('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}');
  const n = Buffer.alloc(8);
  n.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([n, json, Buffer.alloc(4)]);
};

/** A head each format with a sniff is detected from (its detection test). */
const SAMPLES: Record<string, Buffer> = {
  zip: b("PK", 3, 4, "rest"),
  "pytorch-legacy": b(0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e),
  pickle: b(0x80, 0x04, 0x4e, 0x2e),
  npy: b(0x93, "NUMPY", 1, 0),
  hdf5: b(0x89, "HDF", 0x0d, 0x0a, 0x1a, 0x0a),
  gguf: b("GGUF", 3, 0, 0, 0),
  "7z": b("7z", 0xbc, 0xaf, 0x27, 0x1c),
  gzip: b(0x1f, 0x8b, 8, 0),
  bz2: b("BZh9"),
  xz: b(0xfd, "7zXZ", 0),
  zstd: b(0x28, 0xb5, 0x2f, 0xfd),
  lz4: b(0x04, 0x22, 0x4d, 0x18),
  "joblib-zf": b("ZF0x1c           ", 0x78, 0x9c),
  tar: tarHead(),
  tflite: b(0x1c, 0, 0, 0, "TFL3"),
  safetensors: safetensorsHead(),
  zlib: b(0x78, 0x9c, 1, 2),
  lzma: b(0x5d, 0, 0, 0x80, 0),
  onnx: b(0x08, 0x07, 0x12, 0x04, "test"),
  "pickle-text": b("cos\nsystem\n(S'id'\ntR."),
};

describe("the model-format registry", () => {
  test("ids are unique and no extension is claimed by two formats", () => {
    const ids = MODEL_FORMATS.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    const exts = MODEL_FORMATS.flatMap((f) => Object.keys(f.extensions ?? {}));
    expect(new Set(exts).size).toBe(exts.length);
    for (const e of exts) expect(e).toMatch(/^[a-z0-9]+$/);
  });

  test("a format with a sniff has a parser, and one without is known by its extensions", () => {
    for (const f of MODEL_FORMATS) {
      expect([f.id, !!f.sniff]).toEqual([f.id, !!f.scan]);
      if (!f.sniff) expect([f.id, Object.keys(f.extensions ?? {}).length > 0]).toEqual([f.id, true]);
      expect(f.description.length).toBeGreaterThan(10);
    }
  });

  test.each(MODEL_FORMATS.filter((f) => f.sniff).map((f) => f.id))("%s has a detection sample, and the sample is detected as it", (id) => {
    const head = SAMPLES[id];
    expect(head).toBeDefined();
    expect(sniff(head!, head!.length)).toBe(id);
  });

  test("every detection sample belongs to a registered format", () => {
    for (const id of Object.keys(SAMPLES)) expect(MODEL_FORMATS.map((f) => f.id)).toContain(id);
    expect(sniff(Buffer.from("# a readme\n"), 11)).toBe("unknown");
  });

  test("model file names: what the scanner claimed before the lists were derived, and .dill, which it walked as a pickle", () => {
    const before = "pt|pth|bin|ckpt|pkl|pickle|joblib|safetensors|gguf|ggml|onnx|h5|hdf5|keras|npy|npz|pb|tflite|msgpack|model|mlmodel|dat".split("|");
    for (const e of [...before, "dill"]) expect([e, MODEL_EXT.test(`models/weights.${e.toUpperCase()}`)]).toEqual([e, true]);
    expect(MODEL_EXT.test("data/train.csv")).toBe(false);
    expect(MODEL_EXT.test("archive.tar.gz")).toBe(false);
  });

  test("what a name claims, under compressors' extensions too", () => {
    for (const p of [
      "a.pkl",
      "a.pickle",
      "a.joblib",
      "a.dill",
      "a.pt",
      "a.pth",
      "a.ckpt",
      "a.bin",
      "a.pkl.gz",
      "a.joblib.xz",
      "a.pkl.Z",
      "a.pt.lzma",
      "a.joblib.zlib",
      "a.pkl.bz2",
    ])
      expect([p, namedAs(p)]).toEqual([p, "pickle"]);
    for (const p of ["a.safetensors", "a.gguf", "a.ggml", "a.onnx", "a.keras", "a.npy", "a.npz", "a.tflite", "a.npy.gz"])
      expect([p, namedAs(p)]).toEqual([p, "model"]);
    for (const p of ["a.h5", "a.hdf5", "a.pb", "a.txt", "a.gz", "pkl", "a.tar.gz"]) expect([p, namedAs(p)]).toEqual([p, undefined]);
  });

  test("pickle-based result formats", () => {
    const pickleBased = [...RESULT_FORMATS.keys()].filter(pickleBasedFormat).sort();
    expect(pickleBased).toEqual(["joblib", "numpy-object", "pickle", "pytorch-legacy", "pytorch-legacy-tar", "pytorch-zip", "torchscript"]);
  });

  test("the manifest's format for a model file: by the scanner's result format, else by extension", () => {
    const cases: [string, string, string][] = [
      ["safetensors", "m.bin", "safetensors"],
      ["gguf", "m.gguf", "gguf"],
      ["onnx", "m.onnx", "onnx"],
      ["pytorch-zip", "m.bin", "pytorch"],
      ["torchscript", "m.pt", "pytorch"],
      ["pytorch-legacy-tar", "m.tar", "pytorch"],
      ["pickle", "m.bin", "pickle"],
      ["joblib", "m.pkl", "joblib"],
      ["joblib-gzip", "m.joblib", "joblib"],
      ["keras-h5", "m.h5", "h5"],
      ["keras", "m.keras", "keras"],
      ["numpy-npz", "m.npz", "numpy"],
      ["numpy-npy-gzip", "m.npy.gz", "numpy"],
      ["numpy-object", "m.npy", "numpy"],
      ["tflite", "m.tflite", "tflite"],
      ["lfs-pointer", "m.safetensors", "safetensors"],
      ["lfs-pointer", "m.PTH", "pytorch"],
      ["lfs-pointer", "m.joblib", "joblib"],
      ["lfs-pointer", "saved_model.pb", "tf-savedmodel"],
      ["lfs-pointer", "m.mlmodel", "coreml"],
      ["lfs-pointer", "m.msgpack", "other"],
      ["zip", "m.npz", "numpy"],
      ["zip", "m.zip", "other"],
      ["tar.gzip", "m.tar.gz", "other"],
      ["7z", "m.7z", "other"],
    ];
    for (const [format, path, want] of cases) expect([format, path, manifestFormat(format, path)]).toEqual([format, path, want]);
  });

  test("the manifest's format enum: every value the manifest accepted before", () => {
    expect([...MANIFEST_MODEL_FORMATS].sort()).toEqual([
      "coreml",
      "gguf",
      "h5",
      "joblib",
      "keras",
      "numpy",
      "onnx",
      "other",
      "pickle",
      "pytorch",
      "safetensors",
      "tf-savedmodel",
      "tflite",
    ]);
  });
});

describe("lists of model extensions kept outside the registry", () => {
  const wrappers = MODEL_FORMATS.flatMap((f) => f.wrapperExtensions ?? []);

  test("the large-artifact-in-git rule's size globs name every model extension and compressor of the registry", () => {
    const pack = parse(readFileSync(join(packageRoot(), "policies", "builtin", "repository.yaml"), "utf8")) as {
      rules: { id: string; check: { sizeGlobs?: string[] } }[];
    };
    const globs = pack.rules.find((r) => r.id === "large-artifact-in-git")!.check.sizeGlobs!;
    // "**/*.{pt,pth,...}" or "**/*.pt"
    const named = new Set(globs.flatMap((g) => (/^\*\*\/\*\.\{?([^{}]*)\}?$/.exec(g)?.[1] ?? "").split(",")));
    expect([...MODEL_EXTENSIONS.keys(), ...wrappers].filter((e) => !named.has(e))).toEqual([]);
  });
});

describe("the pickle opcode table", () => {
  test("protocols 0-5: 68 opcodes, names and bytes unique, 0x80-0x98 all present", () => {
    expect(OPCODES).toHaveLength(68);
    expect(new Set(OPCODES.map(([n]) => n)).size).toBe(68);
    expect(PICKLE_OPCODES.size).toBe(68);
    for (let c = 0x80; c <= 0x98; c++) expect(PICKLE_OPCODES.has(c)).toBe(true);
    expect(OPCODES.filter(([, , argument]) => argument === "none")).toHaveLength(34);
  });
});
