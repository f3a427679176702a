// A JSON syntax error described by where it is and what kind it is, never by the file's content.
// V8's JSON.parse messages quote the text around the error (`Unexpected token 's', ..."api_key":
// sk-abc"... is not valid JSON`), and a file that fails to parse may hold secrets; this finds the
// place with jsonc-parser (strict JSON settings) and names the error from a fixed list.
import { parse, printParseErrorCode, type ParseError } from "jsonc-parser";

export interface JsonSyntaxProblem {
  /** `not valid JSON at line 3, column 14: a comma or closing brace is expected` */
  message: string;
  /** The error kind alone, e.g. "a comma or closing brace is expected". */
  reason: string;
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

const REASONS: Record<string, string> = {
  InvalidSymbol: "an unexpected character",
  InvalidNumberFormat: "a malformed number",
  PropertyNameExpected: "a property name in double quotes is expected",
  ValueExpected: "a value is expected",
  ColonExpected: "a colon is expected",
  CommaExpected: "a comma is expected",
  CloseBraceExpected: "a closing brace is expected",
  CloseBracketExpected: "a closing bracket is expected",
  EndOfFileExpected: "unexpected content after the JSON value",
  InvalidCommentToken: "comments are not allowed in JSON",
  UnexpectedEndOfComment: "a comment is not closed",
  UnexpectedEndOfString: "a string is not closed",
  UnexpectedEndOfNumber: "a number ends too early",
  InvalidUnicode: "an invalid \\u escape",
  InvalidEscapeCharacter: "an invalid escape in a string",
  InvalidCharacter: "a control character in a string",
};

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/**
 * Describes why `text` is not valid JSON without quoting it. `error` is what JSON.parse threw; it
 * is used only for its numeric position when jsonc-parser finds nothing (the two rarely disagree).
 */
export function jsonSyntaxProblem(text: string, error?: unknown): JsonSyntaxProblem {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  let offset: number;
  let reason: string;
  if (errors.length) {
    offset = errors[0]!.offset;
    reason = REASONS[printParseErrorCode(errors[0]!.error)] ?? "a syntax error";
  } else {
    const pos = /position (\d+)/.exec(error instanceof Error ? error.message : String(error ?? ""));
    offset = pos ? Math.min(Number(pos[1]), text.length) : 0;
    reason = text.trim() === "" ? "the file is empty" : "a syntax error";
  }
  if (text.trim() === "") {
    offset = 0;
    reason = "the file is empty";
  }
  const { line, column } = lineColumn(text, offset);
  return { message: `not valid JSON at line ${line}, column ${column}: ${reason}`, reason, offset, line, column };
}

/** JSON.parse, throwing a SyntaxError that says where and what, never the content, on bad JSON. */
export function parseJsonQuietly(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new SyntaxError(jsonSyntaxProblem(text, e).message);
  }
}
