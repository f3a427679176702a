// Legacy Keras .h5 files, as h5py writes them, through the CLI as users run it: wall time, bytes
// read ÷ size, and the verdict. Not a test: it prints. The files are built at run time by h5py
// (weights allocated but never written, so multi-gigabyte files are sparse and quick to make):
//   model.h5    a whole model: keras_version, backend and a 0.3 MB model_config at the start, then 4 GiB of weights
//   late.h5     1 GiB of weights, then attributes added in append mode (a continuation block) with a
//               Lambda layer in model_config, then 1 GiB more: the config sits far from both ends
//   dense.h5    40 attributes and a Lambda in dense storage (libver="latest"), then 2 GiB of weights
//   weights.h5  weights only (layer_names, no model_config), 2 GiB
// With --before, an older build on the same files.
// Run: npx tsx bench/hdf5.ts [--cli bin/aigate.js] [--before OTHER/cli.js] [--node PATH]
// Needs h5py (Debian: apt-get install python3-h5py; AIGATE_BENCH_PYTHON names the interpreter); skipped with a note otherwise.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { measure } from "./measure.js";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const CLI = resolve(arg("--cli", "bin/aigate.js"));
const NODE = arg("--node", process.execPath);
const BEFORE = process.argv.includes("--before") ? resolve(arg("--before", "")) : undefined;

const BUILD = `
import h5py, json, sys, os
import numpy as np
out = sys.argv[1]
GiB = 1 << 30
lam = {"class_name": "Lambda", "config": {"name": "l", "function": ["4wEAAAAA", None, None]}}
dense = lambda i: {"class_name": "Dense", "config": {"name": f"d{i}", "units": 2}}
model = lambda layers: json.dumps({"class_name": "Sequential", "config": {"name": "s", "layers": layers}})

def weights(group, name, nbytes):
    # Allocated at creation and never written: the file holds a hole of that size.
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)
    dcpl.set_fill_time(h5py.h5d.FILL_TIME_NEVER)
    space = h5py.h5s.create_simple((nbytes // 4,))
    h5py.h5d.create(group.id, name.encode(), h5py.h5t.NATIVE_FLOAT, space, dcpl=dcpl)

def folder(name):
    p = os.path.join(out, name)
    os.makedirs(p, exist_ok=True)
    return os.path.join(p, name + ".h5")

with h5py.File(folder("model"), "w") as f:
    f.attrs["keras_version"] = b"2.11.0"
    f.attrs["backend"] = b"tensorflow"
    f.attrs["model_config"] = model([dense(i) for i in range(4000)]).encode()
    g = f.create_group("model_weights")
    for i in range(16):
        weights(g, f"k{i}", GiB // 4)

p = folder("late")
with h5py.File(p, "w") as f:
    f.attrs["keras_version"] = b"2.11.0"
    weights(f, "w1", GiB)
with h5py.File(p, "a") as f:
    for i in range(12):
        f.attrs[f"pad{i}"] = np.ones(100)
    f.attrs["model_config"] = model([dense(0), lam]).encode()
    weights(f, "w2", GiB)

with h5py.File(folder("dense"), "w", libver="latest") as f:
    for i in range(40):
        f.attrs[f"a{i}"] = i
    f.attrs["model_config"] = model([dense(0), lam])
    weights(f, "w", 2 * GiB)

with h5py.File(folder("weights"), "w") as f:
    f.attrs["layer_names"] = np.array([b"d0"])
    f.attrs["keras_version"] = b"2.11.0"
    weights(f.create_group("d0"), "kernel", 2 * GiB)
`;

function python(): string | undefined {
  for (const py of [process.env.AIGATE_BENCH_PYTHON, "python3", "/usr/bin/python3"].filter((p): p is string => !!p))
    if (spawnSync(py, ["-c", "import h5py"], { stdio: "ignore" }).status === 0) return py;
  return undefined;
}

const py = python();
if (!py) {
  console.log("h5py not found (apt-get install python3-h5py, or set AIGATE_BENCH_PYTHON): skipped");
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), "aigate-bench-hdf5-"));
try {
  const built = spawnSync(py, ["-c", BUILD, dir], { encoding: "utf8" });
  if (built.status !== 0) throw new Error(`building the files failed: ${built.stderr}`);
  const empty = join(dir, "empty");
  mkdirSync(empty);
  const tools: [string, string][] = [["aigate", CLI], ...(BEFORE ? [["aigate before", BEFORE] as [string, string]] : [])];
  const cmd = (cli: string, d: string) => [NODE, cli, "check", d, "--format", "json", "--today", "2026-11-27"];
  const base = new Map(tools.map(([name, cli]) => [name, measure(cmd(cli, empty)).rchar]));
  console.log(`| file | size | ${tools.map(([n]) => `${n}: wall s, read ÷ size, verdict`).join(" | ")} |`);
  console.log(`| --- | --- | ${tools.map(() => "---").join(" | ")} |`);
  for (const name of ["model", "late", "dense", "weights"]) {
    const d = join(dir, name);
    const size = statSync(join(d, `${name}.h5`)).size;
    const cells = tools.map(([tool, cli]) => {
      measure(cmd(cli, d)); // warms the page cache
      const m = measure(cmd(cli, d), { stdout: true });
      let verdict = "?";
      try {
        const models = (JSON.parse(m.stdout!) as { inventory: { models: { verdict: string }[] } }).inventory.models;
        verdict = models[0]?.verdict ?? "no model";
      } catch {
        verdict = `exit ${m.status}`;
      }
      const read = Math.max(0, m.rchar - base.get(tool)!);
      return `${m.secs.toFixed(2)}, ${read < 1 << 20 ? `${(read / 1024).toFixed(0)} KB` : `${(read / (1 << 20)).toFixed(1)} MB`} (${((100 * read) / size).toFixed(4)} %), ${verdict}`;
    });
    console.log(`| ${name}.h5 | ${(size / (1 << 30)).toFixed(2)} GiB | ${cells.join(" | ")} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
