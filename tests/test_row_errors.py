"""Every input error of a row is reported together: a type error in one cell (a cell that cannot be
read, a value of the wrong type) no longer hides the other errors of its row, in a workbook, a YAML
file or a CSV file; each is named with its place, the exit code is 2 and nothing is written."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from llct_sched.cli import app
from llct_sched.errors import Cell, ScenarioError
from llct_sched.scenario import Scenario
from llct_sched.scenario.excel import column_field, load_scenario_workbook, write_template
from llct_sched.scenario.loading import load_scenario
from tiny import tiny_data

runner = CliRunner()

# tiny(): rooms HALL (120) and R1 (50); lecturers FT1, FT2, PT1; classes BD-A, BD-B, SC-1 (rows 2-4)


def _workbook(tmp_path: Path, cells: dict[tuple[str, int, str], Any]) -> Path:
    """The tiny scenario's template with some cells (sheet, row, column) replaced."""
    path = tmp_path / "plan.xlsx"
    write_template(path, Scenario.model_validate(tiny_data()))
    workbook = openpyxl.load_workbook(path)
    for (sheet, row, column), value in cells.items():
        header = [column_field(c.value) if c.value else None for c in workbook[sheet][1]]
        workbook[sheet].cell(row=row, column=header.index(column) + 1, value=value)
    workbook.save(path)
    return path


def _cells(path: Path) -> dict[Cell, str]:
    """Cell -> message of the workbook's problems, as the reader reports them."""
    with pytest.raises(ScenarioError) as caught:
        load_scenario_workbook(path)
    return {issue.cell: issue.message for issue in caught.value.issues if issue.cell is not None}


def test_a_class_row_with_a_bad_number_reports_its_unknown_references_too(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path,
        {("classes", 2, "learners"): -5, ("classes", 2, "program"): "BD9", ("classes", 2, "pinned_room"): "R9"},
    )
    found = _cells(path)
    assert found == {
        Cell("classes", 2, "learners"): "must be greater than 0",
        Cell("classes", 2, "program"): "class 'BD-A' refers to unknown program 'BD9'",
        Cell("classes", 2, "pinned_room"): "class 'BD-A' is pinned to unknown room 'R9'",
    }


def test_a_cell_that_cannot_be_read_hides_neither_type_errors_nor_other_errors_of_its_row(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path,
        {
            ("lecturers", 2, "can_observe"): "maybe",  # not read at all
            ("lecturers", 2, "max_sessions_per_year"): -3,  # read, the wrong value
            ("lecturers", 2, "unavailable_events"): "congress",  # read, no such event
        },
    )
    found = _cells(path)
    assert found == {
        Cell("lecturers", 2, "can_observe"): "expected yes or no (TRUE / FALSE), got 'maybe'",
        Cell("lecturers", 2, "max_sessions_per_year"): "must be at least 0",
        Cell("lecturers", 2, "unavailable_events"): "lecturer 'FT1' refers to unknown event 'congress'",
    }  # and nothing that FT1's absence would make up (pol and law are still taught, FT2 observes)


def test_the_errors_of_several_rows_and_of_the_rest_of_the_workbook(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path,
        {
            ("classes", 2, "learners"): 0,
            ("classes", 2, "latest_end"): "31/02/2020",  # not a date
            ("classes", 3, "pinned_lecturers"): "m1 FT1",  # not a pair
            ("classes", 3, "groups"): "ward9",
            ("classes", 4, "program"): "SC9",  # a row without type errors
        },
    )
    found = _cells(path)
    assert set(found) == {
        Cell("classes", 2, "learners"),
        Cell("classes", 2, "latest_end"),
        Cell("classes", 3, "pinned_lecturers"),
        Cell("classes", 3, "groups"),
        Cell("classes", 4, "program"),
    }
    assert found[Cell("classes", 3, "groups")] == "class 'BD-B' refers to unknown group 'ward9'"
    assert found[Cell("classes", 4, "program")] == "class 'SC-1' refers to unknown program 'SC9'"


def test_the_command_line_names_every_error_of_the_row_and_writes_nothing(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path,
        {("classes", 2, "learners"): -5, ("classes", 2, "program"): "BD9", ("classes", 2, "pinned_room"): "R9"},
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["--lang", "en", "solve", str(path), "--out", str(out), "--quiet"])
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "3 problem(s)" in text
    for column in ("learners", "program", "pinned_room"):
        assert f"Sheet 'classes', row 2, column '{column}': " in text
    assert not out.exists()
    vi = runner.invoke(app, ["validate", str(path)])
    assert vi.exit_code == 2
    assert "Trang 'classes', dòng 2, cột 'program': lớp 'BD-A'" in " ".join(vi.output.split())


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_yaml_or_json_entry_reports_every_error(tmp_path: Path, suffix: str) -> None:
    data = _plain(tiny_data())
    data["classes"][0].update(learners=-5, program="BD9", pinned_room="R9", groups=["ward 1", "ward9"])
    path = tmp_path / f"s{suffix}"
    path.write_text(yaml.safe_dump(data) if suffix == ".yaml" else _json(data), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    found = {issue.path: issue.message for issue in caught.value.issues}
    assert found == {
        "classes[0].learners": "must be greater than 0",
        "classes[0].groups[0]": "must be an identifier without spaces",
        "classes[0].program": "class 'BD-A' refers to unknown program 'BD9'",
        "classes[0].pinned_room": "class 'BD-A' is pinned to unknown room 'R9'",
        "classes[0].groups[1]": "class 'BD-A' refers to unknown group 'ward9'",
    }
    result = runner.invoke(app, ["--lang", "en", "validate", str(path)])
    assert result.exit_code == 2 and "5 problem(s)" in result.output


def _json(data: dict[str, Any]) -> str:
    import json

    return json.dumps(data)


def test_a_csv_row_reports_every_bad_cell(tmp_path: Path) -> None:
    out = tmp_path / "solved"
    assert runner.invoke(app, ["solve", "tutorial", "--out", str(out), "--workers", "1", "--quiet"]).exit_code == 0
    folder = tmp_path / "hand"
    folder.mkdir()
    with (out / "sessions.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    rows[3][header.index("learners")] = "many"
    rows[3][header.index("date")] = "2020-02-30"
    with (folder / "sessions.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    result = runner.invoke(app, ["--lang", "en", "check", "tutorial", str(folder)])
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "sessions.csv: row 4, column learners: 'many' is not a valid learners" in text
    assert "sessions.csv: row 4, column date: '2020-02-30' is not a valid date" in text
