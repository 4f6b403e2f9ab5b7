"""Stage 1's first phase on one worker with and without `interleave_search`
(`search._default_portfolio`), on the default plan or a generated center:

    python one_worker.py on|off default|SHARE TIME_LIMIT SEED... >> one_worker.csv

`default`: the Hoàng Mai 2020 plan with solver seed SEED; SHARE: `generate_center(SHARE, SEED)`
with solver seed 0. One line per solve: interleave, scenario, time limit, seed, status,
objective, bound, seconds, checker verdict. The figures ran `on` and `off` side by side (two
processes, one worker each), as two parts or centers in flight would.
"""

import importlib
import sys
import time

from llct_sched.check import check
from llct_sched.scenario.generate import generate_center
from llct_sched.scenario.loading import load_scenario
from llct_sched.solve import SolveParams

search = importlib.import_module("llct_sched.solve.search")  # `solve` shadows the module's name
switch, which, limit, seeds = sys.argv[1], sys.argv[2], float(sys.argv[3]), [int(s) for s in sys.argv[4:]]
if switch == "off":
    search._default_portfolio = lambda workers, teaching: {}
for seed in seeds:
    if which == "default":
        scenario, solver_seed = load_scenario("hoang_mai_2020"), seed
    else:
        scenario, solver_seed = generate_center(float(which), seed)[0], 0
    began = time.time()
    result = search.solve(scenario, SolveParams(time_limit=limit, workers=1, seed=solver_seed))
    ok = result.timetable is not None and check(scenario, result.timetable).ok
    row = (switch, which, limit, seed, result.status, result.objective, result.bound, round(time.time() - began, 1), ok)
    print(",".join(map(str, row)))
    sys.stdout.flush()
