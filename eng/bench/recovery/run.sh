#!/usr/bin/env bash
# Least-squares recovery time on the NuGet ResNet18 (Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1, restored with the
# solution) at structured ratio 0.5, calibrated on data/photos, as the study's `structured-50` variant runs it.
# Prints the recover pass's duration, the pruned model's agreement with the unpruned one on the photos, and the sha256
# of the written model (same bytes = same refit).
# Usage, from the repository root:
#   eng/bench/recovery/run.sh [OUT_DIR]                    # the tool of this checkout (dotnet run --project src/Tool)
#   TOOL="dotnet /path/dotnet-compress.dll" eng/bench/recovery/run.sh [OUT_DIR]   # another build, e.g. an older one
#   RECOVER="{ method: least-squares, ridgeSearch: false }" eng/bench/recovery/run.sh [OUT_DIR]   # other recover options
set -euo pipefail
root=$(pwd)
out=${1:-/tmp/compress-recovery-bench}
recover=${RECOVER:-"{ method: least-squares }"}
cache=${NUGET_PACKAGES:-$HOME/.nuget/packages}
model="$cache/microsoft.ml.dnnimagefeaturizer.resnet18/0.23.1/tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx"
[ -f "$model" ] || { echo "ResNet18 not in the NuGet cache ($model): run dotnet restore first" >&2; exit 2; }
rm -rf "$out" && mkdir -p "$out"
cat > "$out/compression.yaml" <<YAML
version: 1
target: host
measure: { intraOpThreads: 1 }
datasets:
  photos:
    format: image-folder
    path: $root/data/photos
    preprocess: { colorMode: rgb, resize: { shorterSide: 256 }, centerCrop: [224, 224], scale: 0.0039215686, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }
models:
  - name: resnet18
    path: $model
    dataset: photos
    calibration: photos
    variants:
      - name: structured-50
        passes: [ { prune: { method: structured, ratio: 0.5, roundTo: 8 } }, { recover: $recover } ]
YAML
tool=${TOOL:-dotnet run --project "$root/src/Tool" -c Release --no-build --}
$tool run -m "$out/compression.yaml" --out "$out/artifacts" --no-measure > "$out/run.log" 2>&1 || { tail -20 "$out/run.log"; exit 1; }
/usr/bin/python3 - "$out/artifacts/report.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
model = report["models"][0]
variant = next(v for v in model["variants"] if v["name"] == "structured-50")
for p in variant.get("passes", []):
    print(f"{p.get('name')}: {p.get('durationMs')} ms {p.get('details', {})}")
print("agreement:", variant.get("agreement"))
PY
sha256sum "$out/artifacts/resnet18/structured-50/resnet18.onnx"
