"""Generated centers solved and checked with this checkout, one at a time, one row per solve:

python centers.py OUT.csv SHARE... [--seeds 0 1 ...] [--limit 30]

30 s, 2 workers, solver seed 0 (as run.py --parts centers of 2026-12-05-performance-round-2);
rows already in OUT.csv are skipped.
"""

import argparse
import csv
import time
from pathlib import Path

from llct_sched.check import check
from llct_sched.scenario.generate import generate_center
from llct_sched.solve import SolveParams, solve

FIELDS = ["share", "seed", "status", "objective", "bound", "gap", "first_feasible_s", "wall_time_s", "check_ok"]

parser = argparse.ArgumentParser()
parser.add_argument("out", type=Path)
parser.add_argument("shares", type=float, nargs="+")
parser.add_argument("--seeds", type=int, nargs="+", default=list(range(20)))
parser.add_argument("--limit", type=float, default=30.0)
args = parser.parse_args()
done = set()
if args.out.exists():
    done = {(float(r["share"]), int(r["seed"])) for r in csv.DictReader(args.out.open())}
else:
    args.out.write_text(",".join(FIELDS) + "\n")
for share in args.shares:
    for seed in args.seeds:
        if (share, seed) in done:
            continue
        scenario = generate_center(share, seed)[0]
        began = time.perf_counter()
        result = solve(scenario, SolveParams(time_limit=args.limit, workers=2, seed=0))
        report = check(scenario, result.timetable) if result.timetable is not None else None
        ok = report is not None and report.ok and report.objective == result.objective
        row = [
            share,
            seed,
            result.status,
            result.objective,
            result.bound,
            result.gap,
            result.first_feasible_s,
            result.wall_time_s,
            ok,
        ]
        with args.out.open("a") as f:
            f.write(",".join("" if v is None else str(v) for v in row) + "\n")
        print(*row, round(time.perf_counter() - began, 1), flush=True)
