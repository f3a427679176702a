// Parquet's footer and page headers are Thrift compact-protocol structs, which hyparquet decodes
// trusting every count: a list that claims 14 million elements in a 2 KB footer makes it allocate
// an array of that length (over 100 MB) before it finds the bytes missing, and nesting recurses
// once per level. This walk reads a struct as hyparquet will, byte for byte, without building
// anything, and says what is impossible: a list or a string longer than the bytes left, a type
// hyparquet cannot read, nesting deeper than any Parquet struct. Linear in the bytes it reads.

/** Nesting no Parquet struct needs (FileMetaData → row group → column → metadata → statistics is 6). */
export const MAX_THRIFT_DEPTH = 32;

const STOP = 0;
const TRUE = 1;
const FALSE = 2;
const BYTE = 3;
const I16 = 4;
const I32 = 5;
const I64 = 6;
const DOUBLE = 7;
const BINARY = 8;
const LIST = 9;
const STRUCT = 12;

class Impossible extends Error {}

/** A level being read: a struct (fields until STOP) or a list (a count of elements of one type). */
interface Level {
  list: boolean;
  left: number;
  elem: number;
}

/**
 * Where the struct that starts at `offset` ends, or a sentence saying why hyparquet must not be
 * given it. Mirrors hyparquet's thrift.js: varints are read with its 32-bit arithmetic, so a count
 * is judged as the value hyparquet will use.
 */
export function thriftStructEnd(bytes: Uint8Array, offset: number): number | string {
  let at = offset;
  const byte = (): number => {
    if (at >= bytes.length) throw new Impossible("it ends in the middle of a value");
    return bytes[at++]!;
  };
  // hyparquet's readVarInt: `result |= (byte & 0x7f) << shift`, shifts wrapping at 32 bits.
  const varint = (): number => {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      const b = byte();
      result |= (b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
    }
  };
  const skipVarint = (): void => {
    while (byte() & 0x80);
  };
  const skip = (n: number, what: string): void => {
    if (n < 0 || n > bytes.length - at) throw new Impossible(`${what} of ${n} bytes with ${bytes.length - at} left`);
    at += n;
  };
  const stack: Level[] = [{ list: false, left: 0, elem: STOP }];
  // Reads one value of `type`; a struct or list opens a level instead.
  const value = (type: number, inList: boolean): void => {
    switch (type) {
      case TRUE:
      case FALSE:
        // A boolean field's value is its type; a boolean list element is a byte.
        if (inList) skip(1, "a boolean");
        return;
      case BYTE:
        return skip(1, "a byte");
      case I16:
      case I32:
      case I64:
        return skipVarint();
      case DOUBLE:
        return skip(8, "a double");
      case BINARY:
        return skip(varint(), "a string");
      case LIST: {
        const header = byte();
        let size = header >> 4;
        if (size === 15) size = varint();
        // Every element takes at least one byte: a count beyond the bytes left is a lie.
        if (size < 0 || size > bytes.length - at) throw new Impossible(`a list claims ${size} elements with ${bytes.length - at} bytes left`);
        const elem = header & 0x0f;
        if (size > 0 && !listElement(elem)) throw new Impossible(`a list of Thrift type ${elem}, which Parquet does not use`);
        return open({ list: true, left: size, elem });
      }
      case STRUCT:
        return open({ list: false, left: 0, elem: STOP });
      default:
        throw new Impossible(`a value of Thrift type ${type}, which Parquet does not use`);
    }
  };
  const open = (level: Level): void => {
    if (stack.length >= MAX_THRIFT_DEPTH) throw new Impossible(`it nests deeper than ${MAX_THRIFT_DEPTH} levels`);
    stack.push(level);
  };
  try {
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.list) {
        if (top.left === 0) {
          stack.pop();
          continue;
        }
        top.left--;
        value(top.elem, true);
        continue;
      }
      const header = byte();
      const type = header & 0x0f;
      if (type === STOP) {
        stack.pop();
        continue;
      }
      if (!(header >> 4)) skipVarint(); // the field id, written in full when its delta does not fit
      value(type, false);
    }
  } catch (e) {
    if (e instanceof Impossible) return e.message;
    throw e;
  }
  return at;
}

/** The element types hyparquet reads in a list (a boolean element is a byte there). */
function listElement(type: number): boolean {
  return (type >= TRUE && type <= LIST) || type === STRUCT;
}
