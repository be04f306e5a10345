#!/usr/bin/env bash
# What re-creating sessions costs a large model, and how many session epochs the cost rule plans for it
# (docs/measurement.md, "What re-creation may cost"): VGG16 (torchvision, random weights, 528 MB of weights) as the
# baseline and one byte-identical copy, measured by `dotnet compress run` (intraOpThreads 1, sessionEpochs 6), once
# per time budget given. Prints per budget the copy's latencyMs.sessionEpochs, its speed-up interval, the epochs it is
# formed over, its warnings and the run's wall time; the reports stay under eng/bench/out/reopen-cost/<budget>/.
# Usage, from anywhere:
#   eng/bench/reopen-cost/run.sh [--budgets 3,20]
set -euo pipefail
cd "$(dirname "$0")/../../.."
root=$PWD

budgets=3,20
while [ $# -gt 0 ]; do
  case "$1" in
    --budgets) budgets=${2:?--budgets needs a list of seconds}; shift ;;
    *) echo "usage: eng/bench/reopen-cost/run.sh [--budgets LIST]" >&2; exit 2 ;;
  esac
  shift
done

out=$root/eng/bench/out/reopen-cost
mkdir -p "$out/models"
dotnet build src/Tool -c Release -nologo -clp:ErrorsOnly
tool=(dotnet "$root/src/Tool/bin/Release/net10.0/dotnet-compress.dll")
if [ ! -f "$out/models/vgg16.onnx" ] || [ ! -f "$out/models/inputs_224.npy" ]; then
  /usr/bin/python3 eng/fixtures/export_torchvision.py "$out/models" --models vgg16 --samples 2
fi

for budget in ${budgets//,/ }; do
  dir=$out/$budget
  rm -rf "$dir"
  mkdir -p "$dir"
  cat > "$dir/compression.yaml" <<YAML
version: 1
target: host
measure:
  intraOpThreads: 1
  operatorBreakdown: false
  energy: { sensor: none }
  latency: { warmupRuns: 3, minRuns: 10, maxRuns: 5000, maxRelativeHalfWidth: 0.01, timeBudgetSeconds: $budget, sessionEpochs: 6 }
datasets:
  inputs: { format: npy, path: '$out/models/inputs_224.npy' }
models:
  - name: vgg16
    path: '$out/models/vgg16.onnx'
    dataset: inputs
    variants:
      # No passes: the copy is the baseline's bytes, so its speed-up is a null ratio.
      - { name: copy, passes: [] }
YAML
  started=$(date +%s.%N)
  rc=0
  "${tool[@]}" run -m "$dir/compression.yaml" --out "$dir/artifacts" --no-evaluate --force > "$dir/run.log" 2>&1 || rc=$?
  ended=$(date +%s.%N)
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    echo "reopen-cost: budget $budget failed (exit $rc); see $dir/run.log" >&2
    tail -20 "$dir/run.log" >&2
    exit 1
  fi
  mv "$dir/artifacts/report.json" "$dir/report.json"
  rm -rf "$dir/artifacts"
  /usr/bin/python3 - "$dir/report.json" "$budget" "$started" "$ended" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
copy = next(v for v in report["models"][0]["variants"] if v["name"] == "copy")
latency, speedup = copy["latencyMs"], copy.get("speedup") or {}
print(f"budget {sys.argv[2]} s per variant: wall {float(sys.argv[4]) - float(sys.argv[3]):.1f} s, "
      f"loadMs {latency.get('loadMs')}, mean {latency['mean']:.1f} ms, runs {latency['runs']}, stop {latency.get('stopReason')}")
print(f"  sessionEpochs {json.dumps(latency.get('sessionEpochs'))}, sessions {latency.get('sessions')}")
print(f"  speed-up {speedup.get('estimate')} ({speedup.get('low')}-{speedup.get('high')}) over {speedup.get('epochs')} epoch(s), {speedup.get('pairs')} pairs")
for warning in copy.get("warnings") or []:
    print("  warning " + warning[:160])
PY
done
