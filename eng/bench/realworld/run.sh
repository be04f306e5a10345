#!/usr/bin/env bash
# Real-world corpus x pass benchmark: eng/bench/realworld/run.sh [--exemplars | --quick] [--models=a,b] [--opsets=11,13,17] [--styles=a,b]
# Builds the tool (Release), makes the corpus with eng/fixtures/realworld/make_corpus.py under eng/bench/out/realworld
# (--quick: three models at opset 13, styles on one), then runs every cell of corpus x {inspect, static int8, dynamic,
# weights, fp16, magnitude 0.5, structured 0.3 + recovery} through `dotnet compress` and writes
# eng/bench/out/realworld/results.md (the table docs/benchmarks.md quotes). CPU heavy: the full corpus takes hours.
set -euo pipefail
cd "$(dirname "$0")/../../.."
dotnet build src/Tool -c Release -nologo -clp:ErrorsOnly
out=eng/bench/out/realworld
corpus=()
cells=()
exemplars=0
for arg in "$@"; do
  case "$arg" in
    --quick) corpus+=(--quick); cells+=(--quick) ;;
    --exemplars) exemplars=1 ;;
    --models=*|--opsets=*|--styles=*) corpus+=("$arg") ;;
    *) echo "usage: eng/bench/realworld/run.sh [--exemplars | --quick] [--models=a,b] [--opsets=11,13,17] [--styles=a,b]" >&2; exit 2 ;;
  esac
done
if [ "$exemplars" = 1 ]; then
  # The committed style exemplars only (models/realworld): minutes, not hours.
  /usr/bin/python3 eng/bench/realworld/cells.py "$out/exemplars" --exemplars
  exit 0
fi
/usr/bin/python3 eng/fixtures/realworld/make_corpus.py --corpus "$out/models" "${corpus[@]}"
/usr/bin/python3 eng/bench/realworld/cells.py "$out" "${cells[@]}"
