// One JavaScript/TypeScript file as every part of its analysis sees it: the tree and text, the
// names its calls resolve to (names.ts), its own functions (functions.ts) and the FileAnalysis the
// parts fill.
import type { Node } from "web-tree-sitter";
import type { FileAnalysis } from "../model.js";
import type { OwnFunctions } from "./functions.js";
import type { JsNames } from "./names.js";
import type { ScopeEvents } from "../tree-walk.js";

export interface JsFile {
  root: Node;
  text: string;
  /** The file's path in the repository: Next.js route handlers are known by it. */
  path: string | undefined;
  out: FileAnalysis;
  names: JsNames;
  /** Every variable_declarator, in source order (names, functions, tools, token caps read them). */
  declarators: Node[];
  fns: OwnFunctions;
  /** What each scope's read visits (flow.ts). */
  scopes: ScopeEvents;
}
