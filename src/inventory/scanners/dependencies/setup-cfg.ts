// setup.cfg: `[options] install_requires` and `[options.extras_require]`, INI with indented
// continuation lines (setuptools' own reading of the format: one requirement per line, `;` markers).
import { emptyParse, type ParsedFile } from "./model.js";
import { parseRequirement } from "./pep508.js";
import { fromRequirement } from "./requirements.js";

export function parseSetupCfg(path: string, text: string): ParsedFile {
  const out = emptyParse();
  const lines = text.split(/\r?\n/);
  let section = "";
  let key = "";
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.replace(/\s[#;].*$/, "");
    if (!line.trim() || /^\s*[#;]/.test(raw)) continue;
    const header = /^\[([^\]]+)\]\s*$/.exec(line.trim());
    if (header && !/^\s/.test(raw)) {
      section = header[1]!.trim();
      key = "";
      continue;
    }
    let value: string;
    let column: number;
    if (/^\s/.test(raw) && key) {
      value = line.trim();
      column = raw.length - raw.trimStart().length + 1;
    } else {
      const kv = /^([^=:]+)[=:](.*)$/.exec(line);
      if (!kv) continue;
      key = kv[1]!.trim();
      value = kv[2]!.trim();
      column = line.indexOf(kv[2]!.trimStart()) + 1;
    }
    const wanted = (section === "options" && key === "install_requires") || section === "options.extras_require";
    if (!wanted || !value) continue;
    const location = { path, line: i + 1, column };
    const req = parseRequirement(value);
    if (typeof req === "string") out.problems.push({ message: `not a PEP 508 requirement: ${req}`, location, fatal: false });
    else out.dependencies.push(fromRequirement(path, req, location));
  }
  return out;
}
