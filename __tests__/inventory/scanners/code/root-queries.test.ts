// nodesOf on a file's root answers from one walk of the tree for every type asked of roots so far
// (tree-walk.ts): it must give exactly what tree-sitter's descendantsOfType gives, node for node and
// in the same order, whichever types were asked before and in whatever order.
import type { Node } from "web-tree-sitter";
import { parseSource, type LanguageId } from "../../../../src/inventory/scanners/code/parser.js";
import { nodesOf, queryRoot } from "../../../../src/inventory/scanners/code/tree-walk.js";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../../../src/util/package-root.js";
import { codeFixtures } from "../../../helpers/code-fixtures.js";

const sources = codeFixtures;

const ids = (nodes: (Node | null)[]) => nodes.map((n) => `${n!.id}:${n!.type}:${n!.startIndex}`);

async function check(lang: LanguageId, texts: string[]) {
  expect(texts.length).toBeGreaterThan(3);
  let asked = 0;
  for (const [k, text] of texts.entries()) {
    const tree = (await parseSource(lang, text))!;
    try {
      const root = queryRoot(tree.rootNode, lang === "python" ? "python" : "js");
      // Every type of the grammar, single and in pairs, in an order that differs from file to file.
      const types = [...new Set(tree.language.types.filter((t): t is string => typeof t === "string" && t.length > 0))];
      const order = types.map((_, i) => types[(i * 7 + k) % types.length]!);
      for (const [i, t] of order.entries()) {
        expect(ids(nodesOf(root, t))).toEqual(ids(tree.rootNode.descendantsOfType(t)));
        const pair = [t, order[(i + 3) % order.length]!];
        expect(ids(nodesOf(root, ...pair))).toEqual(ids(tree.rootNode.descendantsOfType(pair)));
        asked++;
      }
    } finally {
      tree.delete();
    }
  }
  expect(asked).toBeGreaterThan(100);
}

test("python: a queried root gives what descendantsOfType gives, for every type", async () => {
  await check("python", sources("python", /\.py$/));
});

test("typescript: a queried root gives what descendantsOfType gives, for every type", async () => {
  const examples = join(packageRoot(), "examples", "support-assistant", "src");
  const ts = readdirSync(examples, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .sort()
    .map((f) => readFileSync(join(examples, f), "utf8"));
  await check("typescript", ts);
});
