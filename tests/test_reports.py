"""Reports read back by real readers: openpyxl, python-docx, icalendar and headless Chromium.

Also the Excel scenario input: template -> load round-trips, and errors point at sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from llct_sched.cli import app
from llct_sched.errors import ScenarioError
from llct_sched.reports import ANNEX, REPORT, WORKBOOK, labels, write_reports
from llct_sched.scenario import Period, Scenario
from llct_sched.scenario.excel import column_field, load_scenario_workbook, write_template
from llct_sched.scenario.loading import load_scenario
from llct_sched.solve import SolveParams, solve
from llct_sched.timetable import Timetable, read_timetable
from render import CHROMIUM
from render import chromium as _chromium

runner = CliRunner()
VI = labels("vi")


@pytest.fixture(scope="module")
def tutorial_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`llct-sched solve tutorial` with the default language: every output in one folder."""
    out = tmp_path_factory.mktemp("tutorial") / "out"
    result = runner.invoke(app, ["solve", "tutorial", "--out", str(out), "--time-limit", "20", "--quiet"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def default_case(tmp_path_factory: pytest.TempPathFactory) -> tuple[Scenario, Timetable, Path]:
    """The default scenario, a feasible timetable (a short solve) and its reports in Vietnamese."""
    scenario = load_scenario("hoang_mai_2020")
    result = solve(scenario, SolveParams(time_limit=4, workers=2, seed=0))
    assert result.timetable is not None, result.messages
    out = tmp_path_factory.mktemp("default")
    summary = result.summary() | {"scenario": scenario.name}
    write_reports(out, scenario, result.timetable, summary, lang="vi")
    return scenario, result.timetable, out


def _rows(ws) -> list[tuple]:
    return [r for r in ws.iter_rows(values_only=True)]


# --- the solve command writes everything ------------------------------------------------


def test_solve_writes_every_report(tutorial_out: Path) -> None:
    for name in (WORKBOOK, ANNEX, REPORT, "timetable.json", "summary.json"):
        assert (tutorial_out / name).is_file(), name
    scenario = load_scenario("tutorial")
    calendars = sorted(p.name for p in (tutorial_out / "calendars").iterdir())
    expected = [f"lecturer_{lec.id}.ics" for lec in scenario.lecturers] + [f"room_{r.id}.ics" for r in scenario.rooms]
    assert calendars == sorted(expected)
    # no temporary files left behind
    assert not [p for p in tutorial_out.parent.rglob(".*")]


# --- Excel out ----------------------------------------------------------------------------


def test_workbook_sheets_headers_and_counts(tutorial_out: Path) -> None:
    scenario = load_scenario("tutorial")
    table = read_timetable(tutorial_out)
    wb = openpyxl.load_workbook(tutorial_out / WORKBOOK)
    expected_sheets = [
        VI(k)
        for k in (
            "sheet.plan",
            "sheet.classes",
            "sheet.sessions",
            "sheet.lecturers",
            "sheet.lecturer_sessions",
            "sheet.rooms",
            "sheet.room_sessions",
            "sheet.observations",
            "sheet.targets",
            "sheet.grid_lecturers",
            "sheet.grid_rooms",
            "sheet.grid_classes",
        )
    ]
    assert wb.sheetnames == expected_sheets
    scheduled = {s.class_id for s in table.sessions}

    classes = wb[VI("sheet.classes")]
    rows = _rows(classes)
    assert rows[0][:3] == (VI("col.class_id"), VI("col.class"), VI("col.program_type"))
    assert len(rows) - 1 == len(scheduled)
    assert {r[0] for r in rows[1:]} == scheduled
    assert classes.freeze_panes == "A2" and classes.auto_filter.ref.startswith("A1:")
    start = classes.cell(row=2, column=7)
    assert isinstance(start.value, dt.datetime) and start.number_format == "dd/mm/yyyy"
    assert classes.column_dimensions["B"].width > 10

    sessions = _rows(wb[VI("sheet.sessions")])
    assert sessions[0][0] == VI("col.date") and len(sessions) - 1 == len(table.sessions)
    assert len(_rows(wb[VI("sheet.room_sessions")])) - 1 == len(table.sessions)
    observations = _rows(wb[VI("sheet.observations")])
    assert len(observations) - 1 == len(table.observations) > 0

    taught = Counter(s.lecturer_id for s in table.sessions if s.lecturer_id)
    lecturers = _rows(wb[VI("sheet.lecturers")])
    header = lecturers[0]
    total_col = header.index(VI("total"))
    months = header[3:total_col]
    cal = scenario.calendar
    n_months = (cal.end.year - cal.start.year) * 12 + cal.end.month - cal.start.month + 1
    assert months[0] == f"Tháng {cal.start.month}" and len(months) == n_months
    for row in lecturers[1:]:
        assert sum(row[3:total_col]) == row[total_col] == taught[row[0]]
    agenda = _rows(wb[VI("sheet.lecturer_sessions")])
    assert len(agenda) - 1 == sum(taught.values()) + len(table.observations)

    plan = wb[VI("sheet.plan")]
    plan_rows = _rows(plan)
    assert plan_rows[0][0] == "KẾ HOẠCH ĐÀO TẠO, BỒI DƯỠNG CHI TIẾT CÁC LỚP NĂM 2020"
    numbered = {r[0] for r in plan_rows[3:] if isinstance(r[0], int)}  # a class of several months: in each
    assert numbered == set(range(1, len(scheduled) + 1))
    assert sum(1 for r in plan_rows if isinstance(r[0], str) and r[0].startswith("Tháng ")) == n_months
    assert plan.freeze_panes == "A4" and plan.auto_filter.ref.startswith("A3:")
    rooms = _rows(wb[VI("sheet.rooms")])
    assert len(rooms) - 1 == len(scenario.rooms)


def test_workbook_plan_against_targets(default_case) -> None:
    scenario, table, out = default_case
    wb = openpyxl.load_workbook(out / WORKBOOK)
    rows = _rows(wb[VI("sheet.targets")])
    by_label: dict = {}
    for r in rows:  # the first row of each label (the inconsistencies below name targets again)
        if r[0]:
            by_label.setdefault(r[0], r)
    # the plan's own text says 39 bồi dưỡng classes; the class list has 45, all scheduled
    assert by_label["Hệ bồi dưỡng mở 39 lớp"][3:6] == (39, 45, 45)
    assert by_label["Khối Đảng 30 lớp 3342 học viên"][3:] == (30, 30, 30, 3342, 3342, 3342)
    assert by_label[VI("target.all_classes")][4:6] == (48, 48)
    # innovation reports from the lecturers' records: 4 of 4 full-time, 8 of 15 part-time
    full = by_label[VI("target.innovation_full_time", share=100)]
    part = by_label[VI("target.innovation_part_time", share=50)]
    assert full[2:4] == (4, 4) and full[5] == VI("target.met")
    assert part[2:4] == (8, 15) and part[5] == VI("target.met")
    # observation coverage and the validator's target warning
    assert any(r[0] == VI("lecturer_kind.part_time") and r[2] == 15 for r in rows)
    assert ("Hệ bồi dưỡng mở 39 lớp", "Chỉ tiêu ghi 39 lớp nhưng danh sách lớp có 45 lớp") in {r[:2] for r in rows}


def test_workbook_in_english(tmp_path: Path, tutorial_out: Path) -> None:
    scenario = load_scenario("tutorial")
    table = read_timetable(tutorial_out)
    write_reports(tmp_path, scenario, table, {}, lang="en")
    wb = openpyxl.load_workbook(tmp_path / WORKBOOK)
    assert wb.sheetnames[:3] == ["Detailed plan", "Classes", "Sessions"]
    ws = wb["Classes"]
    assert ws.cell(row=1, column=1).value == "Class id"
    assert ws.cell(row=2, column=7).number_format == "yyyy-mm-dd"


# --- the printable annex ----------------------------------------------------------------


def test_annex_docx(default_case) -> None:
    import docx

    scenario, table, out = default_case
    document = docx.Document(str(out / ANNEX))
    header, classes, _signature = document.tables
    left, right = (cell.text for cell in header.rows[0].cells)
    assert left.splitlines()[:2] == ["THỊ ỦY HOÀNG MAI", "TRUNG TÂM CHÍNH TRỊ"]
    assert "Số 28-KH/TTCT" in left
    assert right.splitlines()[0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert "Hoàng Mai, ngày 06 tháng 01 năm 2020" in right
    texts = [p.text for p in document.paragraphs]
    assert "KẾ HOẠCH ĐÀO TẠO, BỒI DƯỠNG CHI TIẾT CÁC LỚP NĂM 2020" in texts
    scheduled = {s.class_id for s in table.sessions}
    # header + 12 month rows + one row per class and month it meets + the total row
    months = sum(len({s.date.month for s in table.sessions_of(cid)}) for cid in scheduled)
    assert len(classes.rows) == 1 + 12 + months + 1
    numbers = {r.cells[0].text for r in classes.rows if r.cells[0].text.isdigit()}
    assert numbers == {str(i) for i in range(1, len(scheduled) + 1)}
    assert "Nguyễn Anh Văn" in _signature.rows[0].cells[1].text


# --- calendars -----------------------------------------------------------------------------


def test_calendars_parse_back(tutorial_out: Path) -> None:
    from icalendar import Calendar

    scenario = load_scenario("tutorial")
    table = read_timetable(tutorial_out)
    hours = scenario.calendar.hours
    folder = tutorial_out / "calendars"
    for lec in scenario.lecturers:
        cal = Calendar.from_ical((folder / f"lecturer_{lec.id}.ics").read_bytes())
        assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
        events = cal.walk("VEVENT")
        taught = [s for s in table.sessions if s.lecturer_id == lec.id]
        observing = [o for o in table.observations if o.observer_id == lec.id]
        assert len(events) == len(taught) + len(observing)
        for event in events:
            start, end = event.decoded("DTSTART"), event.decoded("DTEND")
            assert str(start.tzinfo) == "Asia/Ho_Chi_Minh" and start.utcoffset() == dt.timedelta(hours=7)
            assert (start.time(), end.time()) in {
                (hours.morning_start, hours.morning_end),
                (hours.afternoon_start, hours.afternoon_end),
            }
        # a visit received is marked on the observed session
        received = [o for o in table.observations if o.lecturer_id == lec.id]
        assert sum("dự giờ" in str(e["SUMMARY"]).lower() for e in events) == len(received) + len(observing)
    for room in scenario.rooms:
        cal = Calendar.from_ical((folder / f"room_{room.id}.ics").read_bytes())
        events = cal.walk("VEVENT")
        held = [s for s in table.sessions if s.room_id == room.id]
        assert len(events) == len(held)
        mornings = sum(1 for s in held if s.period == Period.morning)
        assert sum(1 for e in events if e.decoded("DTSTART").time() == hours.morning_start) == mornings
        assert len({str(e["UID"]) for e in events}) == len(events)


# --- HTML in headless Chromium ----------------------------------------------------------


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary found (apt-get install chromium)")
def test_html_report_renders_in_chromium(tmp_path: Path, tutorial_out: Path) -> None:
    page = (tutorial_out / REPORT).resolve()
    text = page.read_text(encoding="utf-8")
    assert "<script src='plotly.min.js'>" in text  # plotly.js once, beside the report
    assert (tutorial_out / "plotly.min.js").stat().st_size > 1_000_000 > page.stat().st_size
    assert "Kết quả giải" in text and "Tối ưu" in text

    dom = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert dom.stdout.count('class="plot-container plotly"') == 5
    assert dom.stdout.count('class="main-svg"') >= 5
    console = [line for line in dom.stderr.splitlines() if ":CONSOLE" in line]
    errors = [line for line in console if "Uncaught" in line or "rror" in line]
    assert not errors, errors

    shot = tmp_path / "shot.png"
    run = _chromium(tmp_path, "--window-size=1280,2400", f"--screenshot={shot}", page.as_uri())
    assert shot.is_file(), run.stderr[-2000:]
    from PIL import Image

    with Image.open(shot) as image:
        rgb = image.convert("RGB")
        colours = rgb.getcolors(maxcolors=1_000_000)
        assert colours is not None
        assert len(colours) > 200, f"only {len(colours)} colours: a blank page?"
        most = max(count for count, _ in colours)
        assert most < 0.97 * rgb.width * rgb.height


# --- Excel in -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["hoang_mai_2020", "tutorial"])
def test_template_round_trips(tmp_path: Path, name: str) -> None:
    scenario = load_scenario(name)
    path = tmp_path / "scenario.xlsx"
    write_template(path, scenario)
    back = load_scenario(path)  # io dispatches .xlsx to the workbook reader
    assert back.model_dump() == scenario.model_dump()


def test_template_command_and_validate(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    result = runner.invoke(app, ["template", "-o", str(path)])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(path)
    assert {"scenario", "calendar", "rooms", "lecturers", "programs", "modules", "classes"} <= set(wb.sheetnames)
    assert [column_field(c.value) for c in wb["rooms"][1]] == ["id", "name", "seats", "kind"]
    assert wb["rooms"]["C1"].value == "Số chỗ (seats)"  # the command speaks Vietnamese
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    bad = runner.invoke(app, ["template", "-o", str(tmp_path / "plan.yaml")])
    assert bad.exit_code == 2 and not (tmp_path / "plan.yaml").exists()


def _broken(tmp_path: Path, edit) -> Path:
    path = tmp_path / "plan.xlsx"
    write_template(path, load_scenario("hoang_mai_2020"))
    wb = openpyxl.load_workbook(path)
    edit(wb)
    wb.save(path)
    return path


def _column(ws, name: str) -> int:
    return [column_field(c.value) for c in ws[1]].index(name) + 1


def test_excel_errors_name_sheet_row_and_column(tmp_path: Path) -> None:
    def edit(wb) -> None:
        wb["rooms"].cell(row=3, column=_column(wb["rooms"], "seats"), value="many")
        lecturers = wb["lecturers"]
        lecturers.cell(row=4, column=_column(lecturers, "can_observe"), value="maybe")
        classes = wb["classes"]
        classes.cell(row=5, column=_column(classes, "earliest_start"), value="31/02/2020")
        wb["modules"].cell(row=3, column=1, value="no_such_program")
        wb["holidays"].cell(row=3, column=2, value=dt.date(2019, 1, 1))
        wb.create_sheet("notes")

    path = _broken(tmp_path, edit)
    with pytest.raises(ScenarioError) as caught:
        load_scenario_workbook(path)
    messages = [str(i) for i in caught.value.issues]
    text = "\n".join(messages)
    assert all(i.file == str(path) for i in caught.value.issues)
    assert "Sheet 'notes': unknown sheet" in text
    assert "Sheet 'lecturers', row 4, column 'can_observe': expected yes or no" in text
    assert "Sheet 'classes', row 5, column 'earliest_start': '31/02/2020' is not a valid date" in text
    assert "Sheet 'modules', row 3, column 'program': unknown program 'no_such_program'" in text

    # once the reader's own problems are fixed, the model's are located too
    def edit2(wb) -> None:
        wb["rooms"].cell(row=3, column=_column(wb["rooms"], "seats"), value="many")
        wb["holidays"].cell(row=3, column=2, value=dt.date(2019, 1, 1))
        wb["calendar"]["B2"] = "soon"

    path = _broken(tmp_path, edit2)
    with pytest.raises(ScenarioError) as caught:
        load_scenario_workbook(path)
    text = "\n".join(str(i) for i in caught.value.issues)
    assert re.search(r"Sheet 'rooms', row 3, column 'seats': .*whole number", text), text
    assert "Sheet 'holidays', row 3: " in text and "before start" in text
    assert "Sheet 'calendar', row 2, column 'value' (start): " in text


def test_cli_locates_semantic_errors_in_workbook(tmp_path: Path) -> None:
    def edit(wb) -> None:
        wb["classes"].cell(row=12, column=_column(wb["classes"], "program"), value="BD9")

    path = _broken(tmp_path, edit)
    out = tmp_path / "out"
    result = runner.invoke(app, ["--lang", "en", "solve", str(path), "--out", str(out), "--quiet"])
    assert result.exit_code == 2
    flat = " ".join(result.output.split())
    assert "Sheet 'classes', row 12, column 'program'" in flat and "unknown program 'BD9'" in flat
    assert "Traceback" not in result.output
    assert not out.exists()


# --- report command and atomic writes ---------------------------------------------------


def test_report_command(tmp_path: Path, tutorial_out: Path) -> None:
    folder = tmp_path / "result"
    shutil.copytree(tutorial_out, folder)
    for name in (WORKBOOK, ANNEX, REPORT):
        (folder / name).unlink()
    result = runner.invoke(app, ["report", str(folder), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(folder / WORKBOOK).sheetnames[0] == "Detailed plan"
    assert (folder / ANNEX).is_file() and (folder / REPORT).is_file()

    # bad input: exit 2, nothing written
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["report", str(empty)])
    assert result.exit_code == 2 and "timetable.json" in result.output and "Traceback" not in result.output
    assert list(empty.iterdir()) == []
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    (folder / "summary.json").write_text(json.dumps(summary | {"scenario": "elsewhere"}), encoding="utf-8")
    (folder / WORKBOOK).unlink()
    result = runner.invoke(app, ["report", str(folder)])
    assert result.exit_code == 2 and "--scenario" in " ".join(result.output.split())
    assert not (folder / WORKBOOK).exists()
    result = runner.invoke(app, ["report", str(folder), "--scenario", "tutorial"])
    assert result.exit_code == 0 and (folder / WORKBOOK).exists()


def test_failed_report_leaves_previous_outputs(tmp_path: Path, tutorial_out: Path, monkeypatch) -> None:
    from llct_sched import reports
    from llct_sched.reports import outputs

    scenario = load_scenario("tutorial")
    table = read_timetable(tutorial_out)
    out = tmp_path / "out"
    outputs.write_outputs(out, scenario, table, {"status": "OLD"}, lang=None)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(reports, "write_reports", boom)
    with pytest.raises(RuntimeError):
        outputs.write_outputs(out, scenario, table, {"status": "NEW"}, lang="vi")
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_bad_lang_is_bad_input(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["solve", "tutorial", "--out", str(out), "--lang", "fr"])
    assert result.exit_code == 2 and not out.exists()


def test_report_again_drops_calendars_of_lecturers_the_scenario_no_longer_has(tmp_path: Path) -> None:
    scenario = load_scenario("tutorial")
    result = solve(scenario, SolveParams(time_limit=10, workers=2, seed=0))
    assert result.timetable is not None
    write_reports(tmp_path, scenario, result.timetable, {}, lang="vi")
    folder = tmp_path / "calendars"
    stale = folder / "lecturer_GONE.ics"
    stale.write_bytes((folder / f"lecturer_{scenario.lecturers[0].id}.ics").read_bytes())
    mine = folder / "notes.txt"
    mine.write_text("the planner's own file", encoding="utf-8")
    write_reports(tmp_path, scenario, result.timetable, {}, lang="vi")
    assert not stale.exists() and mine.exists()
    expected = {f"lecturer_{lec.id}.ics" for lec in scenario.lecturers} | {f"room_{r.id}.ics" for r in scenario.rooms}
    assert {p.name for p in folder.glob("*.ics")} == expected
