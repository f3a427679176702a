// A model file's sha256 is computed only when something needs it: a manifest entry that declares
// one (and is then verified), `hashModels` (an AI-BOM), or settings.modelHashing. A Git LFS
// pointer carries the digest, so its content is never needed; a hashed file is read once.
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { scanContext } from "../../../../src/inventory/context.js";
import { hashModelFiles, scanModels } from "../../../../src/inventory/scanners/models/index.js";
import { run } from "../../../../src/run.js";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** A safetensors file with a small header and `weights` bytes of data. */
function safetensors(weights: number, fill = 1): Buffer {
  const header = JSON.stringify({ w: { dtype: "U8", shape: [weights], data_offsets: [0, weights] } });
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(header.length));
  return Buffer.concat([len, Buffer.from(header), Buffer.alloc(weights, fill)]);
}

const PICKLE = Buffer.concat([Buffer.from([0x80, 4, 0x7d, 0x94, 0x8c, 3]), Buffer.from("abc"), Buffer.from([0x94, 0x4b, 1, 0x73, 0x2e])]);

function repo(files: Record<string, Buffer | string>): string {
  const root = mkdtempSync(join(tmpdir(), "aigate-hash-"));
  for (const [p, data] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), data);
  }
  return root;
}

const manifest = (models: string[]) =>
  ["apiVersion: aigate/v1", "name: sys", "owner: {team: t, contact: t@example.com}", "profile: {isGenAI: true}", "models:", ...models].join("\n") + "\n";

describe("hash on demand", () => {
  const big = safetensors(3 << 20);
  const other = safetensors(2 << 20, 2);

  test("in a gate run no model file is hashed by default, and a safetensors file is read only for its header", async () => {
    const root = repo({ "a.safetensors": big, "b.pkl": PICKLE });
    const files = [
      { path: "a.safetensors", size: big.length },
      { path: "b.pkl", size: PICKLE.length },
    ];
    const res = await scanModels(scanContext(root, files, {}), {});
    expect(res.models!.map((m) => [m.path, m.sha256])).toEqual([
      ["a.safetensors", null],
      ["b.pkl", null],
    ]);
    expect((res.facts!["models"] as { bytesRead: number }).bytesRead).toBeLessThan(8 * 1024);
  });

  test("a requested digest reads the file once: the header the parser read is not read again", async () => {
    const root = repo({ "a.safetensors": big, "b.pkl": PICKLE });
    const files = [
      { path: "a.safetensors", size: big.length },
      { path: "b.pkl", size: PICKLE.length },
    ];
    const res = await scanModels(scanContext(root, files, {}), { paths: ["a.safetensors"] });
    expect(res.models!.map((m) => [m.path, m.sha256])).toEqual([
      ["a.safetensors", sha(big)],
      ["b.pkl", null],
    ]);
    // The whole of a.safetensors once, plus b.pkl's head: nothing twice.
    expect((res.facts!["models"] as { bytesRead: number }).bytesRead).toBe(big.length + PICKLE.length);
    const all = await scanModels(scanContext(root, files, {}), { all: true });
    expect(all.models!.map((m) => m.sha256)).toEqual([sha(big), sha(PICKLE)]);
    const asked = await scanModels(scanContext(root, files, { modelHashing: true }), {});
    expect(asked.models!.map((m) => m.sha256)).toEqual([sha(big), sha(PICKLE)]);
    // A caller without a request (aigate init) gets every digest unless the settings turn hashing off.
    expect((await scanModels(scanContext(root, files, {}))).models!.map((m) => m.sha256)).toEqual([sha(big), sha(PICKLE)]);
    expect((await scanModels(scanContext(root, files, { modelHashing: false }))).models!.map((m) => m.sha256)).toEqual([null, null]);
  });

  test("hashModelFiles fills in the digests a run did not compute, and leaves LFS digests alone", async () => {
    const root = repo({ "a.safetensors": big });
    const models = [
      { path: "a.safetensors", format: "safetensors", verdict: "safe" as const, sha256: null, size: big.length },
      { path: "p.bin", format: "lfs-pointer", verdict: "unscanned" as const, sha256: "ab".repeat(32), size: 5 },
    ];
    await hashModelFiles(root, models);
    expect(models.map((m) => m.sha256)).toEqual([sha(big), "ab".repeat(32)]);
  });

  test("a declared sha256 is still verified through run(); undeclared files get no digest unless hashModels", async () => {
    const root = repo({
      "ai-system.yaml": manifest([
        `  - {name: good, path: models/good.safetensors, sha256: "${sha(big)}"}`,
        `  - {name: bad, path: models/bad/, sha256: "${"0".repeat(64)}"}`,
      ]),
      "models/good.safetensors": big,
      "models/bad/w.safetensors": other,
      "models/free.safetensors": other,
    });
    const report = await run({ root, today: "2026-11-27" });
    const byPath = Object.fromEntries(report.inventory.models.map((m) => [m.path, m.sha256]));
    expect(byPath).toEqual({ "models/bad/w.safetensors": sha(other), "models/free.safetensors": null, "models/good.safetensors": sha(big) });
    expect(report.findings.filter((f) => f.ruleId === "model-hash-mismatch").map((f) => `${f.path}:${f.line}`)).toEqual(["ai-system.yaml:7"]);
    const bom = await run({ root, today: "2026-11-27", hashModels: true });
    expect(bom.inventory.models.every((m) => m.sha256 !== null)).toBe(true);
  });

  test("identical committed copies share one digest, given only to the copies that want it", async () => {
    const { execFileSync } = await import("node:child_process");
    const root = repo({ "x/a.safetensors": big, "y/a.safetensors": big });
    const git = (...a: string[]) => execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...a], { cwd: root, stdio: "pipe" });
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "m");
    const oid = execFileSync("git", ["rev-parse", "HEAD:x/a.safetensors"], { cwd: root }).toString().trim();
    const files = [
      { path: "x/a.safetensors", size: big.length, oid },
      { path: "y/a.safetensors", size: big.length, oid },
    ];
    const res = await scanModels(scanContext(root, files, {}), { paths: ["y"] });
    expect(res.models!.map((m) => [m.path, m.sha256])).toEqual([
      ["x/a.safetensors", null],
      ["y/a.safetensors", sha(big)],
    ]);
    expect((res.facts!["models"] as { bytesRead: number }).bytesRead).toBe(big.length);
  });
});
