#!/usr/bin/env bash
# Resource bounds: evaluates the digits CNN (baseline only, --no-measure) on a generated 50,000-image dataset, once
# as an image folder and once as npy, and prints the tool's peak RSS for each (GNU time's "Maximum resident set
# size"). Results go to docs/benchmarks.md, "Resource bounds".
#   eng/bench/resource-bounds/run.sh [N=50000]
set -euo pipefail
repo="$(cd "$(dirname "$0")/../../.." && pwd)"
count="${1:-50000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dotnet build "$repo/src/Tool" -c Release -nologo -clp:ErrorsOnly >/dev/null
tool="$repo/src/Tool/bin/Release/net10.0/dotnet-compress.dll"
/usr/bin/python3 "$(dirname "$0")/make_dataset.py" "$repo" "$work" "$count"
mkdir -p "$work/models"
cp "$repo/models/digits_cnn.onnx" "$work/models/"
for format in image-folder npy; do
  if [[ $format == image-folder ]]; then dataset="{ format: image-folder, path: images, preprocess: { colorMode: grayscale, scale: 0.0039215686, layout: NCHW } }"
  else dataset="{ format: npy, path: x.npy, labels: y.npy }"; fi
  cat > "$work/compression.yaml" <<YAML
version: 1
target: host
output: out-$format
datasets:
  big: $dataset
models:
  - { name: digits-cnn, path: models/digits_cnn.onnx, dataset: big }
YAML
  (cd "$work" && /usr/bin/time -v dotnet "$tool" run --no-measure -q >"$work/$format.out" 2>"$work/$format.time") || { cat "$work/$format.out" "$work/$format.time"; exit 1; }
  samples=$(grep -o '"samples": *[0-9]*' "$work/out-$format/report.json" | head -1 | grep -o '[0-9]*$')
  rss=$(grep "Maximum resident set size" "$work/$format.time" | grep -o '[0-9]*$')
  wall=$(grep "Elapsed (wall clock)" "$work/$format.time" | awk '{print $NF}')
  echo "$format: samples=$samples peak_rss_kib=$rss wall=$wall"
done
