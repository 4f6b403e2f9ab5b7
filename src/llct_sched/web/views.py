"""What the year pages show, computed from the report facts (`llct_sched.reports.build`).

Nothing here writes HTML: the templates lay these plain values out (and escape every text).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from llct_sched.reports import ReportData
from llct_sched.scenario import Scenario, TaughtBy
from llct_sched.timetable import ObservationVisit, ScheduledSession, Timetable
from llct_sched.web.i18n import Words

PROGRAM_CLASSES = {"trung_cap": "tc", "so_cap": "sc", "boi_duong": "bd"}


@dataclass
class Band:
    """A shaded or filled stretch of the year on a Gantt row, in percent of the year's width."""

    left: float
    width: float
    label: str
    title: str
    css: str


@dataclass
class GanttRow:
    room_id: str
    name: str
    bars: list[Band] = field(default_factory=list)
    closed: list[Band] = field(default_factory=list)


@dataclass
class Gantt:
    months: list[Band]
    shading: list[Band]
    rows: list[GanttRow]


class _Scale:
    """Dates to percent of the plan's year."""

    def __init__(self, scenario: Scenario) -> None:
        self.start = scenario.calendar.start
        self.days = (scenario.calendar.end - self.start).days + 1

    def band(self, first: dt.date, last: dt.date, label: str, title: str, css: str) -> Band:
        left = max(0, (first - self.start).days) / self.days * 100
        width = max(1, (last - first).days + 1) / self.days * 100
        return Band(round(left, 3), round(min(width, 100 - left), 3), label, title, css)


def gantt(data: ReportData, words: Words) -> Gantt:
    """Classes by room along the year; holidays, Tết, blackouts and closed rooms shaded."""
    scale = _Scale(data.scenario)
    cal = data.scenario.calendar
    months = []
    day = cal.start.replace(day=1)
    while day <= cal.end:
        following = (day + dt.timedelta(days=32)).replace(day=1)
        months.append(
            scale.band(
                max(day, cal.start), following - dt.timedelta(days=1), words.reports.month(day.month), "", "month"
            )
        )
        day = following
    shading = [
        scale.band(
            h.start,
            h.last,
            "",
            f"{h.name or h.reason or words('gantt.holiday')}: {words.reports.date_range(h.start, h.last)}",
            "holiday",
        )
        for h in cal.holidays
    ]
    for b in cal.blackouts:
        css = "blackout" if b.max_gathering is None else "limited"
        limit = "" if b.max_gathering is None else f" (≤ {b.max_gathering})"
        shading.append(
            scale.band(b.start, b.end, "", f"{b.name or b.id}{limit}: {words.reports.date_range(b.start, b.end)}", css)
        )
    rows = {room.id: GanttRow(room.id, room.name or room.id) for room in data.scenario.rooms}
    for room in data.scenario.rooms:
        rows[room.id].closed = [
            scale.band(
                u.start,
                u.last,
                "",
                f"{words('gantt.closed')}: {u.reason} {words.reports.date_range(u.start, u.last)}",
                "closed",
            )
            for u in room.unavailable
        ]
    for row in data.classes:
        css = PROGRAM_CLASSES.get(row.program.type.value, "bd")
        for seg in row.segments:
            title = f"{row.spec.id} {row.spec.name}: {words.reports.date_range(seg.first, seg.last)}, {row.learners}"
            if seg.room_id in rows:
                rows[seg.room_id].bars.append(scale.band(seg.first, seg.last, row.spec.id, title, css))
    return Gantt(months, shading, list(rows.values()))


@dataclass
class WeekCell:
    lines: list[str]
    visit: bool = False


@dataclass
class WeekGrid:
    kind: str
    entity: str
    monday: dt.date
    periods: list[str]
    days: list[tuple[dt.date, list[WeekCell]]]
    empty: bool

    @property
    def previous(self) -> dt.date:
        return self.monday - dt.timedelta(days=7)

    @property
    def next(self) -> dt.date:
        return self.monday + dt.timedelta(days=7)

    @property
    def iso(self) -> str:
        year, week, _ = self.monday.isocalendar()
        return f"{year}-W{week:02d}"


WEEK_KINDS = ("lecturer", "room", "class")


def entities(data: ReportData) -> dict[str, list[tuple[str, str]]]:
    """The choices of the week grid: (id, name) of every lecturer, room and scheduled class."""
    return {
        "lecturer": [(lec.id, lec.name or lec.id) for lec in data.scenario.lecturers],
        "room": [(room.id, room.name or room.id) for room in data.scenario.rooms],
        "class": [(row.spec.id, row.spec.name or row.spec.id) for row in data.classes],
    }


def _sessions_of(data: ReportData, kind: str, entity: str) -> list[ScheduledSession]:
    if kind == "lecturer":
        return data.sessions_by_lecturer.get(entity, [])
    if kind == "room":
        return data.sessions_by_room.get(entity, [])
    return next((row.sessions for row in data.classes if row.spec.id == entity), [])


def week_grid(data: ReportData, words: Words, kind: str, entity: str, week_of: dt.date | None) -> WeekGrid:
    """The thời khóa biểu of one lecturer, room or class: working weekdays × periods of one week.

    Without `week_of`, the first week in which the entity has a session.
    """
    sessions = _sessions_of(data, kind, entity)
    visits = [o for o in data.timetable.observations if kind == "lecturer" and entity in (o.lecturer_id, o.observer_id)]
    day = week_of or (sessions[0].date if sessions else data.scenario.calendar.start)
    monday = day - dt.timedelta(days=day.weekday())
    periods = list(data.scenario.calendar.periods)
    working = sorted(w.number for w in data.scenario.calendar.working_weekdays)
    days = []
    found = False
    for number in working:
        date = monday + dt.timedelta(days=number)
        cells = []
        for period in periods:
            lines = [_session_line(data, kind, s) for s in sessions if s.date == date and s.period == period]
            seen = [o for o in visits if o.date == date and o.period == period]
            lines += [_visit_line(data, words, o) for o in seen]
            found = found or bool(lines)
            cells.append(WeekCell(lines, bool(seen)))
        days.append((date, cells))
    return WeekGrid(kind, entity, monday, periods, days, not found)


def _visit_line(data: ReportData, words: Words, o: ObservationVisit) -> str:
    observer, observed = data.lecturer_name(o.observer_id), data.lecturer_name(o.lecturer_id)
    return f"{words('week.visit')}: {observer} → {observed} ({o.class_id})"


def _session_line(data: ReportData, kind: str, s: ScheduledSession) -> str:
    parts = [] if kind == "class" else [s.class_id]
    parts.append(data.module_name(s.class_id, s.module_id))
    if kind != "room":
        parts.append(data.room_name(s.room_id))
    if kind != "lecturer" and s.lecturer_id:
        parts.append(data.lecturer_name(s.lecturer_id))
    return " · ".join(parts)


@dataclass
class LoadRow:
    lecturer_id: str
    name: str
    kind: str
    taught: int
    norm: int | None
    maximum: int | None
    by_month: list[int]
    received: int
    required: int
    made: int

    @property
    def short(self) -> int:
        return max(0, (self.norm or 0) - self.taught)


def loads(data: ReportData, words: Words) -> list[LoadRow]:
    """Every lecturer's sessions (by month) against their norm, and their observation visits."""
    rows = []
    for lec in data.scenario.lecturers:
        load = data.load.get(lec.id)
        rows.append(
            LoadRow(
                lecturer_id=lec.id,
                name=lec.name or lec.id,
                kind=words.reports.enum("lecturer_kind", lec.kind),
                taught=sum(load.values()) if load else 0,
                norm=lec.norm_sessions_per_year,
                maximum=lec.max_sessions_per_year,
                by_month=[load[m] if load else 0 for m in data.months],
                received=data.visits_received.get(lec.id, 0),
                required=data.required_visits.get(lec.id, 0),
                made=data.visits_made.get(lec.id, 0),
            )
        )
    return rows


@dataclass
class GoalRow:
    goal: str
    label: str
    weight: int
    cost: int


def goals(data: ReportData, words: Words) -> list[GoalRow]:
    """The checker's objective by goal (every goal with a weight, costs weighted)."""
    weights = data.scenario.weights.model_dump()
    return [
        GoalRow(goal, words.reports.enum("goal", goal), int(weights.get(goal, 0)), cost)
        for goal, cost in data.report.breakdown.items()
        if weights.get(goal, 0) or cost
    ]


def block_starts(data: ReportData, class_id: str) -> list[dt.date]:
    """The first day of each block of a class in the timetable (a gap longer than a block allows starts one)."""
    gap = data.scenario.calendar.max_block_gap_days
    days = sorted({s.date for s in _sessions_of(data, "class", class_id)})
    return [d for i, d in enumerate(days) if i == 0 or (d - days[i - 1]).days > gap]


@dataclass
class PinModule:
    """One module of a class in the pin form: who teaches it now, who it is pinned to."""

    id: str
    name: str
    topic: str
    current: str  # the lecturers teaching it in this version, comma separated
    pinned: str  # the pinned lecturer's id, or ""


@dataclass
class PinClass:
    """A class in the pin form: where it is now, and what the scenario pins."""

    id: str
    name: str
    starts: str  # the current block starts, "2020-09-18, 2020-10-02"
    pinned_starts: str
    pinned_room: str
    modules: list[PinModule]  # none for a class taught externally

    @property
    def modules_json(self) -> str:
        """The modules as JSON, for the page's script (the template escapes it into an attribute)."""
        return json.dumps([dataclasses.asdict(m) for m in self.modules], ensure_ascii=False)


def pin_classes(data: ReportData) -> list[PinClass]:
    """Every class with its current starts and its pins, for the pin form (current values as hints,
    pinned values as the fields' values: submitting the form unchanged changes nothing)."""
    programs = {p.id: p for p in data.scenario.programs}
    out = []
    for spec in data.scenario.classes:
        program = programs[spec.program]
        sessions = _sessions_of(data, "class", spec.id)
        modules = [
            PinModule(
                m.id,
                m.name,
                m.topic,
                ", ".join(sorted({s.lecturer_id for s in sessions if s.module_id == m.id and s.lecturer_id})),
                spec.pinned_lecturers.get(m.id, ""),
            )
            for m in program.modules
            if program.taught_by == TaughtBy.center
        ]
        out.append(
            PinClass(
                spec.id,
                spec.name,
                ", ".join(d.isoformat() for d in block_starts(data, spec.id)),
                ", ".join(d.isoformat() for d in spec.pinned_starts or []),
                spec.pinned_room or "",
                modules,
            )
        )
    return out


def priced(
    base_scenario: Scenario, base_timetable: Timetable | None, scenario: Scenario, timetable: Timetable
) -> dict[str, Any]:
    """A timetable priced with the base version's scenario (its weights): the checker's objective
    (None when the timetable breaks a rule of the base), the weighted goals, and how many classes
    differ from the base's timetable (dates, room, lecturers, added or cancelled)."""
    from llct_sched.check import check
    from llct_sched.solve.replan import Changes, change_log

    report = check(base_scenario, timetable)
    moved = None
    if base_timetable is not None:
        log = change_log(Changes(), base_timetable, timetable, base_scenario, scenario)
        moved = len({c.class_id for c in log if c.what in ("moved", "room", "lecturer", "added", "cancelled")})
    return {"objective": report.objective if report.ok else None, "breakdown": report.breakdown, "moved": moved}
