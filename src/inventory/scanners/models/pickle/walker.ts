// The pickle opcode walker: reads a pickle the way CPython's _pickle.c would, without executing it.
// It keeps a typed stack, the marks and the memo (PUT stores the top of the stack, so a value put
// through DUP is tracked), resolves STACK_GLOBAL operands wherever they came from, records every
// import (GLOBAL, STACK_GLOBAL, INST) and every call (REDUCE, BUILD, INST, OBJ, NEWOBJ, NEWOBJ_EX),
// honours FRAME boundaries, and skips long arguments by length. After an error it sweeps the rest
// linearly so a payload placed before a deliberate break still surfaces.
import { BufferReader, ByteReader, CapError, DecodeError, NeedMore, TruncatedError } from "../reader.js";
import type { GlobalVerdict, ModelLists } from "../lists.js";
import { calleeGlobal, describe, MAX_KEPT_BYTES, MAX_KEPT_ITEMS, MAX_KEPT_STRING, NONE, tupleOf, type Value } from "./values.js";
import { joblibArrayPayload } from "./joblib-array.js";
import { NO_ARG_OPCODES } from "./opcodes.js";

export interface GlobalHit {
  module: string;
  name: string;
  /** What the loader imports (compat-mapped), `module.name`. */
  resolved: string;
  offset: number;
  opcode: string;
  verdict: GlobalVerdict;
  reason: string;
  /** Found by the linear sweep after the stream broke. */
  swept?: boolean;
  nested?: boolean;
}

export interface Issue {
  verdict: "suspicious" | "unsafe" | "error";
  code: string;
  offset: number;
  message: string;
}

export interface PickleResult {
  globals: GlobalHit[];
  issues: Issue[];
  /** True when the walk reached STOP. */
  stopped: boolean;
  protocol: number;
  opcodes: number;
  calls: number;
}

export interface WalkOptions {
  lists: ModelLists;
  /** Nesting depth of this pickle (nested pickles inside byte arguments, joblib object arrays). */
  depth?: number;
  /** Apply joblib's rule: raw array bytes follow a NumpyArrayWrapper's BUILD. */
  joblib?: boolean;
  maxOpcodes?: number;
  maxMemo?: number;
  maxStack?: number;
  /** Bytes the sweep reads after an error. */
  maxSweepBytes?: number;
  /** Sweep the rest of the stream after an error (default true; a trial parse only wants the verdict). */
  sweep?: boolean;
}

const MAX_DEPTH = 4;
/** Memo indexes below this are kept in an array (holes included); larger ones in a Map. */
const DENSE_MEMO = 1 << 20;

class PickleError extends Error {
  constructor(message: string, public readonly offset: number) {
    super(message);
  }
}

/** Walks one pickle (up to and including its STOP) from the reader's current position. */
export async function walkPickle(r: ByteReader, opts: WalkOptions): Promise<PickleResult> {
  const w = new Walker(r, opts);
  return w.run();
}

class Walker {
  private stack: Value[] = [];
  private marks: number[] = [];
  /** The memo: an array for the dense indexes picklers write (a Map costs a hash insert per PUT), a Map past them. */
  private memo: (Value | undefined)[] = [];
  private memoFar: Map<number, Value> | undefined;
  private memoCount = 0;
  private protocol = 0;
  private frameEnd = -1;
  /** Offset of the FRAME opcode that set frameEnd. */
  private frameStart = 0;
  private straddled = false;
  private opStart = 0;
  /** Opcodes counted before opStart's opcode, restored when that opcode is run again after a refill. */
  private opcodesBefore = 0;
  private readonly res: PickleResult = { globals: [], issues: [], stopped: false, protocol: 0, opcodes: 0, calls: 0 };
  private readonly depth: number;
  private readonly maxStack: number;

  constructor(
    private readonly r: ByteReader,
    private readonly o: WalkOptions,
  ) {
    this.depth = o.depth ?? 0;
    this.maxStack = o.maxStack ?? 1_000_000;
  }

  async run(): Promise<PickleResult> {
    try {
      await this.loop();
    } catch (e) {
      if (e instanceof PickleError || e instanceof TruncatedError || e instanceof CapError) {
        const offset = e instanceof PickleError ? e.offset : e instanceof TruncatedError ? e.offset : this.opStart;
        this.issue("error", e instanceof DecodeError ? "bad-compression" : e instanceof CapError ? "cap" : "broken-stream", offset, e.message);
        if (!(e instanceof CapError) && this.o.sweep !== false) await this.sweep();
      } else throw e;
    }
    if (this.res.stopped && this.frameEnd > this.r.pos) await this.checkFrameTail();
    this.res.protocol = this.protocol;
    return this.res;
  }

  private issue(verdict: Issue["verdict"], code: string, offset: number, message: string) {
    if (this.res.issues.length < 200) this.res.issues.push({ verdict, code, offset, message });
  }

  private fail(message: string): never {
    throw new PickleError(message, this.opStart);
  }

  private push(v: Value) {
    if (this.stack.length >= this.maxStack) throw new CapError(`stack deeper than ${this.maxStack}`);
    this.stack.push(v);
  }

  private pop(): Value {
    const fence = this.marks.length ? this.marks[this.marks.length - 1]! : 0;
    if (this.stack.length <= fence) this.fail("stack underflow");
    return this.stack.pop()!;
  }

  private top(): Value {
    const fence = this.marks.length ? this.marks[this.marks.length - 1]! : 0;
    if (this.stack.length <= fence) this.fail("stack underflow");
    return this.stack[this.stack.length - 1]!;
  }

  private popMark(): Value[] {
    const m = this.marks.pop();
    if (m === undefined) this.fail("could not find MARK");
    return this.stack.splice(m);
  }

  private addGlobal(module: string, name: string, opcode: string): Value {
    const c = this.o.lists.classify(module, name, this.protocol);
    if (this.res.globals.length < 10_000) {
      this.res.globals.push({ module, name, resolved: c.resolved, offset: this.opStart, opcode, verdict: c.verdict, reason: c.reason, ...(this.depth > 0 ? { nested: true } : {}) });
    }
    return { t: "global", module, name, offset: this.opStart };
  }

  /** The call's value; a promise only when an argument holds a nested pickle to walk. */
  private call(callee: Value, args: Value, op: string): Value | Promise<Value> {
    this.res.calls++;
    const value: Value = { t: "call", callee, args, offset: this.opStart, op };
    if (callee.t !== "global") {
      this.issue("unsafe", "dynamic-call", this.opStart, `${op} calls ${describe(callee)}, not an imported global (a getattr-style dynamic call)`);
      return value;
    }
    // A trial walk (is this a pickle at all?) passes lists without argument rules.
    const bad = this.o.lists.callProblem?.(callee.module, callee.name, this.protocol, args);
    if (bad) this.issue("unsafe", "call-arguments", this.opStart, bad);
    const nested = this.nestedPickles(args);
    return nested ? nested.then(() => value) : value;
  }

  /** Byte or string arguments that hold a pickle (`pickle.loads(b"...")`) are walked too. */
  private nestedPickles(args: Value): Promise<void> | undefined {
    const items = args.t === "tuple" || args.t === "list" ? args.items : [args];
    const found: Buffer[] = [];
    for (const a of items) {
      const data = a.t === "bytes" ? a.v : a.t === "str" && !a.truncated && a.v.charCodeAt(0) === 0x80 ? Buffer.from(a.v, "latin1") : null;
      if (data && startsLikePickle(data)) found.push(data);
    }
    return found.length ? this.walkNested(found) : undefined;
  }

  private async walkNested(found: Buffer[]): Promise<void> {
    const at = this.opStart;
    for (const data of found) {
      if (this.depth + 1 > MAX_DEPTH) {
        this.issue("unsafe", "nesting", at, `pickle nested deeper than ${MAX_DEPTH} levels in a call argument`);
        continue;
      }
      const inner = await walkPickle(new BufferReader(data), { ...this.o, depth: this.depth + 1 });
      for (const g of inner.globals) this.res.globals.push({ ...g, offset: at, nested: true });
      for (const i of inner.issues) this.issue(i.verdict, i.code, at, `nested pickle in a call argument: ${i.message}`);
    }
  }

  private checkFrame() {
    if (this.frameEnd >= 0 && this.r.pos > this.frameEnd && !this.straddled) {
      this.straddled = true;
      this.issue("unsafe", "frame-straddle", this.opStart, `opcode at byte ${this.opStart} crosses the end of its FRAME (byte ${this.frameEnd}): loaders disagree on what runs`);
    }
  }

  // ---- Argument readers. They read the window synchronously (NeedMore when it runs short); only a
  // long argument that is skipped past the window gives a promise.

  private str(len: number, enc: BufferEncoding): Value | Promise<Value> {
    if (len > MAX_KEPT_STRING) return after(this.r.skipSync(len, "string"), { t: "str", v: "", truncated: true });
    return { t: "str", v: this.r.textSync(len, enc, "string") };
  }

  private bytes(len: number): Value | Promise<Value> {
    if (len > MAX_KEPT_BYTES) return after(this.r.skipSync(len, "bytes"), { t: "bytes", v: null, len });
    // Only a nested pickle is ever looked at again: copy that out of the window, skip the rest.
    const r = this.r;
    if (r.available < len) r.takeSync(len, "bytes"); // throws: NeedMore, or truncated at the end
    // startsLikePickle, read in place:
    const pickled = len >= 3 && r.byteAt(0) === 0x80 && r.byteAt(1) >= 2 && r.byteAt(1) <= 5;
    if (pickled) return { t: "bytes", v: Buffer.from(r.takeSync(len, "bytes")), len };
    r.skipSync(len);
    return { t: "bytes", v: null, len };
  }

  private u64(): number {
    const v = this.r.u64Sync();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`length ${v} out of range`);
    return Number(v);
  }

  private textLine(): string {
    return this.r.lineSync().toString("utf8");
  }

  private decimal(): number {
    const s = this.r.lineSync().toString("latin1").trim();
    if (!/^-?\d+$/.test(s)) this.fail(`bad decimal argument ${JSON.stringify(s.slice(0, 40))}`);
    return Number(s);
  }

  private memoPut(idx: number) {
    if (!Number.isSafeInteger(idx) || idx < 0) this.fail("negative PUT argument");
    const v = this.top();
    if (idx < DENSE_MEMO) {
      if (this.memo[idx] === undefined) {
        if (this.memoCount >= (this.o.maxMemo ?? 1_000_000)) throw new CapError("memo larger than the cap");
        this.memoCount++;
        // Filled in order by every pickler; a jump ahead leaves holes, which stay cheap up to DENSE_MEMO.
        while (this.memo.length < idx) this.memo.push(undefined);
      }
      this.memo[idx] = v;
      return;
    }
    const far = (this.memoFar ??= new Map());
    if (!far.has(idx)) {
      if (this.memoCount >= (this.o.maxMemo ?? 1_000_000)) throw new CapError("memo larger than the cap");
      this.memoCount++;
    }
    far.set(idx, v);
  }

  private memoGet(idx: number) {
    const v = idx < DENSE_MEMO ? this.memo[idx] : this.memoFar?.get(idx);
    if (!v) this.fail(`memo value not found at index ${idx}`);
    this.push(v);
  }

  /** Pushes a value that may still be pending; the step's result. */
  private pushed(v: Value | Promise<Value>): boolean | Promise<boolean> {
    if (v instanceof Promise) {
      return v.then((x) => {
        this.push(x);
        return false;
      });
    }
    this.push(v);
    return false;
  }

  private async loop(): Promise<void> {
    const r = this.r;
    for (;;) {
      let pending: Promise<boolean> | undefined;
      try {
        pending = this.runBuffered();
      } catch (e) {
        if (!(e instanceof NeedMore)) throw e;
        // The opcode at opStart runs past the window: forget its partial read, refill, run it again.
        r.rewind(this.opStart);
        this.res.opcodes = this.opcodesBefore;
        await r.ensure(e.upTo - r.pos);
        continue;
      }
      if (!pending) return; // STOP
      const done = await pending;
      this.checkFrame();
      if (done) return;
    }
  }

  /**
   * Runs opcodes synchronously while their bytes are in the window. Returns undefined at STOP, or
   * the promise of an opcode that must wait (a skip past the window, a nested pickle, a joblib
   * array); throws NeedMore when an opcode runs short (no walker state has changed by then).
   */
  private runBuffered(): Promise<boolean> | undefined {
    const r = this.r;
    const maxOps = this.o.maxOpcodes ?? 50_000_000;
    for (;;) {
      if (this.frameEnd >= 0 && r.pos >= this.frameEnd) this.frameEnd = -1;
      this.opStart = r.pos;
      this.opcodesBefore = this.res.opcodes;
      const op = r.u8Sync("pickle (no STOP)");
      if (++this.res.opcodes > maxOps) throw new CapError(`more than ${maxOps} opcodes`);
      const done = this.step(op);
      if (typeof done !== "boolean") return done;
      this.checkFrame();
      if (done) return undefined;
    }
  }

  /**
   * Executes one opcode's stack effect; true at STOP. Every case reads all of its arguments before
   * it changes any state, so an opcode cut short by NeedMore can simply be run again.
   */
  private step(op: number): boolean | Promise<boolean> {
    const r = this.r;
    switch (op) {
      case 0x80: { // PROTO
        const p = r.u8Sync();
        if (p > 5) this.fail(`unsupported pickle protocol ${p}`);
        if (this.res.opcodes > 1) this.issue("suspicious", "proto-not-first", this.opStart, `PROTO ${p} is not the first opcode of its pickle`);
        this.protocol = p;
        return false;
      }
      case 0x95: { // FRAME
        const len = this.u64();
        if (this.frameEnd >= 0 && this.opStart < this.frameEnd) {
          this.issue("unsafe", "frame-reopened", this.opStart, `FRAME at byte ${this.opStart} opens before the previous frame ends (byte ${this.frameEnd})`);
        }
        this.frameEnd = r.pos + len;
        this.frameStart = this.opStart;
        const end = r.knownEnd();
        if (end !== undefined && this.frameEnd > end) this.truncatedFrame(end);
        return false;
      }
      case 0x2e: { // STOP
        this.pop();
        if (this.stack.length || this.marks.length) this.issue("suspicious", "leftover-stack", this.opStart, `STOP leaves ${this.stack.length} value(s) and ${this.marks.length} mark(s) on the stack`);
        this.res.stopped = true;
        return true;
      }
      case 0x28: // MARK
        this.marks.push(this.stack.length);
        return false;
      case 0x30: // POP
        if (this.stack.length > (this.marks[this.marks.length - 1] ?? 0)) this.stack.pop();
        else this.popMark(); // CPython pops the mark when the stack above it is empty
        return false;
      case 0x31: // POP_MARK
        this.popMark();
        return false;
      case 0x32: // DUP
        this.push(this.top());
        return false;
      // ---- constants
      case 0x4e: this.push(NONE); return false; // NONE
      case 0x88: this.push({ t: "bool", v: true }); return false; // NEWTRUE
      case 0x89: this.push({ t: "bool", v: false }); return false; // NEWFALSE
      case 0x49: { // INT
        const s = r.lineSync().toString("latin1").trim();
        if (s === "00" || s === "01") this.push({ t: "bool", v: s === "01" });
        else if (/^[-+]?\d+$/.test(s)) this.push({ t: "int", v: BigInt(s) });
        else this.fail("bad INT argument");
        return false;
      }
      case 0x4a: this.push({ t: "int", v: BigInt(r.i32Sync()) }); return false; // BININT
      case 0x4b: this.push({ t: "int", v: BigInt(r.u8Sync()) }); return false; // BININT1
      case 0x4d: this.push({ t: "int", v: BigInt(r.u16Sync()) }); return false; // BININT2
      case 0x4c: { // LONG
        const s = r.lineSync().toString("latin1").trim().replace(/L$/, "");
        if (!/^[-+]?\d+$/.test(s)) this.fail("bad LONG argument");
        this.push({ t: "int", v: BigInt(s) });
        return false;
      }
      case 0x8a: { // LONG1
        const n = r.u8Sync();
        this.push({ t: "int", v: leInt(r.takeSync(n)) });
        return false;
      }
      case 0x8b: { // LONG4
        const n = r.i32Sync();
        if (n < 0) this.fail("LONG4 negative length");
        if (n > 4096) return this.pushed(after(r.skipSync(n), { t: "int", v: 0n }));
        this.push({ t: "int", v: leInt(r.takeSync(n)) });
        return false;
      }
      case 0x46: r.lineSync(); this.push({ t: "float" }); return false; // FLOAT
      case 0x47: return this.pushed(after(r.skipSync(8), { t: "float" })); // BINFLOAT
      case 0x53: { // STRING (protocol 0 quoted repr)
        const s = r.lineSync(1 << 20).toString("latin1").trim();
        const q = s[0];
        if (s.length < 2 || (q !== "'" && q !== '"') || s[s.length - 1] !== q) this.fail("the STRING opcode argument must be quoted");
        this.push({ t: "str", v: unescapePy(s.slice(1, -1)) });
        return false;
      }
      case 0x54: { // BINSTRING
        const n = r.i32Sync();
        if (n < 0) this.fail("BINSTRING pickle has negative byte count");
        return this.pushed(this.str(n, "latin1"));
      }
      case 0x55: return this.pushed(this.str(r.u8Sync(), "latin1")); // SHORT_BINSTRING
      case 0x42: return this.pushed(this.bytes(r.u32Sync())); // BINBYTES
      case 0x43: return this.pushed(this.bytes(r.u8Sync())); // SHORT_BINBYTES
      case 0x8e: return this.pushed(this.bytes(this.u64())); // BINBYTES8
      case 0x96: return this.pushed(this.bytes(this.u64())); // BYTEARRAY8
      case 0x97: this.push({ t: "buffer" }); return false; // NEXT_BUFFER
      case 0x98: this.top(); return false; // READONLY_BUFFER
      case 0x56: { // UNICODE (raw-unicode-escape line)
        const s = r.lineSync(1 << 20).toString("latin1");
        this.push({ t: "str", v: s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_m, a: string | undefined, b: string | undefined) => String.fromCodePoint(parseInt(a ?? b ?? "0", 16))) });
        return false;
      }
      case 0x8c: return this.pushed(this.str(r.u8Sync(), "utf8")); // SHORT_BINUNICODE
      case 0x58: return this.pushed(this.str(r.u32Sync(), "utf8")); // BINUNICODE
      case 0x8d: return this.pushed(this.str(this.u64(), "utf8")); // BINUNICODE8
      // ---- containers
      case 0x5d: this.push({ t: "list", items: [], len: 0 }); return false; // EMPTY_LIST
      case 0x29: this.push(tupleOf([])); return false; // EMPTY_TUPLE
      case 0x7d: this.push({ t: "dict", entries: new Map() }); return false; // EMPTY_DICT
      case 0x8f: this.push({ t: "set" }); return false; // EMPTY_SET
      case 0x6c: { const items = this.popMark(); this.push({ t: "list", items: items.slice(0, MAX_KEPT_ITEMS), len: items.length }); return false; } // LIST
      case 0x74: this.push(tupleOf(this.popMark())); return false; // TUPLE
      case 0x85: { const a = this.pop(); this.push(tupleOf([a])); return false; } // TUPLE1
      case 0x86: { const b = this.pop(); const a = this.pop(); this.push(tupleOf([a, b])); return false; } // TUPLE2
      case 0x87: { const c = this.pop(); const b = this.pop(); const a = this.pop(); this.push(tupleOf([a, b, c])); return false; } // TUPLE3
      case 0x64: { // DICT
        const items = this.popMark();
        const d: Value = { t: "dict", entries: new Map() };
        for (let i = 0; i + 1 < items.length; i += 2) setEntry(d, items[i]!, items[i + 1]!);
        this.push(d);
        return false;
      }
      case 0x91: this.popMark(); this.push({ t: "set" }); return false; // FROZENSET
      case 0x61: { // APPEND
        const v = this.pop();
        const target = this.top();
        this.containerOp(target, "APPEND");
        if (target.t === "list") { if (target.items.length < MAX_KEPT_ITEMS) target.items.push(v); target.len++; }
        return false;
      }
      case 0x65: { // APPENDS
        const items = this.popMark();
        const target = this.top();
        this.containerOp(target, "APPENDS");
        if (target.t === "list") { for (const v of items) if (target.items.length < MAX_KEPT_ITEMS) target.items.push(v); target.len += items.length; }
        return false;
      }
      case 0x73: { // SETITEM
        const v = this.pop();
        const k = this.pop();
        const target = this.top();
        this.containerOp(target, "SETITEM");
        setEntry(target, k, v);
        return false;
      }
      case 0x75: { // SETITEMS
        const items = this.popMark();
        const target = this.top();
        this.containerOp(target, "SETITEMS");
        for (let i = 0; i + 1 < items.length; i += 2) setEntry(target, items[i]!, items[i + 1]!);
        return false;
      }
      case 0x90: { this.popMark(); this.containerOp(this.top(), "ADDITEMS"); return false; } // ADDITEMS
      // ---- memo
      case 0x67: this.memoGet(this.decimal()); return false; // GET
      case 0x68: this.memoGet(r.u8Sync()); return false; // BINGET
      case 0x6a: this.memoGet(r.u32Sync()); return false; // LONG_BINGET
      case 0x70: this.memoPut(this.decimal()); return false; // PUT
      case 0x71: this.memoPut(r.u8Sync()); return false; // BINPUT
      case 0x72: this.memoPut(r.u32Sync()); return false; // LONG_BINPUT
      case 0x94: this.memoPut(this.memoCount); return false; // MEMOIZE
      // ---- imports and calls
      case 0x63: { // GLOBAL
        const module = this.textLine();
        const name = this.textLine();
        this.push(this.addGlobal(module, name, "GLOBAL"));
        return false;
      }
      case 0x93: { // STACK_GLOBAL
        const name = this.pop();
        const module = this.pop();
        if (module.t === "str" && name.t === "str" && !module.truncated && !name.truncated) {
          this.push(this.addGlobal(module.v, name.v, "STACK_GLOBAL"));
        } else if (module.t === "call" || name.t === "call" || module.t === "global" || name.t === "global") {
          this.issue("unsafe", "dynamic-import", this.opStart, `STACK_GLOBAL imports a name computed at load time (${describe(module)}, ${describe(name)})`);
          this.push({ t: "global", module: "?", name: "?", offset: this.opStart });
        } else {
          this.fail(`STACK_GLOBAL requires str operands, got ${module.t} and ${name.t}`);
        }
        return false;
      }
      case 0x69: { // INST
        const module = this.textLine();
        const name = this.textLine();
        const g = this.addGlobal(module, name, "INST");
        const args = this.popMark();
        return this.pushed(this.call(g, tupleOf(args), "INST"));
      }
      case 0x6f: { // OBJ
        const items = this.popMark();
        if (!items.length) this.fail("OBJ without a class");
        return this.pushed(this.call(items[0]!, tupleOf(items.slice(1)), "OBJ"));
      }
      case 0x52: { // REDUCE
        const args = this.pop();
        const callee = this.pop();
        return this.pushed(this.call(callee, args, "REDUCE"));
      }
      case 0x81: { // NEWOBJ
        const args = this.pop();
        const cls = this.pop();
        return this.pushed(this.call(cls, args, "NEWOBJ"));
      }
      case 0x92: { // NEWOBJ_EX
        this.pop(); // kwargs
        const args = this.pop();
        const cls = this.pop();
        return this.pushed(this.call(cls, args, "NEWOBJ_EX"));
      }
      case 0x62: { // BUILD
        const state = this.pop();
        const obj = this.top();
        this.res.calls++;
        if (obj.t === "global") {
          this.issue("unsafe", "build-on-global", this.opStart, `BUILD sets attributes on the imported object ${describe(obj)} itself`);
        } else if (obj.t === "call") {
          obj.state = state;
          const g = calleeGlobal(obj);
          if (this.o.joblib !== false && g?.module === "joblib.numpy_pickle" && g.name === "NumpyArrayWrapper") return this.joblibArray(obj).then(() => false);
        }
        return false;
      }
      case 0x50: { // PERSID
        const pid = r.lineSync().toString("latin1");
        this.issue("suspicious", "persistent-id", this.opStart, `PERSID ${JSON.stringify(pid.slice(0, 40))}: a persistent id only torch's loader resolves`);
        this.push({ t: "persistent", pid: { t: "str", v: pid } });
        return false;
      }
      case 0x51: { // BINPERSID
        const pid = this.pop();
        const kind = pid.t === "tuple" ? pid.items[0] : undefined;
        if (!(kind?.t === "str" && kind.v === "storage")) this.issue("suspicious", "persistent-id", this.opStart, `BINPERSID with a persistent id that is not torch's ('storage', ...) shape`);
        this.push({ t: "persistent", pid });
        return false;
      }
      case 0x82: case 0x83: case 0x84: { // EXT1 / EXT2 / EXT4
        const code = op === 0x82 ? r.u8Sync() : op === 0x83 ? r.u16Sync() : r.i32Sync();
        this.issue("suspicious", "extension-registry", this.opStart, `EXT opcode loads entry ${code} of copyreg's extension registry (the loader decides what it imports)`);
        this.push({ t: "ext", code });
        return false;
      }
      default:
        this.fail(`invalid opcode 0x${op.toString(16).padStart(2, "0")}`);
    }
  }

  /** CPython reads a whole frame before running any of it: a frame longer than the data is refused. */
  private truncatedFrame(end: number) {
    this.issue("error", "truncated-frame", this.frameStart, `FRAME at byte ${this.frameStart} claims ${this.frameEnd - this.frameStart - 9} bytes but the data ends at byte ${end}: the file is truncated and loaders refuse it`);
    this.frameEnd = -1;
  }

  /** After STOP inside a frame: does the data reach the frame's end? (a stream's end is known only once read) */
  private async checkFrameTail() {
    if (this.r.knownEnd() === undefined && this.frameEnd - this.r.pos <= 1 << 20) await this.r.peek(this.frameEnd - this.r.pos);
    const end = this.r.knownEnd();
    if (end !== undefined && this.frameEnd > end) this.truncatedFrame(end);
  }

  /** APPEND/SETITEM/ADDITEMS on something that is not a plain container call its methods. */
  private containerOp(target: Value, op: string) {
    if (target.t === "global") this.issue("unsafe", "container-op-on-global", this.opStart, `${op} on the imported object ${describe(target)} calls its methods`);
  }

  /** joblib writes a NumpyArrayWrapper's array bytes right after its BUILD: skip or walk them as joblib reads them. */
  private async joblibArray(wrapper: Extract<Value, { t: "call" }>) {
    const plan = joblibArrayPayload(wrapper.state);
    if (plan.kind === "unknown") {
      this.fail(`joblib array wrapper with an unreadable header (${plan.reason})`);
    }
    if (this.frameEnd >= 0 && this.r.pos === this.frameEnd) this.frameEnd = -1;
    if (this.frameEnd >= 0) this.issue("unsafe", "frame-straddle", this.opStart, "joblib array data inside a FRAME");
    if (plan.alignment && plan.kind === "raw") {
      const pad = await this.r.u8();
      await this.r.skip(pad, "joblib padding");
    }
    if (plan.kind === "object") {
      if (this.depth + 1 > MAX_DEPTH) this.fail("joblib object arrays nested too deep");
      const at = this.r.pos;
      const inner = await walkPickle(this.r, { ...this.o, depth: this.depth + 1 });
      for (const g of inner.globals) this.res.globals.push({ ...g, nested: true });
      for (const i of inner.issues) this.issue(i.verdict, i.code, i.offset, `joblib object array at byte ${at}: ${i.message}`);
      if (!inner.stopped) this.fail("joblib object array pickle did not end");
    } else {
      await this.r.skip(plan.bytes, "joblib array data");
    }
  }

  /** Linear decode after an error: collects imports with their string neighbours, no stack semantics. */
  private async sweep(): Promise<void> {
    const r = this.r;
    const cap = r.pos + (this.o.maxSweepBytes ?? 64 << 20);
    const recent: string[] = [];
    try {
      for (;;) {
        let pending: Promise<void> | undefined;
        try {
          pending = this.sweepBuffered(cap, recent);
        } catch (e) {
          if (!(e instanceof NeedMore)) throw e;
          r.rewind(this.opStart); // as in loop(): refill, then read that opcode again
          await r.ensure(e.upTo - r.pos);
          continue;
        }
        if (!pending) return;
        await pending;
      }
    } catch {
      // the sweep is best effort: the error is already recorded (the end of the data ends it too)
    }
  }

  /** The sweep over the window, synchronously: undefined at the cap, or a skip past the window to await. */
  private sweepBuffered(cap: number, recent: string[]): Promise<void> | undefined {
    const r = this.r;
    while (r.pos < cap) {
      this.opStart = r.pos;
      const op = r.u8Sync();
      const arg = sweepArg(r, op);
      if (arg instanceof Promise) return arg; // a long skip: such opcodes record nothing
      if (arg === undefined) continue; // not an opcode: resynchronise on the next byte
      if (typeof arg === "string") {
        recent.push(arg);
        if (recent.length > 2) recent.shift();
      }
      if (op === 0x63 || op === 0x69) {
        const [m, n] = arg as [string, string];
        this.sweptGlobal(m, n, op === 0x63 ? "GLOBAL" : "INST");
      } else if (op === 0x93 && recent.length === 2) {
        this.sweptGlobal(recent[0]!, recent[1]!, "STACK_GLOBAL");
      } else if (op === 0x80) {
        this.protocol = Math.min(5, (arg as number) ?? this.protocol);
      }
    }
    return undefined;
  }

  private sweptGlobal(module: string, name: string, opcode: string) {
    if (!/^[\w.]+$/.test(module) || !/^[\w.]+$/.test(name)) return;
    const c = this.o.lists.classify(module, name, this.protocol);
    if (c.verdict === "safe") return;
    this.res.globals.push({ module, name, resolved: c.resolved, offset: this.opStart, opcode, verdict: c.verdict, reason: `${c.reason} (found after the stream broke)`, swept: true });
  }
}

/** A value is not settled until a long skip past the window or a nested walk is done. */
function after(pending: Promise<void> | undefined, v: Value): Value | Promise<Value> {
  return pending ? pending.then(() => v) : v;
}

/** What nestedPickles walks: protocol 2-5 pickle bytes. */
function startsLikePickle(data: Buffer): boolean {
  return data.length >= 3 && data[0] === 0x80 && data[1]! >= 2 && data[1]! <= 5;
}

function setEntry(target: Value, k: Value, v: Value) {
  if (target.t === "dict" && k.t === "str" && target.entries.size < MAX_KEPT_ITEMS) target.entries.set(k.v, v);
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
function unescapePy(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (_m, e: string) => {
    if (e[0] === "x") return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return ({ n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"' } as Record<string, string>)[e] ?? e;
  });
}

/**
 * Reads an opcode's argument for the sweep, from the window: strings as strings, lines of
 * GLOBAL/INST as a pair, null for the rest, undefined for a byte that is no opcode, and a promise
 * for a skip past the window.
 */
function sweepArg(r: ByteReader, op: number): unknown {
  switch (op) {
    case 0x63: case 0x69: return [r.lineSync(256).toString("utf8"), r.lineSync(256).toString("utf8")];
    case 0x8c: case 0x55: return small(r, r.u8Sync());
    case 0x58: case 0x54: return small(r, r.u32Sync());
    case 0x8d: return small(r, Number(r.u64Sync()));
    case 0x53: case 0x56: { const s = r.lineSync(1 << 16).toString("latin1").trim(); return op === 0x53 ? unescapePy(s.slice(1, -1)) : s; }
    case 0x43: return skip(r, r.u8Sync());
    case 0x42: return skip(r, r.u32Sync());
    case 0x8e: case 0x96: return skip(r, Number(r.u64Sync()));
    case 0x80: return r.u8Sync();
    case 0x95: case 0x47: return skip(r, 8);
    case 0x4a: case 0x6a: case 0x72: case 0x84: return skip(r, 4);
    case 0x4b: case 0x68: case 0x71: case 0x82: return r.u8Sync();
    case 0x4d: case 0x83: return skip(r, 2);
    case 0x8a: return skip(r, r.u8Sync());
    case 0x8b: return skip(r, r.u32Sync());
    case 0x49: case 0x4c: case 0x46: case 0x67: case 0x70: case 0x50: r.lineSync(256); return null;
    default:
      return NO_ARG_OPCODES.has(op) ? null : undefined;
  }
}

// (Module-level rather than closures in sweepArg: it runs once per byte of a broken stream.)
function small(r: ByteReader, n: number): unknown {
  return n <= MAX_KEPT_STRING ? r.textSync(n, "utf8") : (r.skipSync(n) ?? null);
}

function skip(r: ByteReader, n: number): unknown {
  return r.skipSync(n) ?? null;
}
