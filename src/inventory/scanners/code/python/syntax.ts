// Readers of tree-sitter-python nodes that several parts of the Python analysis share: the value
// of a string literal, True/False literals, `a = b = value` chains (each read once, from its
// outermost assignment, without recursion) and templates built in place (f-strings, +, format).
import type { Node } from "web-tree-sitter";
import { nodesOf } from "../tree-walk.js";

/** String value of a Python string literal (no interpolation), or undefined. */
export function pyString(node: Node | null | undefined): string | undefined {
  if (!node || node.type !== "string") return undefined;
  if (node.namedChildren.some((c) => c?.type === "interpolation")) return undefined;
  return node.namedChildren
    .filter((c) => c?.type === "string_content")
    .map((c) => c!.text)
    .join("");
}

export const isTrue = (n: Node | undefined) => n?.type === "true";
export const isFalse = (n: Node | undefined) => n?.type === "false";

/** `a = b = c = value`: one statement, every target gets the value. */
export interface AssignmentChain {
  node: Node;
  /** The left sides, outermost first. */
  targets: Node[];
  /** The value every target gets (the right side of the innermost assignment). */
  value: Node | null;
  /** The assignments nested in the chain (right sides that are assignments themselves). */
  inner: Node[];
}

export interface AssignmentChains {
  /** Every chain, in source order of its outermost assignment. */
  list: AssignmentChain[];
  /** Outermost assignments, by node id. */
  of: Map<number, AssignmentChain>;
  /** Ids of the inner links, which are never read on their own. */
  inner: Set<number>;
}

function assignmentChain(a: Node): AssignmentChain {
  const targets: Node[] = [];
  const inner: Node[] = [];
  let cur: Node = a;
  for (;;) {
    const left = cur.childForFieldName("left");
    if (left) targets.push(left);
    const right = cur.childForFieldName("right");
    if (right?.type !== "assignment") return { node: a, targets, value: right, inner };
    inner.push(right);
    cur = right;
  }
}

/**
 * The file's assignment chains. Each is read once from its outermost assignment: read per link, a
 * long chain would cost the square of its length.
 */
export function assignmentChains(root: Node): AssignmentChains {
  const list: AssignmentChain[] = [];
  const inner = new Set<number>();
  for (const a of nodesOf(root, "assignment")) {
    if (inner.has(a.id)) continue;
    const ch = assignmentChain(a);
    for (const i of ch.inner) inner.add(i.id);
    list.push(ch);
  }
  return { list, of: new Map(list.map((c) => [c.node.id, c] as const)), inner };
}

/** A prompt template built in place: an f-string, `+` or `%` with a string, or `"...".format(...)`. */
export function isTemplate(n: Node | null | undefined): boolean {
  if (!n) return false;
  if (n.type === "string") return n.namedChildren.some((c) => c?.type === "interpolation");
  if (n.type === "binary_operator")
    return (n.childForFieldName("operator")?.text === "+" || n.childForFieldName("operator")?.text === "%") && n.descendantsOfType("string").length > 0;
  if (n.type === "call")
    return (
      n.childForFieldName("function")?.type === "attribute" &&
      n.childForFieldName("function")?.childForFieldName("attribute")?.text === "format" &&
      n.childForFieldName("function")?.childForFieldName("object")?.type === "string"
    );
  return false;
}
