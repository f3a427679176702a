// The data flow reads each scope's events from one query of the file's event and barrier nodes
// (tree-walk.ts ScopeEvents): for every scope of every file here, it must list exactly the nodes,
// in the same order, that a walk of the scope node by node lists (the walk below, which the flow
// used before), whatever nests in what: functions in classes in functions, lambdas and arrow
// functions as arguments, decorators, default values, generators, JSX. The same for the loops in a
// scope (a loop's body is read twice), against the scope's own query.
import type { Node } from "web-tree-sitter";
import { jsScopes } from "../../../../src/inventory/scanners/code/js/flow.js";
import { parseSource, type LanguageId } from "../../../../src/inventory/scanners/code/parser.js";
import { pythonScopes } from "../../../../src/inventory/scanners/code/python/propagation.js";
import { queryRoot, type ScopeEvents } from "../../../../src/inventory/scanners/code/tree-walk.js";
import { codeFixtures } from "../../../helpers/code-fixtures.js";

const fixtures = codeFixtures;

/** Named descendants of `start` (not itself) in source order whose type is an event, not entering barriers. */
function walkScope(start: Node, events: ReadonlySet<string>, barriers: ReadonlySet<string>): Node[] {
  const out: Node[] = [];
  const c = start.walk();
  try {
    if (!c.gotoFirstChild()) return out;
    let depth = 1;
    for (;;) {
      let descend = false;
      if (c.nodeIsNamed && !barriers.has(c.nodeType)) {
        if (events.has(c.nodeType)) out.push(c.currentNode);
        descend = true;
      }
      if (descend && c.gotoFirstChild()) {
        depth++;
        continue;
      }
      while (!c.gotoNextSibling()) {
        if (depth === 1 || !c.gotoParent()) return out;
        depth--;
      }
    }
  } finally {
    c.delete();
  }
}

const ids = (nodes: readonly Node[]) => nodes.map((n) => `${n.id}:${n.type}:${n.startIndex}`);

async function check(lang: LanguageId, texts: string[], index: (root: Node) => ScopeEvents): Promise<number> {
  let scopes = 0;
  for (const text of texts) {
    const tree = (await parseSource(lang, text))!;
    try {
      const root = queryRoot(tree.rootNode, lang === "python" ? "python" : "js");
      const scopeEvents = index(root);
      const { eventTypes, barrierTypes } = scopeEvents;
      expect(ids(scopeEvents.eventsOf(root, undefined))).toEqual(ids(walkScope(root, eventTypes, barrierTypes)));
      scopes++;
      for (const fn of root.descendantsOfType([...barrierTypes])) {
        if (!fn) continue;
        const start = fn.childForFieldName("body") ?? fn;
        expect(ids(scopeEvents.eventsOf(start, fn))).toEqual(ids(walkScope(start, eventTypes, barrierTypes)));
        const loops = start.descendantsOfType([...scopeEvents.loopTypes]).map((l) => ({ start: l!.startIndex, end: l!.endIndex, id: l!.id }));
        expect(scopeEvents.loopsIn(start)).toEqual(loops);
        scopes++;
      }
    } finally {
      tree.delete();
    }
  }
  return scopes;
}

const PYTHON = `
@decorator(call_a())
def f(x=default_call(), *args, **kw):
    y = lambda: inner_call()
    class C(Base):
        z = class_level()
        def m(self):
            yield method_call()
            yield
    async def g():
        await h()
        if (w := walrus()):
            pass
        with open(p) as fh, lock() as (a, b):
            fh.write(a)
    for i in range(3):
        while loop_call(i):
            i += step()
    return (yield)
print(f(lambda q: q(lambda: deeper())))
x = [comp(c) for c in cs if keep(c)]
try:
    risky()
except E as e:
    log(e)
`;

const TS = `
const a = (q: string) => llm.invoke(q);
function f(x = d()) { return g(() => h()); }
class K { m() { n(); } static s = () => t(); #p = u(); }
const o = { p() { return r(); }, q: function () { s(); }, v: async () => { await w(); } };
function* gen() { yield y(); }
export default async function () { for (const k in obj) { use(k); } }
let b: number; b = c(function named() { return inner(); })(later());
`;

const TSX = `
export const C = () => <div onClick={() => go()} data={v()}>{items.map((i) => <Item key={i} f={f(i)} />)}</div>;
function Page() { const [s, set] = useState(init()); return <Form onSubmit={(e) => set(e.value)} />; }
`;

test("Python: every scope's events from the index are the scope's walk", async () => {
  const n = await check("python", [PYTHON, ...fixtures("python", /\.py$/)], pythonScopes);
  expect(n).toBeGreaterThan(30);
});

test("JavaScript and TypeScript: every scope's events from the index are the scope's walk", async () => {
  const js = await check("javascript", fixtures("js", /\.(m?js|jsx)$/), jsScopes);
  const ts = await check("typescript", [TS, ...fixtures("js", /\.ts$/)], jsScopes);
  const tsx = await check("tsx", [TSX, ...fixtures("js", /\.tsx$/)], jsScopes);
  expect(js + ts + tsx).toBeGreaterThan(30);
});
