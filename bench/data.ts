// Benchmark of the data scanner: a generated repository with multi-GB CSV files (real rows at the
// head, sparse after it), a real Parquet file written by hyparquet-writer, JSON Lines and many
// small CSVs. Prints files/s, MB/s of repository covered, bytes actually read, and peak RSS.
// Run: npx tsx bench/data.ts   (not a test: figures only)
import { mkdtemp, open, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { dataScanner } from "../src/inventory/scanners/data/index.js";
import { contextFor } from "../__tests__/inventory/scanners/data/scan-folder.js";

const GB = 1024 ** 3;
const MB = 1024 ** 2;

async function sparseCsv(path: string, size: number): Promise<void> {
  const rows = ["id,name,email,card,note"];
  let length = rows[0]!.length;
  for (let i = 0; length < 4 * MB; i++) {
    const row = `${i},User ${i},user${i}@mail.com,4111111111111111,free text ${i}`;
    rows.push(row);
    length += row.length + 1;
  }
  const fh = await open(path, "w");
  await fh.write(rows.join("\n") + "\n");
  await fh.truncate(size); // the rest is a hole: the scanner must never read it
  await fh.close();
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "aigate-bench-data-"));
  try {
    await mkdir(join(dir, "data", "small"), { recursive: true });
    await sparseCsv(join(dir, "data", "big-1.csv"), 3 * GB);
    await sparseCsv(join(dir, "data", "big-2.csv"), 2 * GB);
    const n = 1_000_000;
    const buf = parquetWriteBuffer({
      columnData: [
        { name: "id", data: Int32Array.from({ length: n }, (_, i) => i), type: "INT32" },
        { name: "email", data: Array.from({ length: n }, (_, i) => `user${i}@mail.com`), type: "STRING" },
        { name: "score", data: Float64Array.from({ length: n }, (_, i) => i / n), type: "DOUBLE" },
      ],
      rowGroupSize: 100_000,
    });
    await writeFile(join(dir, "data", "users.parquet"), new Uint8Array(buf));
    await writeFile(
      join(dir, "data", "chat.jsonl"),
      Array.from({ length: 50_000 }, (_, i) => JSON.stringify({ messages: [{ role: "user", content: `hello ${i} from u${i}@mail.com` }] })).join("\n"),
    );
    for (let i = 0; i < 500; i++) await writeFile(join(dir, "data", "small", `part-${i}.csv`), `id,email\n${i},p${i}@mail.com\n`);

    // 504 data files: raise the per-run file budget (default 500) so that every file is sampled.
    const ctx = await contextFor(dir, { data: { maxFiles: 1000 } });
    const total = ctx.files.reduce((s, f) => s + f.size, 0);
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const t0 = process.hrtime.bigint();
    const r = await dataScanner.scan(ctx);
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    const files = r.observations.filter((o) => o.kind === "data.file").length;
    console.log(`files: ${ctx.files.length} (${files} data files), repository size ${(total / GB).toFixed(2)} GB`);
    console.log(`time: ${secs.toFixed(2)} s, ${(files / secs).toFixed(0)} data files/s, ${(total / MB / secs).toFixed(0)} MB/s of repository covered`);
    console.log(
      `bytes read: ${(ctx.bytesRead() / MB).toFixed(1)} MB (${((ctx.bytesRead() / total) * 100).toFixed(3)}% of the size), ${(ctx.bytesRead() / MB / secs).toFixed(1)} MB/s read`,
    );
    for (const o of r.observations.filter((x) => x.kind === "data.file" && !x.location.path.includes("/small/"))) {
      const d = o.data ?? {};
      console.log(
        `  ${o.location.path}: ${(Number(d["size"]) / MB).toFixed(0)} MB, read ${(Number(d["bytesRead"]) / 1024).toFixed(0)} KB, ${String(d["rowsSampled"])} rows sampled`,
      );
    }
    console.log(`personal-data observations: ${r.observations.filter((o) => o.kind === "data.personal-data").length}`);
    console.log(
      `RSS before the scan ${(baseline / MB).toFixed(0)} MB (the generated inputs are still in memory), peak during it ${(peak / MB).toFixed(0)} MB (+${((peak - baseline) / MB).toFixed(0)} MB)`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
