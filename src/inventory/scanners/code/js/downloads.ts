// Models and prompts fetched by name at run time (transformers.js, the LangChain Hub) without a
// commit to pin them: the files behind the name can change. Also the model ids, for `aigate init`.
import { isCommitHash } from "../../dependencies/text.js";
import { anyName, codePatterns } from "../patterns.js";
import { at } from "../places.js";
import { unpinnedPromptHit } from "../prompt-download.js";
import type { JsFile } from "./context.js";
import { jsString } from "./names.js";

export function unpinnedDownloads(file: JsFile): void {
  const D = codePatterns().downloads;
  const out = file.out;
  for (const c of file.names.calls) {
    if (anyName(D.js, c.name)) {
      const isPipeline = c.name.endsWith(".pipeline");
      const modelId = jsString(isPipeline ? c.args[1] : c.args[0]);
      const revision = jsString(c.options.get("revision"));
      if (modelId) out.models.push({ id: modelId, ...(revision ? { revision } : {}), row: c.node.startPosition.row });
      if (!isCommitHash(revision) && !(modelId && /^(\.{0,2}\/)/.test(modelId))) {
        out.hits.push({
          kind: "code.unpinned-download",
          ...at(c.node),
          message: `${c.name}() downloads ${modelId ? `"${modelId}"` : "a model"} without a commit-hash revision: the files can change under the same name`,
          key: `${c.name}:${modelId ?? ""}`,
          data: {
            call: c.name,
            model: modelId ?? null,
            revision: revision ?? null,
            what: modelId ? `"${modelId}"` : "a model",
            pin: revision ? `at revision "${revision}", a movable name, instead of a commit hash` : "without a commit-hash revision",
            risk: "the files can change under the same name",
          },
        });
      }
    }
    if (anyName(D.jsPrompts, c.name)) {
      const hit = unpinnedPromptHit(c.name, jsString(c.args[0]), c.node);
      if (hit) out.hits.push(hit);
    }
  }
}
