// A file's "use server" directive (js/routes.ts startsWithDirective): the first statement, after
// whitespace and comments only. Read in one pass over the text: an expression that skipped the
// comments lazily took seconds on files with many comments (and accepted code between them).
import { startsWithDirective } from "../../../../src/inventory/scanners/code/js/routes.js";

test.each([
  ['"use server";\nexport async function f() {}', true],
  ["'use server'\n", true],
  ['  \n\t"use server"', true],
  ['// a note\n"use server";', true],
  ['/** doc */\n/* more */ // line\n  "use server";', true],
  ['/* a */ x(); /* b */ "use server";', false],
  ['"use strict";\n"use server";', false],
  ['x();\n"use server";', false],
  ['/* never closed "use server";', false],
  ['// a last line without its end "use server"', false],
  ['"use server-only";', false],
  ['"use serve"', false],
  ["", false],
])("%j: %s", (text, expected) => {
  expect(startsWithDirective(text, "use server")).toBe(expected);
});

test("a long file of comments and code, with no directive", () => {
  const text = "/** a comment */\nexport const x = 1; /* and */ // more\n".repeat(5000) + '"use server";';
  expect(startsWithDirective(text, "use server")).toBe(false);
  expect(startsWithDirective("/** a comment */\n".repeat(5000) + '"use server";', "use server")).toBe(true);
});
