// Tree walks for the code analyzers that stay linear in the size of the syntax tree and never
// recurse: a generated file can nest expressions thousands of levels deep (`a = b = c = ...`,
// `f(f(f(...)))`, `a.b.c.d...`), which would overflow the call stack or, walked once per level,
// cost the square of the file's size. Node.parent is avoided too: tree-sitter computes it by
// walking down from the root.
import type { Node } from "web-tree-sitter";
import { firstNotBefore } from "../../../util/sorted.js";

/** The analysis of one file stopped; the message says why in plain words. */
export class AnalysisGaveUp extends Error {}

const descendants = (node: Node, types: string[]): Node[] => node.descendantsOfType(types).filter((n): n is Node => !!n);

/**
 * A file's root, asked for a dozen node types by the analyzers: each descendantsOfType call walks the
 * whole tree and first compares every symbol of the grammar with the types asked (~300 × the list),
 * which made the queries most of the cost of a small file. A root marked with `queryRoot` is walked
 * once for every type asked of roots of its grammar so far, and each query filters that list.
 */
interface RootIndex {
  types: Set<string>;
  nodes: Node[];
  names: string[];
}
const rootIndexes = new WeakMap<Node, RootIndex | null>();
/** Per grammar, every type asked of a root so far: the next file's one walk covers them all. */
const askedOfRoots = new WeakMap<object, Set<string>>();

/** The types asked of roots of `language` so far (for the test that keeps ROOT_TYPES whole). */
export function typesAskedOfRoots(language: object): ReadonlySet<string> {
  return askedOfRoots.get(language) ?? new Set();
}

/**
 * The types each analyzer asks of a root. A grammar's first root is walked for all of them at once,
 * as later roots are, instead of once more each time an analyzer asks a type not asked before: the
 * first file a thread parses was walked about 15 times (2.7 of the 9 s of a file of 40,000 calls).
 * A type missing here still works, with one more walk; root-types.test.ts keeps the lists whole.
 */
export const ROOT_TYPES = {
  python: [
    "as_pattern",
    "assignment",
    "attribute",
    "augmented_assignment",
    "call",
    "class_definition",
    "comment",
    "decorated_definition",
    "dictionary",
    "for_statement",
    "function_definition",
    "import_from_statement",
    "import_statement",
    "keyword_argument",
    "lambda",
    "named_expression",
    "return_statement",
    "string",
    "while_statement",
    "yield",
  ],
  js: [
    "arrow_function",
    "assignment_expression",
    "augmented_assignment_expression",
    "call_expression",
    "comment",
    "export_statement",
    "for_in_statement",
    "function",
    "function_declaration",
    "function_expression",
    "generator_function_declaration",
    "import_statement",
    "jsx_attribute",
    "method_definition",
    "new_expression",
    "object",
    "pair",
    "return_statement",
    "string",
    "template_string",
    "variable_declarator",
  ],
} as const satisfies Record<string, readonly string[]>;

/** Marks a tree's root node for `analyzer`: nodesOf on it answers from one walk (see RootIndex). */
export function queryRoot(root: Node, analyzer: keyof typeof ROOT_TYPES): Node {
  rootIndexes.set(root, null);
  const language = root.tree.language;
  if (!askedOfRoots.has(language)) askedOfRoots.set(language, new Set(ROOT_TYPES[analyzer]));
  return root;
}

/** Every node of these types in `root`'s subtree (itself included), in source order. */
export function nodesOf(root: Node, ...types: string[]): Node[] {
  let index = rootIndexes.get(root);
  if (index === undefined) return descendants(root, types);
  if (!index || types.some((t) => !index!.types.has(t))) {
    const language = root.tree.language;
    let asked = askedOfRoots.get(language);
    if (!asked) askedOfRoots.set(language, (asked = new Set()));
    for (const t of types) asked.add(t);
    const all = [...asked];
    const nodes = descendants(root, all);
    index = { types: new Set(all), nodes, names: nodes.map((n) => n.type) };
    rootIndexes.set(root, index);
  }
  const { nodes, names } = index;
  const out: Node[] = [];
  if (types.length === 1) {
    const t = types[0];
    for (let i = 0; i < nodes.length; i++) if (names[i] === t) out.push(nodes[i]!);
  } else {
    const want = new Set(types);
    for (let i = 0; i < nodes.length; i++) if (want.has(names[i]!)) out.push(nodes[i]!);
  }
  return out;
}

/** Names (identifiers, attribute chains) longer than this are never looked up or stored. */
export const MAX_NAME_CHARS = 1024;

/** The text of a node when it is short enough to be a name worth comparing, else undefined. */
export function shortText(n: Node): string | undefined {
  return n.endIndex - n.startIndex <= MAX_NAME_CHARS ? n.text : undefined;
}

/**
 * What a scope's read visits, kept per scope for the file: the data flow reads a scope again each
 * time new taint reaches it, in both of its passes, and the events of a scope are the same each time.
 * The events of every scope come from one query of the file's event and barrier nodes (see
 * `eventsOf`) instead of a walk of each scope node by node.
 */
export class ScopeEvents {
  private readonly byScope = new Map<number, readonly Node[]>();
  /** Each barrier's events (key: its id; 0: those in no barrier), with their places. */
  private owned: Map<number, { node: Node; start: number; end: number }[]> | undefined;
  /** The file's loops by place, in source order (see loopsIn). */
  private loops: { start: number; end: number; id: number }[] | undefined;

  constructor(
    private readonly root: Node,
    readonly eventTypes: ReadonlySet<string>,
    readonly barrierTypes: ReadonlySet<string>,
    /** The loop statements loopsIn lists. */
    readonly loopTypes: readonly string[] = [],
  ) {}

  /** The events of the scope starting at `start`, listed by `list` the first time. */
  of(start: Node, list: () => readonly Node[]): readonly Node[] {
    let events = this.byScope.get(start.id);
    if (!events) this.byScope.set(start.id, (events = list()));
    return events;
  }

  /**
   * The named nodes of an event type below `start` (not itself), in source order, that are not
   * inside a barrier below it (nested functions are their own scopes): the scope of `owner`, the
   * barrier whose body `start` is (undefined: the module, with `start` the root).
   */
  eventsOf(start: Node, owner: Node | undefined): Node[] {
    const owned = (this.owned ??= this.index());
    const from = start.startIndex;
    const to = start.endIndex;
    const out: Node[] = [];
    for (const e of owned.get(owner ? owner.id : 0) ?? []) if (e.start >= from && e.end <= to && e.node.id !== start.id) out.push(e.node);
    return out;
  }

  /**
   * The places of the loop statements in `start`'s subtree (as its descendantsOfType would list
   * them, in source order), from one query of the file's root.
   */
  loopsIn(start: Node): { start: number; end: number; id: number }[] {
    this.loops ??= nodesOf(this.root, ...this.loopTypes).map((l) => ({ start: l.startIndex, end: l.endIndex, id: l.id }));
    const from = start.startIndex;
    const to = start.endIndex;
    return this.loops.filter((l) => l.start >= from && l.end <= to);
  }

  /**
   * The named event nodes in source order, each under the innermost named barrier around it. A
   * barrier is left once a node starts at or after its end; a node inside it starts before its end
   * (neither kind of node is ever empty).
   */
  private index(): Map<number, { node: Node; start: number; end: number }[]> {
    const owned = new Map<number, { node: Node; start: number; end: number }[]>();
    const open: { id: number; end: number }[] = [];
    for (const n of nodesOf(this.root, ...this.eventTypes, ...this.barrierTypes)) {
      if (n.id === this.root.id || !n.isNamed) continue;
      const start = n.startIndex;
      while (open.length && open[open.length - 1]!.end <= start) open.pop();
      const type = n.type;
      if (this.barrierTypes.has(type)) open.push({ id: n.id, end: n.endIndex });
      else if (this.eventTypes.has(type)) {
        const key = open.length ? open[open.length - 1]!.id : 0;
        let list = owned.get(key);
        if (!list) owned.set(key, (list = []));
        list.push({ node: n, start, end: n.endIndex });
      }
    }
    return owned;
  }
}

/**
 * "Does this subtree mention something tainted?": the first node in pre-order for which `test`
 * gives a name. Answers are cached per node until `invalidate()` (called when the tainted set
 * changes), so nested sinks (`print(print(print(llm())))`) read each node once. A file whose
 * questions need more than `budget` node visits in all is given up on with a plain reason.
 */
export class SubtreeSearch {
  private cache = new Map<number, string | null>();
  private work = 0;

  constructor(
    /** A name for a node that is a source; null for one below which nothing counts (a sanitiser). */
    private readonly test: (n: Node) => string | null | undefined,
    private readonly budget: number,
  ) {}

  invalidate(): void {
    if (this.cache.size) this.cache = new Map();
  }

  find(start: Node | null | undefined): string | undefined {
    if (!start) return undefined;
    const first = this.lookup(start);
    if (first !== undefined) return first ?? undefined;
    const stack: { node: Node; kids: (Node | null)[]; i: number }[] = [{ node: start, kids: start.namedChildren, i: 0 }];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.i >= top.kids.length) {
        this.cache.set(top.node.id, null);
        stack.pop();
        continue;
      }
      const k = top.kids[top.i++];
      if (!k) continue;
      const seen = this.lookup(k);
      if (seen === null) continue;
      if (seen !== undefined) {
        for (const f of stack) this.cache.set(f.node.id, seen);
        return seen;
      }
      stack.push({ node: k, kids: k.namedChildren, i: 0 });
    }
    return undefined;
  }

  /** A cached or tested answer for one node: a name, null (nothing below), or undefined (look below). */
  private lookup(n: Node): string | null | undefined {
    const cached = this.cache.get(n.id);
    if (cached !== undefined) return cached;
    if (++this.work > this.budget)
      throw new AnalysisGaveUp(`the data-flow analysis gave up after ${this.budget} steps (deeply nested or repeated expressions)`);
    const hit = this.test(n);
    if (hit !== undefined) this.cache.set(n.id, hit);
    return hit;
  }
}

/** Visits allowed for one file's SubtreeSearch: linear in the tree, with room for ordinary re-reads. */
export function searchBudget(root: Node): number {
  return 1_000_000 + 20 * root.descendantCount;
}

/**
 * The items whose node lies inside `outer`, found by binary search over items sorted by their
 * node's start (the order descendantsOfType gives) instead of a query of `outer`'s subtree.
 */
function itemsWithin<C>(items: readonly C[], outer: Node, nodeOf: (item: C) => Node): C[] {
  const s = outer.startIndex;
  const e = outer.endIndex;
  const out: C[] = [];
  for (let i = firstNotBefore(items.length, (k) => nodeOf(items[k]!).startIndex < s); i < items.length && nodeOf(items[i]!).startIndex < e; i++)
    if (nodeOf(items[i]!).endIndex <= e) out.push(items[i]!);
  return out;
}

/** Calls whose node lies inside `fn` (calls in source order). */
export const callsWithin = <C extends { node: Node }>(calls: readonly C[], fn: Node): C[] => itemsWithin(calls, fn, (c) => c.node);

/** Nodes (in source order) that lie inside `outer`. */
export const nodesWithin = (nodes: readonly Node[], outer: Node): Node[] => itemsWithin(nodes, outer, (n) => n);

/** Nodes that do not lie inside the previous kept one (the outermost of nested strings): input in pre-order. */
export function outermost(nodes: Node[]): Node[] {
  const out: Node[] = [];
  let end = -1;
  for (const n of nodes) {
    if (n.startIndex < end) continue;
    out.push(n);
    end = n.endIndex;
  }
  return out;
}

/**
 * The innermost function (of `types`) around each node, by one sweep over both sorted by position
 * (`nodes` in source order, as descendantsOfType gives them): undefined at module level.
 */
export function innermostFunctions(root: Node, nodes: readonly Node[], types: readonly string[]): Map<number, Node | undefined> {
  const fns = nodesOf(root, ...types);
  const out = new Map<number, Node | undefined>();
  const stack: Node[] = [];
  let i = 0;
  for (const n of nodes) {
    const s = n.startIndex;
    while (i < fns.length && fns[i]!.startIndex <= s) {
      while (stack.length && stack[stack.length - 1]!.endIndex <= fns[i]!.startIndex) stack.pop();
      stack.push(fns[i++]!);
    }
    while (stack.length && stack[stack.length - 1]!.endIndex < n.endIndex) stack.pop();
    out.set(n.id, stack[stack.length - 1]);
  }
  return out;
}
