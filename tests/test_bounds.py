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
from llct_sched.model import teaching_layer
from llct_sched.model.calendar_stage import build_calendar_model, build_calendar_relaxation, calendar_goal_values
from llct_sched.model.greedy import greedy_plan
from llct_sched.model.instance import Instance, _map_baseline, build_instance
from llct_sched.model.staffing_stage import build_staffing_model, build_staffing_relaxation, specialist_floor
from llct_sched.scenario import Scenario
from llct_sched.scenario.diagnose import diagnose
from llct_sched.scenario.generate import generate_center
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


def specialists_apart() -> Scenario:
    """The tiny scenario where BD3's m1 (day 1 of the block) prefers PT2, free on Wednesdays only,
    and m2 (day 2, morning) prefers PT1, free on Tuesday mornings (FT1 may teach it too): no start
    of a BD block gives both their specialist, every start gives one."""
    data = tiny_data()
    data["lecturers"][0]["topics"] = ["pol", "law", "local"]
    data["lecturers"].append(
        {"id": "PT2", "kind": "part_time", "topics": ["pol"], "available": {"wed": ["morning", "afternoon"]}}
    )
    modules = data["programs"][0]["modules"]
    modules[0]["preferred_lecturers"] = ["PT2"]
    modules[1]["preferred_lecturers"] = ["PT1"]
    return Scenario.model_validate(data)


def root_lp_bound(model: cp_model.CpModel) -> float:
    """The bound of the root LP (one worker, every constraint in the LP: deterministic)."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.linearization_level = 2
    solver.parameters.stop_after_root_propagation = True
    solver.solve(model)
    return solver.best_objective_bound


def test_stage_one_lp_pays_the_specialist_of_the_start_it_chooses() -> None:
    """With the teaching layer, the rules of `add_specialist_starts` (a preferred lecturer teaches
    only at the starts where they are free) let stage 1's LP count the specialist floor: its root
    bound rises by it (before, each lecturer's literal was free of the start in the LP). They are
    redundant: the optimum stays."""
    scenario = specialists_apart()
    inst = build_instance(scenario)
    floor = specialist_floor(inst)
    assert floor == 2 * scenario.weights.specialist > 0  # one session for each BD class
    plain, _ = build_calendar_model(inst, layer=teaching_layer.add_teaching_layer)
    linked, cv = build_calendar_model(inst, layer=teaching_layer.add_teaching_layer)
    assert teaching_layer.add_specialist_starts(linked, inst, cv)  # the BD blocks' start literals
    assert root_lp_bound(linked) >= root_lp_bound(plain) + floor - 1e-6
    with_links, without = optimum(linked), optimum(plain)
    assert with_links[0] == without[0] == "OPTIMAL"
    assert with_links[1] == without[1]


def test_the_specialists_starts_cut_no_planted_timetable() -> None:
    """`add_specialist_starts` is redundant: a planted center's timetable, fixed in stage 1 with the
    teaching layer and those rules (starts, rooms, learners, lecturers), is still a solution."""
    scenario, planted = generate_center(0.4, 3, short_classes=(5, 10), long_courses=False)
    inst = build_instance(scenario)
    model, cv = build_calendar_model(inst, layer=teaching_layer.add_teaching_layer)
    assert teaching_layer.add_specialist_starts(model, inst, cv)
    mapped = _map_baseline(inst, planted, None)
    assert len(mapped.start) == len(inst.blocks) and cv.teaching is not None
    for b, t in mapped.start.items():
        model.add(cv.start[b] == t)
    for (b, r), lit in cv.room.items():
        model.add(lit == (mapped.room[b] == r))
    for c, n in mapped.learners.items():
        model.add(cv.learners[c] == n)
    for (s, lec), lit in cv.teaching.teach.items():
        model.add(lit == (mapped.lecturer.get(s) == lec))
    status, _, _ = optimum(model)
    assert status in ("OPTIMAL", "FEASIBLE")
