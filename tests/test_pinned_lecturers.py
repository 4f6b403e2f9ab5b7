"""A class's pinned lecturers (`classes[].pinned_lecturers`: module id -> lecturer id), the web
page's "pin a lecturer": validated with located errors, kept by the solver (with and without the
teaching layer of stage 1) and verified by the checker on its own."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from llct_sched import i18n
from llct_sched.check import check
from llct_sched.errors import ScenarioError
from llct_sched.model.instance import build_instance
from llct_sched.model.teaching_layer import needs_teaching_layer
from llct_sched.scenario import Scenario
from llct_sched.scenario.excel import column_field, load_scenario_workbook, locate_issues, write_template
from llct_sched.scenario.loading import load_scenario
from llct_sched.scenario.validate import validate
from llct_sched.solve import SolveParams, solve
from llct_sched.timetable import Timetable

PARAMS = SolveParams(time_limit=20, workers=1)


def _tutorial(pins: dict[str, str], capped: bool = False) -> Scenario:
    scenario = load_scenario("tutorial")
    klass = next(c for c in scenario.classes if c.id == "qt_co_quan")
    klass.pinned_lecturers = pins
    if capped:  # a yearly cap puts the lecturers into stage 1 (the teaching layer)
        next(lec for lec in scenario.lecturers if lec.id == "gv_an").max_sessions_per_year = 30
    return scenario


def _taught(timetable: Timetable, module: str) -> set[str | None]:
    return {s.lecturer_id for s in timetable.sessions_of("qt_co_quan") if s.module_id == module}


@pytest.mark.parametrize("capped", [False, True], ids=["stage 2", "teaching layer"])
def test_the_solver_keeps_pinned_lecturers_and_the_checker_agrees(capped: bool) -> None:
    # kc_cuong is free on Tuesday and Thursday mornings only: the class must move there
    scenario = _tutorial({"qt_1": "kc_cuong", "qt_2": "gv_binh"}, capped)
    assert not [i for i in validate(scenario) if i.severity.value == "error"]
    assert needs_teaching_layer(build_instance(scenario)) is capped
    result = solve(scenario, PARAMS)
    assert result.timetable is not None, result.status
    assert _taught(result.timetable, "qt_1") == {"kc_cuong"} and _taught(result.timetable, "qt_2") == {"gv_binh"}
    assert {s.date.weekday() for s in result.timetable.sessions_of("qt_co_quan")} <= {1, 3}
    report = check(scenario, result.timetable)
    assert report.ok, [v.message for v in report.violations]


def test_pins_that_cannot_meet_are_infeasible() -> None:
    # kc_cuong teaches Tuesday/Thursday mornings, kc_dung Wednesday/Friday afternoons; the class is one day
    result = solve(_tutorial({"qt_1": "kc_cuong", "qt_2": "kc_dung"}), PARAMS)
    assert result.status == "INFEASIBLE" and result.timetable is None


def test_the_checker_finds_a_session_given_to_another_lecturer() -> None:
    scenario = _tutorial({})
    result = solve(scenario, PARAMS)
    assert result.timetable is not None
    actual = _taught(result.timetable, "qt_1").pop()
    other = "gv_binh" if actual != "gv_binh" else "gv_an"
    assert check(scenario, result.timetable).ok
    pinned = _tutorial({"qt_1": other})
    report = check(pinned, result.timetable)
    assert not report.ok
    messages = [v.message for v in report.violations if v.rule == "lecturers"]
    assert messages and all(f"pinned to lecturer {other}" in m and f"lecturer {actual}" in m for m in messages)
    assert len(messages) == len([s for s in result.timetable.sessions_of("qt_co_quan") if s.module_id == "qt_1"])


def test_bad_pins_are_located() -> None:
    scenario = _tutorial({"qt_9": "gv_an", "qt_1": "nobody", "qt_2": "kc_cuong"})  # kc_cuong teaches dang: fine
    errors = {i.path.removeprefix("classes[4].pinned_lecturers."): i.message for i in validate(scenario)}
    assert set(errors) == {"qt_9", "qt_1"}, errors
    assert "qt_9" in errors["qt_9"] and "quan_triet" in errors["qt_9"] and "nobody" in errors["qt_1"]
    unable = _tutorial({"qt_1": "kc_dung"})  # kc_dung does not teach nghiquyet
    errors = {i.path: i.message for i in validate(unable) if i.severity.value == "error"}
    assert list(errors) == ["classes[4].pinned_lecturers.qt_1"] and "nghiquyet" in errors[list(errors)[0]]


# --- the Excel template ------------------------------------------------------------------------------


def _classes_column(path: Path) -> tuple[openpyxl.Workbook, int]:
    wb = openpyxl.load_workbook(path)
    headers = [column_field(c.value) for c in wb["classes"][1]]
    return wb, headers.index("pinned_lecturers") + 1


def test_lecturer_pins_survive_the_template_round_trip(tmp_path: Path) -> None:
    scenario = _tutorial({"qt_1": "kc_cuong", "qt_2": "gv_binh"})
    path = tmp_path / "plan.xlsx"
    previous = i18n.set_language("vi")
    try:
        write_template(path, scenario)
    finally:
        i18n.set_language(previous)
    wb, column = _classes_column(path)
    assert wb["classes"].cell(row=1, column=column).value == "Giảng viên cố định theo học phần (pinned_lecturers)"
    row = [c.value for c in wb["classes"]["A"]].index("qt_co_quan") + 1
    assert wb["classes"].cell(row=row, column=column).value == "qt_1: kc_cuong, qt_2: gv_binh"
    assert load_scenario_workbook(path).model_dump() == scenario.model_dump()


def test_a_bad_lecturer_pin_in_the_template_is_located(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    write_template(path, _tutorial({}))
    wb, column = _classes_column(path)
    row = [c.value for c in wb["classes"]["A"]].index("qt_co_quan") + 1
    wb["classes"].cell(row=row, column=column, value="qt_1 gv_an")  # no colon
    wb.save(path)
    with pytest.raises(ScenarioError) as caught:
        load_scenario_workbook(path)
    text = "\n".join(str(i) for i in caught.value.issues)
    assert f"Sheet 'classes', row {row}, column 'pinned_lecturers': expected 'module: lecturer' pairs" in text
    assert "got 'qt_1 gv_an'" in text
    wb["classes"].cell(row=row, column=column, value="qt_1: nobody")  # well formed, an unknown lecturer
    wb.save(path)
    issues = locate_issues(path, validate(load_scenario_workbook(path)))
    located = [i for i in issues if i.severity.value == "error"]
    assert [i.path for i in located] == [f"Sheet 'classes', row {row}, column 'pinned_lecturers'"], located
    assert "nobody" in located[0].message
