// Benchmark of the model-file scanner (not a test): builds a corpus in a temp folder (large files
// are sparse), scans each subset in a fresh process, and prints wall time, files/s, bytes read vs
// apparent size, and peak RSS; then compares streaming sha256 with sha256sum on a 1 GiB file.
// Run: npx tsx bench/models.ts
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeSync, ftruncateSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { crc32 } from "node:zlib";
import { modelsScanner } from "../src/inventory/scanners/models/index.js";
import { sha256File } from "../src/inventory/scanners/models/hash.js";
import type { RepoFile } from "../src/inventory/types.js";

const GiB = 1024 ** 3;
const SUBSETS = ["pickles", "torch-zips", "safetensors", "gguf", "big-pickle", "text", "everything"] as const;

function writeAt(path: string, parts: [number, Buffer][], size: number) {
  const fd = openSync(path, "w");
  for (const [pos, data] of parts) writeSync(fd, data, 0, data.length, pos);
  ftruncateSync(fd, Math.max(size, ...parts.map(([pos, data]) => pos + data.length)));
  closeSync(fd);
}

const u = (s: string) => Buffer.concat([Buffer.from([0x8c, Buffer.byteLength(s)]), Buffer.from(s)]);

/** A state-dict-like protocol 4 pickle of about `bytes` bytes. */
function statePickle(bytes: number): Buffer {
  const parts: Buffer[] = [Buffer.from([0x80, 4]), u("collections"), u("OrderedDict"), Buffer.from([0x93, 0x29, 0x52, 0x28])];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const key = u(`layer.${i}.weight`);
    const val = Buffer.concat([Buffer.from([0x43, 32]), Buffer.alloc(32, i & 0xff)]);
    parts.push(key, val);
    size += key.length + val.length;
  }
  parts.push(Buffer.from([0x75, 0x2e]));
  return Buffer.concat(parts);
}

/** A PyTorch-style stored zip: archive/data.pkl, archive/version, and one sparse tensor member. */
function torchZip(path: string, tensorBytes: number) {
  const members: { name: string; data?: Buffer; size: number }[] = [
    { name: "archive/data.pkl", data: statePickle(2000), size: 0 },
    { name: "archive/version", data: Buffer.from("3\n"), size: 2 },
    { name: "archive/data/0", size: tensorBytes },
  ];
  const parts: [number, Buffer][] = [];
  const cd: Buffer[] = [];
  let pos = 0;
  for (const m of members) {
    const size = m.data ? m.data.length : m.size;
    const name = Buffer.from(m.name);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    const crc = m.data ? crc32(m.data) : 0;
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(size, 18);
    lh.writeUInt32LE(size, 22);
    lh.writeUInt16LE(name.length, 26);
    parts.push([pos, Buffer.concat([lh, name])]);
    if (m.data) parts.push([pos + 30 + name.length, m.data]);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(size, 20);
    c.writeUInt32LE(size, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(pos, 42);
    cd.push(Buffer.concat([c, name]));
    pos += 30 + name.length + size;
  }
  const cdBuf = Buffer.concat(cd);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(members.length, 8);
  eocd.writeUInt16LE(members.length, 10);
  eocd.writeUInt32LE(cdBuf.length, 12);
  eocd.writeUInt32LE(pos, 16);
  parts.push([pos, Buffer.concat([cdBuf, eocd])]);
  writeAt(path, parts, pos + cdBuf.length + 22);
}

function build(root: string) {
  const d = (name: string) => {
    mkdirSync(join(root, name), { recursive: true });
    return join(root, name);
  };
  const pk = d("pickles");
  for (let i = 0; i < 300; i++) writeAt(join(pk, `sd-${i}.pt`), [[0, statePickle(10_000 + ((i * 1700) % 500_000))]], 0);
  const tz = d("torch-zips");
  for (let i = 0; i < 20; i++) torchZip(join(tz, `ckpt-${i}.pt`), Math.floor(0.05 * GiB + (i / 19) * 1.85 * GiB));
  const st = d("safetensors");
  for (let i = 0; i < 5; i++) {
    const size = (i + 1) * 1.6 * GiB;
    const header = JSON.stringify({ w: { dtype: "U8", shape: [Math.floor(size)], data_offsets: [0, Math.floor(size)] } });
    const h = Buffer.alloc(8);
    h.writeBigUInt64LE(BigInt(header.length));
    writeAt(join(st, `m-${i}.safetensors`), [[0, Buffer.concat([h, Buffer.from(header)])]], 8 + header.length + Math.floor(size));
  }
  const gg = d("gguf");
  for (let i = 0; i < 3; i++) {
    const kv = (k: string, v: string) => {
      const kb = Buffer.from(k);
      const vb = Buffer.from(v);
      const out = Buffer.alloc(8 + kb.length + 4 + 8 + vb.length);
      out.writeBigUInt64LE(BigInt(kb.length), 0);
      kb.copy(out, 8);
      out.writeUInt32LE(8, 8 + kb.length);
      out.writeBigUInt64LE(BigInt(vb.length), 12 + kb.length);
      vb.copy(out, 20 + kb.length);
      return out;
    };
    const head = Buffer.alloc(24);
    head.write("GGUF");
    head.writeUInt32LE(3, 4);
    head.writeBigUInt64LE(0n, 8);
    head.writeBigUInt64LE(2n, 16);
    const body = Buffer.concat([head, kv("general.architecture", "llama"), kv("tokenizer.chat_template", "{% for m in messages %}{{ m['content'] }}{% endfor %}")]);
    writeAt(join(gg, `m-${i}.gguf`), [[0, body]], Math.floor((2.1 + i) * GiB));
  }
  const bp = d("big-pickle");
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(GiB));
  writeAt(join(bp, "blob.pkl"), [[0, Buffer.concat([Buffer.from([0x80, 4, 0x8e]), len])], [11 + GiB, Buffer.from([0x2e])]], 12 + GiB);
  const tx = d("text");
  for (let i = 0; i < 20_000; i++) {
    const sub = d(`text/pkg${i % 100}`);
    writeAt(join(sub, `mod${i}.py`), [[0, Buffer.from(`# module ${i}\nimport os\n\ndef f${i}(x):\n    return x + ${i}\n`)]], 0);
  }
  void tx;
}

function list(root: string, dir: string, out: RepoFile[] = []): RepoFile[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) list(root, p, out);
    else out.push({ path: relative(root, p), size: st.size });
  }
  return out;
}

async function child(root: string, subset: string) {
  const files = list(root, subset === "everything" ? root : join(root, subset));
  const apparent = files.reduce((a, f) => a + f.size, 0);
  const t0 = process.hrtime.bigint();
  const res = await modelsScanner.scan({ root, files, settings: { modelHashing: false }, readRange: async () => Buffer.alloc(0) });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const read = (res.facts!["models"] as { bytesRead: number }).bytesRead;
  const verdicts: Record<string, number> = {};
  for (const m of res.models ?? []) verdicts[m.verdict] = (verdicts[m.verdict] ?? 0) + 1;
  console.log(JSON.stringify({ subset, files: files.length, models: res.models?.length ?? 0, secs, apparent, read, rssMB: process.resourceUsage().maxRSS / 1024, verdicts }));
}

async function main() {
  const [, , mode, root, subset] = process.argv;
  if (mode === "--child") return child(root!, subset!);
  const dir = mkdtempSync(join(tmpdir(), "aigate-bench-models-"));
  try {
    const t0 = Date.now();
    build(dir);
    console.log(`corpus built in ${((Date.now() - t0) / 1000).toFixed(1)} s in ${dir}`);
    console.log("subset        files  models   wall s   files/s   apparent GB   bytes read   read/size   peak RSS MB   verdicts");
    for (const s of SUBSETS) {
      const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--child", dir, s], { encoding: "utf8" });
      const line = r.stdout.trim().split("\n").pop() ?? "";
      if (!line.startsWith("{")) {
        console.log(s, "failed:", r.stderr.slice(0, 500));
        continue;
      }
      const j = JSON.parse(line) as { subset: string; files: number; models: number; secs: number; apparent: number; read: number; rssMB: number; verdicts: Record<string, number> };
      console.log(
        `${j.subset.padEnd(12)} ${String(j.files).padStart(6)} ${String(j.models).padStart(7)} ${j.secs.toFixed(3).padStart(8)} ${(j.files / j.secs).toFixed(0).padStart(9)} ${(j.apparent / 1e9).toFixed(2).padStart(13)} ${String(j.read).padStart(12)} ${((100 * j.read) / j.apparent).toFixed(4).padStart(10)}% ${j.rssMB.toFixed(0).padStart(13)}   ${JSON.stringify(j.verdicts)}`,
      );
    }
    // Hashing: streaming sha256 vs sha256sum on the same 1 GiB file (sparse: zeros, page cache).
    const big = join(dir, "big-pickle", "blob.pkl");
    const size = statSync(big).size;
    const fh = await open(big, "r");
    const h0 = process.hrtime.bigint();
    await sha256File(fh, size, { bytesRead: 0 });
    const ours = Number(process.hrtime.bigint() - h0) / 1e9;
    await fh.close();
    const s0 = process.hrtime.bigint();
    execFileSync("sha256sum", [big]);
    const theirs = Number(process.hrtime.bigint() - s0) / 1e9;
    console.log(`sha256 of 1 GiB: aigate ${ours.toFixed(2)} s, sha256sum ${theirs.toFixed(2)} s (throughput ratio ${(theirs / ours).toFixed(2)})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
