#!/usr/bin/env bash
# Packs aigate as npm would publish it, installs the tarball (runtime dependencies only) into an
# empty folder, and runs the installed CLI on copies of the bundled examples: --version,
# claims-triage (must fail the gate: exit 1 and a "Gate" line) and support-assistant (must pass).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/aigate-pack-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT

step() { printf '\n== %s\n' "$*"; }
fail() { echo "pack-smoke: $*" >&2; exit 1; }

step "npm pack"
tgz=$(npm pack --silent --pack-destination "$work" | tail -n 1)
[ -f "$work/$tgz" ] || fail "npm pack made no tarball"
echo "$tgz: $(du -k "$work/$tgz" | cut -f1) KiB, $(tar tzf "$work/$tgz" | wc -l) files"

step "install the tarball into an empty folder"
mkdir -p "$work/app"
cd "$work/app"
echo '{"name": "aigate-pack-smoke", "version": "0.0.0", "private": true}' > package.json
npm install --no-audit --no-fund "$work/$tgz" >/dev/null
installed=$(node -e 'const l=require("./package-lock.json"); console.log(Object.keys(l.packages).filter((p) => p.startsWith("node_modules/")).join(" "))')
echo "installed: $installed"

step "npx aigate --version"
version=$(npx --no-install aigate --version)
expected=$(node -p 'require(process.argv[1]).version' "$root/package.json")
echo "$version"
[ "$version" = "$expected" ] || fail "--version printed \"$version\", package.json says $expected"

# Each check runs on a copy outside the repository, so nothing of the checkout can help it.
run_check() {
  local example=$1 expect=$2
  shift 2
  rm -rf "$work/$example"
  cp -R "$root/examples/$example" "$work/$example"
  step "npx aigate check $example $* (expect exit $expect)"
  set +e
  npx --no-install aigate check "$work/$example" "$@" >"$work/$example.out" 2>&1
  local code=$?
  set -e
  tail -n 5 "$work/$example.out"
  [ "$code" = "$expect" ] || { cat "$work/$example.out" >&2; fail "$example: exit $code, expected $expect"; }
  grep -q "Gate" "$work/$example.out" || fail "$example: no \"Gate\" line in the output"
  ! grep -qE "ENOENT|Error: Cannot find|at .*\.js:[0-9]+" "$work/$example.out" || fail "$example: the output shows a missing file or a stack trace"
}

run_check claims-triage 1 --today 2026-11-27
run_check support-assistant 0

echo
echo "pack-smoke: ok"
