// Found by fuzzing (fuzz/targets/data-parquet.ts, a 10 s timeout): a mutated Parquet page whose
// snappy stream has a literal with a 4-byte length above 2^31. hyparquet 1.33's snappyUncompress
// reads that length as a negative number and moves backwards through its input: an 82-byte page
// took over 10 s. aigate now gives hyparquet a SNAPPY decompressor that walks the stream's elements
// first (linear, each must move forwards and stay within the stated size) and uses the same one
// for its own page checks (src/inventory/scanners/data/parquet-validate.ts `snappy`); the pages of
// a sampled file may claim at most 128 MB in all, and no more than their codec can expand to.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { snappyUncompress } from "hyparquet";
import { snappy } from "../../src/inventory/scanners/data/parquet-validate.js";

const HERE = import.meta.dirname;

test("a snappy literal with a length hyparquet reads as negative is refused before it decodes", () => {
  // Preamble (stated length 8), then a literal tag whose length is in the next 4 bytes: 0xfffffff0.
  const input = Uint8Array.from([8, 63 << 2, 0xf0, 0xff, 0xff, 0xff, 1, 2, 3, 4]);
  expect(() => snappy(input, 8)).toThrow(/corrupt snappy/);
  // A valid stream still decodes as hyparquet decodes it.
  const ok = Uint8Array.from([4, 3 << 2, 1, 2, 3, 4]);
  const direct = new Uint8Array(4);
  snappyUncompress(ok, direct);
  expect([...snappy(ok, 4)]).toEqual([...direct]);
});

test("the fuzzed file is malformed within seconds", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(HERE, "read-parquet.ts"), join(HERE, "fixtures", "parquet-snappy-negative-literal.parquet")], {
    encoding: "utf8",
    timeout: 8000,
    killSignal: "SIGKILL",
  });
  expect(r.signal).toBeNull();
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({
    format: "parquet",
    complete: false,
    malformed: { reason: expect.stringMatching(/compressed Parquet page is corrupt/) },
  });
}, 30_000);
