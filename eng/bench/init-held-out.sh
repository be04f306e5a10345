#!/usr/bin/env bash
# Evaluates the models an `eng/bench/init-real-world.sh --keep DIR` run wrote on the images its calibration subset
# leaves out ("held-out"): calibration and recovery fit on that subset, which is part of the evaluated set, so the
# run's own top-1 can flatter them. Writes DIR/held-out (the images, a manifest with the fp32 model and each written
# variant as its own model, the run's output) and prints each model's top-1 there.
# For folders written before `init` split a single set itself (a stride-sampled `images-calib` and an evaluation set
# over all the images); a manifest with `except:` is already evaluated on the held-out images by its own run.
# Usage: eng/bench/init-held-out.sh DIR ARCH     (src/Tool built in Release)
set -euo pipefail
cd "$(dirname "$0")/../.."
tool="$PWD/src/Tool/bin/Release/net10.0/dotnet-compress.dll"
folder="$(cd "${1:?usage: eng/bench/init-held-out.sh DIR ARCH}" && pwd)"
arch="${2:?usage: eng/bench/init-held-out.sh DIR ARCH}"
# The images the stride-sampled calibration subset leaves out (sampling: stride keeps index floor(i * count / limit),
# over the image folder's order: class folders sorted, files sorted), in a folder of their own, and every written
# model evaluated there.
held="$folder/held-out"
rm -rf "$held"
/usr/bin/python3 - "$folder" "$held" "$arch" <<'EOF'
import os, re, shutil, sys
folder, held, arch = sys.argv[1:]
manifest = open(os.path.join(folder, "compression.yaml")).read()
subset = re.search(r"images-calib:.*?limit: (\d+).*?sampling: (\w+)", manifest, re.S)
files = [os.path.join(c, f) for c in sorted(os.listdir(os.path.join(folder, "images")))
         for f in sorted(os.listdir(os.path.join(folder, "images", c)))]
if not subset or subset.group(2) != "stride":
    print("held-out: the calibration subset is not stride-sampled; not evaluated", file=sys.stderr)
    sys.exit(0)
limit = int(subset.group(1))
chosen = {i * len(files) // limit for i in range(limit)}
for i, f in enumerate(files):
    if i not in chosen:
        os.makedirs(os.path.join(held, "images", os.path.dirname(f)), exist_ok=True)
        shutil.copy(os.path.join(folder, "images", f), os.path.join(held, "images", f))
preprocess = re.search(r"^    preprocess: .*$", manifest, re.M).group(0)
out = os.path.join(folder, "artifacts", "compression", arch)
models = [("fp32", os.path.join(folder, "models", arch + ".onnx"))]
models += [(v, os.path.join(out, v, arch + ".onnx")) for v in sorted(os.listdir(out))
           if v != "baseline" and os.path.exists(os.path.join(out, v, arch + ".onnx"))]
with open(os.path.join(held, "compression.yaml"), "w") as f:
    f.write("version: 1\ntarget: host\ndatasets:\n  held:\n    format: image-folder\n    path: images\n%s\nmodels:\n" % preprocess)
    for name, path in models:
        f.write("  - name: %s\n    path: %s\n    dataset: held\n    variants: []\n" % (name, path))
print("held-out: %d of %d images" % (len(files) - len(chosen), len(files)), file=sys.stderr)
EOF
if [ -f "$held/compression.yaml" ]; then
  (cd "$held" && dotnet "$tool" run -q --no-measure > run.log 2>&1) || echo "held-out run failed: $held/run.log" >&2
  /usr/bin/python3 - "$held/artifacts/compression/report.json" <<'EOF'
import json, os, sys
if os.path.exists(sys.argv[1]):
    for model in json.load(open(sys.argv[1]))["models"]:
        print("held-out", model["name"], "top1", model["variants"][0].get("accuracy", {}).get("top1"))
EOF
fi
