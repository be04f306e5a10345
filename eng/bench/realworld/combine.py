#!/usr/bin/python3
"""Merges the rows of several cells.py runs (OUT/results.json) into one model x pass table with its counts.

Usage: /usr/bin/python3 eng/bench/realworld/combine.py OUT [OUT ...]
The corpus can be run in batches (one cells.py OUT per batch, so a long run keeps what finished); a batch stopped
before its end counts the models it finished (the JSON lines cells.py prints to stderr, kept as OUT/cells.err). This
prints the batches' rows as one markdown table, the counts line cells.py writes, and the summed wall seconds per pass.
"""
import json
import os
import sys

COLUMNS = ["inspect", "int8", "dynamic", "weights", "fp16", "magnitude", "structured"]


def batch_rows(out):
    """OUT/results.json, or for a batch stopped before its end the rows cells.py printed as it went (OUT/cells.err)."""
    path = os.path.join(out, "results.json")
    if os.path.exists(path):
        return json.load(open(path))
    rows = []
    with open(os.path.join(out, "cells.err")) as f:
        for line in f:
            if line.startswith("{") and '"model"' in line:
                rows.append(json.loads(line))
    return rows


def main():
    rows = []
    for out in sys.argv[1:]:
        rows += batch_rows(out)
    cells = [r[c] for r in rows for c in COLUMNS]
    ok = sum(c == "ok" for c in cells)
    refused = sum(c.startswith("refused") for c in cells)
    invalid = sum(c.startswith("invalid") or "written" in c for c in cells)
    crash = sum(c.startswith("crash") for c in cells)
    print("%d models x %d cells: %d ok (%.1f%%), %d refused with a code, %d invalid, %d crashes" % (
        len(rows), len(COLUMNS), ok, 100.0 * ok / max(1, len(cells)), refused, invalid, crash))
    print()
    print("| model | " + " | ".join(COLUMNS) + " | wall s |")
    print("| --- |" + " --- |" * len(COLUMNS) + " ---: |")
    for r in rows:
        seconds = r.get("seconds", {})
        print("| %s | %s | %.0f |" % (r["model"], " | ".join(r[c] for c in COLUMNS), sum(seconds.values())))
    print()
    totals = {c: sum(r.get("seconds", {}).get(c, 0.0) for r in rows) for c in COLUMNS}
    print("wall seconds per pass, summed: " + ", ".join("%s %.0f" % (c, totals[c]) for c in COLUMNS) +
          "; all %.0f" % sum(totals.values()))


if __name__ == "__main__":
    main()
