"""generate --scale 10 --per-center, seed 0, 300 s, 2 workers, with the INFO log (each part's
objective) and a RESULT line:

python scale_ab.py VARIANT

VARIANT as in variant.py: `base` (stage 1's first phase with presolve, the solver as it is) or
`pf:cp_model_presolve=False` (what b9b18aa did, reverted in 377fd5d).
"""

import logging
import sys

from variant import apply, search

from llct_sched.check import check
from llct_sched.scenario.generate import generate_scenario
from llct_sched.solve.params import SolveParams

logging.basicConfig(level=logging.INFO, format="%(relativeCreated)7.0f %(name)s %(message)s")
apply(sys.argv[1])
scenario = generate_scenario(10, seed=0, per_center=True)
result = search.solve(scenario, SolveParams(time_limit=300, workers=2, seed=0))
ok = result.timetable is not None and check(scenario, result.timetable).ok
print("RESULT", sys.argv[1], result.status, result.objective, result.bound, result.first_feasible_s, ok)
