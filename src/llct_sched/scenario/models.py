"""The scenario: everything a center plans a year with, as validated pydantic models.

A scenario is one YAML or JSON file. Unknown keys are errors. Ids are plain strings chosen
by the planner; every cross reference (a class's program, a lecturer's topics, ...) is by id.
The semantic rules that a timetable must satisfy are documented in docs/rules.md.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from llct_sched.goals import description
from llct_sched.i18n import _

Id = Annotated[str, Field(min_length=1, pattern=r"^[^\s]+$", description="An identifier without spaces.")]


class StrictModel(BaseModel):
    """Base of every scenario model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=False, validate_assignment=True)

    @model_validator(mode="before")
    @classmethod
    def _no_yes_no_for_numbers(cls, data: Any) -> Any:
        """`learners: true` is a mistake, not the number 1 (pydantic would read it so)."""
        if isinstance(data, dict):
            for name, spec in cls.model_fields.items():
                if isinstance(data.get(name), bool) and _numeric(spec.annotation):
                    raise ValueError(
                        _("{name}: {value} is a yes/no value, not a number").format(
                            name=name, value=str(data[name]).lower()
                        )
                    )
        return data


def _numeric(annotation: Any) -> bool:
    """int, float, or an optional one."""
    return annotation in (int, float) or any(a in (int, float) for a in get_args(annotation))


class OneOf(StrictModel):
    """A choice: exactly one of the (optional) fields is given, e.g. one patch or one change."""

    @model_validator(mode="after")
    def _exactly_one(self) -> OneOf:
        fields = list(type(self).model_fields)
        given = [f for f in fields if getattr(self, f) is not None]
        if len(given) != 1:
            raise ValueError(
                _("give exactly one of {fields} (found {n})").format(
                    fields=", ".join(fields), n=len(given) or _("none")
                )
            )
        return self

    @property
    def kind(self) -> str:
        """The name of the field given."""
        return next(f for f in type(self).model_fields if getattr(self, f) is not None)


class Weekday(StrEnum):
    mon = "mon"
    tue = "tue"
    wed = "wed"
    thu = "thu"
    fri = "fri"
    sat = "sat"
    sun = "sun"

    @property
    def number(self) -> int:
        """Monday is 0, as in `datetime.date.weekday()`."""
        return list(Weekday).index(self)


class Period(StrEnum):
    """The names of the two daily sessions (buổi) of a center's calendar, the default periods.

    A calendar may name other periods (`Calendar.periods`); a period is then any of those names.
    """

    morning = "morning"
    afternoon = "afternoon"


class ProgramType(StrEnum):
    trung_cap = "trung_cap"
    so_cap = "so_cap"
    boi_duong = "boi_duong"


class Bloc(StrEnum):
    dang = "dang"
    chinh_quyen = "chinh_quyen"
    doan_the = "doan_the"


class RoomKind(StrEnum):
    hall = "hall"
    classroom = "classroom"
    borrowed = "borrowed"


class LecturerKind(StrEnum):
    full_time = "full_time"
    part_time = "part_time"
    external = "external"


class TaughtBy(StrEnum):
    center = "center"  # type: ignore[assignment]  # shadows str.center, harmless
    external = "external"


class EventKind(StrEnum):
    congress = "congress"
    anniversary = "anniversary"
    ceremony = "ceremony"
    other = "other"


class DateRange(StrictModel):
    """An inclusive range of dates; `end` defaults to `start` (a single day)."""

    start: dt.date
    end: dt.date | None = None
    reason: str = ""

    @model_validator(mode="after")
    def _end_not_before_start(self) -> DateRange:
        if self.end is not None and self.end < self.start:
            raise ValueError(_("end {end} is before start {start}").format(end=self.end, start=self.start))
        return self

    @property
    def last(self) -> dt.date:
        return self.end if self.end is not None else self.start

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.last


class Absence(DateRange):
    """Dates a lecturer is away: whole days, or with `periods` only those sessions of each day."""

    periods: list[Id] | None = Field(
        default=None,
        min_length=1,
        description="Only these sessions of each day (calendar periods, e.g. [morning]); None: the whole days.",
    )

    def covers(self, day: dt.date, period: str) -> bool:
        """The lecturer is away in this session."""
        return self.contains(day) and (self.periods is None or period in self.periods)


class SessionHours(StrictModel):
    """Clock hours of the two sessions, used by calendar exports."""

    morning_start: dt.time = dt.time(7, 30)
    morning_end: dt.time = dt.time(11, 30)
    afternoon_start: dt.time = dt.time(13, 30)
    afternoon_end: dt.time = dt.time(17, 0)


class Holiday(DateRange):
    name: str = ""


class Blackout(StrictModel):
    """A period when classes cannot meet: all of them, or those above `max_gathering` learners."""

    id: Id
    name: str = ""
    start: dt.date
    end: dt.date
    max_gathering: int | None = Field(
        default=None, ge=0, description="None: no class at all; N: no class of more than N learners."
    )

    @model_validator(mode="after")
    def _end_not_before_start(self) -> Blackout:
        if self.end < self.start:
            raise ValueError(_("end {end} is before start {start}").format(end=self.end, start=self.start))
        return self


class Event(StrictModel):
    """A dated event that classes and lecturers can refer to (congress, anniversary, ...)."""

    id: Id
    name: str = ""
    kind: EventKind = EventKind.other
    start: dt.date
    end: dt.date | None = None
    avoid_classes: bool = Field(default=False, description="Soft goal: avoid meeting on these days.")

    @property
    def last(self) -> dt.date:
        return self.end if self.end is not None else self.start


class Calendar(StrictModel):
    start: dt.date
    end: dt.date
    working_weekdays: list[Weekday] = Field(
        default_factory=lambda: [Weekday.mon, Weekday.tue, Weekday.wed, Weekday.thu, Weekday.fri]
    )
    max_block_gap_days: int = Field(
        default=3,
        ge=1,
        description="Two consecutive meeting days of one block are at most this many calendar days apart "
        "(3 lets a block run Friday to Monday).",
    )
    periods: list[Id] = Field(
        default_factory=lambda: [Period.morning.value, Period.afternoon.value],
        min_length=1,
        description="The sessions of a working day, in order (a weekly course timetable may have more).",
    )
    hours: SessionHours = Field(default_factory=SessionHours)
    holidays: list[Holiday] = Field(default_factory=list)
    blackouts: list[Blackout] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)

    @model_validator(mode="after")
    def _range(self) -> Calendar:
        if self.end < self.start:
            raise ValueError(_("calendar end {end} is before start {start}").format(end=self.end, start=self.start))
        if len(set(self.periods)) != len(self.periods):
            raise ValueError(_("periods repeat a name: {periods}").format(periods=self.periods))
        return self

    def working_days(self) -> list[dt.date]:
        """Sorted working days (docs/rules.md): in the range, on a working weekday, not a holiday.

        The independent checker computes this itself; everything else uses this method.
        """
        weekdays = {w.number for w in self.working_weekdays}
        days = []
        day = self.start
        while day <= self.end:
            if day.weekday() in weekdays and not any(h.contains(day) for h in self.holidays):
                days.append(day)
            day += dt.timedelta(days=1)
        return days


class Room(StrictModel):
    id: Id
    name: str = ""
    seats: int = Field(gt=0)
    kind: RoomKind = RoomKind.classroom
    unavailable: list[DateRange] = Field(default_factory=list)


class Lecturer(StrictModel):
    id: Id
    name: str = ""
    kind: LecturerKind = LecturerKind.full_time
    topics: list[Id] = Field(default_factory=list)
    available: dict[Weekday, list[Id]] | None = Field(
        default=None, description="Weekly availability (weekday -> calendar periods); None means every working session."
    )
    unavailable: list[Absence] = Field(default_factory=list)
    unavailable_events: list[Id] = Field(
        default_factory=list, description="Events (e.g. congresses) during which the lecturer is away."
    )
    max_sessions_per_week: int | None = Field(default=None, ge=0)
    max_sessions_per_month: int | None = Field(default=None, ge=0)
    max_sessions_per_year: int | None = Field(default=None, ge=0)
    norm_sessions_per_year: int | None = Field(
        default=None,
        ge=0,
        description="Teaching norm, the lower edge of the norm band (soft goal `teaching_norm`), usually for "
        "full-time lecturers.",
    )
    norm_max_sessions_per_year: int | None = Field(
        default=None,
        ge=0,
        description="Upper edge of the norm band: sessions above it are overtime (soft goal `over_norm`).",
    )
    min_sessions_per_year: int | None = Field(
        default=None,
        ge=0,
        description="The lecturer's own minimum share of the year, usually a part-time lecturer's "
        "(soft goal `part_time_minimum`).",
    )
    specialist_topics: list[Id] = Field(
        default_factory=list,
        description="Topics this lecturer is the preferred speaker of (the police chief for defence and "
        "security, leaders for resolution study): soft goal `specialist`.",
    )
    can_observe: bool = False
    innovation_report: bool = Field(
        default=False, description="Has an innovation report (sáng kiến kinh nghiệm) this year."
    )


class Module(StrictModel):
    """A module (học phần / chuyên đề) of a program: a number of sessions on one topic."""

    id: Id
    name: str = ""
    sessions: int = Field(gt=0)
    topic: Id
    after: list[Id] | None = Field(
        default=None, description="Modules that must finish before this one starts; None: the previous module."
    )
    preferred_lecturers: list[Id] | None = Field(
        default=None,
        description="Preferred lecturers of this module (soft goal `specialist`); None: the lecturers with the "
        "module's topic among their `specialist_topics`.",
    )


class Delivery(StrictModel):
    """How a class meets: `blocks` blocks of whole days, at least `min_gap_days` apart.

    Every block has the same number of days; a day holds `sessions_per_day` consecutive sessions
    (at most the calendar's periods). The program's total sessions must equal
    blocks x days x sessions_per_day.
    """

    blocks: int = Field(default=1, ge=1)
    sessions_per_day: int = Field(default=2, ge=1)
    min_gap_days: int = Field(
        default=0, ge=0, description="Calendar days between the end of a block and the next start."
    )
    same_day_blocks: bool = Field(
        default=False,
        description="Blocks may share a day (only their sessions may not overlap); min_gap_days is then "
        "ignored. With one-session blocks a class's sessions go anywhere, as in a weekly course timetable.",
    )
    min_days: int = Field(
        default=0, ge=0, description="Soft goal `min_days`: the class meets on at least this many distinct days."
    )


class Program(StrictModel):
    id: Id
    name: str = ""
    type: ProgramType
    modules: list[Module] = Field(min_length=1)
    delivery: Delivery = Field(default_factory=Delivery)
    taught_by: TaughtBy = TaughtBy.center

    @property
    def total_sessions(self) -> int:
        return sum(m.sessions for m in self.modules)


class TrainingClass(StrictModel):
    """A class (lớp): one offering of a program to one group of learners."""

    id: Id
    name: str = ""
    program: Id
    bloc: Bloc | None = None
    learners: int | None = Field(default=None, gt=0, description="None when the class belongs to a cohort.")
    earliest_start: dt.date | None = None
    latest_end: dt.date | None = None
    not_before_event: Id | None = Field(default=None, description="Starts after this event ends.")
    not_after_event: Id | None = Field(default=None, description="Ends before this event starts.")
    preferred_months: list[Annotated[int, Field(ge=1, le=12)]] = Field(default_factory=list)
    pinned_starts: list[dt.date] | None = Field(default=None, description="Start date of each block.")
    pinned_room: Id | None = None
    allowed_rooms: list[Id] | None = Field(
        default=None,
        min_length=1,
        description="The rooms the class may use (e.g. its own center's rooms); None: every room.",
    )
    pinned_lecturers: dict[Id, Id] = Field(
        default_factory=dict, description="Module id -> the lecturer who teaches every session of it in this class."
    )
    groups: list[Id] = Field(default_factory=list, description="Learner groups attending this class.")
    closed_periods: dict[Weekday, list[Id]] = Field(
        default_factory=dict, description="Weekly sessions the class never meets in (weekday -> calendar periods)."
    )


class LearnerGroup(StrictModel):
    """Who attends (the officials of a ward, the town's teachers, ...): its classes never overlap."""

    id: Id
    name: str = ""


class Cohort(StrictModel):
    """Learners split across parallel classes."""

    id: Id
    name: str = ""
    learners: int = Field(gt=0)
    classes: list[Id] = Field(min_length=1)
    min_per_class: int = Field(default=1, ge=1)
    max_per_class: int | None = Field(default=None, ge=1)


class ObservationPolicy(StrictModel):
    """Lesson observation (dự giờ): who must be observed, how often, by whom."""

    observed_kinds: list[LecturerKind] = Field(default_factory=lambda: [LecturerKind.full_time, LecturerKind.part_time])
    visits_per_lecturer: int = Field(default=1, ge=0)
    observers: list[Id] | None = Field(default=None, description="None: every lecturer with can_observe.")
    max_visits_per_observer: int | None = Field(default=None, ge=1)
    programs: list[Id] | None = Field(default=None, description="Programs whose sessions count; None: all.")


class Weights(StrictModel):
    """Weights of the soft goals (0 switches a goal off); one field per goal of `llct_sched.goals`."""

    preferred_months: int = Field(default=10, ge=0, description=description("preferred_months"))
    month_spread: int = Field(default=1, ge=0, description=description("month_spread"))
    avoid_event_days: int = Field(default=5, ge=0, description=description("avoid_event_days"))
    borrowed_room: int = Field(default=3, ge=0, description=description("borrowed_room"))
    room_stability: int = Field(default=5, ge=0, description=description("room_stability"))
    module_lecturer_stability: int = Field(default=2, ge=0, description=description("module_lecturer_stability"))
    lecturer_balance: int = Field(default=1, ge=0, description=description("lecturer_balance"))
    teaching_norm: int = Field(default=1, ge=0, description=description("teaching_norm"))
    observation_spread: int = Field(default=1, ge=0, description=description("observation_spread"))
    room_capacity: int = Field(default=1, ge=0, description=description("room_capacity"))
    min_days: int = Field(default=5, ge=0, description=description("min_days"))
    isolated_sessions: int = Field(default=0, ge=0, description=description("isolated_sessions"))
    specialist: int = Field(default=1, ge=0, description=description("specialist"))
    over_norm: int = Field(default=1, ge=0, description=description("over_norm"))
    part_time_minimum: int = Field(default=3, ge=0, description=description("part_time_minimum"))
    part_time_share: int = Field(default=2, ge=0, description=description("part_time_share"))
    moves: int = Field(default=1, ge=0, description=description("moves"))
    lecturer_changes: int = Field(default=2, ge=0, description=description("lecturer_changes"))


GOAL_NAMES = tuple(Weights.model_fields)


class Priorities(StrictModel):
    """Goals in priority order (lexicographic): optimise the first level, keep it within the
    tolerance, then the next. Goals not listed come last, together. Within a level, weights apply."""

    levels: list[list[str]] = Field(min_length=1)
    tolerance: float = Field(default=0.0, ge=0.0, description="Relative slack kept on each level, e.g. 0.05.")

    @model_validator(mode="after")
    def _known_goals(self) -> Priorities:
        for k, level in enumerate(self.levels):
            for goal in level:
                if goal not in GOAL_NAMES:
                    raise ValueError(
                        _("levels[{k}]: unknown goal '{goal}' (goals: {goals})").format(
                            k=k, goal=goal, goals=", ".join(GOAL_NAMES)
                        )
                    )
        return self


class Target(StrictModel):
    """A target of the plan: classes and learners for a program type and bloc."""

    program_type: ProgramType
    bloc: Bloc | None = None
    classes: int | None = Field(default=None, ge=0)
    learners: int | None = Field(default=None, ge=0)
    label: str = ""


class QualityTargets(StrictModel):
    """Quality targets the plan sets: the share of lecturers of a kind with an innovation report."""

    innovation_full_time: float | None = Field(
        default=None, ge=0, le=1, description="Share of full-time lecturers with an innovation report, e.g. 1.0."
    )
    innovation_part_time: float | None = Field(
        default=None, ge=0, le=1, description="Share of part-time lecturers with an innovation report, e.g. 0.5."
    )


class RuleOptions(StrictModel):
    """Rules that a scenario may soften."""

    soft_room_capacity: bool = Field(
        default=False,
        description="Learners may exceed a room's seats, at the cost of the `room_capacity` goal "
        "(a hard rule otherwise).",
    )


class Staffing(StrictModel):
    """Plan-level staffing targets."""

    part_time_share: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="Share of the center-taught sessions that part-time lecturers should teach "
        "(soft goal `part_time_share`), e.g. 0.3.",
    )


class Scenario(StrictModel):
    name: Id
    title: str = ""
    description: str = ""
    calendar: Calendar
    rooms: list[Room] = Field(min_length=1)
    lecturers: list[Lecturer] = Field(default_factory=list)
    programs: list[Program] = Field(min_length=1)
    classes: list[TrainingClass] = Field(min_length=1)
    groups: list[LearnerGroup] = Field(default_factory=list)
    cohorts: list[Cohort] = Field(default_factory=list)
    observation: ObservationPolicy = Field(default_factory=ObservationPolicy)
    weights: Weights = Field(default_factory=Weights)
    priorities: Priorities | None = None
    rules: RuleOptions = Field(default_factory=RuleOptions)
    staffing: Staffing = Field(default_factory=Staffing)
    targets: list[Target] = Field(default_factory=list)
    quality: QualityTargets = Field(default_factory=QualityTargets)
