#!/usr/bin/env bash
# Materialises the pinned tree of every evaluation repository into a folder, with its reviewer's
# manifest as ai-system.yaml at the top. The trees are not committed; the tests never need them.
#
#   eval/fetch-trees.sh OUT_DIR [GIT_DIR_ROOT]
#
# Each repository is read from a git directory that holds the pinned commit:
#   - GIT_DIR_ROOT/<owner>+<name>/repo when it exists (the layout the `fetch` tool gives for
#     `github:<owner>/<name>`: a bare snapshot, read with git show / ls-tree, no work tree), else
#   - a blobless clone from https://github.com/<owner>/<name> into OUT_DIR/.git-dirs (where the
#     network allows).
# Files are written from the git objects one by one (`git cat-file blob`), never by a checkout:
# no hooks, filters or attributes of the repository run, symbolic links and submodules are
# skipped, and blobs the snapshot lacks (its largest files may be listed but absent) are listed in
# OUT_DIR/<name>.missing.txt instead of failing the run.
set -euo pipefail

OUT=${1:?usage: eval/fetch-trees.sh OUT_DIR [GIT_DIR_ROOT]}
GIT_ROOT=${2:-/work/.mirror}
HERE=$(cd "$(dirname "$0")" && pwd)

# name  github owner/repo  commit
REPOS=(
  "ask-multiple-pdfs alejandro-ao/ask-multiple-pdfs dc0155b3f909bc8a56b70d91d8ec550ace0fa921"
  "shell_gpt TheR1D/shell_gpt a082bd5327ce0c4ef5a0284d9060e833be9444a6"
  "alpaca-lora tloen/alpaca-lora 8bb8579e403dc78e37fe81ffbb253c413007323f"
  "langchain-nextjs-template langchain-ai/langchain-nextjs-template 6651b0bd697b3cc59518c28d2a047af23daa6de3"
  "deployment-flask krishnaik06/Deployment-flask e580d7f95b57c50bc746710541414c1c094f6dda"
)

# git with nothing of the repository's own configuration that could run a program.
g() { git -c core.hooksPath=/dev/null -c core.fsmonitor=false -c protocol.file.allow=never "$@"; }

mkdir -p "$OUT"
for entry in "${REPOS[@]}"; do
  read -r name slug commit <<<"$entry"
  gitdir="$GIT_ROOT/${slug/\//+}/repo"
  if ! g -C "$gitdir" cat-file -e "$commit^{commit}" 2>/dev/null; then
    gitdir="$OUT/.git-dirs/$name.git"
    if ! g -C "$gitdir" cat-file -e "$commit^{commit}" 2>/dev/null; then
      rm -rf "$gitdir"
      g clone --quiet --bare --filter=blob:none "https://github.com/$slug" "$gitdir"
    fi
  fi
  dest="$OUT/$name"
  rm -rf "$dest"
  mkdir -p "$dest"
  missing="$OUT/$name.missing.txt"
  : >"$missing"
  # mode type object<TAB>path, NUL-separated so that no file name can break the loop.
  while IFS= read -r -d '' line; do
    meta=${line%%$'\t'*}
    path=${line#*$'\t'}
    read -r mode type object <<<"$meta"
    [[ $type == blob && $mode != 120000 ]] || continue
    case "/$path/" in */../* | */./* | //*) echo "skipped unsafe path: $path" >&2; continue ;; esac
    if ! g -C "$gitdir" cat-file -e "$object" 2>/dev/null; then
      printf '%s\n' "$path" >>"$missing"
      continue
    fi
    mkdir -p "$dest/$(dirname -- "$path")"
    g -C "$gitdir" cat-file blob "$object" >"$dest/$path"
  done < <(g -C "$gitdir" ls-tree -r -z "$commit")
  cp "$HERE/$name/manifest.yaml" "$dest/ai-system.yaml"
  echo "$name: $(find "$dest" -type f | wc -l) files at $commit ($(wc -l <"$missing") absent from the snapshot)"
done
