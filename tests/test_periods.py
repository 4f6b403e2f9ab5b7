"""Calendars with other periods than morning and afternoon, and the rules of weekly course
timetables: same-day blocks, closed weekly periods, soft room capacity and the goals `min_days`
and `isolated_sessions` (docs/rules.md).

Every timetable goes through `solved` (test_solve.py): the independent checker must accept it
and agree with the solver's objective, goal by goal.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from llct_sched.check import check
from llct_sched.scenario import Scenario
from llct_sched.scenario.validate import validate
from llct_sched.solve import solve
from test_solve import PARAMS, infeasible, solved

MONDAY = dt.date(2007, 1, 1)
ZERO = {
    "preferred_months": 0,
    "month_spread": 0,
    "avoid_event_days": 0,
    "borrowed_room": 0,
    "room_stability": 0,
    "module_lecturer_stability": 0,
    "lecturer_balance": 0,
    "teaching_norm": 0,
    "observation_spread": 0,
}


def program(pid: str, sessions: int, blocks: int = 1, per_day: int = 1, **delivery: Any) -> dict[str, Any]:
    return {
        "id": pid,
        "type": "boi_duong",
        "modules": [{"id": f"{pid}-m", "sessions": sessions, "topic": pid}],
        "delivery": {"blocks": blocks, "sessions_per_day": per_day, **delivery},
    }


def week(
    days: int = 5,
    periods: int = 4,
    programs: list[dict[str, Any]] | None = None,
    classes: list[dict[str, Any]] | None = None,
    **overrides: Any,
) -> Scenario:
    """A one-week scenario with `periods` periods a day, one lecturer per program, no observation."""
    programs = programs or [program("A", 4, blocks=4, same_day_blocks=True)]
    data: dict[str, Any] = {
        "name": "week",
        "calendar": {
            "start": MONDAY,
            "end": MONDAY + dt.timedelta(days=days - 1),
            "periods": [f"p{k}" for k in range(periods)],
        },
        "rooms": [{"id": "R1", "seats": 30}, {"id": "R2", "seats": 40}],
        "lecturers": [{"id": f"T-{p['id']}", "kind": "external", "topics": [p["id"]]} for p in programs],
        "programs": programs,
        "classes": classes or [{"id": p["id"], "program": p["id"], "learners": 20} for p in programs],
        "observation": {"visits_per_lecturer": 0},
        "weights": ZERO,
    }
    data.update(overrides)
    return Scenario.model_validate(data)


def slots(tt: Any, class_id: str) -> list[tuple[dt.date, str]]:
    return [(s.date, s.period) for s in tt.sessions_of(class_id)]


def test_three_session_days_take_three_consecutive_periods() -> None:
    scenario = week(periods=4, programs=[program("A", 6, per_day=3)])
    got = slots(solved(scenario), "A")
    assert len({d for d, _ in got}) == 2
    for day in {d for d, _ in got}:
        periods = sorted(int(p[1:]) for d, p in got if d == day)
        assert periods in ([0, 1, 2], [1, 2, 3])
    assert [int(p[1:]) for _, p in got][:3] == [int(p[1:]) for _, p in got][3:]  # same periods both days


def test_same_day_blocks_may_share_a_day_and_others_may_not() -> None:
    one_day = week(days=1, periods=4, programs=[program("A", 4, blocks=4, same_day_blocks=True)])
    assert sorted(p for _, p in slots(solved(one_day), "A")) == ["p0", "p1", "p2", "p3"]
    apart = week(days=1, periods=4, programs=[program("A", 4, blocks=4)])
    infeasible(apart)


def test_sessions_per_day_above_the_periods_is_rejected() -> None:
    scenario = week(periods=2, programs=[program("A", 3, per_day=3)])
    errors = [i for i in validate(scenario) if i.severity == "error"]
    assert any(i.path == "programs[0].delivery.sessions_per_day" for i in errors), errors


def test_unknown_period_names_are_rejected_where_they_are() -> None:
    scenario = week(
        periods=2,
        classes=[{"id": "A", "program": "A", "learners": 20, "closed_periods": {"mon": ["morning"]}}],
    )
    paths = [i.path for i in validate(scenario) if i.severity == "error"]
    assert "classes[0].closed_periods.mon[0]" in paths


def test_closed_periods_are_never_used() -> None:
    closed = {"mon": ["p0", "p1", "p2"], "tue": ["p3"]}
    scenario = week(
        days=2,
        periods=4,
        classes=[{"id": "A", "program": "A", "learners": 20, "closed_periods": closed}],
    )
    got = slots(solved(scenario), "A")
    tuesday = MONDAY + dt.timedelta(days=1)
    assert sorted(got) == [(MONDAY, "p3"), (tuesday, "p0"), (tuesday, "p1"), (tuesday, "p2")]
    everything = {"mon": ["p0", "p1", "p2", "p3"], "tue": ["p0", "p1", "p2"]}
    infeasible(week(days=2, classes=[{"id": "A", "program": "A", "learners": 20, "closed_periods": everything}]))


def test_soft_room_capacity_costs_the_learners_above_the_seats() -> None:
    classes = [{"id": "A", "program": "A", "learners": 50}]
    infeasible(week(classes=classes))
    result_tt = solved(week(classes=classes, rules={"soft_room_capacity": True}, weights=ZERO | {"room_capacity": 1}))
    assert {s.room_id for s in result_tt.sessions} == {"R2"}  # 10 over in R2 beats 20 over in R1


def test_min_days_spreads_the_class_and_counts_what_it_cannot() -> None:
    spread = week(days=5, programs=[program("A", 4, blocks=4, same_day_blocks=True, min_days=4)])
    assert len({d for d, _ in slots(solved(spread), "A")}) >= 4
    short = week(days=2, programs=[program("A", 4, blocks=4, same_day_blocks=True, min_days=4)])
    solved(short)
    assert solve(short, PARAMS).objective == 5 * 2  # weight 5, two days short


def test_isolated_sessions_pull_a_group_together() -> None:
    programs = [program("X", 1), program("Y", 1)]
    classes: list[dict[str, Any]] = [
        {"id": "X", "program": "X", "learners": 10, "groups": ["G"]},
        {"id": "Y", "program": "Y", "learners": 10, "groups": ["G"]},
    ]
    weights = ZERO | {"isolated_sessions": 2}
    together = week(days=2, programs=programs, classes=classes, groups=[{"id": "G"}], weights=weights)
    tt = solved(together)
    (x,), (y,) = slots(tt, "X"), slots(tt, "Y")
    assert x[0] == y[0] and abs(int(x[1][1:]) - int(y[1][1:])) == 1

    only = {"X": ["p1", "p2", "p3"], "Y": ["p0", "p1", "p2"]}  # X only at p0, Y only at p3
    apart_classes = [c | {"closed_periods": {"mon": only[c["id"]]}} for c in classes]
    apart = week(days=1, programs=programs, classes=apart_classes, groups=[{"id": "G"}], weights=weights)
    solved(apart)
    assert solve(apart, PARAMS).objective == 2 * 2  # both sessions alone


def test_one_lecturer_of_two_classes_teaches_them_in_different_periods() -> None:
    programs = [program("X", 2, blocks=2, same_day_blocks=True), program("Y", 2, blocks=2, same_day_blocks=True)]
    scenario = week(
        days=1,
        periods=4,
        programs=programs,
        lecturers=[{"id": "T", "kind": "external", "topics": ["X", "Y"]}],
    )
    tt = solved(scenario)
    assert len({(s.date, s.period) for s in tt.sessions}) == 4


def test_a_class_larger_than_every_room_is_an_error_only_with_hard_capacity() -> None:
    classes = [{"id": "A", "program": "A", "learners": 500}]
    hard = [i.path for i in validate(week(classes=classes)) if i.severity == "error"]
    assert "classes[0].learners" in hard
    soft = week(classes=classes, rules={"soft_room_capacity": True}, weights=ZERO | {"room_capacity": 1})
    assert not [i for i in validate(soft) if i.severity == "error"]
    assert solve(soft, PARAMS).objective == 4 * (500 - 40)  # four sessions in the larger room


def test_the_checker_flags_a_session_in_a_closed_period() -> None:
    from llct_sched.check import check

    scenario = week(days=2, classes=[{"id": "A", "program": "A", "learners": 20}])
    tt = solved(scenario)
    first = tt.sessions_of("A")[0]
    weekday = ["mon", "tue"][(first.date - MONDAY).days]
    closing = week(
        days=2, classes=[{"id": "A", "program": "A", "learners": 20, "closed_periods": {weekday: [first.period]}}]
    )
    report = check(closing, tt)
    assert not report.ok
    assert [v.rule for v in report.violations] == ["calendar"]
    assert report.violations[0].period == first.period


def test_a_lecturer_away_for_some_sessions_of_a_day_teaches_in_the_others() -> None:
    """One day, four periods, four one-session blocks: the lecturer is away in p0 and p2 that day,
    so only two blocks fit; away in p0 only, three. The checker names the session taken anyway."""
    away = {"start": MONDAY, "periods": ["p0", "p2"], "reason": "họp"}
    two = week(days=1, periods=4, programs=[program("A", 2, blocks=2, same_day_blocks=True)])
    data = two.model_dump()
    data["lecturers"][0]["unavailable"] = [away]
    two = Scenario.model_validate(data)
    timetable = solved(two)
    assert sorted(p for _, p in slots(timetable, "A")) == ["p1", "p3"]
    three = Scenario.model_validate(two.model_dump() | {"programs": [program("A", 3, blocks=3, same_day_blocks=True)]})
    infeasible(three)
    moved = timetable.model_copy(
        update={
            "sessions": [s.model_copy(update={"period": "p0"}) if s.period == "p1" else s for s in timetable.sessions]
        }
    )
    report = check(two, moved)
    assert not report.ok and any("họp" in v.message for v in report.violations), report.summary()


def test_a_lecturers_away_periods_must_be_calendar_periods() -> None:
    scenario = week(periods=2)
    data = scenario.model_dump()
    data["lecturers"][0]["unavailable"] = [{"start": MONDAY, "periods": ["evening"]}]
    paths = [i.path for i in validate(Scenario.model_validate(data)) if i.severity == "error"]
    assert paths == ["lecturers[0].unavailable[0].periods[0]"]
