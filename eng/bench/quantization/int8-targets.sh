#!/usr/bin/env bash
# Static int8 against fp32 on torchvision architectures, through `run`: the int8 speed targets' table.
# Each model is exported with random weights and BatchNorm statistics re-estimated on data/photos
# (eng/fixtures/export_mobile.py, seeded), calibrated on the five photos, and measured with its fp32 baseline in one
# `run` (interleaved paired blocks, session epochs: docs/measurement.md); prints one Markdown row per model with the
# paired speed-up and its 95% interval, the target, and the int8 output's cosine against fp32.
# Usage: eng/bench/quantization/int8-targets.sh [--models a,b,...] [--threads N] [--budget SECONDS] [--auto] [--keep DIR]
#   --auto  also builds `quantize: { mode: static, precision: auto }` and measures it in the same run
# Needs /usr/bin/python3 with torch/torchvision and src/Tool built in Release. Results: docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../../.."
repo="$PWD"
tool="$repo/src/Tool/bin/Release/net10.0/dotnet-compress.dll"
[ -f "$tool" ] || { echo "int8-targets.sh: build src/Tool first (dotnet build src/Tool -c Release)" >&2; exit 2; }
models="resnet18,mobilenet_v2,mnasnet1_0,regnet_y_400mf,mobilenet_v3_large,efficientnet_b0,mobilenet_v3_small,shufflenet_v2_x1_0"
threads=1
budget=60
auto=0
folder=""
while [ $# -gt 0 ]; do
  case "$1" in
    --models) models="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --budget) budget="$2"; shift 2 ;;
    --auto) auto=1; shift ;;
    --keep) folder="$2"; shift 2 ;;
    *) echo "int8-targets.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
if [ -z "$folder" ]; then
  folder="$(mktemp -d /tmp/int8-targets.XXXXXX)"; trap 'rm -rf "$folder"' EXIT
else
  mkdir -p "$folder"; folder="$(cd "$folder" && pwd)"
fi
mkdir -p "$folder/models"
echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) logical CPUs, flags: $(grep -o -w 'avx512_vnni\|avx_vnni\|avx512f\|avx2' /proc/cpuinfo | sort -u | xargs), $threads intra-op thread(s), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "| model | fp32 ms | int8 ms | speed-up (95% interval) | verdict | target | cosine vs fp32 | load before / after |"
echo "| --- | ---: | ---: | ---: | --- | ---: | ---: | --- |"
IFS=, read -r -a names <<< "$models"
for name in "${names[@]}"; do
  [ -f "$folder/models/$name.onnx" ] || /usr/bin/python3 eng/fixtures/export_mobile.py "$folder/models" --models "$name" >/dev/null 2> >(grep -v Warning >&2)
  side=224; [ "$name" = inception_v3 ] && side=299
  preprocess="{ colorMode: rgb, resize: { shorterSide: $((side * 8 / 7)) }, centerCrop: [$side, $side], scale: 0.0039215686, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], layout: NCHW }"
  autoVariant=""
  [ "$auto" = 1 ] && autoVariant="      - { name: auto, passes: [ { quantize: { mode: static, precision: auto } } ] }"
  cat > "$folder/$name.yaml" <<YAML
version: 1
target: host
measure:
  executionProvider: cpu
  intraOpThreads: $threads
  latency: { confidence: 0.95, maxRelativeHalfWidth: 0.01, warmupRuns: 10, minRuns: 20, maxRuns: 100000, timeBudgetSeconds: $budget }
  energy: { sensor: none }
datasets:
  photos: { format: image-folder, path: $repo/data/photos, preprocess: $preprocess }
models:
  - name: $name
    path: $folder/models/$name.onnx
    dataset: photos
    calibration: photos
    variants:
      - { name: int8, passes: [ { quantize: { mode: static } } ] }
$autoVariant
YAML
  before=$(cut -d' ' -f1-3 /proc/loadavg)
  rm -rf "$folder/out-$name"
  dotnet "$tool" run -q --force -m "$folder/$name.yaml" --out "$folder/out-$name" > "$folder/$name.log" 2>&1 || true
  after=$(cut -d' ' -f1-3 /proc/loadavg)
  /usr/bin/python3 - "$folder/out-$name/report.json" "$name" "$before" "$after" "$folder/$name.log" <<'PY'
import json, os, sys
path, name, before, after, log = sys.argv[1:]
targets = {"resnet18": 3.0, "resnet50": 3.0, "vgg16": 3.0, "googlenet": 3.0, "inception_v3": 3.0, "mobilenet_v2": 2.0,
           "mnasnet1_0": 1.8, "regnet_y_400mf": 1.8, "mobilenet_v3_large": 1.8, "efficientnet_b0": 1.6,
           "mobilenet_v3_small": 1.5, "shufflenet_v2_x1_0": 1.5}
if not os.path.exists(path):
    tail = open(log).read().strip().splitlines()[-1:] or ["no output"]
    print(f"| {name} | | | not measured: {tail[0][:120]} | | | | {before} / {after} |")
    sys.exit(0)
model = json.load(open(path))["models"][0]
base = next(v for v in model["variants"] if v["name"] == "baseline")
for v in model["variants"]:
    if v["name"] == "baseline":
        continue
    s = v.get("speedup")
    ratio = f"{s['estimate']:.2f}x ({s['low']:.2f}-{s['high']:.2f})" if s else "-"
    cos = (v.get("agreement") or {}).get("cosine")
    cos = f"{cos:.4f}" if isinstance(cos, (int, float)) else "-"
    label = name if v["name"] == "int8" else f"{name} ({v['name']})"
    print(f"| {label} | {base['latencyMs']['median']:.2f} | {v['latencyMs']['median']:.2f} | {ratio} | {s['verdict'] if s else ''} | "
          f"{targets.get(name, 0):.1f}x | {cos} | {before} / {after} |")
PY
done
