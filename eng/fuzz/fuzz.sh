#!/usr/bin/env bash
# Long fuzzing for nightly use: runs the seeded fuzz tests of tests/CompressionTasks.Hardening.Tests with many more
# cases and fresh seeds. Findings (inputs that end in anything but a documented CompressionException, or run past the
# per-case limit) are saved to the findings folder; commit each as tests/CompressionTasks.Hardening.Tests/Regressions/
# NAME.EXPECTED.ext once fixed.
#
#   eng/fuzz/fuzz.sh [CASES_PER_TARGET] [ROUNDS]      (defaults: 20000 cases, 5 rounds; seed = date-based)
#   CMP_FUZZ_SEED=123 eng/fuzz/fuzz.sh 5000 1        (replay one seed)
set -euo pipefail
cd "$(dirname "$0")/../.."

cases="${1:-20000}"
rounds="${2:-5}"
first_seed="${CMP_FUZZ_SEED:-$(date -u +%Y%m%d)00}"
findings="${CMP_FUZZ_FINDINGS:-artifacts/fuzz-findings}"
mkdir -p "$findings"

dotnet build tests/CompressionTasks.Hardening.Tests -c Release -nologo -clp:ErrorsOnly
status=0
for ((round = 0; round < rounds; round++)); do
  seed=$((first_seed + round))
  echo "fuzz: seed $seed, $cases cases per target"
  if ! CMP_FUZZ_CASES="$cases" CMP_FUZZ_SEED="$seed" CMP_FUZZ_FINDINGS="$(realpath "$findings")" \
      dotnet test --project tests/CompressionTasks.Hardening.Tests -c Release --no-build \
      --filter "FullyQualifiedName~Fuzzing.FuzzTests&Name!~Regression"; then
    status=1
  fi
done

if [[ $status -ne 0 ]]; then
  echo "fuzz: findings saved under $findings" >&2
fi
exit $status
