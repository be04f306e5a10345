#!/usr/bin/env bash
# What the static quantize pass's per-tensor SQNR report (layerErrors) costs: the digits models, and with --arch a
# torchvision classifier on a 40-image folder (eng/fixtures/make_mobilenet_v3_folder.py, as eng/bench/init-real-world.sh
# makes it), each quantized static int8 with layerErrors on and off, variants in alternating order, `--repeats` runs
# of `run --no-measure`. Prints each run's quantize pass time (passes[].durationMs) per variant and the median
# difference. Results: docs/passes.md (quantize, "Layer errors").
# Usage: eng/bench/quantization/layer-error-cost.sh [--arch NAME] [--repeats N] [--keep DIR]
# Needs src/Tool built in Release (and /usr/bin/python3 with torch/torchvision for --arch).
set -euo pipefail
cd "$(dirname "$0")/../../.."
repo="$PWD"
tool="$repo/src/Tool/bin/Release/net10.0/dotnet-compress.dll"
[ -f "$tool" ] || { echo "layer-error-cost.sh: build src/Tool first (dotnet build src/Tool -c Release)" >&2; exit 2; }
arch=""
repeats=3
folder=""
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) arch="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --keep) folder="$2"; shift 2 ;;
    *) echo "layer-error-cost.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
if [ -z "$folder" ]; then
  folder="$(mktemp -d /tmp/layer-error-cost.XXXXXX)"; trap 'rm -rf "$folder"' EXIT
else
  mkdir -p "$folder"
fi

variants='    variants:
      - { name: int8-a, passes: [ { quantize: { mode: static } } ] }
      - { name: int8-off, passes: [ { quantize: { mode: static, layerErrors: false } } ] }
      - { name: int8-b, passes: [ { quantize: { mode: static } } ] }'
{
  cat <<YAML
version: 1
target: host
measure: { executionProvider: cpu, intraOpThreads: 1 }
datasets:
  digits-test: { format: npy, path: $repo/data/digits/test_x.npy, labels: $repo/data/digits/test_y.npy }
  digits-calib: { format: npy, path: $repo/data/digits/calib_x.npy, labels: $repo/data/digits/calib_y.npy }
YAML
  if [ -n "$arch" ]; then
    [ -f "$folder/models/$arch.onnx" ] || /usr/bin/python3 eng/fixtures/make_mobilenet_v3_folder.py "$folder" --arch "$arch" 2> >(grep -v Warning >&2) >/dev/null
    cat <<YAML
  images: { format: image-folder, path: $folder/images, preprocess: { colorMode: rgb, scale: 0.0039215686, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], layout: NCHW } }
  images-calib: { format: image-folder, path: $folder/images, limit: 32, sampling: stride, preprocess: { colorMode: rgb, scale: 0.0039215686, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], layout: NCHW } }
YAML
  fi
  echo "models:"
  for m in digits_cnn digits_resnet; do
    printf '  - name: %s\n    path: %s\n    dataset: digits-test\n    calibration: digits-calib\n%s\n' "$m" "$repo/models/$m.onnx" "$variants"
  done
  if [ -n "$arch" ]; then
    printf '  - name: %s\n    path: %s\n    inputShapes: { input: [1, 3, 224, 224] }\n    dataset: images\n    calibration: images-calib\n%s\n' "$arch" "$folder/models/$arch.onnx" "$variants"
  fi
} > "$folder/compression.yaml"

for r in $(seq 1 "$repeats"); do
  rm -rf "$folder/out"
  dotnet "$tool" run -q --no-measure -m "$folder/compression.yaml" --out "$folder/out" >/dev/null || true
  /usr/bin/python3 - "$folder/out/report.json" "$r" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
for model in report["models"]:
    times = {v["name"]: p["durationMs"] for v in model["variants"] for p in v.get("passes") or [] if p["name"] == "quantize"}
    on = [times["int8-a"], times["int8-b"]]
    print(f"run {sys.argv[2]} {model['name']}: quantize with layerErrors {on[0]:.0f} / {on[1]:.0f} ms, without {times['int8-off']:.0f} ms, difference {sum(on) / 2 - times['int8-off']:+.0f} ms")
PY
done
