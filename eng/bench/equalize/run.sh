#!/usr/bin/env bash
# Effect of `equalize` before static int8 on MobileNetV2 (torchvision architecture, random weights with trained-like
# BatchNorm statistics: eng/fixtures/export_torchvision.py), judged by agreement with the fp32 model on its random
# normal inputs (top-1 agreement and output cosine; no labels offline).
# Usage, from the repository root:
#   /usr/bin/python3 eng/fixtures/export_torchvision.py /tmp/tv --models mobilenet_v2 --samples 64
#   eng/bench/equalize/run.sh /tmp/tv [OUT_DIR]
set -euo pipefail
models=${1:?folder with mobilenet_v2.onnx and inputs_224.npy}
out=${2:-/tmp/compress-equalize-bench}
rm -rf "$out" && mkdir -p "$out"
cat > "$out/compression.yaml" <<YAML
version: 1
target: host
measure: { intraOpThreads: 1 }
datasets:
  inputs: { format: npy, path: $models/inputs_224.npy }
models:
  - name: mobilenet_v2
    path: $models/mobilenet_v2.onnx
    dataset: inputs
    calibration: inputs
    variants:
      - name: int8
        passes: [ { quantize: { mode: static, calibration: percentile } } ]
      - name: equalize-int8
        passes: [ { equalize: { iterations: 3 } }, { quantize: { mode: static, calibration: percentile } } ]
      - name: equalize-relu-int8
        passes: [ { equalize: { iterations: 3, relu6: relu } }, { quantize: { mode: static, calibration: percentile } } ]
      - name: equalize-relu
        passes: [ { equalize: { iterations: 3, relu6: relu } } ]
YAML
tool=${TOOL:-dotnet run --project src/Tool -c Release --no-build --}
$tool run -m "$out/compression.yaml" --out "$out/artifacts" --no-measure > "$out/run.log" 2>&1 || { tail -20 "$out/run.log"; exit 1; }
/usr/bin/python3 - "$out/artifacts/report.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
for v in report["models"][0]["variants"]:
    eq = next((p.get("details", {}) for p in v.get("passes", []) if p.get("name") == "equalize"), {})
    print(v["name"], "agreement:", v.get("agreement"), "equalize:", eq)
PY
