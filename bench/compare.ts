// Benchmark of aigate as users run it (the bundled CLI, default settings, a whole process per run)
// against picklescan and modelscan on one generated corpus, in one run. Not a test: it prints.
//
// For each subset, the best of five turns per tool, the tools taking turns after a warm-up run of
// each: wall time, CPU time (user + system, all threads), peak RSS (the process and its
// threads), and bytes read ÷ apparent size (read() bytes of the process, from /proc, minus what the
// same command reads on an empty folder: interpreters and bundles read their own code). Then sha256
// throughput against sha256sum on the same file, the scan cache (cold run, warm reruns: the CLI's
// --cache-dir as users run it, and run() alone after start-up), a 3-file change under scope:
// changed, a scaling series of source-file trees, and what a second core buys (two busy processes
// at once; the source files on one scan thread and on the pool). The machine's load average is
// printed before and after: on a shared machine, wall times stretch with it; CPU times much less.
//
// Run: npx tsx bench/compare.ts [--cli bin/aigate.js] [--before OTHER/cli.js] [--node PATH] [--text 20000] [--quick]
//      (--node: the Node.js binary aigate runs on, e.g. a Node 24 like the Action's; default: this one)
//      npx tsx bench/compare.ts --corpus DIR   (only builds the corpus in DIR and keeps it, to profile)
// Peers: AIGATE_BENCH_PICKLESCAN / AIGATE_BENCH_MODELSCAN give their command lines (e.g.
// "python -m picklescan"); otherwise `pip install picklescan modelscan` into a temporary virtual
// environment is tried, and a peer that cannot be had is skipped with a note. Big files are sparse
// and created at run time in a temporary folder, removed at the end.
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, existsSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { crc32 } from "node:zlib";
import { best as bestOf, bestOfEach, measure, type Measure } from "./measure.js";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const QUICK = process.argv.includes("--quick");
const CLI = resolve(arg("--cli", "bin/aigate.js"));
const NODE = arg("--node", process.execPath);
const BEFORE = process.argv.includes("--before") ? resolve(arg("--before", "")) : undefined;
const TEXT = Number(arg("--text", QUICK ? "2000" : "20000"));
const GiB = 1024 ** 3;
const SCALING = arg("--scaling", QUICK ? "1000,2000" : "5000,10000,20000,50000")
  .split(",")
  .map(Number);

// ---- corpus ----------------------------------------------------------------------------------

function writeAt(path: string, parts: [number, Buffer][], size: number) {
  const fd = openSync(path, "w");
  for (const [pos, data] of parts) writeSync(fd, data, 0, data.length, pos);
  ftruncateSync(fd, Math.max(size, ...parts.map(([pos, data]) => pos + data.length)));
  closeSync(fd);
}

const u = (s: string) => Buffer.concat([Buffer.from([0x8c, Buffer.byteLength(s)]), Buffer.from(s)]);

/** A state-dict-like protocol 4 pickle of about `bytes` bytes (memoised keys, as torch writes them). */
function statePickle(bytes: number): Buffer {
  const parts: Buffer[] = [Buffer.from([0x80, 4]), u("collections"), u("OrderedDict"), Buffer.from([0x93, 0x94, 0x29, 0x52, 0x94, 0x28])];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const key = Buffer.concat([u(`layer.${i}.weight`), Buffer.from([0x94])]);
    const val = Buffer.concat([Buffer.from([0x43, 32]), Buffer.alloc(32, i & 0xff), Buffer.from([0x94])]);
    parts.push(key, val);
    size += key.length + val.length;
  }
  parts.push(Buffer.from([0x75, 0x2e]));
  return Buffer.concat(parts);
}

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

/** A GGUF v3 header with a real-size tokenizer vocabulary (`tokens` strings), then sparse tensor data. */
function gguf(path: string, tokens: number, size: number) {
  const str = (s: string) => {
    const b = Buffer.from(s);
    const n = Buffer.alloc(8);
    n.writeBigUInt64LE(BigInt(b.length));
    return Buffer.concat([n, b]);
  };
  const u32 = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    return b;
  };
  const u64 = (v: number) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    return b;
  };
  const vocab: Buffer[] = [];
  for (let i = 0; i < tokens; i++) vocab.push(str(`tok${i.toString(36)}`));
  const body = Buffer.concat([
    Buffer.from("GGUF"),
    u32(3),
    u64(0),
    u64(3),
    str("general.architecture"),
    u32(8),
    str("llama"),
    str("tokenizer.chat_template"),
    u32(8),
    str("{% for m in messages %}{{ m['content'] }}{% endfor %}"),
    str("tokenizer.ggml.tokens"),
    u32(9),
    u32(8),
    u64(tokens),
    ...vocab,
  ]);
  writeAt(path, [[0, body]], size);
}

const mk = (root: string, name: string) => {
  mkdirSync(join(root, name), { recursive: true });
  return join(root, name);
};

function sourceTree(dir: string, n: number) {
  for (let i = 0; i < n; i++) {
    const sub = join(dir, `pkg${Math.floor(i / 200)}`);
    if (i % 200 === 0) mkdirSync(sub, { recursive: true });
    writeFileSync(
      join(sub, `mod${i}.py`),
      i % 50 === 0 ? `import torch\nw = torch.load("w${i}.pt")\n` : `# module ${i}\nimport os\n\ndef f${i}(x):\n    return x + ${i}\n`,
    );
  }
}

function build(root: string) {
  const scale = QUICK ? 0.1 : 1;
  const pk = mk(root, "pickles");
  for (let i = 0; i < 300; i++) writeFileSync(join(pk, `sd-${i}.pt`), statePickle(10_000 + ((i * 1700) % 500_000)));
  const tz = mk(root, "torch-zips");
  for (let i = 0; i < 20; i++) torchZip(join(tz, `ckpt-${i}.pt`), Math.floor((0.05 + (i / 19) * 1.85) * GiB * scale));
  const st = mk(root, "safetensors");
  for (let i = 0; i < 5; i++) {
    const size = Math.floor((i + 1) * 1.6 * GiB * scale);
    const header = JSON.stringify({ w: { dtype: "U8", shape: [size], data_offsets: [0, size] } });
    const h = Buffer.alloc(8);
    h.writeBigUInt64LE(BigInt(header.length));
    writeAt(join(st, `m-${i}.safetensors`), [[0, Buffer.concat([h, Buffer.from(header)])]], 8 + header.length + size);
  }
  const gg = mk(root, "gguf");
  for (let i = 0; i < 3; i++) gguf(join(gg, `m-${i}.gguf`), QUICK ? 20_000 : 248_000, Math.floor((2.1 + i) * GiB * scale));
  const bp = mk(root, "big-pickle");
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(GiB));
  writeAt(
    join(bp, "blob.pkl"),
    [
      [0, Buffer.concat([Buffer.from([0x80, 4, 0x8e]), len])],
      [11 + GiB, Buffer.from([0x2e])],
    ],
    12 + GiB,
  );
  sourceTree(mk(root, "text"), TEXT);
}

// ---- measuring ---------------------------------------------------------------------------------

/** Best of `n` runs (the first warms the page cache). */
const best = (cmd: string[], n = QUICK ? 2 : 3): Measure => bestOf(cmd, n);
/** Turns per tool in the main table, after a warm-up run of each. */
const RUNS = QUICK ? 2 : 5;

interface Tool {
  name: string;
  cmd: (dir: string) => string[];
  env?: NodeJS.ProcessEnv;
}

function peers(): { tools: Tool[]; notes: string[] } {
  const notes: string[] = [];
  const tools: Tool[] = [];
  const split = (s: string) => s.split(" ").filter(Boolean);
  let venv: string | undefined;
  const fromPip = (pkg: string): string | undefined => {
    try {
      venv ??= mkdtempSync(join(tmpdir(), "aigate-bench-venv-"));
      if (!existsSync(join(venv, "bin", "python"))) execFileSync("python3", ["-m", "venv", venv], { stdio: "ignore" });
      execFileSync(join(venv, "bin", "pip"), ["install", "-q", pkg], { stdio: "ignore", timeout: 300_000 });
      return join(venv, "bin", "python");
    } catch {
      return undefined;
    }
  };
  const pc = process.env.AIGATE_BENCH_PICKLESCAN ?? (fromPip("picklescan") ? `${join(venv!, "bin", "python")} -m picklescan` : undefined);
  if (pc) tools.push({ name: "picklescan", cmd: (d) => [...split(pc), "-p", d] });
  else notes.push("picklescan skipped: set AIGATE_BENCH_PICKLESCAN, or make `pip install picklescan` work");
  const ms = process.env.AIGATE_BENCH_MODELSCAN ?? (fromPip("modelscan") ? `${join(venv!, "bin", "python")} -m modelscan.cli` : undefined);
  if (ms) tools.push({ name: "modelscan", cmd: (d) => [...split(ms), "-p", d] });
  else notes.push("modelscan skipped: set AIGATE_BENCH_MODELSCAN, or make `pip install modelscan` work");
  return { tools, notes };
}

const aigate = (cli: string, name: string): Tool => ({ name, cmd: (d) => [NODE, cli, "check", d, "--format", "json", "--today", "2026-11-27"] });

function apparent(dir: string): number {
  return Number(execFileSync("du", ["-s", "-b", "--apparent-size", dir]).toString().split("\t")[0]);
}

const f1 = (n: number) => n.toFixed(n < 10 ? 2 : 1);
const load = () => execFileSync("cat", ["/proc/loadavg"]).toString().split(" ").slice(0, 3).join(" ");

function main() {
  const root = mkdtempSync(join(tmpdir(), "aigate-bench-compare-"));
  const empty = mk(root, "empty");
  try {
    const t0 = Date.now();
    build(join(root, "corpus"));
    console.log(`corpus built in ${((Date.now() - t0) / 1000).toFixed(1)} s (${QUICK ? "quick" : "full"} scale, ${TEXT} source files) in ${root}`);
    const { tools: peerTools, notes } = peers();
    const tools = [aigate(CLI, "aigate"), ...(BEFORE ? [aigate(BEFORE, "aigate before")] : []), ...peerTools];
    for (const n of notes) console.log(`note: ${n}`);
    console.log(
      `load average at start: ${load()} (${execFileSync("nproc").toString().trim()} cores); aigate on Node ${execFileSync(NODE, ["--version"]).toString().trim()}`,
    );
    const base = new Map(tools.map((t) => [t.name, best(t.cmd(empty), 2).rchar]));
    const subsets = ["everything", "pickles", "torch-zips", "safetensors", "gguf", "big-pickle", "text"];
    console.log(
      `\n| subset | apparent | ${tools.map((t) => `${t.name}: wall s, CPU s, peak RSS MB, read ÷ size`).join(" | ")} | ${tools
        .slice(1)
        .map((t) => `${t.name} ÷ aigate (wall, CPU)`)
        .join(" | ")} |`,
    );
    console.log(
      `| --- | --- | ${tools.map(() => "---").join(" | ")} | ${tools
        .slice(1)
        .map(() => "---")
        .join(" | ")} |`,
    );
    for (const s of subsets) {
      const dir = s === "everything" ? join(root, "corpus") : join(root, "corpus", s);
      const size = apparent(dir);
      // Every tool once to warm the page cache, then the best of RUNS turns.
      for (const t of tools) measure(t.cmd(dir));
      const m = bestOfEach(
        tools.map((t) => t.cmd(dir)),
        RUNS,
      );
      const cell = (x: Measure, t: Tool) =>
        `${f1(x.secs)}, ${f1(x.cpu)}, ${x.rssMB.toFixed(0)}, ${((100 * Math.max(0, x.rchar - base.get(t.name)!)) / size).toFixed(2)} %${x.status !== 0 && x.status !== 1 ? ` (exit ${x.status})` : ""}`;
      console.log(
        `| ${s} | ${(size / 1e9).toFixed(2)} GB | ${m.map((x, i) => cell(x, tools[i]!)).join(" | ")} | ${m
          .slice(1)
          .map((x) => `${(x.secs / m[0]!.secs).toFixed(1)}×, ${(x.cpu / m[0]!.cpu).toFixed(1)}×`)
          .join(" | ")} |`,
      );
    }

    // sha256: aigate's streaming digest against sha256sum, same file, same run (page cache warm for both).
    const big = join(root, "corpus", "big-pickle", "blob.pkl");
    execFileSync("sha256sum", [big]);
    const theirs = best(["sha256sum", big]);
    const ours = best([process.execPath, "--import", "tsx", resolve("bench/hash-one.ts"), big]);
    console.log(
      `\nsha256 of 1 GiB: aigate ${f1(ours.secs)} s, sha256sum ${f1(theirs.secs)} s: aigate's throughput is ${(theirs.secs / ours.secs).toFixed(2)}× sha256sum's (whole processes)`,
    );

    // The scan cache and scope: changed, through run() (the CLI's --cache-dir drives the same code).
    const driver = resolve("bench/run-once.ts");
    const cache = join(root, "cache");
    const runOnce = (...a: string[]) => {
      const r = spawnSync(process.execPath, ["--import", "tsx", driver, ...a], { encoding: "utf8" });
      return JSON.parse(r.stdout.trim().split("\n").pop()!) as { secs: number; scanSecs: number; findings: number };
    };
    const cold = runOnce(join(root, "corpus"), "--cache-dir", cache);
    const warm = runOnce(join(root, "corpus"), "--cache-dir", cache);
    console.log(
      `\nscan cache, everything, run() after start-up: cold ${f1(cold.scanSecs)} s, warm rerun ${f1(warm.scanSecs)} s (${f1(cold.secs)} s and ${f1(warm.secs)} s whole processes under tsx): ${(cold.scanSecs / warm.scanSecs).toFixed(1)}× faster; same findings: ${cold.findings === warm.findings}`,
    );
    // The same through the bundled CLI, whole processes: a fresh cache folder, then reruns.
    const cliCache = join(root, "cli-cache");
    const cacheCmd = [...aigate(CLI, "aigate").cmd(join(root, "corpus")), "--cache-dir", cliCache];
    const cliCold = measure(cacheCmd);
    const cliWarm = best(cacheCmd);
    console.log(
      `scan cache, everything, the CLI with --cache-dir (whole processes): cold ${f1(cliCold.secs)} s wall, ${f1(cliCold.cpu)} s CPU, ${cliCold.rssMB.toFixed(0)} MB; warm rerun ${f1(cliWarm.secs)} s wall, ${f1(cliWarm.cpu)} s CPU, ${cliWarm.rssMB.toFixed(0)} MB: ${(cliCold.secs / cliWarm.secs).toFixed(1)}× faster wall, ${(cliCold.cpu / cliWarm.cpu).toFixed(1)}× less CPU`,
    );

    // A 3-file change in a large git repository under scope: changed (no cache).
    const repoN = SCALING[SCALING.length - 1]!;
    const repo = mk(root, "repo");
    sourceTree(repo, repoN);
    const g = (...a: string[]) => execFileSync("git", ["-c", "user.email=b@example.com", "-c", "user.name=b", ...a], { cwd: repo, stdio: "ignore" });
    g("init", "-q");
    g("add", "-A");
    g("commit", "-qm", "base");
    for (const i of [1, 2, 3]) writeFileSync(join(repo, "pkg0", `mod${i}.py`), `import pickle\nx = pickle.load(open("f${i}", "rb"))\n`);
    g("commit", "-qam", "change");
    const diff = runOnce(repo, "--diff", "HEAD~1");
    const full = runOnce(repo);
    console.log(
      `3-file change in a ${repoN}-file git repository, scope: changed, run(): ${f1(diff.scanSecs)} s after start-up, ${f1(diff.secs)} s in all under tsx (the whole scan: ${f1(full.scanSecs)} s after start-up)`,
    );
    const cliDiff = best([...aigate(CLI, "aigate").cmd(repo), "--base", "HEAD~1", "--scope", "changed"]);
    const cliFull = best(aigate(CLI, "aigate").cmd(repo), 2);
    console.log(
      `the same through the CLI (--base HEAD~1 --scope changed), whole process: ${f1(cliDiff.secs)} s wall, ${f1(cliDiff.cpu)} s CPU, ${cliDiff.rssMB.toFixed(0)} MB (the whole scan: ${f1(cliFull.secs)} s wall, ${f1(cliFull.cpu)} s CPU)`,
    );

    // Scaling: source-file trees of growing size, the CLI as users run it.
    console.log("\n| source files | aigate wall s | CPU s | peak RSS MB | µs per file (wall) |" + (BEFORE ? " before wall s |" : ""));
    console.log("| --- | --- | --- | --- | --- |" + (BEFORE ? " --- |" : ""));
    for (const n of SCALING) {
      const dir = mk(root, `scale-${n}`);
      sourceTree(dir, n);
      const m = best(aigate(CLI, "aigate").cmd(dir), 2);
      const b = BEFORE ? best(aigate(BEFORE, "before").cmd(dir), 2) : undefined;
      console.log(`| ${n} | ${f1(m.secs)} | ${f1(m.cpu)} | ${m.rssMB.toFixed(0)} | ${((1e6 * m.secs) / n).toFixed(0)} |${b ? ` ${f1(b.secs)} |` : ""}`);
      rmSync(dir, { recursive: true, force: true });
    }
    // What a second core buys on this machine: a CPU-bound loop alone and as two processes at once
    // (2.0× would be two full cores), and the source-file subset with one scan thread and with the
    // default pool.
    const spin = `${JSON.stringify(process.execPath)} -e "let x = 0; for (let i = 0; i < 4e8; i++) x += i % 7"`;
    const alone = best(["sh", "-c", spin], 2);
    const pair = best(["sh", "-c", `${spin} & ${spin} & wait`], 2);
    const text = join(root, "corpus", "text");
    const oneThread = best([...aigate(CLI, "aigate").cmd(text), "--threads", "1"]);
    const pool = best(aigate(CLI, "aigate").cmd(text));
    console.log(
      `\ntwo cores: two CPU-bound processes at once do ${((2 * alone.secs) / pair.secs).toFixed(2)}× the work of one in the same time (${f1(alone.secs)} s alone, ${f1(pair.secs)} s for the pair); the source files with one scan thread ${f1(oneThread.secs)} s wall, ${f1(oneThread.cpu)} s CPU, with the default pool ${f1(pool.secs)} s wall, ${f1(pool.cpu)} s CPU (${(oneThread.secs / pool.secs).toFixed(2)}×)`,
    );
    const start = best([NODE, CLI, "--version"], 5);
    const emptyRun = best(aigate(CLI, "aigate").cmd(empty), 5);
    const startB = BEFORE ? best([NODE, BEFORE, "--version"], 5) : undefined;
    const emptyB = BEFORE ? best(aigate(BEFORE, "before").cmd(empty), 5) : undefined;
    console.log(
      `\nstart-up: --version ${f1(start.secs)} s${startB ? ` (before ${f1(startB.secs)} s)` : ""}, empty repository ${f1(emptyRun.secs)} s wall, ${f1(emptyRun.cpu)} s CPU${emptyB ? ` (before ${f1(emptyB.secs)} s)` : ""}`,
    );
    console.log(`load average at the end: ${load()}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv.includes("--corpus")) {
  const dir = resolve(arg("--corpus", ""));
  build(dir);
  console.log(`corpus built in ${dir} (${QUICK ? "quick" : "full"} scale, ${TEXT} source files)`);
} else main();
