"""Papers a center prints and signs, read back: workbook print setup, the Word annex's table grid,
page-number fields and templates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm
from typer.testing import CliRunner

from llct_sched.cli import app
from llct_sched.reports import ANNEX, WORKBOOK, labels, write_reports
from llct_sched.reports.annex import ANNEX_COLUMNS
from llct_sched.scenario import Scenario
from llct_sched.scenario.loading import load_scenario
from llct_sched.solve import SolveParams, solve
from llct_sched.timetable import Timetable

VI = labels("vi")
runner = CliRunner()


@pytest.fixture(scope="module")
def hoang_mai(tmp_path_factory: pytest.TempPathFactory) -> tuple[Scenario, Timetable, Path]:
    """The default scenario, a timetable from a short solve, and its reports in Vietnamese."""
    scenario = load_scenario("hoang_mai_2020")
    result = solve(scenario, SolveParams(time_limit=5, workers=1, seed=0))
    assert result.timetable is not None, result.messages
    out = tmp_path_factory.mktemp("printable") / "out"
    (out.parent / "timetable.json").write_text(result.timetable.to_json(), encoding="utf-8")
    write_reports(out, scenario, result.timetable, result.summary() | {"scenario": scenario.name})
    return scenario, result.timetable, out


# --- timetable.xlsx ------------------------------------------------------------------------


def test_every_sheet_prints_a4_landscape_one_page_wide_with_page_numbers(hoang_mai) -> None:
    _, _, out = hoang_mai
    wb = openpyxl.load_workbook(out / WORKBOOK)
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert (setup.paperSize, setup.orientation) == (9, "landscape"), ws.title  # 9: A4
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.oddFooter.center.text == "Trang &P / &N", ws.title
        if not ws.title.startswith("TKB ") and ws.title != VI("sheet.targets"):  # tables under one header row
            assert ws.print_title_rows, ws.title
    plan = wb[VI("sheet.plan")]
    assert plan.print_title_rows == "$3:$3"
    assert [c.value for c in plan[3]][4:5] == [VI("col.audience")]
    assert VI("col.note") in [c.value for c in plan[3]]
    # fit to width at a readable scale: about 200 characters across an A4 landscape page
    widths = [plan.column_dimensions[c.column_letter].width for c in plan[3]]
    assert sum(widths) <= 220
    assert max(widths) <= 40


def test_a_class_of_several_months_counts_in_every_month_it_meets(hoang_mai) -> None:
    scenario, table, out = hoang_mai
    rows = list(openpyxl.load_workbook(out / WORKBOOK)[VI("sheet.plan")].iter_rows(min_row=4, values_only=True))
    listed: dict[int, set[str]] = {}
    heading: dict[int, str] = {}
    month = 0
    for row in rows:
        if isinstance(row[0], str) and row[0].startswith("Tháng "):
            month = int(row[0].split()[1].rstrip(":"))
            listed[month], heading[month] = set(), row[0]
        elif isinstance(row[0], int):
            listed[month].add(row[-1])
            # the month's meeting days and dates only
            days = {s.date for s in table.sessions_of(row[-1]) if s.date.month == month}
            assert row[7] == len(days), (row[-1], month)
            spans = [
                [dt.datetime.strptime(f"{d}/2020", "%d/%m/%Y").date() for d in part.split("–")]
                for part in row[6].split("; ")
            ]
            assert all(any(span[0] <= d <= span[-1] for span in spans) for d in days), (row[-1], month)
            assert all(any(span[0] <= d <= span[-1] for d in days) for span in spans), (row[-1], month)
    for m in range(1, 13):
        meeting = {s.class_id for s in table.sessions if s.date.month == m}
        assert listed[m] == meeting, m
        if meeting:
            learners = sum(table.class_learners[c] for c in meeting)
            assert heading[m] == f"Tháng {m}: {len(meeting)} lớp, {learners} học viên"
    trung_cap = {k.id for k in scenario.classes if k.program == "tc_llct_hc"}
    assert len({m for m in listed if trung_cap <= listed[m]}) >= 6  # January to December


def test_targets_sheet_lists_only_the_scenarios_targets_every_row_labelled(tmp_path: Path, hoang_mai) -> None:
    scenario, table, _ = hoang_mai
    plain = scenario.model_copy(deep=True)
    plain.quality.innovation_full_time = None
    plain.quality.innovation_part_time = None
    write_reports(tmp_path, plain, table, {})
    rows = list(openpyxl.load_workbook(tmp_path / WORKBOOK)[VI("sheet.targets")].iter_rows(values_only=True))
    assert all(row[0] not in (None, "") for row in rows if any(v not in (None, "") for v in row)), rows
    labels_ = [row[0] for row in rows]
    assert not [x for x in labels_ if isinstance(x, str) and "sáng kiến" in x]
    first_table = labels_[2 : labels_.index(VI("target.all_classes"))]
    assert first_table == [t.label for t in scenario.targets]
    # the plan's own inconsistency, in Vietnamese
    assert ("Hệ bồi dưỡng mở 39 lớp", "Chỉ tiêu ghi 39 lớp nhưng danh sách lớp có 45 lớp") in {r[:2] for r in rows}


# --- ke_hoach_chi_tiet.docx ------------------------------------------------------------------


def _twips(cm: float) -> int:
    return round(Cm(cm).twips)


def test_annex_has_a_fixed_grid_repeated_header_unsplit_rows_and_page_numbers(hoang_mai) -> None:
    _, _, out = hoang_mai
    document = docx.Document(str(out / ANNEX))
    texts = [p.text for p in document.paragraphs]
    assert "PHỤ LỤC" in texts
    assert "(Kèm theo Kế hoạch số 28-KH/TTCT ngày 06/01/2020)" in texts
    classes = document.tables[1]
    tbl = classes._tbl
    grid = [int(col.get(qn("w:w"))) for col in tbl.tblGrid.findall(qn("w:gridCol"))]
    assert grid == [_twips(w) for _, w in ANNEX_COLUMNS]
    assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert int(tbl.tblPr.find(qn("w:tblW")).get(qn("w:w"))) == sum(grid)
    assert classes.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    for row in classes.rows:
        assert row._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
    # the class name column is wider than TT in every row (cell widths follow the grid)
    for row in classes.rows[1:]:
        tcs = row._tr.tc_lst
        if len(tcs) == len(ANNEX_COLUMNS):
            assert (tcs[1].width or 0) > 4 * (tcs[0].width or 1)
    footer = document.sections[0].footer
    instructions = [e.text.strip() for e in footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.paragraphs[0].text.startswith("Trang ")
    assert "llct-sched" not in footer._element.xml
    assert document.core_properties.author != "llct-sched"


def _template(path: Path) -> None:
    doc = docx.Document()
    doc.add_paragraph("TRUNG TÂM CHÍNH TRỊ MẪU — {{committee}}")
    doc.add_paragraph("{{title}}")
    doc.add_paragraph("{{subtitle}}")
    doc.add_paragraph("{{table}}")
    doc.add_paragraph("Người ký: {{signer}}")
    doc.sections[0].footer.paragraphs[0].text = "Chân trang của trung tâm"
    doc.save(str(path))


def test_annex_from_the_centers_own_template(tmp_path: Path, hoang_mai) -> None:
    _, table, out = hoang_mai
    folder = tmp_path / "result"
    folder.mkdir()
    (folder / "timetable.json").write_text(table.to_json(), encoding="utf-8")
    (folder / "summary.json").write_text('{"scenario": "hoang_mai_2020"}', encoding="utf-8")
    template = tmp_path / "mau.docx"
    _template(template)
    result = runner.invoke(app, ["report", str(folder), "--annex-template", str(template)])
    assert result.exit_code == 0, result.output
    document = docx.Document(str(folder / ANNEX))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "TRUNG TÂM CHÍNH TRỊ MẪU — THỊ ỦY HOÀNG MAI"
    assert texts[1] == "KẾ HOẠCH ĐÀO TẠO, BỒI DƯỠNG CHI TIẾT CÁC LỚP NĂM 2020"
    assert texts[3] == "Người ký: Nguyễn Anh Văn"
    assert not [t for t in texts if "{{" in t]
    # the class table sits where {{table}} was, the center's footer is kept
    body = list(document.element.body)
    assert body[3].tag == qn("w:tbl")
    assert len(document.tables) == 1 and document.tables[0].rows[0].cells[0].text == VI("col.no")
    assert document.sections[0].footer.paragraphs[0].text == "Chân trang của trung tâm"


def test_a_template_that_is_not_a_word_document_is_bad_input(tmp_path: Path) -> None:
    template = tmp_path / "mau.docx"
    template.write_text("not a docx", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["solve", "tutorial", "--out", str(out), "--annex-template", str(template), "--quiet"])
    assert result.exit_code == 2, result.output
    assert "mau.docx" in result.output and "Traceback" not in result.output
    assert not out.exists()


# --- report.html ----------------------------------------------------------------------------


def _figure(page: str, div_id: str) -> dict:
    """The plotly figure (data and layout) of one chart of the page."""
    import json
    import re

    match = re.search(rf'Plotly\.newPlot\(\s*"{div_id}",\s*(\[.*?\]),\s*(\{{.*?\}}),\s*\{{"displaylogo"', page, re.S)
    assert match, div_id
    return {"data": json.loads(match.group(1)), "layout": json.loads(match.group(2))}


def test_report_gantt_is_labelled_shaded_and_prints(hoang_mai) -> None:
    scenario, table, out = hoang_mai
    page = (out / "report.html").read_text(encoding="utf-8")
    assert (out / "plotly.min.js").is_file() and len(page) < 1_000_000  # plotly.js not embedded
    gantt = _figure(page, "gantt")
    rows = {trace["y"][0] for trace in gantt["data"]}
    assert len(rows) == len({s.class_id for s in table.sessions})  # one labelled row per class
    assert "Lớp Trung cấp LLCT-HC K1 (2020)" in rows
    # every block of a class on its row; the room written at the end of the row
    rooms = {trace["text"][0] for trace in gantt["data"] if trace["text"][0]}
    assert rooms <= {r.name for r in scenario.rooms} and len(rooms) > 1
    # holidays, Tết and blackouts shaded behind the bars
    cal = scenario.calendar
    shapes = [s for s in gantt["layout"]["shapes"] if s["type"] == "rect"]
    assert len(shapes) == len(cal.holidays) + len(cal.blackouts)
    tet = next(h for h in cal.holidays if "Tết Nguyên đán" in h.name)
    assert any(s["x0"] == tet.start.isoformat() for s in shapes)
    assert "@media print" in page and ".modebar-container" in page and "size:A4 landscape" in page
    assert "Trạng thái</th><td>Tối ưu" in page or "Trạng thái</th><td>Khả thi" in page


# --- week grids (thời khóa biểu) ----------------------------------------------------------------


def _grid_blocks(ws, title_prefix: str) -> dict[str, list[tuple]]:
    """The rows of each entity's block on a week-grid sheet, by the block's title."""
    blocks: dict[str, list[tuple]] = {}
    current = None
    for row in ws.iter_rows(values_only=True):
        if isinstance(row[0], str) and row[0].startswith(title_prefix):
            current = blocks.setdefault(row[0][len(title_prefix) :], [])
        elif current is not None and any(v is not None for v in row):
            current.append(row)
    return blocks


def _cell_items(rows: list[tuple]) -> int:
    """Items in the period rows of a block (a cell holds one line per item)."""
    periods = {VI("period.morning"), VI("period.afternoon")}
    return sum(len(str(v).splitlines()) for row in rows if row[0] in periods for v in row[1:] if v)


def test_week_grids_per_lecturer_room_and_class(hoang_mai) -> None:
    scenario, table, out = hoang_mai
    wb = openpyxl.load_workbook(out / WORKBOOK)
    lecturers = _grid_blocks(wb[VI("sheet.grid_lecturers")], "Thời khóa biểu giảng viên: ")
    rooms = _grid_blocks(wb[VI("sheet.grid_rooms")], "Thời khóa biểu phòng: ")
    classes = _grid_blocks(wb[VI("sheet.grid_classes")], "Thời khóa biểu lớp: ")
    for lec in scenario.lecturers:
        taught = sum(s.lecturer_id == lec.id for s in table.sessions)
        visits = sum(o.observer_id == lec.id for o in table.observations)
        assert _cell_items(lecturers.get(lec.name, [])) == taught + visits, lec.id
        weeks = {s.date.isocalendar()[:2] for s in table.sessions if s.lecturer_id == lec.id}
        weeks |= {o.date.isocalendar()[:2] for o in table.observations if o.observer_id == lec.id}
        headings = [r[0] for r in lecturers.get(lec.name, []) if str(r[0]).startswith("Tuần ")]
        assert len(headings) == len(weeks), lec.id
    for room in scenario.rooms:
        assert _cell_items(rooms.get(room.name, [])) == sum(s.room_id == room.id for s in table.sessions)
    names = {k.id: k.name for k in scenario.classes}
    for cid in {s.class_id for s in table.sessions}:
        assert _cell_items(classes[names[cid]]) == len(table.sessions_of(cid)), cid
    # one session in its place: the weekday column of its date, the row of its period
    first = table.sorted().sessions[0]
    block = classes[names[first.class_id]]
    header = next(r for r in block if str(r[0]).startswith(f"Tuần {first.date.isocalendar()[1]} ("))
    column = header.index(f"{VI.weekday(first.date)} {first.date:%d/%m}")
    at = block.index(header) + 1 + scenario.calendar.periods.index(first.period)
    assert block[at][column]
    ws = wb[VI("sheet.grid_lecturers")]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert len(ws.row_breaks.brk) == len(lecturers) - 1  # a page per lecturer


def test_lecturer_week_grid_page(hoang_mai) -> None:
    scenario, table, out = hoang_mai
    lecturer = max(scenario.lecturers, key=lambda lec: sum(s.lecturer_id == lec.id for s in table.sessions))
    page = (out / "timetables" / f"lecturer_{lecturer.id}.html").read_text(encoding="utf-8")
    weeks = {s.date.isocalendar()[:2] for s in table.sessions if s.lecturer_id == lecturer.id}
    weeks |= {o.date.isocalendar()[:2] for o in table.observations if o.observer_id == lecturer.id}
    assert page.count("<table class='week'>") == len(weeks)
    busy = page.count("<td class='busy'>")
    slots = {(s.date, s.period) for s in table.sessions if s.lecturer_id == lecturer.id}
    slots |= {(o.date, o.period) for o in table.observations if o.observer_id == lecturer.id}
    assert busy == len(slots)
    assert "@media print" in page and "<script" not in page
    if (2020, 1) in weeks:  # New Year's Day is a holiday in the first week: named and shaded
        assert "Tết Dương lịch</span>" in page and "<td class='off'></td>" in page
    assert sorted(p.name for p in (out / "timetables").iterdir()) == sorted(
        f"lecturer_{lec.id}.html" for lec in scenario.lecturers
    )
