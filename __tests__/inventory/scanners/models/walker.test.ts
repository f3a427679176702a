// The pickle walker, the lists and the scanner's bounds on streams assembled byte by byte here.
// Nothing is unpickled: the walker only reads bytes.
import { mkdtempSync, openSync, closeSync, readdirSync, readFileSync, statSync, writeSync, ftruncateSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { walkPickle } from "../../../../src/inventory/scanners/models/pickle/walker.js";
import { BufferReader, FileRangeReader, StreamReader } from "../../../../src/inventory/scanners/models/reader.js";
import { ModelLists } from "../../../../src/inventory/scanners/models/lists.js";
import { modelsScanner } from "../../../../src/inventory/scanners/models/index.js";

const lists = new ModelLists();
const u = (s: string) => Buffer.concat([Buffer.from([0x8c, Buffer.byteLength(s)]), Buffer.from(s)]);
const b = (...parts: (Buffer | number[] | string)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.isBuffer(p) ? p : Buffer.from(p))));
const walk = (data: Buffer, l = lists) => walkPickle(new BufferReader(data), { lists: l });

describe("pickle walker", () => {
  test("STACK_GLOBAL resolves operands through the memo, not from the previous opcode", async () => {
    const r = await walk(b([0x80, 4], u("os"), [0x71, 0, 0x30], u("system"), [0x71, 1, 0x30, 0x68, 0, 0x68, 1, 0x93], u("id"), [0x85, 0x52, 0x2e]));
    expect(r.globals.map((g) => [g.resolved, g.verdict, g.offset, g.opcode])).toEqual([["os.system", "unsafe", 24, "STACK_GLOBAL"]]);
    expect(r.stopped).toBe(true);
  });

  test("a missing memo key is an error, and the sweep still finds a later import", async () => {
    const r = await walk(b([0x80, 2, 0x68, 9], "cos\nsystem\n", [0x2e]));
    expect(r.issues[0]).toMatchObject({ verdict: "error", code: "broken-stream", offset: 2 });
    expect(r.globals.map((g) => [g.resolved, g.verdict, g.swept])).toEqual([["os.system", "unsafe", true]]);
  });

  test("protocol 2 compat names are mapped before the lists are applied", async () => {
    const r = await walk(b([0x80, 2], "c__builtin__\nset\n", [0x29, 0x52, 0x2e]));
    expect(r.globals.map((g) => [g.resolved, g.verdict])).toEqual([["builtins.set", "safe"]]);
  });

  test("a call on something that is not an imported global is a dynamic call", async () => {
    const getattr = b(u("collections"), u("OrderedDict"), [0x93, 0x29, 0x52]);
    const r = await walk(b([0x80, 4], getattr, [0x29, 0x52, 0x2e]));
    expect(r.issues.map((i) => [i.code, i.verdict])).toEqual([["dynamic-call", "unsafe"]]);
  });

  test("STACK_GLOBAL with byte operands is refused as CPython refuses it", async () => {
    const r = await walk(b([0x80, 4, 0x43, 2], "os", [0x43, 6], "system", [0x93, 0x2e]));
    expect(r.issues[0]).toMatchObject({ verdict: "error" });
    expect(r.issues[0]!.message).toMatch(/requires str/);
  });

  test("long BINBYTES8 arguments are skipped by length, not buffered", async () => {
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(5_000_000n);
    const r = await walk(b([0x80, 4, 0x8e], len, Buffer.alloc(5_000_000), [0x2e]));
    expect(r).toMatchObject({ stopped: true, issues: [] });
  });

  test("joblib array bytes after a NumpyArrayWrapper's BUILD are skipped by joblib's rule", async () => {
    // wrapper = NumpyArrayWrapper(); dtype = numpy.dtype('f8', False, True); BUILD {shape: (2,), dtype, order: 'C', numpy_array_alignment_bytes: 16}
    const dtype = b(u("numpy"), u("dtype"), [0x93], u("f8"), [0x89, 0x88, 0x87, 0x52]);
    const state = b([0x7d, 0x28], u("shape"), [0x4b, 2, 0x85], u("dtype"), dtype, u("order"), u("C"), u("numpy_array_alignment_bytes"), [0x4b, 16, 0x75]);
    const wrapper = b(u("joblib.numpy_pickle"), u("NumpyArrayWrapper"), [0x93, 0x29, 0x81], state, [0x62]);
    // padding length 3, padding, 16 bytes of float data (that would be invalid opcodes), then STOP
    const r = await walk(b([0x80, 4], wrapper, [3, 0xff, 0xff, 0xff], Buffer.alloc(16, 0xfe), [0x2e]));
    expect(r.issues).toEqual([]);
    expect(r.stopped).toBe(true);
    expect(r.globals.every((g) => g.verdict === "safe")).toBe(true);
  });

  test("an organisation's allowlist entry makes its global safe", async () => {
    const data = b([0x80, 4], u("acme.models"), u("Scorer"), [0x93, 0x29, 0x52, 0x2e]);
    expect((await walk(data)).globals[0]!.verdict).toBe("suspicious");
    const org = new ModelLists({ extra: [{ module: "acme.models", name: "Scorer", reason: "our own class" }] });
    expect((await walk(data, org)).globals[0]).toMatchObject({ verdict: "safe", reason: "organisation allowlist: our own class" });
  });

  test("an opt-in tier makes scikit-learn estimators safe", async () => {
    const data = b([0x80, 4], u("sklearn.linear_model._logistic"), u("LogisticRegression"), [0x93, 0x29, 0x52, 0x2e]);
    expect((await walk(data)).globals[0]!.verdict).toBe("suspicious");
    expect((await walk(data, new ModelLists({ tiers: ["sklearn"] }))).globals[0]!.verdict).toBe("safe");
  });

  test("any window boundary gives the same walk as one buffer (the synchronous loop rewinds and refills)", async () => {
    const files: string[] = [];
    const find = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) find(join(d, e.name));
        else files.push(join(d, e.name));
      }
    };
    find(join(process.cwd(), "__tests__", "inventory", "scanners", "models", "fixtures"));
    const framed = b(
      [0x80, 4, 0x95, 20, 0, 0, 0, 0, 0, 0, 0],
      u("collections"),
      u("OrderedDict"),
      [0x93, 0x29, 0x52, 0x28],
      u("a"),
      [0x4a, 1, 2, 3, 4, 0x75, 0x2e],
    );
    const datas = [framed, ...files.map((f) => readFileSync(f)).filter((d) => d.length < 64 << 10)];
    // A skip that runs past the end reports where the buffered part ended, which depends on the
    // window (as it always has): compare truncation issues without their offsets.
    const norm = (r: unknown) => JSON.stringify(r).replace(/"offset":\d+,"message":"truncated: (\w+) at byte \d+/g, '"message":"truncated: $1');
    for (const data of datas) {
      const whole = norm(await walk(data));
      for (const n of [1, 2, 3, 7, 100]) {
        // Reads return at most n bytes: every opcode boundary falls at a window edge somewhere.
        const ra = { size: data.length, read: async (pos: number, len: number) => data.subarray(pos, pos + Math.min(len, n)) };
        expect([n, norm(await walkPickle(new FileRangeReader(ra, 0, data.length), { lists }))]).toEqual([n, whole]);
      }
    }
  });

  // Strings are decoded only when read (LazyStr), from windows the reader keeps for them up to a budget.
  describe("strings decoded when read", () => {
    // "os" and "system" memoised first, then `fillers` memoised 200-byte strings (popped), then a
    // STACK_GLOBAL through the memo and one from strings pushed after the filler.
    const late = (fillers: number) => {
      const filler = Buffer.concat(Array.from({ length: fillers }, (_, i) => b(u(`k${i}`.padEnd(200, ".")), [0x94, 0x30])));
      return b([0x80, 4], u("os"), [0x94], u("system"), [0x94, 0x30, 0x30], filler, [0x68, 0, 0x68, 1, 0x93, 0x30], u("subprocess"), u("Popen"), [0x93, 0x2e]);
    };
    const fileReads = (data: Buffer) => ({ size: data.length, read: async (pos: number, len: number) => Buffer.from(data.subarray(pos, pos + len)) });

    test("an operand memoised megabytes earlier still resolves, before and after the budget for kept windows is spent", async () => {
      for (const fillers of [10, 30_000]) {
        const data = late(fillers);
        const r = await walkPickle(new FileRangeReader(fileReads(data), 0, data.length), { lists });
        expect([fillers, r.stopped, r.globals.map((g) => g.resolved)]).toEqual([fillers, true, ["os.system", "subprocess.Popen"]]);
      }
    });

    test("a reader holds windows for later reads up to 4 MiB of them, then hands out nothing more", async () => {
      const data = Buffer.alloc(8 << 20, 0x61);
      const r = new FileRangeReader(fileReads(data), 0, data.length);
      const held: number[] = [];
      while (await r.ensure(1)) {
        held.push(r.holdSync(1));
        r.skipSync(r.available);
      }
      expect(held.filter((at) => at >= 0)).toHaveLength(64);
      expect(held.slice(64).every((at) => at === -1)).toBe(true);
    });

    test("a stream whose source writes over the bytes it handed out is decoded at once", async () => {
      // A decompressor that writes into two buffers in turn: a chunk is intact until the reader has
      // asked for the next one (as StreamReader needs), and rewritten by the one after.
      const data = late(10);
      const outs = [Buffer.alloc(7), Buffer.alloc(7)];
      async function* chunks() {
        for (let pos = 0, k = 0; pos < data.length; pos += 7, k++) {
          const out = outs[k % 2]!;
          out.fill(0);
          data.copy(out, 0, pos, pos + 7);
          yield out.subarray(0, Math.min(7, data.length - pos));
        }
      }
      const r = await walkPickle(new StreamReader(chunks(), 1 << 20), { lists });
      expect(r.globals.map((g) => g.resolved)).toEqual(["os.system", "subprocess.Popen"]);
    });
  });

  test("an allowlist entry never reaches a denylisted module through a dotted name", async () => {
    const r = await walk(b([0x80, 4], u("collections"), u("OrderedDict.os.system"), [0x93, 0x2e]));
    expect(r.globals[0]!.verdict).toBe("unsafe");
  });
});

describe("scanner bounds", () => {
  const dir = mkdtempSync(join(tmpdir(), "aigate-models-bounds-"));
  const sparse = (name: string, head: Buffer, size: number) => {
    const fd = openSync(join(dir, name), "w");
    writeSync(fd, head, 0, head.length, 0);
    ftruncateSync(fd, size);
    closeSync(fd);
  };
  test("a 4 GiB safetensors file and a pickle with a 2 GiB BINBYTES8 are read header-only", async () => {
    const header = '{"w":{"dtype":"F32","shape":[1073741824],"data_offsets":[0,4294967296]}}';
    const st = Buffer.alloc(8 + header.length);
    st.writeBigUInt64LE(BigInt(header.length));
    st.write(header, 8);
    sparse("big.safetensors", st, 8 + header.length + 4294967296);
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(2n ** 31n);
    const stop = 3 + 8 + 2 ** 31;
    sparse("big.pkl", b([0x80, 4, 0x8e], len), stop + 1);
    const fd = openSync(join(dir, "big.pkl"), "r+");
    writeSync(fd, Buffer.from([0x2e]), 0, 1, stop);
    closeSync(fd);
    const files = readdirSync(dir).map((p) => ({ path: p, size: statSync(join(dir, p)).size }));
    const res = await modelsScanner.scan({ root: dir, files, settings: { modelHashing: false }, readRange: async () => Buffer.alloc(0) });
    expect(res.models!.map((m) => [m.path, m.format, m.verdict])).toEqual([
      ["big.pkl", "pickle", "safe"],
      ["big.safetensors", "safetensors", "safe"],
    ]);
    expect((res.facts!["models"] as { bytesRead: number }).bytesRead).toBeLessThan(1 << 20);
  });

  test("sha256 is computed over the whole file when hashing is on", async () => {
    const path = join(process.cwd(), "__tests__", "inventory", "scanners", "models", "fixtures", "benign", "torch", "state-dict.pt");
    const res = await modelsScanner.scan({
      root: join(path, ".."),
      files: [{ path: "state-dict.pt", size: statSync(path).size }],
      settings: {},
      readRange: async () => Buffer.alloc(0),
    });
    expect(res.models![0]!.sha256).toBe(createHash("sha256").update(readFileSync(path)).digest("hex"));
  });
});

test("the test tree never loads a pickle (only the fixture generator writes them)", () => {
  const root = join(process.cwd(), "__tests__", "inventory", "scanners", "models");
  const loaders = /pickle\.loads?\(|torch\.load\(|joblib\.load\(|np\.load\(|numpy\.load\(/;
  const offenders = readdirSync(root)
    .filter((f) => f.endsWith(".ts"))
    .filter((f) => loaders.test(readFileSync(join(root, f), "utf8").replace(/const loaders = .*$/m, "")));
  expect(offenders).toEqual([]);
});
