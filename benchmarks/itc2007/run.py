"""ITC-2007 track 3 (UD2) benchmark: comp01..comp21, one subprocess per run, on the scenario core
(`--engine core`: .ectt -> scenario -> llct_sched.solve) or on the dedicated model
(`--engine dedicated`: llct_sched.itc2007.solver).

    python benchmarks/itc2007/run.py --engine core --time-limit 60 --seeds 0 --workers 2 --label core-t60

writes <date>-<label>.csv into a study's folder (--out-dir; by default a new one,
benchmarks/studies/<date>-itc-<label>/): one row per instance and seed, the cost and its
parts, the solver's own lower bound, the times and the peak memory of the run, each run a process of
its own; and prints a markdown table and the geometric mean over the runs of (cost + 1) / (best known
UB + 1); a run without a hard-feasible timetable counts as ratio 'inf' in the table and makes the
mean 'inf'.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import re
import resource
import subprocess
import sys
from pathlib import Path

from medians import geometric_mean  # this folder: the script's own directory is on sys.path

HERE = Path(__file__).resolve().parent
BENCH = HERE / "instances"
INSTANCES = [f"comp{i:02d}" for i in range(1, 22)]
FIELDS = [
    "instance",
    "engine",
    "seed",
    "time_limit",
    "workers",
    "status",
    "hard_violations",
    "cost",
    "room_capacity",
    "min_working_days",
    "isolated_lectures",
    "room_stability",
    "objective",
    "bound",
    "ub",
    "lb",
    "ratio",
    "first_feasible_s",
    "wall_time_s",
    "peak_memory_mb",
]


def bounds(bench: Path) -> dict[str, tuple[int, int]]:
    """(UB, LB) per instance from BOUNDS.md."""
    out = {}
    for line in (bench / "BOUNDS.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\|\s*(comp\d\d)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|", line)
        if m:
            out[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    return out


def run_one(instance: str, seed: int, time_limit: float, workers: int, bench: Path, engine: str) -> dict:
    """Solve one instance in this process and return the row's facts."""
    from llct_sched.itc2007 import read_ectt
    from llct_sched.itc2007.scenario import solve_itc_on_core
    from llct_sched.itc2007.solver import solve_itc

    inst = read_ectt(bench / f"{instance}.ectt")
    run = solve_itc_on_core if engine == "core" else solve_itc
    result = run(inst, time_limit=time_limit, workers=workers, seed=seed)
    cost = result.cost
    return {
        "status": result.status,
        "hard_violations": None if cost is None else cost.hard_violations,
        "cost": None if cost is None else cost.total,
        "room_capacity": None if cost is None else cost.room_capacity,
        "min_working_days": None if cost is None else cost.min_working_days,
        "isolated_lectures": None if cost is None else cost.isolated_lectures,
        "room_stability": None if cost is None else cost.room_stability,
        "objective": result.objective,
        "bound": result.bound,
        "first_feasible_s": result.first_feasible_s,
        "wall_time_s": result.wall_time_s,
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", choices=["core", "dedicated"], default="dedicated")
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--instances", nargs="+", default=INSTANCES)
    ap.add_argument("--label", default=None, help="file label (default: t<time limit>)")
    ap.add_argument("--bench", type=Path, default=BENCH, help="folder with the .ectt files and BOUNDS.md")
    ap.add_argument("--out-dir", type=Path, default=None, help="the study's folder (default: a new one)")
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)  # child mode: one run, JSON out
    args = ap.parse_args()

    if args.one:
        facts = run_one(args.instances[0], args.seeds[0], args.time_limit, args.workers, args.bench, args.engine)
        print(json.dumps(facts))
        return

    known = bounds(args.bench)
    label = args.label or f"{args.engine}-t{args.time_limit:g}"
    today = dt.date.today().isoformat()
    out = (args.out_dir or HERE.parent / "studies" / f"{today}-itc-{label}") / f"{today}-{label}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = []
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        writer.writeheader()
        for instance in args.instances:
            for seed in args.seeds:
                cmd = [sys.executable, __file__, "--one", "--instances", instance, "--seeds", str(seed)]
                cmd += ["--time-limit", str(args.time_limit), "--workers", str(args.workers)]
                cmd += ["--bench", str(args.bench), "--engine", args.engine]
                proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.time_limit * 3 + 120)
                row: dict = {"instance": instance, "engine": args.engine, "seed": seed, "time_limit": args.time_limit}
                row["workers"] = args.workers
                if proc.returncode == 0 and proc.stdout.strip():
                    row |= json.loads(proc.stdout.strip().splitlines()[-1])
                else:
                    row["status"] = f"ERROR rc={proc.returncode}"
                    print(proc.stderr[-2000:], file=sys.stderr)
                ub, lb = known.get(instance, (None, None))
                row["ub"], row["lb"] = ub, lb
                feasible = row.get("hard_violations") == 0 and row.get("cost") is not None
                row["ratio"] = round((row["cost"] + 1) / (ub + 1), 4) if feasible and ub is not None else math.inf
                writer.writerow({k: row.get(k) for k in FIELDS})
                fh.flush()
                rows.append(row)
                print(f"{instance} seed {seed}: {row.get('status')} cost {row.get('cost')} (UB {ub})", flush=True)

    print()
    print("| instance | seed | status | cost | S1 cap | S2 mwd | S3 iso | S4 stab | UB | ratio | first feasible s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        cells = [r["instance"], r["seed"], r.get("status"), r.get("cost"), r.get("room_capacity")]
        cells += [r.get("min_working_days"), r.get("isolated_lectures"), r.get("room_stability"), r["ub"]]
        cells += [r["ratio"], r.get("first_feasible_s")]
        print("| " + " | ".join("-" if c is None else str(c) for c in cells) + " |")
    geo = geometric_mean([r["ratio"] for r in rows])
    feasible = sum(1 for r in rows if r.get("hard_violations") == 0)
    print()
    print(f"hard-feasible: {feasible}/{len(rows)}; geometric mean of (cost+1)/(UB+1): {geo:.3f}")
    print(f"raw results: {out}")


if __name__ == "__main__":
    main()
