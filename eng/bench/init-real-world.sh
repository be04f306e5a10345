#!/usr/bin/env bash
# `init && validate && run` on a real-world conv net with symbolic dims: torchvision MobileNetV3-Small exported with
# [batch, 3, height, width] and a labelled image folder (eng/fixtures/make_mobilenet_v3_folder.py), as a new user
# brings them. Prints the written manifest's choices, the run's report, whether the int8 variant is static
# (QLinearConv, no ConvInteger), and the wall time of each step. Results: docs/benchmarks.md.
# Usage: eng/bench/init-real-world.sh [--keep DIR] [--measure] [--arch NAME] [--importance NAME] [--recover M] [--per-class N]
#   --arch     the torchvision classifier to export (default mobilenet_v3_small; e.g. resnet18, mobilenet_v2,
#              shufflenet_v2_x1_0, efficientnet_b0)
#   --importance  rank channels of the written `pruned` variant by NAME (l1, l2, bn-scale, group) instead of init's choice
#   --recover  the written `pruned` variant's recovery: a method (least-squares, bn-recalibration, bias-correction) or none
#   --per-class  crops per class (photo) in the generated image folder (default 8: 40 images)
#   --measure  run with latency measurement (default --no-measure: the accuracy and structure check only)
# The folder holds one image set, so `init` splits it: calibration and recovery fit on a stratified subset, and the
# evaluation entry leaves that subset out (`except:`), so the run's top-1 is measured on images neither has seen.
# Needs /usr/bin/python3 with torch/torchvision, and src/Tool built in Release.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$PWD"
tool="$repo/src/Tool/bin/Release/net10.0/dotnet-compress.dll"
[ -f "$tool" ] || { echo "eng/bench/init-real-world.sh: build src/Tool first (dotnet build src/Tool -c Release)" >&2; exit 2; }
folder=""
measure="--no-measure"
arch=mobilenet_v3_small
importance=""
recover=""
per_class=8
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) folder="$2"; shift 2 ;;
    --measure) measure=""; shift ;;
    --arch) arch="$2"; shift 2 ;;
    --importance) importance="$2"; shift 2 ;;
    --recover) recover="$2"; shift 2 ;;
    --per-class) per_class="$2"; shift 2 ;;
    *) echo "eng/bench/init-real-world.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
if [ -z "$folder" ]; then
  folder="$(mktemp -d /tmp/init-real-world.XXXXXX)"; trap 'rm -rf "$folder"' EXIT
else
  rm -rf "$folder"; mkdir -p "$folder"; folder="$(cd "$folder" && pwd)"
fi

timed() {
  local label="$1"; shift
  local start end code=0
  start=$(date +%s.%N)
  "$@" || code=$?
  end=$(date +%s.%N)
  printf '%s: %.1f s\n' "$label" "$(echo "$end - $start" | bc)" >&2
  return $code
}

timed "generate" /usr/bin/python3 eng/fixtures/make_mobilenet_v3_folder.py "$folder" --arch "$arch" --per-class "$per_class" 2> >(grep -v Warning >&2)
cd "$folder"
timed "init" dotnet "$tool" init -q
if [ -n "$importance" ]; then
  sed -i "s/{ prune: { method: structured, /{ prune: { method: structured, importance: $importance, /" compression.yaml
fi
if [ "$recover" = none ]; then
  sed -i "s/, { recover: { method: [a-z-]* } }//" compression.yaml
elif [ -n "$recover" ]; then
  sed -i "s/{ recover: { method: [a-z-]* } }/{ recover: { method: $recover } }/" compression.yaml
fi
grep -E "preprocess:|inputShapes:|limit:|sampling:|except:|mode: (static|dynamic)|prune:|metric: top1" compression.yaml
timed "validate" dotnet "$tool" validate
set +e
timed "run" dotnet "$tool" run -q $measure
status=$?
set -e
echo "run exit code: $status"
/usr/bin/python3 - <<'EOF'
import collections, glob, json, os, sys, onnx
if not os.path.exists("artifacts/compression/report.json"):
    print("no report.json: the run stopped before publishing (its error is above)", file=sys.stderr)
    sys.exit(0)
report = json.load(open("artifacts/compression/report.json"))
for model in report["models"]:
    for variant in model["variants"]:
        print(variant["name"], "top1", variant.get("accuracy", {}).get("top1"))
for path in sorted(glob.glob("artifacts/compression/*/int8/*.onnx")):
    ops = collections.Counter(node.op_type for node in onnx.load(path).graph.node)
    # Static int8 is written as QDQ (QuantizeLinear/DequantizeLinear around Conv, fused to QLinearConv by ONNX
    # Runtime); dynamic int8 would show ConvInteger or DynamicQuantizeLinear.
    print(path, "static" if ops["QuantizeLinear"] and not ops["ConvInteger"] and not ops["DynamicQuantizeLinear"] else "NOT static",
          dict((op, ops[op]) for op in ("QuantizeLinear", "DequantizeLinear", "QLinearConv", "Conv", "ConvInteger", "DynamicQuantizeLinear")))
EOF
exit $status
