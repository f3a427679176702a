// pyproject.toml: PEP 621 dependencies and optional groups, PEP 735 dependency groups, Poetry
// (main, groups, sources), PDM dev groups and sources, uv dev dependencies, sources and indexes.
import { emptyParse, type ParsedFile } from "./model.js";
import { parseRequirement } from "./pep508.js";
import { fromRequirement } from "./requirements.js";
import { tableDependency } from "./poetry-spec.js";
import { findKey, findValue, LineIndex, maskUrl, tableOffset } from "./text.js";
import { isTable, parseToml, table, type TomlTable } from "./toml.js";

export function parsePyproject(path: string, text: string): ParsedFile {
  const out = emptyParse();
  const { value, problem } = parseToml(path, text);
  if (!value) {
    out.problems.push(problem!);
    return out;
  }
  const lines = new LineIndex(text);

  const pepList = (list: unknown, tableName: string) => {
    if (!Array.isArray(list)) return;
    const from = tableOffset(text, tableName);
    let cursor = from;
    for (const item of list) {
      if (typeof item !== "string") continue; // {include-group = ...}
      const offset = findValue(text, cursor, [`"${item}"`, `'${item}'`]);
      cursor = offset + 1;
      const location = lines.at(path, offset + 1);
      const req = parseRequirement(item);
      if (typeof req === "string") out.problems.push({ message: `not a PEP 508 requirement: ${req}`, location, fatal: false });
      else out.dependencies.push(fromRequirement(path, req, location));
    }
  };
  const project = table(value, "project");
  pepList(project?.dependencies, "project");
  for (const list of Object.values(table(value, "project", "optional-dependencies") ?? {})) pepList(list, "project.optional-dependencies");
  for (const list of Object.values(table(value, "dependency-groups") ?? {})) pepList(list, "dependency-groups");
  pepList(table(value, "tool", "uv")?.["dev-dependencies"], "tool.uv");
  for (const list of Object.values(table(value, "tool", "pdm", "dev-dependencies") ?? {})) pepList(list, "tool.pdm.dev-dependencies");

  const poetryTable = (t: TomlTable | undefined, tableName: string) => {
    if (!t) return;
    const from = tableOffset(text, tableName);
    for (const [name, spec] of Object.entries(t)) {
      if (name.toLowerCase() === "python") continue;
      const offset = findKey(text, from, name);
      const dep = tableDependency(name, spec, lines.at(path, offset));
      if (dep) out.dependencies.push(dep);
    }
  };
  const poetry = table(value, "tool", "poetry");
  poetryTable(table(poetry, "dependencies"), "tool.poetry.dependencies");
  poetryTable(table(poetry, "dev-dependencies"), "tool.poetry.dev-dependencies");
  for (const [group, g] of Object.entries(table(poetry, "group") ?? {})) poetryTable(table(g, "dependencies"), `tool.poetry.group.${group}.dependencies`);

  // uv sources may replace a registry dependency with a git or URL source.
  const uvSources = table(value, "tool", "uv", "sources") ?? {};
  for (const [name, src] of Object.entries(uvSources)) {
    const dep = tableDependency(name, src, lines.at(path, findKey(text, tableOffset(text, "tool.uv.sources"), name)));
    if (dep?.remote) out.dependencies.push(dep);
  }

  // Indexes: a second index that is searched by default is an extra index (dependency confusion).
  const addIndexes = (list: unknown, header: string, isExtra: (t: TomlTable) => boolean) => {
    if (!Array.isArray(list)) return;
    let cursor = tableOffset(text, header);
    for (const src of list) {
      if (!isTable(src) || typeof src.url !== "string") continue;
      const offset = findValue(text, cursor, [`"${src.url}"`, `'${src.url}'`]);
      cursor = offset + 1;
      out.indexes.push({ url: maskUrl(src.url), option: header, extra: isExtra(src), location: lines.at(path, offset + 1) });
    }
  };
  addIndexes(table(value, "tool", "uv")?.index, "tool.uv.index", (t) => t.explicit !== true && t.default !== true);
  const uvExtra = table(value, "tool", "uv")?.["extra-index-url"];
  if (Array.isArray(uvExtra))
    addIndexes(
      uvExtra.map((url: unknown) => ({ url })),
      "tool.uv",
      () => true,
    );
  addIndexes(poetry?.source, "tool.poetry.source", (t) => !(t.default === true || ["explicit", "default", "primary"].includes(String(t.priority))));
  addIndexes(
    table(value, "tool", "pdm")?.source,
    "tool.pdm.source",
    (t) => t.type !== "find_links" && t.name !== "pypi" && t["include_packages"] === undefined,
  );
  return out;
}
