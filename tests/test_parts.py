"""Independent parts of a scenario (llct_sched.scenario.parts) and the solve that starts from them:
a province in one file falls apart into its centers, each part is a valid scenario, and the parts'
timetables put together are a valid timetable of the whole (by the independent checker)."""

from __future__ import annotations

import importlib

import pytest

from llct_sched import SolveParams, check, load_scenario, solve
from llct_sched.errors import Severity
from llct_sched.scenario.generate import generate_scenario
from llct_sched.scenario.parts import independent_parts, merge_timetables
from llct_sched.scenario.validate import validate

search = importlib.import_module("llct_sched.solve.search")  # llct_sched.solve is also the function


def errors(scenario) -> list[str]:
    return [f"{i.path}: {i.message}" for i in validate(scenario) if i.severity == Severity.error]


def test_per_center_copies_are_the_parts_and_pooled_ones_are_one() -> None:
    whole = generate_scenario(3, 0, per_center=True)
    parts = independent_parts(whole)
    assert len(parts) == 3
    assert sorted(c.id for p in parts for c in p.classes) == sorted(c.id for c in whole.classes)
    for kind in ("rooms", "lecturers"):
        ids = [x.id for p in parts for x in getattr(p, kind)]
        assert len(ids) == len(set(ids)), kind  # nothing shared
    for part in parts:
        assert not errors(part), errors(part)
        assert part.observation.observers is None or set(part.observation.observers) <= {x.id for x in part.lecturers}
    assert independent_parts(generate_scenario(3, 0)) == []  # rooms and lecturers pooled
    assert independent_parts(load_scenario("hoang_mai_2020")) == []


def test_an_observer_who_teaches_nowhere_keeps_the_scenario_whole() -> None:
    whole = generate_scenario(2, 0, per_center=True)
    observer = next(lec for lec in whole.lecturers if lec.can_observe)
    idle = observer.model_copy(update={"id": "OBS_ONLY", "topics": []})
    observers = [*(whole.observation.observers or [lec.id for lec in whole.lecturers if lec.can_observe]), "OBS_ONLY"]
    scenario = whole.model_copy(
        update={
            "lecturers": [*whole.lecturers, idle],
            "observation": whole.observation.model_copy(update={"observers": observers}),
        }
    )
    assert len(independent_parts(whole)) == 2 and independent_parts(scenario) == []


def test_the_parts_timetables_together_keep_every_rule_of_the_whole() -> None:
    whole = generate_scenario(2, 1, per_center=True)
    timetables = []
    for part in independent_parts(whole):
        result = solve(part, SolveParams(time_limit=4, workers=1))
        assert result.timetable is not None, result.messages
        timetables.append(result.timetable)
    report = check(whole, merge_timetables(whole, timetables))
    assert report.ok, report.summary()


def test_a_solve_of_a_province_in_one_file_starts_from_its_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = generate_scenario(2, 0, per_center=True)
    monkeypatch.setattr(search, "PARTS_MIN_BLOCKS", 10)
    monkeypatch.setattr(search, "PARTS_MIN_SECONDS", 2.0)
    solved: list[str] = []
    proving: list[bool] = []  # each solve's SolveParams.bound_search
    inner = search.solve

    def counting(scenario, params=None, progress=None, **kwargs):
        solved.append(scenario.name)
        proving.append(params.bound_search)
        return inner(scenario, params, progress, **kwargs)

    monkeypatch.setattr(search, "solve", counting)
    result = search.solve(whole, SolveParams(time_limit=16, workers=1))
    assert solved == [whole.name, f"{whole.name}_part1", f"{whole.name}_part2"]
    assert proving == [True, False, False]  # the parts' bounds are not the whole's: no time on them
    assert any("2 independent parts" in m for m in result.messages), result.messages
    report = check(whole, result.timetable)
    assert report.ok and report.objective == result.objective, report.summary()
