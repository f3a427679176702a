// Downloads from a hub that are not pinned to a commit: models (from_pretrained, pipeline,
// hf_hub_download, PEFT adapters; each model id is also recorded for `aigate init`), datasets,
// LangChain Hub prompts and torch.hub repositories. A local path, local_files_only=True or a
// revision that is a commit hash is pinned; a branch or tag name is not.
import type { Node } from "web-tree-sitter";
import { isCommitHash } from "../../dependencies/text.js";
import { anyName, codePatterns } from "../patterns.js";
import { at } from "../places.js";
import { unpinnedPromptHit } from "../prompt-download.js";
import { shortText } from "../tree-walk.js";
import type { PyFile } from "./context.js";
import type { PyCall } from "./names.js";
import { isTrue, pyString } from "./syntax.js";

/** A path on this machine rather than a name on a hub. */
const LOCAL_PATH = /^(\.{0,2}\/|~|[A-Za-z]:\\)/;

/** The download findings of one call (and the model it names, into file.out.models). */
export function downloadFindings(file: PyFile, c: PyCall): void {
  const other = codePatterns().downloads.pythonOther;
  if (anyName(other.datasets, c.name)) datasetDownload(file, c);
  else if (anyName(other.prompts, c.name)) promptDownload(file, c);
  else if (anyName(other.torchHub, c.name) && pyString(c.kwargs.get("source")) !== "local") torchHubDownload(file, c);
  if (anyName(codePatterns().downloads.python, c.name)) modelDownload(file, c);
}

/** A string literal's value, or the value of the constant a name stands for. */
const literal = (file: PyFile, n: Node | undefined) => pyString(n) ?? (n?.type === "identifier" ? file.names.constants.get(n.text) : undefined);
const arg = (c: PyCall, i: number, kw: string) => c.positional[i] ?? c.kwargs.get(kw);

function datasetDownload(file: PyFile, c: PyCall): void {
  const id = literal(file, arg(c, 0, "path"));
  const revision = literal(file, c.kwargs.get("revision"));
  const local = id !== undefined && (codePatterns().downloads.pythonOther.localBuilders.includes(id) || LOCAL_PATH.test(id));
  if (local || isCommitHash(revision)) return;
  const what = id ? `the dataset "${id}"` : `the dataset named by ${shortText(arg(c, 0, "path") ?? c.node)?.slice(0, 60) ?? "its argument"}`;
  file.out.hits.push({
    kind: "code.unpinned-download",
    ...at(c.node),
    message: `${c.name}() downloads ${what} from the hub ${revision ? `at revision "${revision}", a movable name,` : "without revision="} instead of a commit hash: the data can change under the same name`,
    key: `${c.name}:${id ?? ""}`,
    data: {
      call: c.name,
      model: id ?? null,
      revision: revision ?? null,
      what,
      pin: revision ? `at revision "${revision}", a movable name, instead of a commit hash` : "without revision= (a commit hash)",
      risk: "the data can change under the same name",
    },
  });
}

function promptDownload(file: PyFile, c: PyCall): void {
  const hit = unpinnedPromptHit(c.name, literal(file, arg(c, 0, "owner_repo_commit")), c.node);
  if (hit) file.out.hits.push(hit);
}

function torchHubDownload(file: PyFile, c: PyCall): void {
  const id = literal(file, arg(c, 0, "repo_or_dir"));
  if (isCommitHash(id?.split(":")[1])) return;
  file.out.hits.push({
    kind: "code.unpinned-download",
    ...at(c.node),
    message: `${c.name}() downloads and runs the code of ${id ? `"${id}"` : "a GitHub repository"} without a commit (owner/repo:commit): the code can change under the same name`,
    key: `${c.name}:${id ?? ""}`,
    data: {
      call: c.name,
      model: id ?? null,
      revision: id?.split(":")[1] ?? null,
      what: `the code of ${id ? `"${id}"` : "a GitHub repository"}`,
      pin: "without a commit (owner/repo:commit)",
      risk: "the code can change under the same name, and it runs",
    },
  });
}

function modelDownload(file: PyFile, c: PyCall): void {
  // PeftModel.from_pretrained(base_model, adapter_id): the adapter is the download.
  const first = c.name.startsWith("peft.")
    ? (c.positional[1] ?? c.kwargs.get("model_id"))
    : (c.positional[0] ??
      c.kwargs.get("pretrained_model_name_or_path") ??
      c.kwargs.get("repo_id") ??
      c.kwargs.get("model_name_or_path") ??
      c.kwargs.get("model"));
  const id = literal(file, first);
  const isPipeline = c.name.endsWith("pipeline");
  const modelId = isPipeline ? (pyString(c.kwargs.get("model")) ?? (c.positional[1] ? pyString(c.positional[1]) : undefined)) : id;
  const local = modelId !== undefined && LOCAL_PATH.test(modelId);
  const revision = literal(file, c.kwargs.get("revision"));
  const pos = at(c.node);
  if (modelId) file.out.models.push({ id: modelId, ...(revision ? { revision } : {}), row: pos.row });
  if (local || isTrue(c.kwargs.get("local_files_only")) || isCommitHash(revision)) return;
  const named = first?.type === "identifier" || first?.type === "attribute" ? shortText(first)?.slice(0, 80) : undefined;
  const what = modelId
    ? `"${modelId}"`
    : isPipeline && !c.kwargs.has("model") && c.positional.length < 2
      ? "the task's default model"
      : named
        ? `the model named by ${named}`
        : "a model";
  file.out.hits.push({
    kind: "code.unpinned-download",
    ...pos,
    message: `${c.name}() downloads ${what} ${revision ? `at revision "${revision}", a movable name,` : "without revision="} instead of a commit hash: the files can change under the same name`,
    key: `${c.name}:${modelId ?? named ?? ""}`,
    data: {
      call: c.name,
      model: modelId ?? null,
      revision: revision ?? null,
      what,
      pin: revision ? `at revision "${revision}", a movable name, instead of a commit hash` : "without revision= (a commit hash)",
      risk: "the files can change under the same name",
    },
  });
}
