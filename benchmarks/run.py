"""Solver benchmarks: the default scenario and generated provinces, several seeds, one row per run.

Each run is a separate process (so peak memory is that run's own); timeouts stay in the data.

    python benchmarks/run.py --label baseline --scales 1 4 10 --seeds 0 1 2 --time-limit 60 120 300

writes <date>-<label>.csv into a study's folder (--out-dir; by default a new one,
benchmarks/studies/<date>-core-<label>/) and prints a markdown table of medians.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIELDS = [
    "scenario",
    "scale",
    "seed",
    "time_limit_s",
    "workers",
    "status",
    "objective",
    "bound",
    "gap",
    "first_feasible_s",
    "wall_time_s",
    "checker_ok",
    "calendar_variables",
    "calendar_constraints",
    "staffing_variables",
    "staffing_constraints",
    "peak_memory_mb",
]

CHILD = r"""
import json, resource, sys
from llct_sched import check, load_scenario, solve, SolveParams
from llct_sched.scenario.generate import generate_scenario
scale, seed, limit, workers = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
scenario = load_scenario("hoang_mai_2020") if scale == 1 else generate_scenario(scale, seed=0)
result = solve(scenario, SolveParams(time_limit=limit, workers=workers, seed=seed))
ok = check(scenario, result.timetable).ok if result.timetable is not None else None
row = {"status": result.status, "objective": result.objective, "bound": result.bound, "gap": result.gap,
       "first_feasible_s": result.first_feasible_s, "wall_time_s": result.wall_time_s, "checker_ok": ok,
       **result.model_size,
       "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
print(json.dumps(row))
"""


def run_one(scale: int, seed: int, limit: float, workers: int) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(scale), str(seed), str(limit), str(workers)],
        capture_output=True,
        text=True,
        timeout=limit * 3 + 120,
    )
    base = {
        "scenario": "hoang_mai_2020" if scale == 1 else f"generate --scale {scale}",
        "scale": scale,
        "seed": seed,
        "time_limit_s": limit,
        "workers": workers,
    }
    if done.returncode != 0:
        return base | {"status": f"ERROR {done.stderr.strip().splitlines()[-1:]}"}
    return base | json.loads(done.stdout.strip().splitlines()[-1])


def median(rows: list[dict[str, object]], key: str) -> str:
    values = [float(r[key]) for r in rows if r.get(key) not in (None, "")]  # type: ignore[arg-type]
    return f"{statistics.median(values):.3g}" if values else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--label", default="run")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 4, 10])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--time-limit", type=float, nargs="+", default=[60, 120, 300], help="one per scale")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out-dir", type=Path, default=None, help="the study's folder (default: a new one)")
    args = parser.parse_args()
    limits = dict(zip(args.scales, args.time_limit * len(args.scales), strict=False))
    rows = []
    for scale in args.scales:
        for seed in args.seeds:
            row = run_one(scale, seed, limits[scale], args.workers)
            print(json.dumps(row), flush=True)
            rows.append(row)
    today = dt.date.today().isoformat()
    out = (args.out_dir or HERE / "studies" / f"{today}-core-{args.label}") / f"{today}-{args.label}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    print(f"\nwrote {out}\n")
    print("| scenario | runs | statuses | first feasible s | wall s | objective | bound | gap | peak MB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for scale in args.scales:
        group = [r for r in rows if r["scale"] == scale]
        statuses = ", ".join(sorted({str(r["status"]) for r in group}))
        print(
            f"| {group[0]['scenario']} | {len(group)} | {statuses} | {median(group, 'first_feasible_s')} | "
            f"{median(group, 'wall_time_s')} | {median(group, 'objective')} | {median(group, 'bound')} | "
            f"{median(group, 'gap')} | {median(group, 'peak_memory_mb')} |"
        )


if __name__ == "__main__":
    main()
