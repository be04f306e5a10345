#!/usr/bin/env bash
# The study reproduction: eng/bench/study/run.sh [--quick] [--threads=N] [--render-only]
# Builds the tool and the benchmark (Release), exports the torchvision architectures with random weights (skipped with
# --quick, which runs the digits fixtures only), then runs `dotnet compress run` per model and writes
# eng/bench/out/study/study-results.md and study-figure.svg (the full run also refreshes docs/figures/study-figure1.svg).
# --render-only redraws the tables and figure from the reports of an earlier run without measuring anything.
set -euo pipefail
cd "$(dirname "$0")/../../.."

quick=()
threads=1
for arg in "$@"; do
  case "$arg" in
    --quick) quick=(--quick) ;;
    --render-only) quick+=(--render-only) ;;
    --threads=*) threads="${arg#--threads=}" ;;
    *) echo "usage: eng/bench/study/run.sh [--quick] [--threads=N] [--render-only]" >&2; exit 2 ;;
  esac
done

# Restoring the solution puts the NuGet ResNet18 (Microsoft.ML.DnnImageFeaturizer.ResNet18) into the package cache.
dotnet restore CompressionTasks.sln -nologo -v:q
dotnet build src/Tool -c Release -nologo -clp:ErrorsOnly
dotnet build eng/bench/study -c Release -nologo -clp:ErrorsOnly
tool=src/Tool/bin/Release/net10.0/dotnet-compress.dll

figure=()
if [[ " ${quick[*]} " != *" --quick "* ]]; then
  models=eng/bench/out/models
  if [ ! -f "$models/vgg16.onnx" ] || [ ! -f "$models/inputs_299.npy" ]; then
    /usr/bin/python3 eng/fixtures/export_torchvision.py "$models"
  fi
  figure=(--figure docs/figures/study-figure1.svg)
fi

dotnet eng/bench/study/bin/Release/net10.0/study-bench.dll --tool "$tool" --threads "$threads" "${quick[@]}" "${figure[@]}"
