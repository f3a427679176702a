// Legacy Keras HDF5 (.h5): the model is described by the root attribute `model_config`, a JSON
// string. The root group's attributes are read by following the file's structure
// (hdf5-attributes.ts): a few kilobytes of a file of any size, and the attribute is found wherever
// it was put. A file whose structure that reader does not follow falls back to a bounded search for
// the JSON object near the start and the end; datasets are never read.
import { randomAccess, tooBig } from "../blob.js";
import type { ModelFormat } from "../format.js";
import type { RandomAccess } from "../reader.js";
import { newResult, type FileResult } from "../result.js";
import { readRootAttributes, SIGNATURE, userBlockOffsets } from "./hdf5-attributes.js";
import { checkKerasConfig } from "./keras.js";

export const hdf5Format: ModelFormat = {
  id: "hdf5",
  description:
    "legacy Keras HDF5 (.h5): the root attributes are read by the file's structure (also after a user block), and the `model_config` JSON is checked like a .keras config; an HDF5 file without a Keras model is no model",
  sniff: (h) => SIGNATURE.every((b, i) => h[i] === b),
  // The HDF5 library (and so h5py and Keras) also finds the superblock after a user block, at 512
  // bytes or any larger power of two.
  sniffAfter: userBlockOffsets,
  scan: async (blob, ctx) => {
    const ra = await randomAccess(blob, ctx);
    return ra ? scanHdf5(ra) : tooBig("keras-h5", blob);
  },
  extensions: { h5: "h5", hdf5: "h5" },
  results: { "keras-h5": { manifest: "h5" } },
};

const WINDOW = 8 << 20;
const MAX_JSON = 16 << 20;

/** Root attributes that mark a file Keras wrote (a whole model, or its weights alone). */
const KERAS_ATTRIBUTES = ["model_config", "keras_version", "layer_names"];

/** undefined when the file is an HDF5 file with no sign of a Keras model (not a model file). */
export async function scanHdf5(ra: RandomAccess): Promise<FileResult | undefined> {
  const root = await readRootAttributes(ra, (name) => name === "model_config");
  if (!root.ok) {
    const res = await searchHdf5(ra);
    if (res) res.details["structure"] = `not followed (${root.reason}): searched the first and last ${WINDOW >> 20} MiB`;
    return res;
  }
  const attrs = root.attributes;
  if (!KERAS_ATTRIBUTES.some((name) => attrs.has(name))) return undefined;
  const res = newResult("keras-h5");
  const configs = attrs.get("model_config") ?? [];
  res.details["modelConfig"] = configs.length > 0;
  for (const text of configs) {
    let config: unknown;
    try {
      config = text === undefined ? undefined : JSON.parse(text);
    } catch {
      config = undefined;
    }
    if (config && typeof config === "object") checkKerasConfig(res, config);
    else
      res.findings.push({
        verdict: "error",
        code: "bad-header",
        message: text === undefined ? "the model_config attribute is not a string" : "the model_config attribute is not a JSON object",
      });
  }
  return res;
}

/** The bounded search, for a file whose structure was not followed. */
async function searchHdf5(ra: RandomAccess): Promise<FileResult | undefined> {
  const head = await ra.read(0, Math.min(ra.size, WINDOW));
  const tail = ra.size > WINDOW ? await ra.read(Math.max(WINDOW, ra.size - WINDOW), WINDOW) : Buffer.alloc(0);
  const isKeras = [head, tail].some((b) => b.includes("keras_version") || b.includes("model_config") || b.includes("model_weights"));
  if (!isKeras) return undefined;
  const res = newResult("keras-h5");
  for (const buf of [head, tail]) {
    const config = findModelConfig(buf);
    if (config) {
      checkKerasConfig(res, config);
      res.details["modelConfig"] = true;
      return res;
    }
  }
  res.details["modelConfig"] = false;
  if (head.includes("model_config"))
    res.findings.push({
      verdict: "error",
      code: "bad-header",
      message: "model_config attribute found but its JSON could not be read (stored outside the searched window or compressed)",
    });
  return res;
}

function findModelConfig(buf: Buffer): unknown {
  const needle = Buffer.from('{"class_name"');
  for (let at = buf.indexOf(needle); at >= 0; at = buf.indexOf(needle, at + 1)) {
    const end = matchBrace(buf, at);
    if (end < 0) continue;
    try {
      const v = JSON.parse(buf.subarray(at, end + 1).toString("utf8")) as Record<string, unknown>;
      if (v && typeof v === "object" && "config" in v) return v;
    } catch {
      // not this one
    }
  }
  return undefined;
}

function matchBrace(buf: Buffer, start: number): number {
  let depth = 0;
  let inStr = false;
  const stop = Math.min(buf.length, start + MAX_JSON);
  for (let i = start; i < stop; i++) {
    const c = buf[i]!;
    if (inStr) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inStr = false;
    } else if (c === 0x22) inStr = true;
    else if (c === 0x7b) depth++;
    else if (c === 0x7d && --depth === 0) return i;
  }
  return -1;
}
