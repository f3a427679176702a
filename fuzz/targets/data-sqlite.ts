// The SQLite sampler (readSqlite over the project's own page reader, SqliteFile): header, schema
// from page 1, the first rows of each table. Corruption is `malformed`, never an exception.
import { readSqlite } from "../../src/inventory/scanners/data/sqlite.js";
import type { TargetMeta } from "../lib/harness.js";
import { sample } from "../lib/data.js";

export const meta: TargetMeta = {
  description: "SQLite sampler (readSqlite, SqliteFile)",
  dict: "sqlite",
  seedGlobs: ["__tests__/inventory/scanners/data/fixtures/**/*.{sqlite,sqlite3,db}", "examples/**/*.{sqlite,sqlite3,db}"],
};

export async function fuzz(data: Buffer): Promise<void> {
  await sample(readSqlite, "data/x.sqlite", data);
}
