"""The default plan on 2 workers, stage 1's first phase as it is (`base`) or interleaved with two
full subsolvers (`il2`), the whole pipeline, solver seeds SEED...:

    python two_workers.py base|il2 TIME_LIMIT SEED... >> two_workers.csv

One line per solve: variant, scenario, time limit, workers, seed, status, objective, bound,
seconds, checker verdict, peak resident memory of this process so far (MB).
"""

import importlib
import resource
import sys
import time

from llct_sched.check import check
from llct_sched.scenario.loading import load_scenario
from llct_sched.solve import SolveParams

search = importlib.import_module("llct_sched.solve.search")  # `solve` shadows the module's name
variant, limit, seeds = sys.argv[1], float(sys.argv[2]), [int(s) for s in sys.argv[3:]]
if variant == "il2":
    search._default_portfolio = lambda workers, teaching: {
        "interleave_search": True,
        "subsolvers": ["default_lp", "quick_restart"],
    }
for seed in seeds:
    scenario = load_scenario("hoang_mai_2020")
    began = time.time()
    result = search.solve(scenario, SolveParams(time_limit=limit, workers=2, seed=seed))
    ok = result.timetable is not None and check(scenario, result.timetable).ok
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    seconds = round(time.time() - began, 1)
    row = (variant, "default", limit, 2, seed, result.status, result.objective, result.bound, seconds, ok, peak)
    print(",".join(map(str, row)), flush=True)
