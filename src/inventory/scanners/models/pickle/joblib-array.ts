// joblib's own rule for the bytes that follow a NumpyArrayWrapper (joblib/numpy_pickle.py,
// NumpyArrayWrapper.read_array): an object dtype is a nested pickle read with pickle.load; any
// other dtype is `prod(shape) * itemsize` raw bytes, after a padding byte count and padding when
// the wrapper records `numpy_array_alignment_bytes` (joblib >= 1.2).
import type { Value } from "./values.js";

export type ArrayPlan =
  { kind: "raw"; bytes: number; alignment: boolean } | { kind: "object"; alignment: boolean } | { kind: "unknown"; reason: string; alignment?: boolean };

/** Item size of a NumPy dtype string such as "<f8", "i4", "U10", "O8", "b1". */
export function itemsize(descr: string, elsize?: number): number | "object" | undefined {
  const m = /^[<>|=]?([biufcOSUVMma?])(\d*)/.exec(descr);
  if (!m) return undefined;
  const kind = m[1]!;
  const n = m[2] ? Number(m[2]) : undefined;
  if (kind === "O") return "object";
  if (kind === "?") return 1;
  if (kind === "U") return n === undefined ? undefined : n * 4;
  if (kind === "V") return n ?? (elsize && elsize > 0 ? elsize : undefined);
  return n;
}

export function joblibArrayPayload(state: Value | undefined): ArrayPlan {
  if (!state || state.t !== "dict") return { kind: "unknown", reason: "state is not a dict" };
  const alignment = state.entries.has("numpy_array_alignment_bytes") && state.entries.get("numpy_array_alignment_bytes")?.t !== "none";
  const dtype = state.entries.get("dtype");
  const shape = state.entries.get("shape");
  if (!dtype || dtype.t !== "call") return { kind: "unknown", reason: "dtype is not a numpy.dtype call", alignment };
  const descr = dtype.args.t === "tuple" ? dtype.args.items[0] : undefined;
  if (!descr || descr.t !== "str") return { kind: "unknown", reason: "dtype without a type string", alignment };
  const dstate = dtype.state?.t === "tuple" ? dtype.state.items : [];
  const fields = dstate[4];
  const elsizeV = dstate[5];
  const elsize = elsizeV?.t === "int" ? Number(elsizeV.v) : undefined;
  // A structured dtype with object fields is read as a pickle too.
  if (fields && fields.t !== "none" && descr.v.startsWith("V")) {
    if (!elsize || elsize <= 0) return { kind: "unknown", reason: "structured dtype without an item size", alignment };
  }
  const size = itemsize(descr.v, elsize);
  if (size === "object") return { kind: "object", alignment };
  if (size === undefined) return { kind: "unknown", reason: `dtype ${descr.v}`, alignment };
  if (!shape || shape.t !== "tuple" || shape.items.length !== shape.len) return { kind: "unknown", reason: "shape is not a tuple of integers", alignment };
  let count = 1n;
  for (const d of shape.items) {
    if (d.t !== "int" || d.v < 0n) return { kind: "unknown", reason: "shape is not a tuple of integers", alignment };
    count *= d.v;
  }
  const bytes = count * BigInt(size);
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) return { kind: "unknown", reason: "array larger than any file", alignment };
  return { kind: "raw", bytes: Number(bytes), alignment };
}
