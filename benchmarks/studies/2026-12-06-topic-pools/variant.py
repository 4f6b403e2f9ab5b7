"""Generated centers (2 workers, solver seed 0), or the default plan (solver seeds), with stage 1
changed:

python variant.py VARIANT SHARE LIMIT SEED... >> centers.csv
python variant.py VARIANT default LIMIT SOLVER_SEED... >> default.csv

VARIANT (patches the installed solver in this process only, nothing on disk):
  base        the solver as it is
  stall:X     search.STALL_SHARE = X (hand over once the incumbent is X of stage 1's budget old)
  lp:X        search.LP_SHARE = X (hand over after X of stage 1's budget in any case)
  pools:none  stage 1 with the teaching layer without the topic pools' cumulatives (what the solver
              does since this study; on the solver before, aac0d54, the variant measured)
  pools:keep  stage 1 with the topic pools whatever the layer (the solver before this study)
  A/B         both changes, e.g. stall:0.3/pools:keep

One line per solve: variant, share, time limit, seed, status, objective, bound, seconds, checker verdict, and
the phase whose bound closed stage 1 ("first", "bound" or "-" when not proven).
"""

import importlib
import sys
import time
from typing import Any

from ortools.sat.python import cp_model

from llct_sched.check import check
from llct_sched.model import calendar_stage
from llct_sched.scenario.generate import generate_center
from llct_sched.scenario.loading import load_scenario
from llct_sched.solve.params import SolveParams

search = importlib.import_module("llct_sched.solve.search")  # `solve` shadows the module's name


def keep_pools() -> None:
    """Stage 1 with the topic pools, with or without the teaching layer (the solver before)."""
    plain = search.build_calendar_model

    def keep(*args: Any, **kwargs: Any) -> Any:
        return plain(*args, **{**kwargs, "topic_capacity": True})

    search.build_calendar_model = keep


def apply(variant: str) -> None:
    """Patch the solver of this process for `variant`."""
    for part in variant.split("/"):
        if part.startswith("stall:"):
            search.STALL_SHARE = float(part.removeprefix("stall:"))
        elif part.startswith("lp:"):
            search.LP_SHARE = float(part.removeprefix("lp:"))
        elif part == "pools:none":
            calendar_stage.add_topic_capacity = lambda model, inst, v, pools: None
        elif part == "pools:keep":
            keep_pools()
        elif part != "base":
            raise SystemExit(f"unknown variant {variant!r}")


def watch_phases(seen: dict[str, Any]) -> None:
    """Record which of stage 1's two solves answered OPTIMAL (the first phase or the bound search)."""
    plain = search._Session.run

    def run(self: Any, model: Any, stage: str, budget: float, **kw: Any) -> Any:
        out = plain(self, model, stage, budget, **kw)
        if stage == "calendar" and out[1] == cp_model.OPTIMAL:
            seen["phase"] = "first" if kw.get("hand_over") is not None else "bound"
        return out

    search._Session.run = run


def main() -> None:
    variant, share, limit = sys.argv[1], sys.argv[2], float(sys.argv[3])
    seeds = [int(s) for s in sys.argv[4:]]
    apply(variant)
    seen: dict[str, Any] = {}
    watch_phases(seen)
    for seed in seeds:
        seen.clear()
        if share == "default":
            scenario, solver_seed = load_scenario("hoang_mai_2020"), seed
        else:
            scenario, solver_seed = generate_center(float(share), seed)[0], 0
        began = time.time()
        result = search.solve(scenario, SolveParams(time_limit=limit, workers=2, seed=solver_seed))
        ok = result.timetable is not None and check(scenario, result.timetable).ok
        phase = seen.get("phase", "-") if result.status == "OPTIMAL" else "-"
        seconds = round(time.time() - began, 1)
        row = (variant, share, limit, seed, result.status, result.objective, result.bound, seconds, ok, phase)
        print(",".join(map(str, row)))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
