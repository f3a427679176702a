// conda environment.yml: `dependencies` (conda match specs and a `pip:` list) and `channels`.
// Read with the `yaml` package, keeping each entry's position.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { valid } from "@renovatebot/pep440";
import { emptyParse, type ParsedFile } from "./model.js";
import { normalizePyName, parseRequirement } from "./pep508.js";
import { fromRequirement, parseRequirements } from "./requirements.js";
import { LINE_BREAK } from "../../../util/strip.js";

/** Conda packages whose PyPI name differs (for advisories and the AI-library list). */
const CONDA_TO_PYPI: Record<string, string> = {
  pytorch: "torch",
  "pytorch-gpu": "torch",
  "pytorch-cpu": "torch",
  "tensorflow-base": "tensorflow",
  "py-xgboost": "xgboost",
  huggingface_hub: "huggingface-hub",
};

export function parseCondaEnvironment(path: string, text: string): ParsedFile {
  const out = emptyParse();
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false, logLevel: "silent", merge: false });
  const pos = (node: Node | null | undefined) => {
    const p = lc.linePos(node?.range?.[0] ?? 0);
    return { path, line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const p = lc.linePos(err.pos[0]);
    out.problems.push({ message: `YAML syntax error: ${err.message.split("\n")[0]}`, location: { path, line: p.line, column: p.col }, fatal: true });
    return out;
  }
  if (!isMap(doc.contents)) return out;
  const deps = doc.contents.get("dependencies", true);
  if (!isSeq(deps)) return out;
  for (const item of deps.items) {
    if (isScalar(item) && typeof item.value === "string") {
      // name[=version[=build]] | name==version | name>=x | channel::name=version
      const spec = item.value.trim();
      // A line break fails `(.*)$` (never a spec) only after every split of the name was tried.
      // eslint-disable-next-line regexp/no-super-linear-backtracking -- without a line break, `.*$` matches at its first try
      const m = LINE_BREAK.test(spec) ? null : /^(?:[\w.-]+::)?([A-Za-z0-9][\w.-]*)\s*(.*)$/.exec(spec);
      if (!m) {
        out.problems.push({ message: `not a conda package spec: "${spec.slice(0, 80)}"`, location: pos(item), fatal: false });
        continue;
      }
      const rawName = m[1]!.toLowerCase();
      if (rawName === "python" || rawName === "pip") continue;
      const constraint = m[2]!.trim();
      const v = /^(?:==?)\s*([^=\s*,<>|]+)(?:=\S+)?$/.exec(constraint)?.[1];
      out.dependencies.push({
        ecosystem: "pypi",
        name: normalizePyName(Object.hasOwn(CONDA_TO_PYPI, rawName) ? CONDA_TO_PYPI[rawName]! : rawName),
        spec,
        ...(v && valid(v) ? { exact: v } : {}),
        hashed: false,
        role: "manifest",
        location: pos(item),
      });
    } else if (isMap(item)) {
      const pip = item.get("pip", true);
      if (!isSeq(pip)) continue;
      for (const p of pip.items) {
        if (!isScalar(p) || typeof p.value !== "string") continue;
        const location = pos(p);
        if (p.value.trim().startsWith("-")) {
          // pip options (-r, --extra-index-url) read as a one-line requirements file, at this line.
          const sub = parseRequirements(path, p.value);
          for (const i of sub.indexes) out.indexes.push({ ...i, location });
          for (const i of sub.includes) out.includes.push({ ...i, location });
          for (const pr of sub.problems) out.problems.push({ ...pr, location });
          continue;
        }
        const req = parseRequirement(p.value);
        if (typeof req === "string") out.problems.push({ message: `not a PEP 508 requirement: ${req}`, location, fatal: false });
        else out.dependencies.push(fromRequirement(path, req, location));
      }
    }
  }
  return out;
}
