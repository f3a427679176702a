// Bad input never crashes, hangs or silently passes the model scanner: corrupt and truncated
// compressed streams, pickles without their PROTO header or behind no-op opcodes, frames that run
// past the end, legacy LZMA, malformed Git LFS pointers and files whose name claims a model format.
// Every file here is built in the test (a few hundred bytes each) or derived from a committed fixture.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { deflateSync, gzipSync } from "node:zlib";
import { modelsScanner } from "../../../../src/inventory/scanners/models/index.js";
import { ModelLists } from "../../../../src/inventory/scanners/models/lists.js";
import { bufferAccess } from "../../../../src/inventory/scanners/models/reader.js";
import { accessBlob, DEFAULT_LIMITS, scanBlob } from "../../../../src/inventory/scanners/models/scan-blob.js";
import { verdictOf } from "../../../../src/inventory/scanners/models/result.js";
import type { ModelArtifact, ScanResult } from "../../../../src/inventory/types.js";

const FIXTURES = join(process.cwd(), "__tests__", "inventory", "scanners", "models", "fixtures");
const b = (...parts: (Buffer | number[] | string)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.isBuffer(p) ? p : Buffer.from(p))));
const u = (s: string) => b([0x8c, s.length], s);
const u64 = (n: number) => {
  const x = Buffer.alloc(8);
  x.writeBigUInt64LE(BigInt(n));
  return x;
};

/** posix.system("id") in protocol 4 opcodes, without PROTO or FRAME. */
const BODY4 = b(u("posix"), [0x94], u("system"), [0x94, 0x93], u("id"), [0x94, 0x85, 0x94, 0x52, 0x94, 0x2e]);
/** The same call in protocol 2 opcodes (GLOBAL, BINUNICODE, TUPLE1), without PROTO. */
const BODY2 = b("cposix\nsystem\nq\x00X\x02\x00\x00\x00idq\x01\x85q\x02Rq\x03.");

async function scanFiles(
  files: Record<string, Buffer | string>,
  settings: Record<string, unknown> = {},
): Promise<{ result: ScanResult; model: (p: string) => ModelArtifact | undefined }> {
  const root = mkdtempSync(join(tmpdir(), "aigate-bad-model-"));
  for (const [path, data] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), data);
  }
  const result = await modelsScanner.scan({
    root,
    files: Object.entries(files).map(([path, data]) => ({ path, size: Buffer.byteLength(data) })),
    settings: { modelHashing: false, ...settings },
    readRange: async () => Buffer.alloc(0),
  });
  return { result, model: (p) => result.models!.find((m) => m.path === p) };
}

const unscannedReason = (r: ScanResult, path: string) => r.unscanned.find((u) => u.path === path)?.reason ?? "";
const NO_INTERNALS = /Cannot read properties|undefined|is not a function|monkey|kitty|whoops|Maximum call stack|TypeError|RangeError/;

describe("pickles without magic are found by content", () => {
  it.each([
    ["PROTO removed (protocol 4 opcodes)", BODY4],
    ["PROTO removed (protocol 2 opcodes)", BODY2],
    ["NEWTRUE POP before the pickle", b([0x88, 0x30, 0x80, 4], BODY4)],
    ["EMPTY_TUPLE POP before the pickle", b([0x29, 0x30, 0x80, 4], BODY4)],
    ["NEWTRUE POP before a PROTO-less pickle", b([0x88, 0x30], BODY4)],
  ])("%s: unsafe, named .pkl or not named at all", async (_name, data) => {
    const { model } = await scanFiles({ "model.pkl": data, blob: data, "weights.data": data });
    for (const p of ["model.pkl", "blob", "weights.data"]) {
      expect({ p, verdict: model(p)?.verdict }).toEqual({ p, verdict: "unsafe" });
      expect(model(p)!.globals).toContain("posix.system");
    }
  });

  it("text files that start with an opcode byte are not pickles", async () => {
    const { result } = await scanFiles({
      "README.md": "Notes about the model.\n",
      "config.txt": "cache_dir = /tmp\nmodel = small\n",
      "changes.txt": "Version 2\n(see the log)\n",
      "data.csv": "a,b\n1,2\n",
      "empty.md": "",
    });
    expect(result.models).toEqual([]);
  });
});

describe("a file named as a model is always reported", () => {
  it("a .pkl or .pt that does not parse is an error, never absent", async () => {
    const { result, model } = await scanFiles({ "notes.pkl": "just some text, no pickle\n", "model.pt": "\x00\x01\x02\x03 binary junk", "empty.pkl": "" });
    for (const p of ["notes.pkl", "model.pt", "empty.pkl"]) {
      expect({ p, verdict: model(p)?.verdict }).toEqual({ p, verdict: "error" });
      expect(unscannedReason(result, p)).not.toBe("");
    }
  });

  it("a .safetensors or .onnx whose content is no model format is an error", async () => {
    const { result, model } = await scanFiles({ "model.safetensors": "hello, not tensors at all\n", "graph.onnx": "x".repeat(40) });
    for (const p of ["model.safetensors", "graph.onnx"]) {
      expect({ p, verdict: model(p)?.verdict }).toEqual({ p, verdict: "error" });
      expect(unscannedReason(result, p)).toMatch(/not scanned/);
    }
  });
});

describe("FRAME and stream truncation", () => {
  it("a FRAME that runs past the end of the file is an error, not safe", async () => {
    const { result, model } = await scanFiles({
      "one.pkl": b([0x80, 4, 0x95], u64(1000), [0x4b, 1, 0x2e]),
      "payload.pkl": b([0x80, 4, 0x95], u64(5000), BODY4),
      "ok.pkl": b([0x80, 4, 0x95], u64(3), [0x4b, 1, 0x2e]),
    });
    expect(model("one.pkl")!.verdict).toBe("error");
    expect(unscannedReason(result, "one.pkl")).toMatch(/FRAME at byte 2 claims 1000 bytes but the data ends at byte 14/);
    expect(model("payload.pkl")!.verdict).toBe("unsafe");
    expect(result.observations.some((o) => o.location.path === "payload.pkl" && o.kind === "model.error" && /FRAME/.test(o.message))).toBe(true);
    expect(model("ok.pkl")!.verdict).toBe("safe");
  });

  it("a FRAME past the end of a decompressed stream is an error too", async () => {
    const { model } = await scanFiles({ "one.joblib": gzipSync(b([0x80, 4, 0x95], u64(1000), [0x4b, 1, 0x2e])) });
    expect(model("one.joblib")!.verdict).toBe("error");
  });

  it("a pickle cut short inside a compressed stream keeps what was found before the cut", async () => {
    const full = b([0x80, 2], BODY2);
    const z = deflateSync(full);
    const gz = gzipSync(full);
    const { result, model } = await scanFiles({ "cut.joblib": z.subarray(0, z.length - 6), "cut-gz.joblib": gz.subarray(0, gz.length - 10) });
    for (const p of ["cut.joblib", "cut-gz.joblib"]) {
      const m = model(p)!;
      expect(["error", "unsafe"]).toContain(m.verdict);
      expect(JSON.stringify(result.observations.filter((o) => o.location.path === p))).not.toMatch(NO_INTERNALS);
    }
  });
});

describe("corrupt compressed streams", () => {
  const bz2 = readFileSync(join(FIXTURES, "attacks", "joblib", "payload.joblib.bz2"));
  const xz = readFileSync(join(FIXTURES, "attacks", "joblib", "payload.joblib.xz"));
  const gz = readFileSync(join(FIXTURES, "attacks", "joblib", "payload.joblib.gz"));

  it("60 corrupted bz2, xz and gzip joblib files: every one gets a verdict, the run ends normally, no library internals in messages", async () => {
    const files: Record<string, Buffer> = {};
    for (const [name, good] of [
      ["bz2", bz2],
      ["xz", xz],
      ["gz", gz],
    ] as const) {
      for (let i = 0; i < 20; i++) {
        const bad = Buffer.from(good);
        const at = 10 + ((i * 7919) % (good.length - 12));
        bad[at] = bad[at]! ^ (0x55 + i);
        if (i % 5 === 4) files[`${name}/cut-${i}.joblib`] = bad.subarray(0, Math.max(12, at));
        else files[`${name}/flip-${i}.joblib`] = bad;
      }
    }
    const { result, model } = await scanFiles(files);
    for (const p of Object.keys(files)) {
      const m = model(p);
      expect({ p, found: !!m }).toEqual({ p, found: true });
      expect(["error", "unsafe", "suspicious"]).toContain(m!.verdict);
    }
    const text = JSON.stringify([result.observations, result.unscanned]);
    expect(text).not.toMatch(NO_INTERNALS);
  });

  it("a corrupt bz2 stream is a located error in plain words", async () => {
    const bad = Buffer.from(bz2);
    for (let i = 12; i < bad.length - 12; i++) bad[i] = 0;
    const { result, model } = await scanFiles({ "model.joblib": bad });
    expect(model("model.joblib")!.verdict).toBe("error");
    expect(unscannedReason(result, "model.joblib")).toMatch(/^the bz2 stream (is corrupt or truncated|does not decompress)/);
  });

  it("decompression is bounded in bytes and in time", async () => {
    const bomb = gzipSync(b([0x80, 4, 0x42], [0x00, 0x00, 0x00, 0x04], Buffer.alloc(64 << 20), [0x2e]));
    const ctx = { walk: { lists: new ModelLists() }, filePath: "bomb.joblib", depth: 0 };
    const bytes = await scanBlob(accessBlob(bufferAccess(bomb)), { ...ctx, limits: { ...DEFAULT_LIMITS, maxInflateBytes: 1 << 20 } });
    expect(verdictOf(bytes!)).toBe("error");
    expect(bytes!.findings.map((f) => f.message).join("\n")).toMatch(/gave up after 1 MB of decompressed data/);
    const time = await scanBlob(accessBlob(bufferAccess(bomb)), { ...ctx, limits: { ...DEFAULT_LIMITS, maxDecompressSeconds: 0 } });
    expect(verdictOf(time!)).toBe("error");
    expect(time!.findings.map((f) => f.message).join("\n")).toMatch(/gave up after 0 s of decompression/);
  });
});

describe("legacy LZMA", () => {
  it("an LZMA_Alone joblib is an error that says it cannot be opened, whatever its dictionary size", async () => {
    const lzma = readFileSync(join(FIXTURES, "benign", "sklearn", "arrays-lzma.joblib"));
    const odd = Buffer.from(lzma);
    odd[3] = 0x33; // a dictionary size joblib's reader accepts and the old sniffing did not
    const { result, model } = await scanFiles({ "a.joblib": lzma, "b.joblib": odd, "c.bin": odd });
    for (const p of ["a.joblib", "b.joblib", "c.bin"]) {
      expect({ p, verdict: model(p)?.verdict }).toEqual({ p, verdict: "error" });
      expect(unscannedReason(result, p)).toMatch(/cannot open LZMA_Alone/);
    }
  });
});

describe("Git LFS pointers", () => {
  const good = "version https://git-lfs.github.com/spec/v1\noid sha256:" + "ab".repeat(32) + "\nsize 123\n";
  it("a malformed pointer named as a model is an error that says what is wrong", async () => {
    const { result, model } = await scanFiles({
      "no-oid.pt": "version https://git-lfs.github.com/spec/v1\nsize 123\n",
      "bad-oid.safetensors": "version https://git-lfs.github.com/spec/v1\noid sha256:xyz\nsize 123\n",
      "no-size.pkl": "version https://git-lfs.github.com/spec/v1\noid sha256:" + "ab".repeat(32) + "\n",
      "good.pt": good,
      "notes.txt": "version https://git-lfs.github.com/spec/v1\nsize 1\n",
    });
    expect(model("no-oid.pt")!.verdict).toBe("error");
    expect(unscannedReason(result, "no-oid.pt")).toBe("a Git LFS pointer, not the weights; malformed: no oid line");
    expect(unscannedReason(result, "bad-oid.safetensors")).toMatch(/^a Git LFS pointer, not the weights; malformed: the oid/);
    expect(unscannedReason(result, "no-size.pkl")).toBe("a Git LFS pointer, not the weights; malformed: no size line");
    expect(result.observations.some((o) => o.location.path === "no-oid.pt" && o.kind === "model.error")).toBe(true);
    expect(model("good.pt")).toMatchObject({ format: "lfs-pointer", verdict: "unscanned" });
    expect(model("notes.txt")).toBeUndefined();
  });
});
