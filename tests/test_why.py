"""Infeasibility explained: the planted conflict is named, with only the rules it needs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from llct_sched.cli import app
from llct_sched.scenario import Scenario
from llct_sched.scenario.loading import scenario_to_yaml
from llct_sched.solve.why import explain_infeasibility
from tiny import tiny_data

D = dt.date


def families(data: dict) -> set[tuple[str, tuple[str, ...]]]:  # type: ignore[type-arg]
    why = explain_infeasibility(Scenario.model_validate(data), time_limit=30)
    assert why.status == "conflict", why.lines()
    return {(rule.family, rule.entities) for rule in why.conflict}


def test_closed_hall_and_a_large_class() -> None:
    data = tiny_data()
    data["rooms"][0]["unavailable"] = [{"start": D(2020, 3, 1), "end": D(2020, 3, 31)}]
    assert families(data) == {("room_closed", ("HALL",)), ("seats", ("BD-A",))}


def test_two_pinned_classes_of_one_group() -> None:
    data = tiny_data()
    data["lecturers"][2]["available"] = None  # the local-topic lecturer is always free: only the pins clash
    data["classes"][0]["pinned_starts"] = [D(2020, 3, 16)]
    data["classes"][1]["pinned_starts"] = [D(2020, 3, 17)]
    assert families(data) == {("pinned", ("BD-A",)), ("pinned", ("BD-B",)), ("group", ("ward1",))}


def test_a_window_where_the_only_lecturer_is_never_free() -> None:
    data = tiny_data()
    data["classes"][0]["earliest_start"] = D(2020, 3, 23)
    data["classes"][0]["latest_end"] = D(2020, 3, 25)
    data["lecturers"][2]["available"] = {"mon": ["morning"]}
    assert families(data) == {("window", ("BD-A",)), ("lecturers", ("BD-A", "m2"))}


def test_ways_out_relax_one_rule_of_the_conflict() -> None:
    data = tiny_data()
    data["rooms"][0]["unavailable"] = [{"start": D(2020, 3, 1), "end": D(2020, 3, 31)}]
    why = explain_infeasibility(Scenario.model_validate(data), time_limit=30)
    assert {r.family for r in why.ways_out} <= {r.family for r in why.conflict}
    assert why.ways_out, why.lines()
    assert any("room HALL closed 01/03/2020-31/03/2020" in line for line in why.lines())


def test_a_feasible_calendar_says_so() -> None:
    why = explain_infeasibility(Scenario.model_validate(tiny_data()), time_limit=30)
    assert why.status == "calendar_feasible"


def test_cli_solve_explains_and_exits_1(tmp_path: Path) -> None:
    data = tiny_data()
    data["rooms"][0]["unavailable"] = [{"start": D(2020, 3, 1), "end": D(2020, 3, 31)}]
    path = tmp_path / "s.yaml"
    path.write_text(scenario_to_yaml(Scenario.model_validate(data)), encoding="utf-8")
    run = CliRunner().invoke(app, ["solve", str(path), "--out", str(tmp_path / "out"), "--time-limit", "10", "--quiet"])
    assert run.exit_code == 1, run.output
    text = " ".join(run.output.split())  # Vietnamese by default
    assert "không thể cùng thỏa mãn" in text and "phòng HALL đóng cửa" in text, text
    assert "why" in (tmp_path / "out" / "summary.json").read_text(encoding="utf-8")
