"""Generated centers (2 workers, solver seed 0) with CP-SAT parameters added to stage 1's bound
search (`search._bound_search`, in this process only):

    python params.py 'key=value,key=value' LIMIT SHARE/SEED...     ('-': none, the solver as it is)

One line per solve: parameters, share, seed, limit, status, objective, bound, seconds, checker verdict.
"""

import importlib
import sys
import time
from typing import Any

from llct_sched.check import check
from llct_sched.scenario.generate import generate_center
from llct_sched.solve.params import SolveParams

search = importlib.import_module("llct_sched.solve.search")  # `solve` shadows the module's name


def parse(value: str) -> Any:
    """A CP-SAT parameter's value from its text: int, float, bool or string."""
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(value.lower(), value)


def main() -> None:
    spec, limit = sys.argv[1], float(sys.argv[2])
    extra = {} if spec == "-" else {k: parse(v) for k, v in (p.split("=") for p in spec.split(","))}
    plain = search._bound_search
    search._bound_search = lambda workers: {**plain(workers), **extra}
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
