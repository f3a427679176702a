// Whole-process measurements for the benchmarks: a command runs under a small Python parent that
// reports its wall time, CPU time (user + system, of the command and its threads and children),
// peak RSS and read() bytes; `best` keeps the fastest of several runs (the first warms the page
// cache).
import { spawnSync } from "node:child_process";

export interface Measure {
  secs: number;
  /** User + system CPU seconds of the command and its threads and children. */
  cpu: number;
  rssMB: number;
  /** Bytes the command read with read() (from /proc). */
  rchar: number;
  status: number | null;
  /** What the command wrote to stdout, when asked for. */
  stdout?: string;
}

/** The parent: argv[1] is "keep" to return the command's stdout, then the command. */
const WRAP = `
import os, resource, subprocess, sys, time, json
def rchar():
    for l in open('/proc/self/io'):
        if l.startswith('rchar:'): return int(l.split()[1])
keep = sys.argv[1] == "keep"
r0 = rchar(); t0 = time.perf_counter()
p = subprocess.run(sys.argv[2:], stdout=subprocess.PIPE if keep else subprocess.DEVNULL, stderr=subprocess.DEVNULL)
t = time.perf_counter() - t0
u = resource.getrusage(resource.RUSAGE_CHILDREN)
out = {"secs": t, "cpu": u.ru_utime + u.ru_stime, "rssMB": u.ru_maxrss / 1024, "rchar": rchar() - r0, "status": p.returncode}
if keep: out["stdout"] = p.stdout.decode("utf8", "replace")
print(json.dumps(out))
`;

/** One run of `cmd`; with `stdout`, what it printed is kept. */
export function measure(cmd: string[], opts: { stdout?: boolean } = {}): Measure {
  const r = spawnSync("python3", ["-c", WRAP, opts.stdout ? "keep" : "drop", ...cmd], { encoding: "utf8", maxBuffer: 1 << 28 });
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as Measure;
}

/** The fastest of `n` runs. */
export function best(cmd: string[], n: number, opts: { stdout?: boolean } = {}): Measure {
  return bestOfEach([cmd], n, opts)[0]!;
}

/**
 * The fastest of `n` runs of each command, the commands taking turns (a, b, c, a, b, c, ...): a
 * moment when the shared machine is slower then falls on every command alike, not on one.
 */
export function bestOfEach(cmds: string[][], n: number, opts: { stdout?: boolean } = {}): Measure[] {
  const b: (Measure | undefined)[] = cmds.map(() => undefined);
  for (let i = 0; i < n; i++)
    cmds.forEach((cmd, k) => {
      const m = measure(cmd, opts);
      if (!b[k] || m.secs < b[k].secs) b[k] = m;
    });
  return b as Measure[];
}
