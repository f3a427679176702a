// The Thrift walk that stands before hyparquet (thrift-bounds.ts): it accepts what hyparquet reads,
// byte for byte, and refuses the counts hyparquet would trust.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { deserializeTCompactProtocol } from "hyparquet/src/thrift.js";
import { MAX_THRIFT_DEPTH, thriftStructEnd } from "../../../../src/inventory/scanners/data/thrift-bounds.js";

const USERS = join(import.meta.dirname, "fixtures", "parquet", "data", "users.parquet");

/** The Thrift bytes of a Parquet file's footer. */
function footerOf(file: Buffer): Uint8Array {
  const length = file.readUInt32LE(file.length - 8);
  return new Uint8Array(file.subarray(file.length - 8 - length, file.length - 8));
}

test("a real footer is read to its end", () => {
  const footer = footerOf(readFileSync(USERS));
  expect(thriftStructEnd(footer, 0)).toBe(footer.length);
});

test.each([
  ["a list claiming more elements than bytes", [0x19, 0xf8, 0xff, 0xff, 0x7f, 0x01, 0x02, 0x00], /a list claims 2097151 elements with 3 bytes left/],
  ["a string longer than the bytes left", [0x18, 0x64, 0x61, 0x62, 0x00], /a string of 100 bytes with 3 left/],
  ["a map, which Parquet does not use", [0x1b, 0x00, 0x00], /Thrift type 11/],
  ["a list of STOP elements", [0x19, 0x20, 0x00, 0x00, 0x00], /a list of Thrift type 0/],
  ["a struct cut short", [0x15], /ends in the middle/],
  ["a struct without STOP", [0x15, 0x02], /ends in the middle/],
  ["nesting deeper than any Parquet struct", Array(MAX_THRIFT_DEPTH + 1).fill(0x1c), /nests deeper than 32 levels/],
])("%s is refused", (_what, bytes, reason) => {
  expect(thriftStructEnd(Uint8Array.from(bytes as number[]), 0)).toEqual(expect.stringMatching(reason as RegExp));
});

test("a negative length, as hyparquet's 32-bit varint computes it, is refused", () => {
  // 0xff 0xff 0xff 0xff 0x0f is -1 once shifted into 32 bits.
  expect(thriftStructEnd(Uint8Array.from([0x18, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00]), 0)).toMatch(/a string of -1 bytes/);
});

test("whatever the bytes, an accepted struct is one hyparquet reads to the same end", () => {
  // Mutations of a real footer reach deep into the grammar; random bytes cover the rest.
  const footer = footerOf(readFileSync(USERS));
  const mutated = fc.array(fc.tuple(fc.nat({ max: footer.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }).map((edits) => {
    const b = Uint8Array.from(footer);
    for (const [i, v] of edits) b[i] = v;
    return b;
  });
  fc.assert(
    fc.property(fc.oneof(mutated, fc.uint8Array({ maxLength: 64 })), (bytes) => {
      const end = thriftStructEnd(bytes, 0);
      if (typeof end === "string") return;
      const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 };
      deserializeTCompactProtocol(reader);
      expect(reader.offset).toBe(end);
    }),
    { numRuns: 3000 },
  );
});
