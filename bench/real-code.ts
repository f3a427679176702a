// Benchmark of the code scanner on real source code, which the generated trees of compare.ts and
// code.ts are not: most real files mention a name the prefilter lets through, so nearly every file
// is parsed and its data flow read. The corpus is what any machine that runs the benchmarks has:
// the Python standard library of the `python3` on the PATH, and the JavaScript and TypeScript of
// this project's node_modules, copied into a temporary folder (removed at the end). The CLI runs as
// users run it (default settings, whole process; bench/measure.ts), on the default pool and on one thread; with
// --before, an older build on the same files, and whether the two reports are the same. Then the
// scan cache on the same files: a cold run into a fresh --cache-dir, and warm reruns over it.
// Run: npx tsx bench/real-code.ts [--cli dist/cli.js] [--before OTHER/cli.js] [--python 1000] [--js 1500] [--keep [--no-run]]
// (--keep leaves the corpus in place, for profiling, and prints where.)
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { best, type Measure } from "./measure.js";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const CLI = resolve(arg("--cli", "dist/cli.js"));
const BEFORE = process.argv.includes("--before") ? resolve(arg("--before", "")) : undefined;
const PYTHON = Number(arg("--python", "1000"));
const JS = Number(arg("--js", "1500"));
/** Larger files are left out: the scanner does not parse files over its limit, and minified bundles are not source. */
const MAX_BYTES = 200_000;
const KEEP = process.argv.includes("--keep");

function listFiles(dir: string, keep: (path: string) => boolean, skipDir: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = join(d, e.name);
      if (e.isDirectory() && !skipDir(e.name)) walk(p);
      else if (e.isFile() && keep(p) && statSync(p).size <= MAX_BYTES) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** `count` files spread over the list (every k-th), so that no single package dominates. */
function spread(files: string[], count: number): string[] {
  if (files.length <= count) return files;
  const step = files.length / count;
  return Array.from({ length: count }, (_, i) => files[Math.floor(i * step)]!);
}

function copyInto(root: string, from: string, files: string[], under: string): number {
  let bytes = 0;
  for (const f of files) {
    const to = join(root, under, relative(from, f));
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(f, to);
    bytes += statSync(f).size;
  }
  return bytes;
}

/** The CLI on `dir`, the fastest of `n` runs, with its report (without the generation time: two runs of one build give the same bytes). */
function run(cli: string, dir: string, extra: string[] = [], n = 3): Measure & { report: string } {
  const m = best([process.execPath, cli, "check", dir, "--format", "json", "--today", "2026-11-27", ...extra], n, { stdout: true });
  return { ...m, report: (m.stdout ?? "").replace(/"generatedAt":\s*"[^"]*"/, "") };
}

const cell = (x: Measure) => `${x.secs.toFixed(2)}, ${x.cpu.toFixed(2)}, ${x.rssMB.toFixed(0)}`;

function main() {
  const root = mkdtempSync(join(tmpdir(), "aigate-bench-real-code-"));
  try {
    const stdlib = execFileSync("python3", ["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"]).toString().trim();
    const py = spread(
      listFiles(
        stdlib,
        (p) => p.endsWith(".py"),
        (d) => d === "site-packages" || d === "__pycache__",
      ),
      PYTHON,
    );
    const modules = resolve("node_modules");
    const js = spread(
      listFiles(
        modules,
        (p) => /\.(js|mjs|cjs|ts|tsx)$/.test(p) && !/\.d\.[cm]?ts$/.test(p) && !/\.min\.js$/.test(p),
        (d) => d === ".bin" || d === ".cache",
      ),
      JS,
    );
    const pyDir = join(root, "python");
    const jsDir = join(root, "js");
    const pyBytes = copyInto(pyDir, stdlib, py, "lib");
    const jsBytes = copyInto(jsDir, modules, js, "node_modules_copy");
    console.log(
      `corpus: ${py.length} Python files (${(pyBytes / 1e6).toFixed(1)} MB) from ${stdlib}; ${js.length} JS/TS files (${(jsBytes / 1e6).toFixed(1)} MB) from node_modules`,
    );
    console.log(`load average at start: ${execFileSync("cat", ["/proc/loadavg"]).toString().split(" ").slice(0, 3).join(" ")}`);
    console.log(
      `\n| corpus | aigate: wall s, CPU s, peak RSS MB | one scan thread | ms per file (wall) |${BEFORE ? " before: wall s, CPU s, peak RSS MB | before ÷ aigate (wall) | same report |" : ""}`,
    );
    console.log(`| --- | --- | --- | --- |${BEFORE ? " --- | --- | --- |" : ""}`);
    if (KEEP && process.argv.includes("--no-run")) return;
    const corpora = [
      ["Python standard library", pyDir, py.length],
      ["node_modules JS/TS", jsDir, js.length],
    ] as const;
    for (const [name, dir, count] of corpora) {
      const m = run(CLI, dir);
      const one = run(CLI, dir, ["--threads", "1"], 2);
      const b = BEFORE ? run(BEFORE, dir) : undefined;
      console.log(
        `| ${name} (${count} files) | ${cell(m)} | ${cell(one)} | ${((1000 * m.secs) / count).toFixed(1)} |${
          b ? ` ${cell(b)} | ${(b.secs / m.secs).toFixed(2)}× | ${b.report === m.report ? "yes" : "no"} |` : ""
        }`,
      );
    }
    // The scan cache where the cold run parses nearly every file: a fresh cache folder, then reruns.
    console.log(`\n| corpus | cold run with --cache-dir: wall s, CPU s, peak RSS MB | warm rerun | cold ÷ warm (wall) | same report |`);
    console.log("| --- | --- | --- | --- | --- |");
    for (const [k, [name, dir]] of corpora.entries()) {
      const cache = ["--cache-dir", join(root, `cache-${k}`)];
      const cold = run(CLI, dir, cache, 1);
      const warm = run(CLI, dir, cache);
      console.log(`| ${name} | ${cell(cold)} | ${cell(warm)} | ${(cold.secs / warm.secs).toFixed(1)}× | ${cold.report === warm.report ? "yes" : "no"} |`);
    }
  } finally {
    if (KEEP) console.log(`corpus kept in ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
}

main();
