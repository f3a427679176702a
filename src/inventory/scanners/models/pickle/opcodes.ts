// The pickle opcodes of protocols 0-5 (CPython's pickletools), with the shape of each argument:
// one table for content detection (a stream that starts with an opcode may be a pickle), the
// walker's handlers (steps.ts, keyed by these names) and its sweep after an error (which bytes are
// opcodes, and how to read past each one's argument).

/** How an opcode's argument is encoded. */
export type OpcodeArgument = "none" | "line" | "two-lines" | "u8" | "u16" | "u32" | "u64" | "u8-length" | "u32-length" | "u64-length";

export const OPCODES = [
  ["MARK", 0x28, "none"],
  ["STOP", 0x2e, "none"],
  ["POP", 0x30, "none"],
  ["POP_MARK", 0x31, "none"],
  ["DUP", 0x32, "none"],
  ["FLOAT", 0x46, "line"],
  ["INT", 0x49, "line"],
  ["BININT", 0x4a, "u32"],
  ["BININT1", 0x4b, "u8"],
  ["LONG", 0x4c, "line"],
  ["BININT2", 0x4d, "u16"],
  ["NONE", 0x4e, "none"],
  ["PERSID", 0x50, "line"],
  ["BINPERSID", 0x51, "none"],
  ["REDUCE", 0x52, "none"],
  ["STRING", 0x53, "line"],
  ["BINSTRING", 0x54, "u32-length"],
  ["SHORT_BINSTRING", 0x55, "u8-length"],
  ["UNICODE", 0x56, "line"],
  ["BINUNICODE", 0x58, "u32-length"],
  ["APPEND", 0x61, "none"],
  ["BUILD", 0x62, "none"],
  ["GLOBAL", 0x63, "two-lines"],
  ["DICT", 0x64, "none"],
  ["EMPTY_DICT", 0x7d, "none"],
  ["APPENDS", 0x65, "none"],
  ["GET", 0x67, "line"],
  ["BINGET", 0x68, "u8"],
  ["INST", 0x69, "two-lines"],
  ["LONG_BINGET", 0x6a, "u32"],
  ["LIST", 0x6c, "none"],
  ["EMPTY_LIST", 0x5d, "none"],
  ["OBJ", 0x6f, "none"],
  ["PUT", 0x70, "line"],
  ["BINPUT", 0x71, "u8"],
  ["LONG_BINPUT", 0x72, "u32"],
  ["SETITEM", 0x73, "none"],
  ["TUPLE", 0x74, "none"],
  ["EMPTY_TUPLE", 0x29, "none"],
  ["SETITEMS", 0x75, "none"],
  ["BINFLOAT", 0x47, "u64"],
  ["PROTO", 0x80, "u8"],
  ["NEWOBJ", 0x81, "none"],
  ["EXT1", 0x82, "u8"],
  ["EXT2", 0x83, "u16"],
  ["EXT4", 0x84, "u32"],
  ["TUPLE1", 0x85, "none"],
  ["TUPLE2", 0x86, "none"],
  ["TUPLE3", 0x87, "none"],
  ["NEWTRUE", 0x88, "none"],
  ["NEWFALSE", 0x89, "none"],
  ["LONG1", 0x8a, "u8-length"],
  ["LONG4", 0x8b, "u32-length"],
  ["BINBYTES", 0x42, "u32-length"],
  ["SHORT_BINBYTES", 0x43, "u8-length"],
  ["SHORT_BINUNICODE", 0x8c, "u8-length"],
  ["BINUNICODE8", 0x8d, "u64-length"],
  ["BINBYTES8", 0x8e, "u64-length"],
  ["EMPTY_SET", 0x8f, "none"],
  ["ADDITEMS", 0x90, "none"],
  ["FROZENSET", 0x91, "none"],
  ["NEWOBJ_EX", 0x92, "none"],
  ["STACK_GLOBAL", 0x93, "none"],
  ["MEMOIZE", 0x94, "none"],
  ["FRAME", 0x95, "u64"],
  ["BYTEARRAY8", 0x96, "u64-length"],
  ["NEXT_BUFFER", 0x97, "none"],
  ["READONLY_BUFFER", 0x98, "none"],
] as const satisfies readonly (readonly [name: string, code: number, argument: OpcodeArgument])[];

/** An opcode's name, as pickletools spells it. */
export type OpcodeName = (typeof OPCODES)[number][0];

/**
 * Every opcode byte. A stream that starts with one may be a pickle without a PROTO header
 * (protocol 0/1, or a later protocol with PROTO removed or put after no-op opcodes such as
 * NEWTRUE POP): pickle.load runs it all the same. A trial walk decides (scan-blob.ts).
 */
export const PICKLE_OPCODES: ReadonlySet<number> = new Set(OPCODES.map(([, code]) => code));
