import { ajvRegExp, compileSafe, isRegexError, MAX_PATTERN_LENGTH, type SafeRegExp } from "../../src/util/regex.js";
import { manifestCheck, compileFragment } from "../../src/policy/checks/manifest.js";

function ok(source: string, flags = ""): SafeRegExp {
  const r = compileSafe(source, flags);
  if (isRegexError(r)) throw new Error(`${source}: ${r.error}`);
  return r;
}

describe("compileSafe", () => {
  // Patterns as packs and JSON Schemas write them, with inputs on both sides of each difference
  // between ECMAScript and RE2 that the translation covers.
  const corpus: [string, string, string[]][] = [
    ["^[a-z0-9]+(-[a-z0-9]+)*$", "u", ["support-assistant", "Bad_Name", "a-", ""]],
    ["^([0-9a-f]{40}|[0-9a-f]{64}|sha256:[0-9a-f]{64})$", "u", ["a".repeat(40), "sha256:" + "0".repeat(64), "main"]],
    ["^https?://[^\\s]+$", "u", ["https://example.com/x", "https://a b", "ftp://x"]],
    ["^\\s+$", "", [" \u00a0\u3000\ufeff", "\u000b\t", "x", ""]],
    ["^\\S+$", "", ["ab", "a b", "a\u00a0b"]],
    ["^[\\s\\d]+$", "", ["1 2\u00a03", "1x"]],
    ["^a.b$", "", ["axb", "a\nb", "a\rb", "a\u2028b"]],
    ["^a.b$", "s", ["a\nb", "a\rb"]],
    ["^[\\b]$", "", ["\b", "b"]],
    ["^[]$", "", ["", "a"]],
    ["^[^]$", "", ["\n", "a", ""]],
    ["^\\u0041\\u{1F600}$", "u", ["A😀", "A"]],
    ["^(?<word>\\w+)$", "u", ["hello", "héllo"]],
    ["^\\p{Lu}", "u", ["Éa", "éa"]],
    ["^ABC$", "i", ["abc", "abd"]],
    ["^b$", "m", ["a\nb\nc", "abc"]],
    ["\\bcat\\b", "", ["a cat sat", "concat"]],
    ["^\\d{3}-\\d{2}$", "", ["123-45", "12-345"]],
    ["^[^/]*$", "", ["a.txt", "a/b"]],
  ];
  it.each(corpus)("%s (flags %s) matches as JavaScript's RegExp does", (source, flags, inputs) => {
    const re = ok(source, flags);
    const js = new RegExp(source, flags);
    for (const s of inputs) expect([s, re.test(s)]).toEqual([s, js.test(s)]);
  });

  it("gives exec and matchAll results shaped like RegExp's", () => {
    const re = ok("(\\d+)-(?<suffix>x)?");
    const m = re.exec("ab 12-x")!;
    expect([m[0], m[1], m[2], m.index, m.groups?.["suffix"]]).toEqual(["12-x", "12", "x", 3, "x"]);
    expect([...re.matchAll("1- 2-x")].map((x) => x[0])).toEqual(["1-", "2-x"]);
    expect(re.exec("none")).toBeNull();
  });

  it.each([
    ["(a)\\1", /backreferences \(\\1\) are not supported/],
    ["(?<y>\\d{4})-\\k<y>", /named backreferences/],
    ["foo(?=bar)", /lookahead \(\?=/],
    ["foo(?!bar)", /lookahead \(\?!/],
    ["(?<=a)b", /lookbehind \(\?<=/],
    ["(?<!a)b", /lookbehind \(\?<!/],
    ["x{2000}", /invalid repeat count.*at most 1000/],
    ["((a{100}){100})", /invalid repeat count/],
    ["[a-", /missing closing \]/],
    ["abc\\", /lone backslash/],
  ])("rejects %s with a clear reason", (source, reason) => {
    const r = compileSafe(source);
    expect(isRegexError(r) ? r.error : "compiled").toMatch(reason);
  });

  it("rejects a pattern longer than the limit", () => {
    const r = compileSafe("a".repeat(MAX_PATTERN_LENGTH + 1));
    expect(isRegexError(r) && r.error).toMatch(/characters long/);
  });

  it("rejects flags it does not know", () => {
    const r = compileSafe("a", "x");
    expect(isRegexError(r) && r.error).toMatch(/unsupported regular expression flag "x"/);
    expect(isRegexError(compileSafe("a", "gimsuy"))).toBe(false);
  });

  it("runs patterns written to backtrack in linear time", () => {
    // Each of these takes JavaScript's RegExp longer than the test timeout on these inputs.
    expect(ok("(a+)+$").test("a".repeat(200_000) + "!")).toBe(false);
    expect(ok("^(x|x)*y$").test("x".repeat(200_000))).toBe(false);
    expect(ok("^(\\w+\\s?)*$").test("word ".repeat(40_000) + "!")).toBe(false);
    expect(ok("(.*a){20}").test("a".repeat(50_000))).toBe(true);
  });

  it("caches compiled patterns", () => {
    expect(compileSafe("^cached$", "u")).toBe(compileSafe("^cached$", "u"));
  });
});

describe("Ajv with ajvRegExp (manifest check schema fragments)", () => {
  it("throws a readable error for a pattern RE2 cannot run", () => {
    expect(() => ajvRegExp("(a)\\1", "u")).toThrow(/pattern "\(a\)\\\\1": backreferences/);
    expect(ajvRegExp("^a+$", "u").test("aaa")).toBe(true);
  });

  it("validates `pattern` and `patternProperties` on RE2", () => {
    const v = compileFragment({
      type: "object",
      properties: { id: { type: "string", pattern: "^(a+)+$" } },
      patternProperties: { "^(x+x+)+y$": { type: "number" } },
    });
    expect(v({ id: "a".repeat(100_000) + "!" })).toBe(false);
    expect(v({ id: "aaa", ["x".repeat(50_000)]: "not a number" })).toBe(true);
    expect(v({ id: "aaa", xxy: "not a number" })).toBe(false);
  });

  it("reports a pack's fragment with lookaround or backreferences when the pack loads", () => {
    expect(manifestCheck.validate!({ kind: "manifest", pointer: "/name", schema: { type: "string", pattern: "^(?!admin).*$" } })).toMatch(
      /check.schema is not a valid JSON Schema: pattern "\^\(\?!admin\)\.\*\$": lookahead/,
    );
    expect(manifestCheck.validate!({ kind: "manifest", pointer: "/name", schema: { type: "string", pattern: "^[a-z]+$" } })).toBeUndefined();
  });
});
