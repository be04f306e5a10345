#!/usr/bin/env bash
# fp32 vs static int8 vs `quantize: { mode: static, precision: auto }` on MobileNetV3-Small (or --arch NAME, any
# torchvision classifier eng/fixtures/make_mobilenet_v3_folder.py builds), at 1 intra-op thread on the CPU:
#   eng/bench/quantization/precision-auto.sh [--arch NAME] [--threads N] [--quick] [--keep DIR]
# One `run` builds both int8 variants (precision auto profiles fp32 and int8 per node, chooses per region and checks
# its choice by interleaved latency inside the pass) and then measures baseline, int8 and auto interleaved in the same
# blocks: each variant's speed-up over fp32 is the paired ratio with its 95% interval (report.json variants[].speedup).
# Prints that table, what the pass chose (regions in fp32, its predicted and in-pass measured ratios) and the load
# average before and after: the machine may be shared. --quick: a 20 s latency budget instead of 60 s.
# Needs src/Tool built in Release and /usr/bin/python3 with torch/torchvision. Results: docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../../.."
repo="$PWD"
tool="$repo/src/Tool/bin/Release/net10.0/dotnet-compress.dll"
[ -f "$tool" ] || { echo "precision-auto.sh: build src/Tool first (dotnet build src/Tool -c Release)" >&2; exit 2; }
arch=mobilenet_v3_small
threads=1
budget=60
folder=""
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) arch="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --quick) budget=20; shift ;;
    --keep) folder="$2"; shift 2 ;;
    *) echo "precision-auto.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
if [ -z "$folder" ]; then
  folder="$(mktemp -d /tmp/precision-auto.XXXXXX)"; trap 'rm -rf "$folder"' EXIT
else
  mkdir -p "$folder"
fi
[ -f "$folder/models/$arch.onnx" ] || /usr/bin/python3 eng/fixtures/make_mobilenet_v3_folder.py "$folder" --arch "$arch" 2> >(grep -v Warning >&2) >/dev/null
preprocess='{ colorMode: rgb, scale: 0.0039215686, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], layout: NCHW }'
cat > "$folder/compression.yaml" <<YAML
version: 1
target: host
measure:
  executionProvider: cpu
  intraOpThreads: $threads
  latency: { confidence: 0.95, maxRelativeHalfWidth: 0.01, warmupRuns: 10, minRuns: 20, maxRuns: 5000, timeBudgetSeconds: $budget }
  energy: { sensor: none }
datasets:
  images: { format: image-folder, path: $folder/images, preprocess: $preprocess }
  images-calib: { format: image-folder, path: $folder/images, limit: 32, sampling: stride, preprocess: $preprocess }
models:
  - name: $arch
    path: $folder/models/$arch.onnx
    inputShapes: { input: [1, 3, 224, 224] }
    dataset: images
    calibration: images-calib
    variants:
      - { name: int8, passes: [ { quantize: { mode: static } } ] }
      - { name: auto, passes: [ { quantize: { mode: static, precision: auto } } ] }
YAML
before=$(cut -d' ' -f1-3 /proc/loadavg)
rm -rf "$folder/out"
dotnet "$tool" run -q --force -m "$folder/compression.yaml" --out "$folder/out" >/dev/null || true
after=$(cut -d' ' -f1-3 /proc/loadavg)
/usr/bin/python3 - "$folder/out/report.json" "$before" "$after" "$threads" <<'PY'
import json, sys
path, before, after, threads = sys.argv[1:]
report = json.load(open(path))
model = report["models"][0]
print(f"{model['name']}, {threads} intra-op thread(s), load average before / after: {before} / {after}")
print("| variant | median ms | speed-up over fp32 (95% interval) | verdict | top-1 agreement % |")
print("| --- | ---: | ---: | --- | ---: |")
for v in model["variants"]:
    lat = (v.get("latencyMs") or {}).get("median")
    s = v.get("speedup")
    ratio = f"{s['estimate']:.2f}x ({s['low']:.2f}-{s['high']:.2f})" if s else "1 (baseline)"
    verdict = s["verdict"] if s else ""
    agreement = v.get("agreement")
    print(f"| {v['name']} | {lat:.2f} | {ratio} | {verdict} | {agreement['top1']:.1f} |" if agreement else f"| {v['name']} | {lat:.2f} | {ratio} | {verdict} | |")
auto = next(v for v in model["variants"] if v["name"] == "auto")
d = next(p for p in auto["passes"] if p["name"] == "quantize")["details"]
fp32_nodes = [n for n in d.get("precisionFp32Nodes", "").split(",") if n]
choices = d.get("precisionChoices", "").split(",")
print(f"precision auto chose {d.get('precisionChosen')}: {len(fp32_nodes)} of {len(choices)} quantizable nodes in fp32, {d.get('precisionRegions')} regions, "
      f"{d.get('precisionThreads')} thread(s) on {d.get('precisionProvider')}")
print(f"  predicted per-node kernel sums: fp32 {d.get('predictedFp32Ms')} ms, int8 {d.get('predictedInt8Ms')} ms, mix {d.get('predictedMixMs')} ms "
      f"(int8 {d.get('predictedInt8Speedup')}x, mix {d.get('predictedMixSpeedup')}x)")
print(f"  measured in the pass: fp32 {d.get('measuredFp32Ms')} ms, int8 {d.get('measuredInt8Ms')} ms ({d.get('measuredInt8Speedup')}), "
      f"mix {d.get('measuredMixMs', '-')} ms ({d.get('measuredMixSpeedup', '-')})")
print(f"  unattributed kernel time: {d.get('precisionUnattributedMs')}; quantize pass {next(p for p in auto['passes'] if p['name'] == 'quantize')['durationMs'] / 1000:.1f} s")
PY
