#!/usr/bin/env node
// Runs the coverage-guided fuzz targets in fuzz/targets/ with Jazzer.js.
//
//   node scripts/fuzz.mjs [--time S] [--jobs N] [--rss-limit MB] [--ci] [--strict] [target ...]
//                                                                      fuzz (default 60 s per target)
//   node scripts/fuzz.mjs --list                                       list the targets
//   node scripts/fuzz.mjs --repro TARGET FILE...                       run saved inputs once, no fuzzer
//
// Each target (TypeScript) is bundled with esbuild into node_modules/.cache/aigate-fuzz/ (the
// project's sources inside, npm packages outside), so Jazzer instruments exactly aigate's code.
// Seeds are the target's fixture globs plus the inputs it generates, written to fuzz/corpus/<t>/
// (git-ignored; the fuzzer adds what it finds there). A crash or hang is saved under
// fuzz/crashes/<t>/ with the command that reproduces it. --ci: short runs (default 10 s per
// target, two at a time), exit 1 on any crash. Inputs that reach a defect listed in
// fuzz/lib/known.ts are counted, not treated as crashes, unless --strict is given.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout, clearTimeout } from "node:timers";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { minimatch } from "minimatch";
import { prepareJazzer } from "../fuzz/prepare-jazzer.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TARGETS_DIR = join(ROOT, "fuzz", "targets");
const OUT = join(ROOT, "node_modules", ".cache", "aigate-fuzz");
const JAZZER = join(ROOT, "node_modules", "@jazzer.js", "core", "dist", "cli.js");
const MAX_SEED_BYTES = 1 << 20;
const SKIP_DIRS = new Set(["node_modules", ".git", "dist", "coverage", "fuzz"]);

function usage(message) {
  if (message) console.error(`fuzz: ${message}`);
  console.error("usage: node scripts/fuzz.mjs [--time S] [--jobs N] [--rss-limit MB] [--ci] [--strict] [target ...] | --list | --repro TARGET FILE...");
  process.exit(2);
}

function parseArgs(argv) {
  const o = { time: undefined, jobs: undefined, rss: undefined, ci: false, strict: false, list: false, repro: undefined, names: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) usage(`${a} needs a positive number`);
      return v;
    };
    if (a === "--time") o.time = num();
    else if (a === "--jobs") o.jobs = Math.floor(num());
    else if (a === "--rss-limit") o.rss = Math.floor(num());
    else if (a === "--ci") o.ci = true;
    else if (a === "--strict") o.strict = true;
    else if (a === "--list") o.list = true;
    else if (a === "--repro") o.repro = argv[++i] ?? usage("--repro needs a target");
    else if (a === "--help" || a === "-h") usage();
    else if (a.startsWith("-")) usage(`unknown option ${a}`);
    else o.names.push(a);
  }
  o.time ??= o.ci ? 10 : 60;
  o.jobs ??= o.ci ? 2 : 1;
  // Long runs hold every target to 512 MB (or what its harness declares); the short CI runs look for
  // crashes and hangs, and two at a time on a busy runner must not fail on the harness's own size.
  o.rss ??= o.ci ? 1024 : 512;
  return o;
}

const allTargets = () =>
  readdirSync(TARGETS_DIR)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => f.slice(0, -3))
    .sort();

// Each target behind an entry that collects garbage when the process's RSS passes
// AIGATE_FUZZ_GC_ABOVE_MB (checked every 64 inputs; needs node --expose-gc). Everything else the
// target exports (meta, seeds) is passed through.
const fuzzEntry = {
  name: "fuzz-entry",
  setup(b) {
    b.onResolve({ filter: /^fuzz-entry:/ }, (a) => ({ path: a.path.slice("fuzz-entry:".length), namespace: "fuzz-entry" }));
    b.onLoad({ filter: /.*/, namespace: "fuzz-entry" }, (a) => {
      const target = JSON.stringify(join(TARGETS_DIR, `${a.path}.ts`));
      return {
        resolveDir: TARGETS_DIR,
        loader: "js",
        contents: `import * as target from ${target};
export * from ${target};
const above = Number(process.env.AIGATE_FUZZ_GC_ABOVE_MB ?? 0) * 1048576;
let calls = 0;
export function fuzz(data) {
  if (above && ++calls % 64 === 0 && typeof globalThis.gc === "function" && process.memoryUsage.rss() > above) globalThis.gc();
  return target.fuzz(data);
}
`,
      };
    });
  },
};

async function bundle(names) {
  mkdirSync(OUT, { recursive: true });
  await build({
    entryPoints: Object.fromEntries(names.map((n) => [n, `fuzz-entry:${n}`])),
    outdir: OUT,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    plugins: [fuzzEntry],
    sourcemap: "linked",
    logLevel: "warning",
  });
  return Object.fromEntries(names.map((n) => [n, join(OUT, `${n}.mjs`)]));
}

function walkFiles(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walkFiles(join(dir, e.name), out);
    } else if (e.isFile()) out.push(join(dir, e.name));
  }
  return out;
}

let repoFiles;
function seedFiles(globs) {
  repoFiles ??= [...walkFiles(join(ROOT, "__tests__")), ...walkFiles(join(ROOT, "examples")), ...walkFiles(join(ROOT, "policies"))].map((f) =>
    relative(ROOT, f),
  );
  return repoFiles.filter((f) => globs.some((g) => minimatch(f, g, { dot: true })));
}

/** Writes the seeds into the corpus folder under content names; returns how many there are. */
async function prepareCorpus(name, mod) {
  const dir = join(ROOT, "fuzz", "corpus", name);
  mkdirSync(dir, { recursive: true });
  const seeds = [];
  for (const f of seedFiles(mod.meta?.seedGlobs ?? [])) {
    if (statSync(join(ROOT, f)).size <= MAX_SEED_BYTES) seeds.push(readFileSync(join(ROOT, f)));
  }
  if (typeof mod.seeds === "function") seeds.push(...(await mod.seeds()).map((s) => Buffer.from(s)));
  for (const s of seeds) {
    const file = join(dir, createHash("sha1").update(s).digest("hex"));
    if (!existsSync(file)) writeFileSync(file, s);
  }
  return { dir, seeds: seeds.length };
}

function run(cmd, args, logFile, killAfterMs, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env });
    const chunks = [];
    child.stdout.on("data", (c) => chunks.push(c));
    child.stderr.on("data", (c) => chunks.push(c));
    const timer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const log = Buffer.concat(chunks).toString("utf8");
      writeFileSync(logFile, log);
      resolve({ code, signal, log });
    });
  });
}

const listArtifacts = (dir) => (existsSync(dir) ? readdirSync(dir).filter((f) => /^(crash|timeout|oom|leak|slow-unit)-/.test(f)) : []);

async function fuzzOne(name, file, mod, o) {
  const meta = mod.meta ?? {};
  const { dir, seeds } = await prepareCorpus(name, mod);
  const crashes = join(ROOT, "fuzz", "crashes", name);
  mkdirSync(crashes, { recursive: true });
  const before = new Set(listArtifacts(crashes));
  const timeoutMs = meta.timeoutMs ?? 10_000;
  const args = [
    JAZZER,
    file,
    dir,
    "-i",
    "aigate-fuzz",
    `--timeout=${timeoutMs}`,
    ...(meta.sync ? ["--sync"] : []),
    ...(meta.disableBugDetectors?.length ? ["--disableBugDetectors", ...meta.disableBugDetectors] : []),
    "--",
    `-max_total_time=${o.time}`,
    `-artifact_prefix=${crashes}/`,
    `-rss_limit_mb=${Math.max(o.rss, meta.rssLimitMb ?? 0)}`,
    "-print_final_stats=1",
    ...(meta.dict ? [`-dict=${join(ROOT, "fuzz", "dict", `${meta.dict}.dict`)}`] : []),
  ];
  const logFile = join(OUT, `${name}.log`);
  const started = Date.now();
  const env = { ...process.env, ...(o.strict ? { AIGATE_FUZZ_STRICT: "1" } : {}) };
  // V8 sizes its heap for the machine and collects late: on a 24 GB machine garbage alone carried a
  // target past the RSS limit. The entry (fuzzEntry) collects when the RSS nears the limit; a real
  // leak still fails. A hard heap cap instead made the manifest and policy targets collect all the time.
  const limitMb = Math.max(o.rss, meta.rssLimitMb ?? 0);
  env.AIGATE_FUZZ_GC_ABOVE_MB = String(limitMb - 96);
  const r = await run(process.execPath, ["--expose-gc", ...args], logFile, (o.time + 120) * 1000 + timeoutMs, env);
  const seconds = (Date.now() - started) / 1000;
  const done = /Done (\d+) runs in (\d+) second/.exec(r.log);
  const runs = done ? Number(done[1]) : Number([...r.log.matchAll(/^#(\d+)\s/gm)].at(-1)?.[1] ?? 0);
  const cov = [...r.log.matchAll(/\bcov: (\d+) ft: (\d+)/g)].at(-1);
  const peak = /stat::peak_rss_mb:\s*(\d+)/.exec(r.log) ?? [...r.log.matchAll(/\brss: (\d+)Mb/g)].at(-1);
  const artifacts = listArtifacts(crashes).filter((f) => !before.has(f));
  const ok = r.code === 0 && artifacts.length === 0;
  const known = [...new Set([...r.log.matchAll(/^aigate-fuzz: known defect (\S+) reached/gm)].map((m) => m[1]))];
  return {
    name,
    seeds,
    runs,
    known,
    seconds,
    cov: cov ? Number(cov[1]) : undefined,
    rssMb: peak ? Number(peak[1]) : undefined,
    ft: cov ? Number(cov[2]) : undefined,
    ok,
    code: r.code,
    signal: r.signal,
    artifacts: artifacts.map((a) => join(crashes, a)),
    log: logFile,
    tail: ok ? "" : tailOf(r.log),
  };
}

function tailOf(log) {
  const lines = log.split("\n");
  const at = lines.findIndex((l) => /==\d+== |Uncaught Exception|ERROR: libFuzzer|Error:|InvariantError/.test(l));
  return (at >= 0 ? lines.slice(at, at + 25) : lines.slice(-25)).join("\n");
}

async function pool(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]);
    }),
  );
  return out;
}

async function repro(name, files) {
  const { [name]: file } = await bundle([name]);
  const mod = await import(pathToFileURL(file).href);
  let failed = 0;
  for (const f of files) {
    const data = readFileSync(f);
    const t0 = performance.now();
    try {
      await mod.fuzz(data);
      console.log(`${f}: ok (${Math.round(performance.now() - t0)} ms)`);
    } catch (e) {
      failed++;
      console.log(`${f}: FAILED after ${Math.round(performance.now() - t0)} ms`);
      console.log(e instanceof Error ? e.stack : e);
    }
  }
  process.exit(failed ? 1 : 0);
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const known = allTargets();
  if (o.list) {
    const files = await bundle(known);
    for (const n of known) console.log(`${n.padEnd(18)} ${(await import(pathToFileURL(files[n]).href)).meta?.description ?? ""}`);
    return;
  }
  if (o.repro) {
    if (!known.includes(o.repro)) usage(`no target ${o.repro} (see --list)`);
    if (o.names.length === 0) usage("--repro needs input files");
    return repro(o.repro, o.names);
  }
  const names = o.names.length ? o.names : known;
  for (const n of names) if (!known.includes(n)) usage(`no target ${n} (known: ${known.join(", ")})`);
  const note = prepareJazzer();
  if (note) console.log(note);
  const files = await bundle(names);
  const mods = {};
  for (const n of names) mods[n] = await import(pathToFileURL(files[n]).href);
  console.log(`fuzzing ${names.length} target(s), ${o.time} s each, ${o.jobs} at a time`);
  const started = Date.now();
  const results = await pool(names, o.jobs, async (n) => {
    const r = await fuzzOne(n, files[n], mods[n], o);
    const extra = [
      `${r.seeds} seeds`,
      ...(r.cov !== undefined ? [`cov ${r.cov}`, `ft ${r.ft}`] : []),
      ...(r.rssMb !== undefined ? [`peak rss ${r.rssMb} MB`] : []),
      ...(r.known.length ? [`known: ${r.known.join(", ")}`] : []),
    ];
    console.log(
      `${r.ok ? "ok   " : "CRASH"} ${n.padEnd(18)} ${String(r.runs).padStart(9)} execs in ${r.seconds.toFixed(0).padStart(3)} s  (${extra.join(", ")})`,
    );
    return r;
  });
  const bad = results.filter((r) => !r.ok);
  console.log(
    `\n${results.length} target(s), ${results.reduce((s, r) => s + r.runs, 0)} executions in ${((Date.now() - started) / 1000).toFixed(0)} s; ${bad.length} with a crash or hang`,
  );
  const knownHit = [...new Set(results.flatMap((r) => r.known))];
  if (knownHit.length) console.log(`known defects reached (fuzz/lib/known.ts, not counted as crashes): ${knownHit.join(", ")}`);
  for (const r of bad) {
    console.log(`\n--- ${r.name}: exit ${r.code ?? r.signal}; log ${relative(ROOT, r.log)}`);
    console.log(r.tail);
    for (const a of r.artifacts) console.log(`saved ${relative(ROOT, a)}\nreproduce: node scripts/fuzz.mjs --repro ${r.name} ${relative(ROOT, a)}`);
    if (r.artifacts.length === 0) console.log(`no input was saved: see the log (the fuzzer itself failed?)`);
  }
  if (bad.length) process.exit(1);
}

await main();
