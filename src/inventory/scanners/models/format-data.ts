// Loads policies/models/formats.json (Keras, ONNX and chat-template lists, each with a source).
import { loadData } from "../../../util/data.js";

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
  cached ??= loadData<FormatsFile>("policies/models/formats.json");
  return cached;
}
