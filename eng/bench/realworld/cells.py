#!/usr/bin/python3
"""Runs every corpus x pass cell through the built tool and writes OUT/results.md and OUT/results.json.

A cell is one of: ok (the pass's output was written, ONNX Runtime loads it, and the pipeline's own output check held it
within the pass's tolerance), refused CMPxxxx (exit 2 with a documented code, nothing written), invalid (a model was
written that ONNX Runtime cannot load), crash (any other exit: an internal error or an unhandled exception).
Usage: /usr/bin/python3 eng/bench/realworld/cells.py OUT [--quick] [--exemplars] [--passes=inspect,int8,...]
--exemplars runs the committed style exemplars (models/realworld) instead of OUT/models: the quick check.
--passes runs only the named cells (inspect and the PASSES keys, comma-separated; default all), so a batch of fast
cells can run before the slow structured one; combine.py merges such batches per model.
COMPRESS_TOOL (environment) is the tool's dll to run instead of src/Tool/bin/Release/net10.0/dotnet-compress.dll, for
example a copy, so that rebuilding the tree does not change a run in progress.
results.json also has each cell's wall seconds (tool runs and the load check); a cell that is not ok keeps the tool's
output in OUT/runs/MODEL/VARIANT.log.
"""
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import time

TOOL = ["dotnet", os.environ.get("COMPRESS_TOOL") or "src/Tool/bin/Release/net10.0/dotnet-compress.dll"]
PASSES = {
    "int8": "[ { quantize: { mode: static } } ]",
    "dynamic": "[ { quantize: { mode: dynamic } } ]",
    "weights": "[ { quantize: { mode: weights } } ]",
    "fp16": "[ { convert: fp16 } ]",
    "magnitude": "[ { prune: { method: magnitude, sparsity: 0.5 } } ]",
    "structured": "[ { prune: { method: structured, ratio: 0.3 } }, { recover: { method: bn-recalibration } } ]",
}
CODE = re.compile(r"CMP\d{4}")


def tool(args, timeout=3600):
    try:
        done = subprocess.run(TOOL + args, capture_output=True, text=True, timeout=timeout)
        return done.returncode, done.stdout + done.stderr
    except subprocess.TimeoutExpired:
        return None, "timed out"


def classify(rc, text):
    if rc == 0:
        return "ok"
    codes = CODE.findall(text)
    if rc == 2 and codes:
        return "refused " + codes[0]
    return "crash (exit %s%s)" % (rc, ", " + codes[0] if codes else "")


def main():
    out = os.path.abspath(sys.argv[1])
    columns = ["inspect"] + list(PASSES)
    for arg in sys.argv[2:]:
        if arg.startswith("--passes="):
            wanted = arg[len("--passes="):].split(",")
            unknown = [w for w in wanted if w not in columns]
            if unknown:
                sys.exit("unknown cells %s; known: %s" % (", ".join(unknown), ", ".join(columns)))
            columns = [c for c in columns if c in wanted]
    variants = [c for c in columns if c in PASSES]
    if "--exemplars" in sys.argv:
        models = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "models", "realworld"))
        entries = [{"file": f, "side": 32, "style": f[len("tiny_"):-len(".onnx")], "calib": "calib_nhwc.npy" if "nhwc" in f else "calib_nchw.npy"}
                   for f in sorted(os.listdir(models)) if f.endswith(".onnx")]
    else:
        models = os.path.join(out, "models")
        entries = json.load(open(os.path.join(models, "corpus.json")))
    rows = []
    for entry in entries:
        path = os.path.join(models, entry["file"])
        name = os.path.splitext(entry["file"])[0]
        row = {"model": name}
        seconds = {}
        if "inspect" in columns:
            started = time.monotonic()
            rc, text = tool(["inspect", path, "--json"])
            row["inspect"] = classify(rc, text)
            seconds["inspect"] = round(time.monotonic() - started, 1)
        calib = entry.get("calib") or "calib_%d%s.npy" % (entry["side"], "_nhwc" if entry["style"] == "nhwc" else "")
        folder = os.path.join(out, "runs", name)
        os.makedirs(folder, exist_ok=True)
        manifest = os.path.join(folder, "compression.yaml")
        with open(manifest, "w") as f:
            f.write("version: 1\noutput: out\ndatasets:\n  calib: { format: npy, path: %s }\n" % os.path.join(models, calib))
            f.write("models:\n  - name: m\n    path: %s\n    calibration: calib\n    variants:\n" % path)
            for variant, passes in PASSES.items():
                f.write("      - name: %s\n        passes: %s\n" % (variant, passes))
        for variant in variants:
            started = time.monotonic()
            rc, text = tool(["run", "-m", manifest, "--only", "m/" + variant, "--no-measure", "--no-evaluate", "--force"])
            cell = classify(rc, text)
            written = os.path.join(folder, "out", "m", variant, "m.onnx")
            if cell == "ok":
                load_rc, load_text = tool(["bench", written, "--time-budget", "1", "--no-breakdown", "--energy", "none"])
                if load_rc != 0:
                    cell = "invalid (%s)" % (CODE.findall(load_text) or ["exit %s" % load_rc])[0]
                    text = load_text
            elif os.path.exists(written):
                cell += ", but a model was written"
            row[variant] = cell
            seconds[variant] = round(time.monotonic() - started, 1)
            if cell != "ok":
                with open(os.path.join(folder, variant + ".log"), "w") as f:
                    f.write(text)
        row["seconds"] = seconds
        rows.append(row)
        print(json.dumps(row), file=sys.stderr)
    cells = [r[c] for r in rows for c in columns]
    ok = sum(c == "ok" for c in cells)
    refused = sum(c.startswith("refused") for c in cells)
    invalid = sum(c.startswith("invalid") or "written" in c for c in cells)
    crash = sum(c.startswith("crash") for c in cells)
    lines = [
        "Machine: %s, %d cores; %s UTC; command: eng/bench/realworld/run.sh %s" % (
            platform.processor() or platform.machine(), os.cpu_count(), datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M"), " ".join(sys.argv[2:])),
        "",
        "%d models x %d cells: %d ok (%.1f%%), %d refused with a code, %d invalid, %d crashes" % (
            len(rows), len(columns), ok, 100.0 * ok / max(1, len(cells)), refused, invalid, crash),
        "",
        "| model | " + " | ".join(columns) + " |",
        "| --- |" + " --- |" * len(columns),
    ]
    lines += ["| %s | %s |" % (r["model"], " | ".join(r[c] for c in columns)) for r in rows]
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(rows, f, indent=2)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
