// Dockerfile instructions, read as text: continuation lines joined, comments and parser directives
// dropped, each instruction with the physical line of each of its parts, so that a finding points at
// the line of the word it is about. Bounded: the caller caps the bytes; here the instructions and the
// length of one joined instruction are capped. Heredoc bodies (`RUN <<EOF`) are kept as text.
import { LINE_BREAK } from "../../../util/strip.js";

export interface Instruction {
  /** Upper-cased keyword: FROM, RUN, ENV, ... */
  keyword: string;
  /** The arguments, continuation lines joined with a space. */
  args: string;
  /** 1-based line of the keyword. */
  line: number;
  /** For each physical line the instruction spans: its 1-based number and its offset in `args`. */
  parts: { line: number; offset: number }[];
}

export const MAX_INSTRUCTIONS = 5_000;
export const MAX_INSTRUCTION_CHARS = 64 * 1024;

export function parseDockerfile(text: string): Instruction[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const out: Instruction[] = [];
  let cur: Instruction | undefined;
  let heredoc: string | undefined;
  for (let i = 0; i < lines.length && out.length < MAX_INSTRUCTIONS; i++) {
    const raw = lines[i]!;
    const lineNo = i + 1;
    if (heredoc !== undefined && cur) {
      if (raw.trim() === heredoc) heredoc = undefined;
      else append(cur, raw, lineNo);
      continue;
    }
    if (!cur) {
      const t = raw.trim();
      if (t === "" || t.startsWith("#")) continue;
      // A lone \r or line separator fails `(.*)$` (no instruction, as always) after every split was tried.
      // eslint-disable-next-line regexp/no-super-linear-backtracking -- without a line break, `.*$` matches at its first try
      const m = LINE_BREAK.test(raw) ? null : /^\s*([A-Za-z]+)(?:\s+|$)(.*)$/.exec(raw);
      if (!m) continue;
      cur = { keyword: m[1]!.toUpperCase(), args: "", line: lineNo, parts: [] };
      const rest = m[2] ?? "";
      const cont = continues(rest);
      append(cur, cont ? rest.replace(/\\\s*$/, "") : rest, lineNo);
      heredoc = /<<-?\s*["']?(\w+)["']?/.exec(rest)?.[1];
      if (!cont && heredoc === undefined) {
        out.push(cur);
        cur = undefined;
      }
      continue;
    }
    // Inside a continued instruction: comment lines are dropped, empty lines too.
    if (/^\s*#/.test(raw) || raw.trim() === "") continue;
    const cont = continues(raw);
    append(cur, cont ? raw.replace(/\\\s*$/, "") : raw, lineNo);
    if (!heredoc) heredoc = /<<-?\s*["']?(\w+)["']?/.exec(raw)?.[1];
    if (!cont && heredoc === undefined) {
      out.push(cur);
      cur = undefined;
    }
  }
  if (cur && out.length < MAX_INSTRUCTIONS) out.push(cur);
  return out;
}

function continues(s: string): boolean {
  return /\\\s*$/.test(s);
}

function append(ins: Instruction, text: string, line: number): void {
  if (ins.args.length >= MAX_INSTRUCTION_CHARS) return;
  const piece = text.trim();
  const offset = ins.args.length ? ins.args.length + 1 : 0;
  ins.args = ins.args.length ? `${ins.args} ${piece}` : piece;
  if (ins.args.length > MAX_INSTRUCTION_CHARS) ins.args = ins.args.slice(0, MAX_INSTRUCTION_CHARS);
  ins.parts.push({ line, offset });
}

/** The 1-based physical line of an offset in an instruction's `args`. */
export function lineAt(ins: Instruction, offset: number): number {
  let line = ins.line;
  for (const p of ins.parts) if (p.offset <= offset) line = p.line;
  return line;
}
