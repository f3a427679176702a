// The code scanner's data (policies/code/patterns.json) and the one matcher it needs: a qualified
// name against a pattern where `*` matches any text.
import { loadData } from "../../../util/data.js";
import type { RoundTripData } from "./round-trip.js";
import type { PythonFlowData } from "./python/data.js";
import type { JsFlowData } from "./js/flow.js";

export interface CallPattern {
  pattern: string;
  hosted?: boolean;
  what?: string;
  /** An input typed by the person running the program (console, arguments): not untrusted for sinks. */
  local?: boolean;
}

export interface CodePatterns {
  prefilter: { tokens: string[] };
  unsafeLoaders: { always: string[]; torchLoad: string[]; numpyLoad: string[]; kerasLoad: string[] };
  roundTrip: RoundTripData;
  flow: { source: string; python: PythonFlowData; js: JsFlowData };
  /** Regular expressions: file paths and function names where model calls only evaluate the system. */
  evaluationContext: { source: string; paths: string; functions: string };
  downloads: {
    python: string[];
    js: string[];
    pythonOther: { source: string; datasets: string[]; localBuilders: string[]; prompts: string[]; torchHub: string[] };
    jsPrompts: string[];
  };
  llmCalls: { python: CallPattern[]; js: CallPattern[] };
  tools: {
    classes: Record<string, { name: string; privileges: string[] }>;
    loadToolsNames: Record<string, string[]>;
    writeCalls: { python: string[]; js: string[] };
  };
  evidence: {
    trainsOrFinetunes: { python: string[]; js: string[]; needsImport: string[] };
    usesRAG: { python: string[]; js: string[] };
  };
  secrets: { patterns: { id: string; service: string; regex: string }[]; envNames: { names: string[] }; placeholders: string };
}

let cached: CodePatterns | undefined;
export function codePatterns(): CodePatterns {
  cached ??= loadData<CodePatterns>("policies/code/patterns.json");
  return cached;
}

const compiled = new Map<string, RegExp>();
/** `*` matches any text (dots included); everything else is literal. */
export function matchesName(pattern: string, name: string): boolean {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(
      `^${pattern
        .split("*")
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*")}$`,
    );
    compiled.set(pattern, re);
  }
  return re.test(name);
}

export const findPattern = <T extends CallPattern>(list: T[], name: string): T | undefined => list.find((p) => matchesName(p.pattern, name));
export const anyName = (list: string[], name: string): boolean => list.some((p) => matchesName(p, name));
