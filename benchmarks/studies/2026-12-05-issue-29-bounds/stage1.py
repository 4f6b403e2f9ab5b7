"""Stage 1 alone (teaching layer, no cuts), as `search._optimise_calendar` runs it but with
deterministic limits, which a busy machine does not change: the default portfolio for D1 from the
greedy plan, then the bound searches for D2 from its incumbent, with or without the specialist
links (`links` / `plain`):

    python stage1.py SHARE SEED D1 D2 plain|links
"""

import importlib
import sys
import time
from typing import Any

from ortools.sat.python import cp_model

from llct_sched.model.calendar_stage import build_calendar_model
from llct_sched.model.greedy import greedy_plan
from llct_sched.model.instance import build_instance
from llct_sched.model.teaching_layer import add_teaching_layer
from llct_sched.scenario.generate import generate_center

search = importlib.import_module("llct_sched.solve.search")
share, seed, d1, d2, variant = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
inst = build_instance(generate_center(share, seed)[0])
model, cv = build_calendar_model(inst, layer=add_teaching_layer)
plan = greedy_plan(inst, 0)
if plan.complete:
    search._apply_hint(model, cv, search._Assignment(plan.starts, plan.rooms, plan.learners, plan.teach))


def run(params: dict[str, Any], budget: float) -> tuple[cp_model.CpSolver, Any, float]:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.max_deterministic_time = budget
    solver.parameters.cp_model_probing_level = 0
    for key, value in params.items():
        if isinstance(value, list):
            getattr(solver.parameters, key).extend(value)
        else:
            setattr(solver.parameters, key, value)
    began = time.time()
    status = solver.solve(model)
    return solver, status, time.time() - began


first, status1, wall1 = run({}, d1)
search._hint_solution(model, first)
if variant == "links":
    search._link_specialists(inst, model, cv, first)
second, status2, wall2 = run(search._bound_search(2), d2)
print(
    "STAGE1",
    share,
    seed,
    variant,
    "phase 1",
    first.status_name(status1),
    first.objective_value,
    first.best_objective_bound,
    f"{wall1:.1f}s",
    "phase 2",
    second.status_name(status2),
    second.objective_value if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None,
    second.best_objective_bound,
    f"{wall2:.1f}s",
    "deterministic",
    round(first.response_proto.deterministic_time, 1),
    round(second.response_proto.deterministic_time, 1),
)
