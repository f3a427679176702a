// A tool described to a model as a function schema in an object literal (a dict in Python), in the
// same shapes in both languages: OpenAI's `{ type: "function", function: { name } }` or its flat
// form `{ type: "function", name, parameters }`, Anthropic's `{ name, input_schema }`.
import type { Node } from "web-tree-sitter";

/** How a language reads its object literals. */
export interface LiteralReader {
  /** The node type of an object literal ("object", "dictionary"). */
  objectType: string;
  /** A plain string literal's value; undefined for anything else. */
  text(n: Node | undefined): string | undefined;
  /** The `name` a nested `function` object literal gives. */
  nestedName(fn: Node): string | undefined;
}

/** The tool an object literal's entries (key to value) define, with its framework. */
export function toolOfSchema(entries: ReadonlyMap<string, Node>, r: LiteralReader): { name: string; framework: string } | undefined {
  let name: string | undefined;
  let framework = "";
  if (r.text(entries.get("type")) === "function" && entries.get("function")?.type === r.objectType) {
    name = r.nestedName(entries.get("function")!);
    framework = "openai";
  } else if (entries.has("name") && entries.get("input_schema")?.type === r.objectType) {
    name = r.text(entries.get("name"));
    framework = "anthropic";
  } else if (r.text(entries.get("type")) === "function" && entries.has("name") && entries.get("parameters")?.type === r.objectType) {
    name = r.text(entries.get("name"));
    framework = "openai";
  }
  return name ? { name, framework } : undefined;
}
