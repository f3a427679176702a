// TOML through smol-toml; a syntax error becomes one located, fatal problem.
import { parse, TomlError } from "smol-toml";
import type { Problem } from "./model.js";

export type TomlTable = Record<string, unknown>;

export function parseToml(path: string, text: string): { value?: TomlTable; problem?: Problem } {
  try {
    return { value: parse(text) as TomlTable };
  } catch (e) {
    const err = e as TomlError;
    const first = String(err.message ?? e)
      .split("\n")[0]!
      .replace(/^Invalid TOML document:\s*/, "");
    return { problem: { message: `TOML syntax error: ${first}`, location: { path, line: err.line ?? 1, column: err.column ?? 1 }, fatal: true } };
  }
}

export const isTable = (v: unknown): v is TomlTable => typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
export const table = (v: unknown, ...keys: string[]): TomlTable | undefined => {
  let cur: unknown = v;
  for (const k of keys) cur = isTable(cur) ? cur[k] : undefined;
  return isTable(cur) ? cur : undefined;
};
