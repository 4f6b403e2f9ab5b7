"""The CP-SAT model: the instance (`instance`: scenario ids as integer indices), stage 1 (calendar)
and stage 2 (staffing), the greedy construction and the diagnostic model. Only this package and
`llct_sched.solve` import OR-Tools."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ortools.sat.python import cp_model


def minimize_weighted_goals(
    model: cp_model.CpModel,
    inst: Any,
    v: Any,
    goals: Mapping[str, Callable[[cp_model.CpModel, Any, Any], Any]],
    extra: Mapping[str, Any] | None = None,
) -> None:
    """Build each goal with a positive weight (a goal may return None: not applicable), keep its
    expression in `v.goals`, and minimise the weighted sum. `extra`: goals already built elsewhere
    (goal -> expression or None), added the same way."""
    weights = inst.scenario.weights.model_dump()
    built = {goal: build(model, inst, v) if weights[goal] > 0 else None for goal, build in goals.items()}
    built.update({goal: expr for goal, expr in (extra or {}).items() if weights[goal] > 0})
    objective = []
    for goal, expr in built.items():
        if expr is not None:
            v.goals[goal] = expr
            objective.append(weights[goal] * expr)
    model.minimize(sum(objective))
