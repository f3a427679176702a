// The AI/ML library list (policies/dependencies/ai-libraries.json): which dependencies the pinning
// rule looks at. Python names are PEP 503 normalised; npm entries may be `@scope/*` or `prefix-*`.
import { loadData } from "../../../util/data.js";
import type { Ecosystem } from "./model.js";

interface LibraryData {
  python: string[];
  npm: string[];
}

let cached: { python: Set<string>; npmExact: Set<string>; npmPrefixes: string[] } | undefined;

function load() {
  if (cached) return cached;
  const data = loadData<LibraryData>("policies/dependencies/ai-libraries.json");
  const npmExact = new Set(data.npm.filter((n) => !n.endsWith("*")));
  const npmPrefixes = data.npm.filter((n) => n.endsWith("*")).map((n) => n.slice(0, -1));
  cached = { python: new Set(data.python), npmExact, npmPrefixes };
  return cached;
}

export function isAiLibrary(ecosystem: Ecosystem, name: string): boolean {
  const lists = load();
  if (ecosystem === "pypi") return lists.python.has(name);
  return lists.npmExact.has(name) || lists.npmPrefixes.some((p) => name.startsWith(p));
}
