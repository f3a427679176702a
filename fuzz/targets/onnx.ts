// The ONNX reader (scanOnnx): a protobuf walk of ModelProto for custom domains, external data
// locations and the like. A protobuf that does not parse is a finding, never an exception.
import { scanOnnx } from "../../src/inventory/scanners/models/formats/onnx.js";
import { accessBlob } from "../../src/inventory/scanners/models/scan-blob.js";
import type { TargetMeta } from "../lib/harness.js";
import { access, checkResult } from "../lib/models.js";

export const meta: TargetMeta = {
  description: "ONNX protobuf reader (scanOnnx)",
  dict: "onnx",
  seedGlobs: ["__tests__/inventory/scanners/models/fixtures/**/*.onnx"],
};

export async function fuzz(data: Buffer): Promise<void> {
  checkResult(await scanOnnx(await accessBlob(access(data)).open(), data.length, "models/model.onnx"), "scanOnnx");
}
