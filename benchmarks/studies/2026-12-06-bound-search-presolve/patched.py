"""One center solve with CP-SAT fields added to stage 1's bound search (values as JSON), INFO log
then a RESULT line:

python patched.py SHARE SEED TIME_LIMIT FIELD=VALUE...
(bound_search_log_seed17.txt: 0.2 17 30 log_search_progress=true log_to_stdout=true, and the
same with cp_model_presolve=true for the solver before 92467cf)
"""

import importlib
import json
import logging
import sys
import time

from llct_sched.scenario.generate import generate_center
from llct_sched.solve.params import SolveParams

search = importlib.import_module("llct_sched.solve.search")  # `solve` shadows the module's name

share, seed, limit = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
extra = {key: json.loads(value) for key, value in (arg.split("=") for arg in sys.argv[4:])}
plain_bound_search = search._bound_search
search._bound_search = lambda workers: {**plain_bound_search(workers), **extra}
logging.basicConfig(level=logging.INFO, format="%(relativeCreated)7.0f %(name)s %(message)s")
scenario = generate_center(share, seed)[0]
began = time.time()
result = search.solve(scenario, SolveParams(time_limit=limit, workers=2))
print("RESULT", sys.argv[1:], result.status, result.objective, result.bound, round(time.time() - began, 1))
