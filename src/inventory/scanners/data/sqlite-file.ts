// A minimal, read-only SQLite file reader (https://www.sqlite.org/fileformat2.html): the header,
// table b-trees and records, page by page through ranged reads. Enough to list the schema and
// sample rows without a native driver and without loading the database. Every page read counts
// against the caller's budget; cycles and deep trees are refused.

export class SqliteFormatError extends Error {}

export type SqlValue = null | number | bigint | string | Uint8Array;

export interface SqliteRow {
  rowid: bigint;
  values: SqlValue[];
}

export interface SchemaEntry {
  type: string;
  name: string;
  tableName: string;
  rootPage: number;
  sql: string;
}

const HEADER = Buffer.from("SQLite format 3\0", "latin1");
const MAX_DEPTH = 20;
const MAX_OVERFLOW_BYTES = 1 << 16;

function varint(buf: Buffer, at: number): [bigint, number] {
  let v = 0n;
  for (let i = 0; i < 8; i++) {
    const b = buf[at + i];
    if (b === undefined) throw new SqliteFormatError("varint runs past the page");
    v = (v << 7n) | BigInt(b & 0x7f);
    if ((b & 0x80) === 0) return [v, i + 1];
  }
  const b = buf[at + 8];
  if (b === undefined) throw new SqliteFormatError("varint runs past the page");
  return [(v << 8n) | BigInt(b), 9];
}

export class SqliteFile {
  readonly pageSize: number;
  readonly usable: number;
  readonly pageCount: number;
  readonly encoding: "utf8" | "utf16le" | "utf16be";

  private constructor(
    private readonly readAt: (position: number, length: number) => Promise<Buffer>,
    header: Buffer,
    private readonly fileSize: number,
  ) {
    const ps = header.readUInt16BE(16);
    this.pageSize = ps === 1 ? 65536 : ps;
    if (this.pageSize < 512 || this.pageSize > 65536 || (this.pageSize & (this.pageSize - 1)) !== 0) {
      throw new SqliteFormatError(`invalid page size ${ps}`);
    }
    this.usable = this.pageSize - header[20]!;
    const enc = header.readUInt32BE(56);
    this.encoding = enc === 2 ? "utf16le" : enc === 3 ? "utf16be" : "utf8";
    this.pageCount = Math.floor(fileSize / this.pageSize);
  }

  static async open(readAt: (position: number, length: number) => Promise<Buffer>, fileSize: number): Promise<SqliteFile> {
    if (fileSize < 512) throw new SqliteFormatError("file shorter than one page");
    const header = await readAt(0, 100);
    if (header.length < 100 || !header.subarray(0, 16).equals(HEADER)) throw new SqliteFormatError("no SQLite header");
    return new SqliteFile(readAt, header, fileSize);
  }

  private async page(n: number): Promise<Buffer> {
    if (!Number.isInteger(n) || n < 1 || n > this.pageCount) throw new SqliteFormatError(`page ${n} is outside the file`);
    const buf = await this.readAt((n - 1) * this.pageSize, this.pageSize);
    if (buf.length < this.pageSize) throw new SqliteFormatError(`page ${n} is truncated`);
    return buf;
  }

  /** Rows of the table b-tree rooted at `root`, in rowid order, until `limit` rows. */
  async *rows(root: number, limit: number): AsyncGenerator<SqliteRow> {
    let count = 0;
    const seen = new Set<number>();
    const stack: { page: number; depth: number }[] = [{ page: root, depth: 0 }];
    while (stack.length > 0 && count < limit) {
      const { page: n, depth } = stack.pop()!;
      if (seen.has(n)) throw new SqliteFormatError(`page ${n} is reached twice (corrupt b-tree)`);
      if (depth > MAX_DEPTH) throw new SqliteFormatError("b-tree deeper than 20 levels");
      seen.add(n);
      const buf = await this.page(n);
      const h = n === 1 ? 100 : 0;
      const type = buf[h];
      const cells = buf.readUInt16BE(h + 3);
      if (type === 0x05) {
        // Interior table page: children left to right, then the right-most pointer. Push reversed.
        const children: number[] = [];
        for (let i = 0; i < cells; i++) children.push(buf.readUInt32BE(buf.readUInt16BE(h + 12 + 2 * i)));
        children.push(buf.readUInt32BE(h + 8));
        for (let i = children.length - 1; i >= 0; i--) stack.push({ page: children[i]!, depth: depth + 1 });
      } else if (type === 0x0d) {
        for (let i = 0; i < cells && count < limit; i++) {
          const at = buf.readUInt16BE(h + 8 + 2 * i);
          if (at >= this.pageSize) throw new SqliteFormatError(`cell pointer past page ${n}`);
          const [payloadSize, a] = varint(buf, at);
          const [rowid, b] = varint(buf, at + a);
          const payload = await this.payload(buf, at + a + b, Number(payloadSize));
          yield { rowid, values: this.record(payload) };
          count++;
        }
      } else {
        throw new SqliteFormatError(`page ${n} is not a table b-tree page (type ${type})`);
      }
    }
  }

  /** The cell's payload: the local part plus overflow pages, capped at 64 KiB. */
  private async payload(page: Buffer, at: number, size: number): Promise<Buffer> {
    const u = this.usable;
    const x = u - 35;
    if (size <= x) return page.subarray(at, at + size);
    const m = Math.floor(((u - 12) * 32) / 255) - 23;
    const k = m + ((size - m) % (u - 4));
    const local = k <= x ? k : m;
    const parts: Buffer[] = [page.subarray(at, at + local)];
    let have = local;
    let next = page.readUInt32BE(at + local);
    const seen = new Set<number>();
    while (next !== 0 && have < Math.min(size, MAX_OVERFLOW_BYTES)) {
      if (seen.has(next)) throw new SqliteFormatError("overflow chain loops");
      seen.add(next);
      const ov = await this.page(next);
      const take = Math.min(u - 4, size - have);
      parts.push(ov.subarray(4, 4 + take));
      have += take;
      next = ov.readUInt32BE(0);
    }
    return Buffer.concat(parts);
  }

  /** Decodes a record; a payload cut at the overflow cap yields the columns that fit. */
  private record(p: Buffer): SqlValue[] {
    const [headerSize, a] = varint(p, 0);
    const types: bigint[] = [];
    let at = a;
    while (at < Number(headerSize)) {
      const [t, n] = varint(p, at);
      types.push(t);
      at += n;
    }
    const values: SqlValue[] = [];
    let body = Number(headerSize);
    for (const t of types) {
      const st = Number(t);
      let len = 0;
      if (st >= 1 && st <= 4) len = st;
      else if (st === 5) len = 6;
      else if (st === 6 || st === 7) len = 8;
      else if (st >= 12) len = Math.floor((st - (st % 2 === 0 ? 12 : 13)) / 2);
      if (body + len > p.length) break;
      const v = p.subarray(body, body + len);
      if (st === 0) values.push(null);
      else if (st >= 1 && st <= 5) values.push(v.readIntBE(0, len));
      else if (st === 6) values.push(v.readBigInt64BE(0));
      else if (st === 7) values.push(v.readDoubleBE(0));
      else if (st === 8) values.push(0);
      else if (st === 9) values.push(1);
      else if (st >= 12 && st % 2 === 0) values.push(new Uint8Array(v));
      else if (st >= 13) values.push(this.text(v));
      else values.push(null);
      body += len;
    }
    return values;
  }

  private text(v: Buffer): string {
    if (this.encoding === "utf8") return v.toString("utf8");
    if (this.encoding === "utf16le") return v.toString("utf16le");
    const swapped = Buffer.from(v);
    swapped.swap16();
    return swapped.toString("utf16le");
  }

  /** The schema table (page 1): tables, indexes, views with their CREATE statements. */
  async schema(limit = 10_000): Promise<SchemaEntry[]> {
    const out: SchemaEntry[] = [];
    for await (const r of this.rows(1, limit)) {
      const [type, name, tableName, rootPage, sql] = r.values;
      out.push({
        type: String(type ?? ""),
        name: String(name ?? ""),
        tableName: String(tableName ?? ""),
        rootPage: typeof rootPage === "number" ? rootPage : Number(rootPage ?? 0),
        sql: typeof sql === "string" ? sql : "",
      });
    }
    return out;
  }

  get size(): number {
    return this.fileSize;
  }
}

/** Column names from a CREATE TABLE statement (constraints skipped, quoting removed). */
export function columnsOf(sql: string): string[] {
  const open = sql.indexOf("(");
  const close = sql.lastIndexOf(")");
  if (open < 0 || close <= open) return [];
  const body = sql.slice(open + 1, close);
  const items: string[] = [];
  let depth = 0;
  let cur = "";
  let quote: string | null = null;
  for (const c of body) {
    if (quote) {
      cur += c;
      if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "[") quote = "]";
    if (c === "(") depth++;
    else if (c === ")") depth--;
    if (c === "," && depth === 0) {
      items.push(cur);
      cur = "";
    } else cur += c;
  }
  items.push(cur);
  const out: string[] = [];
  for (const item of items) {
    const t = item.trim();
    if (/^(constraint|primary|unique|check|foreign)\b/i.test(t)) continue;
    const m = /^(?:"((?:[^"]|"")*)"|`([^`]*)`|\[([^\]]*)\]|'([^']*)'|([^\s(]+))/.exec(t);
    if (m) out.push((m[1]?.replace(/""/g, '"') ?? m[2] ?? m[3] ?? m[4] ?? m[5])!);
  }
  return out;
}
