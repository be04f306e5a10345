#!/usr/bin/python3
"""Tables of the null-ratio benchmark from OUT/runs/<model>/<run>/report.json (and hashes.txt), as Markdown.

Usage: /usr/bin/python3 eng/bench/null-ratio/aggregate.py OUT  (eng/bench/null-ratio/run.sh calls it)
Per run: the three means (baseline, copy-a, copy-b), their spread (max - min) / min (and that of the medians), the two null speed-ups with
their intervals and verdicts, and the contention record. Per model: how many null intervals contain 1.0.
"""
import json
import os
import sys

SPREAD_TARGET = 3.0


def load_runs(model_dir):
    runs = []
    for name in sorted(os.listdir(model_dir)):
        report_path = os.path.join(model_dir, name, "report.json")
        if not os.path.isfile(report_path):
            continue
        with open(report_path, encoding="utf-8") as f:
            report = json.load(f)
        with open(os.path.join(model_dir, name, "hashes.txt"), encoding="utf-8") as f:
            hashes = {line.split()[0] for line in f if line.strip()}
        variants = {v["name"]: v for v in report["models"][0]["variants"]}
        seconds = None
        seconds_path = os.path.join(model_dir, name, "seconds.txt")
        if os.path.isfile(seconds_path):
            with open(seconds_path, encoding="utf-8") as f:
                start, end = (float(x) for x in f.read().split())
            seconds = end - start
        rss_path = os.path.join(model_dir, name, "peak-rss-kib.txt")
        if os.path.isfile(rss_path):
            with open(rss_path, encoding="utf-8") as f:
                variants["baseline"]["peakRssMiB"] = int(f.read().split()[-1]) / 1024
        runs.append((name, variants, len(hashes) == 1, seconds))
    return runs


def ratio_cell(speedup):
    return f"{speedup['estimate']:.3f} ({speedup['low']:.3f}–{speedup['high']:.3f}) {speedup['verdict']}"


def model_table(model, runs):
    lines = [f"### {model}", ""]
    lines.append("| run | baseline ms | copy-a ms | copy-b ms | spread | p50 spread | copy-a null ratio (95% CI) | copy-b null ratio (95% CI) "
                 "| pairs × block | epochs | over pairs alone (copy-a, copy-b) | load avg start→end | busy share | steal | CMP4010 |")
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | --- | ---: | ---: | ---: | --- |")
    spreads, p50_spreads, contains, runs_both, contended, identical = [], [], 0, 0, 0, 0
    pairs_contains, pairs_both, epochs_seen = 0, 0, []
    verdicts = {}
    durations, peaks, loads, sampled = [], [], [], []
    for name, variants, same_bytes, seconds in runs:
        if seconds is not None:
            durations.append(seconds)
        peaks.append(variants["baseline"].get("peakRssMiB", 0))
        loads.append(sum(v["latencyMs"].get("loadMs", 0) for v in variants.values()))
        sampled.append(variants["baseline"]["latencyMs"]["contention"]["wallSeconds"])
        means = [variants[v]["latencyMs"]["mean"] for v in ("baseline", "copy-a", "copy-b")]
        spread = (max(means) - min(means)) / min(means) * 100
        spreads.append(spread)
        medians = [variants[v]["latencyMs"]["median"] for v in ("baseline", "copy-a", "copy-b")]
        p50_spreads.append((max(medians) - min(medians)) / min(medians) * 100)
        identical += same_bytes
        ratios = [variants[v]["speedup"] for v in ("copy-a", "copy-b")]
        inside = [r["low"] <= 1.0 <= r["high"] for r in ratios]
        contains += sum(inside)
        runs_both += all(inside)
        for r in ratios:
            verdicts[r["verdict"]] = verdicts.get(r["verdict"], 0) + 1
        # The interval over the pairs as if independent (the estimator before session epochs), on the same data.
        over_pairs = [(r.get("pairsLow", r["low"]), r.get("pairsHigh", r["high"])) for r in ratios]
        pairs_inside = [lo <= 1.0 <= hi for lo, hi in over_pairs]
        pairs_contains += sum(pairs_inside)
        pairs_both += all(pairs_inside)
        epochs_seen.append(ratios[0].get("epochs", 1))
        c = variants["baseline"]["latencyMs"]["contention"]
        contended += bool(c["contended"])
        lines.append(
            f"| {name} | {means[0]:.3f} | {means[1]:.3f} | {means[2]:.3f} | {spread:.2f}% | {p50_spreads[-1]:.2f}% | {ratio_cell(ratios[0])} | "
            f"{ratio_cell(ratios[1])} | {ratios[0]['pairs']} × {ratios[0]['blockRuns']} | {ratios[0].get('epochs', 1)} | "
            + ", ".join(f"{lo:.3f}–{hi:.3f}" for lo, hi in over_pairs) + " | "
            + f"{c['loadAverageStart']:.2f}→{c['loadAverageEnd']:.2f} | {c['machineBusyShare']:.2f} | {c['stealShare']:.3f} | "
            f"{'yes' if c['contended'] else 'no'} |")
    n = len(runs)
    within = sum(s <= SPREAD_TARGET for s in spreads)
    lines.append("")
    lines.append(
        f"- {model}: {n} runs; copies byte-identical to the baseline in {identical}/{n}; spread of the three means: max "
        f"{max(spreads):.2f}%, median {sorted(spreads)[n // 2]:.2f}%, within {SPREAD_TARGET:.0f}% in {within}/{n} runs (of the medians: max "
        f"{max(p50_spreads):.2f}%, within {SPREAD_TARGET:.0f}% in {sum(s <= SPREAD_TARGET for s in p50_spreads)}/{n}); "
        f"null intervals containing 1.0: {contains}/{2 * n} ratios, both in {runs_both}/{n} runs; verdicts: "
        + ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items()))
        + f"; contended (CMP4010) in {contended}/{n} runs; session epochs per run {min(epochs_seen)}–{max(epochs_seen)}; "
        f"the same pairs' interval as if independent contains 1.0 in {pairs_contains}/{2 * n} ratios, both in {pairs_both}/{n} runs; "
        f"sessions created per variant {variants['baseline']['latencyMs'].get('sessions', 1)}; "
        f"first sessions' load+create of the 3 variants: median {sorted(loads)[n // 2]:.0f} ms; "
        f"sampling wall time per run: median {sorted(sampled)[n // 2]:.1f} s"
        + (f"; whole `run` per run: median {sorted(durations)[len(durations) // 2]:.1f} s" if durations else "")
        + f"; peak RSS of `run` (GNU time): median {sorted(peaks)[n // 2]:.0f} MiB, max {max(peaks):.0f} MiB")
    lines.append("")
    return lines


def main():
    runs_dir = os.path.join(sys.argv[1], "runs")
    lines = []
    for model in sorted(os.listdir(runs_dir)):
        runs = load_runs(os.path.join(runs_dir, model))
        if runs:
            lines += model_table(model, runs)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
