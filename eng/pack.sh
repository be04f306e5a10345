#!/usr/bin/env bash
# Packs the CompressionTasks MSBuild package (src/Tasks, which builds the engine in src/Tool) into a local feed.
# Usage: eng/pack.sh [--output DIR] [--version VERSION]
#   --output   feed folder (default: artifacts/packages, the feed sample-project/nuget.config points at)
#   --version  package version (default: the repository's <Version>); a new version avoids a stale copy of the
#              same version in the NuGet cache (~/.nuget/packages/compressiontasks/<version>)
set -euo pipefail
cd "$(dirname "$0")/.."
output="artifacts/packages"
version_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --output) output="$2"; shift 2 ;;
    --version) version_args=("-p:Version=$2"); shift 2 ;;
    *) echo "eng/pack.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
dotnet pack src/Tasks/CompressionTasks.Tasks.csproj -c Release -nologo -clp:ErrorsOnly -o "$output" "${version_args[@]}"
