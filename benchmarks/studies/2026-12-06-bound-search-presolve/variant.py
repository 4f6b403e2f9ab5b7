"""Generated centers at 30 s (2 workers, solver seed 0) with stage 1 changed for one experiment:

python variant.py VARIANT SHARE SEED... >> ab.txt

VARIANT (each patches the installed solver in this process only, nothing on disk):
  base                        the solver as it is
  hybrid                      the specialists' start literals in the model from the start, and the
                              default portfolio's full worker `lb_tree_search` in place of
                              `default_lp` (the neighbourhood searches still interleaved)
  stall:X                     search.STALL_SHARE = X
  bs:A+B                      the bound search runs subsolvers A and B (as full subsolvers)
  bsx:FIELD=VALUE             the bound search's parameters plus one CP-SAT field
                              (bsx:cp_model_presolve=False is what the solver does since this study)

One line per solve: variant, share, seed, status, objective, bound, seconds, checker verdict.
"""

import importlib
import sys
import time
from typing import Any

from ortools.sat.sat_parameters_pb2 import SatParameters

from llct_sched.check import check
from llct_sched.model import teaching_layer
from llct_sched.scenario.generate import generate_center
from llct_sched.solve.params import SolveParams

search = importlib.import_module("llct_sched.solve.search")  # `solve` shadows the module's name

variant, share, seeds = sys.argv[1], float(sys.argv[2]), [int(s) for s in sys.argv[3:]]

if variant == "hybrid":
    plain_layer = search.add_teaching_layer

    def layer_with_links(model: Any, inst: Any, cv: Any) -> Any:
        goals = plain_layer(model, inst, cv)
        teaching_layer.add_specialist_starts(model, inst, cv)
        return goals

    search.add_teaching_layer = layer_with_links
    search._link_specialists = lambda *args: None  # the links are there already
    plain_run = search._Session.run

    def run(self: Any, model: Any, stage: str, budget: float, **kw: Any) -> Any:
        if kw.get("hand_over") is not None:  # the default portfolio of stage 1's optimising round
            kw["subsolvers"] = ["lb_tree_search"]
        return plain_run(self, model, stage, budget, **kw)

    search._Session.run = run
elif variant.startswith("stall:"):
    search.STALL_SHARE = float(variant.removeprefix("stall:"))
elif variant.startswith("bs:"):
    subsolvers = variant.removeprefix("bs:").split("+")
    search._bound_search = lambda workers: {
        "extra_subsolvers": subsolvers,
        "ignore_subsolvers": ["default_lp"],
        "num_full_subsolvers": len(subsolvers),
    }
elif variant.startswith("bsx:"):
    field, text = variant.removeprefix("bsx:").split("=")
    kind = type(getattr(SatParameters(), field))
    value = text == "True" if kind is bool else kind(float(text))
    plain_bound_search = search._bound_search
    search._bound_search = lambda workers: {**plain_bound_search(workers), field: value}
elif variant != "base":
    raise SystemExit(f"unknown variant {variant!r}")

for seed in seeds:
    scenario = generate_center(share, seed)[0]
    began = time.time()
    result = search.solve(scenario, SolveParams(time_limit=30, workers=2, seed=0))
    ok = result.timetable is not None and check(scenario, result.timetable).ok
    print(variant, share, seed, result.status, result.objective, result.bound, round(time.time() - began, 1), ok)
    sys.stdout.flush()
