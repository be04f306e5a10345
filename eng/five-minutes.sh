#!/usr/bin/env bash
# The five-minute path of docs/tool.md on the repository's digits fixtures: a folder with two models and a labelled
# image folder, then `init`, `validate` and `run`, printing each command and its real output.
# Usage: eng/five-minutes.sh [--keep DIR]   (default: a temporary folder, deleted afterwards)
# Needs src/Tool built in Release (dotnet build src/Tool -c Release).
set -euo pipefail
cd "$(dirname "$0")/.."
tool="$PWD/src/Tool/bin/Release/net10.0/dotnet-compress.dll"
[ -f "$tool" ] || { echo "eng/five-minutes.sh: build src/Tool first (dotnet build src/Tool -c Release)" >&2; exit 2; }
if [ "${1:-}" = "--keep" ]; then
  folder="$2"; rm -rf "$folder"; mkdir -p "$folder"
else
  folder="$(mktemp -d /tmp/five-minutes.XXXXXX)"; trap 'rm -rf "$folder"' EXIT
fi
mkdir -p "$folder/models" "$folder/data"
cp models/digits_cnn.onnx models/digits_resnet.onnx "$folder/models/"
cp -r data/digits "$folder/data/"
cd "$folder"

step() {
  echo "\$ dotnet compress $*"
  # Progress bars are for terminals: -q keeps results and diagnostics only.
  dotnet "$tool" "$@" 2>&1 | sed "s#$folder#.#g"
  echo
}

step init
step validate
step run --no-measure -q
echo "\$ ls artifacts/compression"
ls artifacts/compression
