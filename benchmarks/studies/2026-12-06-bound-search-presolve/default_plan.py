"""The Hoàng Mai 2020 plan solved by the library as `llct-sched solve` does (2 workers), INFO log
then a RESULT line:

python default_plan.py TIME_LIMIT [SOLVER_SEED]
"""

import importlib
import logging
import sys

from llct_sched.scenario.loading import load_scenario
from llct_sched.solve.params import SolveParams

search = importlib.import_module("llct_sched.solve.search")  # `solve` shadows the module's name

logging.basicConfig(level=logging.INFO, format="%(relativeCreated)7.0f %(name)s %(message)s")
limit, seed = float(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 0
r = search.solve(load_scenario("hoang_mai_2020"), SolveParams(time_limit=limit, workers=2, seed=seed))
print("RESULT", r.status, r.objective, r.bound, r.breakdown, r.wall_time_s)
