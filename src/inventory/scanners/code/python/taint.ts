// The taint one data-flow pass carries: what each name holds in the scope being read, what
// `self.x` holds for every method of a class and what module-level names (and attribute chains on
// them, like st.session_state.x) hold for every scope; and "does this subtree mention something
// tainted?", a TaintSearch (../flow-steps.ts) over taintAt (sources.ts). Setting a shared name
// queues the scopes that read it.
import type { Node } from "web-tree-sitter";
import { TaintSearch } from "../flow-steps.js";
import type { Entry, Taint } from "../flow-taint.js";
import { shortText } from "../tree-walk.js";
import type { Flow } from "./flow-state.js";

/** A name or attribute chain as taint is keyed: its text without spaces (undefined when too long). */
export const keyOf = (n: Node) => shortText(n)?.replace(/\s+/g, "");

export class TaintState {
  /** The scope being read: what its names hold (module-level taint is read through `global`). */
  tainted = new Map<string, Taint>();
  /** The entry point the scope being read is (a route, a callback, the Streamlit app). */
  scopeEntry: Entry | undefined;
  /** `self.x` per class node id. */
  readonly byClass = new Map<number, Map<string, Taint>>();
  /** Module-level names and attribute chains rooted at them or at Streamlit. */
  readonly global = new Map<string, Taint>();
  private readonly search: TaintSearch;
  /** Names assigned at module level. */
  private readonly moduleNames = new Set<string>();
  /** Names used in each function, to find the functions a module-level taint can reach. */
  private readonly namesIn = new Map<number, Set<string>>();

  constructor(root: Node, test: (n: Node) => Taint | null | undefined) {
    this.search = new TaintSearch(root, test);
    for (const st of root.namedChildren) {
      const a = st?.type === "expression_statement" ? st.namedChildren[0] : undefined;
      const l = a?.type === "assignment" ? a.childForFieldName("left") : undefined;
      if (l?.type === "identifier") this.moduleNames.add(l.text);
    }
  }

  /** The taint a subtree mentions (the first in pre-order), if any. */
  mentions(n: Node | null | undefined): Taint | undefined {
    return this.search.find(n);
  }

  /** Forgets the cached answers: what names hold has changed. */
  invalidate(): void {
    this.search.invalidate();
  }

  /** A key shared by every scope: a chain on a module-level name or on Streamlit (not self or cls). */
  isModuleRooted(k: string): boolean {
    const head = k.split(".")[0]!;
    return head !== "self" && head !== "cls" && (this.moduleNames.has(head) || /^(st|streamlit)$/.test(head));
  }

  usesName(fn: Node, name: string): boolean {
    let s = this.namesIn.get(fn.id);
    if (!s) this.namesIn.set(fn.id, (s = new Set(fn.descendantsOfType("identifier").map((x) => x?.text ?? ""))));
    return s.has(name);
  }
}

/**
 * `target` now holds `t` in the scope being read (`scopeFn`, undefined for the module). Shared keys
 * reach other scopes: self.x the class's other methods; module names and attribute chains on them
 * (st.session_state.x) every function that uses the name, and the module when a function set it.
 */
export function setTaint(flow: Flow, target: Node, t: Taint, scopeFn: Node | undefined): void {
  const { taint, fns, work } = flow;
  const k = keyOf(target);
  if (k === undefined) return;
  if ((taint.tainted.get(k) ?? taint.global.get(k)) === t) return;
  taint.tainted.set(k, t);
  taint.invalidate();
  if (scopeFn && /^self\./.test(k)) {
    const cls = fns.classOf.get(scopeFn.id);
    if (!cls) return;
    let m = taint.byClass.get(cls.id);
    if (!m) taint.byClass.set(cls.id, (m = new Map()));
    if (m.has(k)) return;
    m.set(k, t);
    for (const fn of fns.all) if (fns.classOf.get(fn.id) === cls && fn.id !== scopeFn.id) work.enqueue(fn);
  } else if ((!scopeFn && target.type === "identifier") || (target.type === "attribute" && taint.isModuleRooted(k))) {
    if (taint.global.has(k)) return;
    taint.global.set(k, t);
    const last = k.split(".").pop()!;
    for (const fn of fns.all) if (fn.id !== scopeFn?.id && taint.usesName(fn, last)) work.enqueue(fn);
    if (scopeFn) work.enqueueModule();
  }
}
