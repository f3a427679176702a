// The Keras model-config check (checkKerasConfig) that .keras and .h5 files feed with their JSON
// config: Lambda layers, custom objects, gadget functions. Invalid JSON is parseJsonQuietly's
// SyntaxError (what the zip scanner reports as a bad member); the check itself never throws.
import { checkKerasConfig } from "../../src/inventory/scanners/models/formats/keras.js";
import { newResult } from "../../src/inventory/scanners/models/result.js";
import { parseJsonQuietly } from "../../src/util/json-error.js";
import { expectOnly, text, type TargetMeta } from "../lib/harness.js";
import { checkResult } from "../lib/models.js";

export const meta: TargetMeta = {
  description: "Keras config check (checkKerasConfig)",
  dict: "keras",
  sync: true,
};

export function fuzz(data: Buffer): void {
  let config: unknown;
  try {
    config = parseJsonQuietly(text(data));
  } catch (e) {
    expectOnly(e, SyntaxError);
    return;
  }
  const res = newResult("keras");
  checkKerasConfig(res, config, "config.json");
  checkResult(res, "checkKerasConfig");
}

export function seeds(): Buffer[] {
  const layer = (class_name: string, config: Record<string, unknown>, module = "keras.layers") => ({ module, class_name, config, registered_name: null });
  const model = (layers: unknown[]) => ({ module: "keras", class_name: "Sequential", config: { name: "m", layers }, registered_name: null });
  return [
    model([layer("InputLayer", { batch_shape: [null, 4] }), layer("Dense", { units: 2, activation: "relu" })]),
    model([layer("Lambda", { function: { class_name: "__lambda__", config: { code: "4wEAAAAAAAAA", defaults: null, closure: null } } })]),
    model([layer("Dense", { units: 1, activation: { module: "keras.utils", class_name: "function", config: "get_file", registered_name: "function" } })]),
    model([layer("MyLayer", {}, "my_package.layers")]),
    { class_name: "Functional", config: { layers: [{ class_name: "Model", config: { layers: [layer("Lambda", {})] } }] } },
  ].map((v) => Buffer.from(JSON.stringify(v)));
}
