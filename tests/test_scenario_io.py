"""Scenario files: YAML and JSON round trips (hypothesis), the built-ins, and the CLI's input errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from llct_sched.cli import app
from llct_sched.scenario import Scenario
from llct_sched.scenario.loading import load_scenario, parse_scenario_text, scenario_to_data, scenario_to_yaml

IDS = st.text("abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=8)
NAMES = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)  # Vietnamese, emoji, anything
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
PERIODS = ["morning", "afternoon"]


@st.composite
def scenario_data(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(st.dates(dt.date(2019, 1, 1), dt.date(2030, 12, 31)))
    end = start + dt.timedelta(days=draw(st.integers(0, 400)))
    day = st.dates(start, end)
    room_ids = draw(st.lists(IDS, min_size=1, max_size=4, unique=True))
    lecturer_ids = draw(st.lists(IDS, max_size=4, unique=True))
    topics = draw(st.lists(IDS, min_size=1, max_size=3, unique=True))
    program_ids = draw(st.lists(IDS, min_size=1, max_size=2, unique=True))
    class_ids = draw(st.lists(IDS, min_size=1, max_size=4, unique=True))
    availability = st.none() | st.dictionaries(
        st.sampled_from(WEEKDAYS), st.lists(st.sampled_from(PERIODS), unique=True, max_size=2), max_size=3
    )
    return {
        "name": draw(IDS),
        "title": draw(NAMES),
        "calendar": {
            "start": start,
            "end": end,
            "holidays": [{"start": d, "name": draw(NAMES)} for d in draw(st.lists(day, max_size=3))],
            "blackouts": [
                {"id": f"b{k}", "start": d, "end": d, "max_gathering": draw(st.none() | st.integers(0, 500))}
                for k, d in enumerate(draw(st.lists(day, max_size=2)))
            ],
            "events": [
                {"id": f"e{k}", "start": d, "kind": draw(st.sampled_from(["congress", "anniversary", "other"]))}
                for k, d in enumerate(draw(st.lists(day, max_size=2)))
            ],
        },
        "rooms": [
            {
                "id": r,
                "name": draw(NAMES),
                "seats": draw(st.integers(1, 500)),
                "kind": draw(st.sampled_from(["hall", "classroom", "borrowed"])),
                "unavailable": [{"start": d} for d in draw(st.lists(day, max_size=2))],
            }
            for r in room_ids
        ],
        "lecturers": [
            {
                "id": lec,
                "kind": draw(st.sampled_from(["full_time", "part_time", "external"])),
                "topics": draw(st.lists(st.sampled_from(topics), unique=True)),
                "available": draw(availability),
                "max_sessions_per_week": draw(st.none() | st.integers(0, 20)),
                "can_observe": draw(st.booleans()),
            }
            for lec in lecturer_ids
        ],
        "programs": [
            {
                "id": p,
                "type": draw(st.sampled_from(["trung_cap", "so_cap", "boi_duong"])),
                "modules": [
                    {"id": f"{p}m{k}", "sessions": draw(st.integers(1, 6)), "topic": draw(st.sampled_from(topics))}
                    for k in range(draw(st.integers(1, 4)))
                ],
                "delivery": {"blocks": draw(st.integers(1, 3)), "sessions_per_day": draw(st.sampled_from([1, 2]))},
            }
            for p in program_ids
        ],
        "classes": [
            {
                "id": c,
                "program": draw(st.sampled_from(program_ids)),
                "bloc": draw(st.none() | st.sampled_from(["dang", "chinh_quyen", "doan_the"])),
                "learners": draw(st.integers(1, 400)),
                "earliest_start": draw(st.none() | day),
                "preferred_months": draw(st.lists(st.integers(1, 12), unique=True, max_size=3)),
                "pinned_room": draw(st.none() | st.sampled_from(room_ids)),
                "allowed_rooms": draw(st.none() | st.lists(st.sampled_from(room_ids), min_size=1, unique=True)),
            }
            for c in class_ids
        ],
        "weights": {"teaching_norm": draw(st.integers(0, 50))},
    }


@settings(max_examples=60, deadline=None)
@given(scenario_data())
def test_yaml_and_json_round_trips_are_equal(data: dict[str, Any]) -> None:
    scenario = Scenario.model_validate(data)
    assert parse_scenario_text(scenario_to_yaml(scenario)) == scenario
    as_json = json.dumps(scenario_to_data(scenario), ensure_ascii=False)
    assert parse_scenario_text(as_json, fmt="json") == scenario


def test_builtins_round_trip() -> None:
    for name in ("hoang_mai_2020", "tutorial"):
        scenario = load_scenario(name)
        assert parse_scenario_text(scenario_to_yaml(scenario)) == scenario


def test_cli_validate_reports_every_problem_with_file_and_path(tmp_path: Path) -> None:
    text = scenario_to_yaml(load_scenario("tutorial"))
    structural = tmp_path / "structural.yaml"
    structural.write_text(text.replace("seats:", "colour: red\n  seats:", 1), encoding="utf-8")
    run = CliRunner().invoke(app, ["--lang", "en", "validate", str(structural)])
    assert run.exit_code == 2
    assert f"{structural}: rooms[0].colour: unknown key 'colour'" in run.output
    data = scenario_to_data(load_scenario("tutorial"))
    data["classes"][0]["program"] = "X_missing"
    data["classes"][1]["pinned_room"] = "Y_missing"
    semantic = tmp_path / "semantic.yaml"
    semantic.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    run = CliRunner().invoke(app, ["validate", str(semantic)])
    assert run.exit_code == 2
    assert run.output.count(f"{semantic}: ") >= 2  # every problem, each located
    assert "classes[0].program" in run.output and "classes[1].pinned_room" in run.output
    assert "Traceback" not in run.output


def test_cli_solve_on_bad_input_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ncalendar: {start: 2020-01-01, end: 2019-01-01}\n", encoding="utf-8")
    out = tmp_path / "out"
    run = CliRunner().invoke(app, ["solve", str(bad), "--out", str(out)])
    assert run.exit_code == 2
    assert "calendar" in run.output and "trước ngày bắt đầu" in run.output  # Vietnamese by default
    assert not out.exists()


def test_cli_schema_and_example(tmp_path: Path) -> None:
    run = CliRunner().invoke(app, ["schema"])
    assert run.exit_code == 0
    schema = json.loads(run.output)
    assert {"calendar", "rooms", "lecturers", "programs", "classes"} <= set(schema["properties"])
    target = tmp_path / "plan.yaml"
    run = CliRunner().invoke(app, ["example", "hoang_mai_2020", "-o", str(target)])
    assert run.exit_code == 0
    assert load_scenario(target) == load_scenario("hoang_mai_2020")
    assert "[S]" in target.read_text(encoding="utf-8")  # the assumptions stay commented


def test_a_lecturers_sessions_away_survive_the_workbook(tmp_path: Path) -> None:
    """An absence for some sessions of a day ('periods') and one for whole days, through Excel."""
    from llct_sched.scenario.excel import write_template

    data = load_scenario("tutorial").model_dump()
    start = data["calendar"]["start"]
    data["lecturers"][0]["unavailable"] = [
        {"start": start, "periods": ["morning"], "reason": "họp"},
        {"start": start + dt.timedelta(days=3)},
    ]
    scenario = Scenario.model_validate(data)
    write_template(tmp_path / "s.xlsx", scenario)
    back = load_scenario(str(tmp_path / "s.xlsx"))
    assert [(a.start, a.periods) for a in back.lecturers[0].unavailable] == [
        (start, ["morning"]),
        (start + dt.timedelta(days=3), None),
    ]
    assert back == scenario
