"""Re-plan quality on a center-sized plan: the January 2020 plan of Hoàng Mai (48 classes) and a
generated center (`generate_scenario(1, seed)`), re-planned after each example change of
examples/replan/ and after random changes, on a fixed time limit and number of workers.

    python benchmarks/studies/2026-12-04-replan/run.py --time-limit 60 --workers 2

writes results.csv here (one row per re-plan; timeouts stay in the data) and prints it.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
from pathlib import Path
from typing import Any

from llct_sched.check import check
from llct_sched.scenario import Scenario
from llct_sched.scenario.generate import generate_scenario
from llct_sched.scenario.loading import load_scenario
from llct_sched.solve import SolveParams, solve
from llct_sched.solve.replan import Changes, load_changes, replan
from llct_sched.timetable import Timetable

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parents[2] / "examples" / "replan"
EXAMPLE_CASES = [  # changes file, --from
    ("april_2020_isolation", "2020-03-28"),
    ("lecturer_away", "2020-05-01"),
    ("room_closed", "2020-05-01"),
    ("blackout", "2020-09-01"),
    ("add_class", "2020-05-01"),
    ("cancel_class", "2020-05-01"),
    ("learners", "2020-05-01"),
]
FIELDS = [
    "case",
    "from",
    "time_limit_s",
    "workers",
    "baseline_status",
    "baseline_gap",
    "status",
    "objective",
    "bound",
    "gap",
    "first_feasible_s",
    "wall_time_s",
    "moves",
    "lecturer_changes",
    "log_rows",
    "check_ok",
]


def random_changes(scenario: Scenario, baseline: Timetable, freeze: dt.date, seed: int) -> Changes:
    """Three changes after the freeze date: a full-time lecturer away 2 weeks, a room closed 3
    weeks, and a class that has not started cancelled."""
    rng = random.Random(seed)
    full_time = [lec.id for lec in scenario.lecturers if lec.kind.value == "full_time"]
    start = freeze + dt.timedelta(days=rng.randint(7, 90))
    closed = freeze + dt.timedelta(days=rng.randint(7, 90))
    later = sorted({s.class_id for s in baseline.sessions} - {s.class_id for s in baseline.sessions if s.date < freeze})
    raw: list[dict[str, Any]] = [
        {"lecturer_away": {"lecturer": rng.choice(full_time), "start": start, "end": start + dt.timedelta(days=13)}},
        {"room_closed": {"room": rng.choice(scenario.rooms).id, "start": closed, "end": closed + dt.timedelta(20)}},
        {"cancel_class": {"class_id": rng.choice(later)}},
    ]
    return Changes.model_validate({"changes": raw})


def run(name: str, scenario: Scenario, base: Any, changes: Changes, freeze: dt.date, params: SolveParams) -> dict:
    done = replan(scenario, base.timetable, changes, params, freeze_before=freeze, lang="en")
    result = done.result
    ok = None
    if result.timetable is not None:
        ok = check(done.scenario, result.timetable, baseline=base.timetable, freeze_before=freeze).ok
    return {
        "case": name,
        "from": freeze.isoformat(),
        "time_limit_s": params.time_limit,
        "workers": params.workers,
        "baseline_status": base.status,
        "baseline_gap": None if base.gap is None else round(base.gap, 4),
        "status": result.status,
        "objective": result.objective,
        "bound": result.bound,
        "gap": None if result.gap is None else round(result.gap, 4),
        "first_feasible_s": result.first_feasible_s,
        "wall_time_s": result.wall_time_s,
        "moves": result.breakdown.get("moves"),
        "lecturer_changes": result.breakdown.get("lecturer_changes"),
        "log_rows": len(done.log),
        "check_ok": ok,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--generated-seeds", type=int, nargs="*", default=[0])
    parser.add_argument("--out", type=Path, default=HERE / "results.csv")
    args = parser.parse_args()
    params = SolveParams(time_limit=args.time_limit, workers=args.workers, seed=0)
    rows = []
    january = load_scenario(str(EXAMPLES / "plan_january_2020.yaml"))
    base = solve(january, params)
    for changes_name, day in EXAMPLE_CASES:
        changes = load_changes(EXAMPLES / f"{changes_name}.yaml")
        rows.append(run(changes_name, january, base, changes, dt.date.fromisoformat(day), params))
        print(rows[-1], file=sys.stderr, flush=True)
    for seed in args.generated_seeds:
        center = generate_scenario(1, seed=seed)
        center_base = solve(center, params)
        freeze = dt.date(2020, 5, 1)
        changes = random_changes(center, center_base.timetable, freeze, seed)
        rows.append(run(f"generated-seed{seed}-random", center, center_base, changes, freeze, params))
        print(rows[-1], file=sys.stderr, flush=True)
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    print(args.out.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
