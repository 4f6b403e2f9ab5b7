"""One generated center (2 workers, solver seed 0) with the solver's log: every incumbent of every
stage as it comes, with its time, and the phases (hand-over, bound search, proof); at the end
the result and its goals' values:

    python logged.py SHARE SEED LIMIT
"""

import importlib
import logging
import sys
import time

from llct_sched.scenario.generate import generate_center
from llct_sched.solve.params import SolveParams
from llct_sched.solve.runner import Progress

search = importlib.import_module("llct_sched.solve.search")  # `solve` shadows the module's name


def main() -> None:
    share, seed, limit = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    logging.basicConfig(level=logging.INFO, format="%(relativeCreated)7.0f %(name)s %(message)s")
    scenario = generate_center(share, seed)[0]
    began = time.time()

    def show(p: Progress) -> None:
        print(f"  {time.time() - began:6.1f} {p.stage} objective={p.objective} bound={p.bound}", flush=True)

    result = search.solve(scenario, SolveParams(time_limit=limit, workers=2, seed=0), progress=show)
    print(result.status, result.objective, result.bound, result.rounds, result.first_feasible_s)
    print(result.breakdown)


if __name__ == "__main__":
    main()
