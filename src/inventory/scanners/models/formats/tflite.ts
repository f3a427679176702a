// TensorFlow Lite flatbuffers: recognised by their identifier; the format runs no code when loaded
// (custom operators must be linked into the interpreter), so nothing more is read.
import type { ModelFormat } from "../format.js";
import { newResult } from "../result.js";

export const tfliteFormat: ModelFormat = {
  id: "tflite",
  description: "TensorFlow Lite flatbuffer: recognised by its `TFL3` identifier; loading it runs no code, so nothing more is read",
  sniff: (h) => h.length >= 8 && h.subarray(4, 8).toString("latin1") === "TFL3",
  scan: async () => newResult("tflite"),
  extensions: { tflite: "tflite" },
  namedAs: "model",
  results: { tflite: { manifest: "tflite" } },
};
