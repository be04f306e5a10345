#!/usr/bin/python3
"""Merges the rows of several cells.py runs (OUT/results.json) into one model x pass table with its counts.

Usage: /usr/bin/python3 eng/bench/realworld/combine.py OUT [OUT ...]
The corpus can be run in batches (one cells.py OUT per batch, so a long run keeps what finished); a batch stopped
before its end counts the models it finished (the JSON lines cells.py prints to stderr, kept as OUT/cells.err). This
prints the batches' rows as one markdown table, the counts line cells.py writes, and the summed wall seconds per pass.
Batches that ran different cells of the same model (`cells.py --passes=...`) are merged into one row per model (a
later batch's cell replaces an earlier one); a cell no batch ran shows "not run" and is left out of the counts.
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


def merged_rows(outs):
    """One row per model, in first-seen order: each batch's cells and wall seconds over the earlier batches'."""
    rows = {}
    for out in outs:
        for row in batch_rows(out):
            merged = rows.setdefault(row["model"], {"model": row["model"], "seconds": {}})
            merged.update({c: row[c] for c in COLUMNS if c in row})
            merged["seconds"].update(row.get("seconds", {}))
    return [dict({c: "not run" for c in COLUMNS}, **r) for r in rows.values()]


def main():
    rows = merged_rows(sys.argv[1:])
    cells = [r[c] for r in rows for c in COLUMNS if r[c] != "not run"]
    ok = sum(c == "ok" for c in cells)
    refused = sum(c.startswith("refused") for c in cells)
    invalid = sum(c.startswith("invalid") or "written" in c for c in cells)
    crash = sum(c.startswith("crash") for c in cells)
    print("%d models, %d cells run: %d ok (%.1f%%), %d refused with a code, %d invalid, %d crashes" % (
        len(rows), len(cells), ok, 100.0 * ok / max(1, len(cells)), refused, invalid, crash))
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
