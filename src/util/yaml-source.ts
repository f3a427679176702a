// Parses one YAML document safely and keeps the position of every node, keyed by JSON pointer.
// Used for manifests and policy packs: every later error is reported at file:line:column.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Node } from "yaml";
import type { NodeRange } from "../manifest/types.js";
import { joinPointer } from "./pointer.js";

export const MAX_YAML_BYTES = 256 * 1024;

/** A problem found while reading a YAML file: code, message, hint and the offset it is at. */
export interface YamlProblem {
  code: "yaml-syntax" | "duplicate-key" | "alias" | "tag" | "merge-key" | "yaml-version" | "too-large" | "multiple-documents" | "empty";
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
  const lineCounter = new LineCounter();
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
  const doc = parseDocument(text, {
    lineCounter,
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
    } else {
      const msg = err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
      problems.push({ code: "yaml-syntax", message: `YAML syntax error: ${msg}`, offset: err.pos[0], fatal: true });
    }
  }
  if (problems.some((p) => p.fatal)) return { text, value: undefined, ranges, problems, position };

  if (doc.directives?.yaml.explicit && doc.directives.yaml.version !== "1.2") {
    problems.push({ code: "yaml-version", message: `%YAML ${doc.directives.yaml.version} is not supported: aigate reads YAML 1.2 only`, offset: 0, fatal: true });
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
    problems.push({ code: "alias", message: `YAML anchors and aliases are not allowed: write each value out${more(offsets.length)}`, offset: Math.max(0, offsets[0]!), fatal: true });
  }
  if (refused.tag.length) {
    problems.push({ code: "tag", message: `YAML tags (${refused.tag[0]!.tag}) are not allowed${more(refused.tag.length)}`, offset: refused.tag[0]!.offset, fatal: true });
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
    const key = text.slice(p.offset).match(/^["']?([^"':\n]+)/)?.[1]?.trim() ?? "";
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
