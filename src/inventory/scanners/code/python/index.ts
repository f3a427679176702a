// Python (and notebook code cells): the adapter the code scanner calls (languages.ts).
import type { LanguageAdapter } from "../languages.js";
import { analyzePython } from "../analyze-python.js";

export const pythonAdapter: LanguageAdapter = {
  grammars: ["python"],
  analyze: (tree, text, o) => analyzePython(tree, text, { cellOf: o.cellOf, summarise: o.summarise }),
};
