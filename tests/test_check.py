"""Tests of the independent checker on a tiny hand-made scenario and timetable."""

from __future__ import annotations

import ast
import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from llct_sched.check import GOALS, CheckReport, Violation, check
from llct_sched.scenario import (
    Absence,
    Blackout,
    Cohort,
    DateRange,
    Event,
    Holiday,
    Period,
    Scenario,
    Weekday,
)
from llct_sched.timetable import ObservationVisit, ScheduledSession, Timetable

D = dt.date
AM, PM = Period.morning, Period.afternoon


def make_scenario() -> Scenario:
    """Four weeks of March 2020 (Mon-Fri, 20 March a holiday), 2 rooms, 4 lecturers, 2 programs, 2 classes.

    P1: one block of 2 days x 2 sessions (M1, M2). P2: 2 blocks of 2 days x 1 session (A then B), gap >= 2.
    """
    return Scenario.model_validate(
        {
            "name": "tiny",
            "calendar": {
                "start": "2020-03-02",
                "end": "2020-03-27",
                "holidays": [{"start": "2020-03-20", "name": "local"}],
                "events": [
                    {"id": "E1", "start": "2020-03-10", "avoid_classes": True},
                    {"id": "E2", "start": "2020-03-23", "end": "2020-03-24", "kind": "congress"},
                ],
            },
            "rooms": [
                {"id": "R1", "seats": 60},
                {"id": "R2", "seats": 200, "kind": "borrowed"},
            ],
            "lecturers": [
                {"id": "GV01", "topics": ["T1"], "norm_sessions_per_year": 10},
                {"id": "GV02", "topics": ["T1", "T2"], "can_observe": True},
                {"id": "GV03", "kind": "part_time", "topics": ["T2"], "available": {"wed": ["morning", "afternoon"]}},
                {"id": "GV04", "kind": "external", "topics": ["T1", "T2"]},
            ],
            "programs": [
                {
                    "id": "P1",
                    "type": "boi_duong",
                    "modules": [
                        {"id": "M1", "sessions": 2, "topic": "T1"},
                        {"id": "M2", "sessions": 2, "topic": "T2"},
                    ],
                },
                {
                    "id": "P2",
                    "type": "so_cap",
                    "modules": [
                        {"id": "A", "sessions": 2, "topic": "T1"},
                        {"id": "B", "sessions": 2, "topic": "T2", "after": ["A"]},
                    ],
                    "delivery": {"blocks": 2, "sessions_per_day": 1, "min_gap_days": 2},
                },
            ],
            "classes": [
                {"id": "C1", "program": "P1", "learners": 50, "groups": ["G1"], "preferred_months": [4]},
                {"id": "C2", "program": "P2", "groups": ["G1"]},
            ],
            "groups": [{"id": "G1"}],
            "cohorts": [{"id": "K", "learners": 40, "classes": ["C2"], "max_per_class": 60}],
            "observation": {"observed_kinds": ["part_time"], "visits_per_lecturer": 1},
        }
    )


def ses(cid: str, mid: str, day: str, period: Period, room: str, lecturer: str | None) -> ScheduledSession:
    return ScheduledSession(
        class_id=cid, module_id=mid, date=D.fromisoformat(day), period=period, room_id=room, lecturer_id=lecturer
    )


def make_timetable() -> Timetable:
    """C1: Tue 3 + Wed 4 March, R1. C2: Thu 5 + Fri 6 mornings in R1, Mon 9 + Tue 10 afternoons in R2.

    C2's two blocks are consecutive working days (Fri -> Mon): one run of 4 days, cut into 2 blocks of 2,
    with 2 calendar days between them (the minimum).
    """
    return Timetable(
        scenario="tiny",
        class_learners={"C1": 50, "C2": 40},
        sessions=[
            ses("C1", "M1", "2020-03-03", AM, "R1", "GV01"),
            ses("C1", "M1", "2020-03-03", PM, "R1", "GV01"),
            ses("C1", "M2", "2020-03-04", AM, "R1", "GV03"),
            ses("C1", "M2", "2020-03-04", PM, "R1", "GV03"),
            ses("C2", "A", "2020-03-05", AM, "R1", "GV01"),
            ses("C2", "A", "2020-03-06", AM, "R1", "GV01"),
            ses("C2", "B", "2020-03-09", PM, "R2", "GV02"),
            ses("C2", "B", "2020-03-10", PM, "R2", "GV02"),
        ],
        observations=[
            ObservationVisit(lecturer_id="GV03", observer_id="GV02", class_id="C1", date=D(2020, 3, 4), period=AM)
        ],
    )


# The hand count for the valid timetable (default weights):
#   preferred_months   C1's block starts in March, wants April: 1 x 10 = 10
#   month_spread       3 blocks start in March 2020:             3 x 1  = 3
#   avoid_event_days   C2 meets on 10 March (E1):                1 x 5  = 5
#   borrowed_room      C2 has 2 sessions in R2:                  2 x 3  = 6
#   room_stability     C2 uses R1 and R2:                        1 x 5  = 5
#   module_lecturer    no module has two lecturers:              0 x 2  = 0
#   lecturer_balance   full-time GV01 4, GV02 2:                 2 x 1  = 2
#   teaching_norm      GV01: 10 - 4:                             6 x 1  = 6
#   observation_spread one visit, in March:                      1 x 1  = 1
#   room_capacity      rules.soft_room_capacity is false:         0
#   min_days           no program has delivery.min_days:          0
#   isolated_sessions  G1: C2's four sessions are alone that day: 4 x 0  = 0 (weight 0 by default)
EXPECTED_BREAKDOWN = {
    "preferred_months": 10,
    "month_spread": 3,
    "avoid_event_days": 5,
    "borrowed_room": 6,
    "room_stability": 5,
    "module_lecturer_stability": 0,
    "lecturer_balance": 2,
    "teaching_norm": 6,
    "specialist": 0,
    "over_norm": 0,
    "part_time_minimum": 0,
    "part_time_share": 0,
    "observation_spread": 1,
    "room_capacity": 0,
    "min_days": 0,
    "isolated_sessions": 0,
}


def replace_session(tt: Timetable, index: int, **changes: object) -> Timetable:
    sessions = list(tt.sessions)
    sessions[index] = sessions[index].model_copy(update=changes)
    return tt.model_copy(update={"sessions": sessions})


def rules(report: CheckReport) -> set[str]:
    return {v.rule for v in report.violations}


def only(report: CheckReport, rule: str) -> list[Violation]:
    found = [v for v in report.violations if v.rule == rule]
    assert found, f"expected a {rule} violation, got: {report.summary()}"
    return found


def mentions(violations: list[Violation], *words: str) -> bool:
    return any(all(w in v.message for w in words) for v in violations)


# --- the valid case -----------------------------------------------------------------------------


def test_valid_timetable_has_no_violations_and_hand_counted_objective() -> None:
    report = check(make_scenario(), make_timetable())
    assert report.ok, report.summary()
    assert report.violations == []
    assert list(report.breakdown) == list(GOALS)
    assert report.breakdown == EXPECTED_BREAKDOWN
    assert report.objective == 38 == sum(report.breakdown.values())


def test_details_are_unweighted_per_entity() -> None:
    report = check(make_scenario(), make_timetable())
    assert report.details["preferred_months"] == {"C1": 1}
    assert report.details["month_spread"] == {"2020-03": 3}
    assert report.details["avoid_event_days"] == {"C2": 1}
    assert report.details["borrowed_room"] == {"C2": 2}
    assert report.details["room_stability"] == {"C2": 1}
    assert report.details["module_lecturer_stability"] == {}
    assert report.details["lecturer_balance"] == {"GV01": 2}
    assert report.details["teaching_norm"] == {"GV01": 6}
    assert report.details["observation_spread"] == {"2020-03": 1}
    assert report.details["room_capacity"] == {}
    assert report.details["min_days"] == {}
    assert report.details["isolated_sessions"] == {"G1": 4}  # computed even with weight 0


def test_weights_scale_the_breakdown_and_zero_goals_stay_present() -> None:
    scenario = make_scenario()
    scenario.weights.teaching_norm = 3
    scenario.weights.borrowed_room = 0
    report = check(scenario, make_timetable())
    assert report.breakdown["teaching_norm"] == 18
    assert "borrowed_room" in report.breakdown and report.breakdown["borrowed_room"] == 0
    assert report.objective == 38 - 6 - 6 + 18


def test_lecturer_balance_zero_with_one_full_time_lecturer() -> None:
    scenario = make_scenario()
    scenario.lecturers[1].kind = scenario.lecturers[2].kind  # GV02 becomes part-time
    report = check(scenario, make_timetable())
    assert report.breakdown["lecturer_balance"] == 0


def test_summary_and_ok() -> None:
    good = check(make_scenario(), make_timetable())
    assert good.summary().startswith("OK")
    assert "objective 38" in good.summary()
    bad = check(make_scenario(), replace_session(make_timetable(), 0, room_id="R9"))
    assert not bad.ok
    assert "violation" in bad.summary() and "R9" in bad.summary()


# --- reference ----------------------------------------------------------------------------------


def test_missing_class_is_a_reference_violation() -> None:
    tt = make_timetable()
    tt = tt.model_copy(update={"sessions": [s for s in tt.sessions if s.class_id != "C2"]})
    found = only(check(make_scenario(), tt), "reference")
    assert mentions(found, "C2", "not scheduled")


def test_unknown_ids_are_reference_violations() -> None:
    tt = replace_session(make_timetable(), 0, room_id="R9", lecturer_id="GV99")
    extra = ses("C9", "M1", "2020-03-16", AM, "R1", None)
    tt = tt.model_copy(update={"sessions": [*tt.sessions, extra]})
    found = only(check(make_scenario(), tt), "reference")
    assert mentions(found, "R9") and mentions(found, "GV99") and mentions(found, "C9")


def test_module_of_another_program_is_a_reference_violation() -> None:
    report = check(make_scenario(), replace_session(make_timetable(), 0, module_id="A"))
    assert mentions(only(report, "reference"), "C1", "module A")
    assert mentions(only(report, "modules"), "C1", "M1")


# --- calendar -----------------------------------------------------------------------------------


def test_session_on_holiday_or_weekend() -> None:
    scenario = make_scenario()
    scenario.calendar.holidays.append(Holiday(start=D(2020, 3, 4)))
    found = only(check(scenario, make_timetable()), "calendar")
    assert mentions(found, "C1", "2020-03-04", "holiday")
    scenario = make_scenario()
    scenario.calendar.working_weekdays = [Weekday.mon, Weekday.tue, Weekday.wed, Weekday.thu]
    found = only(check(scenario, make_timetable()), "calendar")
    assert mentions(found, "C2", "2020-03-06", "fri")


def test_blackout_closes_only_large_classes() -> None:
    scenario = make_scenario()
    scenario.calendar.blackouts.append(Blackout(id="covid", start=D(2020, 3, 3), end=D(2020, 3, 5), max_gathering=45))
    report = check(scenario, make_timetable())
    assert rules(report) == {"calendar"}
    found = only(report, "calendar")
    assert mentions(found, "C1", "covid", "2020-03-03")
    assert not any(v.class_id == "C2" for v in found)  # 40 learners <= 45
    scenario.calendar.blackouts[0].max_gathering = None
    assert any(v.class_id == "C2" for v in check(scenario, make_timetable()).violations)


# --- window -------------------------------------------------------------------------------------


def test_window_earliest_latest_and_events() -> None:
    scenario = make_scenario()
    scenario.classes[0].earliest_start = D(2020, 3, 4)
    scenario.classes[1].latest_end = D(2020, 3, 9)
    report = check(scenario, make_timetable())
    assert rules(report) == {"window"}
    found = only(report, "window")
    assert mentions(found, "C1", "earliest start 2020-03-04") and mentions(found, "C2", "latest end 2020-03-09")

    scenario = make_scenario()
    scenario.calendar.events.append(Event(id="E3", start=D(2020, 3, 4), end=D(2020, 3, 5)))
    scenario.classes[0].not_after_event = "E3"
    scenario.classes[1].not_before_event = "E3"
    found = only(check(scenario, make_timetable()), "window")
    assert mentions(found, "C1", "E3") and mentions(found, "C2", "E3")
    scenario.calendar.events[-1].start = D(2020, 3, 5)
    scenario.calendar.events[-1].end = None
    scenario.classes[1].not_before_event = None
    assert check(scenario, make_timetable()).ok  # strictly before the event's first day is fine


# --- delivery -----------------------------------------------------------------------------------


def test_delivery_split_day() -> None:
    tt = replace_session(make_timetable(), 3, date=D(2020, 3, 5))  # C1 afternoon of day 2 moves to Thursday
    found = only(check(make_scenario(), tt), "delivery")
    assert mentions(found, "C1", "meets 1 session(s) (morning) on 2020-03-04", "meets 2 a day")
    assert mentions(found, "C1", "day(s), expected 2")


def test_delivery_mixed_periods_in_a_d1_block() -> None:
    tt = replace_session(make_timetable(), 5, period=PM)  # C2 Fri 6 afternoon, Thu 5 morning
    found = only(check(make_scenario(), tt), "delivery")
    assert mentions(found, "C2", "block starting 2020-03-05 starts its days in different periods (morning, afternoon)")


def test_delivery_two_sessions_a_day_in_a_d1_program() -> None:
    tt = replace_session(make_timetable(), 5, date=D(2020, 3, 5), period=PM)
    found = only(check(make_scenario(), tt), "delivery")
    assert mentions(found, "C2", "meets 2 session(s) (morning, afternoon) on 2020-03-05", "meets 1 a day")


def test_delivery_min_gap_between_blocks() -> None:
    scenario = make_scenario()
    scenario.programs[1].delivery.min_gap_days = 3
    report = check(scenario, make_timetable())
    assert rules(report) == {"delivery"}
    assert mentions(only(report, "delivery"), "C2", "only 2 day(s)", "need 3")


def test_delivery_block_count_and_session_count() -> None:
    tt = make_timetable()
    tt = tt.model_copy(update={"sessions": tt.sessions[:-1]})
    found = only(check(make_scenario(), tt), "delivery")
    assert mentions(found, "C2", "has 3 sessions", "needs 4")
    scenario = make_scenario()
    scenario.programs[1].delivery.blocks = 1
    scenario.programs[1].delivery.sessions_per_day = 1
    scenario.programs[1].delivery.min_gap_days = 0
    found = only(check(scenario, make_timetable()), "delivery")  # now n = 4: one 4-day block expected
    assert not mentions(found, "C2", "block(s)")
    scenario.programs[1].delivery.blocks = 4  # n = 1: four blocks, but C2's mixes are fine; gap 0 ok
    assert check(scenario, make_timetable()).by_rule("delivery") == []


def test_delivery_gap_in_the_middle_of_a_block() -> None:
    tt = replace_session(make_timetable(), 2, date=D(2020, 3, 6))  # C1 day 2 half moved to Friday
    tt = replace_session(tt, 3, date=D(2020, 3, 6))
    tt = replace_session(tt, 4, date=D(2020, 3, 4))  # keep C2 out of the way
    tt = replace_session(tt, 5, date=D(2020, 3, 5))
    found = only(check(make_scenario(), tt), "delivery")
    assert mentions(found, "C1", "2 block(s)", "expected 1")


def test_block_across_a_holiday_respects_max_block_gap_days() -> None:
    scenario = make_scenario()
    scenario.observation.observed_kinds = []
    tt = make_timetable().model_copy(update={"observations": []})
    for i, day in enumerate(["2020-03-19", "2020-03-19", "2020-03-23", "2020-03-23"]):  # Thu, (Fri 20 holiday), Mon
        tt = replace_session(tt, i, date=D.fromisoformat(day), lecturer_id="GV01" if i < 2 else "GV02")
    found = only(check(scenario, tt), "delivery")  # 4 calendar days apart > 3
    assert mentions(found, "C1", "2 block(s)", "expected 1")
    scenario.calendar.max_block_gap_days = 4
    assert check(scenario, tt).ok, check(scenario, tt).summary()


def test_pinned_starts() -> None:
    scenario = make_scenario()
    scenario.classes[1].pinned_starts = [D(2020, 3, 5), D(2020, 3, 10)]
    report = check(scenario, make_timetable())
    assert rules(report) == {"delivery"}
    assert mentions(only(report, "delivery"), "C2", "block 2 must start on 2020-03-10", "2020-03-09")
    scenario.classes[1].pinned_starts = [D(2020, 3, 5), D(2020, 3, 9)]
    assert check(scenario, make_timetable()).ok


# --- modules ------------------------------------------------------------------------------------


def test_module_precedence() -> None:
    tt = replace_session(make_timetable(), 4, module_id="B", lecturer_id="GV02")
    tt = replace_session(tt, 7, module_id="A", lecturer_id="GV01")
    report = check(make_scenario(), tt)
    assert rules(report) == {"modules"}
    assert mentions(only(report, "modules"), "C2", "module B starts on 2020-03-05 morning", "module A ends")


def test_default_precedence_is_list_order() -> None:
    tt = replace_session(make_timetable(), 0, module_id="M2", lecturer_id="GV02")
    tt = replace_session(tt, 3, module_id="M1")
    found = only(check(make_scenario(), tt), "modules")
    assert mentions(found, "C1", "module M2 starts", "before module M1 ends")


def test_module_session_count() -> None:
    tt = replace_session(make_timetable(), 1, module_id="M2", lecturer_id="GV02")
    found = only(check(make_scenario(), tt), "modules")
    assert mentions(found, "C1", "module M1 has 1 session(s), needs 2")


# --- rooms --------------------------------------------------------------------------------------


def c2_first_block_moved(room: str) -> Timetable:
    """C2's first block on Tue 3 / Wed 4 mornings, taught by the spare external lecturer GV04."""
    tt = replace_session(make_timetable(), 4, date=D(2020, 3, 3), room_id=room, lecturer_id="GV04")
    return replace_session(tt, 5, date=D(2020, 3, 4), room_id=room, lecturer_id="GV04")


def test_room_double_booked() -> None:
    scenario = make_scenario()
    scenario.classes[1].groups = []
    report = check(scenario, c2_first_block_moved("R1"))
    assert rules(report) == {"rooms"}
    assert mentions(only(report, "rooms"), "room R1: 2 sessions on 2020-03-03 morning (classes C1, C2)")


def test_room_seats_unavailable_and_pinned() -> None:
    scenario = make_scenario()
    scenario.rooms[0].seats = 45
    scenario.rooms[1].unavailable.append(DateRange(start=D(2020, 3, 10)))
    scenario.classes[1].pinned_room = "R2"
    report = check(scenario, make_timetable())
    assert rules(report) == {"rooms"}
    found = only(report, "rooms")
    assert mentions(found, "C1", "50 learners", "R1 seats 45")
    assert mentions(found, "R2", "unavailable", "2020-03-10")
    assert mentions(found, "C2", "R1", "pinned to room R2")


def test_room_outside_the_allowed_rooms() -> None:
    scenario = make_scenario()
    scenario.classes[0].allowed_rooms = ["R1"]  # C1 is in R1: kept
    assert check(scenario, make_timetable()).ok
    scenario.classes[1].allowed_rooms = ["R2"]  # C2 is in R1 too: broken
    report = check(scenario, make_timetable())
    assert rules(report) == {"rooms"}
    found = only(report, "rooms")
    assert len(found) == 1 and found[0].class_id == "C2" and found[0].room_id == "R1"
    assert mentions(found, "class C2 uses room R1", "not among its allowed rooms (R2)")


def test_one_room_per_block() -> None:
    tt = replace_session(make_timetable(), 3, room_id="R2")
    report = check(make_scenario(), tt)
    assert rules(report) == {"rooms"}
    assert mentions(only(report, "rooms"), "C1", "block starting 2020-03-03", "2 rooms")


# --- groups and cohorts -------------------------------------------------------------------------


def test_classes_sharing_a_group_overlap() -> None:
    report = check(make_scenario(), c2_first_block_moved("R2"))
    assert rules(report) == {"groups"}
    assert mentions(only(report, "groups"), "C1", "C2", "G1", "2 slot(s)", "2020-03-03 morning")


def test_learners_of_lone_class_and_cohort() -> None:
    tt = make_timetable().model_copy(update={"class_learners": {"C1": 49, "C2": 30}})
    report = check(make_scenario(), tt)
    assert rules(report) == {"cohorts"}
    found = only(report, "cohorts")
    assert mentions(found, "C1", "49", "50") and mentions(found, "cohort K", "30", "40")


def test_cohort_bounds_and_missing_learners() -> None:
    scenario = make_scenario()
    scenario.cohorts[0] = Cohort(id="K", learners=40, classes=["C2"], min_per_class=41)
    found = only(check(scenario, make_timetable()), "cohorts")
    assert mentions(found, "C2", "40 learners", "41..")
    tt = make_timetable().model_copy(update={"class_learners": {"C2": 40}})
    assert mentions(only(check(make_scenario(), tt), "cohorts"), "C1", "missing")


# --- lecturers ----------------------------------------------------------------------------------


def test_center_session_without_lecturer_and_external_program_with_one() -> None:
    report = check(make_scenario(), replace_session(make_timetable(), 0, lecturer_id=None))
    assert mentions(only(report, "lecturers"), "C1", "2020-03-03 morning", "no lecturer")
    scenario = make_scenario()
    scenario.programs[1].taught_by = "external"  # type: ignore[assignment]
    found = only(check(scenario, make_timetable()), "lecturers")
    assert mentions(found, "C2", "GV01", "taught externally")


def test_lecturer_topic() -> None:
    report = check(make_scenario(), replace_session(make_timetable(), 6, lecturer_id="GV01"))
    assert rules(report) == {"lecturers"}
    assert mentions(only(report, "lecturers"), "GV01", "topic T2", "C2")


def test_lecturer_weekly_availability_dates_and_events() -> None:
    scenario = make_scenario()
    scenario.lecturers[2].available = {Weekday.wed: [Period.afternoon]}
    scenario.lecturers[0].unavailable.append(Absence(start=D(2020, 3, 5), reason="sick"))
    scenario.lecturers[1].unavailable_events = ["E1"]
    found = only(check(scenario, make_timetable()), "lecturers")
    assert mentions(found, "GV03", "wed morning")
    assert mentions(found, "GV01", "2020-03-05", "sick")
    assert mentions(found, "GV02", "2020-03-10", "E1")


def test_lecturer_in_two_places() -> None:
    tt = replace_session(make_timetable(), 4, date=D(2020, 3, 3), period=PM, room_id="R2")
    found = only(check(make_scenario(), tt), "lecturers")
    assert mentions(found, "GV01", "2 places", "2020-03-03 afternoon", "C1", "C2")
    tt = replace_session(make_timetable(), 2, lecturer_id="GV02")  # GV02 teaches while observing
    found = only(check(make_scenario(), tt), "lecturers")
    assert mentions(found, "GV02", "teaches C1", "observes C1")


@pytest.mark.parametrize(
    ("field", "limit", "text"),
    [
        ("max_sessions_per_week", 3, "week 2020-W10"),
        ("max_sessions_per_month", 3, "month 2020-03"),
        ("max_sessions_per_year", 3, "in the calendar"),
    ],
)
def test_lecturer_load(field: str, limit: int, text: str) -> None:
    scenario = make_scenario()
    setattr(scenario.lecturers[0], field, limit)
    report = check(scenario, make_timetable())
    assert rules(report) == {"lecturers"}
    assert mentions(only(report, "lecturers"), "GV01", "4 sessions", text)
    setattr(scenario.lecturers[0], field, 4)
    assert check(scenario, make_timetable()).ok


# --- observations -------------------------------------------------------------------------------


def test_lecturer_not_observed() -> None:
    tt = make_timetable().model_copy(update={"observations": []})
    report = check(make_scenario(), tt)
    assert rules(report) == {"observations"}
    assert mentions(only(report, "observations"), "GV03", "0 valid visit", "needs 1")


def test_invalid_visits() -> None:
    visit = make_timetable().observations[0]
    cases: list[tuple[Callable[[Scenario], None], dict[str, object], str]] = [
        (lambda s: None, {"observer_id": "GV01"}, "not an allowed observer"),
        (lambda s: None, {"date": D(2020, 3, 3)}, "does not teach class C1"),
        (lambda s: setattr(s.observation, "programs", ["P2"]), {}, "program P1 does not count"),
        (lambda s: setattr(s.lecturers[1], "unavailable", [Absence(start=D(2020, 3, 4))]), {}, "observer GV02"),
    ]
    for change_scenario, change_visit, text in cases:
        scenario = make_scenario()
        change_scenario(scenario)
        tt = make_timetable().model_copy(update={"observations": [visit.model_copy(update=change_visit)]})
        report = check(scenario, tt)
        found = only(report, "observations")
        assert mentions(found, text), (text, report.summary())
        assert mentions(found, "GV03", "receives 0 valid visit")


def test_observer_limit_and_self_observation() -> None:
    scenario = make_scenario()
    scenario.observation.max_visits_per_observer = 1
    scenario.observation.observed_kinds = ["full_time", "part_time"]  # type: ignore[list-item]
    tt = make_timetable()
    extra = [
        ObservationVisit(lecturer_id="GV01", observer_id="GV02", class_id="C1", date=D(2020, 3, 3), period=AM),
        ObservationVisit(lecturer_id="GV02", observer_id="GV02", class_id="C2", date=D(2020, 3, 9), period=PM),
    ]
    tt = tt.model_copy(update={"observations": [*tt.observations, *extra]})
    found = only(check(scenario, tt), "observations")
    assert mentions(found, "observer GV02 makes 3 visits, at most 1")
    assert mentions(found, "cannot observe themself")
    assert mentions(found, "GV02", "receives 0 valid visit")


# --- robustness and independence ----------------------------------------------------------------


def test_garbage_timetables_never_crash() -> None:
    rng = random.Random(7)
    base = make_timetable()
    days = [D(2020, 3, 1) + dt.timedelta(days=i) for i in range(40)]
    for _ in range(300):
        sessions = []
        for s in base.sessions:
            if rng.random() < 0.15:
                continue
            sessions.append(
                s.model_copy(
                    update={
                        "date": rng.choice(days) if rng.random() < 0.4 else s.date,
                        "period": rng.choice([AM, PM]),
                        "room_id": rng.choice(["R1", "R2", "RX"]),
                        "module_id": rng.choice(["M1", "M2", "A", "B", "ZZ"]),
                        "lecturer_id": rng.choice([None, "GV01", "GV02", "GV03", "GV04", "NOPE"]),
                        "class_id": rng.choice(["C1", "C2", "C1", "C2", "C7"]),
                    }
                )
            )
        tt = base.model_copy(update={"sessions": sessions * rng.choice([1, 1, 2])})
        report = check(make_scenario(), tt)
        assert set(report.breakdown) == set(GOALS)
        assert report.objective == sum(report.breakdown.values())
    empty = base.model_copy(update={"sessions": [], "observations": [], "class_learners": {}})
    report = check(make_scenario(), empty)
    assert mentions(only(report, "reference"), "C1", "not scheduled")


def test_checker_does_not_import_the_solver() -> None:
    imported: set[str] = set()
    for source in sorted((Path(__file__).parents[1] / "src" / "llct_sched" / "check").glob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
    assert "llct_sched.scenario" in imported  # the sources were read
    forbidden = ("ortools", "llct_sched.model", "llct_sched.solve")  # and their modules
    assert not {m for m in imported if m in forbidden or m.startswith(tuple(f"{f}." for f in forbidden))}


def test_one_lecturer_per_module_within_a_block() -> None:
    tt = replace_session(make_timetable(), 3, lecturer_id="GV02")  # C1/M2: GV03 then GV02 in one block
    found = only(check(make_scenario(), tt), "lecturers")
    assert mentions(found, "C1", "block 1", "M2", "GV02, GV03")


def test_sessions_follow_module_order() -> None:
    tt = make_timetable()
    sessions = list(tt.sessions)
    # swap the modules of C1's second and third sessions: M1 M2 M1 M2 breaks the order M1 M1 M2 M2
    sessions[1] = sessions[1].model_copy(update={"module_id": "M2", "lecturer_id": "GV03"})
    sessions[2] = sessions[2].model_copy(update={"module_id": "M1", "lecturer_id": "GV01"})
    found = only(check(make_scenario(), tt.model_copy(update={"sessions": sessions})), "modules")
    assert mentions(found, "class C1", "session 2", "module order says M1")


def test_module_lecturer_stability_counts_lecturers_across_blocks() -> None:
    scenario = make_scenario()
    scenario.programs[1].modules[0].sessions = 1  # P2: A (1 session), then B (3 sessions) over both blocks
    scenario.programs[1].modules[1].sessions = 3
    tt = make_timetable()
    sessions = list(tt.sessions)
    sessions[5] = sessions[5].model_copy(update={"module_id": "B", "lecturer_id": "GV02"})
    report = check(scenario, tt.model_copy(update={"sessions": sessions}))
    assert report.ok, report.summary()
    assert report.details["module_lecturer_stability"] == {}


# --- calendar periods, same-day blocks, soft room capacity, new goals ---------------------------
#
# A second builder: two weeks from Monday 2 March 2020 with the calendar's own periods (p0..p3 unless
# given), rooms R1 (40 seats) and R2 (25), lecturers L1 and L2 for topic T, groups G and H.

P4 = ["p0", "p1", "p2", "p3"]
MON = D(2020, 3, 2)


def program(pid: str, sessions: int, blocks: int = 1, d: int = 1, **delivery: object) -> dict[str, object]:
    """A one-module program (module M, topic T) of `sessions` sessions in `blocks` blocks of d a day."""
    return {
        "id": pid,
        "type": "boi_duong",
        "modules": [{"id": "M", "sessions": sessions, "topic": "T"}],
        "delivery": {"blocks": blocks, "sessions_per_day": d, **delivery},
    }


def day_scenario(
    programs: list[dict[str, object]], classes: list[dict[str, object]], periods: list[str] | None = None, **top: object
) -> Scenario:
    data: dict[str, object] = {
        "name": "days",
        "calendar": {"start": "2020-03-02", "end": "2020-03-13", "periods": periods or P4},
        "rooms": [{"id": "R1", "seats": 40}, {"id": "R2", "seats": 25}],
        "lecturers": [{"id": "L1", "topics": ["T"]}, {"id": "L2", "topics": ["T"]}],
        "programs": programs,
        "classes": classes,
        "groups": [{"id": "G"}, {"id": "H"}],
        "observation": {"visits_per_lecturer": 0},
    }
    data.update(top)
    return Scenario.model_validate(data)


def one_class(prog: dict[str, object], learners: int = 30, periods: list[str] | None = None, **top: object) -> Scenario:
    """Class A (in group G) of program P."""
    return day_scenario(
        [prog], [{"id": "A", "program": prog["id"], "learners": learners, "groups": ["G"]}], periods, **top
    )


Row = tuple[str, int, str] | tuple[str, int, str, str] | tuple[str, int, str, str, str]


def sessions_tt(scenario: Scenario, *rows: Row) -> Timetable:
    """Rows (class, day offset from Monday 2 March, period[, room[, module]]), all taught by L1 (L2 in module N)."""
    sessions = []
    for row in rows:
        cid, offset, period = row[0], row[1], row[2]
        room = row[3] if len(row) > 3 else "R1"
        module = row[4] if len(row) > 4 else "M"
        day = MON + dt.timedelta(days=offset)
        sessions.append(
            ScheduledSession(class_id=cid, module_id=module, date=day, period=period, room_id=room, lecturer_id="L1")
        )
    learners = {k.id: k.learners or 0 for k in scenario.classes}
    return Timetable(
        scenario=scenario.name, periods=list(scenario.calendar.periods), class_learners=learners, sessions=sessions
    )


def test_slots_follow_the_calendar_period_order() -> None:
    prog = program("P", 2, d=2)
    prog["modules"] = [{"id": "M1", "sessions": 1, "topic": "T"}, {"id": "M2", "sessions": 1, "topic": "T"}]
    rows: list[Row] = [("A", 0, "s1", "R1", "M1"), ("A", 0, "s2", "R1", "M2")]
    good = one_class(prog, periods=["s1", "s2"])
    assert check(good, sessions_tt(good, *rows)).ok
    reversed_day = one_class(prog, periods=["s2", "s1"])  # s2 now comes first: M2 before M1
    report = check(reversed_day, sessions_tt(reversed_day, *rows))
    assert rules(report) == {"modules"}, report.summary()
    assert mentions(only(report, "modules"), "module M2 starts on 2020-03-02 s2", "module M1 ends on 2020-03-02 s1")


def test_a_day_holds_d_sessions_in_consecutive_periods_from_one_start() -> None:
    scenario = one_class(program("P", 4, d=2))  # one block of 2 days x 2 sessions
    assert check(scenario, sessions_tt(scenario, ("A", 0, "p1"), ("A", 0, "p2"), ("A", 1, "p1"), ("A", 1, "p2"))).ok
    gap = sessions_tt(scenario, ("A", 0, "p0"), ("A", 0, "p2"), ("A", 1, "p0"), ("A", 1, "p1"))
    report = check(scenario, gap)
    assert rules(report) == {"delivery"}
    assert mentions(only(report, "delivery"), "sessions on 2020-03-02 are not in consecutive periods (p0, p2)")
    shifted = sessions_tt(scenario, ("A", 0, "p0"), ("A", 0, "p1"), ("A", 1, "p1"), ("A", 1, "p2"))
    report = check(scenario, shifted)
    assert rules(report) == {"delivery"}
    assert mentions(only(report, "delivery"), "block starting 2020-03-02 starts its days in different periods (p0, p1)")
    whole = one_class(program("P", 4, d=4))  # d = the number of periods: the whole day
    assert check(whole, sessions_tt(whole, *[("A", 0, p) for p in P4])).ok
    three = sessions_tt(whole, *[("A", 0, p) for p in P4[:3]], ("A", 1, "p0"))
    assert mentions(only(check(whole, three), "delivery"), "meets 3 session(s) (p0, p1, p2) on 2020-03-02")


def test_sessions_per_day_above_the_periods_of_a_day() -> None:
    scenario = one_class(program("P", 3, d=3), periods=["am", "pm"])
    tt = sessions_tt(scenario, ("A", 0, "am"), ("A", 0, "pm"), ("A", 1, "am"))
    assert mentions(only(check(scenario, tt), "delivery"), "meets 3 sessions a day, a day has 2")


def test_availability_names_the_calendar_periods() -> None:
    scenario = one_class(program("P", 2, d=2))
    scenario.lecturers[0].available = {Weekday.mon: ["p1", "p2"], Weekday.tue: ["p0"]}
    assert check(scenario, sessions_tt(scenario, ("A", 0, "p1"), ("A", 0, "p2"))).ok
    report = check(scenario, sessions_tt(scenario, ("A", 0, "p0"), ("A", 0, "p1")))
    assert rules(report) == {"lecturers"}
    assert mentions(only(report, "lecturers"), "L1 is not available on mon p0")
    report = check(scenario, sessions_tt(scenario, ("A", 1, "p0"), ("A", 1, "p1")))
    assert mentions(only(report, "lecturers"), "L1 is not available on tue p1")
    assert not mentions(report.violations, "tue p0")


def test_unknown_period_is_a_reference_violation() -> None:
    scenario = one_class(program("P", 2, d=2))
    report = check(scenario, sessions_tt(scenario, ("A", 0, "p0"), ("A", 0, "morning")))
    assert mentions(only(report, "reference"), "class A on 2020-03-02 morning: unknown period morning")
    assert report.breakdown["isolated_sessions"] == 0 and report.details["isolated_sessions"] == {"G": 2}


def test_same_day_blocks_share_days_and_ignore_the_gap() -> None:
    prog = program("P", 3, blocks=3, same_day_blocks=True, min_gap_days=5)
    scenario = one_class(prog, learners=20)
    tt = sessions_tt(scenario, ("A", 0, "p0", "R1"), ("A", 0, "p2", "R2"), ("A", 1, "p3", "R1"))
    report = check(scenario, tt)
    assert report.ok, report.summary()  # two blocks on Monday, in different rooms; no 5-day gap
    assert report.details["room_stability"] == {"A": 1}
    scenario.programs[0].delivery.same_day_blocks = False
    report = check(scenario, tt)
    found = only(report, "delivery")
    assert mentions(found, "meets 2 session(s) (p0, p2) on 2020-03-02", "meets 1 a day")
    assert mentions(found, "only 0 day(s) between blocks", "need 5")
    assert mentions(only(report, "rooms"), "block starting 2020-03-02 uses 2 rooms")


def test_same_day_blocks_of_several_days_or_sessions() -> None:
    scenario = one_class(program("P", 4, blocks=2, same_day_blocks=True))  # 2 blocks of 2 days x 1 session
    assert check(scenario, sessions_tt(scenario, ("A", 0, "p0"), ("A", 1, "p0"), ("A", 1, "p1"), ("A", 2, "p1"))).ok
    tt = sessions_tt(scenario, ("A", 0, "p0"), ("A", 1, "p1"), ("A", 1, "p2"), ("A", 2, "p2"))
    assert mentions(only(check(scenario, tt), "delivery"), "block starting 2020-03-02 starts its days in different")
    tt = sessions_tt(scenario, ("A", 0, "p0"), ("A", 2, "p0"), ("A", 2, "p1"), ("A", 3, "p1"))
    found = only(check(scenario, tt), "delivery")
    assert mentions(found, "block starting 2020-03-02 is not on consecutive working days (2020-03-02, 2020-03-04)")
    pairs = one_class(program("P", 4, blocks=2, d=2, same_day_blocks=True))  # 2 blocks of 1 day x 2 sessions
    assert check(pairs, sessions_tt(pairs, *[("A", 0, p) for p in P4])).ok
    tt = sessions_tt(pairs, ("A", 0, "p0"), ("A", 0, "p2"), ("A", 1, "p0"), ("A", 1, "p1"))
    assert mentions(only(check(pairs, tt), "delivery"), "sessions on 2020-03-02 are not in consecutive periods")


def test_same_day_blocks_may_not_overlap() -> None:
    scenario = one_class(program("P", 2, blocks=2, same_day_blocks=True), learners=20)
    tt = sessions_tt(scenario, ("A", 0, "p1", "R1"), ("A", 0, "p1", "R2"))
    report = check(scenario, tt)
    assert rules(report) == {"delivery", "lecturers"}  # and L1 teaches twice in that slot
    found = only(report, "delivery")
    assert mentions(found, "class A has 2 sessions on 2020-03-02 p1")
    assert mentions(found, "block 2 starts on 2020-03-02 p1, not after block 1 ends on 2020-03-02 p1")


def test_room_capacity_hard_or_soft() -> None:
    scenario = one_class(program("P", 4, blocks=4, same_day_blocks=True), learners=30)
    tt = sessions_tt(scenario, ("A", 0, "p0", "R2"), ("A", 0, "p1", "R2"), ("A", 1, "p0", "R1"), ("A", 1, "p1", "R1"))
    report = check(scenario, tt)
    assert rules(report) == {"rooms"}
    assert mentions(only(report, "rooms"), "class A has 30 learners, room R2 seats 25")
    assert report.breakdown["room_capacity"] == 0 and report.details["room_capacity"] == {}
    scenario.rules.soft_room_capacity = True
    report = check(scenario, tt)
    assert report.ok, report.summary()
    assert report.details["room_capacity"] == {"A": 10}  # 5 learners over, twice
    assert report.breakdown["room_capacity"] == 10  # default weight 1
    scenario.weights.room_capacity = 3
    assert check(scenario, tt).breakdown["room_capacity"] == 30
    scenario.weights.room_capacity = 0
    report = check(scenario, tt)
    assert report.breakdown["room_capacity"] == 0 and report.details["room_capacity"] == {"A": 10}


def test_min_days_counts_distinct_dates() -> None:
    prog = program("P", 4, blocks=4, same_day_blocks=True, min_days=3)
    scenario = day_scenario(
        [prog], [{"id": "A", "program": "P", "learners": 20}, {"id": "B", "program": "P", "learners": 20}]
    )
    tt = sessions_tt(scenario, ("A", 0, "p0"), ("A", 0, "p1"), ("A", 1, "p2"), ("A", 1, "p3"))
    report = check(scenario, tt)
    assert mentions(only(report, "reference"), "class B is not scheduled")
    assert report.details["min_days"] == {"A": 1, "B": 3}  # A meets on 2 dates; B on none
    assert report.breakdown["min_days"] == 5 * 4  # default weight 5
    scenario.programs[0].delivery.min_days = 2
    assert check(scenario, tt).details["min_days"] == {"B": 2}


def test_isolated_sessions_per_group_hand_counted() -> None:
    """G = {A, B}, H = {A, C}. Slots (day, period):

    G: A (0,p0) B (0,p1) -> neighbours; A (0,p3): p2 empty -> isolated; B (1,p0): Monday's p3 is another
       day -> isolated; A (1,p2): p1, p3 empty in G -> isolated.                        G = 3
    H: A (0,p0): p1 empty in H -> isolated; A (0,p3) isolated; A (1,p2) next to C (1,p3) -> neither. H = 2
    """
    scenario = day_scenario(
        [
            program("P3", 3, blocks=3, same_day_blocks=True),
            program("P2", 2, blocks=2, same_day_blocks=True),
            program("P1", 1),
        ],
        [
            {"id": "A", "program": "P3", "learners": 20, "groups": ["G", "H"]},
            {"id": "B", "program": "P2", "learners": 20, "groups": ["G"]},
            {"id": "C", "program": "P1", "learners": 20, "groups": ["H"]},
        ],
    )
    rooms = {"A": "R1", "B": "R2", "C": "R2"}
    rows: list[Row] = [
        (c, day, p, rooms[c])
        for c, day, p in [
            ("A", 0, "p0"),
            ("B", 0, "p1"),
            ("A", 0, "p3"),
            ("B", 1, "p0"),
            ("A", 1, "p2"),
            ("C", 1, "p3"),
        ]
    ]
    tt = sessions_tt(scenario, *rows)
    sessions = [s.model_copy(update={"lecturer_id": "L2"}) if s.class_id == "B" else s for s in tt.sessions]
    tt = tt.model_copy(update={"sessions": sessions})
    report = check(scenario, tt)
    assert report.ok, report.summary()
    assert report.details["isolated_sessions"] == {"G": 3, "H": 2}
    assert report.breakdown["isolated_sessions"] == 0  # weight 0 by default
    scenario.weights.isolated_sessions = 2
    report = check(scenario, tt)
    assert report.breakdown["isolated_sessions"] == 10
    assert report.objective == sum(report.breakdown.values())


def test_sessions_of_a_group_in_one_slot_are_each_isolated() -> None:
    scenario = day_scenario(
        [program("P1", 1)],
        [
            {"id": "A", "program": "P1", "learners": 20, "groups": ["G"]},
            {"id": "B", "program": "P1", "learners": 20, "groups": ["G"]},
        ],
    )
    report = check(scenario, sessions_tt(scenario, ("A", 0, "p1", "R1"), ("B", 0, "p1", "R2")))
    assert "groups" in rules(report)
    assert report.details["isolated_sessions"] == {"G": 2}


def test_garbage_with_custom_periods_never_crashes() -> None:
    rng = random.Random(11)
    scenario = day_scenario(
        [program("P", 4, blocks=2, same_day_blocks=True, min_days=2), program("Q", 4, blocks=1, d=2)],
        [
            {"id": "A", "program": "P", "learners": 30, "groups": ["G"]},
            {"id": "B", "program": "Q", "learners": 20, "groups": ["G", "H"]},
        ],
        rules={"soft_room_capacity": True},
    )
    for _ in range(200):
        rows: list[Row] = [
            (rng.choice(["A", "B", "Z"]), rng.randrange(-1, 14), rng.choice([*P4, "p9"]), rng.choice(["R1", "R2"]))
            for _ in range(rng.randrange(0, 10))
        ]
        report = check(scenario, sessions_tt(scenario, *rows))
        assert set(report.breakdown) == set(GOALS)
        assert report.objective == sum(report.breakdown.values())
