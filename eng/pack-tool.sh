#!/usr/bin/env bash
# Packs the `dotnet compress` tool: a small CompressionTasks.Tool package that points to one
# CompressionTasks.Tool.<rid> package per platform, each with only that platform's ONNX Runtime natives.
# Usage: eng/pack-tool.sh [--output DIR] [--rid RID[;RID...]] [--version VERSION]
#   --output   folder for the .nupkg files (default artifacts/packages)
#   --rid      platforms to pack (default: all of linux-x64;linux-arm64;win-x64;osx-arm64, as in the project)
#   --version  package version (default: Directory.Build.props)
# Then: dotnet tool install -g --add-source DIR CompressionTasks.Tool --version VERSION
set -euo pipefail
cd "$(dirname "$0")/.."
output="artifacts/packages"
properties=()
while [ $# -gt 0 ]; do
  case "$1" in
    --output) output="$2"; shift 2 ;;
    --rid) properties+=("-p:RuntimeIdentifiers=$2"); shift 2 ;;
    --version) properties+=("-p:Version=$2"); shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
# A separate artifacts folder: a RID subset must not rewrite the solution's own restore output under src/Tool/obj.
dotnet pack src/Tool/CompressionTasks.Tool.csproj -c Release -nologo -o "$output" \
  --artifacts-path artifacts/pack-tool ${properties[@]+"${properties[@]}"}
ls -1 "$output"/CompressionTasks.Tool*.nupkg
