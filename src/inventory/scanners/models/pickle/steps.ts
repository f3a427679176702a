// What each pickle opcode does to the walker's stack, marks and memo, as CPython's _pickle.c would
// do it, by family: protocol and frames, the stack and marks, constants, strings and bytes,
// containers, the memo, imports, calls and persistence. The handlers are keyed by the opcode names
// of opcodes.ts, so the walker runs exactly the opcodes that table lists (the compiler checks that
// every name has a handler) and `STEPS` turns that into an array indexed by the opcode byte.
import type { ByteReader } from "../reader.js";
import { calleeGlobal, describe, LazyStr, MAX_KEPT_BYTES, MAX_KEPT_ITEMS, MAX_KEPT_STRING, NONE, tupleOf, type Value } from "./values.js";
import { OPCODES, type OpcodeName } from "./opcodes.js";
import type { Walker } from "./walker.js";

/**
 * One opcode's effect: true at STOP, false to go on, or a promise of that when the opcode must wait
 * (a skip past the window, a nested pickle, a joblib array). Every handler reads all of its
 * arguments before it changes any state, so an opcode cut short by NeedMore can simply run again.
 */
export type Step = (w: Walker, r: ByteReader, op: number) => boolean | Promise<boolean>;

type Family<K extends OpcodeName> = { readonly [name in K]: Step };

const PROTOCOL: Family<"PROTO" | "FRAME" | "STOP"> = {
  PROTO: (w, r) => {
    const p = r.u8Sync();
    if (p > 5) w.fail(`unsupported pickle protocol ${p}`);
    if (w.res.opcodes > 1) w.issue("suspicious", "proto-not-first", w.opStart, `PROTO ${p} is not the first opcode of its pickle`);
    w.protocol = p;
    return false;
  },
  FRAME: (w, r) => {
    const len = u64(w, r);
    if (w.frameEnd >= 0 && w.opStart < w.frameEnd) {
      w.issue("unsafe", "frame-reopened", w.opStart, `FRAME at byte ${w.opStart} opens before the previous frame ends (byte ${w.frameEnd})`);
    }
    w.frameEnd = r.pos + len;
    w.frameStart = w.opStart;
    const end = r.knownEnd();
    if (end !== undefined && w.frameEnd > end) w.truncatedFrame(end);
    return false;
  },
  STOP: (w) => {
    w.pop();
    if (w.stack.length || w.marks.length)
      w.issue("suspicious", "leftover-stack", w.opStart, `STOP leaves ${w.stack.length} value(s) and ${w.marks.length} mark(s) on the stack`);
    w.res.stopped = true;
    return true;
  },
};

const STACK: Family<"MARK" | "POP" | "POP_MARK" | "DUP"> = {
  MARK: (w) => {
    w.marks.push(w.stack.length);
    return false;
  },
  POP: (w) => {
    if (w.stack.length > (w.marks[w.marks.length - 1] ?? 0)) w.stack.pop();
    else w.popMark(); // CPython pops the mark when the stack above it is empty
    return false;
  },
  POP_MARK: (w) => {
    w.popMark();
    return false;
  },
  DUP: (w) => {
    w.push(w.top());
    return false;
  },
};

const TRUE: Value = { t: "bool", v: true };
const FALSE: Value = { t: "bool", v: false };
const FLOAT: Value = { t: "float" };

const CONSTANTS: Family<"NONE" | "NEWTRUE" | "NEWFALSE" | "INT" | "BININT" | "BININT1" | "BININT2" | "LONG" | "LONG1" | "LONG4" | "FLOAT" | "BINFLOAT"> = {
  NONE: (w) => pushSync(w, NONE),
  NEWTRUE: (w) => pushSync(w, TRUE),
  NEWFALSE: (w) => pushSync(w, FALSE),
  INT: (w, r) => {
    const s = r.lineSync().toString("latin1").trim();
    if (s === "00" || s === "01") return pushSync(w, s === "01" ? TRUE : FALSE);
    if (!/^[-+]?\d+$/.test(s)) w.fail("bad INT argument");
    return pushSync(w, { t: "int", v: BigInt(s) });
  },
  BININT: (w, r) => pushSync(w, { t: "int", v: BigInt(r.i32Sync()) }),
  BININT1: (w, r) => pushSync(w, { t: "int", v: BigInt(r.u8Sync()) }),
  BININT2: (w, r) => pushSync(w, { t: "int", v: BigInt(r.u16Sync()) }),
  LONG: (w, r) => {
    const s = r.lineSync().toString("latin1").trim().replace(/L$/, "");
    if (!/^[-+]?\d+$/.test(s)) w.fail("bad LONG argument");
    return pushSync(w, { t: "int", v: BigInt(s) });
  },
  LONG1: (w, r) => {
    const n = r.u8Sync();
    return pushSync(w, { t: "int", v: leInt(r.takeSync(n)) });
  },
  LONG4: (w, r) => {
    const n = r.i32Sync();
    if (n < 0) w.fail("LONG4 negative length");
    if (n > 4096) return w.pushed(after(r.skipSync(n), { t: "int", v: 0n }));
    return pushSync(w, { t: "int", v: leInt(r.takeSync(n)) });
  },
  FLOAT: (w, r) => {
    r.lineSync();
    return pushSync(w, FLOAT);
  },
  BINFLOAT: (w, r) => w.pushed(after(r.skipSync(8), FLOAT)),
};

const STRINGS: Family<"STRING" | "BINSTRING" | "SHORT_BINSTRING" | "UNICODE" | "SHORT_BINUNICODE" | "BINUNICODE" | "BINUNICODE8"> = {
  STRING: (w, r) => {
    // protocol 0: a quoted Python repr
    const s = r
      .lineSync(1 << 20)
      .toString("latin1")
      .trim();
    const q = s[0];
    if (s.length < 2 || (q !== "'" && q !== '"') || s[s.length - 1] !== q) w.fail("the STRING opcode argument must be quoted");
    return pushSync(w, { t: "str", v: unescapePy(s.slice(1, -1)) });
  },
  BINSTRING: (w, r) => {
    const n = r.i32Sync();
    if (n < 0) w.fail("BINSTRING pickle has negative byte count");
    return w.pushed(str(r, n, "latin1"));
  },
  SHORT_BINSTRING: (w, r) => w.pushed(str(r, r.u8Sync(), "latin1")),
  UNICODE: (w, r) => {
    // a raw-unicode-escape line
    const s = r.lineSync(1 << 20).toString("latin1");
    return pushSync(w, {
      t: "str",
      v: s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_m, a: string | undefined, b: string | undefined) =>
        String.fromCodePoint(parseInt(a ?? b ?? "0", 16)),
      ),
    });
  },
  SHORT_BINUNICODE: (w, r) => w.pushed(str(r, r.u8Sync(), "utf8")),
  BINUNICODE: (w, r) => w.pushed(str(r, r.u32Sync(), "utf8")),
  BINUNICODE8: (w, r) => w.pushed(str(r, u64(w, r), "utf8")),
};

const BYTES: Family<"BINBYTES" | "SHORT_BINBYTES" | "BINBYTES8" | "BYTEARRAY8" | "NEXT_BUFFER" | "READONLY_BUFFER"> = {
  BINBYTES: (w, r) => w.pushed(bytes(r, r.u32Sync())),
  SHORT_BINBYTES: (w, r) => w.pushed(bytes(r, r.u8Sync())),
  BINBYTES8: (w, r) => w.pushed(bytes(r, u64(w, r))),
  BYTEARRAY8: (w, r) => w.pushed(bytes(r, u64(w, r))),
  NEXT_BUFFER: (w) => pushSync(w, { t: "buffer" }),
  READONLY_BUFFER: (w) => {
    w.top();
    return false;
  },
};

const CONTAINERS: Family<"EMPTY_LIST" | "EMPTY_TUPLE" | "EMPTY_DICT" | "EMPTY_SET" | "LIST" | "TUPLE" | "TUPLE1" | "TUPLE2" | "TUPLE3" | "DICT" | "FROZENSET"> =
  {
    EMPTY_LIST: (w) => pushSync(w, { t: "list", items: [], len: 0 }),
    EMPTY_TUPLE: (w) => pushSync(w, tupleOf([])),
    EMPTY_DICT: (w) => pushSync(w, { t: "dict", entries: new Map() }),
    EMPTY_SET: (w) => pushSync(w, { t: "set" }),
    LIST: (w) => {
      const items = w.popMark();
      return pushSync(w, { t: "list", items: items.slice(0, MAX_KEPT_ITEMS), len: items.length });
    },
    TUPLE: (w) => pushSync(w, tupleOf(w.popMark())),
    TUPLE1: (w) => {
      const a = w.pop();
      return pushSync(w, tupleOf([a]));
    },
    TUPLE2: (w) => {
      const b = w.pop();
      const a = w.pop();
      return pushSync(w, tupleOf([a, b]));
    },
    TUPLE3: (w) => {
      const c = w.pop();
      const b = w.pop();
      const a = w.pop();
      return pushSync(w, tupleOf([a, b, c]));
    },
    DICT: (w) => {
      const items = w.popMark();
      const d: Value = { t: "dict", entries: new Map() };
      for (let i = 0; i + 1 < items.length; i += 2) setEntry(d, items[i]!, items[i + 1]!);
      return pushSync(w, d);
    },
    FROZENSET: (w) => {
      w.popMark();
      return pushSync(w, { t: "set" });
    },
  };

/** Opcodes that add to the container on the stack (which, when it is an imported object, calls its methods). */
const FILLING: Family<"APPEND" | "APPENDS" | "SETITEM" | "SETITEMS" | "ADDITEMS"> = {
  APPEND: (w) => {
    const v = w.pop();
    const target = w.top();
    containerOp(w, target, "APPEND");
    if (target.t === "list") {
      if (target.items.length < MAX_KEPT_ITEMS) target.items.push(v);
      target.len++;
    }
    return false;
  },
  APPENDS: (w) => {
    const items = w.popMark();
    const target = w.top();
    containerOp(w, target, "APPENDS");
    if (target.t === "list") {
      for (const v of items) if (target.items.length < MAX_KEPT_ITEMS) target.items.push(v);
      target.len += items.length;
    }
    return false;
  },
  SETITEM: (w) => {
    const v = w.pop();
    const k = w.pop();
    const target = w.top();
    containerOp(w, target, "SETITEM");
    setEntry(target, k, v);
    return false;
  },
  SETITEMS: (w) => {
    const items = w.popMark();
    const target = w.top();
    containerOp(w, target, "SETITEMS");
    for (let i = 0; i + 1 < items.length; i += 2) setEntry(target, items[i]!, items[i + 1]!);
    return false;
  },
  ADDITEMS: (w) => {
    w.popMark();
    containerOp(w, w.top(), "ADDITEMS");
    return false;
  },
};

const MEMO: Family<"GET" | "BINGET" | "LONG_BINGET" | "PUT" | "BINPUT" | "LONG_BINPUT" | "MEMOIZE"> = {
  GET: (w, r) => memoGet(w, decimal(w, r)),
  BINGET: (w, r) => memoGet(w, r.u8Sync()),
  LONG_BINGET: (w, r) => memoGet(w, r.u32Sync()),
  PUT: (w, r) => memoPut(w, decimal(w, r)),
  BINPUT: (w, r) => memoPut(w, r.u8Sync()),
  LONG_BINPUT: (w, r) => memoPut(w, r.u32Sync()),
  MEMOIZE: (w) => memoPut(w, w.memoCount),
};

const IMPORTS: Family<"GLOBAL" | "STACK_GLOBAL" | "INST"> = {
  GLOBAL: (w, r) => {
    const module = textLine(r);
    const name = textLine(r);
    return pushSync(w, w.addGlobal(module, name, "GLOBAL"));
  },
  STACK_GLOBAL: (w) => {
    const name = w.pop();
    const module = w.pop();
    if (module.t === "str" && name.t === "str" && !module.truncated && !name.truncated) return pushSync(w, w.addGlobal(module.v, name.v, "STACK_GLOBAL"));
    if (module.t === "call" || name.t === "call" || module.t === "global" || name.t === "global") {
      w.issue("unsafe", "dynamic-import", w.opStart, `STACK_GLOBAL imports a name computed at load time (${describe(module)}, ${describe(name)})`);
      return pushSync(w, { t: "global", module: "?", name: "?", offset: w.opStart });
    }
    return w.fail(`STACK_GLOBAL requires str operands, got ${module.t} and ${name.t}`);
  },
  INST: (w, r) => {
    const module = textLine(r);
    const name = textLine(r);
    const g = w.addGlobal(module, name, "INST");
    const args = w.popMark();
    return w.pushed(w.call(g, tupleOf(args), "INST"));
  },
};

const CALLS: Family<"OBJ" | "REDUCE" | "NEWOBJ" | "NEWOBJ_EX" | "BUILD"> = {
  OBJ: (w) => {
    const items = w.popMark();
    if (!items.length) w.fail("OBJ without a class");
    return w.pushed(w.call(items[0]!, tupleOf(items.slice(1)), "OBJ"));
  },
  REDUCE: callOnStack("REDUCE"),
  NEWOBJ: callOnStack("NEWOBJ"),
  NEWOBJ_EX: callOnStack("NEWOBJ_EX", true),
  BUILD: (w) => {
    const state = w.pop();
    const obj = w.top();
    w.res.calls++;
    if (obj.t === "global") {
      w.issue("unsafe", "build-on-global", w.opStart, `BUILD sets attributes on the imported object ${describe(obj)} itself`);
    } else if (obj.t === "call") {
      obj.state = state;
      const g = calleeGlobal(obj);
      if (w.o.joblib !== false && g?.module === "joblib.numpy_pickle" && g.name === "NumpyArrayWrapper") return w.joblibArray(obj).then(() => false);
    }
    return false;
  },
};

/** Opcodes whose meaning the loader decides: torch's persistent ids, copyreg's extension registry. */
const LOADER_DEFINED: Family<"PERSID" | "BINPERSID" | "EXT1" | "EXT2" | "EXT4"> = {
  PERSID: (w, r) => {
    const pid = r.lineSync().toString("latin1");
    w.issue("suspicious", "persistent-id", w.opStart, `PERSID ${JSON.stringify(pid.slice(0, 40))}: a persistent id only torch's loader resolves`);
    return pushSync(w, { t: "persistent", pid: { t: "str", v: pid } });
  },
  BINPERSID: (w) => {
    const pid = w.pop();
    const kind = pid.t === "tuple" ? pid.items[0] : undefined;
    if (!(kind?.t === "str" && kind.v === "storage"))
      w.issue("suspicious", "persistent-id", w.opStart, `BINPERSID with a persistent id that is not torch's ('storage', ...) shape`);
    return pushSync(w, { t: "persistent", pid });
  },
  EXT1: (w, r) => extension(w, r.u8Sync()),
  EXT2: (w, r) => extension(w, r.u16Sync()),
  EXT4: (w, r) => extension(w, r.i32Sync()),
};

const BY_NAME: Family<OpcodeName> = {
  ...PROTOCOL,
  ...STACK,
  ...CONSTANTS,
  ...STRINGS,
  ...BYTES,
  ...CONTAINERS,
  ...FILLING,
  ...MEMO,
  ...IMPORTS,
  ...CALLS,
  ...LOADER_DEFINED,
};

const invalid: Step = (w, _r, op) => w.fail(`invalid opcode 0x${op.toString(16).padStart(2, "0")}`);

/** The handler of every byte value: the opcodes of opcodes.ts, `invalid` for the rest. */
export const STEPS: readonly Step[] = (() => {
  const steps = new Array<Step>(256).fill(invalid);
  for (const [name, code] of OPCODES) steps[code] = BY_NAME[name];
  return steps;
})();

/** REDUCE, NEWOBJ, NEWOBJ_EX: a callable (or class) and its arguments on the stack, NEWOBJ_EX's keyword arguments above them. */
function callOnStack(op: OpcodeName, kwargs = false): Step {
  return (w) => {
    if (kwargs) w.pop();
    const args = w.pop();
    const callee = w.pop();
    return w.pushed(w.call(callee, args, op));
  };
}

function pushSync(w: Walker, v: Value): false {
  w.push(v);
  return false;
}

function memoGet(w: Walker, idx: number): false {
  w.memoGet(idx);
  return false;
}

function memoPut(w: Walker, idx: number): false {
  w.memoPut(idx);
  return false;
}

function extension(w: Walker, code: number): false {
  w.issue("suspicious", "extension-registry", w.opStart, `EXT opcode loads entry ${code} of copyreg's extension registry (the loader decides what it imports)`);
  return pushSync(w, { t: "ext", code });
}

/** APPEND/SETITEM/ADDITEMS on something that is not a plain container call its methods. */
function containerOp(w: Walker, target: Value, op: string) {
  if (target.t === "global") w.issue("unsafe", "container-op-on-global", w.opStart, `${op} on the imported object ${describe(target)} calls its methods`);
}

function setEntry(target: Value, k: Value, v: Value) {
  if (target.t === "dict" && k.t === "str" && target.entries.size < MAX_KEPT_ITEMS) target.entries.set(k.v, v);
}

// ---- Argument readers. They read the window synchronously (NeedMore when it runs short); only a
// long argument that is skipped past the window gives a promise.

function str(r: ByteReader, len: number, enc: BufferEncoding): Value | Promise<Value> {
  if (len > MAX_KEPT_STRING) return after(r.skipSync(len, "string"), { t: "str", v: "", truncated: true });
  const at = r.holdSync(len, "string");
  return at < 0 ? { t: "str", v: r.textSync(len, enc, "string") } : new LazyStr(r.held, at, at + len, enc);
}

function bytes(r: ByteReader, len: number): Value | Promise<Value> {
  if (len > MAX_KEPT_BYTES) return after(r.skipSync(len, "bytes"), { t: "bytes", v: null, len });
  // Only a nested pickle is ever looked at again: copy that out of the window, skip the rest.
  if (r.available < len) r.takeSync(len, "bytes"); // throws: NeedMore, or truncated at the end
  // startsLikePickle, read in place:
  const pickled = len >= 3 && r.byteAt(0) === 0x80 && r.byteAt(1) >= 2 && r.byteAt(1) <= 5;
  if (pickled) return { t: "bytes", v: Buffer.from(r.takeSync(len, "bytes")), len };
  r.skipSync(len);
  return { t: "bytes", v: null, len };
}

function u64(w: Walker, r: ByteReader): number {
  const v = r.u64Sync();
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) w.fail(`length ${v} out of range`);
  return Number(v);
}

function textLine(r: ByteReader): string {
  return r.lineSync().toString("utf8");
}

function decimal(w: Walker, r: ByteReader): number {
  const s = r.lineSync().toString("latin1").trim();
  if (!/^-?\d+$/.test(s)) w.fail(`bad decimal argument ${JSON.stringify(s.slice(0, 40))}`);
  return Number(s);
}

/** A value is not settled until a long skip past the window or a nested walk is done. */
function after(pending: Promise<void> | undefined, v: Value): Value | Promise<Value> {
  return pending ? pending.then(() => v) : v;
}

/** Two's-complement little-endian integer (LONG1/LONG4). */
function leInt(b: Buffer): bigint {
  if (b.length === 0) return 0n;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  if (b[b.length - 1]! & 0x80) v -= 1n << BigInt(8 * b.length);
  return v;
}

/** Python string-literal escapes of protocol 0 STRING arguments (enough for names). */
export function unescapePy(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (_m, e: string) => {
    if (e[0] === "x") return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return ({ n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"' } as Record<string, string>)[e] ?? e;
  });
}
