"""Ten centers sharing the provincial lecturers (`generate_province(10, SEED)`, 30 s a center, one
worker, 2 in flight) with each center's goals as the checker counts them (weighted):

    python province_hint.py MODE SEED

MODE: `independent` (no resolution), `resolved` (the solver as it is: each center's first solve
starts from its classes in the shared plan) or `nohint` (the same without that hint: the plan's
reservations stay, each center's first solve starts from its greedy calendar).
"""

import sys
import time
from typing import Any

import llct_sched.province_solve as province_solve
from llct_sched.scenario.generate import generate_province
from llct_sched.solve import SolveParams


def main() -> None:
    mode, seed = sys.argv[1], int(sys.argv[2])
    if mode == "nohint":
        plain = province_solve._plan_shared

        def plan_shared(province: Any, params: Any, state: Any, runner: Any, on_event: Any) -> None:
            plain(province, params, state, runner, on_event)
            state.hints.clear()

        province_solve._plan_shared = plan_shared
    elif mode not in ("independent", "resolved"):
        raise SystemExit(f"unknown mode {mode!r}")
    province = generate_province(10, seed)
    began = time.time()
    params = SolveParams(time_limit=30, workers=1)
    result = province_solve.solve_province(province, params, parallel=2, resolve=mode != "independent")
    wall = round(time.time() - began)
    clashes = len(result.clashes)
    print(mode, seed, "objective", result.objective, "solves", result.solves, "wall", wall, "clashes", clashes)
    print("checked", result.ok)  # every center's timetable accepted by the checker, no clash left
    for c in result.centers:
        penalties = {k: v for k, v in c.report.breakdown.items() if v} if c.report else None
        objective = c.report.objective if c.report else None
        print(c.center, objective, c.row.get("bound"), c.solves, penalties, flush=True)


if __name__ == "__main__":
    main()
