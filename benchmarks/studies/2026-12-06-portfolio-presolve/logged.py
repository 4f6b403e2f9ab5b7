"""One generated center solved by the library with its INFO log (when stage 1 finds each incumbent,
when it hands over to the bound search, when that proves), then a RESULT line:

python logged.py SHARE SEED TIME_LIMIT
"""

import importlib
import logging
import sys

from llct_sched.scenario.generate import generate_center
from llct_sched.solve.params import SolveParams

search = importlib.import_module("llct_sched.solve.search")  # `solve` shadows the module's name

logging.basicConfig(level=logging.INFO, format="%(relativeCreated)7.0f %(name)s %(message)s")
share, seed, limit = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
result = search.solve(generate_center(share, seed)[0], SolveParams(time_limit=limit, workers=2, seed=0))
print("RESULT", result.status, result.objective, result.bound, result.breakdown, result.wall_time_s)
