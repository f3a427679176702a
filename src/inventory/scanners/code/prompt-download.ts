// A prompt pulled from the LangChain Hub by name: the same finding in both languages.
import type { Node } from "web-tree-sitter";
import type { Hit } from "./model.js";
import { at } from "./places.js";

/** The hit for `call` downloading the prompt `id` (undefined: named by a non-literal), or nothing when it names a commit. */
export function unpinnedPromptHit(call: string, id: string | undefined, node: Node): Hit | undefined {
  if (/:[0-9a-f]{8,}$/i.test(id ?? "")) return undefined;
  const what = `the prompt ${id ? `"${id}"` : "named by its argument"}`;
  const pin = "from the LangChain Hub without a commit (owner/name:commit)";
  const risk = "its owner can change the instructions your model follows";
  return {
    kind: "code.unpinned-download",
    ...at(node),
    message: `${call}() downloads ${what} ${pin}: ${risk}`,
    key: `${call}:${id ?? ""}`,
    data: { call, model: id ?? null, revision: null, what, pin, risk },
  };
}
