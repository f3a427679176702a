// Runs a scanner on a real fixture folder and compares its observations with the inline markers
// in the fixtures: `# expect: rule-id` (or `rule-id@column`) must be reported on that line, and
// `# ok: rule-id` must not. Observation kinds map to rule ids through the built-in packs.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { open } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { parse } from "yaml";
import type { Observation, RepoFile, ScanContext, ScanResult, Scanner } from "../../../src/inventory/types.js";

export function listFiles(root: string): RepoFile[] {
  const out: RepoFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const abs = join(dir, name);
      const st = statSync(abs);
      if (st.isDirectory()) walk(abs);
      else out.push({ path: relative(root, abs).split(sep).join("/"), size: st.size });
    }
  };
  walk(root);
  return out;
}

/**
 * Copies a fixture folder to a temporary one, renaming `x.fixture` to `x`: files such as a broken
 * package.json cannot sit in the test tree under their real name (jest reads every package.json).
 */
export function materialize(fixture: string): string {
  const dest = mkdtempSync(join(tmpdir(), "aigate-fixture-"));
  cpSync(fixture, dest, { recursive: true });
  for (const f of listFiles(dest)) if (f.path.endsWith(".fixture")) renameSync(join(dest, f.path), join(dest, f.path.slice(0, -".fixture".length)));
  return dest;
}

export function contextFor(root: string, files = listFiles(root)): ScanContext {
  return {
    root,
    files,
    settings: {},
    async readRange(path, position, length) {
      const fh = await open(join(root, path), "r");
      try {
        const buf = Buffer.alloc(length);
        const { bytesRead } = await fh.read(buf, 0, length, position);
        return buf.subarray(0, bytesRead);
      } finally {
        await fh.close();
      }
    },
  };
}

export async function scanFixture(scanner: Scanner, root: string): Promise<ScanResult> {
  return scanner.scan(contextFor(root));
}

/** rule id -> observation kind, from the built-in packs this area owns. */
export function ruleKinds(): Map<string, string> {
  const map = new Map<string, string>();
  for (const file of ["code.yaml", "dependencies.yaml"]) {
    const path = join(process.cwd(), "policies", "builtin", file);
    if (!existsSync(path)) continue;
    const pack = parse(readFileSync(path, "utf8")) as { rules: { id: string; check: { kind: string; match?: string } }[] };
    for (const r of pack.rules) if (r.check.kind === "observation" && r.check.match) map.set(r.id, r.check.match);
  }
  return map;
}

export interface Marker {
  path: string;
  line: number;
  rule: string;
  column?: number;
  expect: boolean;
}

const MARKER = /(?:#|\/\/)\s*(expect|ok):\s*([\w@, -]+)/g;

/** Markers in every text fixture; in notebooks, lines are counted within each cell's source. */
export function markers(root: string): Marker[] {
  const out: Marker[] = [];
  for (const f of listFiles(root)) {
    const text = readFileSync(join(root, f.path), "utf8");
    const lines: string[] = [];
    if (f.path.endsWith(".ipynb")) {
      continue; // notebook markers are asserted by the notebook test itself (cell-relative lines)
    } else lines.push(...text.split("\n"));
    lines.forEach((l, i) => {
      for (const m of l.matchAll(MARKER)) {
        for (const item of m[2]!
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)) {
          const [rule, col] = item.split("@");
          out.push({ path: f.path, line: i + 1, rule: rule!.trim(), column: col ? Number(col) : undefined, expect: m[1] === "expect" });
        }
      }
    });
  }
  return out;
}

const kindMatches = (pattern: string, kind: string) => (pattern.endsWith("*") ? kind.startsWith(pattern.slice(0, -1)) : pattern === kind);

/** Compares observations with markers; returns human-readable mismatches (empty when all agree). */
export function compareWithMarkers(root: string, observations: Observation[]): string[] {
  const kinds = ruleKinds();
  const problems: string[] = [];
  const ms = markers(root);
  const hits = (m: Marker) =>
    observations.filter((o) => o.location.path === m.path && o.location.line === m.line && kindMatches(kinds.get(m.rule) ?? `?${m.rule}`, o.kind));
  for (const m of ms) {
    if (!kinds.has(m.rule)) problems.push(`${m.path}:${m.line}: marker names unknown rule ${m.rule}`);
    const found = hits(m);
    if (m.expect && found.length === 0) problems.push(`${m.path}:${m.line}: expected ${m.rule}, got nothing`);
    if (m.expect && m.column !== undefined && found.length > 0 && !found.some((o) => o.location.column === m.column))
      problems.push(`${m.path}:${m.line}: expected ${m.rule} at column ${m.column}, got ${found.map((o) => o.location.column).join(",")}`);
    if (!m.expect && found.length > 0) problems.push(`${m.path}:${m.line}: ${m.rule} reported but marked ok: ${found[0]!.message}`);
  }
  // Every reported observation of a marked file must be expected there.
  const markedFiles = new Set(ms.map((m) => m.path));
  for (const o of observations) {
    if (!markedFiles.has(o.location.path)) continue;
    if (![...kinds.values()].some((k) => kindMatches(k, o.kind))) continue; // evidence.*, code.tool: for check kinds
    const expected = ms.some((m) => m.expect && m.path === o.location.path && m.line === o.location.line && kindMatches(kinds.get(m.rule) ?? "", o.kind));
    if (!expected) problems.push(`${o.location.path}:${o.location.line}:${o.location.column}: unexpected ${o.kind}: ${o.message}`);
  }
  return problems;
}
