// The root group's attributes of an HDF5 file, read by following the file's own structure: the
// superblock names the root object header, its messages (and continuation blocks) hold the
// attributes, or an attribute-info message points to dense storage (a fractal heap indexed by a
// version-2 B-tree). A string attribute's value is decoded: inline, or from the global heap when it
// is variable-length. Only the few blocks on that path are read, wherever in the file they are, so a
// multi-gigabyte weights file costs a few kilobytes and an attribute placed far from the start is
// found. Anything this reader does not follow (shared messages, filtered heaps, deep trees) is
// answered as unsupported with the reason, and the caller falls back to a bounded search.
import type { RandomAccess } from "../reader.js";

/**
 * What was found: each root attribute's name, with the text of each attribute of that name (a file
 * may hold two: both are answered, whichever a loader would take) when it is a wanted string.
 */
export type RootAttributes = { ok: true; attributes: Map<string, (string | undefined)[]> } | { ok: false; reason: string };

export interface Hdf5Limits {
  /** Largest metadata block read (object header chunk, heap block, B-tree node). */
  maxBlock: number;
  /** Largest string value decoded. */
  maxValue: number;
  /** Most blocks followed in all (continuations, heap blocks, tree nodes). */
  maxBlocks: number;
  /** Most bytes read in all: a chain of large blocks is cut short, not read for gigabytes. */
  maxBytes: number;
}

export const HDF5_LIMITS: Hdf5Limits = { maxBlock: 1 << 20, maxValue: 16 << 20, maxBlocks: 4096, maxBytes: 48 << 20 };

class Unsupported extends Error {}

/** The eight bytes an HDF5 superblock starts with. */
export const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Where a superblock may start after a user block in a file of `size` bytes: 512, 1024, 2048, ... */
export function userBlockOffsets(size: number): number[] {
  const out: number[] = [];
  for (let at = 512; at + SIGNATURE.length <= size; at *= 2) out.push(at);
  return out;
}
const MSG_ATTRIBUTE = 0x0c;
const MSG_CONTINUATION = 0x10;
const MSG_ATTRIBUTE_INFO = 0x15;
const CLASS_STRING = 3;
const CLASS_VLEN = 9;

/** Bytes that hold the number n (HDF5's H5VM_limit_enc_size). */
function bytesFor(n: number): number {
  return n <= 0 ? 1 : Math.floor(Math.floor(Math.log2(n)) / 8) + 1;
}

class Cursor {
  constructor(
    readonly buf: Buffer,
    public pos: number,
    readonly offsetSize: number,
    readonly lengthSize: number,
  ) {}
  need(n: number, what: string) {
    if (this.pos + n > this.buf.length) throw new Error(`${what} runs past its block`);
  }
  u8() {
    this.need(1, "a byte");
    return this.buf[this.pos++]!;
  }
  u16() {
    this.need(2, "a 16-bit field");
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }
  u32() {
    this.need(4, "a 32-bit field");
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  /** An unsigned little-endian number of `n` bytes; undefined for all ones (HDF5's undefined address). */
  uint(n: number): number | undefined {
    this.need(n, "a number");
    let allOnes = true;
    let v = 0;
    for (let i = n - 1; i >= 0; i--) {
      const b = this.buf[this.pos + i]!;
      if (b !== 0xff) allOnes = false;
      v = v * 256 + b;
    }
    this.pos += n;
    if (allOnes) return undefined;
    if (!Number.isSafeInteger(v)) throw new Error("a number over 2^53");
    return v;
  }
  offset() {
    return this.uint(this.offsetSize);
  }
  length(): number {
    const v = this.uint(this.lengthSize);
    if (v === undefined) throw new Error("an undefined length");
    return v;
  }
  skip(n: number) {
    this.need(n, "a field");
    this.pos += n;
  }
  signature(sig: string) {
    this.need(4, "a signature");
    if (this.buf.toString("latin1", this.pos, this.pos + 4) !== sig) throw new Error(`no ${sig} signature at byte ${this.pos}`);
    this.pos += 4;
  }
}

interface Heap {
  heapIdLength: number;
  maxManagedSize: number;
  hugeTree?: number;
  tableWidth: number;
  startingBlockSize: number;
  maxDirectBlockSize: number;
  maxHeapSize: number;
  rootBlock?: number;
  rootRows: number;
  /** The root indirect block's child addresses, read once. */
  children?: (number | undefined)[];
  /** The records of the huge objects' B-tree, read once. */
  hugeRecords?: Buffer[];
}

class Reader {
  private blocks = 0;
  private bytes = 0;
  /** Continuation blocks and tree nodes already read: a structure that points back is malformed. */
  private readonly visited = new Set<number>();
  base = 0;
  offsetSize = 8;
  lengthSize = 8;
  readonly attributes = new Map<string, (string | undefined)[]>();
  private attributeCount = 0;
  constructor(
    private readonly ra: RandomAccess,
    private readonly limits: Hdf5Limits,
    private readonly wanted: (name: string) => boolean,
  ) {}

  /** `len` bytes at file address `addr` (relative to the base address), all of them or an error. */
  async block(addr: number, len: number, what: string, max = this.limits.maxBlock): Promise<Cursor> {
    if (++this.blocks > this.limits.maxBlocks) throw new Unsupported(`more than ${this.limits.maxBlocks} blocks`);
    if (len > max) throw new Unsupported(`${what} of ${len} bytes`);
    if (!(len >= 0)) throw new Error(`${what} past the end of the file`);
    const at = this.base + addr;
    if (at + len > this.ra.size) throw new Error(`${what} at byte ${at} runs past the end of the file`);
    this.spend(len);
    const buf = await this.ra.read(at, len);
    if (buf.length < len) throw new Error(`${what} at byte ${at} runs past the end of the file`);
    return new Cursor(buf, 0, this.offsetSize, this.lengthSize);
  }

  /** Where the superblock starts: byte 0, or after a user block at 512 bytes or a larger power of two. */
  private async superblockAt(): Promise<number> {
    for (const at of [0, ...userBlockOffsets(this.ra.size)]) {
      const sig = await this.ra.read(at, SIGNATURE.length);
      if (SIGNATURE.every((b, i) => sig[i] === b)) return at;
    }
    throw new Error("no HDF5 signature");
  }

  private spend(len: number) {
    this.bytes += len;
    if (this.bytes > this.limits.maxBytes) throw new Unsupported(`more than ${this.limits.maxBytes} bytes of structure`);
  }

  /** Marks a block as read; a second visit is a cycle. */
  private once(addr: number, what: string) {
    if (this.visited.has(addr)) throw new Error(`${what} at ${addr} is reached twice (a cycle)`);
    this.visited.add(addr);
  }

  async rootHeader(): Promise<number> {
    const at = await this.superblockAt();
    // Addresses count from the superblock, wherever the stored base address says (as the HDF5 library does).
    this.base = at;
    const head = await this.ra.read(at, Math.min(this.ra.size - at, 256));
    const c = new Cursor(head, 8, 8, 8);
    const version = c.u8();
    if (version === 0 || version === 1) {
      c.skip(4); // free-space, root symbol table and shared header versions, reserved
      const offsetSize = c.u8();
      const lengthSize = c.u8();
      this.setSizes(offsetSize, lengthSize);
      c.skip(1 + 2 + 2 + 4 + (version === 1 ? 4 : 0));
      const cur = new Cursor(head, c.pos, offsetSize, lengthSize);
      cur.offset(); // base address: the library uses where the superblock is instead
      cur.offset(); // free-space info
      cur.offset(); // end of file
      cur.offset(); // driver info
      cur.offset(); // root entry: link name offset
      const root = cur.offset();
      if (root === undefined) throw new Error("the root group has no object header");
      return root;
    }
    if (version === 2 || version === 3) {
      const offsetSize = c.u8();
      const lengthSize = c.u8();
      this.setSizes(offsetSize, lengthSize);
      c.skip(1);
      const cur = new Cursor(head, c.pos, offsetSize, lengthSize);
      cur.offset(); // base address: the library uses where the superblock is instead
      cur.offset(); // superblock extension
      cur.offset(); // end of file
      const root = cur.offset();
      if (root === undefined) throw new Error("the root group has no object header");
      return root;
    }
    throw new Unsupported(`superblock version ${version}`);
  }

  private setSizes(offsetSize: number, lengthSize: number) {
    if (![2, 4, 8].includes(offsetSize) || ![2, 4, 8].includes(lengthSize)) throw new Error(`offset and length sizes ${offsetSize} and ${lengthSize}`);
    this.offsetSize = offsetSize;
    this.lengthSize = lengthSize;
  }

  /** Every message of the object header at `addr`, continuation blocks included. */
  async objectHeader(addr: number): Promise<void> {
    const prefix = await this.block(addr, Math.min(16, Math.max(0, this.ra.size - this.base - addr)), "an object header");
    if (prefix.buf.length < 16 && prefix.buf.toString("latin1", 0, 4) !== "OHDR") throw new Error("an object header runs past the end of the file");
    const pending: [number, number][] = [];
    const infos: Cursor[] = [];
    const onMessage = async (type: number, flags: number, body: Cursor) => {
      if (type === MSG_CONTINUATION) {
        const at = body.offset();
        const len = body.length();
        if (at === undefined) throw new Error("a continuation to an undefined address");
        this.once(at, "a continuation block");
        pending.push([at, len]);
      } else if (type === MSG_ATTRIBUTE) {
        if (flags & 0x02) throw new Unsupported("a shared attribute message");
        await this.attribute(body);
      } else if (type === MSG_ATTRIBUTE_INFO) infos.push(body);
    };
    if (prefix.buf.toString("latin1", 0, 4) === "OHDR") await this.headerV2(addr, onMessage, pending);
    else {
      const version = prefix.u8();
      if (version !== 1) throw new Error(`object header version ${version}`);
      prefix.skip(1 + 2 + 4);
      const size = prefix.u32();
      const body = await this.block(addr + 16, size, "an object header");
      await this.messagesV1(body, size, onMessage);
      while (pending.length) {
        const [at, len] = pending.shift()!;
        const c = await this.block(at, len, "a continuation block");
        await this.messagesV1(c, len, onMessage);
      }
    }
    for (const info of infos) await this.denseAttributes(info);
  }

  private async messagesV1(c: Cursor, end: number, onMessage: (type: number, flags: number, body: Cursor) => Promise<void>) {
    while (c.pos + 8 <= end) {
      const type = c.u16();
      const size = c.u16();
      const flags = c.u8();
      c.skip(3);
      c.need(size, "a header message");
      await onMessage(type, flags, new Cursor(c.buf.subarray(c.pos, c.pos + size), 0, this.offsetSize, this.lengthSize));
      c.pos += size;
    }
  }

  private async headerV2(addr: number, onMessage: (type: number, flags: number, body: Cursor) => Promise<void>, pending: [number, number][]) {
    const head = await this.block(addr, Math.min(4 + 1 + 1 + 16 + 4 + 8, this.ra.size - this.base - addr), "an object header");
    head.signature("OHDR");
    const version = head.u8();
    if (version !== 2) throw new Error(`object header version ${version}`);
    const flags = head.u8();
    if (flags & 0x20) head.skip(16);
    if (flags & 0x10) head.skip(4);
    const chunkSize = head.uint(1 << (flags & 0x03));
    if (chunkSize === undefined) throw new Error("an undefined chunk size");
    const creationOrder = (flags & 0x04) !== 0;
    const start = head.pos;
    const chunk = await this.block(addr, start + chunkSize, "an object header");
    chunk.pos = start;
    await this.messagesV2(chunk, start + chunkSize, creationOrder, onMessage);
    while (pending.length) {
      const [at, len] = pending.shift()!;
      const c = await this.block(at, len, "a continuation block");
      c.signature("OCHK");
      await this.messagesV2(c, len - 4, creationOrder, onMessage);
    }
  }

  private async messagesV2(c: Cursor, end: number, creationOrder: boolean, onMessage: (type: number, flags: number, body: Cursor) => Promise<void>) {
    const headerSize = 4 + (creationOrder ? 2 : 0);
    while (c.pos + headerSize <= end) {
      const type = c.u8();
      const size = c.u16();
      const flags = c.u8();
      if (creationOrder) c.skip(2);
      if (c.pos + size > end) throw new Error("a header message runs past its chunk");
      await onMessage(type, flags, new Cursor(c.buf.subarray(c.pos, c.pos + size), 0, this.offsetSize, this.lengthSize));
      c.pos += size;
    }
  }

  /** An attribute message: its name, and its value when it is a wanted string. */
  private async attribute(c: Cursor) {
    const version = c.u8();
    if (version < 1 || version > 3) throw new Error(`attribute message version ${version}`);
    const flags = c.u8();
    if (flags & 0x03) throw new Unsupported("an attribute with a shared datatype or dataspace");
    const nameSize = c.u16();
    const typeSize = c.u16();
    const spaceSize = c.u16();
    if (version === 3) c.skip(1);
    const pad = (n: number) => (version === 1 ? (n + 7) & ~7 : n);
    c.need(nameSize, "an attribute name");
    // A C string, as the HDF5 library reads it: up to its first NUL, whatever the size says follows.
    const raw = c.buf.subarray(c.pos, c.pos + nameSize);
    const nul = raw.indexOf(0);
    const name = raw.toString("utf8", 0, nul < 0 ? raw.length : nul);
    c.pos += pad(nameSize);
    c.need(typeSize, "an attribute datatype");
    const type = new Cursor(c.buf.subarray(c.pos, c.pos + typeSize), 0, this.offsetSize, this.lengthSize);
    c.pos += pad(typeSize);
    c.need(spaceSize, "an attribute dataspace");
    const space = new Cursor(c.buf.subarray(c.pos, c.pos + spaceSize), 0, this.offsetSize, this.lengthSize);
    c.pos += pad(spaceSize);
    if (++this.attributeCount > 100_000) throw new Unsupported("more than 100,000 attributes");
    const text = this.wanted(name) ? await this.stringValue(type, space, c) : undefined;
    const texts = this.attributes.get(name);
    if (texts) texts.push(text);
    else this.attributes.set(name, [text]);
  }

  /** The first element of a string attribute as text; undefined for any other type or an empty dataspace. */
  private async stringValue(type: Cursor, space: Cursor, data: Cursor): Promise<string | undefined> {
    if (elements(space) === 0) return undefined;
    const classAndVersion = type.u8();
    const cls = classAndVersion & 0x0f;
    const bits = type.u8();
    type.skip(2);
    const size = type.u32();
    if (cls === CLASS_STRING) {
      const n = Math.min(size, data.buf.length - data.pos, this.limits.maxValue);
      return withoutPadding(data.buf.toString("utf8", data.pos, data.pos + n), true);
    }
    if (cls === CLASS_VLEN && (bits & 0x0f) === 1) {
      const length = data.u32();
      const collection = data.offset();
      const index = data.u32();
      if (length === 0 || collection === undefined) return "";
      if (length > this.limits.maxValue) throw new Unsupported(`a string of ${length} bytes`);
      return withoutPadding((await this.globalHeapObject(collection, index, length)).toString("utf8"), false);
    }
    return undefined;
  }

  /** Object `index` of the global heap collection at `addr`. */
  private async globalHeapObject(addr: number, index: number, length: number): Promise<Buffer> {
    const head = await this.block(addr, 8 + this.lengthSize, "a global heap collection");
    head.signature("GCOL");
    head.skip(4);
    const size = head.length();
    if (size > this.limits.maxValue + (1 << 20)) throw new Unsupported(`a global heap collection of ${size} bytes`);
    const c = await this.block(addr, size, "a global heap collection", this.limits.maxValue + (1 << 20));
    c.pos = 8 + this.lengthSize;
    while (c.pos + 8 + this.lengthSize <= size) {
      const i = c.u16();
      c.skip(6);
      const objectSize = c.length();
      if (i === 0) break; // free space: the rest of the collection
      if (i === index) {
        c.need(objectSize, "a global heap object");
        return c.buf.subarray(c.pos, c.pos + Math.min(objectSize, length));
      }
      c.skip((objectSize + 7) & ~7);
    }
    throw new Error(`global heap object ${index} not found`);
  }

  /** Attributes in dense storage: each record of the name index names an attribute message in the fractal heap. */
  private async denseAttributes(info: Cursor) {
    const version = info.u8();
    if (version !== 0) throw new Error(`attribute info message version ${version}`);
    const flags = info.u8();
    if (flags & 0x01) info.skip(2);
    const heapAddr = info.offset();
    const nameIndex = info.offset();
    if (heapAddr === undefined || nameIndex === undefined) return;
    const heap = await this.heapHeader(heapAddr);
    for (const record of await this.treeRecords(nameIndex, 8)) {
      if (record.length < heap.heapIdLength + 1) throw new Error("a name index record shorter than a heap id");
      if (record[heap.heapIdLength]! & 0x02) throw new Unsupported("a shared attribute message");
      const id = new Cursor(record.subarray(0, heap.heapIdLength), 0, this.offsetSize, this.lengthSize);
      await this.attribute(await this.heapObject(heap, id));
    }
  }

  private async heapHeader(addr: number): Promise<Heap> {
    const size = 22 + 3 * this.offsetSize + 12 * this.lengthSize;
    const c = await this.block(addr, size, "a fractal heap header");
    c.signature("FRHP");
    const version = c.u8();
    if (version !== 0) throw new Error(`fractal heap version ${version}`);
    const heapIdLength = c.u16();
    const filters = c.u16();
    if (filters > 0) throw new Unsupported("a filtered fractal heap");
    c.skip(1);
    const maxManagedSize = c.u32();
    c.length(); // next huge object id
    const hugeTree = c.offset();
    c.length(); // free space
    c.offset(); // free-space manager
    for (let i = 0; i < 8; i++) c.length(); // managed space, allocated, iterator, counts and sizes
    const tableWidth = c.u16();
    const startingBlockSize = c.length();
    const maxDirectBlockSize = c.length();
    const maxHeapSize = c.u16();
    c.skip(2); // starting rows of the root indirect block
    const rootBlock = c.offset();
    const rootRows = c.u16();
    if (!tableWidth || !startingBlockSize || !maxDirectBlockSize || maxHeapSize > 64 || heapIdLength < 2)
      throw new Error("a fractal heap header with a zero or oversized field");
    return {
      heapIdLength,
      maxManagedSize,
      ...(hugeTree !== undefined ? { hugeTree } : {}),
      tableWidth,
      startingBlockSize,
      maxDirectBlockSize,
      maxHeapSize,
      ...(rootBlock !== undefined ? { rootBlock } : {}),
      rootRows,
    };
  }

  /** The bytes of the heap object `id` names, as a cursor over them. */
  private async heapObject(heap: Heap, id: Cursor): Promise<Cursor> {
    const first = id.u8();
    if (first >> 6 !== 0) throw new Error(`heap id version ${first >> 6}`);
    const kind = (first >> 4) & 0x03;
    if (kind === 2) {
      // Tiny: the object is the id's own bytes.
      const length = (first & 0x0f) + 1;
      id.need(length, "a tiny heap object");
      return new Cursor(id.buf.subarray(id.pos, id.pos + length), 0, this.offsetSize, this.lengthSize);
    }
    if (kind === 1) return this.hugeObject(heap, id);
    if (kind !== 0) throw new Error(`heap id type ${kind}`);
    const offset = id.uint(Math.ceil(heap.maxHeapSize / 8)) ?? Number.NaN;
    const length = id.uint(Math.min(bytesFor(heap.maxDirectBlockSize - 1), bytesFor(heap.maxManagedSize))) ?? Number.NaN;
    if (!(offset >= 0) || !(length >= 0)) throw new Error("an undefined heap offset or length");
    if (heap.rootBlock === undefined) throw new Error("a heap object in an empty heap");
    let blockAddr: number;
    let blockOffset: number;
    let blockSize: number;
    if (heap.rootRows === 0) {
      blockAddr = heap.rootBlock;
      blockOffset = 0;
      blockSize = heap.startingBlockSize;
    } else {
      // The root indirect block's rows of direct blocks: row 0 and 1 of the starting size, then doubling.
      const maxDirectRows = Math.log2(heap.maxDirectBlockSize) - Math.log2(heap.startingBlockSize) + 2;
      let row = 0;
      let rowOffset = 0;
      let size = heap.startingBlockSize;
      for (; row < heap.rootRows; row++) {
        if (row >= 2) size *= 2;
        if (offset < rowOffset + size * heap.tableWidth) break;
        rowOffset += size * heap.tableWidth;
      }
      if (row >= heap.rootRows) throw new Error("a heap offset past the heap");
      if (row >= maxDirectRows) throw new Unsupported("a heap object in a child indirect block");
      const column = Math.floor((offset - rowOffset) / size);
      if (!heap.children) {
        const entries = heap.rootRows * heap.tableWidth;
        const ib = await this.block(
          heap.rootBlock,
          4 + 1 + this.offsetSize + Math.ceil(heap.maxHeapSize / 8) + entries * this.offsetSize,
          "a fractal heap indirect block",
        );
        ib.signature("FHIB");
        ib.skip(1 + this.offsetSize + Math.ceil(heap.maxHeapSize / 8));
        heap.children = Array.from({ length: entries }, () => ib.offset());
      }
      const addr = heap.children[row * heap.tableWidth + column];
      if (addr === undefined) throw new Error("a heap object in an unallocated block");
      blockAddr = addr;
      blockOffset = rowOffset + column * size;
      blockSize = size;
    }
    const within = offset - blockOffset;
    if (within < 0 || within + length > blockSize) throw new Error("a heap object outside its direct block");
    return this.block(blockAddr + within, length, "a heap object");
  }

  /** A huge object, found through the heap's B-tree of huge objects (ids that hold a key, not an address). */
  private async hugeObject(heap: Heap, id: Cursor): Promise<Cursor> {
    if (heap.heapIdLength - 1 >= this.offsetSize + this.lengthSize) {
      const addr = id.offset();
      const length = id.length();
      if (addr === undefined) throw new Error("a huge object at an undefined address");
      return this.value(addr, length);
    }
    const key = id.uint(Math.min(heap.heapIdLength - 1, 8));
    if (heap.hugeTree === undefined) throw new Error("a huge object without its tree");
    heap.hugeRecords ??= await this.treeRecords(heap.hugeTree, 1);
    for (const r of heap.hugeRecords) {
      const c = new Cursor(r, 0, this.offsetSize, this.lengthSize);
      const addr = c.offset();
      const length = c.length();
      if (c.length() === key && addr !== undefined) return this.value(addr, length);
    }
    throw new Error(`huge object ${key} not found`);
  }

  /** A huge object's bytes: a block that may be as large as an attribute value. */
  private value(addr: number, length: number): Promise<Cursor> {
    return this.block(addr, length, "an attribute", this.limits.maxValue + (1 << 16));
  }

  /** Every record of the version-2 B-tree at `addr` (of the record type expected), in no particular order. */
  private async treeRecords(addr: number, type: number): Promise<Buffer[]> {
    const h = await this.block(addr, 4 + 1 + 1 + 4 + 2 + 2 + 1 + 1 + this.offsetSize + 2 + this.lengthSize + 4, "a B-tree header");
    h.signature("BTHD");
    h.skip(1);
    if (h.u8() !== type) throw new Error(`a B-tree of another type than ${type}`);
    const nodeSize = h.u32();
    const recordSize = h.u16();
    const depth = h.u16();
    h.skip(2);
    const root = h.offset();
    const rootRecords = h.u16();
    if (root === undefined || rootRecords === 0) return [];
    if (!recordSize || nodeSize < 10 + recordSize || depth > 8) throw new Error("a B-tree header with impossible sizes");
    // Field sizes in internal nodes (HDF5's H5B2__hdr_init): the record count of a child, and below
    // the first level the count of its whole subtree.
    const maxLeaf = Math.floor((nodeSize - 10) / recordSize);
    const countSize = bytesFor(maxLeaf);
    const cumulative = [maxLeaf];
    const cumulativeSize = [0];
    for (let d = 1; d <= depth; d++) {
      const pointer = this.offsetSize + countSize + cumulativeSize[d - 1]!;
      const maxRecords = Math.floor((nodeSize - (10 + pointer)) / (recordSize + pointer));
      cumulative.push((maxRecords + 1) * cumulative[d - 1]! + maxRecords);
      cumulativeSize.push(bytesFor(cumulative[d]!));
    }
    const out: Buffer[] = [];
    const visit = async (at: number, records: number, level: number): Promise<void> => {
      this.once(at, "a B-tree node");
      const c = await this.block(at, Math.min(nodeSize, this.limits.maxBlock), "a B-tree node");
      c.signature(level === 0 ? "BTLF" : "BTIN");
      c.skip(1);
      if (c.u8() !== type) throw new Error("a B-tree node of another type");
      for (let i = 0; i < records; i++) {
        c.need(recordSize, "a B-tree record");
        out.push(c.buf.subarray(c.pos, c.pos + recordSize));
        c.pos += recordSize;
      }
      if (level === 0) return;
      const children: [number, number][] = [];
      for (let i = 0; i <= records; i++) {
        const child = c.offset();
        const n = c.uint(countSize) ?? 0;
        if (level > 1) c.uint(cumulativeSize[level - 1]!);
        if (child === undefined) throw new Error("a B-tree child at an undefined address");
        children.push([child, n]);
      }
      for (const [child, n] of children) await visit(child, n, level - 1);
    };
    await visit(root, rootRecords, depth);
    return out;
  }
}

/** The text without trailing NULs (and spaces, for a space-padded fixed string). */
function withoutPadding(text: string, spaces: boolean): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === "\0" || (spaces && text[end - 1] === " "))) end--;
  return text.slice(0, end);
}

/** Elements in a dataspace message: 1 for a scalar, 0 for a null space, the product of the dimensions otherwise. */
function elements(c: Cursor): number {
  const version = c.u8();
  const rank = c.u8();
  c.skip(1); // flags: whether maximum dimensions follow, which come after the ones counted here
  if (version === 1) c.skip(5);
  else if (version === 2) {
    const type = c.u8();
    if (type === 2) return 0;
    if (type === 0) return 1;
  } else throw new Error(`dataspace version ${version}`);
  let n = 1;
  for (let i = 0; i < rank; i++) n *= c.length();
  return n;
}

/**
 * The root group's attributes; the text of those `wanted` says, when they are strings. Unsupported
 * structure or a malformed file gives `{ ok: false, reason }`.
 */
export async function readRootAttributes(ra: RandomAccess, wanted: (name: string) => boolean, limits: Hdf5Limits = HDF5_LIMITS): Promise<RootAttributes> {
  const r = new Reader(ra, limits, wanted);
  try {
    await r.objectHeader(await r.rootHeader());
    return { ok: true, attributes: r.attributes };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}
