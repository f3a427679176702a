// Agent and MCP configuration files as values with positions: JSON with comments (jsonc-parser),
// YAML (the project's bounded YAML reader) and TOML (smol-toml, located by a bounded text search,
// since it keeps no positions). Each parser is bounded in nesting depth before it runs; an error is
// one located problem, never a stack trace.
import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from "jsonc-parser";
import { parse as parseTomlText, TomlError } from "smol-toml";
import { joinPointer } from "../../../util/pointer.js";
import { nearestRange, parseYamlSource } from "../../../util/yaml-source.js";
import { LineIndex } from "../dependencies/text.js";
import { escapeRegExp } from "../../../util/escape.js";

/** Nesting a configuration may use; real ones need fewer than ten levels. */
export const MAX_CONFIG_DEPTH = 64;

export type Segment = string | number;

export interface Position {
  line: number;
  column: number;
}

/** A parsed configuration: its value and where each value (or its key) sits in the file. */
export interface ConfigDoc {
  value: unknown;
  /** The value at `path` (its key when `key` is true and it has one), else its closest located ancestor. */
  locate(path: readonly Segment[], key?: boolean): Position;
}

export type Parsed = { doc: ConfigDoc } | { error: string; position: Position };

export type Syntax = "json" | "yaml" | "toml";

export function parseConfig(syntax: Syntax, text: string): Parsed {
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (syntax === "yaml") return parseYaml(clean);
  if (syntax === "toml") return parseToml(clean);
  return parseJsonc(clean);
}

/** Offset where `{`/`[` nesting (outside strings and comments) first exceeds `max`, or undefined. */
export function jsonNestingBeyond(text: string, max: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === 123 || c === 91) {
      if (++depth > max) return i;
    } else if (c === 125 || c === 93) depth = Math.max(0, depth - 1);
  }
  return undefined;
}

function parseJsonc(text: string): Parsed {
  const index = new LineIndex(text);
  const deep = jsonNestingBeyond(text, MAX_CONFIG_DEPTH);
  if (deep !== undefined) return { error: `nesting deeper than ${MAX_CONFIG_DEPTH} levels: the file was not read`, position: index.position(deep) };
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  if (errors.length) return { error: `JSON syntax error: ${printParseErrorCode(errors[0]!.error)}`, position: index.position(errors[0]!.offset) };
  if (!tree) return { doc: { value: undefined, locate: () => ({ line: 1, column: 1 }) } };
  return {
    doc: {
      value: nodeValue(tree),
      locate(path, key) {
        let node: JsonNode = tree;
        for (const seg of path) {
          const child = childAt(node, seg);
          if (!child) return index.position(node.offset);
          node = child;
        }
        const at = key && node.parent?.type === "property" ? node.parent.children![0]! : node;
        return index.position(at.offset);
      },
    },
  };
}

/** The value node of an object member (the last of duplicate keys, as the value keeps) or array item. */
function childAt(node: JsonNode, seg: Segment): JsonNode | undefined {
  if (node.type === "array" && typeof seg === "number") return node.children?.[seg];
  if (node.type !== "object") return undefined;
  let found: JsonNode | undefined;
  for (const prop of node.children ?? []) {
    if (prop.children?.[0]?.value === String(seg)) found = prop.children[1];
  }
  return found;
}

/** A JSON node's value; later duplicate keys win, as in every client that reads these files. */
function nodeValue(node: JsonNode): unknown {
  switch (node.type) {
    case "object": {
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (k && typeof k.value === "string" && v) out[k.value] = nodeValue(v);
      }
      return out;
    }
    case "array":
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

function parseYaml(text: string): Parsed {
  const src = parseYamlSource(text);
  const fatal = src.problems.find((p) => p.fatal);
  if (fatal) return { error: fatal.message, position: src.position(fatal.offset) };
  return {
    doc: {
      value: src.value,
      locate(path, key) {
        const r = nearestRange(src.ranges, joinPointer("", ...path));
        if (!r) return { line: 1, column: 1 };
        return src.position(key && r.key ? r.key[0] : r.value[0]);
      },
    },
  };
}

const keyRe = (k: string) => `(?:"${escapeRegExp(k)}"|'${escapeRegExp(k)}'|${escapeRegExp(k)})`;

/**
 * TOML keeps no positions: a value is found by searching the text. A path's first segments name a
 * table (`[a.b]`, quoted or bare parts) or a dotted key (`a.b.c =`); inside the table a key is a
 * line `key =`; array items and inline-table members are found as the next quoted string after
 * their key. Every search is a linear scan of the text; what is not found falls back to the
 * closest located ancestor.
 */
function parseToml(text: string): Parsed {
  const index = new LineIndex(text);
  let value: unknown;
  try {
    value = parseTomlText(text, { maxDepth: MAX_CONFIG_DEPTH });
  } catch (e) {
    if (e instanceof TomlError) {
      const first = String(e.message)
        .split("\n")[0]!
        .replace(/^Invalid TOML document:\s*/, "");
      return { error: `TOML syntax error: ${first}`, position: { line: e.line ?? 1, column: e.column ?? 1 } };
    }
    if (e instanceof RangeError) return { error: "the TOML is nested too deeply to read", position: { line: 1, column: 1 } };
    throw e;
  }
  const lines = text.split("\n");
  const lineOffsets: number[] = [];
  let off = 0;
  for (const l of lines) {
    lineOffsets.push(off);
    off += l.length + 1;
  }
  const headerRe = /^[ \t]*\[\[?([^\]]*)\]\]?/;
  /** A header's dotted key as its parts, quotes taken off (`a."b.c" . d`: a, b.c, d), read in one pass. */
  const splitDotted = (s: string): string[] => {
    const out: string[] = [];
    let i = 0;
    const blanks = () => {
      while (i < s.length && /\s/.test(s[i]!)) i++;
    };
    for (;;) {
      blanks();
      let j = i;
      if (s[i] === '"') {
        for (j = i + 1; j < s.length && s[j] !== '"'; j += s[j] === "\\" ? 2 : 1);
        if (j >= s.length) return out;
        out.push(s.slice(i + 1, j));
        i = j + 1;
      } else if (s[i] === "'") {
        j = s.indexOf("'", i + 1);
        if (j < 0) return out;
        out.push(s.slice(i + 1, j));
        i = j + 1;
      } else {
        while (j < s.length && /[A-Za-z0-9_-]/.test(s[j]!)) j++;
        if (j === i) return out;
        out.push(s.slice(i, j));
        i = j;
      }
      blanks();
      if (s[i] !== ".") return out;
      i++;
    }
  };
  /** Line index of a table header equal to `parts`, and the line where that table ends. */
  const table = (parts: string[]): { start: number; end: number } | undefined => {
    for (let i = 0; i < lines.length; i++) {
      const m = headerRe.exec(lines[i]!);
      if (!m) continue;
      const name = splitDotted(m[1]!);
      if (name.length !== parts.length || name.some((p, j) => p !== parts[j])) continue;
      let end = i + 1;
      while (end < lines.length && !headerRe.test(lines[end]!)) end++;
      return { start: i, end };
    }
    return undefined;
  };
  const keyLine = (from: number, to: number, keys: string[]): number => {
    const re = new RegExp(`^[ \\t]*${keys.map(keyRe).join("\\s*\\.\\s*")}\\s*=`);
    for (let i = from; i < to; i++) if (re.test(lines[i]!)) return i;
    return -1;
  };
  const pos = (line: number, column = 0) => index.position(lineOffsets[line]! + column);
  const firstNonBlank = (line: number) => lines[line]!.length - lines[line]!.trimStart().length;
  return {
    doc: {
      value,
      locate(path) {
        const segs = path.map(String);
        // Longest table prefix first, then dotted keys inside it (or at the top level).
        for (let cut = segs.length; cut >= 0; cut--) {
          const t = cut === 0 ? { start: -1, end: lines.length } : table(segs.slice(0, cut));
          if (!t) continue;
          const top = cut === 0 ? 0 : t.start + 1;
          const end = cut === 0 ? lines.findIndex((l) => headerRe.test(l)) : t.end;
          const rest = segs.slice(cut);
          if (rest.length === 0) return pos(t.start, firstNonBlank(t.start));
          // The longest dotted key of the rest that is written as `a.b =`.
          for (let k = rest.length; k >= 1; k--) {
            const line = keyLine(top, end < 0 ? lines.length : end, rest.slice(0, k));
            if (line < 0) continue;
            const remaining = rest.slice(k);
            if (remaining.length === 0) return pos(line, firstNonBlank(line));
            // Inside the value (possibly spanning lines): the key of an inline table, or the n-th string.
            return inValue(line, remaining);
          }
          if (cut > 0) return pos(t.start, firstNonBlank(t.start));
        }
        return { line: 1, column: 1 };
      },
    },
  };

  function inValue(line: number, rest: string[]): Position {
    const startOffset = lineOffsets[line]! + lines[line]!.indexOf("=") + 1;
    // The value ends where the next key line or table starts (bounded by the file).
    let endLine = line + 1;
    while (endLine < lines.length && !/^[ \t]*(?:\[|[A-Za-z0-9_"'-]+\s*=)/.test(lines[endLine]!)) endLine++;
    const endOffset = endLine < lines.length ? lineOffsets[endLine]! : text.length;
    let cursor = startOffset;
    for (const seg of rest) {
      if (/^\d+$/.test(seg)) {
        // The n-th string item of an array.
        const re = /"(?:[^"\\\n]|\\.)*"|'[^'\n]*'/g;
        re.lastIndex = cursor;
        let m: RegExpExecArray | null = null;
        for (let n = 0; n <= Number(seg); n++) {
          m = re.exec(text);
          if (!m || m.index >= endOffset) return index.position(cursor);
        }
        cursor = m!.index;
      } else {
        const re = new RegExp(`${keyRe(seg)}\\s*=\\s*`, "g");
        re.lastIndex = cursor;
        const m = re.exec(text);
        if (!m || m.index >= endOffset) return index.position(cursor);
        cursor = m.index + m[0].length;
      }
    }
    return index.position(cursor);
  }
}
