// Python lockfiles: poetry.lock and uv.lock (TOML `[[package]]` tables) and Pipfile.lock (JSON).
// Every locked package is an exact version: the lock pins what the manifest allows.
import { jsonSyntaxProblem } from "../../../util/json-error.js";
import { normalizePyName } from "./pep508.js";
import { emptyParse, type ParsedFile } from "./model.js";
import { findKey, LineIndex, maskUrl, isCommitHash } from "./text.js";
import { isTable, parseToml } from "./toml.js";

export function parseTomlLock(path: string, text: string): ParsedFile {
  const out = emptyParse();
  const { value, problem } = parseToml(path, text);
  if (!value) {
    out.problems.push(problem!);
    return out;
  }
  const lines = new LineIndex(text);
  const packages = Array.isArray(value.package) ? value.package : [];
  let cursor = 0;
  for (const p of packages) {
    if (!isTable(p) || typeof p.name !== "string" || typeof p.version !== "string") continue;
    const re = new RegExp(`^\\s*name\\s*=\\s*["']${p.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}["']`, "m");
    const m = re.exec(text.slice(cursor));
    const offset = m ? cursor + m.index + (m[0].length - m[0].trimStart().length) : findKey(text, cursor, "name");
    cursor = offset + 1;
    const source = isTable(p.source) ? p.source : {};
    const git = typeof source.git === "string" ? source.git : source.type === "git" && typeof source.url === "string" ? source.url : undefined;
    const hashed = Array.isArray(p.files) || Array.isArray(p.wheels) || isTable(p.sdist);
    out.dependencies.push({
      ecosystem: "pypi",
      name: normalizePyName(p.name),
      spec: `${p.name}==${p.version}`,
      exact: p.version,
      hashed,
      role: "lock",
      location: lines.at(path, offset),
      ...(git ? { remote: { url: maskUrl(git), vcs: true, pinned: isCommitHash(String(source.resolved_reference ?? git.split("#")[1] ?? "")) } } : {}),
    });
  }
  return out;
}

export function parsePipfileLock(path: string, text: string): ParsedFile {
  const out = emptyParse();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // Never the parser's message: it quotes the text, and a lock's sources can hold credentials.
    const p = jsonSyntaxProblem(text, e);
    out.problems.push({ message: p.message, location: { path, line: p.line, column: p.column }, fatal: true });
    return out;
  }
  const lines = new LineIndex(text);
  const doc = value as Record<string, unknown>;
  for (const section of ["default", "develop"]) {
    const deps = doc[section];
    if (!deps || typeof deps !== "object") continue;
    const from = findKey(text, 0, section, true);
    for (const [name, entry] of Object.entries(deps as Record<string, Record<string, unknown>>)) {
      const version = typeof entry?.version === "string" ? entry.version.replace(/^==/, "") : undefined;
      if (!version) continue;
      out.dependencies.push({
        ecosystem: "pypi",
        name: normalizePyName(name),
        spec: `${name}==${version}`,
        exact: version,
        hashed: Array.isArray(entry.hashes) && entry.hashes.length > 0,
        role: "lock",
        location: lines.at(path, findKey(text, from, name, true)),
      });
    }
  }
  return out;
}
