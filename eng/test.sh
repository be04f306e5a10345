#!/usr/bin/env bash
# Runs every test project of the solution (Microsoft.Testing.Platform) and writes TRX results.
# Usage: eng/test.sh [--results-directory DIR] [extra test-platform options]
set -euo pipefail
cd "$(dirname "$0")/.."
results="artifacts/test-results"
if [ "${1:-}" = "--results-directory" ]; then results="$2"; shift 2; fi
dotnet build CompressionTasks.sln -c Release -nologo -clp:ErrorsOnly
dotnet test --solution CompressionTasks.sln -c Release --no-build --report-trx --results-directory "$results" "$@"
