"""Facts every report shows, computed once from the scenario, the timetable and the solve summary.

Nothing here formats text: the writers (excel, annex, calendars, html) turn these facts into
labelled tables and charts in one language.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from llct_sched.check import CheckReport, check
from llct_sched.scenario import (
    Bloc,
    Lecturer,
    LecturerKind,
    Program,
    ProgramType,
    Room,
    Scenario,
    TaughtBy,
    TrainingClass,
)
from llct_sched.timetable import ObservationVisit, ScheduledSession, Timetable


@dataclass
class Segment:
    """Consecutive meeting days of one class in one room (a block, as seen in the timetable)."""

    first: dt.date
    last: dt.date
    room_id: str
    sessions: int


@dataclass
class ClassRow:
    spec: TrainingClass
    program: Program
    learners: int
    sessions: list[ScheduledSession]
    rooms: list[str]
    lecturers: list[str]
    segments: list[Segment]

    @property
    def start(self) -> dt.date:
        return self.sessions[0].date

    @property
    def end(self) -> dt.date:
        return self.sessions[-1].date

    @property
    def days(self) -> int:
        return len({s.date for s in self.sessions})

    @property
    def months(self) -> list[int]:
        """The calendar months in which the class meets, in order."""
        return sorted({s.date.month for s in self.sessions})

    def blocks_text(self, fmt: Callable[[dt.date], str], month: int | None = None) -> str:
        """The meeting periods, e.g. '02/01/2020–08/01/2020; 03/02/2020–07/02/2020'; with `month`,
        those meeting in that month only."""
        spans: list[list[dt.date]] = []
        for seg in self.segments:
            if spans and (seg.first - spans[-1][1]).days <= 1:
                spans[-1][1] = seg.last
            else:
                spans.append([seg.first, seg.last])
        if month is not None:
            spans = [[a, b] for a, b in spans if any(s.date.month == month and a <= s.date <= b for s in self.sessions)]
        return "; ".join(fmt(a) if a == b else f"{fmt(a)}–{fmt(b)}" for a, b in spans)

    def days_in(self, month: int) -> int:
        """Meeting days in a calendar month."""
        return len({s.date for s in self.sessions if s.date.month == month})


@dataclass
class TargetRow:
    """One target of the plan: its numbers, what the class list says, what was scheduled."""

    index: int
    program_type: ProgramType
    bloc: Bloc | None
    label: str
    target_classes: int | None
    target_learners: int | None
    planned_classes: int
    planned_learners: int
    scheduled_classes: int
    scheduled_learners: int


@dataclass
class QualityRow:
    """A share of lecturers of one kind having some property, against a target share."""

    key: str
    kind: LecturerKind
    count: int
    total: int
    target_share: float

    @property
    def share(self) -> float:
        return self.count / self.total if self.total else 1.0

    @property
    def met(self) -> bool:
        return self.share + 1e-9 >= self.target_share


@dataclass
class ReportData:
    scenario: Scenario
    timetable: Timetable
    summary: dict[str, Any]
    report: CheckReport
    classes: list[ClassRow]
    year: int
    lecturers: dict[str, Lecturer]
    rooms: dict[str, Room]
    programs: dict[str, Program]
    sessions_by_lecturer: dict[str, list[ScheduledSession]]
    sessions_by_room: dict[str, list[ScheduledSession]]
    load: dict[str, Counter[int]]  # lecturer -> month -> sessions taught
    room_used: dict[str, Counter[int]]  # room -> month -> sessions held
    room_open: dict[str, Counter[int]]  # room -> month -> sessions it could hold
    visits_received: Counter[str]
    visits_made: Counter[str]
    specialist_sessions: Counter[str]  # lecturer -> sessions taught in their own specialist topics
    required_visits: dict[str, int]  # observed lecturers -> visits they must receive
    targets: list[TargetRow]
    quality: list[QualityRow]
    planned_learners: dict[str, int] = field(default_factory=dict)  # class -> learners as planned

    @property
    def months(self) -> list[int]:
        """Calendar months of the plan, in order (usually 1..12)."""
        first, last = self.scenario.calendar.start, self.scenario.calendar.end
        months = []
        day = first.replace(day=1)
        while day <= last:
            months.append(day.month)
            day = (day + dt.timedelta(days=32)).replace(day=1)
        return months

    def classes_by_month(self) -> dict[int, list[ClassRow]]:
        """The classes meeting in each month: a class of several months is listed in each of them."""
        by_month: dict[int, list[ClassRow]] = defaultdict(list)
        for row in self.classes:
            for month in row.months:
                by_month[month].append(row)
        return by_month

    def class_number(self) -> dict[str, int]:
        """Each scheduled class's number (TT) in the annex: 1, 2, ... by first day."""
        return {row.spec.id: n for n, row in enumerate(self.classes, start=1)}

    def audience(self, row: ClassRow) -> str:
        """Who attends (Đối tượng): the class's learner groups, or its cohort; "" when neither is named."""
        groups = {g.id: g.name or g.id for g in self.scenario.groups}
        names = [groups.get(g, g) for g in row.spec.groups]
        if not names:
            names = [c.name or c.id for c in self.scenario.cohorts if row.spec.id in c.classes]
        return "; ".join(names)

    def lecturer_name(self, lecturer_id: str | None) -> str:
        if not lecturer_id:
            return ""
        lec = self.lecturers.get(lecturer_id)
        return (lec.name or lec.id) if lec else lecturer_id

    def room_name(self, room_id: str) -> str:
        room = self.rooms.get(room_id)
        return (room.name or room.id) if room else room_id

    def class_name(self, class_id: str) -> str:
        for row in self.classes:
            if row.spec.id == class_id:
                return row.spec.name or class_id
        return class_id

    def module_name(self, class_id: str, module_id: str) -> str:
        for row in self.classes:
            if row.spec.id == class_id:
                for module in row.program.modules:
                    if module.id == module_id:
                        return module.name or module_id
        return module_id

    def visits_of(self, lecturer_id: str) -> list[ObservationVisit]:
        """Visits the lecturer makes or receives, in time order."""
        rows = [o for o in self.timetable.observations if lecturer_id in (o.lecturer_id, o.observer_id)]
        return sorted(rows, key=lambda o: (o.date, self.timetable.period_rank(o.period)))


def _segments(sessions: list[ScheduledSession], max_gap: int) -> list[Segment]:
    segments: list[Segment] = []
    for s in sessions:
        last = segments[-1] if segments else None
        if last is not None and last.room_id == s.room_id and (s.date - last.last).days <= max_gap:
            last.last = s.date
            last.sessions += 1
        else:
            segments.append(Segment(s.date, s.date, s.room_id, 1))
    return segments


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def _open_sessions(scenario: Scenario, room: Room) -> Counter[int]:
    cal = scenario.calendar
    weekdays = {w.number for w in cal.working_weekdays}
    closed = [b for b in cal.blackouts if b.max_gathering is None]
    counts: Counter[int] = Counter()
    day = cal.start
    while day <= cal.end:
        if (
            day.weekday() in weekdays
            and not any(h.contains(day) for h in cal.holidays)
            and not any(b.start <= day <= b.end for b in closed)
            and not any(u.contains(day) for u in room.unavailable)
        ):
            counts[day.month] += 2
        day += dt.timedelta(days=1)
    return counts


def _planned_learners(scenario: Scenario) -> dict[str, int]:
    """Learners of each class as the scenario plans them (a cohort's learners split evenly)."""
    learners = {k.id: k.learners for k in scenario.classes if k.learners is not None}
    for cohort in scenario.cohorts:
        n = len(cohort.classes)
        for i, cid in enumerate(cohort.classes):
            learners.setdefault(cid, cohort.learners // n + (1 if i < cohort.learners % n else 0))
    return {cid: v for cid, v in learners.items() if v is not None}


def build(
    scenario: Scenario,
    timetable: Timetable,
    summary: dict[str, Any] | None = None,
    report: CheckReport | None = None,
) -> ReportData:
    """The facts of the reports; `report`: the checker's on `timetable` when the caller has it (a
    solve's `pipeline.Outcome.check`), else the timetable is checked here."""
    programs = {p.id: p for p in scenario.programs}
    lecturers = {lec.id: lec for lec in scenario.lecturers}
    rooms = {r.id: r for r in scenario.rooms}
    by_class: dict[str, list[ScheduledSession]] = defaultdict(list)
    by_lecturer: dict[str, list[ScheduledSession]] = defaultdict(list)
    by_room: dict[str, list[ScheduledSession]] = defaultdict(list)
    load: dict[str, Counter[int]] = defaultdict(Counter)
    room_used: dict[str, Counter[int]] = defaultdict(Counter)
    for s in sorted(timetable.sessions, key=lambda s: (s.date, timetable.period_rank(s.period), s.class_id)):
        by_class[s.class_id].append(s)
        by_room[s.room_id].append(s)
        room_used[s.room_id][s.date.month] += 1
        if s.lecturer_id:
            by_lecturer[s.lecturer_id].append(s)
            load[s.lecturer_id][s.date.month] += 1

    max_gap = scenario.calendar.max_block_gap_days
    classes = []
    for spec in scenario.classes:
        sessions = by_class.get(spec.id, [])
        program = programs.get(spec.program)
        if not sessions or program is None:
            continue
        classes.append(
            ClassRow(
                spec=spec,
                program=program,
                learners=timetable.class_learners.get(spec.id, spec.learners or 0),
                sessions=sessions,
                rooms=_unique([s.room_id for s in sessions]),
                lecturers=_unique([s.lecturer_id or "" for s in sessions]),
                segments=_segments(sessions, max_gap),
            )
        )
    classes.sort(key=lambda row: (row.start, row.end, row.spec.id))

    policy = scenario.observation
    required = {
        lec.id: policy.visits_per_lecturer
        for lec in scenario.lecturers
        if lec.kind in policy.observed_kinds and policy.visits_per_lecturer > 0
    }
    planned = _planned_learners(scenario)
    targets = []
    for t, target in enumerate(scenario.targets):

        def matches(spec: TrainingClass, target=target) -> bool:
            program = programs.get(spec.program)
            return (
                program is not None
                and program.type == target.program_type
                and (target.bloc is None or spec.bloc == target.bloc)
            )

        plan = [k for k in scenario.classes if matches(k)]
        done = [row for row in classes if matches(row.spec)]
        targets.append(
            TargetRow(
                index=t,
                program_type=target.program_type,
                bloc=target.bloc,
                label=target.label,
                target_classes=target.classes,
                target_learners=target.learners,
                planned_classes=len(plan),
                planned_learners=sum(planned.get(k.id, 0) for k in plan),
                scheduled_classes=len(done),
                scheduled_learners=sum(row.learners for row in done),
            )
        )
    quality = []
    for kind, share, key in (
        (LecturerKind.full_time, scenario.quality.innovation_full_time, "target.innovation_full_time"),
        (LecturerKind.part_time, scenario.quality.innovation_part_time, "target.innovation_part_time"),
    ):
        if share is None:  # a target the scenario does not set is not reported
            continue
        group = [lec for lec in scenario.lecturers if lec.kind == kind]
        quality.append(QualityRow(key, kind, sum(lec.innovation_report for lec in group), len(group), share))
    return ReportData(
        scenario=scenario,
        timetable=timetable,
        summary=dict(summary or {}),
        report=report if report is not None else check(scenario, timetable),
        classes=classes,
        year=scenario.calendar.start.year,
        lecturers=lecturers,
        rooms=rooms,
        programs=programs,
        sessions_by_lecturer=dict(by_lecturer),
        sessions_by_room=dict(by_room),
        load=dict(load),
        room_used=dict(room_used),
        room_open={r.id: _open_sessions(scenario, r) for r in scenario.rooms},
        visits_received=Counter(o.lecturer_id for o in timetable.observations),
        visits_made=Counter(o.observer_id for o in timetable.observations),
        specialist_sessions=_specialist_sessions(scenario, timetable, programs),
        required_visits=required,
        targets=targets,
        quality=quality,
        planned_learners=planned,
    )


def _specialist_sessions(scenario: Scenario, timetable: Timetable, programs: dict[str, Program]) -> Counter[str]:
    """Per lecturer: sessions taught in one of their `specialist_topics`."""
    topic_of = {(p.id, m.id): m.topic for p in programs.values() for m in p.modules}
    program_of = {c.id: c.program for c in scenario.classes}
    own = {lec.id: set(lec.specialist_topics) for lec in scenario.lecturers}
    counts: Counter[str] = Counter()
    for s in timetable.sessions:
        topic = topic_of.get((program_of.get(s.class_id, ""), s.module_id))
        if s.lecturer_id is not None and topic in own.get(s.lecturer_id, set()):
            counts[s.lecturer_id] += 1
    return counts


def is_center_taught(program: Program) -> bool:
    return program.taught_by == TaughtBy.center
