// The pickle opcode walker: reads a pickle the way CPython's _pickle.c would, without executing it.
// It keeps a typed stack, the marks and the memo (PUT stores the top of the stack, so a value put
// through DUP is tracked), resolves STACK_GLOBAL operands wherever they came from, records every
// import (GLOBAL, STACK_GLOBAL, INST) and every call (REDUCE, BUILD, INST, OBJ, NEWOBJ, NEWOBJ_EX),
// honours FRAME boundaries, and skips long arguments by length. After an error it sweeps the rest
// linearly so a payload placed before a deliberate break still surfaces. What each opcode does is
// in steps.ts; here are the walk's state, the loop that runs those handlers and the sweep.
import { BufferReader, ByteReader, CapError, DecodeError, NeedMore, TruncatedError } from "../reader.js";
import type { Classification, GlobalVerdict, ModelLists } from "../lists.js";
import { describe, MAX_KEPT_STRING, type Value } from "./values.js";
import { joblibArrayPayload } from "./joblib-array.js";
import { OPCODES, type OpcodeArgument, type OpcodeName } from "./opcodes.js";
import { STEPS, unescapePy } from "./steps.js";

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
  constructor(
    message: string,
    public readonly offset: number,
  ) {
    // Without a stack: the walk catches it and reports the offset. A source file that starts like a
    // protocol 0 pickle ("import …" is INST) fails on its first opcode, and capturing a stack was most
    // of what sniffing it cost.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}

/** Walks one pickle (up to and including its STOP) from the reader's current position. */
export async function walkPickle(r: ByteReader, opts: WalkOptions): Promise<PickleResult> {
  const w = new Walker(r, opts);
  return w.run();
}

/** A walk's state. Members without `private` are what the opcode handlers (steps.ts) read and change. */
export class Walker {
  stack: Value[] = [];
  marks: number[] = [];
  /** The memo: an array for the dense indexes picklers write (a Map costs a hash insert per PUT), a Map past them. */
  private memo: (Value | undefined)[] = [];
  private memoFar: Map<number, Value> | undefined;
  memoCount = 0;
  protocol = 0;
  frameEnd = -1;
  /** Offset of the FRAME opcode that set frameEnd. */
  frameStart = 0;
  private straddled = false;
  opStart = 0;
  /** Opcodes counted before opStart's opcode, restored when that opcode is run again after a refill. */
  private opcodesBefore = 0;
  readonly res: PickleResult = { globals: [], issues: [], stopped: false, protocol: 0, opcodes: 0, calls: 0 };
  private readonly depth: number;
  private readonly maxStack: number;

  constructor(
    private readonly r: ByteReader,
    readonly o: WalkOptions,
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

  issue(verdict: Issue["verdict"], code: string, offset: number, message: string) {
    if (this.res.issues.length < 200) this.res.issues.push({ verdict, code, offset, message });
  }

  fail(message: string): never {
    throw new PickleError(message, this.opStart);
  }

  push(v: Value) {
    if (this.stack.length >= this.maxStack) throw new CapError(`stack deeper than ${this.maxStack}`);
    this.stack.push(v);
  }

  pop(): Value {
    const fence = this.marks.length ? this.marks[this.marks.length - 1]! : 0;
    if (this.stack.length <= fence) this.fail("stack underflow");
    return this.stack.pop()!;
  }

  top(): Value {
    const fence = this.marks.length ? this.marks[this.marks.length - 1]! : 0;
    if (this.stack.length <= fence) this.fail("stack underflow");
    return this.stack[this.stack.length - 1]!;
  }

  popMark(): Value[] {
    const m = this.marks.pop();
    if (m === undefined) this.fail("could not find MARK");
    return this.stack.splice(m);
  }

  addGlobal(module: string, name: string, opcode: string): Value {
    const c = this.o.lists.classify(module, name, this.protocol);
    if (this.res.globals.length < 10_000)
      this.res.globals.push({ ...this.globalEntry(module, name, opcode, c, c.reason), ...(this.depth > 0 ? { nested: true } : {}) });
    return { t: "global", module, name, offset: this.opStart };
  }

  /** A global as the result lists it, at the opcode being walked. */
  private globalEntry(module: string, name: string, opcode: string, c: Classification, reason: string) {
    return { module, name, resolved: c.resolved, offset: this.opStart, opcode, verdict: c.verdict, reason };
  }

  /** The call's value; a promise only when an argument holds a nested pickle to walk. */
  call(callee: Value, args: Value, op: string): Value | Promise<Value> {
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
      this.issue(
        "unsafe",
        "frame-straddle",
        this.opStart,
        `opcode at byte ${this.opStart} crosses the end of its FRAME (byte ${this.frameEnd}): loaders disagree on what runs`,
      );
    }
  }

  memoPut(idx: number) {
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

  memoGet(idx: number) {
    const v = idx < DENSE_MEMO ? this.memo[idx] : this.memoFar?.get(idx);
    if (!v) this.fail(`memo value not found at index ${idx}`);
    this.push(v);
  }

  /** Pushes a value that may still be pending; the step's result. */
  pushed(v: Value | Promise<Value>): boolean | Promise<boolean> {
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
      const done = STEPS[op]!(this, r, op);
      if (typeof done !== "boolean") return done;
      this.checkFrame();
      if (done) return undefined;
    }
  }

  /** CPython reads a whole frame before running any of it: a frame longer than the data is refused. */
  truncatedFrame(end: number) {
    this.issue(
      "error",
      "truncated-frame",
      this.frameStart,
      `FRAME at byte ${this.frameStart} claims ${this.frameEnd - this.frameStart - 9} bytes but the data ends at byte ${end}: the file is truncated and loaders refuse it`,
    );
    this.frameEnd = -1;
  }

  /** After STOP inside a frame: does the data reach the frame's end? (a stream's end is known only once read) */
  private async checkFrameTail() {
    if (this.r.knownEnd() === undefined && this.frameEnd - this.r.pos <= 1 << 20) await this.r.peek(this.frameEnd - this.r.pos);
    const end = this.r.knownEnd();
    if (end !== undefined && this.frameEnd > end) this.truncatedFrame(end);
  }

  /** joblib writes a NumpyArrayWrapper's array bytes right after its BUILD: skip or walk them as joblib reads them. */
  async joblibArray(wrapper: Extract<Value, { t: "call" }>) {
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
      const read = SWEEP_READS[op];
      if (!read) continue; // not an opcode: resynchronise on the next byte
      const arg = read(r);
      if (arg instanceof Promise) return arg; // a long skip: such opcodes record nothing
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
    this.res.globals.push({ ...this.globalEntry(module, name, opcode, c, `${c.reason} (found after the stream broke)`), swept: true });
  }
}

/** What nestedPickles walks: protocol 2-5 pickle bytes. */
function startsLikePickle(data: Buffer): boolean {
  return data.length >= 3 && data[0] === 0x80 && data[1]! >= 2 && data[1]! <= 5;
}

/** How the sweep reads one opcode's argument, from the window. */
type SweepRead = (r: ByteReader) => unknown;

/** Opcodes whose argument is text the sweep keeps: the operands a STACK_GLOBAL may take. */
const TEXT_ARGUMENT: ReadonlySet<OpcodeName> = new Set(["STRING", "UNICODE", "SHORT_BINSTRING", "BINSTRING", "SHORT_BINUNICODE", "BINUNICODE", "BINUNICODE8"]);

/**
 * The sweep's reader of an opcode's argument, by its shape in opcodes.ts: text as a string, the
 * lines of GLOBAL/INST as a pair, a one-byte argument as its value (PROTO's protocol), null for
 * the rest, and a promise for a skip past the window.
 */
function sweepRead(name: OpcodeName, argument: OpcodeArgument): SweepRead {
  const text = TEXT_ARGUMENT.has(name);
  switch (argument) {
    case "none":
      return () => null;
    case "line":
      if (!text) {
        return (r) => {
          r.lineSync(256);
          return null;
        };
      }
      return name === "STRING"
        ? (r) =>
            unescapePy(
              r
                .lineSync(1 << 16)
                .toString("latin1")
                .trim()
                .slice(1, -1),
            )
        : (r) =>
            r
              .lineSync(1 << 16)
              .toString("latin1")
              .trim();
    case "two-lines":
      return (r) => [r.lineSync(256).toString("utf8"), r.lineSync(256).toString("utf8")];
    case "u8":
      return (r) => r.u8Sync();
    case "u16":
      return (r) => skip(r, 2);
    case "u32":
      return (r) => skip(r, 4);
    case "u64":
      return (r) => skip(r, 8);
    case "u8-length":
      return text ? (r) => small(r, r.u8Sync()) : (r) => skip(r, r.u8Sync());
    case "u32-length":
      return text ? (r) => small(r, r.u32Sync()) : (r) => skip(r, r.u32Sync());
    case "u64-length":
      return text ? (r) => small(r, Number(r.u64Sync())) : (r) => skip(r, Number(r.u64Sync()));
  }
}

/** The sweep's reader of every byte value; undefined for a byte that is no opcode. */
const SWEEP_READS: readonly (SweepRead | undefined)[] = (() => {
  const reads = new Array<SweepRead | undefined>(256).fill(undefined);
  for (const [name, code, argument] of OPCODES) reads[code] = sweepRead(name, argument);
  return reads;
})();

function small(r: ByteReader, n: number): unknown {
  return n <= MAX_KEPT_STRING ? r.textSync(n, "utf8") : (r.skipSync(n) ?? null);
}

function skip(r: ByteReader, n: number): unknown {
  return r.skipSync(n) ?? null;
}
