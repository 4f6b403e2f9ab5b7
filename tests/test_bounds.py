"""The quick lower bounds of the solver: stage 1's timeless relaxation, stage 2's aggregated
relaxation, and the greedy construction that hints stage 1.

A bound is only worth something when it never exceeds an optimum: each test compares it with an
optimum found by the full model (or by the checker's reading of a solved timetable).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from llct_sched.check import check
from llct_sched.errors import Severity
from llct_sched.model.calendar_stage import build_calendar_model, build_calendar_relaxation, calendar_goal_values
from llct_sched.model.greedy import greedy_plan
from llct_sched.model.instance import Instance, build_instance
from llct_sched.model.staffing_stage import build_staffing_model, build_staffing_relaxation
from llct_sched.scenario import Scenario
from llct_sched.scenario.diagnose import diagnose
from llct_sched.scenario.loading import load_scenario
from llct_sched.scenario.validate import validate
from llct_sched.solve import SolveParams, solve
from tiny import tiny_data


def optimum(model: cp_model.CpModel, seconds: float = 20.0) -> tuple[str, float, float]:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    status = solver.solve(model)
    return solver.status_name(status), solver.objective_value, solver.best_objective_bound


def variant(
    hall_seats: int, r1_seats: int, hall_borrowed: bool, cohort: int | None, year_cap: int | None, avoid: bool
) -> dict[str, Any]:
    """The tiny scenario with other seats, room kinds, a cohort split, a yearly cap and an avoided event."""
    data = tiny_data()
    data["rooms"] = [
        {"id": "HALL", "seats": hall_seats, "kind": "borrowed" if hall_borrowed else "hall"},
        {"id": "R1", "seats": r1_seats, "kind": "classroom"},
    ]
    if cohort is not None:
        data["classes"][0].pop("learners")
        data["classes"][1].pop("learners")
        data["cohorts"] = [{"id": "K", "learners": cohort, "classes": ["BD-A", "BD-B"], "min_per_class": 20}]
    if year_cap is not None:
        data["lecturers"][0]["max_sessions_per_year"] = year_cap
    if avoid:
        data["calendar"]["events"] = [
            {
                "id": "congress",
                "kind": "congress",
                "start": dt.date(2020, 3, 16),
                "end": dt.date(2020, 3, 18),
                "avoid_classes": True,
            }
        ]
    return data


def possible_instance(data: dict[str, Any]) -> Instance:
    """The instance of a valid variant that the counting checks do not already prove impossible."""
    scenario = Scenario.model_validate(data)
    assume(not [issue for issue in validate(scenario) if issue.severity == Severity.error])
    assume(not diagnose(scenario))
    inst = build_instance(scenario)
    assume(not inst.empty_blocks)
    return inst


variants = st.builds(
    variant,
    hall_seats=st.integers(40, 150),
    r1_seats=st.integers(30, 110),
    hall_borrowed=st.booleans(),
    cohort=st.one_of(st.none(), st.integers(60, 220)),
    year_cap=st.one_of(st.none(), st.integers(4, 14)),
    avoid=st.booleans(),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(variants)
def test_timeless_calendar_bound_never_exceeds_the_calendar_optimum(data: dict[str, Any]) -> None:
    inst = possible_instance(data)
    full_status, full_value, _ = optimum(build_calendar_model(inst)[0])
    assume(full_status == "OPTIMAL")  # infeasible variants prove nothing here
    status, _, relaxed_bound = optimum(build_calendar_relaxation(inst))
    assert status == "OPTIMAL"
    assert relaxed_bound <= full_value + 1e-6


def test_timeless_bound_counts_the_sessions_that_only_a_borrowed_room_can_seat() -> None:
    """The class of 100 fits only the hall; when the hall is borrowed, its 6 sessions are forced."""
    own = Scenario.model_validate(variant(120, 50, False, None, None, False))
    borrowed = Scenario.model_validate(variant(120, 50, True, None, None, False))
    weight = borrowed.weights.borrowed_room
    values = []
    for scenario in (own, borrowed):
        status, _, bound = optimum(build_calendar_relaxation(build_instance(scenario)))
        assert status == "OPTIMAL"
        values.append(bound)
    sessions = sum(m["sessions"] for m in tiny_data()["programs"][0]["modules"])
    assert values[1] - values[0] == weight * sessions


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(variants)
def test_staffing_bound_never_exceeds_the_staffing_optimum_of_a_calendar(data: dict[str, Any]) -> None:
    inst = possible_instance(data)
    plan = greedy_plan(inst)
    assume(plan.complete)
    starts = [plan.starts[b] for b in range(len(inst.blocks))]
    status, value, _ = optimum(build_staffing_model(inst, starts)[0])
    assume(status == "OPTIMAL")
    bound_status, _, bound = optimum(build_staffing_relaxation(inst))
    assert bound_status == "OPTIMAL"
    assert bound <= value + 1e-6


def test_default_bounds_add_up_to_at_most_the_checked_optimum() -> None:
    scenario = load_scenario("hoang_mai_2020")
    inst = build_instance(scenario)
    calendar = optimum(build_calendar_relaxation(inst))
    staffing = optimum(build_staffing_relaxation(inst))
    assert calendar[0] == staffing[0] == "OPTIMAL"
    result = solve(scenario, SolveParams(time_limit=30, workers=2, seed=0))
    assert result.timetable is not None
    report = check(scenario, result.timetable)
    assert report.ok and report.objective == result.objective
    assert calendar[2] + staffing[2] <= report.objective + 1e-6


def test_greedy_calendar_keeps_off_avoided_event_days_when_it_can() -> None:
    """The default year has congress days that classes should avoid, and room around them."""
    scenario = load_scenario("hoang_mai_2020")
    inst = build_instance(scenario)
    assert any(e.avoid_classes for e in scenario.calendar.events)
    for seed in range(3):
        plan = greedy_plan(inst, seed)
        assert plan.complete
        values = calendar_goal_values(inst, plan.starts, plan.rooms, plan.learners)
        assert values["avoid_event_days"] == 0
