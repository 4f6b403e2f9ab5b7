"""A province of centers sharing the provincial school's lecturers (issue 29), solved by decomposition.

For each seed, `generate_province(centers, seed)` builds the set (generated centers whose trung cấp
classes only the shared lecturers teach); it is solved with `solve_province`:

- `independent`: every center on its own, all at once (`resolve=False`): the clashes left when
  nobody coordinates the shared lecturers, and each center's objective without them;
- `resolved`: the decomposition, with `--parallel` solves in flight (1: one center after the
  other, nothing solved twice; more: faster, some centers solved again).

Every timetable is checked by the independent checker against its center's scenario, and the shared
lecturers' sessions across centers. One CSV row per center and run, and one row per run (center
`province`: the sum of the objectives, the solves, the clashes left, the run's wall time):

    python benchmarks/studies/2026-12-05-province-centers/run.py --centers 10 --seeds 0 1 2 \
        --time-limit 60 --workers 1 --parallel 1 2 --out benchmarks/studies/2026-12-05-province-centers/results.csv
"""

from __future__ import annotations

import argparse
import csv
import resource
import time
from pathlib import Path
from typing import Any

from llct_sched.province_solve import ProvinceResult, solve_province
from llct_sched.scenario.generate import generate_province
from llct_sched.solve import SolveParams

COLUMNS = [
    "seed",
    "mode",
    "parallel",
    "center",
    "classes",
    "status",
    "objective",
    "bound",
    "gap",
    "solves",
    "check_ok",
    "shared_sessions",
    "clashes",
    "wall_time_s",
    "peak_rss_mb",
]


def rows(seed: int, mode: str, parallel: int, result: ProvinceResult, wall: float) -> list[dict[str, Any]]:
    """One row per center, then the run's row."""
    out = []
    for c, row in zip(result.centers, result.rows(), strict=True):
        out.append(
            {
                "seed": seed,
                "mode": mode,
                "parallel": parallel,
                "center": c.center,
                "classes": len(c.scenario.classes),
                "status": row["status"],
                "objective": row["objective"],
                "bound": row["bound"],
                "gap": row["gap"],
                "solves": c.solves,
                "check_ok": row["check_ok"],
                "shared_sessions": row["shared_sessions"],
                "clashes": sum(1 for clash in result.clashes if c.center in clash.centers),
                "wall_time_s": row["wall_time_s"],
                "peak_rss_mb": None,
            }
        )
    out.append(
        {
            "seed": seed,
            "mode": mode,
            "parallel": parallel,
            "center": "province",
            "classes": sum(len(c.scenario.classes) for c in result.centers),
            "status": "OK" if result.ok else "NOT OK",
            "objective": result.objective,
            "solves": result.solves,
            "check_ok": all(c.ok for c in result.centers),
            "shared_sessions": sum(r["shared_sessions"] for r in out),
            "clashes": len(result.clashes),
            "wall_time_s": round(wall, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
        }
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--centers", type=int, default=10)
    parser.add_argument("--seeds", type=int, nargs="*", default=[0])
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per center's solve")
    parser.add_argument("--workers", type=int, default=1, help="CP-SAT workers per solve")
    parser.add_argument("--parallel", type=int, nargs="*", default=[1, 2], help="solves in flight (resolved mode)")
    parser.add_argument("--modes", nargs="*", default=["independent", "resolved"])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    params = SolveParams(time_limit=args.time_limit, workers=args.workers, seed=0)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for seed in args.seeds:
            province = generate_province(args.centers, seed)
            runs = [("independent", max(args.parallel))] if "independent" in args.modes else []
            runs += [("resolved", p) for p in args.parallel] if "resolved" in args.modes else []
            for mode, parallel in runs:
                started = time.perf_counter()
                result = solve_province(province, params, parallel=parallel, resolve=mode == "resolved")
                for row in rows(seed, mode, parallel, result, time.perf_counter() - started):
                    print(row, flush=True)
                    writer.writerow(row)
                handle.flush()


if __name__ == "__main__":
    main()
