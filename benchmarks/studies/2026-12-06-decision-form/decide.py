"""Generated centers (2 workers, solver seed 0) with stage 1's second phase first tried as a decision
problem: the model with its objective bounded by the incumbent minus one (INFEASIBLE: the incumbent
is optimal), then, if time is left, the bound search as it is.

    python decide.py MODE LIMIT SHARE/SEED...

MODE: base (the solver as it is), decide (the objective dropped, CP-SAT's default portfolio),
cut (the objective kept, the default portfolio), cut_lb (the objective kept, the bound search's
parameters). `search._optimise_calendar` is replaced in this process only; the decision run's own
line shows its start, incumbent and answer. One line per solve: mode, share, seed, limit, status,
objective, bound (the first phase's and the bound search's, not the decision run's), seconds,
checker verdict.
"""

import importlib
import math
import sys
import time
from typing import Any

from ortools.sat.python import cp_model

from llct_sched.check import check
from llct_sched.scenario.generate import generate_center
from llct_sched.solve.params import SolveParams

search = importlib.import_module("llct_sched.solve.search")  # `solve` shadows the module's name


def add_cutoff(model: cp_model.CpModel, limit: float) -> None:
    """objective <= limit, stated on the objective's own terms."""
    objective = model.proto.objective
    scale = objective.scaling_factor or 1.0
    ct = model.proto.constraints.add()
    ct.linear.vars.extend(objective.vars)
    ct.linear.coeffs.extend(objective.coeffs)
    ct.linear.domain.extend([-(2**62), math.floor(limit / scale - objective.offset + 1e-9)])


def decide_first(mode: str) -> Any:
    """`search._optimise_calendar` with the decision run between the two phases (its first phase and
    the bound search as in the solver at 0c3f431)."""

    def optimise(session, model, budget, good_enough, teaching, before_bound_search=None):  # type: ignore[no-untyped-def]
        started = session.elapsed()
        proving = teaching and session.params.bound_search
        first, status, _ = session.run(
            model,
            "calendar",
            budget,
            good_enough=good_enough,
            hand_over=budget * search.LP_SHARE if proving else None,
            hand_over_stall=budget * search.STALL_SHARE if proving else None,
            cp_model_probing_level=0,
            **search._default_portfolio(session.params.workers, teaching),
        )
        bound = first.best_objective_bound
        reached = good_enough is not None and status == cp_model.FEASIBLE and first.objective_value <= good_enough
        if not proving or status != cp_model.FEASIBLE or reached or session.interrupted:
            return first, status, bound
        search._hint_solution(model, first)
        usable = before_bound_search(first) if before_bound_search is not None else True
        rest = budget - (session.elapsed() - started)
        if rest < 0.1:
            return first, status if usable else cp_model.UNKNOWN, bound
        if usable:
            trial = model.clone()
            add_cutoff(trial, first.objective_value - 1)
            if mode == "decide":
                trial.clear_objective()
            params = search._bound_search(session.params.workers) if mode == "cut_lb" else {}
            began = session.elapsed()
            other, answer, _ = session.run(trial, "calendar", rest, cp_model_probing_level=0, **params)
            print(
                f"    [{mode}] from {first.objective_value:.0f} at {began:.1f}s: "
                f"{other.status_name(answer)} at {session.elapsed():.1f}s",
                flush=True,
            )
            if answer == cp_model.INFEASIBLE:
                return first, cp_model.OPTIMAL, first.objective_value
            if mode != "decide" and answer in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                return other, answer, max(bound, other.best_objective_bound)
            rest = budget - (session.elapsed() - started)
            if rest < 0.1:
                return first, status, bound
        second, again, _ = session.run(
            model,
            "calendar",
            rest,
            good_enough=good_enough,
            cp_model_probing_level=0,
            **search._bound_search(session.params.workers),
        )
        if math.isfinite(second.best_objective_bound):
            bound = max(bound, second.best_objective_bound)
        if not usable:
            return second, again, bound
        if again in (cp_model.OPTIMAL, cp_model.FEASIBLE) and second.objective_value <= first.objective_value:
            return second, again, bound
        return first, status, bound

    return optimise


def main() -> None:
    mode, limit = sys.argv[1], float(sys.argv[2])
    if mode != "base":
        search._optimise_calendar = decide_first(mode)
    for item in sys.argv[3:]:
        share, seed = item.split("/")
        scenario = generate_center(float(share), int(seed))[0]
        began = time.time()
        r = search.solve(scenario, SolveParams(time_limit=limit, workers=2, seed=0))
        ok = check(scenario, r.timetable).ok if r.timetable else None
        print(
            f"{mode},{share},{seed},{limit},{r.status},{r.objective},{r.bound},{time.time() - began:.1f},{ok}",
            flush=True,
        )


if __name__ == "__main__":
    main()
