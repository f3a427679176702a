// Parses one YAML document safely and keeps the position of every node, keyed by JSON pointer.
// Used for manifests and policy packs: every later error is reported at file:line:column.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Node } from "yaml";
import type { NodeRange } from "../manifest/types.js";
import { joinPointer } from "./pointer.js";

export const MAX_YAML_BYTES = 256 * 1024;
/** Nesting a manifest or pack may use (they need about ten); the YAML parser recurses per level. */
export const MAX_YAML_DEPTH = 64;

/** A problem found while reading a YAML file: code, message, hint and the offset it is at. */
export interface YamlProblem {
  code: "yaml-syntax" | "duplicate-key" | "alias" | "tag" | "merge-key" | "yaml-version" | "too-large" | "too-deep" | "multiple-documents" | "empty";
  message: string;
  offset: number;
  /** Stops analysis of the file (syntax errors) as opposed to problems reported alongside the schema errors. */
  fatal: boolean;
}

export interface YamlSource {
  text: string;
  value: unknown;
  ranges: Map<string, NodeRange>;
  problems: YamlProblem[];
  position(offset: number): { line: number; column: number };
}

export function parseYamlSource(raw: string): YamlSource {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  // Lines are counted from the text itself, not by the parser as it reads: once the parser gives up
  // on a document it stops counting the newlines it skips, and later errors would land on earlier lines.
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lineCounter.addNewLine(i + 1);
  const position = (offset: number) => {
    const p = lineCounter.linePos(Math.max(0, Math.min(offset, text.length)));
    return { line: p.line, column: p.col };
  };
  const ranges = new Map<string, NodeRange>();
  const problems: YamlProblem[] = [];
  if (Buffer.byteLength(text, "utf8") > MAX_YAML_BYTES) {
    problems.push({ code: "too-large", message: `file is larger than ${MAX_YAML_BYTES / 1024} KiB and was not read`, offset: 0, fatal: true });
    return { text, value: undefined, ranges, problems, position };
  }
  // Deep nesting is refused before the parser sees it: the parser and the walks below recurse once
  // per level, and a few thousand `[`, `- ` or `? ` would overflow the stack.
  const deep = nestingBeyond(text, MAX_YAML_DEPTH);
  if (deep !== undefined) {
    const p = position(deep);
    problems.push({
      code: "too-deep",
      message: `nesting deeper than ${MAX_YAML_DEPTH} levels at ${p.line}:${p.column}: the file was not read`,
      offset: deep,
      fatal: true,
    });
    return { text, value: undefined, ranges, problems, position };
  }
  try {
    return readDocument(text, ranges, problems, position);
  } catch (e) {
    // The depth check above keeps the parser's recursion shallow; should it still run out of stack,
    // the file is one located problem, never a stack trace.
    if (!(e instanceof RangeError)) throw e;
    problems.push({ code: "too-deep", message: "the YAML is nested too deeply to read", offset: 0, fatal: true });
    return { text, value: undefined, ranges, problems, position };
  }
}

function readDocument(
  text: string,
  ranges: Map<string, NodeRange>,
  problems: YamlProblem[],
  position: (offset: number) => { line: number; column: number },
): YamlSource {
  const doc = parseDocument(text, {
    version: "1.2",
    schema: "core",
    merge: false,
    uniqueKeys: true,
    strict: true,
    stringKeys: true,
    resolveKnownTags: false,
    logLevel: "silent",
    prettyErrors: false,
    keepSourceTokens: false,
  });
  const firstKeyOffsets = new Map<string, number>();
  for (const err of doc.errors) {
    if (err.code === "DUPLICATE_KEY") {
      problems.push({ code: "duplicate-key", message: "duplicate key", offset: err.pos[0], fatal: false });
    } else if (err.code === "MULTIPLE_DOCS") {
      problems.push({ code: "multiple-documents", message: "only one YAML document is allowed per file", offset: err.pos[0], fatal: true });
    } else if (/call stack/i.test(err.message)) {
      problems.push({ code: "too-deep", message: "the YAML is nested too deeply to read", offset: err.pos[0], fatal: true });
    } else {
      const msg = err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
      problems.push({ code: "yaml-syntax", message: `YAML syntax error: ${msg}`, offset: err.pos[0], fatal: true });
    }
  }
  if (problems.some((p) => p.fatal)) return { text, value: undefined, ranges, problems, position };

  if (doc.directives?.yaml.explicit && doc.directives.yaml.version !== "1.2") {
    problems.push({
      code: "yaml-version",
      message: `%YAML ${doc.directives.yaml.version} is not supported: aigate reads YAML 1.2 only`,
      offset: 0,
      fatal: true,
    });
  }
  // Anchors, aliases and tags are refused: aliases blur locations and open the door to alias bombs;
  // tags would build objects. One problem each, at the first occurrence, with the count.
  const refused = { anchor: [] as number[], alias: [] as number[], tag: [] as { offset: number; tag: string }[] };
  visit(doc, {
    Alias(_, node) {
      refused.alias.push(node.range?.[0] ?? 0);
    },
    Node(_, node) {
      const start = node.range?.[0] ?? 0;
      if (node.anchor) refused.anchor.push(text.lastIndexOf("&" + node.anchor, start));
      if (node.tag) {
        let bang = text.lastIndexOf("!", start);
        while (bang > 0 && text[bang - 1] === "!") bang--;
        refused.tag.push({ offset: bang >= 0 && !text.slice(bang, start).includes("\n") ? bang : start, tag: node.tag });
      }
    },
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === "<<") {
        problems.push({ code: "merge-key", message: "merge keys (<<) are not supported: write the values out", offset: pair.key.range?.[0] ?? 0, fatal: true });
      }
    },
  });
  const more = (n: number) => (n > 1 ? ` (${n} in this file; first here)` : "");
  if (refused.anchor.length || refused.alias.length) {
    const offsets = [...refused.anchor, ...refused.alias].sort((a, b) => a - b);
    problems.push({
      code: "alias",
      message: `YAML anchors and aliases are not allowed: write each value out${more(offsets.length)}`,
      offset: Math.max(0, offsets[0]!),
      fatal: true,
    });
  }
  if (refused.tag.length) {
    problems.push({
      code: "tag",
      message: `YAML tags (${refused.tag[0]!.tag}) are not allowed${more(refused.tag.length)}`,
      offset: refused.tag[0]!.offset,
      fatal: true,
    });
  }
  // Duplicate keys: name the key and where it was first written.
  const walkDupes = (node: Node | null | undefined) => {
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
        const off = (pair.key as Node | null)?.range?.[0] ?? 0;
        if (k !== undefined) {
          if (seen.has(k)) firstKeyOffsets.set(`${off}`, seen.get(k)!);
          else seen.set(k, off);
        }
        walkDupes(pair.value as Node);
      }
    } else if (isSeq(node)) node.items.forEach((n) => walkDupes(n as Node));
  };
  walkDupes(doc.contents as Node);
  for (const p of problems) {
    if (p.code !== "duplicate-key") continue;
    const key =
      text
        .slice(p.offset)
        .match(/^["']?([^"':\n]+)/)?.[1]
        ?.trim() ?? "";
    const first = firstKeyOffsets.get(`${p.offset}`);
    p.message = `duplicate key "${key}"` + (first !== undefined ? ` (first at line ${position(first).line})` : "");
  }
  if (problems.some((p) => p.fatal)) return { text, value: undefined, ranges, problems, position };

  indexRanges(doc.contents as Node, "", ranges);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 0 });
  } catch (e) {
    problems.push({ code: "alias", message: `cannot read the document: ${(e as Error).message}`, offset: 0, fatal: true });
  }
  if (value === null || value === undefined) {
    problems.push({ code: "empty", message: "the file is empty", offset: 0, fatal: true });
  }
  return { text, value, ranges, problems, position };
}

function indexRanges(node: Node | null | undefined, pointer: string, ranges: Map<string, NodeRange>, key?: [number, number]): void {
  if (!node || isAlias(node)) return;
  const r = node.range;
  const value: [number, number] = r ? [r[0], r[1]] : [0, 0];
  ranges.set(pointer, key ? { key, value } : { value });
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const kr = pair.key.range;
      const keyRange: [number, number] = kr ? [kr[0], kr[1]] : value;
      const child = joinPointer(pointer, String(pair.key.value));
      if (pair.value) indexRanges(pair.value as Node, child, ranges, keyRange);
      else ranges.set(child, { key: keyRange, value: [keyRange[1], keyRange[1]] });
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => indexRanges(item as Node, joinPointer(pointer, i), ranges));
  }
}

/** Finds the closest located ancestor of a pointer (e.g. for a missing key, its parent object). */
export function nearestRange(ranges: Map<string, NodeRange>, pointer: string): NodeRange | undefined {
  let p = pointer;
  for (;;) {
    const r = ranges.get(p);
    if (r) return r;
    if (p === "") return undefined;
    p = p.slice(0, p.lastIndexOf("/"));
  }
}

/**
 * The offset where `text` first nests deeper than `max` levels, or undefined. A linear pre-scan,
 * generous where YAML is ambiguous: block levels come from the stack of indentations plus the
 * compact indicators that open a level on the same line (`- - x`, `? ? x`, `: : x`), flow levels
 * from `[`/`{` that open a collection. Quoted scalars, comments and block scalars are skipped.
 */
export function nestingBeyond(text: string, max: number): number | undefined {
  const indents: number[] = [];
  let flow = 0;
  let quote: "'" | '"' | undefined;
  /** Lines more indented than this belong to a block scalar (`|`, `>`). */
  let scalarParent = -1;
  let pos = 0;
  while (pos <= text.length) {
    let end = text.indexOf("\n", pos);
    if (end < 0) end = text.length;
    let i = pos;
    while (i < end && text[i] === " ") i++;
    const indent = i - pos;
    const blank = i >= end || text[i] === "#" || text[i] === "\r";
    if (scalarParent >= 0 && (blank || indent > scalarParent)) {
      pos = end + 1;
      continue;
    }
    scalarParent = -1;
    let depth = flow;
    if (!quote && flow === 0 && !blank) {
      while (indents.length && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
      depth = indents.length;
    }
    if (depth > max) return i;
    // Compact indicators at the start of the node.
    let atNodeStart = !quote;
    for (; i < end; i++) {
      const c = text[i]!;
      if (quote) {
        if (c === quote) {
          if (quote === "'" && text[i + 1] === "'") i++;
          else quote = undefined;
        } else if (quote === '"' && c === "\\") i++;
        continue;
      }
      if (c === " " || c === "\t" || c === "\r") continue;
      if (c === "#" && (i === pos || text[i - 1] === " " || text[i - 1] === "\t")) break;
      const next = text[i + 1];
      const spaced = next === undefined || next === " " || next === "\t" || next === "\n" || next === "\r";
      if ((c === "-" || c === "?" || c === ":") && spaced && (atNodeStart || flow > 0 || c === ":")) {
        if (atNodeStart && flow === 0) {
          if (++depth > max) return i;
        }
        atNodeStart = true;
        continue;
      }
      if ((c === "[" || c === "{") && (atNodeStart || flow > 0)) {
        flow++;
        if (++depth > max) return i;
        atNodeStart = true;
        continue;
      }
      if ((c === "]" || c === "}") && flow > 0) {
        flow--;
        depth--;
        atNodeStart = false;
        continue;
      }
      if (c === "," && flow > 0) {
        atNodeStart = true;
        continue;
      }
      if ((c === "'" || c === '"') && atNodeStart) {
        quote = c;
        atNodeStart = false;
        continue;
      }
      if ((c === "|" || c === ">") && atNodeStart && flow === 0) {
        // A block scalar header: the more indented lines that follow are its text.
        if (/^[|>][0-9+-]*\s*(#.*)?$/.test(text.slice(i, end).trimEnd())) scalarParent = indent;
        break;
      }
      atNodeStart = false;
    }
    pos = end + 1;
  }
  return undefined;
}
