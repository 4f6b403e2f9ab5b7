"""The bounds the solver computes before stage 1 (`search._calendar_lower_bound`, the timeless
relaxation, and `search._staffing_lower_bound`), for generated centers given as SHARE/SEED:

    python first_bounds.py 0.1/2 0.4/10 ... > first_bounds.csv
"""

import importlib
import sys
import time

from llct_sched.model.instance import build_instance
from llct_sched.scenario.generate import generate_center
from llct_sched.solve.params import SolveParams

search = importlib.import_module("llct_sched.solve.search")  # `solve` shadows the module's name


def main() -> None:
    print("share,seed,calendar_bound,staffing_bound,sum,calendar_s,staffing_s")
    for arg in sys.argv[1:]:
        share, seed = arg.split("/")
        inst = build_instance(generate_center(float(share), int(seed))[0])
        session = search._Session(SolveParams(time_limit=30, workers=2), None)
        began = time.time()
        calendar = search._calendar_lower_bound(inst, session)
        middle = time.time()
        staffing = search._staffing_lower_bound(inst, session)
        row = (share, seed, calendar, staffing, calendar + staffing, middle - began, time.time() - middle)
        print(",".join(f"{x:.1f}" if isinstance(x, float) else str(x) for x in row), flush=True)


if __name__ == "__main__":
    main()
