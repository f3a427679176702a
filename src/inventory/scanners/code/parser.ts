// Tree-sitter through its WebAssembly binding (web-tree-sitter) with the grammars' published .wasm
// files (tree-sitter-python, tree-sitter-javascript, tree-sitter-typescript). Loaded once, lazily:
// the binding's code and each grammar only when a file in that language gets past the prefilter.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join } from "node:path";
import { packageRoot } from "../../../util/package-root.js";
import type { Parser, Tree } from "web-tree-sitter";

export type LanguageId = "python" | "javascript" | "typescript" | "tsx";

const GRAMMARS: Record<LanguageId, string> = {
  python: "tree-sitter-python/tree-sitter-python.wasm",
  javascript: "tree-sitter-javascript/tree-sitter-javascript.wasm",
  typescript: "tree-sitter-typescript/tree-sitter-typescript.wasm",
  tsx: "tree-sitter-typescript/tree-sitter-tsx.wasm",
};

const require = createRequire(import.meta.url);

/**
 * A .wasm file: from dist/wasm/ when running from the bundle (the Action has no node_modules),
 * else from its npm package.
 */
function wasmPath(spec: string): string {
  const shipped = join(packageRoot(), "dist", "wasm", basename(spec));
  return existsSync(shipped) ? shipped : require.resolve(spec);
}
let init: Promise<void> | undefined;
const parsers = new Map<LanguageId, Promise<Parser>>();

async function parserFor(lang: LanguageId): Promise<Parser> {
  let p = parsers.get(lang);
  if (!p) {
    p = (async () => {
      const { Language, Parser } = await import("web-tree-sitter");
      // web-tree-sitter types its option as the whole Emscripten module; locateFile is the part it reads.
      init ??= Parser.init({ locateFile: () => wasmPath("web-tree-sitter/tree-sitter.wasm") } as unknown as Parameters<typeof Parser.init>[0]);
      await init;
      const language = await Language.load(wasmPath(GRAMMARS[lang]));
      const parser = new Parser();
      parser.setLanguage(language);
      return parser;
    })();
    parsers.set(lang, p);
  }
  return p;
}

/** Time limit per file: a pathological input is reported as unscanned, not waited for. */
const PARSE_TIMEOUT_MS = 5000;

/**
 * The time a text of `chars` characters may take to parse: 1 s and 50 ms per 1,000 characters, at
 * most PARSE_TIMEOUT_MS. Real code parses at megabytes a second, so only a pathological input gets
 * near it; a small one (the fuzzer found 992 characters of TSX that take over 5 s) is given up on
 * sooner, so that many of them cannot hold a run for 5 s each.
 */
export function parseTimeLimit(chars: number): number {
  return Math.min(PARSE_TIMEOUT_MS, 1000 + chars / 20);
}

/**
 * The file's syntax tree, or undefined when parsing it took longer than `timeoutMs`. A parser whose
 * parse was stopped resumes that parse on its next call, over whatever text it is given then: it is
 * reset, so that the next file gets its own tree and not the rest of this one's.
 */
export async function parseSource(lang: LanguageId, text: string, timeoutMs = parseTimeLimit(text.length)): Promise<Tree | undefined> {
  const parser = await parserFor(lang);
  const deadline = performance.now() + timeoutMs;
  const tree = parser.parse(text, null, { progressCallback: () => performance.now() > deadline });
  if (!tree) parser.reset();
  return tree ?? undefined;
}

export function languageOf(path: string): LanguageId | "notebook" | undefined {
  if (/\.(py|pyw|pyi)$/.test(path)) return "python";
  if (path.endsWith(".ipynb")) return "notebook";
  if (/\.(js|mjs|cjs|jsx)$/.test(path)) return "javascript";
  if (/\.(ts|mts|cts)$/.test(path) && !path.endsWith(".d.ts")) return "typescript";
  if (path.endsWith(".tsx")) return "tsx";
  return undefined;
}
