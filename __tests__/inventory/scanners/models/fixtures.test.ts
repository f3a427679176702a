// Every committed fixture (real files from the real libraries, hand-made attack streams) gets the
// verdict, format, deciding global or finding code that expected.json states. Nothing is unpickled:
// the scanner only reads bytes.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { modelsScanner } from "../../../../src/inventory/scanners/models/index.js";
import type { RepoFile, ScanResult } from "../../../../src/inventory/types.js";

const root = join(process.cwd(), "__tests__", "inventory", "scanners", "models", "fixtures");
interface Expected {
  verdict: string;
  format?: string;
  glob?: string;
  code?: string;
}
const expected = JSON.parse(readFileSync(join(root, "expected.json"), "utf8")) as Record<string, Expected>;

function walk(dir: string, out: RepoFile[] = []): RepoFile[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else out.push({ path: relative(root, p).split("\\").join("/"), size: st.size });
  }
  return out;
}

let result: ScanResult;
beforeAll(async () => {
  result = await modelsScanner.scan({ root, files: walk(root), settings: {}, readRange: async () => Buffer.alloc(0) });
});

test("the fixture set covers every attack class and the benign formats", () => {
  expect(Object.keys(expected).length).toBeGreaterThan(100);
  expect(Object.values(expected).filter((e) => e.verdict === "unsafe").length).toBeGreaterThan(60);
});

test.each(Object.entries(expected))("%s", (path, e) => {
  const model = result.models!.find((m) => m.path === path);
  if (e.verdict === "none") {
    expect(model).toBeUndefined();
    return;
  }
  expect(model).toBeDefined();
  expect({ path, verdict: model!.verdict }).toEqual({ path, verdict: e.verdict });
  if (e.format) expect(model!.format).toBe(e.format);
  if (e.glob) expect(model!.globals).toContain(e.glob);
  const obs = result.observations.filter((o) => o.location.path === path);
  if (e.code) expect(obs.map((o) => o.key)).toContain(e.code);
  for (const o of obs) expect(o.location).toEqual({ path, line: 1, column: 1 });
  if (e.verdict === "unsafe") {
    const unsafe = obs.filter((o) => o.kind === "model.unsafe");
    expect(unsafe.length).toBeGreaterThan(0);
    if (e.glob) expect(unsafe.find((o) => o.key === e.glob)?.message).toMatch(/at byte \d+/);
  }
  if (e.verdict === "error") expect(result.unscanned.some((u) => u.path === path)).toBe(true);
  if (e.verdict === "safe") expect(obs.filter((o) => o.kind !== "model.pickle-format")).toEqual([]);
});

test("no file outside expected.json is reported as a model", () => {
  const extra = result.models!.map((m) => m.path).filter((p) => !(p in expected));
  expect(extra).toEqual([]);
});

test("pickle-based formats get a model.pickle-format note, the others do not", () => {
  const notes = new Set(result.observations.filter((o) => o.kind === "model.pickle-format").map((o) => o.location.path));
  expect(notes.has("benign/torch/state-dict.pt")).toBe(true);
  expect(notes.has("benign/sklearn/arrays.joblib")).toBe(true);
  expect(notes.has("benign/safetensors/tiny.safetensors")).toBe(false);
  expect(notes.has("benign/onnx/matmul.onnx")).toBe(false);
  expect(notes.has("benign/numpy/ints.npy")).toBe(false);
});

test("a Git LFS pointer carries the digest and is unscanned, never safe", () => {
  const m = result.models!.find((x) => x.path === "benign/lfs/model.safetensors")!;
  expect(m).toMatchObject({ verdict: "unscanned", sha256: "ab".repeat(32), size: 123456 });
  expect(result.unscanned.find((u) => u.path === m.path)?.reason).toMatch(/LFS/);
});
