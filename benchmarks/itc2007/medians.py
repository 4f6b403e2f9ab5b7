"""Medians over seeds of ITC-2007 runs, from the CSVs run.py writes into a study's folder.

    python benchmarks/itc2007/medians.py benchmarks/studies/2026-12-02-itc-faster-annealing/*.csv

Groups the rows of the given files by instance, takes the median cost over the seeds of each
instance and prints a markdown table and the geometric mean over the instances of
(median + 1) / (UB + 1), issue 7's measure. The files must hold one engine and one time limit, and
an instance and seed at most once.

Where an instance has fewer runs than `--runs` (default 3), its median of that many runs is not
known yet; the table then gives the range it must lie in whatever the missing runs give (with two
of three runs known: between the two) and the geometric mean is given as that range.
"""

from __future__ import annotations

import argparse
import csv
import math
import statistics
from collections import defaultdict
from pathlib import Path

COLUMNS = ("instance", "engine", "seed", "time_limit", "ub")


def load(paths: list[Path]) -> dict[str, dict[int, dict[str, str]]]:
    """Rows by instance and seed; ValueError on mixed settings, a repeated run or a foreign file."""
    runs: dict[str, dict[int, dict[str, str]]] = defaultdict(dict)
    settings: set[tuple[str, str]] = set()
    for path in paths:
        with path.open(newline="", encoding="utf-8") as fh:
            for line, row in enumerate(csv.DictReader(fh), start=2):
                absent = [name for name in COLUMNS if not row.get(name)]
                if absent:
                    raise ValueError(f"{path}, row {line}: no {', '.join(absent)} (not a run.py results file?)")
                settings.add((row["engine"], row["time_limit"]))
                seed = int(row["seed"])
                if seed in runs[row["instance"]]:
                    raise ValueError(f"{path}, row {line}: {row['instance']} seed {seed} is in an earlier row too")
                runs[row["instance"]][seed] = row
    if len(settings) > 1:
        raise ValueError(f"the files mix engines or time limits: {sorted(settings)}")
    return runs


def cost(row: dict[str, str]) -> float:
    """The run's cost; infinite without a hard-feasible timetable."""
    feasible = row["hard_violations"] == "0" and row["cost"] not in ("", "None")
    return float(row["cost"]) if feasible else math.inf


def median_range(costs: list[float], runs: int, floor: float) -> tuple[float, float]:
    """Lowest and highest value the median of `runs` runs can take when `costs` are some of them
    (no cost is below `floor`, the published lower bound)."""
    known = sorted(costs)
    missing = runs - len(known)
    if missing <= 0:
        middle = statistics.median(known)
        return middle, middle
    rank = (runs + 1) // 2 - 1  # the median's index among `runs` sorted values (runs odd)
    low = known[rank - missing] if rank - missing >= 0 else floor
    high = known[rank] if rank < len(known) else math.inf
    return low, high


def geometric_mean(ratios: list[float]) -> float:
    """exp(mean(log)) of the ratios; inf when one is inf (a run without a hard-feasible timetable)."""
    if any(not math.isfinite(x) for x in ratios):
        return math.inf
    return math.exp(sum(math.log(x) for x in ratios) / len(ratios))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv", nargs="+", type=Path)
    ap.add_argument("--runs", type=int, default=3, help="runs per instance the median is over (odd)")
    args = ap.parse_args()
    if args.runs % 2 == 0:
        ap.error("--runs must be odd")
    missing_files = [str(p) for p in args.csv if not p.is_file()]
    if missing_files:
        ap.error(f"no such file: {', '.join(missing_files)}")

    try:
        runs = load(args.csv)
    except ValueError as err:
        ap.error(str(err))
    seeds = sorted({seed for by_seed in runs.values() for seed in by_seed})
    print(
        "| instance | UB | "
        + " | ".join(f"seed {s}" for s in seeds)
        + " | median | ratio | worst first feasible s | peak MB |"
    )
    print("|---|---|" + "---|" * len(seeds) + "---|---|---|---|")
    lows, highs = [], []
    for instance in sorted(runs):
        by_seed = runs[instance]
        ub = int(next(iter(by_seed.values()))["ub"])
        floor = float(next(iter(by_seed.values())).get("lb") or 0)
        low, high = median_range([cost(r) for r in by_seed.values()], args.runs, floor)
        lows.append((low + 1) / (ub + 1))
        highs.append((high + 1) / (ub + 1))
        cells = [instance, str(ub)]
        cells += [str(by_seed[s]["cost"]) if s in by_seed else "-" for s in seeds]
        if low == high:
            cells += [f"{low:g}", f"{lows[-1]:.3f}"]
        else:
            cells += [f"{low:g}-{high:g}", f"{lows[-1]:.3f}-{highs[-1]:.3f}"]
        first = [float(r["first_feasible_s"]) for r in by_seed.values() if r.get("first_feasible_s")]
        memory = [float(r["peak_memory_mb"]) for r in by_seed.values() if r.get("peak_memory_mb")]
        cells += [f"{max(first):g}" if first else "-", f"{max(memory):g}" if memory else "-"]
        print("| " + " | ".join(cells) + " |")
    low_mean, high_mean = geometric_mean(lows), geometric_mean(highs)
    print()
    if low_mean == high_mean:
        print(f"geometric mean of (median + 1) / (UB + 1) over {len(runs)} instances: {low_mean:.3f}")
    else:
        print(
            f"geometric mean of (median of {args.runs} + 1) / (UB + 1) over {len(runs)} instances: "
            f"between {low_mean:.3f} and {high_mean:.3f} (runs missing)"
        )


if __name__ == "__main__":
    main()
