#!/usr/bin/env bash
# Null ratio under a busy core: the baseline and two byte-identical copies of ResNet18 and of MobileNetV2 measured in
# one `dotnet compress run` (intraOpThreads 1, pinned to core 0) while a busy loop spins on core 1, repeated N times.
# Reads each report.json and writes eng/bench/out/null-ratio/results.md: the spread of the three means per run and the
# two null speed-ups (baseline / copy) with their intervals, how many contain 1.0, the verdicts and the contention record.
# Usage, from anywhere:
#   eng/bench/null-ratio/run.sh [--quick] [--runs N] [--budget SECONDS] [--models resnet18,mobilenet_v2] [--clock wall|cpu]
#                               [--session-epochs N]
# --session-epochs: measure.latency.sessionEpochs (default: the tool's, 6; 1 = one session per variant throughout).
# --quick: 2 runs of ResNet18 only with a 2 s budget per variant (a smoke check, about 1.5 minutes).
# The full run (20 runs, 5 s per variant, both models) took 30 minutes on a shared 2-core VM at load average 4-21;
# with session epochs (measure.latency.sessionEpochs 6) and the other jobs paused, 21 minutes.
set -euo pipefail
cd "$(dirname "$0")/../../.."
root=$PWD

runs=20
budget=5
models=resnet18,mobilenet_v2
clock=wall
epochs=
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) runs=2; budget=2; models=resnet18 ;;
    --runs) runs=${2:?--runs needs a number}; shift ;;
    --budget) budget=${2:?--budget needs seconds}; shift ;;
    --models) models=${2:?--models needs a list}; shift ;;
    --clock) clock=${2:?--clock needs wall or cpu}; shift ;;
    --session-epochs) epochs=", sessionEpochs: ${2:?--session-epochs needs a number}"; shift ;;
    *) echo "usage: eng/bench/null-ratio/run.sh [--quick] [--runs N] [--budget SECONDS] [--models LIST] [--clock wall|cpu] [--session-epochs N]" >&2; exit 2 ;;
  esac
  shift
done

if [ "$(nproc --all)" -lt 2 ]; then
  echo "null-ratio: needs 2 logical cores (measurement on core 0, busy loop on core 1)" >&2
  exit 2
fi

out=$root/eng/bench/out/null-ratio
rm -rf "$out/runs" "$out/manifests"
mkdir -p "$out/models" "$out/runs" "$out/manifests"

# Restoring the tool puts the NuGet ResNet18 (Microsoft.ML.DnnImageFeaturizer.ResNet18) into the package cache.
dotnet build src/Tool -c Release -nologo -clp:ErrorsOnly
tool=(dotnet "$root/src/Tool/bin/Release/net10.0/dotnet-compress.dll")
nuget=${NUGET_PACKAGES:-$HOME/.nuget/packages}
resnet18=$nuget/microsoft.ml.dnnimagefeaturizer.resnet18/0.23.1/tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx

manifest() { # name, model path, dataset block
  cat > "$out/manifests/$1.yaml" <<YAML
version: 1
target: host
measure:
  intraOpThreads: 1
  operatorBreakdown: false
  energy: { sensor: none }
  latency: { clock: $clock, warmupRuns: 10, minRuns: 10, maxRuns: 5000, maxRelativeHalfWidth: 0.01, timeBudgetSeconds: $budget$epochs }
datasets:
$3
models:
  - name: $1
    path: '$2'
    dataset: inputs
    variants:
      # No passes: each copy is the baseline's bytes (checked below), so every speed-up is a null ratio.
      - { name: copy-a, passes: [] }
      - { name: copy-b, passes: [] }
YAML
}

for model in ${models//,/ }; do
  case "$model" in
    resnet18)
      [ -f "$resnet18" ] || { echo "null-ratio: $resnet18 not found (dotnet restore CompressionTasks.sln)" >&2; exit 2; }
      if [ ! -f "$out/models/resnet18.onnx" ]; then
        # The NuGet file is opset 8; variants start from the model prepared for opset 13, so a copy with no passes
        # would not be the baseline's bytes. Measure the prepared model instead: preparing it again changes nothing.
        manifest resnet18 "$resnet18" "  inputs: { format: image-folder, path: '$root/data/photos' }"
        "${tool[@]}" run -m "$out/manifests/resnet18.yaml" --out "$out/prepare" --only resnet18/copy-a --no-measure --no-evaluate > "$out/prepare.log" 2>&1 \
          || { tail -20 "$out/prepare.log" >&2; exit 1; }
        cp "$out/prepare/resnet18/copy-a/resnet18.onnx" "$out/models/resnet18.onnx"
        rm -rf "$out/prepare"
      fi
      manifest resnet18 "$out/models/resnet18.onnx" "  inputs:
    format: image-folder
    path: '$root/data/photos'
    preprocess: { colorMode: rgb, resize: { shorterSide: 256 }, centerCrop: [224, 224], scale: 0.0039215686, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }" ;;
    mobilenet_v2)
      if [ ! -f "$out/models/mobilenet_v2.onnx" ] || [ ! -f "$out/models/inputs_224.npy" ]; then
        /usr/bin/python3 eng/fixtures/export_torchvision.py "$out/models" --models mobilenet_v2 --samples 4
      fi
      manifest mobilenet_v2 "$out/models/mobilenet_v2.onnx" "  inputs: { format: npy, path: '$out/models/inputs_224.npy' }" ;;
    *) echo "null-ratio: unknown model '$model' (resnet18, mobilenet_v2)" >&2; exit 2 ;;
  esac
done

busy=
stop_busy() { if [ -n "$busy" ]; then kill "$busy" 2>/dev/null || true; wait "$busy" 2>/dev/null || true; busy=; fi; }
trap stop_busy EXIT INT TERM
taskset -c 1 sh -c 'while :; do :; done' &
busy=$!

echo "loadavg before: $(cat /proc/loadavg)" | tee "$out/loadavg.txt"
for i in $(seq -f '%02g' 1 "$runs"); do
  for model in ${models//,/ }; do
    dir=$out/runs/$model/$i
    mkdir -p "$dir"
    rc=0
    started=$(date +%s.%N)
    taskset -c 0 /usr/bin/time -f %M -o "$dir/peak-rss-kib.txt" "${tool[@]}" run -m "$out/manifests/$model.yaml" --out "$dir/artifacts" --no-evaluate --force > "$dir/run.log" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ]; then
      echo "null-ratio: $model run $i failed (exit $rc); see $dir/run.log" >&2
      tail -20 "$dir/run.log" >&2
      exit 1
    fi
    # Keep the report and the models' hashes; drop the copies (45 MB each for ResNet18).
    echo "$started $(date +%s.%N)" > "$dir/seconds.txt"
    (cd "$dir/artifacts" && sha256sum "$model"/*/*.onnx) > "$dir/hashes.txt"
    mv "$dir/artifacts/report.json" "$dir/report.json"
    rm -rf "$dir/artifacts"
    echo "run $i $model done ($(cut -d' ' -f1-3 /proc/loadavg))"
  done
done
echo "loadavg after: $(cat /proc/loadavg)" | tee -a "$out/loadavg.txt"
stop_busy

/usr/bin/python3 eng/bench/null-ratio/aggregate.py "$out" | tee "$out/results.md"
