#!/usr/bin/env bash
# Publishes the on-device runner: self-contained (the .NET runtime inside), framework assemblies trimmed, no native
# ONNX Runtime (the device's own libonnxruntime.so is passed with --ort-library). Intermediate files go to a temporary
# folder, so the repository's own build of the runner (used by the tests) is left alone.
# Usage: eng/publish-runner.sh [RID] [OUT]      RID defaults to linux-arm64 (Jetson), OUT to artifacts/runner/RID.
set -euo pipefail
cd "$(dirname "$0")/.."
rid=${1:-linux-arm64}
out=${2:-artifacts/runner/$rid}
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
dotnet publish src/Runner/CompressionTasks.Runner.csproj -c Release -r "$rid" -o "$out" --artifacts-path "$build" -nologo -clp:ErrorsOnly
echo "runner published to $out"
