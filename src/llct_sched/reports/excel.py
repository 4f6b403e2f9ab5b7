"""timetable.xlsx: the year by month (the annex), one sheet per view, and the plan against its targets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from llct_sched.files import save_workbook
from llct_sched.reports.data import ClassRow, ReportData, TargetRow
from llct_sched.reports.labels import Labels
from llct_sched.reports.weekgrid import GRID_SHEETS, fill_grid_sheet

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
MONTH_FILL = PatternFill("solid", fgColor="FCE4D6")
SECTION_FONT = Font(bold=True, size=12)
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")


def _text_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def _table(
    ws: Worksheet,
    header_row: int,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    lab: Labels,
    *,
    filters: bool = True,
    freeze: bool = True,
    max_width: int = 50,
) -> int:
    """Write a header and rows from `header_row`; date cells get the language's format. Returns the next free row."""
    for c, title in enumerate(headers, start=1):
        cell = ws.cell(row=header_row, column=c, value=title)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for r, values in enumerate(rows, start=header_row + 1):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.border = BORDER
            if isinstance(value, dt.date):
                cell.number_format = lab.date_format
            elif isinstance(value, float):
                cell.number_format = "0.0%" if 0 <= value <= 1.5 else "0.00"
            elif isinstance(value, str) and len(value) > max_width:
                cell.alignment = WRAP
    last_row = header_row + len(rows)
    for c, title in enumerate(headers, start=1):
        letter = get_column_letter(c)
        width = max([_text_width(title) // 2 + 2] + [_text_width(row[c - 1]) for row in rows if len(row) >= c])
        current = ws.column_dimensions[letter].width or 0
        ws.column_dimensions[letter].width = max(current, min(max_width, width + 2), 8)
    if filters and headers:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headers))}{max(last_row, header_row)}"
    if freeze:
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    return last_row + 1


def _title(ws: Worksheet, text: str, width: int) -> None:
    ws.cell(row=1, column=1, value=text).font = Font(bold=True, size=13)
    if width > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 22


PLAN_WIDTHS = (5, 34, 14, 13, 28, 8, 24, 7, 14, 30, 20, 12)  # the annex sheet prints one A4 page wide


def _plan_note(row: ClassRow, month: int, data: ReportData, lab: Labels) -> str:
    """Ghi chú: the months of a class of several months, and who teaches it when not the center."""
    notes = []
    if len(row.months) > 1:
        if month == row.months[0]:
            notes.append(lab("note.months", first=row.months[0], last=row.months[-1], days=row.days))
        else:
            notes.append(lab("note.continued", date=lab.date(row.start)))
    if not row.lecturers:
        notes.append(lab("taught_by.external"))
    return "; ".join(notes)


def _plan_sheet(ws: Worksheet, data: ReportData, lab: Labels) -> None:
    headers = [
        lab("col.no"),
        lab("col.class"),
        lab("col.program_type"),
        lab("col.bloc"),
        lab("col.audience"),
        lab("col.learners"),
        lab("col.dates"),
        lab("col.days"),
        lab("col.room"),
        lab("col.lecturers"),
        lab("col.note"),
        lab("col.class_id"),
    ]
    _title(ws, lab("title.annex", year=data.year), len(headers))
    by_month = data.classes_by_month()
    number = data.class_number()
    rows: list[list[Any]] = []
    month_rows: list[int] = []
    for month in data.months:
        month_rows.append(len(rows))
        classes = by_month.get(month, [])
        learners = sum(row.learners for row in classes)
        heading = (
            lab("month_heading", n=month, classes=len(classes), learners=learners)
            if classes
            else f"{lab.month(month)}: {lab('no_class_this_month')}"
        )
        rows.append([heading] + [None] * (len(headers) - 1))
        for row in classes:
            rows.append(
                [
                    number[row.spec.id],
                    row.spec.name or row.spec.id,
                    lab.enum("program_type", row.program.type),
                    lab.enum("bloc", row.spec.bloc),
                    data.audience(row) or lab.enum("bloc", row.spec.bloc),
                    row.learners,
                    row.blocks_text(lab.short_date, month),
                    row.days_in(month),
                    ", ".join(data.room_name(r) for r in row.rooms),
                    ", ".join(data.lecturer_name(i) for i in row.lecturers) or lab("taught_by.external"),
                    _plan_note(row, month, data, lab),
                    row.spec.id,
                ]
            )
    header_row = 3
    _table(ws, header_row, headers, rows, lab)
    for c, width in enumerate(PLAN_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    for values in ws.iter_rows(min_row=header_row + 1, max_row=header_row + len(rows)):
        for cell in values:
            cell.alignment = WRAP
    for index in month_rows:
        r = header_row + 1 + index
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(headers))
        cell = ws.cell(row=r, column=1)
        cell.font = Font(bold=True)
        cell.fill = MONTH_FILL
    total_row = header_row + len(rows) + 1
    learners = sum(row.learners for row in data.classes)
    label = lab("annex.total_row", classes=len(data.classes), learners=learners)
    ws.cell(row=total_row, column=2, value=label).font = Font(bold=True)
    ws.cell(row=total_row, column=6, value=learners).font = Font(bold=True)


def _classes_sheet(ws: Worksheet, data: ReportData, lab: Labels) -> None:
    headers = [
        lab("col.class_id"),
        lab("col.class"),
        lab("col.program_type"),
        lab("col.program"),
        lab("col.bloc"),
        lab("col.learners"),
        lab("col.start"),
        lab("col.end"),
        lab("col.days"),
        lab("col.sessions"),
        lab("col.rooms"),
        lab("col.lecturers"),
    ]
    rows = [
        [
            row.spec.id,
            row.spec.name,
            lab.enum("program_type", row.program.type),
            row.program.name or row.program.id,
            lab.enum("bloc", row.spec.bloc),
            row.learners,
            row.start,
            row.end,
            row.days,
            len(row.sessions),
            ", ".join(data.room_name(r) for r in row.rooms),
            ", ".join(data.lecturer_name(i) for i in row.lecturers),
        ]
        for row in data.classes
    ]
    _table(ws, 1, headers, rows, lab)


def _sessions_sheet(ws: Worksheet, data: ReportData, lab: Labels) -> None:
    headers = [
        lab("col.date"),
        lab("col.weekday"),
        lab("col.period"),
        lab("col.class_id"),
        lab("col.class"),
        lab("col.module"),
        lab("col.room"),
        lab("col.lecturer"),
        lab("col.learners"),
    ]
    rows = []
    for row in data.classes:
        for s in row.sessions:
            rows.append(
                [
                    s.date,
                    lab.weekday(s.date),
                    lab.enum("period", s.period),
                    s.class_id,
                    row.spec.name,
                    data.module_name(s.class_id, s.module_id),
                    data.room_name(s.room_id),
                    data.lecturer_name(s.lecturer_id),
                    row.learners,
                ]
            )
    rows.sort(key=lambda r: (r[0], r[2] != lab.enum("period", "morning"), r[3]))
    _table(ws, 1, headers, rows, lab)


def _lecturers_sheet(ws: Worksheet, data: ReportData, lab: Labels) -> None:
    months = data.months
    headers = (
        [lab("col.lecturer_id"), lab("col.lecturer"), lab("col.kind")]
        + [lab.month(m) for m in months]
        + [
            lab("total"),
            lab("col.norm"),
            lab("col.norm_max"),
            lab("col.min_sessions"),
            lab("col.specialist_topics"),
            lab("col.specialist_sessions"),
            lab("html.received"),
            lab("col.observer"),
            lab("col.innovation"),
        ]
    )
    rows: list[list[Any]] = []
    for lec in data.scenario.lecturers:
        load = data.load.get(lec.id)
        monthly: list[Any] = [load[m] if load else 0 for m in months]
        rows.append(
            [lec.id, lec.name, lab.enum("lecturer_kind", lec.kind)]
            + monthly
            + [
                sum(monthly),
                lec.norm_sessions_per_year,
                lec.norm_max_sessions_per_year,
                lec.min_sessions_per_year,
                ", ".join(lec.specialist_topics),
                data.specialist_sessions[lec.id] if lec.specialist_topics else None,
                data.visits_received[lec.id],
                data.visits_made[lec.id],
                lab("yes") if lec.innovation_report else lab("no"),
            ]
        )
    _table(ws, 1, headers, rows, lab)
    ws.freeze_panes = "C2"


def _lecturer_sessions_sheet(ws: Worksheet, data: ReportData, lab: Labels) -> None:
    headers = [
        lab("col.lecturer_id"),
        lab("col.lecturer"),
        lab("col.date"),
        lab("col.weekday"),
        lab("col.period"),
        lab("col.item"),
        lab("col.class"),
        lab("col.module"),
        lab("col.room"),
    ]
    teach, observe = lab("item.teaching"), lab("item.observation")
    room_of = {(s.class_id, s.date, s.period): s for s in data.timetable.sessions}
    rows: list[list[Any]] = []
    for lec in data.scenario.lecturers:
        items: list[tuple[dt.date, bool, list[Any]]] = []
        for s in data.sessions_by_lecturer.get(lec.id, []):
            items.append(
                (
                    s.date,
                    s.period == "afternoon",
                    [
                        lec.id,
                        lec.name,
                        s.date,
                        lab.weekday(s.date),
                        lab.enum("period", s.period),
                        teach,
                        data.class_name(s.class_id),
                        data.module_name(s.class_id, s.module_id),
                        data.room_name(s.room_id),
                    ],
                )
            )
        for o in data.timetable.observations:
            if o.observer_id != lec.id:
                continue
            taught = room_of.get((o.class_id, o.date, o.period))
            items.append(
                (
                    o.date,
                    o.period == "afternoon",
                    [
                        lec.id,
                        lec.name,
                        o.date,
                        lab.weekday(o.date),
                        lab.enum("period", o.period),
                        f"{observe}: {data.lecturer_name(o.lecturer_id)}",
                        data.class_name(o.class_id),
                        data.module_name(o.class_id, taught.module_id) if taught else "",
                        data.room_name(taught.room_id) if taught else "",
                    ],
                )
            )
        rows.extend(values for _, _, values in sorted(items, key=lambda item: (item[0], item[1])))
    _table(ws, 1, headers, rows, lab)


def _rooms_sheet(ws: Worksheet, data: ReportData, lab: Labels) -> None:
    months = data.months
    headers = (
        [lab("col.room"), lab("col.kind"), lab("col.seats")]
        + [lab.month(m) for m in months]
        + [lab("col.used_sessions"), lab("col.open_sessions"), lab("col.occupancy")]
    )
    rows = []
    for room in data.scenario.rooms:
        used = data.room_used.get(room.id)
        monthly = [used[m] if used else 0 for m in months]
        open_total = sum(data.room_open[room.id].values())
        rows.append(
            [room.name or room.id, lab.enum("room_kind", room.kind), room.seats]
            + monthly
            + [sum(monthly), open_total, (sum(monthly) / open_total) if open_total else 0.0]
        )
    _table(ws, 1, headers, rows, lab)


def _room_sessions_sheet(ws: Worksheet, data: ReportData, lab: Labels) -> None:
    headers = [
        lab("col.room"),
        lab("col.date"),
        lab("col.weekday"),
        lab("col.period"),
        lab("col.class"),
        lab("col.learners"),
        lab("col.lecturer"),
    ]
    rows = []
    for room in data.scenario.rooms:
        for s in data.sessions_by_room.get(room.id, []):
            rows.append(
                [
                    room.name or room.id,
                    s.date,
                    lab.weekday(s.date),
                    lab.enum("period", s.period),
                    data.class_name(s.class_id),
                    data.timetable.class_learners.get(s.class_id),
                    data.lecturer_name(s.lecturer_id),
                ]
            )
    _table(ws, 1, headers, rows, lab)


def _observations_sheet(ws: Worksheet, data: ReportData, lab: Labels) -> None:
    headers = [
        lab("col.date"),
        lab("col.weekday"),
        lab("col.period"),
        lab("col.observed"),
        lab("col.kind"),
        lab("col.observer"),
        lab("col.class"),
        lab("col.module"),
        lab("col.room"),
    ]
    by_slot = {(s.class_id, s.date, s.period): s for s in data.timetable.sessions}
    rows = []
    for o in data.timetable.sorted().observations:
        taught = by_slot.get((o.class_id, o.date, o.period))
        lec = data.lecturers.get(o.lecturer_id)
        rows.append(
            [
                o.date,
                lab.weekday(o.date),
                lab.enum("period", o.period),
                data.lecturer_name(o.lecturer_id),
                lab.enum("lecturer_kind", lec.kind) if lec else "",
                data.lecturer_name(o.observer_id),
                data.class_name(o.class_id),
                data.module_name(o.class_id, taught.module_id) if taught else "",
                data.room_name(taught.room_id) if taught else "",
            ]
        )
    _table(ws, 1, headers, rows, lab)


def _section(ws: Worksheet, row: int, text: str) -> int:
    ws.cell(row=row, column=1, value=text).font = SECTION_FONT
    return row + 1


def _target_label(t: TargetRow, lab: Labels) -> str:
    """The target's own words, or its program type and bloc."""
    if t.label:
        return t.label
    bloc = f" — {lab.enum('bloc', t.bloc)}" if t.bloc else ""
    return lab.enum("program_type", t.program_type) + bloc


def _target_notes(data: ReportData, lab: Labels) -> list[list[Any]]:
    """The plan's inconsistencies: targets whose numbers differ from the class list."""
    notes: list[list[Any]] = []
    for t in data.targets:
        if t.target_classes is not None and t.target_classes != t.planned_classes:
            notes.append(
                [
                    _target_label(t, lab),
                    lab("target.inconsistent_classes", target=t.target_classes, planned=t.planned_classes),
                ]
            )
        if t.target_learners is not None and t.target_learners != t.planned_learners:
            message = lab("target.inconsistent_learners", target=t.target_learners, planned=t.planned_learners)
            notes.append([_target_label(t, lab), message])
    return notes


def _targets_sheet(ws: Worksheet, data: ReportData, lab: Labels) -> None:
    """The scenario's targets (classes, learners), observation coverage, quality targets, inconsistencies."""
    row = _section(ws, 1, lab("title.classes_targets"))
    headers = [
        lab("col.target"),
        lab("col.program_type"),
        lab("col.bloc"),
        lab("col.target_classes"),
        lab("col.planned_classes"),
        lab("col.scheduled_classes"),
        lab("col.target_learners"),
        lab("col.planned_learners"),
        lab("col.scheduled_learners"),
    ]
    rows: list[list[Any]] = [
        [
            _target_label(t, lab),
            lab.enum("program_type", t.program_type),
            lab.enum("bloc", t.bloc),
            t.target_classes,
            t.planned_classes,
            t.scheduled_classes,
            t.target_learners,
            t.planned_learners,
            t.scheduled_learners,
        ]
        for t in data.targets
    ]
    rows.append(
        [
            lab("target.all_classes"),
            "",
            "",
            None,
            len(data.scenario.classes),
            len(data.classes),
            None,
            sum(data.planned_learners.values()),
            sum(r.learners for r in data.classes),
        ]
    )
    row = _table(ws, row, headers, rows, lab, freeze=False)

    row = _section(ws, row + 1, lab("title.observation"))
    headers = [lab("col.kind"), lab("target.observed_lecturers"), lab("total"), "%", lab("col.result")]
    obs_rows: list[list[Any]] = []
    policy = data.scenario.observation
    for kind in policy.observed_kinds:
        ids = [i for i, lec in data.lecturers.items() if lec.kind == kind and i in data.required_visits]
        covered = sum(data.visits_received[i] >= data.required_visits[i] for i in ids)
        obs_rows.append(
            [
                lab.enum("lecturer_kind", kind),
                covered,
                len(ids),
                covered / len(ids) if ids else 1.0,
                lab("target.met") if covered == len(ids) else lab("target.not_met"),
            ]
        )
    ws.cell(row=row, column=1, value=lab("target.observation_all", n=policy.visits_per_lecturer))
    row = _table(ws, row + 1, headers, obs_rows, lab, filters=False, freeze=False)

    if data.quality:
        row = _section(ws, row + 1, lab("title.quality"))
        headers = [lab("col.target"), lab("col.kind"), lab("col.with_report"), lab("total"), "%", lab("col.result")]
        quality_rows = [
            [
                lab(q.key, share=round(100 * q.target_share)),
                lab.enum("lecturer_kind", q.kind),
                q.count,
                q.total,
                q.share,
                lab("target.met") if q.met else lab("target.not_met"),
            ]
            for q in data.quality
        ]
        row = _table(ws, row, headers, quality_rows, lab, filters=False, freeze=False)

    row = _section(ws, row + 1, lab("title.inconsistencies"))
    notes = _target_notes(data, lab)
    if notes:
        _table(ws, row, [lab("col.target"), lab("col.message")], notes, lab, filters=False, freeze=False)
    else:
        ws.cell(row=row, column=1, value=lab("title.no_inconsistency"))
    ws.freeze_panes = "A2"
    ws.column_dimensions["A"].width = 50


SHEETS = (
    ("sheet.plan", _plan_sheet),
    ("sheet.classes", _classes_sheet),
    ("sheet.sessions", _sessions_sheet),
    ("sheet.lecturers", _lecturers_sheet),
    ("sheet.lecturer_sessions", _lecturer_sessions_sheet),
    ("sheet.rooms", _rooms_sheet),
    ("sheet.room_sessions", _room_sessions_sheet),
    ("sheet.observations", _observations_sheet),
    ("sheet.targets", _targets_sheet),
)


PRINT_TITLE_ROWS = {"sheet.plan": "3:3", "sheet.targets": None}  # the others repeat row 1


def print_setup(ws: Worksheet, lab: Labels, title_rows: str | None = "1:1") -> None:
    """A4 landscape, one page wide (as many pages long as needed), header rows repeated, page numbers."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = lab("footer.page")
    ws.oddFooter.center.size = 9


def build_workbook(data: ReportData, lab: Labels) -> Workbook:
    wb = Workbook()
    default = wb.active
    for key, fill in SHEETS:
        ws = wb.create_sheet(lab(key))
        fill(ws, data, lab)
        print_setup(ws, lab, PRINT_TITLE_ROWS.get(key, "1:1"))
    for key, title_key in GRID_SHEETS:
        ws = wb.create_sheet(lab(key))
        fill_grid_sheet(ws, data, lab, key, title_key)
        print_setup(ws, lab, None)
    if default is not None:
        wb.remove(default)
    wb.properties.title = lab("title.annex", year=data.year)
    wb.properties.creator = "llct-sched"
    return wb


def write_workbook(path: Path, data: ReportData, lab: Labels) -> None:
    wb = build_workbook(data, lab)
    save_workbook(path, wb)
