"""Issue 28 through the command line: nothing lost (whole result folders, the checker's objective,
Ctrl-C), nothing let in (formulas, paths, tampered CSVs)."""

from __future__ import annotations

import csv
import importlib
import json
import os
import signal
import threading
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from llct_sched.check import check
from llct_sched.cli import app
from llct_sched.files import FORMULA_TRIGGERS
from llct_sched.scenario import Scenario
from llct_sched.scenario.loading import load_scenario, scenario_to_yaml
from llct_sched.solve import SolveParams, solve
from tiny import tiny, tiny_data

runner = CliRunner()


def _default_scenario() -> Scenario:
    return load_scenario("hoang_mai_2020")


solve_module = importlib.import_module("llct_sched.solve.search")  # the module of `solve` (its `_search`)

HOSTILE = {
    "lecturer": '=HYPERLINK("http://evil.example","click")',
    "class": "=cmd|'/C calc'!A0",
    "room": "@SUM(1+1)*cmd|' /C calc'!A0",
    "program": "+1+2",
    "module": "-2+3",
}


def _hostile_data() -> dict[str, Any]:
    """The tiny scenario with formula-like names and two lecturer ids that differ only by a diacritic."""
    data = tiny_data()
    data["lecturers"][0] |= {"id": "gv_Nguyễn", "name": HOSTILE["lecturer"]}
    data["lecturers"][1] |= {"id": "gv_Nguy_n", "name": "-Lê Văn A"}
    data["classes"][0]["name"] = HOSTILE["class"]
    data["rooms"][0]["name"] = HOSTILE["room"]
    data["programs"][0]["name"] = HOSTILE["program"]
    data["programs"][0]["modules"][0]["name"] = HOSTILE["module"]
    return data


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(scenario_to_yaml(Scenario.model_validate(data)), encoding="utf-8")
    return path


def _state(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _solve(scenario: Path | str, out: Path, *extra: str) -> Any:
    """Solve on the command line, its messages in English."""
    args = ["solve", str(scenario), "--out", str(out), "--time-limit", "5", "--workers", "1", "--quiet", *extra]
    return runner.invoke(app, ["--lang", "en", *args])


def _live_cells(workbook: Path) -> list[str]:
    """Cells a spreadsheet would evaluate: formulas, or text starting with a formula trigger."""
    found = []
    for ws in openpyxl.load_workbook(workbook).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS)):
                    found.append(f"{ws.title}!{cell.coordinate}: {cell.value!r}")
    return found


def _live_csv_cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            f"{path.name} row {r} {cell!r}"
            for r, row in enumerate(csv.reader(handle), start=1)
            for cell in row
            if cell.startswith(FORMULA_TRIGGERS) and not _is_number(cell)
        ]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    scenario = _write(folder / "hostile.yaml", _hostile_data())
    out = folder / "out"
    result = _solve(scenario, out)
    assert result.exit_code == 0, result.output
    return scenario, out


def test_formula_like_names_stay_text_in_every_workbook_and_csv(hostile_out: tuple[Path, Path]) -> None:
    _, out = hostile_out
    assert _live_cells(out / "timetable.xlsx") == []
    texts = [c.value for ws in openpyxl.load_workbook(out / "timetable.xlsx").worksheets for r in ws for c in r]
    assert "'" + HOSTILE["lecturer"] in texts and "'" + HOSTILE["class"] in texts  # kept, as text
    csvs = sorted(out.glob("*.csv"))
    assert {p.name for p in csvs} >= {"sessions.csv", "classes.csv", "lecturers.csv", "observations.csv"}
    for path in csvs:
        assert _live_csv_cells(path) == []


def test_ids_differing_by_a_diacritic_get_their_own_calendars(hostile_out: tuple[Path, Path]) -> None:
    _, out = hostile_out
    calendars = sorted(p.name for p in (out / "calendars").glob("lecturer_*.ics"))
    assert len(calendars) == 3, calendars
    texts = [(out / "calendars" / name).read_text(encoding="utf-8") for name in calendars]
    assert len(set(texts)) == 3


def test_the_checker_reads_back_the_csv_of_hostile_ids(hostile_out: tuple[Path, Path], tmp_path: Path) -> None:
    scenario, out = hostile_out
    folder = tmp_path / "csv_only"
    folder.mkdir()
    for name in ("sessions.csv", "observations.csv"):
        (folder / name).write_bytes((out / name).read_bytes())
    result = runner.invoke(app, ["check", str(scenario), str(folder)])
    assert result.exit_code == 0, result.output


def test_template_workbook_neutralises_and_loads_back(hostile_out: tuple[Path, Path], tmp_path: Path) -> None:
    scenario, _ = hostile_out
    book = tmp_path / "t.xlsx"
    result = runner.invoke(app, ["template", "-o", str(book), "-s", str(scenario)])
    assert result.exit_code == 0, result.output
    assert _live_cells(book) == []
    from llct_sched.scenario.loading import load_scenario

    back = load_scenario(book)
    assert back.lecturers[0].name == HOSTILE["lecturer"] and back.classes[0].name == HOSTILE["class"]


def test_comparison_files_neutralise_cells_and_variant_names_cannot_leave_out(tmp_path: Path) -> None:
    scenario = _write(tmp_path / "base.yaml", tiny_data())
    evil = tmp_path / "evil.yaml"
    evil.write_text(yaml.safe_dump({"name": "../../../../x", "base": "base.yaml", "patches": []}), encoding="utf-8")
    slash = tmp_path / "slash.yaml"
    slash.write_text(yaml.safe_dump({"name": "a/b", "base": "base.yaml", "patches": []}), encoding="utf-8")
    out = tmp_path / "deep" / "er" / "cmp"
    args = ["compare", str(scenario), str(evil), str(slash), "--out", str(out), "--seeds", "1", "--time-limit", "2"]
    result = runner.invoke(app, ["--lang", "en", *args])
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "evil.yaml: name: '../../../../x' cannot name a variant" in text
    assert "slash.yaml: name: 'a/b' cannot name a variant" in text
    assert "solving" not in result.output  # rejected before any solving
    assert not out.exists() and not (tmp_path / "x").exists()
    assert "Traceback" not in result.output


def test_comparison_files_neutralise_cells(tmp_path: Path) -> None:
    from llct_sched.batch import TIMETABLE_KEY, write_comparison

    rows = [
        {"variant": "=HYPERLINK(1)", "seed": 0, "status": "FEASIBLE", "objective": -3, "message": "-1+1"},
        {"variant": "ok", "seed": 0, "status": "FEASIBLE", "objective": 5, "message": "@x", TIMETABLE_KEY: "{}"},
    ]
    written = write_comparison(rows, tmp_path / "cmp", chart=False)
    assert _live_cells(tmp_path / "cmp" / "comparison.xlsx") == []
    assert _live_csv_cells(tmp_path / "cmp" / "comparison.csv") == []
    sheet = openpyxl.load_workbook(tmp_path / "cmp" / "comparison.xlsx").worksheets[0]
    assert -3 in [c.value for row in sheet.iter_rows() for c in row]  # a negative number stays a number
    assert tmp_path / "cmp" / "timetables" / "ok-seed0.json" in written


def test_a_variant_whose_base_is_itself_is_a_located_error(tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    loop.write_text(yaml.safe_dump({"base": "loop.yaml", "patches": []}), encoding="utf-8")
    result = runner.invoke(app, ["--lang", "en", "validate", str(loop)])
    assert result.exit_code == 2, result.output
    assert "loop.yaml: base: the variant's bases lead back to itself" in " ".join(result.output.split())


def test_a_failed_run_leaves_the_earlier_result_byte_identical(tmp_path: Path) -> None:
    out = tmp_path / "out"
    good = _write(tmp_path / "good.yaml", tiny_data())
    assert _solve(good, out).exit_code == 0
    before = _state(out)
    data = tiny_data()
    data["rooms"][0]["unavailable"] = [{"start": "2020-03-01", "end": "2020-03-31"}]
    bad = _write(tmp_path / "bad.yaml", data)
    result = _solve(bad, out)
    assert result.exit_code == 1, result.output
    assert "is left as it was" in " ".join(result.output.split())
    assert _state(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml", "good.yaml", "out"]


def test_stale_files_of_an_earlier_result_never_stay(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "calendars").mkdir(parents=True)
    (out / "calendars" / "lecturer_OTHER.ics").write_text("another scenario", encoding="utf-8")
    (out / "changes.csv").write_text("class_id\nX\n", encoding="utf-8")
    (out / "summary.json").write_text("{}", encoding="utf-8")  # an earlier result
    assert _solve(_write(tmp_path / "s.yaml", tiny_data()), out).exit_code == 0
    assert not (out / "changes.csv").exists() and not (out / "calendars" / "lecturer_OTHER.ics").exists()
    assert (out / "timetable.json").exists()


def test_an_output_that_is_a_file_or_a_folder_of_other_files_is_bad_input_before_solving(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("mine", encoding="utf-8")
    result = _solve(_write(tmp_path / "s.yaml", tiny_data()), afile)
    assert result.exit_code == 2 and "not a folder" in result.output
    assert afile.read_text(encoding="utf-8") == "mine"
    assert "Traceback" not in result.output
    result = _solve(tmp_path / "s.yaml", tmp_path)  # --out . in a folder of one's own files
    assert result.exit_code == 2 and "no earlier result" in " ".join(result.output.split())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "s.yaml"]


@pytest.mark.parametrize("limit", ["0.3", "1"])
def test_the_reported_objective_is_the_checkers(tmp_path: Path, limit: str) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["solve", "hoang_mai_2020", "--out", str(out), "--time-limit", limit, "--workers", "1", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    checked = runner.invoke(app, ["check", "hoang_mai_2020", str(out)])
    assert checked.exit_code == 0
    assert f"hàm mục tiêu {summary['objective']}" in checked.output  # Vietnamese by default
    assert summary["objective"] == summary["check"]["objective"]
    weights = Scenario.model_validate(yaml.safe_load(runner.invoke(app, ["example"]).output)).weights
    assert sum(getattr(weights, g) * v for g, v in summary["breakdown"].items()) == summary["objective"]


def _sessions_csv_folder(tmp_path: Path) -> tuple[Path, Path, list[list[str]]]:
    scenario = _write(tmp_path / "s.yaml", tiny_data())
    out = tmp_path / "out"
    assert _solve(scenario, out).exit_code == 0
    folder = tmp_path / "hand"
    folder.mkdir()
    (folder / "observations.csv").write_bytes((out / "observations.csv").read_bytes())
    with (out / "sessions.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return scenario, folder, rows


def _save_rows(folder: Path, rows: list[list[str]]) -> None:
    with (folder / "sessions.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def test_the_checker_reads_every_csv_row(tmp_path: Path) -> None:
    scenario, folder, rows = _sessions_csv_folder(tmp_path)
    header = rows[0]
    learners, klass = header.index("learners"), header.index("class_id")
    first_of: dict[str, int] = {}
    for r, row in enumerate(rows[1:], start=2):
        first_of.setdefault(row[klass], r)
    _save_rows(folder, rows)
    assert runner.invoke(app, ["check", str(scenario), str(folder)]).exit_code == 0
    tampered = [r for r in range(2, len(rows) + 1) if first_of[rows[r - 1][klass]] != r][:2]
    assert len(tampered) == 2
    for r in tampered:  # a row that is not the class's last or first
        rows[r - 1][learners] = "999"
    rows[4][header.index("date")] = "2020-02-30"  # the 5th line of the file
    _save_rows(folder, rows)
    result = runner.invoke(app, ["--lang", "en", "check", str(scenario), str(folder)])
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    for r in tampered:
        assert f"sessions.csv: row {r}, column learners: 999 learners" in text
    assert "sessions.csv: row 5, column date: '2020-02-30' is not a valid date" in text
    assert "Traceback" not in result.output


def test_an_interrupt_before_any_timetable_does_not_claim_one(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted_at_once(inst: Any, session: Any, result: Any, start: Any = None) -> None:
        session.interrupt()

    monkeypatch.setattr(solve_module, "_search", interrupted_at_once)
    result = solve(tiny(), SolveParams(time_limit=5, workers=1))
    assert result.timetable is None and result.interrupted
    assert not any("best timetable found so far is returned" in m for m in result.messages)
    assert any("before any timetable was found" in m for m in result.messages)


@settings(max_examples=6, deadline=None)
@given(limit=st.floats(min_value=0.1, max_value=1.5), seed=st.integers(min_value=0, max_value=5))
def test_the_solvers_objective_is_the_checkers_at_tiny_time_limits(limit: float, seed: int) -> None:
    scenario = _default_scenario()
    result = solve(scenario, SolveParams(time_limit=limit, workers=1, seed=seed))
    if result.timetable is None:
        return  # no timetable, nothing to count (the default has one within 0.4 s)
    report = check(scenario, result.timetable)
    assert result.objective == report.objective
    weights = scenario.weights.model_dump()
    assert {g: weights[g] * v for g, v in result.breakdown.items() if weights[g]} == {
        g: v for g, v in report.breakdown.items() if weights[g]
    }


def test_the_objective_after_ctrl_c_is_the_checkers() -> None:
    scenario = _default_scenario()
    previous = signal.signal(signal.SIGINT, lambda *_: None)  # a late signal must not stop pytest
    timer = threading.Timer(1.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    try:
        timer.start()
        result = solve(scenario, SolveParams(time_limit=60, workers=1, seed=1))
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, previous)
    assert result.interrupted and result.timetable is not None
    assert result.objective == check(scenario, result.timetable).objective


def test_ids_that_look_like_markup_are_printed_as_they_are(tmp_path: Path) -> None:
    """An id such as '[bold]x[/bold]' is data: the error names it as written, markup and all."""
    data = tiny_data()
    data["classes"][0]["program"] = "[bold]NOPE[/bold]"
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(json.loads(json.dumps(data, default=str))), encoding="utf-8")
    result = CliRunner().invoke(app, ["--lang", "en", "validate", str(path)])
    assert result.exit_code == 2
    assert "'[bold]NOPE[/bold]'" in result.output
