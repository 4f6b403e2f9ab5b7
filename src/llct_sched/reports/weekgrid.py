"""Week-grid timetables (thời khóa biểu): weekday x session, one grid per ISO week, per lecturer,
room or class; in the workbook (one sheet per kind, a block per entity) and one printable HTML page
per lecturer (`timetables/lecturer_<id>.html`).
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from llct_sched.files import file_name, write_text_atomic
from llct_sched.reports.data import ReportData
from llct_sched.reports.labels import Labels

TIMETABLES = "timetables"  # the folder of the per-lecturer pages

Item = tuple[dt.date, str, str]  # (day, period, what happens)


@dataclass
class WeekGrid:
    """One ISO week of one entity: the text of each (day, period) cell."""

    year: int
    week: int
    monday: dt.date
    cells: dict[tuple[dt.date, str], list[str]] = field(default_factory=dict)


def lecturer_items(data: ReportData, lab: Labels, lecturer_id: str) -> list[Item]:
    """What a lecturer does: the sessions they teach and the visits they make."""
    items = []
    for s in data.sessions_by_lecturer.get(lecturer_id, []):
        what = f"{data.class_name(s.class_id)} — {data.module_name(s.class_id, s.module_id)}"
        items.append((s.date, s.period, f"{what} ({data.room_name(s.room_id)})"))
    for o in data.timetable.observations:
        if o.observer_id == lecturer_id:
            text = lab("grid.observe", lecturer=data.lecturer_name(o.lecturer_id), klass=data.class_name(o.class_id))
            items.append((o.date, o.period, text))
    return items


def room_items(data: ReportData, lab: Labels, room_id: str) -> list[Item]:
    return [
        (s.date, s.period, f"{data.class_name(s.class_id)} — {data.lecturer_name(s.lecturer_id) or '…'}")
        for s in data.sessions_by_room.get(room_id, [])
    ]


def class_items(data: ReportData, lab: Labels, class_id: str) -> list[Item]:
    row = next((r for r in data.classes if r.spec.id == class_id), None)
    sessions = row.sessions if row else []
    return [
        (
            s.date,
            s.period,
            f"{data.module_name(s.class_id, s.module_id)} — "
            f"{data.lecturer_name(s.lecturer_id) or lab('taught_by.external')} ({data.room_name(s.room_id)})",
        )
        for s in sessions
    ]


def week_grids(items: list[Item]) -> list[WeekGrid]:
    """The weeks with at least one item, in order."""
    weeks: dict[tuple[int, int], WeekGrid] = {}
    for day, period, text in sorted(items):
        year, week, weekday = day.isocalendar()
        grid = weeks.get((year, week))
        if grid is None:
            grid = weeks[(year, week)] = WeekGrid(year, week, day - dt.timedelta(days=weekday - 1))
        grid.cells.setdefault((day, period), []).append(text)
    return [weeks[key] for key in sorted(weeks)]


def shown_weekdays(data: ReportData) -> list[int]:
    """The weekday columns (0 = Monday): the working weekdays and any day something happens."""
    days = {w.number for w in data.scenario.calendar.working_weekdays}
    days |= {s.date.weekday() for s in data.timetable.sessions}
    days |= {o.date.weekday() for o in data.timetable.observations}
    return sorted(days)


def days_off(data: ReportData) -> dict[dt.date, str]:
    """Holidays and full blackouts of the plan year, by day, with their names."""
    cal = data.scenario.calendar
    off: dict[dt.date, str] = {}
    for first, last, name in [(h.start, h.end or h.start, h.name or h.reason) for h in cal.holidays] + [
        (b.start, b.end, b.name or b.id) for b in cal.blackouts if b.max_gathering is None
    ]:
        day = first
        while day <= last:
            off.setdefault(day, name)
            day += dt.timedelta(days=1)
    return off


def periods(data: ReportData) -> list[str]:
    return list(data.scenario.calendar.periods)


def week_title(grid: WeekGrid, lab: Labels, weekdays: list[int]) -> str:
    first = grid.monday + dt.timedelta(days=weekdays[0])
    last = grid.monday + dt.timedelta(days=weekdays[-1])
    return lab("grid.week", n=grid.week, first=lab.short_date(first), last=lab.short_date(last))


def _day_header(day: dt.date, lab: Labels) -> str:
    return f"{lab.weekday(day)} {lab.short_date(day)}"


# --- the workbook -----------------------------------------------------------------------------

GRID_SHEETS = (  # (sheet label, block title label)
    ("sheet.grid_lecturers", "grid.title_lecturer"),
    ("sheet.grid_rooms", "grid.title_room"),
    ("sheet.grid_classes", "grid.title_class"),
)


def _entities(data: ReportData, kind: str) -> list[tuple[str, str]]:
    """(id, display name) of every lecturer, room or scheduled class, for the sheet `kind`."""
    if kind == "sheet.grid_lecturers":
        return [(lec.id, data.lecturer_name(lec.id)) for lec in data.scenario.lecturers]
    if kind == "sheet.grid_rooms":
        return [(room.id, data.room_name(room.id)) for room in data.scenario.rooms]
    return [(row.spec.id, row.spec.name or row.spec.id) for row in data.classes]


def _items(data: ReportData, lab: Labels, kind: str, entity_id: str) -> list[Item]:
    if kind == "sheet.grid_lecturers":
        return lecturer_items(data, lab, entity_id)
    if kind == "sheet.grid_rooms":
        return room_items(data, lab, entity_id)
    return class_items(data, lab, entity_id)


def fill_grid_sheet(ws: Worksheet, data: ReportData, lab: Labels, kind: str, title_key: str) -> None:
    """One block per entity (a page each when printed): its title, then one grid per week it has."""
    weekdays = shown_weekdays(data)
    day_periods = periods(data)
    wrap = Alignment(wrap_text=True, vertical="top")
    row = 1
    for entity_id, name in _entities(data, kind):
        grids = week_grids(_items(data, lab, kind, entity_id))
        if not grids:
            continue
        if row > 1:
            ws.row_breaks.append(Break(id=row - 1))
        ws.cell(row=row, column=1, value=lab(title_key, name=name)).font = Font(bold=True, size=13)
        row += 1
        for grid in grids:
            ws.cell(row=row, column=1, value=week_title(grid, lab, weekdays)).font = Font(bold=True)
            for c, weekday in enumerate(weekdays, start=2):
                day = grid.monday + dt.timedelta(days=weekday)
                cell = ws.cell(row=row, column=c, value=_day_header(day, lab))
                cell.font = Font(bold=True)
            row += 1
            for period in day_periods:
                ws.cell(row=row, column=1, value=lab.enum("period", period)).font = Font(bold=True)
                for c, weekday in enumerate(weekdays, start=2):
                    texts = grid.cells.get((grid.monday + dt.timedelta(days=weekday), period))
                    if texts:
                        cell = ws.cell(row=row, column=c, value="\n".join(texts))
                        cell.alignment = wrap
                row += 1
            row += 1
    ws.column_dimensions["A"].width = 22
    for c in range(2, len(weekdays) + 2):
        ws.column_dimensions[get_column_letter(c)].width = 30


# --- the printable page per lecturer -------------------------------------------------------------

PAGE_CSS = """
body{font-family:'Times New Roman',Times,serif;margin:16px;color:#000}
h1{font-size:18px;margin:0 0 4px 0} p.sub{margin:0 0 10px 0;font-style:italic}
table{border-collapse:collapse;width:100%;margin:0 0 12px 0;table-layout:fixed}
table.week{break-inside:avoid;page-break-inside:avoid}
th,td{border:1px solid #444;padding:3px 5px;vertical-align:top;font-size:12px}
th{background:#e8eef7} td.period{font-weight:bold;background:#f6f6f6}
td.busy{background:#fdf2e9} caption{text-align:left;font-weight:bold;padding:2px 0}
col.period{width:70px} td.off{background:#e0e0e0} span.off{font-weight:normal;font-style:italic;font-size:11px}
@media print{@page{size:A4 landscape;margin:10mm} body{margin:0}}
"""


def lecturer_page(data: ReportData, lab: Labels, lecturer_id: str) -> str:
    """A printable HTML page: the lecturer's week grids of the year (no script, every text escaped)."""
    weekdays = shown_weekdays(data)
    name = data.lecturer_name(lecturer_id)
    title = lab("grid.title_lecturer", name=name)
    parts = [
        "<!DOCTYPE html>",
        f"<html lang='{lab.lang}'><head><meta charset='utf-8'><title>{html.escape(title)}</title>",
        f"<style>{PAGE_CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p class='sub'>{html.escape(data.scenario.title or data.scenario.name)}</p>",
    ]
    grids = week_grids(lecturer_items(data, lab, lecturer_id))
    if not grids:
        parts.append(f"<p>{html.escape(lab('grid.nothing'))}</p>")
    off = days_off(data)
    for grid in grids:
        days = [grid.monday + dt.timedelta(days=w) for w in weekdays]
        head = "".join(
            f"<th>{html.escape(_day_header(d, lab))}"
            + (f"<br><span class='off'>{html.escape(off[d])}</span>" if d in off else "")
            + "</th>"
            for d in days
        )
        body = []
        for period in periods(data):
            cells = []
            for day in days:
                texts = grid.cells.get((day, period), [])
                inner = "<br>".join(html.escape(t) for t in texts)
                empty = "<td class='off'></td>" if day in off else "<td></td>"
                cells.append(f"<td class='busy'>{inner}</td>" if texts else empty)
            body.append(f"<tr><td class='period'>{html.escape(lab.enum('period', period))}</td>{''.join(cells)}</tr>")
        parts.append(
            f"<table class='week'><caption>{html.escape(week_title(grid, lab, weekdays))}</caption>"
            f"<colgroup><col class='period'>{'<col>' * len(days)}</colgroup>"
            f"<tr><th></th>{head}</tr>{''.join(body)}</table>"
        )
    parts.append("</body></html>")
    return "\n".join(parts)


def write_lecturer_pages(folder: Path, data: ReportData, lab: Labels) -> list[Path]:
    """timetables/lecturer_<id>.html for every lecturer of the scenario."""
    written = []
    for lec in data.scenario.lecturers:
        path = Path(folder) / file_name("lecturer_", lec.id, ".html")
        write_text_atomic(path, lecturer_page(data, lab, lec.id))
        written.append(path)
    return written
