#!/usr/bin/env bash
# Soak test of the output folder under faults: back-to-back runs alternating two manifests on ONE output folder, each
# run killed (SIGKILL) at a random point or left to finish, then a full run of each manifest must give the same
# unmeasured outputs (models and deploy bundles), byte for byte, as a run of it in a fresh folder.
#
#   eng/soak.sh            50 runs
#   eng/soak.sh --quick    10 runs
#   eng/soak.sh --runs N   N runs;  --seed S  picks the kill points (default 1902)
#
# Prints one line per run and a final verdict; exit 0 when every output matched. Needs a Release build of src/Tool.
set -euo pipefail

runs=50
seed=1902
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) runs=10 ;;
    --runs) runs="$2"; shift ;;
    --seed) seed="$2"; shift ;;
    *) echo "usage: eng/soak.sh [--quick] [--runs N] [--seed S]" >&2; exit 2 ;;
  esac
  shift
done

root="$(cd "$(dirname "$0")/.." && pwd)"
tool="$root/src/Tool/bin/Release/net10.0/dotnet-compress.dll"
if [ ! -f "$tool" ]; then
  dotnet build "$root/src/Tool" -c Release -nologo -clp:ErrorsOnly >&2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/cmp-soak-XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/models" "$work/data"
cp "$root/models/digits_cnn.onnx" "$root/models/digits_resnet.onnx" "$work/models/"
cp "$root"/data/digits/{test_x,test_y,calib_x,calib_y}.npy "$work/data/"

cat > "$work/a.yaml" <<'YAML'
version: 1
target: host
datasets:
  test: { format: npy, path: data/test_x.npy, labels: data/test_y.npy }
  calib: { format: npy, path: data/calib_x.npy, labels: data/calib_y.npy }
models:
  - name: digits-cnn
    path: models/digits_cnn.onnx
    dataset: test
    calibration: calib
    variants:
      - { name: int8, passes: [ { quantize: { mode: static, calibration: percentile } } ] }
      - { name: fp16, passes: [ { convert: fp16 } ] }
deploy:
  - { target: jetson-tx2, variants: [fp16] }
YAML
cat > "$work/b.yaml" <<'YAML'
version: 1
target: host
datasets:
  test: { format: npy, path: data/test_x.npy, labels: data/test_y.npy }
  calib: { format: npy, path: data/calib_x.npy, labels: data/calib_y.npy }
models:
  - name: digits-cnn
    path: models/digits_cnn.onnx
    dataset: test
    calibration: calib
    variants:
      - { name: int8, passes: [ { quantize: { mode: dynamic } } ] }
  - name: digits-resnet
    path: models/digits_resnet.onnx
    dataset: test
    calibration: calib
    variants:
      - { name: fp16, passes: [ { convert: fp16 } ] }
deploy:
  - { target: jetson-tx2, variants: [fp16, int8] }
YAML

compress() { (cd "$work" && dotnet "$tool" run -m "$1" --out "$2" --no-measure -q) ; }

# The unmeasured outputs of a folder: models and bundles, by relative path.
hashes() { (cd "$1" && find . -path "./.*" -prune -o \( -name '*.onnx' -o -name '*.tar.gz' \) -type f -print | sort | xargs -r sha256sum); }


start=$(date +%s%N)
compress a.yaml "$work/ref-a" >/dev/null
ms_a=$(( ($(date +%s%N) - start) / 1000000 ))
compress b.yaml "$work/ref-b" >/dev/null
hashes "$work/ref-a" > "$work/ref-a.txt"
hashes "$work/ref-b" > "$work/ref-b.txt"
echo "reference runs done (manifest a: ${ms_a} ms); soaking $runs runs into one folder, seed $seed"

RANDOM=$seed
killed=0
finished=0
for i in $(seq 1 "$runs"); do
  manifest=a.yaml; [ $((i % 2)) -eq 0 ] && manifest=b.yaml
  delay_ms=$(( RANDOM % (ms_a + ms_a / 2 + 1) ))
  (cd "$work" && exec dotnet "$tool" run -m "$manifest" --out "$work/shared" --no-measure -q >/dev/null 2>&1) &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    killed=$((killed + 1)); what="killed after ${delay_ms} ms"
  else
    wait "$pid" 2>/dev/null && what="finished" || what="exited $?"
    finished=$((finished + 1))
  fi
  # A reader never sees a half-written model or a report naming a missing file.
  if [ -f "$work/shared/report.json" ]; then
    python3 - "$work/shared" <<'PY' || { echo "run $i ($manifest, $what): report.json names a missing file"; exit 1; }
import json, os, sys
root = sys.argv[1]
report = json.load(open(os.path.join(root, "report.json")))
missing = [v["path"] for m in report["models"] for v in m["variants"] if not os.path.isfile(os.path.join(root, v["path"]))]
sys.exit(1 if missing else 0)
PY
  fi
  echo "run $i: $manifest $what"
done

status=0
for m in a b; do
  compress "$m.yaml" "$work/shared" >/dev/null
  # Every model and bundle the reference holds must be there with the same bytes.
  if ! diff <(hashes "$work/shared" | grep -F -f <(cut -c67- "$work/ref-$m.txt")) "$work/ref-$m.txt" >"$work/diff-$m.txt"; then
    echo "manifest $m: outputs differ from the reference:"; cat "$work/diff-$m.txt"; status=1
  else
    echo "manifest $m: $(wc -l < "$work/ref-$m.txt") models and bundles equal the reference byte for byte"
  fi
done
echo "soak: $runs runs ($killed killed, $finished finished), then full runs: $([ $status -eq 0 ] && echo PASS || echo FAIL)"
exit $status
