// Benchmark of the code and dependency scanners on a generated repository: 20,000+ source files
// (Python, notebooks, JS/TS) of which a fraction imports AI libraries. Prints files/s, bytes read
// vs total size, peak RSS and the share of files the byte prefilter skipped. Not a test.
// Run: npx tsx bench/code.ts [fileCount]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { codeScanner, type CodeFacts } from "../src/inventory/scanners/code/scanner.js";
import { dependencyScanner } from "../src/inventory/scanners/dependencies/scanner.js";
import type { RepoFile, ScanContext } from "../src/inventory/types.js";

const COUNT = Number(process.argv[2] ?? 20_000);
const AI_SHARE = 0.1; // one file in ten touches an AI library

const plainPy = (i: number) =>
  `"""Module ${i}."""\nimport os\nimport json\n\n\ndef handler_${i}(event):\n    data = json.loads(event["body"])\n    total = sum(x * 2 for x in data.get("items", []))\n    return {"statusCode": 200, "body": json.dumps({"total": total, "env": os.getenv("STAGE")})}\n`.repeat(
    4,
  );
const aiPy = (i: number) =>
  `import torch\nfrom openai import OpenAI\nfrom transformers import AutoModel\n\nclient = OpenAI()\n\n\ndef run_${i}(q):\n    m = AutoModel.from_pretrained("org/model-${i}")\n    w = torch.load("w${i}.pt")\n    r = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": q}])\n    out = r.choices[0].message.content\n    eval(out)\n    return m, w\n`;
const plainTs = (i: number) =>
  `export interface Item${i} { id: number; name: string }\nexport function sum${i}(items: Item${i}[]): number {\n  return items.reduce((a, b) => a + b.id, 0);\n}\n`.repeat(
    5,
  );
const aiTs = (i: number) =>
  `import OpenAI from "openai";\nconst openai = new OpenAI();\nexport async function answer${i}(el: HTMLElement, q: string) {\n  const c = await openai.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: q }] });\n  el.innerHTML = c.choices[0].message.content ?? "";\n}\n`;
const notebook = (i: number) =>
  JSON.stringify({
    cells: [{ cell_type: "code", source: ["import pickle\n", `x = pickle.load(open("f${i}.pkl", "rb"))\n`], metadata: {}, outputs: [] }],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  });

function generate(root: string): RepoFile[] {
  const files: RepoFile[] = [];
  const write = (path: string, text: string) => {
    const abs = join(root, path);
    mkdirSync(join(abs, ".."), { recursive: true });
    writeFileSync(abs, text);
    files.push({ path, size: Buffer.byteLength(text) });
  };
  for (let i = 0; i < COUNT; i++) {
    const dir = `pkg${Math.floor(i / 200)}`;
    const ai = (i * 7919) % 100 < AI_SHARE * 100;
    switch (i % 5) {
      case 0:
      case 1:
        write(`${dir}/m${i}.py`, ai ? aiPy(i) : plainPy(i));
        break;
      case 2:
        write(`${dir}/m${i}.ts`, ai ? aiTs(i) : plainTs(i));
        break;
      case 3:
        write(
          `${dir}/m${i}.js`,
          ai
            ? aiTs(i).replace(/: [A-Za-z]+/g, "")
            : plainTs(i)
                .replace(/: [A-Za-z0-9[\]]+/g, "")
                .replace(/export interface[^\n]*\n/, ""),
        );
        break;
      default:
        write(`${dir}/n${i}.ipynb`, ai ? notebook(i) : JSON.stringify({ cells: [{ cell_type: "markdown", source: ["# notes"] }], nbformat: 4 }));
    }
    if (i % 1000 === 0) write(`${dir}/requirements.txt`, "torch==2.5.1\ntransformers>=4.30\nrequests\n");
  }
  return files;
}

async function main() {
  const root = mkdtempSync(join(tmpdir(), "aigate-bench-code-"));
  try {
    const files = generate(root);
    const totalBytes = files.reduce((a, f) => a + f.size, 0);
    let bytesRead = 0;
    let peakRss = process.memoryUsage().rss;
    const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    const ctx: ScanContext = {
      root,
      files,
      settings: {},
      async readRange(path, position, length) {
        const fh = await open(join(root, path), "r");
        try {
          const buf = Buffer.alloc(length);
          const { bytesRead: n } = await fh.read(buf, 0, length, position);
          bytesRead += n;
          return buf.subarray(0, n);
        } finally {
          await fh.close();
        }
      },
    };
    const t0 = performance.now();
    const code = await codeScanner.scan(ctx);
    const t1 = performance.now();
    const deps = await dependencyScanner.scan(ctx);
    const t2 = performance.now();
    clearInterval(timer);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const stats = (code.facts as unknown as CodeFacts).stats;
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
    console.log(`repository: ${files.length} files, ${mb(totalBytes)} (${COUNT} sources, ${Math.round(AI_SHARE * 100)}% touching AI libraries)`);
    console.log(
      `code scanner: ${stats.candidates} source files in ${((t1 - t0) / 1000).toFixed(2)} s = ${Math.round(stats.candidates / ((t1 - t0) / 1000))} files/s`,
    );
    console.log(
      `  prefilter skipped ${stats.prefilterSkipped} of ${stats.candidates} (${((100 * stats.prefilterSkipped) / stats.candidates).toFixed(1)}%), parsed ${stats.parsed}`,
    );
    console.log(`  observations: ${code.observations.length}, unscanned: ${code.unscanned.length}`);
    console.log(
      `dependency scanner: ${(deps.facts as { files: string[] }).files.length} dependency files in ${((t2 - t1) / 1000).toFixed(2)} s, ${deps.observations.length} observations`,
    );
    console.log(
      `bytes read: ${mb(bytesRead)} of ${mb(totalBytes)} (${((100 * bytesRead) / totalBytes).toFixed(0)}%: every candidate is read once in full; parsing is what the prefilter saves)`,
    );
    console.log(`peak RSS: ${mb(peakRss)}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
