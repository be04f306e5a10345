#!/usr/bin/env bash
# Paired speed-up of structured pruning (ratio 0.3) on the MobileNetV3 and segmentation models:
#   eng/bench/pruning/speedup.sh [OUT_DIR] [--time-budget SECONDS] [--round-to N]
# Exports the four models (eng/bench/pruning/export_channelwise.py) to OUT_DIR/original, prunes each into
# OUT_DIR/pruned-roundN (the pruning bench's --models mode, which also prints the MAC table), then times every pair with
# `dotnet compress bench ORIGINAL PRUNED --threads 1` (interleaved blocks, paired latency ratio with its 95% interval)
# and prints one row per model. Load average is printed before and after each pair: the machine may be shared.
set -euo pipefail
cd "$(dirname "$0")/../../.."
out=/tmp/pruning-speedup
budget=60
round=1
while [ $# -gt 0 ]; do
  case "$1" in
    --time-budget) budget="$2"; shift 2 ;;
    --round-to) round="$2"; shift 2 ;;
    -*) echo "usage: eng/bench/pruning/speedup.sh [OUT_DIR] [--time-budget SECONDS] [--round-to N]" >&2; exit 2 ;;
    *) out="$1"; shift ;;
  esac
done
dotnet build src/Tool -c Release -nologo -clp:ErrorsOnly
if [ ! -f "$out/original/deeplabv3_mobilenet_v3_large.onnx" ]; then
  /usr/bin/python3 eng/bench/pruning/export_channelwise.py "$out/original"
fi
dotnet run -c Release --project eng/bench/pruning -- --models "$out/original" --out "$out/pruned-round$round" --round-to "$round"
echo
echo "| model (roundTo $round) | speed-up (95% interval), 1 thread | verdict | blocks | median ms original / pruned | p10-p90 ms original | load average before / after |"
echo "| --- | ---: | --- | ---: | ---: | ---: | --- |"
for original in "$out"/original/*.onnx; do
  name=$(basename "$original" .onnx)
  before=$(cut -d' ' -f1-3 /proc/loadavg)
  dotnet src/Tool/bin/Release/net10.0/dotnet-compress.dll bench "$original" "$out/pruned-round$round/$name.onnx" \
    --threads 1 --time-budget "$budget" --energy none --json > "$out/$name.round$round.bench.json"
  after=$(cut -d' ' -f1-3 /proc/loadavg)
  /usr/bin/python3 - "$out/$name.round$round.bench.json" "$name" "$before" "$after" <<'EOF'
import json, sys
path, name, before, after = sys.argv[1:]
d = json.load(open(path))
s = d["speedup"]
a, b = d["baseline"]["latencyMs"], d["candidate"]["latencyMs"]
q = sorted(a["samples"])
spread = f"{q[len(q) // 10]:.1f}-{q[(9 * len(q)) // 10]:.1f}"
medians = f"{a['median']:.1f} / {b['median']:.1f}"
if s is None:
    print(f"| {name} | n/a (too few blocks) | | | {medians} | {spread} | {before} / {after} |")
else:
    print(f"| {name} | {s['estimate']:.2f}x ({s['low']:.2f}-{s['high']:.2f}) | {s['verdict']} | {s['pairs']} x {s['blockRuns']} runs | {medians} | {spread} | {before} / {after} |")
EOF
done
