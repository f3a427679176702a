// Loads policies/models/formats.json (Keras, ONNX and chat-template lists, each with a source).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../../util/package-root.js";

interface Listed {
  values: string[];
  source: string;
}
interface FormatsFile {
  keras: { unsafeClassNames: Listed; unsafeNames: Listed; allowedModuleRoots: Listed; deniedModuleRoots: Listed };
  onnx: { standardDomains: Listed };
  chatTemplate: { unsafePatterns: Listed; keys: Listed };
}

let cached: FormatsFile | undefined;
export function formatData(): FormatsFile {
  cached ??= JSON.parse(readFileSync(join(packageRoot(), "policies", "models", "formats.json"), "utf8")) as FormatsFile;
  return cached;
}
