// The check-kind registry keeps its promises: one file per kind named after it; a params schema that
// compiles, is closed (additionalProperties: false) and declares exactly the parameters the kind
// reads (a kind that ignores its params declares none, so a rule cannot pass one to no effect); and
// `meta.placeholders` that are exactly the names the kind passes to fill(). Read from the sources
// with the TypeScript parser.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { CHECK_KINDS } from "../../src/policy/checks/index.js";
import { compileSchema } from "../../src/util/schema-errors.js";

const file = (kind: string) => join(process.cwd(), "src", "policy", "checks", `${kind}.ts`);

/** The parameter names a check module reads (`params.x`, `params["x"]`) and the keys it passes to fill(). */
function usage(kind: string): { params: Set<string>; placeholders: Set<string> } {
  const src = ts.createSourceFile(file(kind), readFileSync(file(kind), "utf8"), ts.ScriptTarget.Latest, true);
  const params = new Set<string>();
  const placeholders = new Set<string>();
  const isParams = (e: ts.Expression) => ts.isIdentifier(e) && e.text === "params";
  const visit = (n: ts.Node): void => {
    if (ts.isPropertyAccessExpression(n) && isParams(n.expression)) params.add(n.name.text);
    if (ts.isElementAccessExpression(n) && isParams(n.expression) && ts.isStringLiteral(n.argumentExpression)) params.add(n.argumentExpression.text);
    // globParamProblem(params, ["a", "b"]) reads those parameters too
    if (
      ts.isCallExpression(n) &&
      ts.isIdentifier(n.expression) &&
      n.expression.text === "globParamProblem" &&
      n.arguments[1] &&
      ts.isArrayLiteralExpression(n.arguments[1])
    ) {
      for (const e of n.arguments[1].elements) if (ts.isStringLiteral(e)) params.add(e.text);
    }
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === "fill" && n.arguments[1]) {
      const arg = n.arguments[1];
      // fill(message, { ... }) or fill(message, vars) with `const vars = { ... }` in the same file
      const literal = ts.isObjectLiteralExpression(arg) ? arg : ts.isIdentifier(arg) ? objects.get(arg.text) : undefined;
      if (!literal) throw new Error(`${kind}: fill() with values aigate cannot read: ${arg.getText()}`);
      for (const p of literal.properties)
        if ((ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)))
          placeholders.add(p.name.text);
    }
    ts.forEachChild(n, visit);
  };
  const objects = new Map<string, ts.ObjectLiteralExpression>();
  const declarations = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && ts.isObjectLiteralExpression(n.initializer))
      objects.set(n.name.text, n.initializer);
    ts.forEachChild(n, declarations);
  };
  declarations(src);
  visit(src);
  return { params, placeholders };
}

const kinds = CHECK_KINDS.map((k) => [k.meta.kind, k] as const);

test("kinds are unique and registered in sorted order", () => {
  const names = CHECK_KINDS.map((k) => k.meta.kind);
  expect(new Set(names).size).toBe(names.length);
  expect(names).toEqual([...names].sort());
});

describe.each(kinds)("%s", (kind, k) => {
  test("lives in src/policy/checks/<kind>.ts and is described", () => {
    expect(existsSync(file(kind))).toBe(true);
    expect(k.meta.description.length).toBeGreaterThan(20);
  });

  test("its params schema compiles, is closed, and describes each parameter", () => {
    const schema = k.meta.paramsSchema;
    expect(schema.type).toBe("object");
    expect(schema.additionalProperties).toBe(false);
    expect(() => compileSchema({ ...schema, properties: { kind: { const: kind }, ...(schema.properties as object) } })).not.toThrow();
    for (const [name, p] of Object.entries((schema.properties as Record<string, { description?: string; enum?: unknown[] }>) ?? {})) {
      expect([name, typeof p.description === "string" || Array.isArray(p.enum)]).toEqual([name, true]);
    }
  });

  test("declares exactly the parameters it reads", () => {
    const declared = Object.keys((k.meta.paramsSchema.properties as object | undefined) ?? {}).sort();
    expect([...usage(kind).params].sort()).toEqual(declared);
  });

  test("declares exactly the placeholders it fills", () => {
    expect([...usage(kind).placeholders].sort()).toEqual([...k.meta.placeholders].sort());
  });
});
