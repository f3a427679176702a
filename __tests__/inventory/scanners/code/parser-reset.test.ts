// A parse stopped at its time limit must not leak into the next file's: tree-sitter resumes a
// stopped parse on the parser's next call, over whatever text it is then given, unless the parser
// is reset. A file that is slow to parse would otherwise hand its tree (its lines, its findings) to
// the file scanned after it, and that file's own code would go unread.
import { parseSource } from "../../../../src/inventory/scanners/code/parser.js";

test("after a parse stopped at its time limit, the next file gets its own tree", async () => {
  const slow = Array.from({ length: 20_000 }, (_, i) => `const v${i} = f(${i}, "${"x".repeat(20)}");`).join("\n");
  expect(await parseSource("javascript", slow, 0)).toBeUndefined();
  const next = 'import { exec } from "node:child_process";\nexec(process.argv[2]);\n';
  const tree = await parseSource("javascript", next);
  try {
    expect(tree).toBeDefined();
    expect(tree!.rootNode.text).toBe(next);
    expect(tree!.rootNode.endPosition.row).toBe(2);
    expect(tree!.rootNode.namedChildren.map((n) => n!.type)).toEqual(["import_statement", "expression_statement"]);
  } finally {
    tree?.delete();
  }
});
