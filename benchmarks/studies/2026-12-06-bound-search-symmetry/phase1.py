"""Generated centers (2 workers, solver seed 0) with CP-SAT parameters added to stage 1's first phase
(`search._default_portfolio`, 2 workers or more, in this process only):

    python phase1.py 'key=value,key=value' LIMIT SHARE/SEED...     ('-': none, the solver as it is)
"""

import importlib
import sys
import time
from typing import Any

from llct_sched.check import check
from llct_sched.scenario.generate import generate_center
from llct_sched.solve.params import SolveParams

search = importlib.import_module("llct_sched.solve.search")


def parse(value: str) -> Any:
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(value.lower(), value)


def main() -> None:
    spec, limit = sys.argv[1], float(sys.argv[2])
    extra = {} if spec == "-" else {k: parse(v) for k, v in (p.split("=") for p in spec.split(","))}
    plain = search._default_portfolio

    def portfolio(workers: int, teaching: bool) -> dict[str, Any]:
        out = plain(workers, teaching)
        return {**out, **extra} if search._cp_sat_workers(workers) >= 2 and teaching else out

    search._default_portfolio = portfolio
    for item in sys.argv[3:]:
        share, seed = item.split("/")
        scenario = generate_center(float(share), int(seed))[0]
        began = time.time()
        r = search.solve(scenario, SolveParams(time_limit=limit, workers=2, seed=0))
        ok = check(scenario, r.timetable).ok if r.timetable else None
        print(
            f"{spec},{share},{seed},{limit},{r.status},{r.objective},{r.bound},{time.time() - began:.1f},{ok}",
            flush=True,
        )


if __name__ == "__main__":
    main()
