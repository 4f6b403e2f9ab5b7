"""The default plan as a province part is solved (`SolveParams.bound_search` False), on one worker
for twice the parts' 22 s, stage 1's first phase as it is (interleaved, two full subsolvers):

    python parts_one_worker.py TIME_LIMIT WORKERS SEED... >> parts_one_worker.csv

The figures ran two such processes side by side (seeds 0 2 4 6 and 1 3 5 7), as two parts in
flight would. One line per solve: bound search, time limit, workers, solver seed, status,
objective, bound, seconds, checker verdict.
"""

import importlib
import sys
import time

from llct_sched.check import check
from llct_sched.scenario.loading import load_scenario
from llct_sched.solve import SolveParams

search = importlib.import_module("llct_sched.solve.search")  # `solve` shadows the module's name
limit, workers, seeds = float(sys.argv[1]), int(sys.argv[2]), [int(s) for s in sys.argv[3:]]
for seed in seeds:
    scenario = load_scenario("hoang_mai_2020")
    began = time.time()
    result = search.solve(scenario, SolveParams(time_limit=limit, workers=workers, seed=seed, bound_search=False))
    ok = result.timetable is not None and check(scenario, result.timetable).ok
    seconds = round(time.time() - began, 1)
    row = ("off", limit, workers, seed, result.status, result.objective, result.bound, seconds, ok)
    print(",".join(map(str, row)), flush=True)
