// Model files known by their names only: the scanner does not parse them, but a Git LFS pointer
// with one of these names stands for model weights, `aigate init` lists them with their manifest
// format, and the data scanner leaves them alone.
import type { ModelFormat } from "../format.js";

export const tfSavedModelFormat: ModelFormat = {
  id: "tf-savedmodel",
  description: "TensorFlow SavedModel or frozen graph (`.pb`): known by name, not parsed",
  extensions: { pb: "tf-savedmodel" },
};
export const coremlFormat: ModelFormat = {
  id: "coreml",
  description: "Core ML model (`.mlmodel`): known by name, not parsed",
  extensions: { mlmodel: "coreml" },
};
export const otherWeightsFormat: ModelFormat = {
  id: "other-weights",
  description: "other weight files (Flax `.msgpack`, tokenizer `.model`, `.dat`): known by name, not parsed",
  extensions: { msgpack: "other", model: "other", dat: "other" },
};
