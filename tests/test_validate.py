"""Tests of the semantic scenario validation (llct_sched.scenario.validate)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from llct_sched.errors import InputIssue, ScenarioError, Severity
from llct_sched.scenario import Scenario
from llct_sched.scenario.loading import load_scenario
from llct_sched.scenario.validate import ensure_valid, validate


def base() -> dict[str, Any]:
    """A minimal valid scenario, as plain data that tests can break."""
    return {
        "name": "tiny",
        "calendar": {
            "start": "2020-01-01",
            "end": "2020-03-31",
            "holidays": [{"start": "2020-01-01", "name": "New Year"}],
            "events": [{"id": "congress", "start": "2020-02-10", "end": "2020-02-11"}],
            "blackouts": [{"id": "flu", "start": "2020-03-23", "end": "2020-03-24", "max_gathering": 20}],
        },
        "rooms": [{"id": "hall", "seats": 200, "kind": "hall"}, {"id": "r1", "seats": 60}],
        "lecturers": [
            {"id": "gv1", "kind": "full_time", "topics": ["t1"], "can_observe": True},
            {
                "id": "gv2",
                "kind": "part_time",
                "topics": ["t2"],
                "can_observe": True,
                "available": {"mon": ["morning"], "thu": ["afternoon"]},
            },
        ],
        "programs": [
            {
                "id": "sc",
                "type": "so_cap",
                "modules": [
                    {"id": "m1", "sessions": 4, "topic": "t1"},
                    {"id": "m2", "sessions": 4, "topic": "t2"},
                ],
                "delivery": {"blocks": 2, "sessions_per_day": 2},
            },
            {"id": "bd", "type": "boi_duong", "modules": [{"id": "b1", "sessions": 2, "topic": "t2"}]},
        ],
        "classes": [
            {"id": "sc1", "program": "sc", "learners": 40},
            {"id": "bd1", "program": "bd", "bloc": "dang", "learners": 100, "groups": ["g1"]},
            {"id": "bd2", "program": "bd", "bloc": "chinh_quyen", "groups": ["g1"]},
            {"id": "bd3", "program": "bd", "bloc": "chinh_quyen"},
        ],
        "groups": [{"id": "g1"}],
        "cohorts": [{"id": "co1", "learners": 120, "classes": ["bd2", "bd3"], "min_per_class": 40}],
        "targets": [
            {"program_type": "boi_duong", "classes": 3, "learners": 220},
            {"program_type": "boi_duong", "bloc": "dang", "classes": 1, "learners": 100},
        ],
    }


def issues_of(data: dict[str, Any], file: str = "") -> list[InputIssue]:
    return validate(Scenario.model_validate(data), file)


def the_issue(issues: list[InputIssue], path: str, *words: str, severity: Severity = Severity.error) -> InputIssue:
    """The issue at `path` with `severity` whose message contains every word."""
    at_path = [i for i in issues if i.path == path and i.severity == severity]
    assert at_path, f"no {severity} at {path!r}; got: {[str(i) for i in issues]}"
    matching = [i for i in at_path if all(w in i.message for w in words)]
    assert matching, f"no {severity} at {path!r} mentioning {words}; got: {[i.message for i in at_path]}"
    return matching[0]


def errors(issues: list[InputIssue]) -> list[InputIssue]:
    return [i for i in issues if i.severity == Severity.error]


def test_minimal_scenario_is_clean() -> None:
    assert issues_of(base()) == []
    assert ensure_valid(Scenario.model_validate(base())) == []


# --- duplicate ids ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("collection", "path", "value"),
    [
        (("rooms",), "rooms[1].id", "hall"),
        (("lecturers",), "lecturers[1].id", "gv1"),
        (("programs",), "programs[1].id", "sc"),
        (("classes",), "classes[1].id", "sc1"),
        (("cohorts",), "cohorts[1].id", "co1"),
        (("calendar", "events"), "calendar.events[1].id", "congress"),
        (("calendar", "blackouts"), "calendar.blackouts[1].id", "flu"),
    ],
)
def test_duplicate_ids(collection: tuple[str, ...], path: str, value: str) -> None:
    data = base()
    holder: Any = data
    for key in collection[:-1]:
        holder = holder[key]
    items = holder[collection[-1]]
    if len(items) < 2:
        items.append(copy.deepcopy(items[0]))
    items[1]["id"] = value
    if collection == ("cohorts",):
        items[1]["classes"] = ["sc1"]
        data["classes"][0].pop("learners")
    the_issue(issues_of(data), path, "duplicate", f"'{value}'")


def test_duplicate_group_id() -> None:
    data = base()
    data["groups"].append({"id": "g1"})
    the_issue(issues_of(data), "groups[1].id", "duplicate group id 'g1'")


def test_duplicate_module_id_within_program() -> None:
    data = base()
    data["programs"][0]["modules"][1]["id"] = "m1"
    the_issue(issues_of(data), "programs[0].modules[1].id", "duplicate", "'m1'", "'sc'")


def test_same_module_id_in_two_programs_is_fine() -> None:
    data = base()
    data["programs"][1]["modules"][0]["id"] = "m1"
    assert errors(issues_of(data)) == []


# --- unknown references -----------------------------------------------------------------------


def test_unknown_program() -> None:
    data = base()
    data["classes"][0]["program"] = "tc"
    the_issue(issues_of(data), "classes[0].program", "unknown program 'tc'", "'sc1'")


def test_unknown_group() -> None:
    data = base()
    data["classes"][2]["groups"] = ["g1", "ghost"]
    the_issue(issues_of(data), "classes[2].groups[1]", "unknown group 'ghost'")


def test_unknown_pinned_room() -> None:
    data = base()
    data["classes"][0]["pinned_room"] = "attic"
    the_issue(issues_of(data), "classes[0].pinned_room", "unknown room 'attic'")


def test_unknown_allowed_room() -> None:
    data = base()
    data["classes"][0]["allowed_rooms"] = ["r1", "attic"]
    issue = the_issue(issues_of(data), "classes[0].allowed_rooms[1]", "'sc1'", "unknown room 'attic'")
    assert [i.path for i in errors(issues_of(data))] == [issue.path]


def test_pinned_room_outside_the_allowed_rooms() -> None:
    data = base()
    data["classes"][0].update(pinned_room="hall", allowed_rooms=["r1"])
    the_issue(issues_of(data), "classes[0].pinned_room", "'sc1'", "'hall'", "allowed rooms (r1)")
    data["classes"][0]["allowed_rooms"] = ["r1", "hall"]
    assert issues_of(data) == []


def test_empty_allowed_rooms_is_an_error() -> None:
    data = base()
    data["classes"][0]["allowed_rooms"] = []
    with pytest.raises(ValueError, match="allowed_rooms"):
        Scenario.model_validate(data)


@pytest.mark.parametrize("key", ["not_before_event", "not_after_event"])
def test_unknown_class_event(key: str) -> None:
    data = base()
    data["classes"][1][key] = "olympics"
    the_issue(issues_of(data), f"classes[1].{key}", "unknown event 'olympics'")


def test_unknown_lecturer_event() -> None:
    data = base()
    data["lecturers"][1]["unavailable_events"] = ["congress", "party"]
    the_issue(issues_of(data), "lecturers[1].unavailable_events[1]", "unknown event 'party'", "'gv2'")


def test_unknown_module_after() -> None:
    data = base()
    data["programs"][0]["modules"][1]["after"] = ["m0"]
    the_issue(issues_of(data), "programs[0].modules[1].after[0]", "unknown module 'm0'")


def test_module_precedence_cycle() -> None:
    data = base()
    data["programs"][0]["modules"][0]["after"] = ["m2"]
    data["programs"][0]["modules"][1]["after"] = ["m1"]
    the_issue(issues_of(data), "programs[0].modules", "cycle", "m1", "m2", "'sc'")


def test_module_after_itself_is_a_cycle() -> None:
    data = base()
    data["programs"][1]["modules"][0]["after"] = ["b1"]
    the_issue(issues_of(data), "programs[1].modules", "cycle", "b1 -> b1")


def test_explicit_module_order_without_cycle_is_fine() -> None:
    data = base()
    data["programs"][0]["modules"][0]["after"] = ["m2"]
    data["programs"][0]["modules"][1]["after"] = []
    assert errors(issues_of(data)) == []


def test_unknown_cohort_class() -> None:
    data = base()
    data["cohorts"][0]["classes"].append("bd9")
    the_issue(issues_of(data), "cohorts[0].classes[2]", "unknown class 'bd9'", "'co1'")


def test_class_in_two_cohorts() -> None:
    data = base()
    data["cohorts"].append({"id": "co2", "learners": 50, "classes": ["bd3"]})
    the_issue(issues_of(data), "cohorts[1].classes[0]", "'bd3'", "'co1'")


def test_cohort_class_with_learners() -> None:
    data = base()
    data["classes"][2]["learners"] = 60
    the_issue(issues_of(data), "classes[2].learners", "'bd2'", "'co1'", "60")


def test_class_without_learners_or_cohort() -> None:
    data = base()
    del data["classes"][1]["learners"]
    the_issue(issues_of(data), "classes[1].learners", "'bd1'", "no learners")


# --- delivery and windows ---------------------------------------------------------------------


def test_delivery_not_divisible() -> None:
    data = base()
    data["programs"][0]["modules"][1]["sessions"] = 5  # 9 sessions, 2 blocks x 2 a day
    issue = the_issue(issues_of(data), "programs[0].delivery", "'sc'", "9 sessions", "2 block", "2 x 2 = 4")
    assert "not a multiple" in issue.message


def test_window_too_short() -> None:
    data = base()
    # 2020-03-02 (Mon) .. 2020-03-04 (Wed): 3 working days, the class needs 2 blocks x 2 days.
    data["classes"][0].update(earliest_start="2020-03-02", latest_end="2020-03-04")
    the_issue(issues_of(data), "classes[0]", "'sc1'", "needs 4 working days", "2020-03-02..2020-03-04", "only 3")


def test_window_exactly_enough_is_fine() -> None:
    data = base()
    data["classes"][0].update(earliest_start="2020-03-02", latest_end="2020-03-05")
    assert errors(issues_of(data)) == []


def test_window_counts_holidays_weekends_and_full_blackouts() -> None:
    data = base()
    # 2020-01-01 is a holiday, 2020-01-04/05 a weekend, 2020-01-06 closed to every class.
    data["calendar"]["blackouts"].append({"id": "storm", "start": "2020-01-06", "end": "2020-01-06"})
    data["classes"][0].update(latest_end="2020-01-07")
    the_issue(issues_of(data), "classes[0]", "needs 4", "only 3")


def test_window_blackout_above_gathering_limit() -> None:
    data = base()
    data["calendar"]["blackouts"][0].update(start="2020-01-02", end="2020-03-31", max_gathering=50)
    data["classes"][1]["latest_end"] = "2020-01-01"  # no day at all before the blackout
    the_issue(issues_of(data), "classes[1]", "'bd1'", "needs 1", "only 0")
    # A class of 40 is not closed by a limit of 50.
    assert not [i for i in issues_of(data) if i.path == "classes[0]"]


def test_window_narrowed_by_events() -> None:
    data = base()
    data["calendar"]["events"].append({"id": "anniversary", "start": "2020-02-14"})
    data["classes"][0].update(not_before_event="congress", not_after_event="anniversary")
    # 2020-02-12 .. 2020-02-13: two working days.
    the_issue(issues_of(data), "classes[0]", "2020-02-12..2020-02-13", "'congress'", "'anniversary'", "only 2")


def test_pinned_starts_wrong_count() -> None:
    data = base()
    data["classes"][0]["pinned_starts"] = ["2020-01-06"]
    the_issue(issues_of(data), "classes[0].pinned_starts", "1 start", "2 block", "'sc'")


@pytest.mark.parametrize(
    ("day", "words"),
    [
        ("2020-04-06", ("2020-04-06", "outside the calendar")),
        ("2020-01-04", ("2020-01-04", "Saturday")),
        ("2020-01-01", ("2020-01-01", "holiday", "New Year")),
        ("2020-03-23", ("2020-03-23", "blackout 'flu'")),
    ],
)
def test_pinned_start_on_a_closed_day(day: str, words: tuple[str, ...]) -> None:
    data = base()
    data["classes"][0]["pinned_starts"] = ["2020-01-06", day]
    issues = issues_of(data)
    the_issue(issues, "classes[0].pinned_starts[1]", *words)
    assert not [i for i in issues if i.path == "classes[0].pinned_starts[0]"]


# --- sizes ------------------------------------------------------------------------------------


def test_class_larger_than_every_room() -> None:
    data = base()
    data["classes"][1]["learners"] = 250
    the_issue(issues_of(data), "classes[1].learners", "'bd1'", "250", "200")


def test_class_larger_than_pinned_room() -> None:
    data = base()
    data["classes"][1]["pinned_room"] = "r1"
    the_issue(issues_of(data), "classes[1].pinned_room", "100", "'r1'", "60")


def test_class_larger_than_its_allowed_rooms() -> None:
    data = base()
    data["classes"][1]["allowed_rooms"] = ["r1"]
    the_issue(issues_of(data), "classes[1].allowed_rooms", "'bd1'", "100", "allowed rooms", "60")
    data["classes"][1]["allowed_rooms"] = ["r1", "hall"]
    assert issues_of(data) == []


def test_cohort_class_larger_than_its_allowed_rooms() -> None:
    data = base()
    data["cohorts"][0].update(learners=130, min_per_class=61)  # each of its two classes takes at least 61
    data["classes"][3]["allowed_rooms"] = ["r1"]
    the_issue(issues_of(data), "classes[3].allowed_rooms", "'bd3'", "61", "'co1'", "60")


def test_cohort_share_larger_than_every_room() -> None:
    data = base()
    data["cohorts"][0].update(learners=500, min_per_class=210)
    the_issue(issues_of(data), "cohorts[0].min_per_class", "'co1'", "210", "200")


def test_cohort_min_cannot_be_met() -> None:
    data = base()
    data["cohorts"][0]["min_per_class"] = 70
    the_issue(issues_of(data), "cohorts[0].min_per_class", "120", "2 x 70 = 140")


def test_cohort_max_cannot_be_met() -> None:
    data = base()
    data["cohorts"][0]["max_per_class"] = 50
    the_issue(issues_of(data), "cohorts[0].max_per_class", "120", "2 x 50 = 100")


def test_cohort_larger_than_its_rooms() -> None:
    data = base()
    for klass in data["classes"][2:]:
        klass["pinned_room"] = "r1"
    data["cohorts"][0]["learners"] = 130
    the_issue(issues_of(data), "cohorts[0].learners", "'co1'", "130", "120")


# --- lecturers --------------------------------------------------------------------------------


def test_topic_nobody_teaches() -> None:
    data = base()
    data["programs"][1]["modules"][0]["topic"] = "history"
    the_issue(issues_of(data), "programs[1].modules[0].topic", "no lecturer can teach topic 'history'")


def test_external_program_needs_no_lecturer() -> None:
    data = base()
    data["programs"][1]["modules"][0]["topic"] = "history"
    data["programs"][1]["taught_by"] = "external"
    assert errors(issues_of(data)) == []


@pytest.mark.parametrize("available", [{}, {"mon": [], "tue": []}, {"sat": ["morning"]}])
def test_lecturer_without_availability_warns(available: dict[str, list[str]]) -> None:
    data = base()
    data["lecturers"][1]["available"] = available
    issues = issues_of(data)
    the_issue(issues, "lecturers[1].available", "'gv2'", severity=Severity.warning)
    assert errors(issues) == []


def test_lecturer_with_unneeded_topics_warns() -> None:
    data = base()
    data["lecturers"].append({"id": "gv3", "kind": "external", "topics": ["poetry", "chess"]})
    the_issue(issues_of(data), "lecturers[2].topics", "'gv3'", "poetry", "chess", severity=Severity.warning)


# --- observation ------------------------------------------------------------------------------


def test_observed_kind_without_any_observer() -> None:
    data = base()
    for lecturer in data["lecturers"]:
        lecturer["can_observe"] = False
    issues = issues_of(data)
    the_issue(issues, "observation.observed_kinds[0]", "'full_time'", "gv1", "can_observe")
    the_issue(issues, "observation.observed_kinds[1]", "'part_time'", "gv2")


def test_unknown_observer() -> None:
    data = base()
    data["observation"] = {"observers": ["gv1", "boss"]}
    the_issue(issues_of(data), "observation.observers[1]", "unknown observer 'boss'")


def test_only_unknown_observers() -> None:
    data = base()
    data["observation"] = {"observers": ["boss"]}
    the_issue(issues_of(data), "observation.observed_kinds[0]", "'full_time'", "observation.observers")


def test_unknown_observation_program() -> None:
    data = base()
    data["observation"] = {"programs": ["sc", "tc"]}
    the_issue(issues_of(data), "observation.programs[1]", "unknown program 'tc'")


def test_sole_observer_cannot_observe_themself() -> None:
    data = base()
    data["observation"] = {"observers": ["gv1"]}
    the_issue(issues_of(data), "lecturers[0]", "'gv1'", "only allowed observer")


def test_observer_capacity_too_small() -> None:
    data = base()
    data["observation"] = {"visits_per_lecturer": 3, "max_visits_per_observer": 2}
    the_issue(issues_of(data), "observation.max_visits_per_observer", "needs 6 visits", "only 4")


def test_no_visits_needed_means_no_observer_needed() -> None:
    data = base()
    data["observation"] = {"visits_per_lecturer": 0}
    for lecturer in data["lecturers"]:
        lecturer["can_observe"] = False
    assert errors(issues_of(data)) == []


# --- targets ----------------------------------------------------------------------------------


def test_target_classes_disagree() -> None:
    data = base()
    data["targets"][0]["classes"] = 39
    issue = the_issue(issues_of(data), "targets[0].classes", severity=Severity.warning)
    assert issue.message == "target says 39 classes of boi_duong but the class list has 3"


def test_target_learners_count_cohort_once() -> None:
    data = base()
    data["targets"][0]["learners"] = 340  # 100 + 2 x 120 would be wrong; 100 + 120 = 220 is right
    issue = the_issue(issues_of(data), "targets[0].learners", severity=Severity.warning)
    assert issue.message == "target says 340 learners of boi_duong but the class list has 220"


def test_target_by_bloc_disagrees() -> None:
    data = base()
    data["targets"][1].update(classes=2, label="party bloc")
    issue = the_issue(issues_of(data), "targets[1].classes", severity=Severity.warning)
    assert issue.message == "target (party bloc) says 2 classes of boi_duong (bloc dang) but the class list has 1"


def test_hoang_mai_boi_duong_totals() -> None:
    data = base()
    data["cohorts"] = []
    data["classes"] = [data["classes"][0]]
    for bloc, count in (("dang", 30), ("chinh_quyen", 9), ("doan_the", 6)):
        data["classes"] += [
            {"id": f"bd_{bloc}_{i}", "program": "bd", "bloc": bloc, "learners": 50} for i in range(count)
        ]
    data["targets"] = [{"program_type": "boi_duong", "classes": 39}]
    issues = issues_of(data)
    issue = the_issue(issues, "targets[0].classes", severity=Severity.warning)
    assert issue.message == "target says 39 classes of boi_duong but the class list has 45"
    assert errors(issues) == []


# --- entry points and files -------------------------------------------------------------------


def test_issues_carry_the_file_name() -> None:
    data = base()
    data["classes"][0]["program"] = "tc"
    issue = the_issue(issues_of(data, file="plan.yaml"), "classes[0].program")
    assert issue.file == "plan.yaml"
    assert str(issue).startswith("plan.yaml: classes[0].program: ")


def test_ensure_valid_raises_every_error_and_returns_warnings() -> None:
    data = base()
    data["classes"][0]["program"] = "tc"
    data["classes"][1]["learners"] = 999
    data["targets"][0]["classes"] = 7
    with pytest.raises(ScenarioError) as caught:
        ensure_valid(Scenario.model_validate(data), file="plan.yaml")
    paths = {i.path for i in caught.value.issues}
    assert paths == {"classes[0].program", "classes[1].learners"}
    assert all(i.severity == Severity.error and i.file == "plan.yaml" for i in caught.value.issues)

    ok = base()
    ok["targets"][0]["classes"] = 7
    warnings = ensure_valid(Scenario.model_validate(ok))
    assert [w.path for w in warnings] == ["targets[0].classes"]


def test_load_yaml_with_unknown_key_and_wrong_type(tmp_path: Path) -> None:
    import yaml

    data = base()
    data["rooms"][0]["colour"] = "red"
    data["classes"][1]["learners"] = "many"
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    issues = caught.value.issues
    assert all(i.file == str(path) for i in issues)
    by_path = {i.path: i.message for i in issues}
    assert by_path["rooms[0].colour"] == "unknown key 'colour'"
    assert "classes[1].learners" in by_path
    assert by_path["classes[1].learners"] == "must be a whole number"
    assert str(path) in str(caught.value)
