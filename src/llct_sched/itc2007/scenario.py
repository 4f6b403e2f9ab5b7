"""ITC-2007 Track 3 instances as scenarios, and competition lectures as timetables (docs/rules.md, last section).

`scenario_from_itc` reads an `ItcInstance` into a `Scenario` whose goals `room_capacity`, `min_days`,
`isolated_sessions` and `room_stability` (weights 1, 5, 2, 1; every other weight 0) are the UD2 soft costs
S1..S4, and whose hard rules are H1..H4:

* the week: Monday 2007-01-01 and the next days, one working day per instance day (at most seven), with
  periods `p0..p{P-1}`;
* a course with lectures is a class of `students` learners (at least 1: a class has learners; no room seats
  fewer, so the capacity excess is the same) whose program has one module (topic: the course) of `lectures`
  one-session blocks that may share a day (`same_day_blocks`), with `min_days` = the course's minimum
  working days; a course without lectures has no class (any lecture of it is then an unknown class, as it is
  an excess lecture in UD2), and must have no minimum working days (its MinWorkingDays cost would be a
  constant no goal holds: ValueError);
* a curriculum is a learner group of its courses' classes;
* a course's unavailability constraints are its class's `closed_periods`;
* a teacher is a lecturer (kind external: no observation, no balance) whose topics are their courses,
  always available;
* rooms seat their capacity; `rules.soft_room_capacity` is true; no observation visits.

`timetable_from_lectures` and `lectures_from_timetable` convert between competition lectures and
timetables (so a timetable can be written as a `.sol`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from llct_sched.itc2007 import UD2_WEIGHTS, ItcInstance, Lecture
from llct_sched.scenario import (
    Calendar,
    Delivery,
    LearnerGroup,
    Lecturer,
    LecturerKind,
    Module,
    ObservationPolicy,
    Program,
    ProgramType,
    Room,
    RuleOptions,
    Scenario,
    TaughtBy,
    TrainingClass,
    Weekday,
    Weights,
)
from llct_sched.timetable import ScheduledSession, Timetable

__all__ = [
    "START",
    "lectures_from_timetable",
    "period_names",
    "scenario_from_itc",
    "solve_itc_on_core",
    "timetable_from_lectures",
]

#: The first day of the week of every ITC scenario (a Monday).
START = dt.date(2007, 1, 1)

_ID = re.compile(r"^[^\s]+$")


def period_names(instance: ItcInstance) -> list[str]:
    """The periods of a day: p0 .. p{P-1}."""
    return [f"p{t}" for t in range(instance.periods_per_day)]


def _ensure_id(kind: str, name: str) -> str:
    if not _ID.match(name):
        raise ValueError(f"{kind} name {name!r} cannot be a scenario id (it must be non-empty, without spaces)")
    return name


def _weights() -> Weights:
    weights = Weights(**dict.fromkeys(Weights.model_fields, 0))
    weights.room_capacity = UD2_WEIGHTS["room_capacity"]
    weights.min_days = UD2_WEIGHTS["min_working_days"]
    weights.isolated_sessions = UD2_WEIGHTS["isolated_lectures"]
    weights.room_stability = UD2_WEIGHTS["room_stability"]
    return weights


def _closed_periods(instance: ItcInstance, course: str) -> dict[Weekday, list[str]]:
    """The course's unavailability constraints as weekly closed periods of its class."""
    periods = period_names(instance)
    weekdays = list(Weekday)
    closed: dict[Weekday, list[str]] = defaultdict(list)
    for name, day, t in sorted(instance.unavailability):
        if name == course:
            closed[weekdays[day]].append(periods[t])
    return dict(closed)


def scenario_from_itc(instance: ItcInstance) -> Scenario:
    """The scenario of an ITC-2007 track 3 instance (docs/rules.md, "ITC-2007 instances as scenarios")."""
    if not 1 <= instance.days <= len(Weekday):
        raise ValueError(f"instance {instance.name}: {instance.days} days do not fit in one week")
    for room in instance.rooms:
        if room.capacity <= 0:
            raise ValueError(
                f"instance {instance.name}: room {room.name} has capacity {room.capacity}; seats must be > 0"
            )
    periods = period_names(instance)
    calendar = Calendar(
        start=START,
        end=START + dt.timedelta(days=instance.days - 1),
        working_weekdays=list(Weekday)[: instance.days],
        periods=periods,
    )
    for c in instance.courses:
        if c.lectures == 0 and c.min_working_days > 0:
            raise ValueError(
                f"instance {instance.name}: course {c.name} has no lectures but {c.min_working_days} minimum "
                "working days (a constant MinWorkingDays cost no scenario goal can hold)"
            )
    courses = [c for c in instance.courses if c.lectures > 0]
    programs = [
        Program(
            id=_ensure_id("course", c.name),
            name=f"course {c.name}",
            type=ProgramType.boi_duong,
            modules=[Module(id=c.name, sessions=c.lectures, topic=c.name)],
            delivery=Delivery(blocks=c.lectures, sessions_per_day=1, same_day_blocks=True, min_days=c.min_working_days),
            taught_by=TaughtBy.center,
        )
        for c in courses
    ]
    classes = [
        TrainingClass(
            id=c.name,
            program=c.name,
            learners=max(1, c.students),
            groups=[_ensure_id("curriculum", g.name) for g in instance.curricula_of(c.name)],
            closed_periods=_closed_periods(instance, c.name),
        )
        for c in courses
    ]
    taught: dict[str, list[str]] = defaultdict(list)
    for c in courses:
        taught[c.teacher].append(c.name)
    lecturers = [
        Lecturer(
            id=_ensure_id("teacher", teacher),
            kind=LecturerKind.external,
            topics=names,
        )
        for teacher, names in taught.items()
    ]
    return Scenario(
        name=_ensure_id("instance", instance.name),
        title=f"ITC-2007 track 3 instance {instance.name} (UD2)",
        calendar=calendar,
        rooms=[Room(id=_ensure_id("room", r.name), seats=r.capacity) for r in instance.rooms],
        lecturers=lecturers,
        programs=programs,
        classes=classes,
        groups=[LearnerGroup(id=g.name) for g in instance.curricula],
        observation=ObservationPolicy(visits_per_lecturer=0),
        weights=_weights(),
        rules=RuleOptions(soft_room_capacity=True),
    )


def timetable_from_lectures(instance: ItcInstance, scenario: Scenario, lectures: Iterable[Lecture]) -> Timetable:
    """The timetable of competition lectures in the scenario of `scenario_from_itc(instance)`.

    Each lecture is a session of its course's class and module, taught by the course's teacher, on the
    day's working day, in the timeslot's period. Raises ValueError for a day or timeslot out of range.
    """
    days = scenario.calendar.working_days()
    periods = scenario.calendar.periods
    teacher = {c.name: c.teacher for c in instance.courses}
    programs = {p.id: p for p in scenario.programs}
    module = {k.id: programs[k.program].modules[0].id for k in scenario.classes if k.program in programs}
    sessions = []
    for lec in lectures:
        if not 0 <= lec.day < len(days) or not 0 <= lec.timeslot < len(periods):
            raise ValueError(f"lecture {lec}: day or timeslot out of range ({len(days)} days, {len(periods)} periods)")
        sessions.append(
            ScheduledSession(
                class_id=lec.course,
                module_id=module.get(lec.course, lec.course),
                date=days[lec.day],
                period=periods[lec.timeslot],
                room_id=lec.room,
                lecturer_id=teacher.get(lec.course),
            )
        )
    return Timetable(
        scenario=scenario.name,
        periods=list(periods),
        class_learners={k.id: k.learners for k in scenario.classes if k.learners is not None},
        sessions=sessions,
    )


def lectures_from_timetable(instance: ItcInstance, timetable: Timetable) -> list[Lecture]:
    """The competition lectures of a timetable of an ITC scenario (the inverse of `timetable_from_lectures`).

    Day = days since `START`; timeslot = the period's place in `timetable.periods`. Raises ValueError for
    a session outside the instance's week or in an unknown period.
    """
    out = []
    for s in timetable.sessions:
        day = (s.date - START).days
        if s.period not in timetable.periods:
            raise ValueError(f"session of {s.class_id} on {s.date}: unknown period {s.period}")
        timeslot = timetable.periods.index(s.period)
        if not 0 <= day < instance.days or timeslot >= instance.periods_per_day:
            raise ValueError(
                f"session of {s.class_id} on {s.date} {s.period} is outside the instance's "
                f"{instance.days} days x {instance.periods_per_day} periods"
            )
        out.append(Lecture(s.class_id, s.room_id, day, timeslot))
    return out


if TYPE_CHECKING:
    from llct_sched.itc2007.solver import ItcResult


def solve_itc_on_core(instance: ItcInstance, time_limit: float = 60.0, workers: int = 0, seed: int = 0) -> ItcResult:
    """Solve an instance with the project's own core: scenario -> solve -> timetable -> lectures.

    `cost` is counted by `ud2_cost` on the lectures; the checker's objective on the timetable is
    the same number (docs/rules.md), which the tests hold it to.
    """
    from llct_sched.itc2007 import ud2_cost
    from llct_sched.itc2007.solver import ItcResult
    from llct_sched.solve import SolveParams, solve

    scenario = scenario_from_itc(instance)
    result = solve(scenario, SolveParams(time_limit=time_limit, workers=workers, seed=seed))
    lectures = lectures_from_timetable(instance, result.timetable) if result.timetable is not None else []
    return ItcResult(
        status=result.status,
        lectures=lectures,
        cost=ud2_cost(instance, lectures) if lectures else None,
        objective=result.objective,
        bound=result.bound,
        wall_time_s=result.wall_time_s,
        first_feasible_s=result.first_feasible_s,
        interrupted=result.interrupted,
    )
