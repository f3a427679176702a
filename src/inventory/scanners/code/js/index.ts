// JavaScript and TypeScript: the adapter the code scanner calls (languages.ts), and the order in
// which the parts read one tree: names (names.ts) and the file's functions (functions.ts), model
// calls and other evidence (evidence.ts), downloads (downloads.ts), tools (tools.ts), the data flow
// (flow.ts), secrets (secrets.ts) and comments.
import type { Tree } from "web-tree-sitter";
import { readComments } from "../comments.js";
import { agencyEvidence } from "../evidence.js";
import { flowWithSummary } from "../flow-steps.js";
import type { LanguageAdapter } from "../languages.js";
import { emptyAnalysis, foldRepeatedHits, type FileAnalysis } from "../model.js";
import { nodesOf, queryRoot } from "../tree-walk.js";
import type { JsFile } from "./context.js";
import { unpinnedDownloads } from "./downloads.js";
import { modelCalls, usageEvidence } from "./evidence.js";
import { jsFlow, jsScopes } from "./flow.js";
import { ownFunctions } from "./functions.js";
import { resolveNames } from "./names.js";
import { committedSecrets } from "./secrets.js";
import { findTools } from "./tools.js";

export interface JsOptions {
  /** The file's path in the repository: Next.js route handlers are known by it. */
  path?: string;
  /** Summarise the file's data flow for other files (summary.ts). */
  summarise?: boolean;
}

export const jsAdapter: LanguageAdapter = {
  grammars: ["javascript", "typescript", "tsx"],
  analyze: (tree, text, o) => analyzeJs(tree, text, { path: o.path, summarise: o.summarise }),
};

export function analyzeJs(tree: Tree, text: string, options: JsOptions = {}): FileAnalysis {
  const root = queryRoot(tree.rootNode, "js");
  const declarators = nodesOf(root, "variable_declarator");
  const names = resolveNames(root, declarators);
  const file: JsFile = {
    root,
    text,
    path: options.path,
    out: emptyAnalysis(),
    names,
    declarators,
    fns: ownFunctions(root, declarators, names.calls),
    scopes: jsScopes(root),
  };
  const llmCalls = modelCalls(file);
  unpinnedDownloads(file);
  usageEvidence(file);
  const toolFunctions = findTools(file);
  agencyEvidence(file);
  // Data flow: model answers, untrusted input and model-chosen tool arguments to sinks, tools the
  // model dispatches, retrieval writes, model calls fed by users, prompts built from input.
  const inputs = { llmCalls, toolFunctions };
  flowWithSummary("js", file.out, options.summarise, (out, cross) => jsFlow(file, inputs, out, cross));
  committedSecrets(file);
  foldRepeatedHits(file.out.hits, "code.unpinned-download");
  readComments(file);
  return file.out;
}
