#!/usr/bin/env bash
# The quick start on a real model: eng/quickstart-resnet18.sh [RUN OPTIONS...]
# Restores the solution (which puts Microsoft.ML.DnnImageFeaturizer.ResNet18 into the NuGet package cache, wherever
# NUGET_PACKAGES or nuget.config put it), copies its ResNet18.onnx to examples/resnet18/ (git-ignored; manifest paths
# are plain paths, so the cache location cannot be written into the manifest), then runs the tool on
# examples/resnet18/compression.yaml. Extra arguments go to `run` (e.g. --no-measure, --out DIR).
# Outputs: examples/resnet18/artifacts/compression/ (report.json, report.md, report.html, the models).
set -euo pipefail
cd "$(dirname "$0")/.."

# The version the test projects download (tests/*/CompressionTasks.*.Tests.csproj PackageDownload).
package=microsoft.ml.dnnimagefeaturizer.resnet18/0.23.1
dotnet restore CompressionTasks.sln -nologo -v:q

cache=$(dotnet nuget locals global-packages --list)
cache=${cache#global-packages: }
model="${cache%/}/$package/tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx"
if [ ! -f "$model" ]; then
  echo "error: $model not found after restore (is $package listed as a PackageDownload?)" >&2
  exit 2
fi
target=examples/resnet18/ResNet18.onnx
if ! cmp -s "$model" "$target"; then
  cp "$model" "$target.tmp"
  mv "$target.tmp" "$target"
fi

exec dotnet run --project src/Tool -c Release --no-restore -- run -m examples/resnet18/compression.yaml "$@"
