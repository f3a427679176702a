// A parse stopped at its time limit must not leak into the next file's: tree-sitter resumes a
// stopped parse on the parser's next call, over whatever text it is then given, unless the parser
// is reset. A file that is slow to parse would otherwise hand its tree (its lines, its findings) to
// the file scanned after it, and that file's own code would go unread. And the limit itself.
import { parseSource, parseTimeLimit } from "../../../../src/inventory/scanners/code/parser.js";

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

test("the time limit grows with the text, from 1 s to 5 s", () => {
  expect(parseTimeLimit(0)).toBe(1000);
  expect(parseTimeLimit(1000)).toBe(1050);
  expect(parseTimeLimit(40_000)).toBe(3000);
  expect(parseTimeLimit(80_000)).toBe(5000);
  expect(parseTimeLimit(5_000_000)).toBe(5000);
});
