// Loads of a file the same code has just written: `torch.save(m, p)` then `torch.load(p)` in one
// function, test or notebook cell (or `pickle.dumps` then `pickle.loads` of its result) reads back
// what the code itself produced, not a file someone else can swap, so it is not an unsafe load.
// Scopes are functions (innermost) and, at module level, notebook cells; a write counts only when
// it comes before the load in the same scope. Paths compare by their text (a string's value, or
// the expression with spaces removed). One sweep over calls and functions sorted by position.
import type { Node } from "web-tree-sitter";
import { anyName, codePatterns, findPattern } from "./patterns.js";
import { innermostFunctions, nodesOf, shortText } from "./tree-walk.js";

export interface SerialCall {
  node: Node;
  name: string;
  positional: Node[];
  kwargs: Map<string, Node>;
}

/** Where a serialiser reads or writes its file: a positional index and a keyword. */
export interface FileArg {
  pattern: string;
  arg: number;
  kw?: string;
}

export interface RoundTripData {
  source: string;
  writers: FileArg[];
  readers: FileArg[];
  /** Calls that return the serialised bytes (`pickle.dumps`): the variable they are assigned to is the "file". */
  dumps: string[];
  /** Wrappers of a path that keep it the same path (`str(p)`, `Path(p)`). */
  pathWrappers: string[];
}

/**
 * The ids of the reader calls whose file the same scope wrote before. `cellOf` gives the notebook
 * cell of a row (module-level code in different cells is different scopes).
 */
export function roundTripLoads(root: Node, calls: SerialCall[], cellOf?: (row: number) => number): Set<number> {
  const data = codePatterns().roundTrip;
  const out = new Set<number>();
  const readerOf = (c: SerialCall) => findPattern(data.readers, c.name);
  const writerOf = (c: SerialCall) => findPattern(data.writers, c.name);
  const relevant = calls.filter((c) => c.name === "open" || c.name.endsWith(".open") || readerOf(c) || writerOf(c) || anyName(data.dumps, c.name));
  if (!relevant.some(readerOf)) return out;

  const scopeOf = scopes(root, relevant, cellOf);
  const byId = new Map(calls.map((c) => [c.node.id, c] as const));
  const key = (n: Node | undefined): string | undefined => {
    let cur = n;
    for (let i = 0; cur && i < 4; i++) {
      if (cur.type === "string") {
        if (cur.namedChildren.some((c) => c?.type === "interpolation")) return `t:${shortText(cur)?.replace(/\s+/g, "")}`;
        return `s:${cur.namedChildren
          .filter((c) => c?.type === "string_content")
          .map((c) => c!.text)
          .join("")}`;
      }
      if (cur.type === "call") {
        const wrapped = byId.get(cur.id);
        if (wrapped && anyName(data.pathWrappers, wrapped.name) && wrapped.positional.length === 1) {
          cur = wrapped.positional[0];
          continue;
        }
      }
      const t = shortText(cur);
      return t === undefined ? undefined : `x:${t.replace(/\s+/g, "")}`;
    }
    return undefined;
  };
  const argOf = (c: SerialCall, a: FileArg) => c.positional[a.arg] ?? (a.kw ? c.kwargs.get(a.kw) : undefined);

  // File handles: `with open(p, "wb") as f` and `f = open(p, "wb")`, by scope and name, in order.
  const handles = new Map<string, { at: number; path: string | undefined; writes: boolean }[]>();
  const bind = (scope: string, name: string, at: number, open: SerialCall) => {
    const mode = open.positional[1] ?? open.kwargs.get("mode");
    const m = mode?.type === "string" ? mode.text : "";
    const list = handles.get(`${scope}\0${name}`) ?? [];
    list.push({ at, path: key(open.positional[0] ?? open.kwargs.get("file")), writes: /[wax+]/.test(m) });
    handles.set(`${scope}\0${name}`, list);
  };
  const opens = new Map(relevant.filter((c) => c.name === "open" || c.name.endsWith(".open")).map((c) => [c.node.id, c] as const));
  const dumpsCalls = new Map(relevant.filter((c) => anyName(data.dumps, c.name)).map((c) => [c.node.id, c] as const));
  /** Variables assigned the bytes of a `dumps` call, by scope: a later `loads(var)` reads them back. */
  const dumped = new Map<string, number>();
  for (const n of nodesOf(root, "as_pattern", "assignment")) {
    if (!n) continue;
    const value = n.type === "as_pattern" ? n.namedChildren[0] : n.childForFieldName("right");
    const target = n.type === "as_pattern" ? n.childForFieldName("alias")?.namedChildren[0] : n.childForFieldName("left");
    if (!value || target?.type !== "identifier") continue;
    const open = opens.get(value.id);
    if (open) bind(scopeOf.get(open.node.id)!, target.text, value.startIndex, open);
    const dump = dumpsCalls.get(value.id);
    if (dump) dumped.set(`${scopeOf.get(dump.node.id)}\0x:${target.text}`, value.startIndex);
  }
  const resolve = (scope: string, n: Node | undefined, at: number, wantWrite: boolean): string | undefined => {
    // `pickle.dump(obj, open(path, "wb"))`: the file opened in place.
    const inline = n?.type === "call" ? opens.get(n.id) : undefined;
    if (inline) {
      const mode = inline.positional[1] ?? inline.kwargs.get("mode");
      const writes = /[wax+]/.test(mode?.type === "string" ? mode.text : "");
      return writes === wantWrite ? key(inline.positional[0] ?? inline.kwargs.get("file")) : undefined;
    }
    if (n?.type === "identifier") {
      const bound = handles
        .get(`${scope}\0${n.text}`)
        ?.filter((h) => h.at < at)
        .at(-1);
      if (bound) return bound.writes === wantWrite ? bound.path : undefined;
    }
    return key(n);
  };

  /** Paths written so far, by scope, with where. */
  const written = new Map<string, number>();
  for (const c of relevant) {
    const scope = scopeOf.get(c.node.id)!;
    const w = writerOf(c);
    if (w) {
      const p = resolve(scope, argOf(c, w), c.node.startIndex, true);
      if (p) written.set(`${scope}\0${p}`, c.node.startIndex);
      continue;
    }
    const r = readerOf(c);
    if (!r) continue;
    const p = resolve(scope, argOf(c, r), c.node.startIndex, false);
    if (!p) continue;
    const before = written.get(`${scope}\0${p}`) ?? dumped.get(`${scope}\0${p}`);
    if (before !== undefined && before < c.node.startIndex) out.add(c.node.id);
  }
  return out;
}

/** The scope of each call: its innermost function, else its notebook cell, else the module. */
function scopes(root: Node, calls: SerialCall[], cellOf?: (row: number) => number): Map<number, string> {
  const around = innermostFunctions(
    root,
    calls.map((c) => c.node),
    ["function_definition", "lambda"],
  );
  const out = new Map<number, string>();
  for (const c of calls) {
    const fn = around.get(c.node.id);
    out.set(c.node.id, fn ? `f${fn.id}` : `c${cellOf ? cellOf(c.node.startPosition.row) : 0}`);
  }
  return out;
}
