"""Generated centers at 30 s (2 workers, solver seed 0) with stage 1's first phase changed:

python variant.py VARIANT SHARE SEED... >> ab.csv

VARIANT (each patches the installed solver in this process only, nothing on disk):
  base                        the solver as it is
  pf:FIELD=VALUE[,F=V...]     stage 1's default portfolio (its optimising solve's first phase, the
                              one given `hand_over`) with these CP-SAT fields added (a repeated
                              field's values joined by "+": ignore_subsolvers=default_lp)
  share:X                     search.TEACHING_CALENDAR_SHARE = X (stage 1's share of the time)
  lb                          stage 1's model also says its objective is at least the first bounds
                              (the timeless calendar relaxation's + the staffing relaxation's)

One line per solve: variant, share, seed, status, objective, bound, seconds, checker verdict.
"""

import importlib
import sys
import time
from typing import Any

from ortools.sat.sat_parameters_pb2 import SatParameters

from llct_sched.check import check
from llct_sched.scenario.generate import generate_center
from llct_sched.solve.params import SolveParams

search = importlib.import_module("llct_sched.solve.search")  # `solve` shadows the module's name


def parse(fields: str) -> dict[str, Any]:
    """`a=1,b=False,c=x+y` as CP-SAT fields of their proto types (c repeated)."""
    out: dict[str, Any] = {}
    for item in fields.split(","):
        field, text = item.split("=")
        current = getattr(SatParameters(), field)
        if not isinstance(current, (bool, int, float, str)):  # a repeated field: values joined by "+"
            out[field] = text.split("+")
        else:
            kind = type(current)
            out[field] = text == "True" if kind is bool else kind(float(text))
    return out


def apply(variant: str) -> None:
    """Patch the solver of this process for `variant`."""
    if variant.startswith("pf:"):
        extra = parse(variant.removeprefix("pf:"))
        plain_run = search._Session.run

        def run(self: Any, model: Any, stage: str, budget: float, **kw: Any) -> Any:
            if kw.get("hand_over") is not None:  # the default portfolio of stage 1's optimising solve
                kw.update(extra)
            return plain_run(self, model, stage, budget, **kw)

        search._Session.run = run
    elif variant == "lb":
        plain_first_bounds, plain_optimise = search._first_bounds, search._optimise_calendar
        known: dict[str, int] = {}

        def first_bounds(inst: Any, session: Any, s: Any) -> None:
            plain_first_bounds(inst, session, s)
            known["bound"] = (s.calendar_bound or 0) + (s.staffing_bound or 0)

        def optimise(session: Any, model: Any, *args: Any, **kw: Any) -> Any:
            if known.get("bound"):  # objective >= the first bounds, as a constraint of stage 1's model
                objective = model.proto.objective
                linear = model.proto.constraints.add().linear
                linear.vars.extend(objective.vars)
                linear.coeffs.extend(objective.coeffs)
                linear.domain.extend([known["bound"] - int(objective.offset), 2**40])
            return plain_optimise(session, model, *args, **kw)

        search._first_bounds, search._optimise_calendar = first_bounds, optimise
    elif variant.startswith("share:"):
        search.TEACHING_CALENDAR_SHARE = float(variant.removeprefix("share:"))
    elif variant != "base":
        raise SystemExit(f"unknown variant {variant!r}")


def main() -> None:
    variant, share, seeds = sys.argv[1], float(sys.argv[2]), [int(s) for s in sys.argv[3:]]
    apply(variant)
    for seed in seeds:
        scenario = generate_center(share, seed)[0]
        began = time.time()
        result = search.solve(scenario, SolveParams(time_limit=30, workers=2, seed=0))
        ok = result.timetable is not None and check(scenario, result.timetable).ok
        row = (variant, share, seed, result.status, result.objective, result.bound, round(time.time() - began, 1), ok)
        print(",".join(map(str, row)))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
