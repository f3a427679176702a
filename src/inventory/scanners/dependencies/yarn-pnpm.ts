// yarn.lock (Yarn 1's own format and Yarn 2+ "Berry" YAML) and pnpm-lock.yaml (lockfile v5 to v9):
// the versions they resolve, so that a caret range in package.json that one of them pins is not
// reported as unpinned. Both are read line by line (one pass, no YAML document in memory): a
// package entry is a key at the start of a line (yarn) or under `packages:` (pnpm).
import semver from "semver";
import { emptyParse, type ParsedFile } from "./model.js";
import { cutAt } from "../../../util/strip.js";

/** The package name of a yarn descriptor: `@scope/name@^1.2.0`, `name@npm:^1.0.0`, `"name@1.x"`. */
function yarnName(descriptor: string): string | undefined {
  const d = descriptor.trim().replace(/^"|"$/g, "");
  const at = d.indexOf("@", d.startsWith("@") ? 1 : 0);
  if (at <= 0) return undefined;
  const range = d.slice(at + 1);
  // Workspaces, patches of local files and links are not registry installs.
  if (/^(workspace|link|portal|file|patch):/.test(range)) return undefined;
  return d.slice(0, at);
}

export function parseYarnLock(path: string, text: string): ParsedFile {
  const out = emptyParse();
  const lines = text.split("\n");
  let current: { names: string[]; line: number } | undefined;
  let version: string | undefined;
  let hashed = false;
  const flush = () => {
    if (current && version && semver.valid(version)) {
      for (const name of current.names) {
        out.dependencies.push({
          ecosystem: "npm",
          name,
          spec: `${name}@${version}`,
          exact: version,
          hashed,
          role: "lock",
          location: { path, line: current.line, column: 1 },
        });
      }
    }
    current = undefined;
    version = undefined;
    hashed = false;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, "");
    if (!line || line.startsWith("#")) continue;
    if (!/^\s/.test(line)) {
      flush();
      if (!line.endsWith(":") || line.startsWith("__metadata")) continue;
      // One or more descriptors of the same resolution, comma-separated, each maybe quoted.
      const names = [
        ...new Set(
          line
            .slice(0, -1)
            .split(/,\s*/)
            .map(yarnName)
            .filter((n): n is string => !!n),
        ),
      ];
      if (names.length) current = { names, line: i + 1 };
      continue;
    }
    if (!current) continue;
    const v = /^ {2}version:? "?([^"\s]+)"?\s*$/.exec(line);
    if (v) version = v[1];
    else if (/^ {2}(integrity|checksum):?\s/.test(line)) hashed = true;
  }
  flush();
  return out;
}

/**
 * A pnpm package key: `/name/1.2.3` (v5), `/name@1.2.3(peer@1)` (v6), `name@1.2.3(peer@1)` (v9),
 * scoped names included; the peer suffix and a `_hash` suffix are dropped.
 */
function pnpmKey(key: string): { name: string; version: string } | undefined {
  let k = key
    .trim()
    .replace(/^['"]|['"]$/g, "")
    .replace(/^\//, "");
  k = cutPeerSuffix(cutAt(k, "("));
  const scoped = k.startsWith("@");
  const at = k.indexOf("@", scoped ? 1 : 0);
  if (at > 0) return { name: k.slice(0, at), version: k.slice(at + 1) };
  // v5: name/version (a scoped name has one more slash).
  const parts = k.split("/");
  if (parts.length < 2) return undefined;
  const version = parts.pop()!;
  return { name: parts.join("/"), version };
}

export function parsePnpmLock(path: string, text: string): ParsedFile {
  const out = emptyParse();
  const lines = text.split("\n");
  let section: string | undefined;
  let pending: { name: string; version: string; line: number } | undefined;
  let hashed = false;
  const seen = new Set<string>();
  const flush = () => {
    if (pending && semver.valid(pending.version)) {
      out.dependencies.push({
        ecosystem: "npm",
        name: pending.name,
        spec: `${pending.name}@${pending.version}`,
        exact: pending.version,
        hashed,
        role: "lock",
        location: { path, line: pending.line, column: 3 },
      });
    }
    pending = undefined;
    hashed = false;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, "");
    if (!line.trim() || line.trimStart().startsWith("#")) continue;
    if (!/^\s/.test(line)) {
      flush();
      section = cutAt(line, ":");
      continue;
    }
    if (section !== "packages" && section !== "snapshots") continue;
    const entry = /^ {2}(\S.*):\s*$/.exec(line);
    if (entry) {
      flush();
      const k = pnpmKey(entry[1]!);
      // `snapshots:` (v9) repeats the packages with their peers; the first of each is enough.
      if (k && !seen.has(`${k.name}@${k.version}`)) {
        seen.add(`${k.name}@${k.version}`);
        pending = { ...k, line: i + 1 };
      }
      continue;
    }
    if (pending && /integrity:/.test(line)) hashed = true;
  }
  flush();
  return out;
}

/**
 * `k` without a pnpm v5 peer suffix (`_react@18.2.0`): cut at the first `_` of the run of
 * `[\w.@+-]` that ends it, what `k.replace(/_[\w.@+-]*$/, "")` gives, in one pass from the end.
 */
export function cutPeerSuffix(k: string): string {
  let start = k.length;
  while (start > 0 && /[\w.@+-]/.test(k[start - 1]!)) start--;
  const at = k.indexOf("_", start);
  return at < 0 ? k : k.slice(0, at);
}
