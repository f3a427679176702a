// requirements*.txt and constraints*.txt as pip reads them: comments, line continuations, options
// (-r/-c includes, index URLs, per-line --hash), PEP 508 lines, URLs, VCS and editable installs.
// A line pip would reject is one located problem; the rest of the file is still read.
import { posix } from "node:path";
import { describeUrl, exactVersion, normalizePyName, parseRequirement } from "./pep508.js";
import { emptyParse, type Dependency, type ParsedFile } from "./model.js";
import { maskUrl } from "./text.js";

/** Options pip accepts in a requirements file that aigate reads or can safely pass over. */
const FILE_OPTIONS = new Set([
  "-r",
  "--requirement",
  "-c",
  "--constraint",
  "-i",
  "--index-url",
  "--extra-index-url",
  "-f",
  "--find-links",
  "--no-index",
  "--trusted-host",
  "--pre",
  "--prefer-binary",
  "--require-hashes",
  "--only-binary",
  "--no-binary",
  "--use-feature",
  "-Z",
  "--always-unzip",
  "--config-settings",
  "--global-option",
  "--hash",
  "-e",
  "--editable",
]);
const TAKES_VALUE = new Set([
  "-r",
  "--requirement",
  "-c",
  "--constraint",
  "-i",
  "--index-url",
  "--extra-index-url",
  "-f",
  "--find-links",
  "--trusted-host",
  "--only-binary",
  "--no-binary",
  "--use-feature",
  "--config-settings",
  "--global-option",
  "--hash",
  "-e",
  "--editable",
]);

interface LogicalLine {
  text: string;
  line: number;
  column: number;
}

/** Joins `\` continuations and drops comments (` #` or a line starting with `#`), keeping positions. */
function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  const lines = text.split(/\r?\n/);
  let acc = "";
  let startLine = 0;
  let startColumn = 1;
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i]!;
    const hash = l.search(/(^|\s)#/);
    if (hash >= 0) l = l.slice(0, hash);
    if (acc === "") {
      startLine = i + 1;
      startColumn = l.length - l.trimStart().length + 1;
    }
    if (l.endsWith("\\")) {
      acc += l.slice(0, -1) + " ";
      continue;
    }
    acc += l;
    if (acc.trim()) out.push({ text: acc.trim(), line: startLine, column: startColumn });
    acc = "";
  }
  if (acc.trim()) out.push({ text: acc.trim(), line: startLine, column: startColumn });
  return out;
}

/** Splits `--opt=value` and `--opt value` forms into tokens. */
function tokens(line: string): string[] {
  return line.split(/\s+/).flatMap((t) => (t.startsWith("--") && t.includes("=") ? [t.slice(0, t.indexOf("=")), t.slice(t.indexOf("=") + 1)] : [t]));
}

export function parseRequirements(path: string, text: string): ParsedFile {
  const out = emptyParse();
  const dir = posix.dirname(path);
  for (const ll of logicalLines(text)) {
    const location = { path, line: ll.line, column: ll.column };
    const toks = tokens(ll.text);
    const first = toks[0]!;
    if (first.startsWith("-")) {
      if (!FILE_OPTIONS.has(first)) {
        out.problems.push({ message: `unknown requirements option "${first}" (pip would reject this line)`, location, fatal: false });
        continue;
      }
      const value = toks[1];
      if (TAKES_VALUE.has(first) && value === undefined) {
        out.problems.push({ message: `option "${first}" needs a value`, location, fatal: false });
        continue;
      }
      if (first === "-r" || first === "--requirement" || first === "-c" || first === "--constraint") {
        out.includes.push({ path: posix.normalize(posix.join(dir, value!)), constraint: first.startsWith("-c") || first === "--constraint", location });
      } else if (first === "--extra-index-url" || first === "-i" || first === "--index-url" || first === "-f" || first === "--find-links") {
        out.indexes.push({ url: maskUrl(value!), option: first, extra: first === "--extra-index-url", location });
      } else if (first === "-e" || first === "--editable") {
        const dep = urlDependency(path, value!, location, ll.text.includes("--hash"));
        if (dep) out.dependencies.push(dep);
      }
      continue;
    }
    // A requirement, maybe followed by per-requirement options (--hash=..., --config-settings ...).
    const optAt = ll.text.search(/\s--?[a-zA-Z]/);
    const reqText = optAt >= 0 ? ll.text.slice(0, optAt) : ll.text;
    const hashed = /--hash[= ]/.test(ll.text);
    if (
      /^[a-z][a-z0-9+.-]*:\/\//i.test(reqText) ||
      /^(git|hg|svn|bzr)\+/i.test(reqText) ||
      /^\.{0,2}\//.test(reqText) ||
      /\.(whl|tar\.gz|zip)$/i.test(reqText)
    ) {
      const dep = urlDependency(path, reqText, location, hashed);
      if (dep) out.dependencies.push(dep);
      continue;
    }
    const req = parseRequirement(reqText);
    if (typeof req === "string") {
      out.problems.push({ message: `not a requirement pip understands: ${req}`, location, fatal: false });
      continue;
    }
    out.dependencies.push(fromRequirement(path, req, location, hashed));
  }
  return out;
}

export function fromRequirement(
  path: string,
  req: Exclude<ReturnType<typeof parseRequirement>, string>,
  location: Dependency["location"],
  hashed = false,
): Dependency {
  const dep: Dependency = {
    ecosystem: "pypi",
    name: normalizePyName(req.name),
    spec: req.url ? `${req.name} @ ${maskUrl(req.url)}` : `${req.name}${req.specifier}`,
    hashed,
    role: "manifest",
    location: { ...location, path },
  };
  const exact = exactVersion(req.specifier);
  if (exact) dep.exact = exact;
  else if (req.specifier && !req.url) dep.specifier = req.specifier;
  if (req.url) dep.remote = describeUrl(req.url);
  return dep;
}

/** `git+https://...@ref#egg=name`, an archive URL, or a local path; the name comes from `#egg=` or the file name. */
function urlDependency(path: string, url: string, location: Dependency["location"], hashed: boolean): Dependency | undefined {
  const remote = describeUrl(url);
  if (/^(\.{0,2}\/|file:)/i.test(url) && !remote.vcs) return undefined; // a local project: nothing downloaded
  const egg = /[#&]egg=([A-Za-z0-9._-]+)/.exec(url)?.[1];
  const fileName = /\/([A-Za-z0-9._]+?)-\d[^/]*\.(?:whl|tar\.gz|zip)(?:#.*)?$/i.exec(url)?.[1];
  const repo = /\/([A-Za-z0-9._-]+?)(?:\.git)?(?:@[^/]*)?$/.exec(url.split("#")[0]!)?.[1];
  const name = normalizePyName(egg ?? fileName ?? repo ?? url);
  return { ecosystem: "pypi", name, spec: remote.url, hashed: hashed || remote.pinned, remote, role: "manifest", location: { ...location, path } };
}
