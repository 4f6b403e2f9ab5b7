"""The default plan, 30 s, 1 worker, the whole pipeline, with stage 1's first phase given the CP-SAT
parameters PARAMETERS (JSON) and solver seed SEED, one solve per process, one at a time:

    /usr/bin/time -f "maxrss %M KB" python subsolver_lists.py custom 'PARAMETERS' SEED

e.g. '{"interleave_search": true, "num_full_subsolvers": 2}' or '{"interleave_search": true,
"subsolvers": ["default_lp", "quick_restart", "no_lp", "fixed"]}'. Prints one RESULT line
(parameters, status, objective, bound); `time` prints the peak memory. Rows: subsolver_lists.csv.
"""

import importlib
import json
import sys

from llct_sched.scenario.loading import load_scenario
from llct_sched.solve import SolveParams

search = importlib.import_module("llct_sched.solve.search")  # `solve` shadows the module's name
extra = json.loads(sys.argv[2])
search._default_portfolio = lambda workers, teaching: dict(extra)
seed = int(sys.argv[3])
result = search.solve(load_scenario("hoang_mai_2020"), SolveParams(time_limit=30, workers=1, seed=seed))
print("RESULT custom", extra, result.status, result.objective, result.bound)
