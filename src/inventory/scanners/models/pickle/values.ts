// The values the pickle walker keeps on its stack and in its memo: enough of each constant to
// resolve STACK_GLOBAL operands, torch persistent ids and joblib array headers, never a payload.

export type Value =
  | { t: "str"; v: string; truncated?: boolean }
  /** `v` is kept only when it could be a nested pickle (the one thing read from it later). */
  | { t: "bytes"; v: Buffer | null; len: number }
  | { t: "int"; v: bigint }
  | { t: "float" }
  | { t: "bool"; v: boolean }
  | { t: "none" }
  | { t: "tuple"; items: Value[]; len: number }
  | { t: "list"; items: Value[]; len: number }
  | { t: "dict"; entries: Map<string, Value> }
  | { t: "set" }
  | { t: "global"; module: string; name: string; offset: number }
  | { t: "call"; callee: Value; args: Value; offset: number; op: string; state?: Value }
  | { t: "persistent"; pid: Value }
  | { t: "ext"; code: number }
  | { t: "buffer" };

/**
 * A string argument decoded when something reads `v` (a global's operands, a dict key that is
 * kept, a call's argument), from window bytes the reader keeps unchanged (ByteReader.holdSync).
 */
export class LazyStr {
  readonly t = "str";
  private text: string | undefined;
  constructor(
    private readonly buf: Buffer,
    private readonly start: number,
    private readonly end: number,
    private readonly enc: BufferEncoding,
  ) {}
  get v(): string {
    return (this.text ??= this.buf.toString(this.enc, this.start, this.end));
  }
}

/** Constants kept per value: longer strings and byte strings are skipped, counted by length. */
export const MAX_KEPT_STRING = 4096;
export const MAX_KEPT_BYTES = 1 << 20;
export const MAX_KEPT_ITEMS = 64;

export const NONE: Value = { t: "none" };

export function tupleOf(items: Value[]): Value {
  return { t: "tuple", items: items.slice(0, MAX_KEPT_ITEMS), len: items.length };
}

export function describe(v: Value | undefined): string {
  if (!v) return "nothing";
  switch (v.t) {
    case "global":
      return `${v.module}.${v.name}`;
    case "call":
      return `result of calling ${describe(v.callee)}`;
    case "str":
      return JSON.stringify(v.v.slice(0, 80));
    default:
      return v.t;
  }
}

/** The global a call ultimately calls, when it is one (`copyreg._reconstructor(cls, ...)` counts as cls). */
export function calleeGlobal(v: Value): { module: string; name: string } | undefined {
  if (v.t !== "call") return undefined;
  if (v.callee.t !== "global") return undefined;
  const g = v.callee;
  if (g.module === "copyreg" || g.module === "copy_reg") {
    const first = v.args.t === "tuple" ? v.args.items[0] : undefined;
    if (first?.t === "global") return first;
  }
  return g;
}
