// The data scanner on the fixtures written by scripts/fixtures/data.ts (real CSV, JSON Lines,
// Parquet from hyparquet-writer, SQLite and a Chroma-shaped store from sql.js, LFS pointers).
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Observation, ScanResult } from "../../../../src/inventory/types.js";
import { contextFor, scanFolder } from "./scan-folder.js";
import { dataScanner } from "../../../../src/inventory/scanners/data/index.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures");

function personal(r: ScanResult, path: string): { column: unknown; kind: unknown; count: unknown; line: number }[] {
  return r.observations
    .filter((o) => o.kind === "data.personal-data" && o.location.path === path)
    .map((o) => ({ column: o.data?.["column"], kind: o.data?.["kind"], count: o.data?.["count"], line: o.location.line }))
    .sort((a, b) => `${a.column}${a.kind}`.localeCompare(`${b.column}${b.kind}`));
}

function kinds(r: ScanResult, kind: string): Observation[] {
  return r.observations.filter((o) => o.kind === kind);
}

describe("data scanner", () => {
  test("CSV: planted personal data by column, count and first line; failing checksums stay clean", async () => {
    const r = await scanFolder(join(fixtures, "personal-csv"));
    expect(personal(r, "data/customers.csv")).toEqual([
      { column: "card", kind: "payment-card", count: 2, line: 4 },
      { column: "email", kind: "email", count: 3, line: 3 },
      { column: "full_name", kind: "person-name", count: 10, line: 2 },
      { column: "iban", kind: "iban", count: 1, line: 5 },
      { column: "note", kind: "email", count: 1, line: 11 },
      { column: "phone", kind: "phone", count: 2, line: 2 },
    ]);
    const file = kinds(r, "data.file")[0]!;
    expect(file.data).toMatchObject({ format: "csv", rowsSampled: 10, complete: true });
  });

  test("values are never reported: not in messages, data or keys", async () => {
    const r = await scanFolder(join(fixtures, "personal-csv"));
    const text = JSON.stringify(r);
    for (const secret of ["ben.okafor@mailbox.nl", "4111 1111 1111 1111", "NL91ABNA0417164300", "+31 6 12345678", "jo.smith@inbox.co.uk", "Anna de Vries"]) {
      expect(text).not.toContain(secret);
    }
    const email = r.observations.find((o) => o.data?.["column"] === "email")!;
    expect(email.data?.["masked"]).toBe("xxx.xxxxxx@xxxxxxx.xx");
  });

  test("false positives: numbers failing Luhn/mod-97, invalid NINO prefixes, product names, e-mails in code", async () => {
    expect(kinds(await scanFolder(join(fixtures, "clean-csv")), "data.personal-data")).toEqual([]);
    const code = await scanFolder(join(fixtures, "code-lookalike"));
    expect(code.observations).toEqual([]);
  });

  test("JSON Lines chat data: PII inside message content, located at the record's line", async () => {
    const r = await scanFolder(join(fixtures, "jsonl"));
    expect(personal(r, "data/chat.jsonl")).toEqual([
      { column: "messages[].content", kind: "email", count: 1, line: 2 },
      { column: "messages[].content", kind: "uk-nino", count: 1, line: 4 },
      { column: "messages[].content", kind: "us-ssn", count: 1, line: 5 },
    ]);
  });

  test("Parquet: footer read, three of four row groups sampled, BSN 11-check and e-mail found", async () => {
    const r = await scanFolder(join(fixtures, "parquet"));
    const file = kinds(r, "data.file")[0]!;
    expect(file.data).toMatchObject({ format: "parquet", totalRows: 40, rowsSampled: 30, columns: ["user_id", "bsn", "contact", "last_ip", "score"] });
    expect(personal(r, "data/users.parquet")).toEqual([
      { column: "bsn", kind: "nl-bsn", count: 2, line: 1 },
      { column: "contact", kind: "email", count: 2, line: 1 },
    ]);
  });

  test("SQLite via its own page reader: tables, columns and planted rows", async () => {
    const r = await scanFolder(join(fixtures, "sqlite"));
    expect(personal(r, "data/clinic.sqlite")).toEqual([
      { column: "patients.contact", kind: "email", count: 1, line: 1 },
      { column: "patients.dob", kind: "date-of-birth", count: 6, line: 1 },
      { column: "patients.full_name", kind: "person-name", count: 6, line: 1 },
      { column: "patients.ssn", kind: "us-ssn", count: 2, line: 1 },
    ]);
    expect(kinds(r, "data.file")[0]!.data?.["details"]).toMatchObject({ tables: ["patients", "visits"] });
  });

  test("Chroma store: recognised as a retrieval store and its documents sampled", async () => {
    const r = await scanFolder(join(fixtures, "chroma"));
    expect(kinds(r, "data.retrieval-store").map((o) => o.data)).toEqual([{ store: "chroma", root: "rag/chroma_db", files: 1, fileCount: "1 file" }]);
    expect(personal(r, "rag/chroma_db/chroma.sqlite3")).toEqual([{ column: "embedding_metadata.string_value", kind: "email", count: 1, line: 1 }]);
  });

  test("FAISS index and pickled docstore recognised (the pickle is never read), a .txt outside data folders ignored", async () => {
    const r = await scanFolder(join(fixtures, "faiss"));
    expect(kinds(r, "data.retrieval-store").map((o) => [o.data?.["store"], o.location.path])).toEqual([
      ["faiss", "vectorstore/index.faiss"],
      ["pickled-docstore", "vectorstore/index.pkl"],
    ]);
    expect(kinds(r, "data.file")).toEqual([]);
  });

  test("LFS pointers: reported and unscanned, never clean; model-weight pointers left to the model scanner", async () => {
    const r = await scanFolder(join(fixtures, "lfs"));
    expect(kinds(r, "data.lfs-pointer").map((o) => [o.location.path, o.data?.["size"]])).toEqual([
      ["data/extra/eval", 1024],
      ["data/train.csv", 734003200],
    ]);
    expect(r.unscanned.map((u) => u.path).sort()).toEqual(["data/extra/eval", "data/train.csv"]);
  });

  test("malformed data: one located finding per file, and the run goes on", async () => {
    const r = await scanFolder(join(fixtures, "malformed"));
    const m = Object.fromEntries(kinds(r, "data.malformed").map((o) => [o.location.path, `${o.location.line}: ${String(o.data?.["reason"])}`]));
    expect(m).toEqual({
      "data/after-quote.csv": "3: a character follows a closing quote (broken CSV quoting)",
      "data/broken-quote.csv": "3: a quoted field is never closed (broken CSV quoting)",
      "data/corrupt.sqlite": "1: corrupt SQLite database: invalid page size 3",
      "data/invalid.jsonl": "2: 2 lines are not valid JSON (first at line 2)",
      "data/junk.csv": "1: binary content in a .csv file",
      "data/truncated.parquet": "1: the Parquet file is truncated (it does not end with its footer)",
    });
    expect(kinds(r, "data.file").map((o) => o.location.path)).toContain("data/ok.csv");
    expect(r.unscanned.map((u) => u.path).sort()).toEqual(["data/corrupt.sqlite", "data/junk.csv", "data/truncated.parquet"]);
  });

  describe("budgets", () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "aigate-data-"));
      const rows = ["id,email"];
      for (let i = 0; i < 5000; i++) rows.push(`${i},user${i}@mail-${i % 7}.com`);
      await writeFile(join(dir, "big.csv"), rows.join("\n") + "\n");
      await writeFile(join(dir, "second.csv"), await readFile(join(fixtures, "personal-csv/data/customers.csv")));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    test("rows and bytes per file cap what is read", async () => {
      const ctx = await contextFor(dir, { data: { maxRowsPerFile: 100, maxBytesPerFile: 4096 } });
      const r = await dataScanner.scan(ctx);
      const big = r.observations.find((o) => o.kind === "data.file" && o.location.path === "big.csv")!;
      expect(big.data?.["bytesRead"]).toBeLessThanOrEqual(4096);
      expect(big.data?.["complete"]).toBe(false);
      const email = r.observations.find((o) => o.kind === "data.personal-data" && o.location.path === "big.csv")!;
      expect(email.data?.["count"]).toBe(big.data?.["rowsSampled"]);
      expect(Number(big.data?.["rowsSampled"])).toBeLessThanOrEqual(100);
    });

    test("files per run: the rest are unscanned with the reason", async () => {
      const r = await scanFolder(dir, { data: { maxFiles: 1 } });
      expect(r.unscanned).toEqual([{ path: "second.csv", scanner: "data", reason: "file budget reached (1 data files per run)" }]);
    });
  });
});
