"""`SolveParams.bound_search`: with it off, stage 1's optimising solve (teaching layer) gives its
whole budget to the default portfolio and never hands over to the searches made for the lower
bound; the independent parts of a province are solved so (`search._solve_parts`)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from llct_sched.check import check
from llct_sched.scenario.generate import generate_center
from llct_sched.solve import SolveParams

search = importlib.import_module("llct_sched.solve.search")  # `solve` shadows the module's name


def _calendar_runs(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The keyword arguments of every stage-1 solve of the optimising round."""
    runs: list[dict[str, Any]] = []
    real = search._Session.run

    def run(self: Any, model: Any, stage: str, budget: float, **kwargs: Any) -> Any:
        if stage == "calendar" and not kwargs.get("first_only"):
            runs.append(kwargs)
        return real(self, model, stage, budget, **kwargs)

    monkeypatch.setattr(search._Session, "run", run)
    return runs


@pytest.mark.parametrize("bound_search", [True, False])
def test_the_switch_decides_whether_stage_1_hands_over_to_the_bound_search(
    monkeypatch: pytest.MonkeyPatch, bound_search: bool
) -> None:
    scenario = generate_center(0.1, 17)[0]
    runs = _calendar_runs(monkeypatch)
    result = search.solve(scenario, SolveParams(time_limit=8, workers=2, bound_search=bound_search))
    assert runs, "no optimising round ran"
    first_phase = runs[0]
    assert (first_phase.get("hand_over") is not None) is bound_search
    if not bound_search:
        assert all("ignore_subsolvers" not in kwargs and "optimize_with_core" not in kwargs for kwargs in runs)
    assert result.timetable is not None
    report = check(scenario, result.timetable)
    assert report.ok and report.objective == result.objective
