// The HDF5 reader (scanHdf5) behind Keras .h5 files: superblock, object headers, the
// model_config attribute. Corrupt structures are findings (or "not HDF5"), never exceptions.
import { scanHdf5 } from "../../src/inventory/scanners/models/formats/hdf5.js";
import type { TargetMeta } from "../lib/harness.js";
import { access, checkResult } from "../lib/models.js";

export const meta: TargetMeta = {
  description: "HDF5 / Keras .h5 reader (scanHdf5)",
  dict: "hdf5",
  seedGlobs: ["__tests__/inventory/scanners/models/fixtures/**/*.h5"],
};

export async function fuzz(data: Buffer): Promise<void> {
  checkResult(await scanHdf5(access(data)), "scanHdf5");
}
