"""The Hoàng Mai 2020 plan with and without stage 1's bound search, as a part of a province is
solved (`SolveParams.bound_search`):

    python default_plan.py on|off TIME_LIMIT WORKERS SOLVER_SEED... >> default.csv

One line per solve: bound search, time limit, workers, solver seed, status, objective, bound,
seconds, checker verdict.
"""

import sys
import time

from llct_sched.check import check
from llct_sched.scenario.loading import load_scenario
from llct_sched.solve import SolveParams, solve

switch, limit, workers = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
seeds = [int(s) for s in sys.argv[4:]]
scenario = load_scenario("hoang_mai_2020")
for seed in seeds:
    began = time.time()
    params = SolveParams(time_limit=limit, workers=workers, seed=seed, bound_search=switch == "on")
    result = solve(scenario, params)
    ok = result.timetable is not None and check(scenario, result.timetable).ok
    seconds = round(time.time() - began, 1)
    row = (switch, limit, workers, seed, result.status, result.objective, result.bound, seconds, ok)
    print(",".join(map(str, row)))
    sys.stdout.flush()
