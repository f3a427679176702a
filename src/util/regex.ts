// Regular expressions that packs or the repository supply run on RE2 (re2js, a pure JavaScript port
// of RE2): matching takes time linear in the input, whatever the pattern, so a pattern written to
// backtrack (`(a+)+$`, `(x|x)*y`) cannot stall the gate. RE2 has no backreferences and no
// lookaround; a pattern that uses them gets a clear error instead of a silent change of meaning.
// aigate's own patterns (the scanners' data in policies/) stay on JavaScript's RegExp.
import { RE2JS } from "re2js";

/** The longest pattern accepted, in characters. */
export const MAX_PATTERN_LENGTH = 4096;
/** RE2's own measure of a compiled pattern's cost (instructions); bounds memory per pattern. */
export const MAX_PROGRAM_SIZE = 50_000;

export interface SafeRegExp {
  readonly source: string;
  readonly flags: string;
  /** True when the pattern matches somewhere in `s` (or at its start/end with anchors), as RegExp#test. */
  test(s: string): boolean;
  /** The first match, shaped like RegExp#exec's result, or null. */
  exec(s: string): RegExpExecArray | null;
  /** Every non-overlapping match, as String#matchAll. */
  matchAll(s: string): IterableIterator<RegExpExecArray>;
  toString(): string;
}

export interface RegexError {
  error: string;
}

export const isRegexError = (r: SafeRegExp | RegexError): r is RegexError => "error" in r;

// JavaScript's \s: ASCII whitespace plus the Unicode space separators, line terminators and BOM.
// RE2's \s is ASCII only, so the pattern's \s is spelled out.
const JS_SPACE = "\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}";
// JavaScript's `.` without the s flag: anything but a line terminator.
const JS_DOT = "[^\\n\\r\\x{2028}\\x{2029}]";

/**
 * Rewrites an ECMAScript pattern into RE2 syntax, or says why it cannot run on RE2. Only what
 * differs is touched: named groups, \u escapes, \s, `.`, [\b]; the rest is the same in both.
 */
function toRe2(source: string, dotAll: boolean): string | RegexError {
  let out = "";
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === "\\") {
      const next = source[i + 1];
      if (next === undefined) return { error: "the pattern ends with a lone backslash" };
      if (/[1-9]/.test(next)) return { error: `backreferences (\\${next}) are not supported: patterns run on a linear-time engine (RE2)` };
      if (next === "k" && source[i + 2] === "<")
        return { error: "named backreferences (\\k<name>) are not supported: patterns run on a linear-time engine (RE2)" };
      if (next === "s") {
        out += inClass ? JS_SPACE : `[${JS_SPACE}]`;
      } else if (next === "S" && !inClass) {
        out += `[^${JS_SPACE}]`;
      } else if (next === "b" && inClass) {
        out += "\\x08";
      } else {
        out += ch + next;
      }
      i++;
      continue;
    }
    if (inClass) {
      if (ch === "]") inClass = false;
      out += ch;
      continue;
    }
    if (ch === "[") {
      inClass = true;
      out += ch;
      // `[]` and `[^]`: JavaScript's empty and full classes.
      if (source.startsWith("]", i + 1)) {
        out = out.slice(0, -1) + "[^\\x00-\\x{10FFFF}]";
        inClass = false;
        i += 1;
      } else if (source.startsWith("^]", i + 1)) {
        out = out.slice(0, -1) + "[\\x00-\\x{10FFFF}]";
        inClass = false;
        i += 2;
      } else if (source[i + 1] === "^") {
        out += "^";
        i++;
      }
      continue;
    }
    if (ch === "(" && source[i + 1] === "?") {
      const rest = source.slice(i + 2, i + 4);
      if (rest.startsWith("=") || rest.startsWith("!"))
        return { error: `lookahead (?${rest[0]}...) is not supported: patterns run on a linear-time engine (RE2)` };
      if (rest === "<=" || rest === "<!") return { error: `lookbehind (?${rest}...) is not supported: patterns run on a linear-time engine (RE2)` };
    }
    if (ch === "." && !dotAll) {
      out += JS_DOT;
      continue;
    }
    out += ch;
  }
  return RE2JS.translateRegExp(out);
}

function re2Flags(flags: string): number | RegexError {
  let f = 0;
  for (const c of flags) {
    if (c === "i") f |= RE2JS.CASE_INSENSITIVE;
    else if (c === "m") f |= RE2JS.MULTILINE;
    else if (c === "s") f |= RE2JS.DOTALL;
    else if (!"guyd".includes(c)) return { error: `unsupported regular expression flag "${c}"` };
  }
  return f;
}

function describe(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /^error parsing regexp: (.*)$/s.exec(msg);
  const detail = m ? m[1]! : msg;
  if (/invalid repeat count/.test(detail)) return `${detail} (a repeat count is at most 1000, and nested counts multiply)`;
  return detail;
}

class Re2RegExp implements SafeRegExp {
  constructor(
    readonly source: string,
    readonly flags: string,
    private readonly re: RE2JS,
  ) {}
  test(s: string): boolean {
    return this.re.test(s);
  }
  exec(s: string): RegExpExecArray | null {
    return this.re.exec(s) as RegExpExecArray | null;
  }
  matchAll(s: string): IterableIterator<RegExpExecArray> {
    return this.re.matchAll(s) as IterableIterator<RegExpExecArray>;
  }
  toString(): string {
    return `/${this.source}/${this.flags}`;
  }
}

const cache = new Map<string, SafeRegExp | RegexError>();
const CACHE_MAX = 2000;

/**
 * Compiles an ECMAScript-syntax pattern (as JSON Schema `pattern` and packs write them) to a
 * linear-time matcher, or returns why it cannot: unsupported constructs (backreferences,
 * lookahead, lookbehind), syntax errors, or a pattern too large. Results are cached.
 */
export function compileSafe(source: string, flags = ""): SafeRegExp | RegexError {
  const key = `${flags}/${source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const result = compileUncached(source, flags);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(key, result);
  return result;
}

function compileUncached(source: string, flags: string): SafeRegExp | RegexError {
  if (typeof source !== "string") return { error: "a regular expression must be a string" };
  if (source.length > MAX_PATTERN_LENGTH) return { error: `the regular expression is ${source.length} characters long (at most ${MAX_PATTERN_LENGTH})` };
  const f = re2Flags(flags);
  if (typeof f !== "number") return f;
  const translated = toRe2(source, flags.includes("s"));
  if (typeof translated !== "string") return translated;
  let re: RE2JS;
  try {
    re = RE2JS.compile(translated, f);
  } catch (e) {
    return { error: `not a regular expression RE2 accepts: ${describe(e)}` };
  }
  if (re.programSize() > MAX_PROGRAM_SIZE)
    return { error: `the regular expression is too large once compiled (${re.programSize()} instructions; at most ${MAX_PROGRAM_SIZE})` };
  return new Re2RegExp(source, flags, re);
}

/** Compiles or throws an Error with the reason: for places where a bad pattern is an exception. */
export function compileSafeOrThrow(source: string, flags = ""): SafeRegExp {
  const r = compileSafe(source, flags);
  if (isRegexError(r)) throw new Error(`pattern ${JSON.stringify(source.length > 80 ? source.slice(0, 77) + "..." : source)}: ${r.error}`);
  return r;
}

/**
 * Ajv's `code.regExp` option: every `pattern` and `patternProperties` of a schema compiled with it
 * runs on RE2. Ajv passes "u" as the flags (unicodeRegExp), which RE2 needs no flag for.
 */
export const ajvRegExp = Object.assign((pattern: string, u: string) => compileSafeOrThrow(pattern, u), { code: "aigateCompileSafe" });
