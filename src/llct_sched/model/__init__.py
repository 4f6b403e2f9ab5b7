"""The CP-SAT model: stage 1 (calendar) and stage 2 (staffing), the greedy construction and the
diagnostic model. Only this package and `llct_sched.solve` import OR-Tools."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ortools.sat.python import cp_model


def minimize_weighted_goals(
    model: cp_model.CpModel,
    inst: Any,
    v: Any,
    goals: Mapping[str, Callable[[cp_model.CpModel, Any, Any], Any]],
) -> None:
    """Build each goal with a positive weight (a goal may return None: not applicable), keep its
    expression in `v.goals`, and minimise the weighted sum."""
    weights = inst.scenario.weights.model_dump()
    objective = []
    for goal, build in goals.items():
        expr = build(model, inst, v) if weights[goal] > 0 else None
        if expr is not None:
            v.goals[goal] = expr
            objective.append(weights[goal] * expr)
    model.minimize(sum(objective))
