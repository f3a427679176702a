// The JavaScript/TypeScript analyzer (analyzeJs over tree-sitter-javascript/typescript/tsx); the
// first byte picks the grammar.
import { analyzeJs } from "../../src/inventory/scanners/code/js/index.js";
import type { LanguageId } from "../../src/inventory/scanners/code/parser.js";
import { selector, text, type TargetMeta } from "../lib/harness.js";
import { analyze, skipped } from "../lib/code.js";

export const meta: TargetMeta = {
  description: "JavaScript/TypeScript analyzer (analyzeJs)",
  dict: "js",
  seedGlobs: ["__tests__/inventory/scanners/code/fixtures/**/*.{js,mjs,cjs,ts,tsx,jsx}", "examples/**/*.{js,mjs,ts,tsx}"],
};

const LANGS: LanguageId[] = ["javascript", "typescript", "tsx"];

export async function fuzz(data: Buffer): Promise<void> {
  const { pick, rest } = selector(data, LANGS.length);
  const source = text(rest);
  if (skipped(source, rest)) return;
  await analyze(LANGS[pick]!, source, analyzeJs);
}
