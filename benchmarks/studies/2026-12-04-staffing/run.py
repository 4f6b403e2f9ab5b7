"""The part-time staffing regime as a benchmark (issue 23): planted center scenarios and the default.

For each part-time share and seed, `generate_center(share, seed)` builds a center around a planted
timetable (so one is known to exist); the solver runs with the given limit and workers and every
timetable is checked by the independent checker. Rows go to a CSV, one per run:

    python benchmarks/studies/2026-12-04-staffing/run.py --shares 0.3 0.4 0.5 --seeds 0 1 2 3 4 \
        --time-limit 60 --workers 2 --out benchmarks/studies/2026-12-04-staffing/centers.csv
    python benchmarks/studies/2026-12-04-staffing/run.py --default --time-limit 60 --workers 2 \
        --out benchmarks/studies/2026-12-04-staffing/default.csv
"""

from __future__ import annotations

import argparse
import csv
import resource
import time
from collections import Counter
from pathlib import Path
from typing import Any

from llct_sched.check import check
from llct_sched.scenario import LecturerKind, Scenario
from llct_sched.scenario.generate import generate_center
from llct_sched.scenario.loading import load_scenario
from llct_sched.solve import SolveParams, solve

CAPS = {"gv_1": 40, "gv_2": 40, "gv_3": 40, "pho_giam_doc": 30}  # the capped default


def run(name: str, scenario: Scenario, params: SolveParams) -> dict[str, Any]:
    started = time.perf_counter()
    result = solve(scenario, params)
    report = check(scenario, result.timetable) if result.timetable is not None else None
    kinds = {lec.id: lec.kind for lec in scenario.lecturers}
    taught = Counter(s.lecturer_id for s in result.timetable.sessions if s.lecturer_id) if result.timetable else {}
    total = sum(taught.values())
    part = sum(n for lid, n in taught.items() if kinds[lid] == LecturerKind.part_time)
    return {
        "case": name,
        "classes": len(scenario.classes),
        "lecturers": len(scenario.lecturers),
        "status": result.status,
        "objective": result.objective,
        "bound": result.bound,
        "gap": None if result.gap is None else round(result.gap, 4),
        "first_feasible_s": result.first_feasible_s,
        "wall_time_s": round(time.perf_counter() - started, 2),
        "check_ok": report.ok if report else None,
        "check_objective": report.objective if report else None,
        "part_time_share": round(part / total, 3) if total else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shares", type=float, nargs="*", default=[0.3, 0.4, 0.5])
    parser.add_argument("--seeds", type=int, nargs="*", default=list(range(10)))
    parser.add_argument("--default", action="store_true", help="the default plan and the issue's capped default")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    params = SolveParams(time_limit=args.time_limit, workers=args.workers, seed=0)
    cases: list[tuple[str, Scenario]] = []
    if args.default:
        cases.append(("hoang_mai_2020", load_scenario("hoang_mai_2020")))
        capped = load_scenario("hoang_mai_2020")
        for lec in capped.lecturers:
            lec.max_sessions_per_year = CAPS.get(lec.id, lec.max_sessions_per_year)
        cases.append(("hoang_mai_2020_capped_40_40_40_30", capped))
    else:
        for share in args.shares:
            for seed in args.seeds:
                cases.append((f"center_share{share}_seed{seed}", generate_center(share, seed)[0]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", newline="", encoding="utf-8") as handle:
        writer: csv.DictWriter[str] | None = None
        for name, scenario in cases:
            row = run(name, scenario, params)
            print(row, flush=True)
            if writer is None:
                writer = csv.DictWriter(handle, fieldnames=list(row))
                writer.writeheader()
            writer.writerow(row)
            handle.flush()


if __name__ == "__main__":
    main()
