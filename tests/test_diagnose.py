"""Pre-solve diagnostics: each kind fires on a scenario built to trigger it, with the entities and numbers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import CliRunner

from llct_sched.cli import app
from llct_sched.errors import Severity
from llct_sched.scenario import Scenario
from llct_sched.scenario.diagnose import KINDS, Diagnosis, diagnose
from llct_sched.scenario.loading import load_scenario, scenario_to_yaml
from llct_sched.scenario.validate import validate
from llct_sched.solve import SolveParams, solve
from tiny import tiny, tiny_data

D = dt.date
runner = CliRunner()

# tiny(): 2-27/03/2020 Mon-Fri, 9/03 a holiday: 19 working days. HALL 120 seats, R1 50.
# BD-A (BD3: 6 sessions = 3 days, 100 learners), BD-B (BD3, 45), SC-1 (SC: 2 blocks x 2 days, 40).
# PT1 alone teaches topic local (module m2 of BD3), free Tuesday mornings and Thursday afternoons.


def build(change: Callable[[dict[str, Any]], None]) -> Scenario:
    data = tiny_data()
    change(data)
    return Scenario.model_validate(data)


def classes(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in data["classes"]}


def lecturers(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {lec["id"]: lec for lec in data["lecturers"]}


def of_kind(found: list[Diagnosis], kind: str) -> list[Diagnosis]:
    return [d for d in found if d.kind == kind]


def only(found: list[Diagnosis], kind: str) -> Diagnosis:
    """The single diagnosis of that kind, and no diagnosis of any other kind."""
    assert [d.kind for d in found] == [kind], [str(d) for d in found]
    return found[0]


# --- no diagnosis on sound scenarios ------------------------------------------------------------


@pytest.mark.parametrize("name", ["hoang_mai_2020", "tutorial"])
def test_builtin_scenarios_have_no_diagnosis(name: str) -> None:
    assert diagnose(load_scenario(name)) == []


def test_tiny_has_no_diagnosis() -> None:
    assert diagnose(tiny()) == []


# --- (a) room capacity by size band -------------------------------------------------------------


def hall_crowded(data: dict[str, Any]) -> None:
    """The hall is closed 16-27/03 (9 working days left); four 100-learner classes need 12 hall days."""
    data["rooms"][0]["unavailable"] = [{"start": D(2020, 3, 16), "end": D(2020, 3, 27), "reason": "repairs"}]
    for i in range(3):
        data["classes"].append({"id": f"BIG-{i}", "program": "BD3", "bloc": "dang", "learners": 100})


def test_room_capacity_band() -> None:
    d = only(diagnose(build(hall_crowded)), "room_capacity")
    assert d.message.startswith("classes needing >= 120 seats (BD-A, BIG-0, BIG-1, BIG-2) need 24 room sessions")
    assert "(12 room-days) but rooms with >= 120 seats (HALL) are open 9 room-days (18 sessions)" in d.message
    assert set(d.entities) == {"BD-A", "BIG-0", "BIG-1", "BIG-2", "HALL"}


def test_room_capacity_fits_when_the_hall_is_open() -> None:
    def change(data: dict[str, Any]) -> None:
        hall_crowded(data)
        data["rooms"][0]["unavailable"] = []

    assert diagnose(build(change)) == []


def test_room_capacity_counts_classes_pinned_to_a_large_room() -> None:
    def small(pinned: bool) -> Callable[[dict[str, Any]], None]:
        def change(data: dict[str, Any]) -> None:
            hall_crowded(data)
            for klass in data["classes"][-3:]:
                klass["learners"] = 30  # they fit R1 ...
                if pinned:
                    klass["pinned_room"] = "HALL"  # ... unless pinned to the hall

        return change

    assert diagnose(build(small(pinned=False))) == []
    d = only(diagnose(build(small(pinned=True))), "room_capacity")
    assert "(BD-A, BIG-0, BIG-1, BIG-2) need 24 room sessions" in d.message


# --- (b) a module nobody can teach in the class's window ----------------------------------------


def pt1_away_in_the_first_week(data: dict[str, Any]) -> None:
    classes(data)["BD-B"]["latest_end"] = D(2020, 3, 6)
    lecturers(data)["PT1"]["unavailable"] = [{"start": D(2020, 3, 2), "end": D(2020, 3, 6), "reason": "training"}]


def test_no_lecturer_free_in_the_window() -> None:
    d = only(diagnose(build(pt1_away_in_the_first_week)), "no_lecturer_free")
    assert d.message == (
        "class BD-B: module m2 (topic local): its lecturers (PT1) are never free on any of the "
        "5 open working days of its window 2020-03-02..2020-03-06"
    )
    assert d.entities == ("BD-B", "m2", "PT1")


def test_no_lecturer_free_counts_weekly_availability_and_events() -> None:
    def change(data: dict[str, Any]) -> None:
        # BD-B may meet only on Wednesday 4/03 and Thursday 5/03; PT1 is free Tuesday mornings and
        # Thursday afternoons, and away for an event on 5/03
        classes(data)["BD-B"].update(earliest_start=D(2020, 3, 4), latest_end=D(2020, 3, 5))
        data["programs"][0]["modules"] = [{"id": "m2", "sessions": 2, "topic": "local"}]
        data["calendar"]["events"] = [{"id": "hn", "start": D(2020, 3, 5)}]
        lecturers(data)["PT1"]["unavailable_events"] = ["hn"]

    found = of_kind(diagnose(build(change)), "no_lecturer_free")
    assert [d.entities[0] for d in found] == ["BD-B"]
    assert "2 open working days of its window 2020-03-04..2020-03-05" in found[0].message


# --- (c) and (d): facts of one class or cohort are input errors (validate), not diagnoses ----------


def errors_at(scenario: Scenario) -> dict[str, str]:
    """Path -> message of the scenario's validation errors."""
    return {i.path: i.message for i in validate(scenario) if i.severity == Severity.error}


def test_class_larger_than_every_room_is_an_input_error() -> None:
    scenario = build(lambda data: classes(data)["BD-A"].update(learners=130))
    assert diagnose(scenario) == []
    assert errors_at(scenario) == {
        "classes[0].learners": "class 'BD-A' has 130 learners but the largest room seats 120"
    }


def test_class_larger_than_its_pinned_room_is_an_input_error() -> None:
    scenario = build(lambda data: classes(data)["BD-B"].update(learners=60, pinned_room="R1"))
    assert diagnose(scenario) == []
    assert errors_at(scenario) == {
        "classes[1].pinned_room": "class 'BD-B' has 60 learners but its pinned room 'R1' seats 50"
    }


def test_cohort_min_share_larger_than_every_room_is_an_input_error() -> None:
    def change(data: dict[str, Any]) -> None:
        data["classes"] += [{"id": f"X{i}", "program": "BD3"} for i in (1, 2)]
        data["cohorts"] = [{"id": "K", "learners": 300, "classes": ["X1", "X2"], "min_per_class": 150}]

    scenario = build(change)
    assert diagnose(scenario) == []
    found = errors_at(scenario)
    assert found["cohorts[0].min_per_class"] == (
        "cohort 'K' puts at least 150 learners in each class but the largest room seats 120"
    )
    assert found["cohorts[0].learners"] == (
        "cohort 'K' has 300 learners but its 2 classes can seat at most 240 in their largest rooms"
    )


def test_cohort_class_pinned_to_a_room_below_the_min_share_is_an_input_error() -> None:
    def change(data: dict[str, Any]) -> None:
        data["classes"] += [{"id": "X1", "program": "BD3", "pinned_room": "R1"}, {"id": "X2", "program": "BD3"}]
        data["cohorts"] = [{"id": "K", "learners": 120, "classes": ["X1", "X2"], "min_per_class": 60}]

    scenario = build(change)
    assert diagnose(scenario) == []
    message = "class 'X1' takes at least 60 learners of cohort 'K' but its pinned room 'R1' seats 50"
    assert errors_at(scenario) == {"classes[3].pinned_room": message}


def test_cohort_seats_capped_by_max_per_class_is_an_input_error() -> None:
    """X1 seats 50 in R1, X2 at most 60 by max_per_class: 110 < 115, though 2 x 60 and 50 + 120 are enough."""

    def change(data: dict[str, Any]) -> None:
        data["classes"] += [{"id": "X1", "program": "BD3", "pinned_room": "R1"}, {"id": "X2", "program": "BD3"}]
        data["cohorts"] = [{"id": "K", "learners": 115, "classes": ["X1", "X2"], "max_per_class": 60}]

    scenario = build(change)
    assert diagnose(scenario) == []
    assert errors_at(scenario) == {
        "cohorts[0].max_per_class": "cohort 'K' has 115 learners but its 2 classes can take at most 110: each at "
        "most 60 and no more than its largest room seats"
    }


def test_class_window_too_short_is_an_input_error() -> None:
    scenario = build(
        lambda data: classes(data)["SC-1"].update(earliest_start=D(2020, 3, 23), latest_end=D(2020, 3, 25))
    )
    assert diagnose(scenario) == []
    assert errors_at(scenario) == {
        "classes[2]": "class 'SC-1' needs 4 working days (2 block(s) x 2 day(s)) but its window 2020-03-23..2020-03-25 "
        "(earliest_start 2020-03-23, latest_end 2020-03-25) has only 3"
    }


def test_class_window_counts_gathering_limits_for_its_size() -> None:
    def change(data: dict[str, Any]) -> None:
        data["calendar"]["blackouts"] = [
            {"id": "covid", "start": D(2020, 3, 2), "end": D(2020, 3, 25), "max_gathering": 50}
        ]

    scenario = build(change)
    # BD-A (100 learners) has 2 open days; BD-B (45) and SC-1 (40) may meet
    assert list(errors_at(scenario)) == ["classes[0]"]
    assert "has only 2" in errors_at(scenario)["classes[0]"]
    # the same 2 days are all the hall has for BD-A: a diagnosis of the rooms, not of the window
    assert [d.kind for d in diagnose(scenario)] == ["room_capacity"]


# --- (e) observation ----------------------------------------------------------------------------


def test_observed_lecturer_teaching_no_counted_topic() -> None:
    def change(data: dict[str, Any]) -> None:
        data["lecturers"].append({"id": "PT2", "kind": "part_time", "topics": ["history"]})

    d = only(diagnose(build(change)), "observation")
    assert d.message == (
        "lecturer PT2 (part_time) must be observed but teaches no topic of a module that counts for observation "
        "(topics: history)"
    )
    assert d.entities == ("PT2",)


def test_observed_lecturer_never_free_with_an_observer() -> None:
    def change(data: dict[str, Any]) -> None:
        week = {day: ["morning", "afternoon"] for day in ("mon", "wed", "thu", "fri")}
        for lid in ("FT1", "FT2"):
            lecturers(data)[lid]["available"] = week
        lecturers(data)["PT1"]["available"] = {"tue": ["morning"]}

    d = only(diagnose(build(change)), "observation")
    assert d.message == (
        "lecturer PT1 (part_time) must be observed but their 4 free half-day(s) in the windows of the classes "
        "they can teach never coincide with a free half-day of an allowed observer (FT1, FT2)"
    )
    assert d.entities == ("PT1", "FT1", "FT2")


def test_observation_policy_that_does_not_count_the_lecturers_programs() -> None:
    def change(data: dict[str, Any]) -> None:
        data["observation"] = {"programs": ["SC"]}  # PT1 teaches only BD3's module m2

    d = only(diagnose(build(change)), "observation")
    assert d.entities == ("PT1",)


# --- (f) learner groups -------------------------------------------------------------------------


def group_in_one_week(data: dict[str, Any]) -> None:
    for klass in data["classes"]:
        klass["groups"] = ["ward1"]
        klass["latest_end"] = D(2020, 3, 6)


def test_group_days() -> None:
    d = only(diagnose(build(group_in_one_week)), "group_days")
    assert d.message == (
        "group ward1: its 3 classes (BD-A, BD-B, SC-1) need 20 sessions (10 days), never two at once, "
        "but the union of their windows holds 5 open working days (10 sessions)"
    )
    assert d.entities == ("ward1", "BD-A", "BD-B", "SC-1")


def test_group_days_union_of_windows() -> None:
    def change(data: dict[str, Any]) -> None:
        group_in_one_week(data)
        classes(data)["SC-1"]["latest_end"] = None
        classes(data)["SC-1"]["earliest_start"] = D(2020, 3, 10)  # its own days: no diagnosis

    assert diagnose(build(change)) == []


# --- (g) yearly limit ---------------------------------------------------------------------------


def pt1_limited(data: dict[str, Any]) -> None:
    lecturers(data)["PT1"]["max_sessions_per_year"] = 1


def test_yearly_limit() -> None:
    d = only(diagnose(build(pt1_limited)), "yearly_limit")
    assert d.message == (
        "lecturer PT1 is the only one who teaches local 2 (2 sessions in all) but may teach at most 1 sessions a year"
    )
    assert d.entities == ("PT1", "local")


def test_yearly_limit_not_when_someone_else_teaches_the_topic() -> None:
    def change(data: dict[str, Any]) -> None:
        pt1_limited(data)
        lecturers(data)["FT1"]["topics"].append("local")

    assert diagnose(build(change)) == []


def full_time_capped(data: dict[str, Any]) -> None:
    lecturers(data)["FT1"]["max_sessions_per_year"] = 5
    lecturers(data)["FT2"]["max_sessions_per_year"] = 5


def test_staffing_capacity_of_two_topics_together() -> None:
    """pol needs 8 sessions and law 10: each fits FT1 and FT2's 10 alone, both together do not."""
    d = only(diagnose(build(full_time_capped)), "staffing_capacity")
    assert d.message == (
        "topic(s) law, pol need 18 sessions a year, but their lecturers can teach at most 10: "
        "FT1 at most 5 a year; FT2 at most 5 a year"
    )
    assert d.entities == ("law", "pol", "FT1", "FT2")


def test_staffing_capacity_of_multi_session_runs() -> None:
    """law's runs of 3 and 4 sessions need a lecturer free on adjacent half-days: a part-time
    lecturer free every morning (19 half-days, enough for law's 10 sessions) cannot give them."""

    def change(data: dict[str, Any]) -> None:
        lecturers(data)["FT2"]["topics"] = ["pol"]
        lecturers(data)["FT1"]["topics"] = ["pol"]
        lecturers(data)["PT1"]["topics"] = ["local", "law"]
        lecturers(data)["PT1"]["available"] = {day: ["morning"] for day in ("mon", "tue", "wed", "thu", "fri")}

    found = of_kind(diagnose(build(change)), "staffing_capacity")
    assert [d.message for d in found] == [
        "topic(s) law need 10 sessions in multi-session runs a year, but their lecturers can teach at most 0: PT1 none"
    ]


def test_staffing_capacity_leaves_a_single_capped_lecturer_to_yearly_limit() -> None:
    assert [d.kind for d in diagnose(build(pt1_limited))] == ["yearly_limit"]


# --- every kind is covered, and a diagnosis means the solver finds nothing ----------------------

TRIGGERS: dict[str, Callable[[dict[str, Any]], None]] = {
    "room_capacity": hall_crowded,
    "no_lecturer_free": pt1_away_in_the_first_week,
    "group_days": group_in_one_week,
    "yearly_limit": pt1_limited,
    "staffing_capacity": full_time_capped,
}


def test_every_kind_has_a_test() -> None:
    assert set(KINDS) == {
        "room_capacity",
        "no_lecturer_free",
        "observation",
        "group_days",
        "yearly_limit",
        "staffing_capacity",
    }
    assert str(Diagnosis("group_days", "msg", ("g",))) == "[group_days] msg"


@pytest.mark.parametrize("kind", sorted(TRIGGERS))
def test_a_diagnosed_scenario_is_infeasible(kind: str) -> None:
    scenario = build(TRIGGERS[kind])
    assert of_kind(diagnose(scenario), kind)
    result = solve(scenario, SolveParams(time_limit=20, workers=2))
    assert result.timetable is None, result.status


# --- the command --------------------------------------------------------------------------------


def test_cli_diagnose(tmp_path) -> None:
    bad = tmp_path / "limited.yaml"
    bad.write_text(scenario_to_yaml(build(pt1_limited)), encoding="utf-8")
    result = runner.invoke(app, ["diagnose", str(bad)], terminal_width=200)
    assert result.exit_code == 1, result.output
    assert "yearly_limit" in result.output
    assert "giảng viên PT1 là người duy nhất dạy local 2" in " ".join(result.output.split())
    result = runner.invoke(app, ["--lang", "en", "diagnose", str(bad)], terminal_width=200)
    assert result.exit_code == 1, result.output
    assert "lecturer PT1 is the only one who teaches local 2" in " ".join(result.output.split())

    result = runner.invoke(app, ["--lang", "en", "diagnose", "tutorial"])
    assert result.exit_code == 0, result.output
    assert "no diagnosis" in result.output

    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\ncalendar: 3\n", encoding="utf-8")
    result = runner.invoke(app, ["diagnose", str(broken)])
    assert result.exit_code == 2
    assert "broken.yaml" in result.output
    assert isinstance(result.exception, SystemExit)
