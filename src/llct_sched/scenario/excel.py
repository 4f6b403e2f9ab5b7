"""Scenarios in Excel: an input workbook with one sheet per entity, and its reader.

`write_template(path, scenario)` writes a workbook holding `scenario` (the default's data serves as
an example); `load_scenario_workbook(path)` reads one back into a Scenario. Every problem is
reported with its sheet, row and column (the issue's `cell`), in the same plain words as the YAML
errors and in the current language, e.g. "Sheet 'classes', row 12, column 'program': unknown
program 'BD9'" ("Trang 'classes', dòng 12, cột 'program': ..." in Vietnamese).

Conventions (also written in the workbook's README sheet):
- row 1 holds the column names (the scenario's field names); one row per item from row 2;
  empty rows are skipped; an empty cell means the default;
- lists are written in one cell, separated by commas ("mln, tthcm"); for a list that may be
  absent ("after", "observers", "programs", "pinned_starts") an empty cell means absent and "-"
  an explicit empty list;
- dates as Excel dates, "2020-01-06" or "06/01/2020"; times as "07:30";
- a lecturer's weekly availability is one column per weekday ("available_mon" ...) holding
  "morning", "afternoon" or both; all of them empty means always available;
- a class's lecturer pins ("pinned_lecturers") are "module: lecturer" pairs in one cell, separated by
  commas ("qt_1: gv_an, qt_2: gv_binh");
- key / value sheets (scenario, calendar, observation, weights) hold one setting per row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from llct_sched.errors import Cell, InputIssue, ScenarioError, parse_path
from llct_sched.files import unsafe_cell
from llct_sched.goals import BY_NAME
from llct_sched.i18n import N_, _, pydantic_message
from llct_sched.scenario import (
    Bloc,
    EventKind,
    LecturerKind,
    ProgramType,
    RoomKind,
    Scenario,
    TaughtBy,
    Weekday,
    Weights,
)

Loc = tuple[int | str, ...]

# column kinds
STR, INT, FLOAT, BOOL, DATE, TIME, LIST, INTS, DATES, OPT_LIST, OPT_DATES, ANY = (
    "str",
    "float",
    "int",
    "bool",
    "date",
    "time",
    "list",
    "ints",
    "dates",
    "opt_list",
    "opt_dates",
    "any",
)
MAP = "map"  # "key: value" pairs in one cell, separated by commas
EMPTY_LIST = "-"
WEEKDAY_COLUMNS = [f"available_{w.value}" for w in Weekday]


@dataclass(frozen=True)
class Column:
    name: str  # the column's header
    field: tuple[str, ...]  # where the value goes inside the item
    kind: str = STR


@dataclass(frozen=True)
class TableSheet:
    """One item per row; items go to `target` (a path of the scenario), or into a parent's list."""

    name: str
    target: tuple[str, ...]
    columns: tuple[Column, ...]
    parent: tuple[str, str, str] | None = None  # (parent sheet, parent id column, list field)
    note: str = ""


@dataclass(frozen=True)
class KeyValueSheet:
    name: str
    target: tuple[str, ...]
    keys: tuple[Column, ...]
    note: str = ""


def _c(name: str, kind: str = STR, path: tuple[str, ...] | None = None) -> Column:
    return Column(name, path if path is not None else (name,), kind)


_RANGE = (_c("start", DATE), _c("end", DATE), _c("reason"))

SHEETS: tuple[TableSheet | KeyValueSheet, ...] = (
    KeyValueSheet(
        "scenario",
        (),
        (_c("name"), _c("title"), _c("description")),
        note=N_("The scenario's id, title and description."),
    ),
    KeyValueSheet(
        "calendar",
        ("calendar",),
        (
            _c("start", DATE),
            _c("end", DATE),
            _c("working_weekdays", LIST),
            _c("max_block_gap_days", INT),
            _c("morning_start", TIME, ("hours", "morning_start")),
            _c("morning_end", TIME, ("hours", "morning_end")),
            _c("afternoon_start", TIME, ("hours", "afternoon_start")),
            _c("afternoon_end", TIME, ("hours", "afternoon_end")),
        ),
        note=N_("The plan year, working weekdays and session hours."),
    ),
    TableSheet("holidays", ("calendar", "holidays"), (_c("start", DATE), _c("end", DATE), _c("name"), _c("reason"))),
    TableSheet(
        "blackouts",
        ("calendar", "blackouts"),
        (_c("id"), _c("name"), _c("start", DATE), _c("end", DATE), _c("max_gathering", INT)),
        note=N_("max_gathering empty: no class at all; N: no class of more than N learners."),
    ),
    TableSheet(
        "events",
        ("calendar", "events"),
        (_c("id"), _c("name"), _c("kind"), _c("start", DATE), _c("end", DATE), _c("avoid_classes", BOOL)),
    ),
    TableSheet("rooms", ("rooms",), (_c("id"), _c("name"), _c("seats", INT), _c("kind"))),
    TableSheet(
        "room_unavailable",
        ("rooms",),
        (_c("room"), *_RANGE),
        parent=("rooms", "room", "unavailable"),
        note=N_("Dates a room cannot be used; 'room' is a room id."),
    ),
    TableSheet(
        "lecturers",
        ("lecturers",),
        (
            _c("id"),
            _c("name"),
            _c("kind"),
            _c("topics", LIST),
            *(Column(col, ("available", w.value), ANY) for col, w in zip(WEEKDAY_COLUMNS, Weekday, strict=True)),
            _c("unavailable_events", LIST),
            _c("max_sessions_per_week", INT),
            _c("max_sessions_per_month", INT),
            _c("max_sessions_per_year", INT),
            _c("norm_sessions_per_year", INT),
            _c("norm_max_sessions_per_year", INT),
            _c("min_sessions_per_year", INT),
            _c("specialist_topics", LIST),
            _c("can_observe", BOOL),
            _c("innovation_report", BOOL),
        ),
        note=N_("available_<day>: morning, afternoon or both; all empty: always available."),
    ),
    TableSheet(
        "lecturer_unavailable",
        ("lecturers",),
        (_c("lecturer"), *_RANGE, _c("periods", OPT_LIST)),
        parent=("lecturers", "lecturer", "unavailable"),
        note=N_("Dates a lecturer is away; 'lecturer' is a lecturer id; 'periods' empty: whole days."),
    ),
    TableSheet(
        "programs",
        ("programs",),
        (
            _c("id"),
            _c("name"),
            _c("type"),
            _c("taught_by"),
            _c("blocks", INT, ("delivery", "blocks")),
            _c("sessions_per_day", INT, ("delivery", "sessions_per_day")),
            _c("min_gap_days", INT, ("delivery", "min_gap_days")),
        ),
    ),
    TableSheet(
        "modules",
        ("programs",),
        (
            _c("program"),
            _c("id"),
            _c("name"),
            _c("sessions", INT),
            _c("topic"),
            _c("after", OPT_LIST),
            _c("preferred_lecturers", OPT_LIST),
        ),
        parent=("programs", "program", "modules"),
        note=N_(
            "Modules in order; 'program' is a program id; after empty: the previous module; "
            "preferred_lecturers empty: the specialists of the topic."
        ),
    ),
    TableSheet(
        "classes",
        ("classes",),
        (
            _c("id"),
            _c("name"),
            _c("program"),
            _c("bloc"),
            _c("learners", INT),
            _c("earliest_start", DATE),
            _c("latest_end", DATE),
            _c("not_before_event"),
            _c("not_after_event"),
            _c("preferred_months", INTS),
            _c("pinned_starts", OPT_DATES),
            _c("pinned_room"),
            _c("allowed_rooms", LIST),
            _c("pinned_lecturers", MAP),
            _c("groups", LIST),
        ),
    ),
    TableSheet("groups", ("groups",), (_c("id"), _c("name"))),
    TableSheet(
        "cohorts",
        ("cohorts",),
        (
            _c("id"),
            _c("name"),
            _c("learners", INT),
            _c("classes", LIST),
            _c("min_per_class", INT),
            _c("max_per_class", INT),
        ),
    ),
    KeyValueSheet(
        "observation",
        ("observation",),
        (
            _c("observed_kinds", LIST),
            _c("visits_per_lecturer", INT),
            _c("observers", OPT_LIST),
            _c("max_visits_per_observer", INT),
            _c("programs", OPT_LIST),
        ),
        note=N_("observers / programs empty: every lecturer with can_observe / every center-taught program."),
    ),
    KeyValueSheet(
        "staffing",
        ("staffing",),
        (_c("part_time_share", FLOAT),),
        note=N_("part_time_share: the share of the center's sessions part-time lecturers should teach, e.g. 0.3."),
    ),
    KeyValueSheet(
        "weights",
        ("weights",),
        tuple(_c(name, INT) for name in Weights.model_fields),
    ),
    TableSheet(
        "targets",
        ("targets",),
        (_c("program_type"), _c("bloc"), _c("classes", INT), _c("learners", INT), _c("label")),
    ),
    KeyValueSheet(
        "quality",
        ("quality",),
        (_c("innovation_full_time", INT), _c("innovation_part_time", INT)),
        note=N_("Share of full-time / part-time lecturers with an innovation report (0 to 1); empty: no target."),
    ),
)
SHEET_NAMES = [s.name for s in SHEETS]

# what each column holds, in the planner's words (the header shows it with the field name in brackets)
FIELD_LABELS: dict[str, str] = {
    "id": N_("Id"),
    "name": N_("Name"),
    "title": N_("Title"),
    "description": N_("Description"),
    "start": N_("Start date"),
    "end": N_("End date"),
    "reason": N_("Reason"),
    "working_weekdays": N_("Working weekdays"),
    "max_block_gap_days": N_("Max. days between meeting days of a block"),
    "morning_start": N_("Morning starts"),
    "morning_end": N_("Morning ends"),
    "afternoon_start": N_("Afternoon starts"),
    "afternoon_end": N_("Afternoon ends"),
    "max_gathering": N_("Max. learners allowed"),
    "kind": N_("Kind"),
    "avoid_classes": N_("Avoid classes on these days"),
    "seats": N_("Seats"),
    "room": N_("Room"),
    "topics": N_("Topics taught"),
    "available_mon": N_("Free on Monday"),
    "available_tue": N_("Free on Tuesday"),
    "available_wed": N_("Free on Wednesday"),
    "available_thu": N_("Free on Thursday"),
    "available_fri": N_("Free on Friday"),
    "available_sat": N_("Free on Saturday"),
    "available_sun": N_("Free on Sunday"),
    "unavailable_events": N_("Away during events"),
    "max_sessions_per_week": N_("Max. sessions a week"),
    "max_sessions_per_month": N_("Max. sessions a month"),
    "max_sessions_per_year": N_("Max. sessions a year"),
    "norm_sessions_per_year": N_("Teaching norm (sessions a year)"),
    "norm_max_sessions_per_year": N_("Norm band's upper edge (sessions a year)"),
    "min_sessions_per_year": N_("Own minimum (sessions a year)"),
    "specialist_topics": N_("Specialist topics"),
    "preferred_lecturers": N_("Preferred lecturers"),
    "part_time_share": N_("Share of sessions by part-time lecturers"),
    "can_observe": N_("Can observe lessons"),
    "innovation_report": N_("Innovation report"),
    "lecturer": N_("Lecturer"),
    "type": N_("Program type"),
    "taught_by": N_("Taught by"),
    "blocks": N_("Blocks"),
    "sessions_per_day": N_("Sessions a day"),
    "min_gap_days": N_("Min. days between blocks"),
    "program": N_("Program"),
    "sessions": N_("Sessions"),
    "topic": N_("Topic"),
    "after": N_("After modules"),
    "bloc": N_("Bloc"),
    "learners": N_("Learners"),
    "earliest_start": N_("Earliest start"),
    "latest_end": N_("Latest end"),
    "not_before_event": N_("Not before event"),
    "not_after_event": N_("Not after event"),
    "preferred_months": N_("Preferred months"),
    "pinned_starts": N_("Fixed start dates"),
    "pinned_room": N_("Fixed room"),
    "allowed_rooms": N_("Allowed rooms"),
    "pinned_lecturers": N_("Fixed lecturers by module"),
    "groups": N_("Learner groups"),
    "classes": N_("Classes"),
    "min_per_class": N_("Min. learners a class"),
    "max_per_class": N_("Max. learners a class"),
    "observed_kinds": N_("Lecturer kinds observed"),
    "visits_per_lecturer": N_("Visits per lecturer"),
    "observers": N_("Observers"),
    "max_visits_per_observer": N_("Max. visits per observer"),
    "programs": N_("Programs"),
    "program_type": N_("Program type"),
    "label": N_("Label"),
    "innovation_full_time": N_("Share of full-time lecturers with an innovation report"),
    "innovation_part_time": N_("Share of part-time lecturers with an innovation report"),
    "key": N_("Setting"),
    "value": N_("Value"),
    "meaning": N_("Meaning"),
}
_FIELD_IN_HEADER = re.compile(r"\(([A-Za-z_][A-Za-z0-9_]*)\)\s*$")


def column_header(name: str) -> str:
    """A template header: the column's label in the current language, the field name in brackets."""
    label = FIELD_LABELS.get(name)
    return f"{_(label)} ({name})" if label else name


def column_field(header: object) -> str:
    """The field name of a header: the name in brackets at its end ('Số chỗ (seats)'), else the header itself."""
    text = str(header).strip()
    found = _FIELD_IN_HEADER.search(text)
    return found.group(1) if found else text


def _meaning(sheet: KeyValueSheet, name: str) -> str:
    """The meaning column of a key/value sheet: on the weights sheet the goal's label (from the
    registry of goals), elsewhere the field's label; both in the current language."""
    if sheet.name == "weights":
        return BY_NAME[name].text()
    return _(FIELD_LABELS.get(name, name))


REQUIRED_SHEETS = ("scenario", "calendar", "rooms", "programs", "modules", "classes")
README = "README"


# --- writing -------------------------------------------------------------------------------


def _get(data: Any, path: Iterable[str]) -> Any:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def _cell_value(value: Any, kind: str) -> Any:
    """A scenario value (JSON mode) as a cell value."""
    if value is None:
        return None
    if kind in (DATE,):
        return dt.date.fromisoformat(value)
    if kind == TIME:
        return str(value)[:5]
    if kind in (LIST, INTS, DATES, OPT_LIST, OPT_DATES):
        return ", ".join(str(v) for v in value) if value else (EMPTY_LIST if kind in (OPT_LIST, OPT_DATES) else None)
    if kind == ANY and isinstance(value, list):
        return ", ".join(value) if value else EMPTY_LIST
    if kind == MAP:
        return ", ".join(f"{k}: {v}" for k, v in value.items()) or None
    return value


def _readme_rows() -> list[tuple[str, str]]:
    rows = [
        (_("llct-sched scenario workbook"), ""),
        ("", ""),
        (
            _("Row 1"),
            _(
                "column names: the meaning, then the scenario's field name in brackets (the loader reads the "
                "name in brackets; a bare field name works too); one item per row from row 2; empty rows are skipped"
            ),
        ),
        (_("Empty cell"), _("the default value")),
        (_("Lists"), _("in one cell, separated by commas, e.g. 'mln, tthcm'")),
        (
            EMPTY_LIST,
            _("an explicit empty list, for lists that may be absent (after, observers, programs, pinned_starts)"),
        ),
        (_("Pairs"), _("a class's fixed lecturers: 'module: lecturer' in one cell, e.g. 'qt_1: gv_an, qt_2: gv_binh'")),
        (_("Dates"), _("Excel dates, 2020-01-06 or 06/01/2020")),
        (_("Times"), "07:30"),
        (_("Yes / no"), _("TRUE / FALSE (also yes, no, có, không, 1, 0)")),
        (_("Lists to choose from"), _("columns that name a program, room, lecturer, bloc or kind offer a list")),
        ("", ""),
    ]
    for sheet in SHEETS:
        rows.append((_("Sheet '{name}'").format(name=sheet.name), _(sheet.note) if sheet.note else ""))
    return rows


# columns whose values come from a list: (sheet, column) -> the sheet whose ids they name, or the values
CHOICES: dict[tuple[str, str], str | tuple[str, ...]] = {
    ("classes", "program"): "programs",
    ("modules", "program"): "programs",
    ("classes", "pinned_room"): "rooms",
    ("room_unavailable", "room"): "rooms",
    ("lecturer_unavailable", "lecturer"): "lecturers",
    ("classes", "bloc"): tuple(b.value for b in Bloc),
    ("targets", "bloc"): tuple(b.value for b in Bloc),
    ("targets", "program_type"): tuple(t.value for t in ProgramType),
    ("programs", "type"): tuple(t.value for t in ProgramType),
    ("programs", "taught_by"): tuple(t.value for t in TaughtBy),
    ("rooms", "kind"): tuple(k.value for k in RoomKind),
    ("lecturers", "kind"): tuple(k.value for k in LecturerKind),
    ("events", "kind"): tuple(k.value for k in EventKind),
}
LIST_ROWS = 1000  # rows offered a dropdown list below the header


def _choices(ws, sheet: str, headers: list[str]) -> None:
    """Dropdown lists (data validation) and a comment on the header of every column with choices."""
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for c, name in enumerate(headers, start=1):
        source = CHOICES.get((sheet, name))
        if source is None:
            continue
        if isinstance(source, str):
            formula = f"{source}!$A$2:$A${LIST_ROWS}"
            note = _("Choose an id of sheet '{sheet}' from the list.").format(sheet=source)
        else:
            formula = '"' + ",".join(source) + '"'
            note = _("Choose from the list: {values}.").format(values=", ".join(source))
        letter = get_column_letter(c)
        check = DataValidation(type="list", formula1=formula, allow_blank=True)
        check.error = note
        check.prompt = note
        ws.add_data_validation(check)
        check.add(f"{letter}2:{letter}{LIST_ROWS}")
        ws.cell(row=1, column=c).comment = Comment(note, "llct-sched")


def build_template(scenario: Scenario):
    """The input workbook holding `scenario`; headers, README and comments in the current language."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    data = scenario.model_dump(mode="json")
    wb = Workbook()
    readme = wb.active
    assert readme is not None
    readme.title = README
    for row in _readme_rows():
        readme.append(list(row))
    readme["A1"].font = Font(bold=True, size=13)
    readme.column_dimensions["A"].width = 28
    readme.column_dimensions["B"].width = 100
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for sheet in SHEETS:
        ws = wb.create_sheet(sheet.name)
        rows: list[list[Any]]
        if isinstance(sheet, KeyValueSheet):
            names = ["key", "value", "meaning"]
            section = _get(data, sheet.target)
            rows = [
                [col.name, _cell_value(_get(section, col.field), col.kind), _meaning(sheet, col.name)]
                for col in sheet.keys
            ]
        else:
            names = [col.name for col in sheet.columns]
            rows = []
            if sheet.parent is None:
                for item in _get(data, sheet.target) or []:
                    rows.append([_cell_value(_get(item, col.field), col.kind) for col in sheet.columns])
            else:
                _owner_sheet, id_column, list_field = sheet.parent
                for owner in _get(data, sheet.target) or []:
                    for item in owner.get(list_field) or []:
                        values = [owner["id"]]
                        values += [_cell_value(_get(item, col.field), col.kind) for col in sheet.columns[1:]]
                        rows.append(values)
        headers = [column_header(name) for name in names]
        ws.append(headers)
        for values in rows:
            ws.append(values)
        for c, header in enumerate(headers, start=1):
            cell = ws.cell(row=1, column=c)
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            width = max([len(header) // 2 + 2] + [len(str(r[c - 1])) for r in rows if r[c - 1] is not None])
            ws.column_dimensions[get_column_letter(c)].width = min(60, max(12, width + 2))
        ws.row_dimensions[1].height = 45
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        ws.freeze_panes = "A2"
        if isinstance(sheet, TableSheet) and headers:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(rows) + 1)}"
            _choices(ws, sheet.name, names)
    return wb


def write_template(path: Path, scenario: Scenario) -> None:
    """Write the input workbook of `scenario` atomically."""
    from llct_sched.files import save_workbook

    wb = build_template(scenario)
    save_workbook(Path(path), wb)


# --- reading -------------------------------------------------------------------------------


class _CellError(Exception):
    pass


_DMY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_TRUE = {"true", "yes", "y", "x", "1", "có", "co", "đúng"}
_FALSE = {"false", "no", "n", "0", "không", "khong", "sai"}


def _date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise _CellError(_("expected a date, got a date and time {value}").format(value=value))
        return value.date()
    if isinstance(value, str):
        match = _DMY.match(value)
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise _CellError(_("'{value}' is not a valid date").format(value=value)) from None
        return value.strip()
    return value


def _split(value: Any) -> list[Any]:
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[,;\n]", value) if part.strip()]
    return [value]


def _convert(value: Any, kind: str) -> Any:
    """A cell value for pydantic; raises _CellError with a plain message."""
    if kind == STR:
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return value if isinstance(value, str) else str(value)
    if kind == FLOAT:
        return value.strip() if isinstance(value, str) else value
    if kind == INT:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            return value.strip()
        return value
    if kind == BOOL:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise _CellError(_("expected yes or no (TRUE / FALSE), got '{value}'").format(value=value))
    if kind == DATE:
        return _date(value)
    if kind == TIME:
        if isinstance(value, dt.datetime):
            return value.time()
        return value.strip() if isinstance(value, str) else value
    if kind in (OPT_LIST, OPT_DATES) and isinstance(value, str) and value.strip() == EMPTY_LIST:
        return []
    if kind in (LIST, OPT_LIST):
        return [str(v) for v in _split(value)]
    if kind == INTS:
        return [int(v) if isinstance(v, str) and v.isdigit() else _convert(v, INT) for v in _split(value)]
    if kind in (DATES, OPT_DATES):
        return [_date(v) for v in _split(value)]
    if kind == ANY:
        if isinstance(value, str) and value.strip() == EMPTY_LIST:
            return []
        return _split(value)
    if kind == MAP:
        return _pairs(value)
    return value


def _pairs(value: Any) -> dict[str, str]:
    """'qt_1: gv_an, qt_2: gv_binh' (module -> lecturer); raises _CellError on a part without both."""
    pairs: dict[str, str] = {}
    for part in _split(value):
        key, sep, item = str(part).partition(":")
        if not sep or not key.strip() or not item.strip():
            message = _("expected 'module: lecturer' pairs separated by commas (e.g. 'qt_1: gv_an'), got '{value}'")
            raise _CellError(message.format(value=part))
        if key.strip() in pairs:
            raise _CellError(_("module '{module}' is given twice").format(module=key.strip()))
        pairs[key.strip()] = item.strip()
    return pairs


@dataclass
class _Origin:
    sheet: str
    row: int | None
    columns: dict[tuple[str, ...], str] = field(default_factory=dict)
    default_column: str | None = None
    key: str | None = None  # the setting of a key / value row


def _where(sheet: str, row: int | None = None, column: str | None = None, key: str | None = None) -> Cell:
    return Cell(sheet, row, column, key)


@dataclass
class _Reader:
    file: str
    data: dict[str, Any] = field(default_factory=dict)
    origins: dict[Loc, _Origin] = field(default_factory=dict)
    issues: list[InputIssue] = field(default_factory=list)
    bad: list[Loc] = field(default_factory=list)  # the places of the cells that could not be read
    structural: bool = False  # a sheet or a header is wrong: the rows cannot be trusted

    def error(self, where: Cell | None, message: str, structural: bool = False) -> None:
        self.structural = self.structural or structural
        if where is None:
            self.issues.append(InputIssue(path="", message=message, file=self.file))
        else:
            self.issues.append(InputIssue.at(where, message, file=self.file))

    def container(self, path: tuple[str, ...]) -> dict[str, Any]:
        node = self.data
        for part in path:
            node = node.setdefault(part, {})
        return node

    def put(self, item: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
        node = item
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value

    def cell(self, sheet: str, row: int, col: Column, raw: Any) -> tuple[bool, Any]:
        try:
            return True, _convert(raw, col.kind)
        except _CellError as error:
            self.error(_where(sheet, row, col.name), str(error))
            return False, None


def _rows(ws) -> list[tuple[int, list[Any]]]:
    rows = []
    for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
        cleaned = [unsafe_cell(v.strip()) if isinstance(v, str) else v for v in values]
        cleaned = [None if v == "" else v for v in cleaned]
        rows.append((r, cleaned))
    return rows


def _read_key_value(reader: _Reader, sheet: KeyValueSheet, ws) -> None:
    section = reader.container(sheet.target) if sheet.target else reader.data
    keys = {col.name: col for col in sheet.keys}
    rows = _rows(ws)
    header = [column_field(v).lower() if v is not None else "" for v in (rows[0][1] if rows else [])]
    if header[:2] != ["key", "value"]:
        reader.error(
            _where(sheet.name, 1), _("the first row must hold the column names 'key' and 'value'"), structural=True
        )
        return
    seen: dict[str, int] = {}
    for r, values in rows[1:]:
        key, value = (values + [None, None])[:2]
        if key is None and value is None:
            continue
        if key is None:
            reader.error(_where(sheet.name, r, "key"), _("a value without a key"))
            continue
        key = str(key).strip()
        col = keys.get(key)
        if col is None:
            message = _("unknown key '{key}' (expected one of: {keys})").format(key=key, keys=", ".join(keys))
            reader.error(_where(sheet.name, r, "key"), message)
            continue
        if key in seen:
            reader.error(
                _where(sheet.name, r, "key"), _("'{key}' is also given in row {row}").format(key=key, row=seen[key])
            )
            continue
        seen[key] = r
        reader.origins[(*sheet.target, *col.field)] = _Origin(sheet.name, r, default_column="value", key=key)
        if value is None:
            continue
        try:
            reader.put(section, col.field, _convert(value, col.kind))
        except _CellError as error:
            reader.error(_where(sheet.name, r, "value", key), str(error))
            reader.bad.append((*sheet.target, *col.field))


def _read_table(reader: _Reader, sheet: TableSheet, ws) -> None:
    rows = _rows(ws)
    if not rows:
        return
    header_row = rows[0][1]
    known = {col.name: col for col in sheet.columns}
    columns: list[Column | None] = []
    for c, name in enumerate(header_row, start=1):
        if name is None:
            columns.append(None)
            continue
        col = known.get(column_field(name))
        if col is None:
            from openpyxl.utils import get_column_letter

            reader.error(
                _where(sheet.name, 1, str(name)),
                _("unknown column '{name}' (column {letter}; expected: {known})").format(
                    name=name, letter=get_column_letter(c), known=", ".join(known)
                ),
                structural=True,
            )
        columns.append(col)
    column_map = {col.field: col.name for col in sheet.columns}
    if sheet.parent is None:
        items = reader.container(sheet.target[:-1]).setdefault(sheet.target[-1], [])
    for r, values in rows[1:]:
        if all(v is None for v in values):
            continue
        item: dict[str, Any] = {}
        unread: list[tuple[str, ...]] = []  # the fields of the row's cells that could not be read
        for col, value in zip(columns, values, strict=False):
            if col is None:
                if value is not None:
                    message = _("a value ('{value}') in a column without a name").format(value=value)
                    reader.error(_where(sheet.name, r), message)
                continue
            if value is None:
                continue
            ok, converted = reader.cell(sheet.name, r, col, value)
            if ok:
                reader.put(item, col.field, converted)
            else:
                unread.append(col.field)
        if sheet.parent is None:
            reader.origins[(*sheet.target, len(items))] = _Origin(sheet.name, r, column_map)
            reader.bad += [(*sheet.target, len(items), *f) for f in unread]
            items.append(item)
            continue
        parent_sheet, id_column, list_field = sheet.parent
        owner_id = item.pop(id_column, None)
        owners = _get(reader.data, sheet.target) or []
        index = next((i for i, o in enumerate(owners) if o.get("id") == owner_id), None)
        if owner_id is None:
            reader.error(_where(sheet.name, r, id_column), _("required but missing"))
            continue
        if index is None:
            reader.error(
                _where(sheet.name, r, id_column),
                _("unknown {column} '{id}' (not in sheet '{sheet}')").format(
                    column=id_column, id=owner_id, sheet=parent_sheet
                ),
            )
            continue
        children = owners[index].setdefault(list_field, [])
        reader.origins[(*sheet.target, index, list_field, len(children))] = _Origin(sheet.name, r, column_map)
        reader.bad += [(*sheet.target, index, list_field, len(children), *f) for f in unread]
        children.append(item)


def _locate(reader: _Reader, loc: Loc) -> Cell | None:
    """'Sheet 'classes', row 12, column 'program'' for a scenario path such as ('classes', 10, 'program')."""
    for cut in range(len(loc), -1, -1):
        origin = reader.origins.get(loc[:cut])
        if origin is None:
            continue
        rest = tuple(str(p) for p in loc[cut:])
        column = origin.default_column
        for n in range(len(rest), 0, -1):
            if rest[:n] in origin.columns:
                column = origin.columns[rest[:n]]
                break
        else:
            if rest and column is None:
                column = rest[0]
        return _where(origin.sheet, origin.row, column, origin.key)
    # a whole list or section: name the sheet that holds it
    for sheet in SHEETS:
        if isinstance(sheet, TableSheet) and sheet.parent is None and tuple(loc[: len(sheet.target)]) == sheet.target:
            return _where(sheet.name)
        if isinstance(sheet, KeyValueSheet) and sheet.target and tuple(loc[: len(sheet.target)]) == sheet.target:
            key = str(loc[len(sheet.target)]) if len(loc) > len(sheet.target) else None
            return _where(sheet.name, key=key)
    if loc and isinstance(loc[0], str):
        return _where("scenario", key=loc[0])
    return None


def _read(path: Path) -> tuple[_Reader, Scenario | None]:
    from openpyxl import load_workbook

    reader = _Reader(file=str(path))
    try:
        wb = load_workbook(path, data_only=True)
    except Exception as error:  # openpyxl raises many kinds (zip, xml, key errors) for a bad file
        raise ScenarioError(
            [
                InputIssue(
                    path="",
                    message=_("cannot be read as an Excel workbook: {error}").format(error=error),
                    file=str(path),
                )
            ]
        ) from None
    for name in wb.sheetnames:
        if name not in SHEET_NAMES and name != README:
            message = _("unknown sheet (expected: {sheets})").format(sheets=", ".join(SHEET_NAMES))
            reader.error(_where(name), message, structural=True)
    for name in REQUIRED_SHEETS:
        if name not in wb.sheetnames:
            reader.error(_where(name), _("required sheet is missing"), structural=True)
    for sheet in SHEETS:
        if sheet.name not in wb.sheetnames:
            continue
        if isinstance(sheet, KeyValueSheet):
            _read_key_value(reader, sheet, wb[sheet.name])
        else:
            _read_table(reader, sheet, wb[sheet.name])
    _fix_availability(reader.data)
    if reader.structural:
        return reader, None
    bad = list(reader.bad)
    scenario = None
    try:
        scenario = Scenario.model_validate(reader.data)
    except ValidationError as error:
        for item in error.errors():
            loc = tuple(p for p in item["loc"] if not (isinstance(p, str) and p.startswith("function-")))
            if loc not in reader.bad:  # a cell that could not be read is missing: its own error says it
                bad.append(loc)
                reader.error(_locate(reader, loc), pydantic_message(dict(item)))
    if not reader.issues:
        return reader, scenario
    _more_errors(reader, bad)
    return reader, None


def _more_errors(reader: _Reader, bad: list[Loc]) -> None:
    """The semantic errors of the rest of the workbook and of the other cells of the rows with a bad
    cell (`validate.validate_around`), located by sheet, row and column: a row's errors all at once."""
    from llct_sched.scenario.validate import validate_around

    for issue in validate_around(reader.data, bad, reader.file):
        reader.error(_locate(reader, parse_path(issue.path)), issue.message)


def _fix_availability(data: dict[str, Any]) -> None:
    """Weekday cells hold period lists; a weekday marked '-' is present with no period."""
    for lecturer in data.get("lecturers", []) or []:
        available = lecturer.get("available")
        if isinstance(available, dict):
            lecturer["available"] = {day: [str(p) for p in periods] for day, periods in available.items()}


def load_scenario_workbook(path: str | Path) -> Scenario:
    """Read a scenario from an input workbook; raises ScenarioError with every located problem."""
    reader, scenario = _read(Path(path))
    if scenario is None:
        raise ScenarioError(reader.issues)
    return scenario


def locate_issues(path: str | Path, issues: list[InputIssue]) -> list[InputIssue]:
    """Re-locate issues found on a workbook's scenario (e.g. by validation) to sheet, row and column.

    Issues that already carry their cell (the reader's own) are kept as they are."""
    if all(issue.cell is not None for issue in issues):
        return issues
    try:
        reader, _scenario = _read(Path(path))
    except ScenarioError:
        return issues
    located = []
    for issue in issues:
        cell = _locate(reader, parse_path(issue.path)) if issue.path and issue.cell is None else None
        if cell is None:
            located.append(replace(issue, file=str(path)))
        else:
            located.append(InputIssue.at(cell, issue.message, file=str(path), severity=issue.severity))
    return located


__all__ = [
    "SHEET_NAMES",
    "build_template",
    "load_scenario_workbook",
    "locate_issues",
    "parse_path",
    "write_template",
]
