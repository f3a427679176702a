// A batch's units answer at once where no await is needed: a source file the prefilter passes over,
// and its model sniff. A file that is parsed, or sniffed further, is a promise of the same shape.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UNITS, type ReadFiles } from "../../src/inventory/scan-units.js";

const root = mkdtempSync(join(tmpdir(), "aigate-units-"));
const file = (path: string, text: string) => {
  writeFileSync(join(root, path), text);
  return { file: { path, size: Buffer.byteLength(text) }, hash: false };
};

test("a skipped source file and its sniff are settled without a promise", () => {
  const task = file("plain.py", "# plain\nx = 1\n");
  const read: ReadFiles = new Map();
  const code = UNITS.code.scanFile(root, task, {}, false, read);
  expect(code).not.toBeInstanceOf(Promise);
  expect(code).toMatchObject({ outcome: { stats: { prefilterSkipped: 1, bytesRead: 14 } }, bytesRead: 14 });
  expect(read.has("plain.py")).toBe(true);
  expect(UNITS.models.scanFile(root, task, {}, false, read)).not.toBeInstanceOf(Promise);
  expect(read.has("plain.py")).toBe(false);
});

test("a parsed source file is a promise, with its findings", async () => {
  const task = file("load.py", 'import torch\nw = torch.load("w.pt")\n');
  const code = UNITS.code.scanFile(root, task, {}, false, new Map());
  expect(code).toBeInstanceOf(Promise);
  expect(JSON.stringify((await code).outcome)).toContain("torch.load");
});

test("an unreadable source file is unscanned, not thrown", () => {
  const done = UNITS.code.scanFile(root, { file: { path: "missing.py", size: 10 }, hash: false }, {}, false, new Map());
  expect(done).toMatchObject({ outcome: { unscanned: [{ path: "missing.py", reason: expect.stringMatching(/^unreadable: ENOENT/) }], cacheable: false } });
});

test("with a cache recording, the sniff scans (its reads are the proof)", async () => {
  const task = file("rec.py", "# rec\n");
  const read: ReadFiles = new Map();
  const code = UNITS.code.scanFile(root, task, {}, true, read);
  expect(code).not.toBeInstanceOf(Promise);
  expect((code as Awaited<typeof code>).proof).toBeDefined();
  const sniff = UNITS.models.scanFile(root, task, {}, true, read);
  expect(sniff).toBeInstanceOf(Promise);
  expect((await sniff).proof).toBeDefined();
});

describe("the code unit's cache form", () => {
  const code = UNITS.code;
  const outcomeOf = async (path: string, text: string) => {
    const d = code.scanFile(root, file(path, text), {}, false, new Map());
    return (d instanceof Promise ? await d : d).outcome;
  };

  test.each([
    ["skipped.py", "# plain\nx = 1\n", "python"],
    ["skipped.ts", "export const x = 1;\n", "js"],
    ["skipped.ipynb", '{"cells": [], "metadata": {}, "nbformat": 4}\n', "none"],
    [".env.sample", "PORT=8080\n", "none"],
  ])("a file the prefilter passed over (%s) is kept as its language, and comes back the same", async (path, text, lang) => {
    const outcome = await outcomeOf(path, text);
    const stored = code.store!(outcome);
    expect(stored).toEqual({ skipped: lang });
    expect(code.valid(JSON.parse(JSON.stringify(stored)), path)).toBe(true);
    // What a rerun merges: the outcome as the cache gives it back, with no work counted.
    expect(code.fromCache(code.restore!(JSON.parse(JSON.stringify(stored)), path))).toEqual(code.fromCache(outcome));
  });

  test("a copy from a worker thread is recognised as well", async () => {
    const outcome = await outcomeOf("copy.py", "# plain\n");
    expect(code.store!(structuredClone(outcome))).toEqual({ skipped: "python" });
  });

  test("an outcome with something to say is kept whole", async () => {
    const outcome = await outcomeOf("load2.py", 'import torch\nw = torch.load("w.pt")\n');
    expect(code.store!(outcome)).toBe(outcome);
    expect(code.restore!(outcome, "load2.py")).toBe(outcome);
  });

  test("a stored form with anything else in it is not trusted", () => {
    expect(code.valid({ skipped: "python", extra: 1 }, "a.py")).toBe(false);
    expect(code.valid({ skipped: "cobol" }, "a.py")).toBe(false);
    expect(code.valid({ skipped: "js" }, "a.py")).toBe(true);
  });
});
