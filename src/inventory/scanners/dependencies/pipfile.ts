// Pipfile (TOML): [packages], [dev-packages] and [[source]] indexes.
import { emptyParse, type ParsedFile } from "./model.js";
import { tableDependency } from "./poetry-spec.js";
import { findKey, findValue, LineIndex, maskUrl, tableOffset } from "./text.js";
import { isTable, parseToml, table } from "./toml.js";

export function parsePipfile(path: string, text: string): ParsedFile {
  const out = emptyParse();
  const { value, problem } = parseToml(path, text);
  if (!value) {
    out.problems.push(problem!);
    return out;
  }
  const lines = new LineIndex(text);
  for (const section of ["packages", "dev-packages"]) {
    const from = tableOffset(text, section);
    for (const [name, spec] of Object.entries(table(value, section) ?? {})) {
      const dep = tableDependency(name, spec === "*" ? "*" : spec, lines.at(path, findKey(text, from, name)));
      if (dep) out.dependencies.push(dep);
    }
  }
  const sources = Array.isArray(value.source) ? value.source.filter(isTable) : [];
  let cursor = tableOffset(text, "source");
  sources.forEach((s, i) => {
    if (typeof s.url !== "string") return;
    const offset = findValue(text, cursor, [`"${s.url}"`, `'${s.url}'`]);
    cursor = offset + 1;
    // Pipenv searches every [[source]]: all after the first are extra indexes.
    out.indexes.push({ url: maskUrl(s.url), option: "[[source]]", extra: i > 0, location: lines.at(path, offset + 1) });
  });
  return out;
}
