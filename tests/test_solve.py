"""The solver, rule family by rule family: tiny scenarios where one rule forces the outcome.

Every timetable is verified by the independent checker, and the checker's objective must equal
the solver's.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest

from llct_sched.check import check
from llct_sched.scenario import Period, Scenario
from llct_sched.solve import Result, SolveParams, solve
from llct_sched.timetable import Timetable
from tiny import tiny, tiny_data

D = dt.date
PARAMS = SolveParams(time_limit=20, workers=2, seed=1)


def solved(scenario: Scenario) -> Timetable:
    """Solve, and require a timetable that the checker accepts with the same objective."""
    result = solve(scenario, PARAMS)
    assert result.timetable is not None, (result.status, result.messages)
    report = check(scenario, result.timetable)
    assert report.ok, report.summary()
    assert report.objective == result.objective
    assert report.breakdown == {g: scenario.weights.model_dump()[g] * v for g, v in result.breakdown.items()} | {
        g: 0 for g in report.breakdown if g not in result.breakdown
    }
    return result.timetable


def infeasible(scenario: Scenario) -> Result:
    result = solve(scenario, PARAMS)
    assert result.status == "INFEASIBLE", (result.status, result.messages)
    assert result.timetable is None
    assert result.messages
    return result


def dates(tt: Timetable, class_id: str) -> list[dt.date]:
    return sorted({s.date for s in tt.sessions if s.class_id == class_id})


def with_class(data: dict[str, Any], class_id: str, **changes: Any) -> dict[str, Any]:
    data["classes"] = [c | changes if c["id"] == class_id else c for c in data["classes"]]
    return data


def test_tiny_scenario_solves_to_a_proven_optimum() -> None:
    scenario = tiny()
    result = solve(scenario, PARAMS)
    assert result.status == "OPTIMAL"
    assert result.bound == result.objective
    assert result.timetable is not None and check(scenario, result.timetable).ok
    assert result.first_feasible_s is not None and result.first_feasible_s <= result.wall_time_s


def test_room_capacity_puts_the_large_class_in_the_hall() -> None:
    tt = solved(tiny())
    assert {s.room_id for s in tt.sessions if s.class_id == "BD-A"} == {"HALL"}  # 100 learners, R1 seats 50


def test_one_class_per_room_and_slot() -> None:
    data = tiny_data(groups=[])
    for c in data["classes"]:
        c["learners"], c["groups"] = 100, []  # every class needs the hall
    tt = solved(Scenario.model_validate(data))
    used = Counter((s.room_id, s.date, s.period) for s in tt.sessions)
    assert max(used.values()) == 1
    assert {s.room_id for s in tt.sessions} == {"HALL"}


def test_room_unavailable_dates_leave_one_window() -> None:
    data = tiny_data()
    data["rooms"][0]["unavailable"] = [
        {"start": D(2020, 3, 2), "end": D(2020, 3, 15)},
        {"start": D(2020, 3, 19), "end": D(2020, 3, 27)},
    ]
    tt = solved(Scenario.model_validate(data))
    assert dates(tt, "BD-A") == [D(2020, 3, 16), D(2020, 3, 17), D(2020, 3, 18)]


def test_holidays_and_weekends_are_never_used() -> None:
    data = tiny_data()
    data["calendar"]["holidays"] = [{"start": D(2020, 3, 2), "end": D(2020, 3, 6), "name": "closed week"}]
    tt = solved(Scenario.model_validate(data))
    assert all(s.date >= D(2020, 3, 9) and s.date.weekday() < 5 for s in tt.sessions)


def test_blackout_closes_all_classes() -> None:
    data = tiny_data()
    data["calendar"]["blackouts"] = [{"id": "iso", "start": D(2020, 3, 2), "end": D(2020, 3, 13)}]
    tt = solved(Scenario.model_validate(data))
    assert min(s.date for s in tt.sessions) >= D(2020, 3, 16)


def test_gathering_limit_closes_only_larger_classes() -> None:
    data = tiny_data()
    data["calendar"]["blackouts"] = [
        {"id": "limit50", "start": D(2020, 3, 2), "end": D(2020, 3, 20), "max_gathering": 50}
    ]
    data = with_class(data, "BD-B", latest_end=D(2020, 3, 13))  # 45 learners: allowed inside the limit
    tt = solved(Scenario.model_validate(data))
    assert min(dates(tt, "BD-A")) >= D(2020, 3, 23)  # 100 learners
    assert max(dates(tt, "BD-B")) <= D(2020, 3, 13)


def test_window_bounds_are_kept() -> None:
    data = with_class(tiny_data(), "BD-B", earliest_start=D(2020, 3, 23), latest_end=D(2020, 3, 25))
    tt = solved(Scenario.model_validate(data))
    assert dates(tt, "BD-B") == [D(2020, 3, 23), D(2020, 3, 24), D(2020, 3, 25)]


def test_events_bound_the_window() -> None:
    data = tiny_data()
    data["calendar"]["events"] = [
        {"id": "congress", "kind": "congress", "start": D(2020, 3, 17), "end": D(2020, 3, 18)},
        {"id": "anniv", "kind": "anniversary", "start": D(2020, 3, 24)},
    ]
    data = with_class(data, "BD-A", not_before_event="congress", not_after_event="anniv")
    data["lecturers"][2]["available"] = None  # the local-topic lecturer free every session
    tt = solved(Scenario.model_validate(data))
    assert D(2020, 3, 19) <= min(dates(tt, "BD-A")) and max(dates(tt, "BD-A")) <= D(2020, 3, 23)


def test_pinned_starts_and_room() -> None:
    data = with_class(tiny_data(), "SC-1", pinned_starts=[D(2020, 3, 3), D(2020, 3, 11)], pinned_room="HALL")
    tt = solved(Scenario.model_validate(data))
    assert dates(tt, "SC-1") == [D(2020, 3, 3), D(2020, 3, 4), D(2020, 3, 11), D(2020, 3, 12)]
    assert {s.room_id for s in tt.sessions if s.class_id == "SC-1"} == {"HALL"}


def test_blocks_keep_their_minimum_gap() -> None:
    data = tiny_data()
    data["programs"][1]["delivery"]["min_gap_days"] = 10
    data["calendar"]["end"] = D(2020, 3, 20)
    tt = solved(Scenario.model_validate(data))
    days = dates(tt, "SC-1")
    assert len(days) == 4
    assert (days[2] - days[1]).days - 1 >= 10
    assert (days[1] - days[0]).days <= 3 and (days[3] - days[2]).days <= 3


def test_single_session_days_keep_one_period() -> None:
    data = tiny_data()
    data["programs"][1]["delivery"] = {"blocks": 2, "sessions_per_day": 1, "min_gap_days": 0}
    tt = solved(Scenario.model_validate(data))
    sessions = tt.sessions_of("SC-1")
    assert len(sessions) == 8 and len({s.date for s in sessions}) == 8
    first_block, second_block = sessions[:4], sessions[4:]
    assert len({s.period for s in first_block}) == 1 and len({s.period for s in second_block}) == 1


def test_modules_follow_the_program_order() -> None:
    tt = solved(tiny())
    assert [s.module_id for s in tt.sessions_of("BD-A")] == ["m1", "m1", "m2", "m3", "m3", "m3"]
    assert [s.module_id for s in tt.sessions_of("SC-1")] == ["s1"] * 4 + ["s2"] * 4


def test_learner_groups_never_meet_together() -> None:
    data = tiny_data()
    data["calendar"]["end"] = D(2020, 3, 12)  # 8 working days: the two 3-day classes of ward1 must not overlap
    data["lecturers"][2]["available"] = None
    data["classes"] = data["classes"][:2]
    data["classes"][1]["learners"] = 100
    data["rooms"].append({"id": "HALL2", "seats": 150, "kind": "hall"})
    tt = solved(Scenario.model_validate(data))
    slots_a = {(s.date, s.period) for s in tt.sessions_of("BD-A")}
    slots_b = {(s.date, s.period) for s in tt.sessions_of("BD-B")}
    assert not slots_a & slots_b


def test_cohort_learners_are_split_within_bounds() -> None:
    data = tiny_data()
    data["classes"][0].pop("learners")
    data["classes"][1].pop("learners")
    data["cohorts"] = [
        {"id": "K", "learners": 150, "classes": ["BD-A", "BD-B"], "min_per_class": 55, "max_per_class": 100}
    ]
    data["rooms"] = [{"id": "HALL", "seats": 120, "kind": "hall"}, {"id": "R1", "seats": 95}]
    tt = solved(Scenario.model_validate(data))
    a, b = tt.class_learners["BD-A"], tt.class_learners["BD-B"]
    assert a + b == 150 and 55 <= a <= 100 and 55 <= b <= 100
    seats = {"HALL": 120, "R1": 95}
    assert all(tt.class_learners[s.class_id] <= seats[s.room_id] for s in tt.sessions)


def test_topics_and_weekly_availability_choose_the_lecturer() -> None:
    tt = solved(tiny())
    local = [s for s in tt.sessions if s.module_id == "m2"]
    assert {s.lecturer_id for s in local} == {"PT1"}
    assert all((s.date.weekday(), s.period) in {(1, Period.morning), (3, Period.afternoon)} for s in local)


def test_unavailable_lecturer_teaches_nothing() -> None:
    data = tiny_data()
    data["lecturers"][0]["unavailable"] = [{"start": D(2020, 3, 1), "end": D(2020, 3, 31)}]
    data["observation"] = {"observed_kinds": ["part_time"]}  # FT1 cannot teach, so cannot be observed
    tt = solved(Scenario.model_validate(data))
    assert "FT1" not in {s.lecturer_id for s in tt.sessions}


def test_weekly_and_yearly_loads_are_kept() -> None:
    data = tiny_data()
    data["lecturers"][0]["max_sessions_per_week"] = 4
    data["lecturers"][1]["max_sessions_per_week"] = 4
    data["lecturers"].append({"id": "FT3", "kind": "full_time", "topics": ["pol", "law"], "max_sessions_per_year": 2})
    tt = solved(Scenario.model_validate(data))
    per_week = Counter((s.lecturer_id, s.date.isocalendar()[:2]) for s in tt.sessions if s.lecturer_id)
    assert all(n <= 4 for (lec, _), n in per_week.items() if lec in ("FT1", "FT2"))
    assert sum(1 for s in tt.sessions if s.lecturer_id == "FT3") <= 2


def test_every_lecturer_is_observed_by_a_free_allowed_observer() -> None:
    scenario = tiny()
    tt = solved(scenario)
    assert {o.lecturer_id for o in tt.observations} == {"FT1", "FT2", "PT1"}
    taught = {(s.lecturer_id, s.date, s.period) for s in tt.sessions}
    for visit in tt.observations:
        assert visit.observer_id in {"FT1", "FT2"} and visit.observer_id != visit.lecturer_id
        assert (visit.lecturer_id, visit.date, visit.period) in taught
        assert (visit.observer_id, visit.date, visit.period) not in taught


def test_observer_limit_spreads_visits() -> None:
    data = tiny_data()
    data["observation"] = {"observers": ["FT1", "FT2"], "max_visits_per_observer": 2}
    tt = solved(Scenario.model_validate(data))
    assert max(Counter(o.observer_id for o in tt.observations).values()) <= 2


def test_staffing_conflicts_are_learned_until_staffable() -> None:
    data = tiny_data(groups=[])
    data["lecturers"] = [
        {"id": "FT1", "kind": "full_time", "topics": ["pol", "law", "local"]},
        {"id": "OBS", "kind": "external", "topics": [], "can_observe": True},
    ]
    for c in data["classes"]:
        c["groups"] = []
    data["rooms"].append({"id": "HALL2", "seats": 120, "kind": "hall"})
    data["calendar"]["end"] = D(2020, 3, 13)  # 9 working days for 10 class days: no two classes together
    data["classes"][1]["learners"] = 40
    data["programs"][1]["modules"] = [{"id": "s1", "sessions": 4, "topic": "pol"}]
    data["programs"][1]["delivery"] = {"blocks": 1}
    tt = solved(Scenario.model_validate(data))
    busy = Counter((s.date, s.period) for s in tt.sessions)
    assert max(busy.values()) == 1  # one lecturer: one session per slot


def test_conflicting_pins_are_infeasible() -> None:
    data = with_class(tiny_data(), "BD-A", pinned_starts=[D(2020, 3, 16)])
    data = with_class(data, "BD-B", pinned_starts=[D(2020, 3, 17)])  # same ward, overlapping days
    infeasible(Scenario.model_validate(data))


def test_a_module_no_one_can_teach_in_the_window_is_infeasible() -> None:
    data = tiny_data()
    data["lecturers"][2]["unavailable"] = [{"start": D(2020, 3, 1), "end": D(2020, 3, 31)}]
    result = infeasible(Scenario.model_validate(data))
    assert any("BD-A" in m or "BD-B" in m for m in result.messages)


def test_unobservable_lecturer_is_infeasible() -> None:
    data = tiny_data()
    data["lecturers"][0]["can_observe"] = False  # FT2 is the only observer and cannot observe itself
    infeasible(Scenario.model_validate(data))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_default_scenario_is_solved_and_checked(seed: int) -> None:
    from llct_sched.scenario.loading import load_scenario

    scenario = load_scenario("hoang_mai_2020")
    result = solve(scenario, SolveParams(time_limit=30, workers=2, seed=seed))
    assert result.timetable is not None
    report = check(scenario, result.timetable)
    assert report.ok, report.summary()
    assert report.objective == result.objective
    assert len({s.class_id for s in result.timetable.sessions}) == 48
