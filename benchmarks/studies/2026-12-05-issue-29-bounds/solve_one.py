"""One center solve as issue 29 measures it (INFO log, then a RESULT line):

python solve_one.py SHARE SEED TIME_LIMIT
"""

import importlib
import logging
import sys
import time

from llct_sched.scenario.generate import generate_center
from llct_sched.solve.params import SolveParams

search = importlib.import_module("llct_sched.solve.search")  # `solve` shadows the module's name

logging.basicConfig(level=logging.INFO, format="%(relativeCreated)7.0f %(name)s %(message)s")
share, seed, limit = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
began = time.time()
r = search.solve(generate_center(share, seed)[0], SolveParams(time_limit=limit, workers=2))
print("RESULT", sys.argv[1:], r.status, r.objective, r.bound, r.breakdown, round(time.time() - began, 1))
