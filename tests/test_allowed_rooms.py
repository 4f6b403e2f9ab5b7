"""A class held to a set of rooms (`allowed_rooms`): the solver, the greedy, the checker, the
explanation of an infeasible plan, the diagnosis, the Excel template and `validate` (exit 2).
(The per-center generator's rooms: tests/test_generate.py.)"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from llct_sched.check import check
from llct_sched.cli import app
from llct_sched.errors import ScenarioError
from llct_sched.model.greedy import greedy_plan
from llct_sched.model.instance import build_instance
from llct_sched.pipeline import run_solve
from llct_sched.scenario import Scenario
from llct_sched.scenario.diagnose import diagnose
from llct_sched.scenario.excel import column_field, load_scenario_workbook, locate_issues, write_template
from llct_sched.scenario.loading import scenario_to_yaml
from llct_sched.scenario.validate import ensure_valid, validate
from llct_sched.solve import SolveParams
from llct_sched.solve.why import explain_infeasibility
from tiny import tiny_data

D = dt.date
HELD = ("BD-B", "SC-1")  # the small classes, held to the hall below


def hall_borrowed(held: bool) -> Scenario:
    """The tiny scenario with the hall borrowed: BD-B (45) and SC-1 (40) are cheaper in R1 (50 seats),
    unless they are held to the hall."""
    data = tiny_data()
    data["rooms"][0]["kind"] = "borrowed"
    if held:
        for klass in data["classes"][1:]:
            klass["allowed_rooms"] = ["HALL"]
    return Scenario.model_validate(data)


def rooms_of(sessions: Any, classes: tuple[str, ...] = HELD) -> set[str]:
    return {s.room_id for s in sessions if s.class_id in classes}


def test_the_solver_keeps_classes_in_their_allowed_rooms() -> None:
    params = SolveParams(time_limit=5, workers=1)
    free = run_solve(hall_borrowed(held=False), params, explain=False)
    assert free.timetable is not None and rooms_of(free.timetable.sessions) == {"R1"}  # what they would take
    held = run_solve(hall_borrowed(held=True), params, explain=False)
    assert held.timetable is not None and held.check is not None
    assert held.check.ok, held.check.summary()
    assert rooms_of(held.timetable.sessions) == {"HALL"}


def test_the_greedy_keeps_classes_in_their_allowed_rooms() -> None:
    for held, room in ((False, 1), (True, 0)):  # R1 without the rule, the hall with it
        inst = build_instance(hall_borrowed(held))
        plan = greedy_plan(inst)
        assert not plan.unplaced
        small = [b.index for b in inst.blocks if inst.classes[b.class_index].spec.id in HELD]
        assert {plan.rooms[b] for b in small} == {room}, held


def test_the_checker_flags_a_solved_timetable_once_its_room_is_not_allowed() -> None:
    outcome = run_solve(hall_borrowed(held=False), SolveParams(time_limit=5, workers=1), explain=False)
    assert outcome.timetable is not None
    report = check(hall_borrowed(held=True), outcome.timetable)
    assert {v.rule for v in report.violations} == {"rooms"}
    assert {(v.class_id, v.room_id) for v in report.violations} == {("BD-B", "R1"), ("SC-1", "R1")}


def test_an_infeasible_plan_names_the_allowed_rooms() -> None:
    data = tiny_data()
    data["rooms"][1]["unavailable"] = [{"start": D(2020, 3, 1), "end": D(2020, 3, 31)}]
    data["classes"][2]["allowed_rooms"] = ["R1"]  # SC-1 could meet in the hall, but may not
    why = explain_infeasibility(Scenario.model_validate(data), time_limit=30)
    assert why.status == "conflict", why.lines()
    assert {(rule.family, rule.entities) for rule in why.conflict} == {
        ("room_closed", ("R1",)),
        ("allowed_rooms", ("SC-1",)),
    }


def test_diagnose_counts_the_room_days_of_a_set_of_allowed_rooms() -> None:
    data = tiny_data()
    data["rooms"][1]["unavailable"] = [{"start": D(2020, 3, 2), "end": D(2020, 3, 20)}]  # open 23-27/3
    assert diagnose(Scenario.model_validate(data)) == []  # BD-B and SC-1 fit the hall too
    for klass in data["classes"][1:]:
        klass["allowed_rooms"] = ["R1"]
    found = diagnose(Scenario.model_validate(data))
    assert [d.kind for d in found] == ["room_capacity"], [str(d) for d in found]
    assert found[0].message.startswith("classes that can only use rooms R1 (BD-B, SC-1) need 14 room sessions")
    assert "open 5 room-days (10 sessions)" in found[0].message


# --- the Excel template ------------------------------------------------------------------------------


def _allowed_column(path: Path) -> tuple[openpyxl.Workbook, int, int]:
    """The workbook, the column of allowed_rooms on the classes sheet and the row of class SC-1."""
    wb = openpyxl.load_workbook(path)
    headers = [column_field(c.value) for c in wb["classes"][1]]
    row = [c.value for c in wb["classes"]["A"]].index("SC-1") + 1
    return wb, headers.index("allowed_rooms") + 1, row


def test_allowed_rooms_survive_the_template_round_trip(tmp_path: Path) -> None:
    data = tiny_data()
    data["classes"][2]["allowed_rooms"] = ["R1", "HALL"]
    scenario = Scenario.model_validate(data)
    path = tmp_path / "plan.xlsx"
    write_template(path, scenario)
    wb, column, row = _allowed_column(path)
    assert wb["classes"].cell(row=row, column=column).value == "R1, HALL"
    assert wb["classes"].cell(row=row - 1, column=column).value is None  # BD-B: every room
    assert load_scenario_workbook(path).model_dump() == scenario.model_dump()


def test_an_unknown_allowed_room_in_the_template_is_located(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    write_template(path, Scenario.model_validate(tiny_data()))
    wb, column, row = _allowed_column(path)
    wb["classes"].cell(row=row, column=column, value="R1, attic")
    wb.save(path)
    issues = locate_issues(path, validate(load_scenario_workbook(path)))
    located = [i for i in issues if i.severity.value == "error"]
    assert [i.path for i in located] == [f"Sheet 'classes', row {row}, column 'allowed_rooms'"], located
    assert "unknown room 'attic'" in located[0].message


def test_validate_exits_2_on_a_class_larger_than_its_allowed_rooms(tmp_path: Path) -> None:
    data = tiny_data()
    data["classes"][0]["allowed_rooms"] = ["R1"]  # BD-A: 100 learners, R1 seats 50
    path = tmp_path / "plan.yaml"
    path.write_text(scenario_to_yaml(Scenario.model_validate(data)), encoding="utf-8")
    run = CliRunner().invoke(app, ["--lang", "en", "validate", str(path)], terminal_width=200)
    assert run.exit_code == 2, run.output
    assert "classes[0].allowed_rooms" in run.output and "largest of its allowed rooms seats 50" in run.output
    with pytest.raises(ScenarioError):
        ensure_valid(Scenario.model_validate(data))
