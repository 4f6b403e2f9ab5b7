"""Stage 1's optimising solve (teaching layer): its first phase, CP-SAT's default portfolio, runs the
portfolio's subsolvers in turn on one worker (`interleave_search`, two full subsolvers); with
`SolveParams.bound_search` off it has the whole budget and never hands over to the searches made
for the lower bound (the independent parts of a province are solved so, `search._solve_parts`). With
the layer, stage 1's model leaves out the topic pools (the lecturers' capacity per pool of topics,
a relaxation of who teaches)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from llct_sched.check import check
from llct_sched.model.calendar_stage import build_calendar_model
from llct_sched.model.instance import build_instance
from llct_sched.model.teaching_layer import add_teaching_layer
from llct_sched.scenario import Scenario
from llct_sched.scenario.generate import generate_center
from llct_sched.solve import SolveParams
from tiny import tiny_data

search = importlib.import_module("llct_sched.solve.search")  # `solve` shadows the module's name
INTERLEAVED = {"interleave_search": True, "subsolvers": ["default_lp", "quick_restart"]}


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


@pytest.mark.parametrize("workers", [1, 2])
def test_on_one_worker_the_first_phase_interleaves_the_portfolio(monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    scenario = generate_center(0.3, 2)[0]
    runs = _calendar_runs(monkeypatch)
    result = search.solve(scenario, SolveParams(time_limit=6, workers=workers))
    assert runs, "no optimising round ran"
    assert runs[0].get("interleave_search", False) is (workers == 1)
    # two full subsolvers (each keeps its own copy of the model), CP-SAT's neighbourhoods interleaved
    assert runs[0].get("subsolvers") == (INTERLEAVED["subsolvers"] if workers == 1 else None)
    assert all(not kwargs.get("interleave_search") for kwargs in runs[1:])  # the bound search is left as it is
    assert result.timetable is not None
    report = check(scenario, result.timetable)
    assert report.ok and report.objective == result.objective


def test_a_scenario_without_the_teaching_layer_keeps_one_search_on_one_worker() -> None:
    # each interleaved subsolver keeps its own copy of the model: only center-sized plans get it
    assert search._default_portfolio(1, teaching=False) == {}
    assert search._default_portfolio(1, teaching=True) == INTERLEAVED
    assert search._default_portfolio(2, teaching=True) == {}


def test_every_core_on_a_one_core_machine_is_one_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search.os, "cpu_count", lambda: 1)  # workers 0: CP-SAT takes every core
    assert search._default_portfolio(0, teaching=True) == INTERLEAVED
    monkeypatch.setattr(search.os, "cpu_count", lambda: 2)
    assert search._default_portfolio(0, teaching=True) == {}


def _pool_parts(model: Any) -> int:
    """The intervals of the topic pools' cumulatives (`calendar_stage.topic_pool_capacity`)."""
    return sum(1 for c in model.proto.constraints if c.name.startswith("pool"))


@pytest.mark.parametrize("layered", [True, False])
def test_only_stage_1_without_the_teaching_layer_has_the_topic_pools(
    monkeypatch: pytest.MonkeyPatch, layered: bool
) -> None:
    scenario = generate_center(0.3, 2)[0] if layered else Scenario.model_validate(tiny_data())
    built: list[Any] = []

    def build(*args: Any, **kwargs: Any) -> Any:
        model, cv = build_calendar_model(*args, **kwargs)
        built.append(model)
        return model, cv

    monkeypatch.setattr(search, "build_calendar_model", build)
    result = search.solve(scenario, SolveParams(time_limit=6, workers=2))
    assert built, "stage 1 built no model"
    assert all((_pool_parts(model) == 0) is layered for model in built)
    if layered:  # the pools are there to be left out: the same model with them
        with_pools, _ = build_calendar_model(build_instance(scenario), layer=add_teaching_layer)
        assert _pool_parts(with_pools) > 0
    assert result.timetable is not None
    report = check(scenario, result.timetable)
    assert report.ok and report.objective == result.objective
