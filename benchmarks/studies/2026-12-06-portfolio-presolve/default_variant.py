"""The Hoàng Mai 2020 plan (2 workers) with stage 1's first phase changed as in variant.py:

python default_variant.py VARIANT TIME_LIMIT SOLVER_SEED... >> default.csv

One line per solve: variant, time limit, solver seed, status, objective, bound, seconds, checker
verdict, the objective's breakdown (goal=value, space-separated).
"""

import sys
import time

from variant import apply, search

from llct_sched.check import check
from llct_sched.scenario.loading import load_scenario
from llct_sched.solve.params import SolveParams

variant, limit, seeds = sys.argv[1], float(sys.argv[2]), [int(s) for s in sys.argv[3:]]
apply(variant)
scenario = load_scenario("hoang_mai_2020")
for seed in seeds:
    began = time.time()
    result = search.solve(scenario, SolveParams(time_limit=limit, workers=2, seed=seed))
    ok = result.timetable is not None and check(scenario, result.timetable).ok
    parts = " ".join(f"{k}={v}" for k, v in result.breakdown.items() if v)
    seconds = round(time.time() - began, 1)
    row = (variant, limit, seed, result.status, result.objective, result.bound, seconds, ok, parts)
    print(",".join(map(str, row)))
    sys.stdout.flush()
