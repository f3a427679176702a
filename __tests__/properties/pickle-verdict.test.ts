// Properties of the model scanner's verdict on pickles: what an attacker can add around a pickle
// (bytes after it, no-op opcodes before its content, a compression or an archive around it) never
// makes the verdict safer. Pickles are generated from a small grammar (imports from the allow,
// unknown and deny lists, calls, constants, memo traffic), scanned as a file named like a pickle.
import fc from "fast-check";
import { deflateRawSync } from "node:zlib";
import { ModelLists } from "../../src/inventory/scanners/models/lists.js";
import { bufferAccess } from "../../src/inventory/scanners/models/reader.js";
import { verdictOf, type Verdict } from "../../src/inventory/scanners/models/result.js";
import { accessBlob, scanBlob, type BlobContext } from "../../src/inventory/scanners/models/scan-blob.js";
import { compress, crc32, CODECS } from "../../fuzz/lib/encoders.js";

const lists = new ModelLists();
const ctx = (filePath: string): BlobContext => ({
  walk: { lists },
  limits: { maxDepth: 3, maxInflateBytes: 64 << 20, maxBufferedMember: 64 << 20, maxDecompressSeconds: 10 },
  filePath,
  depth: 0,
});

/** Safer is lower: safe < suspicious < error < unsafe (the scanner's own order); not scanned at all is lowest. */
const RANK: Record<Verdict | "not-scanned", number> = { "not-scanned": -1, safe: 0, suspicious: 1, error: 2, unsafe: 3 };

async function verdict(data: Buffer, filePath: string): Promise<Verdict | "not-scanned"> {
  const res = await scanBlob(accessBlob(bufferAccess(data)), ctx(filePath), { named: "pickle" });
  return res ? verdictOf(res) : "not-scanned";
}

// ---- a grammar of complete pickles ----

const latin1 = (s: string) => Buffer.from(s, "latin1");
const GLOBALS: [string, string][] = [
  ["collections", "OrderedDict"],
  ["builtins", "set"],
  ["torch._utils", "_rebuild_tensor_v2"],
  ["numpy.core.multiarray", "_reconstruct"],
  ["mypackage.models", "Net"],
  ["os", "system"],
  ["builtins", "eval"],
  ["subprocess", "Popen"],
  ["posix", "system"],
  ["runpy", "run_path"],
];

type Item =
  | { kind: "global"; g: [string, string]; stack: boolean; call: boolean }
  | { kind: "int"; n: number }
  | { kind: "str"; s: string }
  | { kind: "list" }
  | { kind: "memo" };

const item: fc.Arbitrary<Item> = fc.oneof(
  fc.record({ kind: fc.constant("global" as const), g: fc.constantFrom(...GLOBALS), stack: fc.boolean(), call: fc.boolean() }),
  fc.record({ kind: fc.constant("int" as const), n: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant("str" as const), s: fc.string({ maxLength: 12, unit: "grapheme-ascii" }).map((s) => s.replace(/['\\\n]/g, "")) }),
  fc.record({ kind: fc.constant("list" as const) }),
  fc.record({ kind: fc.constant("memo" as const) }),
);

/** One pickle: PROTO (protocol 2+), then a list built with MARK ... APPENDS, then STOP. */
function encode(protocol: number, items: Item[]): { bytes: Buffer; bodyAt: number } {
  const head = protocol >= 2 ? Buffer.from([0x80, protocol]) : Buffer.alloc(0);
  const parts: Buffer[] = [latin1("]("), Buffer.alloc(0)];
  let memo = 0;
  for (const it of items) {
    switch (it.kind) {
      case "global": {
        const [m, n] = it.g;
        if (it.stack && protocol >= 4) parts.push(Buffer.from([0x8c, m.length]), latin1(m), Buffer.from([0x8c, n.length]), latin1(n), Buffer.from([0x93]));
        else parts.push(latin1(`c${m}\n${n}\n`));
        if (it.call) parts.push(latin1(")R"));
        break;
      }
      case "int":
        parts.push(protocol >= 1 ? Buffer.from([0x4b, it.n]) : latin1(`I${it.n}\n`));
        break;
      case "str":
        parts.push(latin1(`S'${it.s}'\n`));
        break;
      case "list":
        parts.push(latin1("]"));
        break;
      case "memo":
        // An empty tuple, put in the memo and fetched back: the stack grows by one value.
        parts.push(latin1(`)p${memo}\n0g${memo}\n`));
        memo++;
        break;
    }
  }
  parts.push(latin1("e."));
  return { bytes: Buffer.concat([head, ...parts]), bodyAt: head.length };
}

const pickleArb = fc
  .record({ protocol: fc.integer({ min: 0, max: 5 }), items: fc.array(item, { minLength: 0, maxLength: 8 }) })
  .map(({ protocol, items }) => encode(protocol, items));

// ---- a minimal zip writer (stored or deflated members) ----

function zip(members: { name: string; data: Buffer; deflate: boolean }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const body = m.deflate ? deflateRawSync(m.data) : m.data;
    const name = Buffer.from(m.name);
    const crc = crc32(m.data);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(m.deflate ? 8 : 0, 8);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(body.length, 18);
    lh.writeUInt32LE(m.data.length, 22);
    lh.writeUInt16LE(name.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(m.deflate ? 8 : 0, 10);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(body.length, 20);
    ch.writeUInt32LE(m.data.length, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(offset, 42);
    locals.push(lh, name, body);
    centrals.push(ch, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const RUNS = { numRuns: 60 };

describe("a pickle's verdict never gets safer", () => {
  test("the grammar covers every verdict", async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(pickleArb, async (p) => {
        seen.add(await verdict(p.bytes, "model.pkl"));
      }),
      { numRuns: 80, seed: 7 },
    );
    expect([...seen]).toEqual(expect.arrayContaining(["safe", "suspicious", "unsafe"]));
  });

  test("when bytes are appended", async () => {
    await fc.assert(
      fc.asyncProperty(pickleArb, fc.uint8Array({ minLength: 1, maxLength: 64 }), async (p, tail) => {
        const before = await verdict(p.bytes, "model.pkl");
        const after = await verdict(Buffer.concat([p.bytes, tail]), "model.pkl");
        expect(RANK[after]).toBeGreaterThanOrEqual(RANK[before]);
      }),
      RUNS,
    );
  });

  test("when no-op opcode pairs (NEWTRUE POP, EMPTY_TUPLE POP, NONE POP) are inserted after PROTO", async () => {
    const NOOPS = [Buffer.from([0x88, 0x30]), Buffer.from([0x29, 0x30]), Buffer.from([0x4e, 0x30])];
    await fc.assert(
      fc.asyncProperty(pickleArb, fc.array(fc.constantFrom(...NOOPS), { minLength: 1, maxLength: 16 }), async (p, noops) => {
        const before = await verdict(p.bytes, "model.pkl");
        const padded = Buffer.concat([p.bytes.subarray(0, p.bodyAt), ...noops, p.bytes.subarray(p.bodyAt)]);
        const after = await verdict(padded, "model.pkl");
        expect(RANK[after]).toBeGreaterThanOrEqual(RANK[before]);
      }),
      RUNS,
    );
  });

  test.each(CODECS)("when it is compressed with %s", async (codec) => {
    await fc.assert(
      fc.asyncProperty(pickleArb, async (p) => {
        const before = await verdict(p.bytes, "model.pkl");
        const after = await verdict(compress(codec, p.bytes), `model.pkl.${codec}`);
        expect(RANK[after]).toBeGreaterThanOrEqual(RANK[before]);
      }),
      { numRuns: 30 },
    );
  });

  test("when it is put in a zip (a PyTorch-style archive, stored or deflated)", async () => {
    await fc.assert(
      fc.asyncProperty(pickleArb, fc.boolean(), fc.constantFrom("archive/data.pkl", "model/data.pkl", "weights.pkl"), async (p, deflate, name) => {
        const before = await verdict(p.bytes, "model.pkl");
        const members: { name: string; data: Buffer; deflate: boolean }[] = [{ name, data: p.bytes, deflate }];
        if (name.endsWith("data.pkl")) members.push({ name: name.replace("data.pkl", "version"), data: Buffer.from("3\n"), deflate: false });
        const after = await verdict(zip(members), "model.pt");
        expect(RANK[after]).toBeGreaterThanOrEqual(RANK[before]);
      }),
      RUNS,
    );
  });
});
