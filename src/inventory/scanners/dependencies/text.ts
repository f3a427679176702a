// Small text helpers shared by the parsers: offsets to 1-based positions, locating a value that a
// position-less parser (TOML, JSON) returned, and masking credentials in URLs.
import { redactUrl } from "../../../util/redact.js";
import type { Location } from "../../types.js";
import { escapeRegExp } from "../../../util/escape.js";

export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  /** 1-based line and column of a character offset. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
  at(path: string, offset: number): Location {
    return { path, ...this.position(offset) };
  }
  /** Offset of the start of a 1-based line. */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))]!;
  }
}

/** Offset of a TOML table header such as `[tool.poetry.dependencies]` (or `[[package]]`), or -1. */
export function tableOffset(text: string, table: string): number {
  const parts = table.split(".").map(escapeRegExp).join("\\s*\\.\\s*");
  const m = new RegExp(`^[ \\t]*\\[\\[?\\s*${parts}\\s*\\]\\]?`, "m").exec(text);
  return m ? m.index : -1;
}

/**
 * Offset where a value a parser returned sits: the first of `needles` after `from` (the table it
 * belongs to), else anywhere, else `from`. Needles are tried as a quoted string, then as a key.
 */
export function findValue(text: string, from: number, needles: string[]): number {
  const start = Math.max(0, from);
  for (const scope of [start, 0]) {
    for (const n of needles) {
      const i = text.indexOf(n, scope);
      if (i >= 0) return i;
    }
  }
  return start;
}

/** Offset of a key (`name =`, `"name":`) after `from`; keys may be quoted or bare. */
export function findKey(text: string, from: number, key: string, json = false): number {
  const k = escapeRegExp(key);
  const re = json ? new RegExp(`"${k}"\\s*:`, "g") : new RegExp(`^[ \\t]*(?:"${k}"|'${k}'|${k})\\s*=`, "gmi");
  re.lastIndex = Math.max(0, from);
  const m = re.exec(text);
  if (m) return m.index + (m[0].length - m[0].trimStart().length);
  re.lastIndex = 0;
  const any = re.exec(text);
  return any ? any.index + (any[0].length - any[0].trimStart().length) : Math.max(0, from);
}

/**
 * A URL as messages show it: no user info (a password holding `@` included), no query or fragment
 * values but refs, hashes and `egg=`, no token shapes (util/redact's redactUrl).
 */
export function maskUrl(url: string): string {
  return redactUrl(url);
}

/** A 40-hex (SHA-1) or 64-hex (SHA-256) commit id. */
export const isCommitHash = (ref: string | undefined): boolean => !!ref && /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i.test(ref);
