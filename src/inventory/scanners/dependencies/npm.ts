// package.json (declared ranges) and package-lock.json (resolved versions, v1 to v3).
// Versions and ranges are read with `semver`; git and URL specs are installs from outside the registry.
import semver from "semver";
import { jsonSyntaxProblem } from "../../../util/json-error.js";
import { emptyParse, type ParsedFile } from "./model.js";
import { findKey, isCommitHash, LineIndex, maskUrl } from "./text.js";

function parseJson(path: string, text: string, out: ParsedFile): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
    out.problems.push({ message: "expected a JSON object", location: { path, line: 1, column: 1 }, fatal: true });
  } catch (e) {
    // Never the parser's message: it quotes the text around the error, which may hold a token.
    const p = jsonSyntaxProblem(text, e);
    out.problems.push({ message: p.message, location: new LineIndex(text).at(path, p.offset), fatal: true });
  }
  return undefined;
}

const SECTIONS = ["dependencies", "devDependencies", "optionalDependencies"];

export function parsePackageJson(path: string, text: string): ParsedFile {
  const out = emptyParse();
  const doc = parseJson(path, text, out);
  if (!doc) return out;
  const lines = new LineIndex(text);
  for (const section of SECTIONS) {
    const deps = doc[section];
    if (!deps || typeof deps !== "object") continue;
    const from = findKey(text, 0, section, true);
    for (const [name, specValue] of Object.entries(deps as Record<string, unknown>)) {
      if (typeof specValue !== "string") continue;
      const spec = specValue.trim();
      const location = lines.at(path, findKey(text, from, name, true));
      const base = { ecosystem: "npm" as const, name, spec: `${name}@${maskUrl(spec)}`, hashed: false, role: "manifest" as const, location };
      if (/^(file:|link:|workspace:|\.{0,2}\/)/.test(spec)) continue;
      if (/^(git\+|git:|github:|gitlab:|bitbucket:)/.test(spec) || /^[\w.-]+\/[\w.-]+(#.*)?$/.test(spec)) {
        const ref = spec.split("#")[1];
        out.dependencies.push({ ...base, remote: { url: maskUrl(spec), vcs: true, pinned: isCommitHash(ref) } });
        continue;
      }
      if (/^https?:\/\//.test(spec)) {
        out.dependencies.push({ ...base, remote: { url: maskUrl(spec), vcs: false, pinned: false } });
        continue;
      }
      const aliased = /^npm:(?:@?[^@]+)@(.+)$/.exec(spec)?.[1] ?? spec;
      const exact = semver.valid(aliased) ?? undefined;
      out.dependencies.push({ ...base, ...(exact ? { exact } : {}) });
    }
  }
  return out;
}

export function parsePackageLock(path: string, text: string): ParsedFile {
  const out = emptyParse();
  const doc = parseJson(path, text, out);
  if (!doc) return out;
  const lines = new LineIndex(text);
  const add = (name: string, entry: Record<string, unknown>, needle: string) => {
    if (typeof entry.version !== "string" || !semver.valid(entry.version)) return;
    out.dependencies.push({
      ecosystem: "npm",
      name,
      spec: `${name}@${entry.version}`,
      exact: entry.version,
      hashed: typeof entry.integrity === "string",
      role: "lock",
      location: lines.at(path, findKey(text, 0, needle, true)),
    });
  };
  const packages = doc.packages;
  if (packages && typeof packages === "object") {
    for (const [key, entry] of Object.entries(packages as Record<string, Record<string, unknown>>)) {
      const i = key.lastIndexOf("node_modules/");
      if (i < 0 || !entry || typeof entry !== "object") continue;
      add(key.slice(i + "node_modules/".length), entry, key);
    }
    return out;
  }
  const deps = doc.dependencies; // lockfileVersion 1
  if (deps && typeof deps === "object") {
    for (const [name, entry] of Object.entries(deps as Record<string, Record<string, unknown>>)) if (entry && typeof entry === "object") add(name, entry, name);
  }
  return out;
}
