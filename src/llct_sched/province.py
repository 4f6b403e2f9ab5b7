"""A province as a set of centers: one scenario file per center plus shared provincial lecturers.

A province set is a folder with an index, `province.yaml`:

```yaml
name: tinh_mau
title: Tỉnh mẫu
shared_lecturers: shared_lecturers.yaml   # optional
centers:
  - id: ttct_01
    scenario: centers/ttct_01.yaml        # relative to the index's folder
```

Each center's file is an ordinary scenario (its own calendar, rooms, lecturers, programs and
classes). The shared lecturers' file (`lecturers:`, a list of scenario lecturers) holds the
provincial political school's lecturers, who teach the trung cấp classes of every center: each
center's scenario is solved with them added to its lecturers, and a shared lecturer teaches the
modules, in any center, whose topic they list (give the trung cấp modules topics of their own, as
`generate_province` does with ``tc_<topic>``). A shared lecturer is one person across the
province: they may not be in two centers in the same session (`shared_clashes`), and since the
centers are solved apart, their yearly, monthly and weekly limits and norms (which would hold per
center only) are refused.

`load_province(path)` reads and validates the whole set, raising ScenarioError with every problem
located in its file (the index, a center's scenario, the shared lecturers' file): nothing is
solved or written on bad input. `Province.scenario(center)` is a center's scenario with the shared
lecturers; `llct_sched.province_solve` solves the set.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml
from pydantic import Field, ValidationError

from llct_sched.errors import InputIssue, ScenarioError, Severity, parse_path
from llct_sched.files import file_name, publish_folder
from llct_sched.i18n import _, pgettext
from llct_sched.scenario import (
    Absence,
    Blackout,
    Calendar,
    Cohort,
    DateRange,
    Holiday,
    Id,
    LearnerGroup,
    Lecturer,
    LecturerKind,
    ObservationPolicy,
    Program,
    Room,
    Scenario,
    StrictModel,
    TaughtBy,
    TrainingClass,
    Weekday,
)
from llct_sched.scenario.loading import load_scenario, scenario_to_yaml
from llct_sched.scenario.reading import model_from_yaml, read_input_text
from llct_sched.scenario.validate import validate
from llct_sched.timetable import Timetable

__all__ = [
    "INDEX_FILE",
    "SHARED_FILE",
    "Center",
    "CenterEntry",
    "Clash",
    "Province",
    "ProvinceIndex",
    "SharedLecturers",
    "SharedPlan",
    "load_province",
    "shared_clashes",
    "shared_days",
    "shared_plan",
    "shared_sessions",
    "write_province",
]

INDEX_FILE = "province.yaml"
SHARED_FILE = "shared_lecturers.yaml"
# a shared lecturer's limits and norms would hold in each center apart, not across the province
PER_CENTER_FIELDS = (
    "max_sessions_per_week",
    "max_sessions_per_month",
    "max_sessions_per_year",
    "norm_sessions_per_year",
    "norm_max_sessions_per_year",
    "min_sessions_per_year",
)


class CenterEntry(StrictModel):
    """One center of the index: its id (its result folder's name) and its scenario file."""

    id: Id
    scenario: str = Field(min_length=1, description="The center's scenario file, relative to the index's folder.")


class ProvinceIndex(StrictModel):
    """`province.yaml`: the province's name, its centers and the shared lecturers' file."""

    name: Id
    title: str = ""
    shared_lecturers: str | None = Field(
        default=None, min_length=1, description="The shared lecturers' file, relative to the index's folder."
    )
    centers: list[CenterEntry] = Field(min_length=1)


class SharedLecturers(StrictModel):
    """The shared lecturers' file: provincial lecturers who may teach in every center."""

    lecturers: list[Lecturer] = Field(min_length=1)


@dataclass(frozen=True)
class Center:
    """A center: its id, its own scenario (without the shared lecturers) and the file it came from."""

    id: str
    scenario: Scenario
    file: str = ""


@dataclass(frozen=True)
class Province:
    """A validated province set: its centers and the lecturers they share."""

    name: str
    centers: tuple[Center, ...]
    shared: tuple[Lecturer, ...] = ()
    title: str = ""
    warnings: tuple[InputIssue, ...] = field(default=(), compare=False)

    @property
    def shared_ids(self) -> frozenset[str]:
        return frozenset(lecturer.id for lecturer in self.shared)

    def center(self, center_id: str) -> Center:
        return next(c for c in self.centers if c.id == center_id)

    def scenario(self, center_id: str, taken: Mapping[str, Iterable[tuple[dt.date, str]]] | None = None) -> Scenario:
        """The center's scenario with the shared lecturers added; `taken` (shared lecturer -> (date,
        period) sessions) marks those sessions away for them (the sessions they are in other centers)."""
        own = self.center(center_id).scenario
        taken = taken or {}
        periods = list(own.calendar.periods)
        shared = [_away(lecturer, set(taken.get(lecturer.id, ())), periods) for lecturer in self.shared]
        return own.model_copy(update={"lecturers": [*own.lecturers, *shared]})


def _away(lecturer: Lecturer, sessions: set[tuple[dt.date, str]], periods: list[str]) -> Lecturer:
    """The lecturer with `sessions` added to their dates away: per day the sessions taken (None when
    every period is), runs of consecutive days with the same sessions as one range."""
    if not sessions:
        return lecturer
    by_day: dict[dt.date, set[str]] = defaultdict(set)
    for day, period in sessions:
        by_day[day].add(period)
    ranges: list[Absence] = []
    for day in sorted(by_day):
        named = [p for p in periods if p in by_day[day]]
        taken = None if len(named) == len(periods) else named
        last = ranges[-1] if ranges else None
        if last is not None and last.last + dt.timedelta(days=1) == day and last.periods == taken:
            ranges[-1] = last.model_copy(update={"end": day})
        else:
            ranges.append(Absence(start=day, end=day, periods=taken, reason="shared"))
    return lecturer.model_copy(update={"unavailable": [*lecturer.unavailable, *ranges]})


# --- clashes of the shared lecturers ------------------------------------------------------------


@dataclass(frozen=True)
class Clash:
    """A shared lecturer in two centers or more in one session."""

    lecturer: str
    date: dt.date
    period: str
    centers: tuple[str, ...]

    def __str__(self) -> str:
        period = pgettext(f"check.period.{self.period}", self.period)  # the checker's words for the periods
        return _("shared lecturer {lecturer} is in {centers} on {date} ({period})").format(
            lecturer=self.lecturer, centers=", ".join(self.centers), date=self.date.isoformat(), period=period
        )


def _shared_slots(shared: frozenset[str], timetable: Timetable) -> set[tuple[str, dt.date, str]]:
    """(lecturer, date, period) of every session a shared lecturer teaches, observes or is observed in."""
    slots = {(s.lecturer_id, s.date, s.period) for s in timetable.sessions if s.lecturer_id in shared}
    for visit in timetable.observations:
        slots |= {(who, visit.date, visit.period) for who in (visit.lecturer_id, visit.observer_id) if who in shared}
    return {(str(who), day, period) for who, day, period in slots}


def shared_clashes(shared: Iterable[str], timetables: Mapping[str, Timetable]) -> list[Clash]:
    """Every session in which a shared lecturer is in more than one center (center -> timetable)."""
    ids = frozenset(shared)
    where: dict[tuple[str, dt.date, str], list[str]] = defaultdict(list)
    for center, timetable in timetables.items():
        for slot in _shared_slots(ids, timetable):
            where[slot].append(center)
    return [
        Clash(lecturer, day, period, tuple(sorted(centers)))
        for (lecturer, day, period), centers in sorted(where.items())
        if len(centers) > 1
    ]


def shared_sessions(shared: Iterable[str], timetables: Iterable[Timetable]) -> dict[str, set[tuple[dt.date, str]]]:
    """Shared lecturer -> the sessions (date, period) they are busy in these timetables."""
    ids = frozenset(shared)
    sessions: dict[str, set[tuple[dt.date, str]]] = defaultdict(set)
    for timetable in timetables:
        for who, day, period in _shared_slots(ids, timetable):
            sessions[who].add((day, period))
    return dict(sessions)


def shared_days(shared: Iterable[str], timetables: Iterable[Timetable]) -> dict[str, set[dt.date]]:
    """Shared lecturer -> the days they are busy in these timetables."""
    ids = frozenset(shared)
    days: dict[str, set[dt.date]] = defaultdict(set)
    for timetable in timetables:
        for who, day, _period in _shared_slots(ids, timetable):
            days[who].add(day)
    return dict(days)


# --- the shared lecturers' plan -----------------------------------------------------------------


@dataclass(frozen=True)
class SharedPlan:
    """One scenario of every center's classes that a shared lecturer may teach (`shared_plan`), and
    the center of each of its classes (plan class id -> center id)."""

    scenario: Scenario
    center_of: Mapping[str, str]

    def reserved(self, shared: Iterable[str], timetable: Timetable) -> dict[str, dict[str, set[tuple[dt.date, str]]]]:
        """Center -> shared lecturer -> the sessions (date, period) the plan's timetable gives that
        lecturer in that center."""
        ids = frozenset(shared)
        out: dict[str, dict[str, set[tuple[dt.date, str]]]] = defaultdict(lambda: defaultdict(set))
        for session in timetable.sessions:
            if session.lecturer_id in ids and session.class_id in self.center_of:
                out[self.center_of[session.class_id]][session.lecturer_id].add((session.date, session.period))
        return {center: dict(by_lecturer) for center, by_lecturer in out.items()}

    def center_timetable(self, center: Center, timetable: Timetable) -> Timetable:
        """The plan's timetable of the center's classes, by the center's own ids (a hint for its
        solve: the rest of its classes unplaced)."""
        prefix = _plan_id(center.id, "")
        ours = {cid for cid, where in self.center_of.items() if where == center.id}
        return Timetable(
            scenario=center.scenario.name,
            periods=list(timetable.periods),
            class_learners={c.removeprefix(prefix): n for c, n in timetable.class_learners.items() if c in ours},
            sessions=[
                s.model_copy(
                    update={"class_id": s.class_id.removeprefix(prefix), "room_id": s.room_id.removeprefix(prefix)}
                )
                for s in timetable.sessions
                if s.class_id in ours
            ],
        )


def shared_plan(province: Province) -> SharedPlan | None:
    """The province's shared-lecturer classes (of every center, those with a module whose topic a
    shared lecturer teaches, and the other classes of their cohorts) in one scenario, so that the
    shared lecturers' sessions are planned for all the centers at once. Each class keeps its center's
    rooms (ids `<center>:<room>`); its modules that no shared lecturer teaches go to a stand-in
    lecturer of the class, free whenever the class is; the centers' own lecturers, observation and
    staffing targets are left out (a relaxation of the centers' problems on those classes).

    The centers' events (`<center>:<event>`, their classes' references renamed with them) and
    blackouts are all in the plan's calendar: a center's event to avoid counts for every class of
    the plan and a blackout closes every center (the plan is then stricter than the centers); a
    center's own dates, working weekdays and holidays close its rooms in the plan.

    None when there is nothing to plan (no shared lecturer, fewer than two centers with such
    classes) or when the centers' calendars cannot be made one (see `_plan_calendar`)."""
    if not province.shared:
        return None
    planned = _plan_calendar(province)
    if planned is None:
        return None
    calendar, closed = planned
    shared_topics = {topic for lecturer in province.shared for topic in lecturer.topics}
    shared_ids = {lecturer.id for lecturer in province.shared}
    parts = [_center_part(center, shared_topics, shared_ids, closed[center.id]) for center in province.centers]
    parts = [part for part in parts if part.classes]
    if len(parts) < 2:
        return None
    try:
        scenario = _plan_scenario(province, calendar, parts)
    except ValidationError:  # a plan the scenario model refuses is no plan: the centers go first-come
        return None
    if any(issue.severity == Severity.error for issue in validate(scenario)):
        return None
    return SharedPlan(scenario, {cid: center for part in parts for cid, center in part.center_of.items()})


def _plan_scenario(province: Province, calendar: Calendar, parts: list[_PlanPart]) -> Scenario:
    """The plan's scenario: the shared lecturers and the centers' parts, no visits, the first center's
    weights and rules."""
    first = province.centers[0].scenario
    return Scenario(
        name=f"{province.name}_shared_plan",
        title=province.title,
        calendar=calendar,
        rooms=[room for part in parts for room in part.rooms],
        lecturers=[*province.shared, *(lecturer for part in parts for lecturer in part.stand_ins)],
        programs=[program for part in parts for program in part.programs],
        classes=[klass for part in parts for klass in part.classes],
        groups=[group for part in parts for group in part.groups],
        cohorts=[cohort for part in parts for cohort in part.cohorts],
        observation=ObservationPolicy(visits_per_lecturer=0),
        weights=first.weights,
        rules=first.rules,
    )


def _plan_id(center_id: str, item_id: str) -> str:
    """A center's class, room, program, group, cohort, event or blackout id in the plan."""
    return f"{center_id}:{item_id}"


def _plan_calendar(province: Province) -> tuple[Calendar, dict[str, list[DateRange]]] | None:
    """One calendar for the plan, open on every day some center works (from the first center's start
    to the last one's end, the working weekdays of any, the holidays of all), and for each center
    the plan's working days it does not work (ranges of them), which close its rooms in the plan:
    each class meets only on its own center's working days. With every center's events (renamed
    `<center>:<event>`; the events a shared lecturer is away for also as they are named, not
    avoided) and every blackout (one of each dates and size); the first center's session hours and
    the shortest gap within a block. None when the centers name their periods differently (a
    session is reserved by its date and period)."""
    calendars = [center.scenario.calendar for center in province.centers]
    first = calendars[0]
    if any(calendar.periods != first.periods for calendar in calendars):
        return None
    weekdays = [w for w in Weekday if any(w in c.working_weekdays for c in calendars)]
    common = [h for h in first.holidays if all(_has_holiday(c, h) for c in calendars)]
    open_days = first.model_copy(
        update={
            "start": min(c.start for c in calendars),
            "end": max(c.end for c in calendars),
            "working_weekdays": weekdays,
            "max_block_gap_days": min(c.max_block_gap_days for c in calendars),
            "holidays": common,
        }
    )
    days = open_days.working_days()
    closed = {center.id: _runs(days, set(center.scenario.calendar.working_days())) for center in province.centers}
    events = [
        event.model_copy(update={"id": _plan_id(center.id, event.id)})
        for center in province.centers
        for event in center.scenario.calendar.events
    ]
    away_for = {name for lecturer in province.shared for name in lecturer.unavailable_events}
    events += [e.model_copy(update={"avoid_classes": False}) for e in first.events if e.id in away_for]
    blackouts: dict[tuple[dt.date, dt.date, int | None], Blackout] = {}
    for center in province.centers:
        for b in center.scenario.calendar.blackouts:
            key = (b.start, b.end, b.max_gathering)
            blackouts.setdefault(key, b.model_copy(update={"id": _plan_id(center.id, b.id)}))
    return open_days.model_copy(update={"events": events, "blackouts": list(blackouts.values())}), closed


def _has_holiday(calendar: Calendar, holiday: Holiday) -> bool:
    return any((h.start, h.last) == (holiday.start, holiday.last) for h in calendar.holidays)


def _runs(days: list[dt.date], working: set[dt.date]) -> list[DateRange]:
    """The days of `days` (sorted) not in `working`, as ranges of consecutive ones among `days`."""
    runs: list[DateRange] = []
    previous_closed = False
    for day in days:
        is_closed = day not in working
        if is_closed and previous_closed:
            runs[-1] = runs[-1].model_copy(update={"end": day})
        elif is_closed:
            runs.append(DateRange(start=day, end=day))
        previous_closed = is_closed
    return runs


@dataclass
class _PlanPart:
    """A center's share of the shared lecturers' plan, its ids prefixed with the center's."""

    rooms: list[Room] = field(default_factory=list)
    stand_ins: list[Lecturer] = field(default_factory=list)
    programs: list[Program] = field(default_factory=list)
    classes: list[TrainingClass] = field(default_factory=list)
    groups: list[LearnerGroup] = field(default_factory=list)
    cohorts: list[Cohort] = field(default_factory=list)
    center_of: dict[str, str] = field(default_factory=dict)


def _center_part(center: Center, shared_topics: set[str], shared_ids: set[str], closed: list[DateRange]) -> _PlanPart:
    """The center's classes with a module a shared lecturer may teach (with their cohorts), renamed;
    its rooms also closed on the plan's working days the center does not work (`closed`)."""
    scenario = center.scenario

    def tag(item_id: str) -> str:
        return _plan_id(center.id, item_id)

    programs = {p.id: p for p in scenario.programs}
    wanted = {
        c.id
        for c in scenario.classes
        if programs[c.program].taught_by == TaughtBy.center
        and any(m.topic in shared_topics for m in programs[c.program].modules)
    }
    cohorts = [cohort for cohort in scenario.cohorts if wanted & set(cohort.classes)]
    for cohort in cohorts:
        wanted |= set(cohort.classes)
    part = _PlanPart()
    if not wanted:
        return part
    rooms = [room.id for room in scenario.rooms]
    part.rooms = [
        room.model_copy(update={"id": tag(room.id), "unavailable": [*room.unavailable, *closed]})
        for room in scenario.rooms
    ]
    used_programs: set[str] = set()
    used_groups: set[str] = set()
    for klass in scenario.classes:
        if klass.id not in wanted:
            continue
        program = programs[klass.program]
        used_programs.add(program.id)
        used_groups.update(klass.groups)
        local = sorted({m.topic for m in program.modules if m.topic not in shared_topics})
        if local:
            part.stand_ins.append(Lecturer(id=tag(f"{klass.id}:stand_in"), kind=LecturerKind.external, topics=local))
        part.classes.append(
            klass.model_copy(
                update={
                    "id": tag(klass.id),
                    "program": tag(klass.program),
                    "allowed_rooms": [tag(r) for r in (klass.allowed_rooms or rooms)],
                    "pinned_room": tag(klass.pinned_room) if klass.pinned_room else None,
                    "pinned_lecturers": {m: who for m, who in klass.pinned_lecturers.items() if who in shared_ids},
                    "groups": [tag(g) for g in klass.groups],
                    "not_before_event": tag(klass.not_before_event) if klass.not_before_event else None,
                    "not_after_event": tag(klass.not_after_event) if klass.not_after_event else None,
                }
            )
        )
        part.center_of[tag(klass.id)] = center.id
    part.programs = [_plan_program(programs[pid], tag(pid), shared_ids) for pid in sorted(used_programs)]
    part.groups = [g.model_copy(update={"id": tag(g.id)}) for g in scenario.groups if g.id in used_groups]
    part.cohorts = [c.model_copy(update={"id": tag(c.id), "classes": [tag(k) for k in c.classes]}) for c in cohorts]
    return part


def _plan_program(program: Program, program_id: str, shared_ids: set[str]) -> Program:
    """The program renamed, its modules' preferred lecturers kept only among the shared ones."""
    modules = []
    for module in program.modules:
        preferred = module.preferred_lecturers
        if preferred is not None:
            preferred = [who for who in preferred if who in shared_ids] or None
        modules.append(module.model_copy(update={"preferred_lecturers": preferred}))
    return program.model_copy(update={"id": program_id, "modules": modules})


# --- loading ------------------------------------------------------------------------------------


def _index_path(path: Path) -> Path:
    return path / INDEX_FILE if path.is_dir() else path


def load_province(path: str | Path) -> Province:
    """Read a province set (its folder, or its index file) and validate every center with the
    shared lecturers. Raises ScenarioError with every error of every file, each located in its file;
    the warnings are the Province's."""
    index_file = _index_path(Path(path))
    if not index_file.exists():
        raise ScenarioError([InputIssue(path="", message=_("no such file"), file=str(index_file))])
    index = model_from_yaml(ProvinceIndex, read_input_text(index_file), str(index_file))
    folder = index_file.parent
    issues = _duplicate_centers(index, str(index_file))
    shared, shared_file = _read_shared(index, folder, str(index_file), issues)
    centers = []
    for k, entry in enumerate(index.centers):
        center = _read_center(entry, k, folder, str(index_file), issues)
        if center is not None:
            centers.append(center)
    if not issues:
        for center in centers:
            issues += _center_issues(center, shared, shared_file)
    errors = [i for i in _unique(issues) if i.severity == Severity.error]
    if errors:
        raise ScenarioError(errors)
    warnings = tuple(i for i in _unique(issues) if i.severity == Severity.warning)
    return Province(index.name, tuple(centers), tuple(shared), index.title, warnings)


def _duplicate_centers(index: ProvinceIndex, file: str) -> list[InputIssue]:
    issues = []
    seen: dict[str, int] = {}
    for k, entry in enumerate(index.centers):
        if entry.id in seen:
            message = _("duplicate center id '{id}' (already used by centers[{first}])").format(
                id=entry.id, first=seen[entry.id]
            )
            issues.append(InputIssue(path=f"centers[{k}].id", message=message, file=file))
        seen.setdefault(entry.id, k)
    return issues


def _referenced(folder: Path, name: str, at: str, index_file: str, issues: list[InputIssue]) -> Path | None:
    """The file the index names, or None (and a located issue) when there is none."""
    path = folder / name
    if path.is_file():
        return path
    issues.append(InputIssue(path=at, message=_("no such file: {name}").format(name=name), file=index_file))
    return None


def _read_shared(
    index: ProvinceIndex, folder: Path, index_file: str, issues: list[InputIssue]
) -> tuple[list[Lecturer], str]:
    """The shared lecturers (none without the index's `shared_lecturers`) and their file."""
    if index.shared_lecturers is None:
        return [], ""
    path = _referenced(folder, index.shared_lecturers, "shared_lecturers", index_file, issues)
    if path is None:
        return [], ""
    try:
        shared = model_from_yaml(SharedLecturers, read_input_text(path), str(path)).lecturers
    except ScenarioError as error:
        issues += error.issues
        return [], str(path)
    seen: set[str] = set()
    for k, lecturer in enumerate(shared):
        if lecturer.id in seen:
            message = _("duplicate shared lecturer id '{id}'").format(id=lecturer.id)
            issues.append(InputIssue(path=f"lecturers[{k}].id", message=message, file=str(path)))
        seen.add(lecturer.id)
        for name in PER_CENTER_FIELDS:
            if getattr(lecturer, name) is not None:
                message = _(
                    "a shared lecturer's limits and norms cannot be kept across centers solved apart: leave {field} out"
                ).format(field=name)
                issues.append(InputIssue(path=f"lecturers[{k}].{name}", message=message, file=str(path)))
    return shared, str(path)


def _read_center(entry: CenterEntry, k: int, folder: Path, index_file: str, issues: list[InputIssue]) -> Center | None:
    path = _referenced(folder, entry.scenario, f"centers[{k}].scenario", index_file, issues)
    if path is None:
        return None
    try:
        return Center(entry.id, load_scenario(path), str(path))
    except ScenarioError as error:
        issues += error.issues
        return None


def _center_issues(center: Center, shared: list[Lecturer], shared_file: str) -> list[InputIssue]:
    """The center's issues with the shared lecturers added: a shared lecturer's own issues located in
    the shared lecturers' file (its warnings left out: a center without trung cấp classes does not
    need them), a local lecturer with a shared lecturer's id in the center's file."""
    own = len(center.scenario.lecturers)
    shared_ids = {lecturer.id for lecturer in shared}
    issues = [
        InputIssue(
            path=f"lecturers[{i}].id",
            message=_("'{id}' is the id of a shared lecturer ({file})").format(id=lecturer.id, file=shared_file),
            file=center.file,
        )
        for i, lecturer in enumerate(center.scenario.lecturers)
        if lecturer.id in shared_ids
    ]
    if issues:
        return issues
    merged = center.scenario.model_copy(update={"lecturers": [*center.scenario.lecturers, *shared]})
    for issue in validate(merged, center.file):
        parts = parse_path(issue.path)
        if parts[:1] == ("lecturers",) and len(parts) > 1 and isinstance(parts[1], int) and parts[1] >= own:
            if issue.severity == Severity.warning:
                continue
            path = f"lecturers[{parts[1] - own}]" + issue.path.split("]", 1)[1]
            issue = replace(issue, path=path, file=shared_file)
        issues.append(issue)
    return issues


def _unique(issues: list[InputIssue]) -> list[InputIssue]:
    """The issues in order, each once (a shared lecturer's issue is found in every center)."""
    return list(dict.fromkeys(issues))


# --- writing ------------------------------------------------------------------------------------


def write_province(province: Province, folder: Path) -> list[Path]:
    """Write the set (the index, `centers/<id>.yaml`, the shared lecturers' file) as one new folder,
    atomically (`files.publish_folder`; a folder that holds other files is refused)."""
    index = ProvinceIndex(
        name=province.name,
        title=province.title,
        shared_lecturers=SHARED_FILE if province.shared else None,
        centers=[CenterEntry(id=c.id, scenario="centers/" + file_name("", c.id, ".yaml")) for c in province.centers],
    )
    files = {INDEX_FILE: _yaml(index.model_dump(mode="json", exclude_none=True))}
    for center, entry in zip(province.centers, index.centers, strict=True):
        files[entry.scenario] = scenario_to_yaml(center.scenario)
    if province.shared:
        files[SHARED_FILE] = _yaml(
            {"lecturers": [lecturer.model_dump(mode="json", exclude_defaults=True) for lecturer in province.shared]}
        )
    with publish_folder(Path(folder)) as staging:
        (staging / "centers").mkdir()
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
    return [Path(folder) / name for name in files]


def _yaml(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
