#!/usr/bin/env bash
# Paired speed-up of structured pruning (ratio 0.3) on the MobileNetV3 and segmentation models:
#   eng/bench/pruning/speedup.sh [OUT_DIR] [--time-budget SECONDS]
# Exports the four models (eng/bench/pruning/export_channelwise.py) to OUT_DIR/original, prunes each into
# OUT_DIR/pruned (the pruning bench's --models mode, which also prints the MAC table), then times every pair with
# `dotnet compress bench ORIGINAL PRUNED --threads 1` (interleaved blocks, paired latency ratio with its 95% interval)
# and prints one row per model. Load average is printed before and after each pair: the machine may be shared.
set -euo pipefail
cd "$(dirname "$0")/../../.."
out=/tmp/pruning-speedup
budget=60
while [ $# -gt 0 ]; do
  case "$1" in
    --time-budget) budget="$2"; shift 2 ;;
    -*) echo "usage: eng/bench/pruning/speedup.sh [OUT_DIR] [--time-budget SECONDS]" >&2; exit 2 ;;
    *) out="$1"; shift ;;
  esac
done
dotnet build src/Tool -c Release -nologo -clp:ErrorsOnly
if [ ! -f "$out/original/deeplabv3_mobilenet_v3_large.onnx" ]; then
  /usr/bin/python3 eng/bench/pruning/export_channelwise.py "$out/original"
fi
dotnet run -c Release --project eng/bench/pruning -- --models "$out/original" --out "$out/pruned"
echo
echo "| model | speed-up (95% interval), 1 thread | verdict | blocks | load average before / after |"
echo "| --- | ---: | --- | ---: | --- |"
for original in "$out"/original/*.onnx; do
  name=$(basename "$original" .onnx)
  before=$(cut -d' ' -f1-3 /proc/loadavg)
  dotnet src/Tool/bin/Release/net10.0/dotnet-compress.dll bench "$original" "$out/pruned/$name.onnx" \
    --threads 1 --time-budget "$budget" --energy none --json > "$out/$name.bench.json"
  after=$(cut -d' ' -f1-3 /proc/loadavg)
  /usr/bin/python3 - "$out/$name.bench.json" "$name" "$before" "$after" <<'EOF'
import json, sys
path, name, before, after = sys.argv[1:]
s = json.load(open(path))["speedup"]
if s is None:
    print(f"| {name} | n/a (too few blocks) | | | {before} / {after} |")
else:
    print(f"| {name} | {s['estimate']:.2f}x ({s['low']:.2f}-{s['high']:.2f}) | {s['verdict']} | {s['pairs']} x {s['blockRuns']} runs | {before} / {after} |")
EOF
done
