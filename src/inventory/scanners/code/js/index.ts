// JavaScript and TypeScript: the adapter the code scanner calls (languages.ts).
import type { LanguageAdapter } from "../languages.js";
import { analyzeJs } from "../analyze-js.js";

export const jsAdapter: LanguageAdapter = {
  grammars: ["javascript", "typescript", "tsx"],
  analyze: (tree, text, o) => analyzeJs(tree, text, { path: o.path, summarise: o.summarise }),
};
