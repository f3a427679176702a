// The scan pool: batches scanned on workers come back in batch order, the same outcomes as on one
// thread; a batch a worker cannot take (or return) is scanned on the main thread, never lost.
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LIGHT_CODE_BYTES, queueOrder, runBatches, type Batch } from "../../src/inventory/pool.js";
import type { UnitId } from "../../src/inventory/scan-units.js";
import { walkRepository } from "../../src/inventory/walk.js";

async function batchesOf(settings: Record<string, unknown>): Promise<Batch[]> {
  const root = mkdtempSync(join(tmpdir(), "aigate-pool-"));
  for (let d = 0; d < 6; d++) {
    mkdirSync(join(root, `p${d}`));
    // p0 and p1 hold 2 KB files, so that their batches are source batches a worker takes (queueRank 1).
    const pad = d < 2 ? `# ${"-".repeat(2048)}\n` : "";
    for (let i = 0; i < 50; i++)
      writeFileSync(join(root, `p${d}`, `m${i}.py`), pad + (i % 5 ? `import os\nx = ${i}\n` : `import torch\nw = torch.load("w${i}.pt")\n`));
  }
  // Pickles calling os.system (protocol 0: GLOBAL, MARK, STRING, TUPLE, REDUCE, STOP): model-only
  // batches between the source ones, which the queue puts first.
  mkdirSync(join(root, "p3w"));
  for (let i = 0; i < 80; i++) writeFileSync(join(root, "p3w", `w${i}.pkl`), `cos\nsystem\n(S'echo ${i}'\ntR.`);
  const files = (await walkRepository(root, [], { useGit: false })).files;
  const batches: Batch[] = [];
  for (let at = 0; at < files.length; at += 40) {
    const units: UnitId[] = [];
    const tasks: Batch["tasks"] = [];
    for (const file of files.slice(at, at + 40))
      for (const unit of file.path.endsWith(".py") ? (["code", "models"] as const) : (["models"] as const)) {
        units.push(unit);
        tasks.push({ file, hash: false });
      }
    batches.push({ units, root, settings, tasks, record: false });
  }
  return batches;
}

const found = (done: Awaited<ReturnType<typeof runBatches>>) => done.flat().filter((d) => JSON.stringify(d.outcome ?? null).includes("torch.load")).length;

const unsafe = (done: Awaited<ReturnType<typeof runBatches>>) =>
  done.flat().filter((d) => JSON.stringify(d.outcome ?? null).includes('"verdict":"unsafe"')).length;

test("three threads give what one gives, batch by batch", async () => {
  const batches = await batchesOf({});
  // Pickles (batches 5 and 6), the batches of 2 KB files (0 and 1), the light source batches.
  expect(queueOrder(batches).order).toEqual([5, 6, 0, 1, 2, 3, 4, 7, 8, 9]);
  const one = await runBatches(batches, 1);
  expect(found(one)).toBe(60);
  expect(unsafe(one)).toBe(80);
  expect(JSON.stringify(await runBatches(batches, 2))).toBe(JSON.stringify(one));
  expect(JSON.stringify(await runBatches(batches, 3))).toBe(JSON.stringify(one));
}, 60_000);

test("the queue: batches without source code, then heavy source batches, then light ones; each group in its order", () => {
  const file = (size: number) => ({ path: `f${size}`, size });
  const heavy = file(LIGHT_CODE_BYTES);
  const light = file(100);
  const b = (f: { path: string; size: number }, ...units: UnitId[]) => ({ units, tasks: units.map(() => ({ file: f, hash: false })) });
  const { order, ranks } = queueOrder([b(light, "code", "models"), b(heavy, "models"), b(heavy, "code", "models"), b(light, "models", "models"), b(light)]);
  // A file's two tasks count its bytes once: the heavy one alone reaches the limit.
  expect(ranks).toEqual([2, 0, 1, 0, 0]);
  expect(order).toEqual([1, 3, 4, 2, 0]);
});

test("light source batches only (all kept on this thread): the outcomes are the same", async () => {
  const batches = (await batchesOf({})).filter((_, i) => i >= 7);
  expect(queueOrder(batches).ranks).toEqual([2, 2, 2]);
  expect(JSON.stringify(await runBatches(batches, 3))).toBe(JSON.stringify(await runBatches(batches, 1)));
}, 60_000);

test("batches a worker cannot be sent are scanned on this thread", async () => {
  // A setting that cannot be cloned into a worker: every postMessage fails.
  const batches = await batchesOf({ notCloneable: () => 1 });
  const done = await runBatches(batches, 3);
  expect(done).toHaveLength(batches.length);
  expect(done.every((d, i) => d.length === batches[i]!.tasks.length)).toBe(true);
  expect(found(done)).toBe(60);
  expect(unsafe(done)).toBe(80);
}, 60_000);
