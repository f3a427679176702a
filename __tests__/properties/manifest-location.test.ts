// Property of the manifest loader: whatever YAML-ish text it is given, every diagnostic is located
// inside that text (the line exists; the column is at most one past the line's last character),
// and loading never throws. Inputs are generated line by line from manifest keys, YAML syntax
// (anchors, aliases, tags, directives, flow collections, block scalars, quotes) and odd bytes,
// and by editing the bundled example manifests.
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadTaxonomy } from "../../src/exchange/taxonomy.js";
import { parseManifest } from "../../src/manifest/load.js";
import { assertInside } from "../../fuzz/lib/harness.js";

const taxonomy = loadTaxonomy();

function diagnostics(raw: string) {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  return { text, diagnostics: parseManifest("ai-system.yaml", raw, taxonomy).diagnostics };
}

/** Every diagnostic's start and end lie inside the text. */
function located(raw: string): void {
  const { text, diagnostics: ds } = diagnostics(raw);
  for (const d of ds) assertInside(text, d.location, `${d.id}: ${d.message}`);
}

/** Weaker, and true today: every diagnostic names an existing line and a column >= 1. */
function onALine(raw: string): void {
  const { text, diagnostics: ds } = diagnostics(raw);
  const lines = text.split("\n").length;
  for (const d of ds) {
    expect(d.location.line).toBeGreaterThanOrEqual(1);
    expect(d.location.line).toBeLessThanOrEqual(lines);
    expect(d.location.column).toBeGreaterThanOrEqual(1);
  }
}

const KEYS = [
  "apiVersion",
  "name",
  "owner",
  "team",
  "contact",
  "profile",
  "isGenAI",
  "isLLM",
  "usesRAG",
  "usesRag",
  "hasAgency",
  "models",
  "datasets",
  "tools",
  "controls",
  "status",
  "evidence",
  "responsibilities",
  "riskAcceptances",
  "expires",
  "approver",
  "sha256",
  "path",
  "privileges",
  "humanApproval",
  "PROMPTINJECTIONIOHANDLING",
  "x-extra",
  "<<",
];
const SCALARS = [
  "aigate/v1",
  "true",
  "false",
  "yes",
  "1234567890",
  "0x1F",
  "~",
  "null",
  "2026-11-27",
  "implemented",
  "[a, b]",
  "{a: 1}",
  '"q\\"uote"',
  "'it''s'",
  "*anchor",
  "&anchor v",
  "!!str 3",
  "!custom x",
  "|",
  ">-",
  "é",
  "\u2028",
  "\t",
  "",
  "- item",
  "? complex",
  "#comment",
];

const line = fc.tuple(
  fc.nat({ max: 6 }),
  fc.oneof(
    fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(...SCALARS)).map(([k, v]) => `${k}: ${v}`),
    fc.constantFrom(...KEYS).map((k) => `${k}:`),
    fc.constantFrom(...SCALARS).map((v) => `- ${v}`),
    fc.constantFrom("---", "...", "%YAML 1.1", "%TAG ! tag:x,2000:", "[", "]", "{", "}", ":", "- ", "? ", "|", "  text"),
    fc.string({ maxLength: 12 }),
  ),
);
const EOL = fc.constantFrom("\n", "\r\n", "\r", "\n\n");
const yamlish = fc
  .tuple(fc.boolean(), fc.array(fc.tuple(line, EOL), { maxLength: 30 }))
  .map(([bom, lines]) => (bom ? "\uFEFF" : "") + lines.map(([[indent, s], eol]) => " ".repeat(indent) + s + eol).join(""));

const EXAMPLES = ["claims-triage", "ops-agent", "support-assistant"].map((e) =>
  readFileSync(join(import.meta.dirname, "..", "..", "examples", e, "ai-system.yaml"), "utf8"),
);
const edit = fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.oneof(fc.constantFrom(...SCALARS), fc.string({ maxLength: 8 })));
const edited = fc.tuple(fc.constantFrom(...EXAMPLES), fc.array(edit, { minLength: 1, maxLength: 4 })).map(([text, edits]) => {
  let t = text;
  for (const [at, del, ins] of edits) {
    const p = at % (t.length + 1);
    t = t.slice(0, p) + ins + t.slice(p + del);
  }
  return t;
});

describe("manifest diagnostics are located inside the file", () => {
  test("for arbitrary strings", () => {
    fc.assert(fc.property(fc.string({ maxLength: 200, unit: "binary" }), located), { numRuns: 200 });
  });

  test("name an existing line, for YAML-ish text and edited examples", () => {
    fc.assert(fc.property(yamlish, onALine), { numRuns: 300 });
    fc.assert(fc.property(edited, onALine), { numRuns: 150 });
  });

  // Regression (see __tests__/regressions/manifest-yaml-location.test.ts): lines are counted from
  // the text, so errors after the parser gives up stay on their own line.
  test("for YAML-ish text made of manifest keys and YAML syntax", () => {
    fc.assert(fc.property(yamlish, located), { numRuns: 300, seed: 1 });
  });

  test("for the example manifests with random edits", () => {
    fc.assert(fc.property(edited, located), { numRuns: 300, seed: 1 });
  });
});
