"""The derived facts of a scenario, each computed in one place.

Working days, a class's window and the days in it open to the class, which days a blackout closes
to a class of a given size and which days a room is closed, the least learners a class can have and
the most it can seat, the days a program's class meets, whether a window is too short: validation
(`validate`), the counting checks (`diagnose`), the instance (`instance`), the re-plan's change log
(`replan_log`) and the comparison's metrics (`batch`) read them here. The independent checker
(`check`) computes its own on purpose (tests/test_imports.py).

The functions never raise on a scenario that has not been validated: an unknown reference counts
as absent (validation reports it).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol, TypeVar

from llct_sched.scenario import Blackout, Calendar, Cohort, Event, Program, Room, Scenario, TrainingClass

__all__ = [
    "Facts",
    "HasId",
    "Window",
    "class_window",
    "closes",
    "closing_blackout",
    "days_needed",
    "first_by_id",
    "least_learners",
    "open_days",
    "room_closed",
    "working_days",
]

ONE_DAY = dt.timedelta(days=1)


class HasId(Protocol):
    """An item of a scenario's list with an id (a room, a class, an event, ...)."""

    @property
    def id(self) -> str: ...


_T = TypeVar("_T", bound=HasId)


def first_by_id(items: Iterable[_T]) -> dict[str, _T]:
    """Id -> the first item with that id (duplicate ids are validation's to report)."""
    found: dict[str, _T] = {}
    for item in items:
        found.setdefault(item.id, item)
    return found


def working_days(scenario: Scenario) -> list[dt.date]:
    """The calendar's working days, sorted: on a working weekday, not a holiday (docs/rules.md)."""
    return scenario.calendar.working_days()


def closes(blackout: Blackout, day: dt.date, learners: int) -> bool:
    """The blackout closes `day` to a class of `learners` learners (without max_gathering, to every class)."""
    return blackout.start <= day <= blackout.end and (
        blackout.max_gathering is None or learners > blackout.max_gathering
    )


def room_closed(room: Room, day: dt.date) -> bool:
    """The room is closed on `day` (one of its unavailable date ranges holds it)."""
    return any(r.contains(day) for r in room.unavailable)


def closing_blackout(blackouts: Iterable[Blackout], day: dt.date, learners: int) -> Blackout | None:
    """The first blackout that closes `day` to a class of `learners` learners, if any."""
    return next((b for b in blackouts if closes(b, day, learners)), None)


def least_learners(klass: TrainingClass, cohort: Cohort | None) -> int:
    """A lower bound of the class's learners: its own, else its cohort's minimum share, else 1."""
    if klass.learners is not None:
        return klass.learners
    return cohort.min_per_class if cohort is not None else 1


def days_needed(program: Program, periods: int) -> int | None:
    """Meeting days of a class of the program (blocks x days per block; with same-day blocks, the
    days that hold all its sessions); None when its sessions do not split into whole days."""
    delivery = program.delivery
    if program.total_sessions % (delivery.blocks * delivery.sessions_per_day):
        return None
    if delivery.same_day_blocks:
        return -(-program.total_sessions // periods)
    return program.total_sessions // delivery.sessions_per_day


@dataclass(frozen=True)
class Window:
    """The first and last day a class may meet on, and the bounds that narrowed the calendar
    (each set only when it did)."""

    first: dt.date
    last: dt.date
    earliest_start: dt.date | None = None
    latest_end: dt.date | None = None
    after_event: Event | None = None  # the class starts after it ends
    before_event: Event | None = None  # the class ends before it starts


def class_window(calendar: Calendar, klass: TrainingClass, events: Mapping[str, Event]) -> Window:
    """The class's window: the calendar cut by its earliest start, latest end and event bounds."""
    first, last = calendar.start, calendar.end
    earliest = latest = None
    if klass.earliest_start is not None and klass.earliest_start > first:
        first = earliest = klass.earliest_start
    if klass.latest_end is not None and klass.latest_end < last:
        last = latest = klass.latest_end
    after = events.get(klass.not_before_event or "")
    if after is not None and after.last + ONE_DAY > first:
        first = after.last + ONE_DAY
    else:
        after = None
    before = events.get(klass.not_after_event or "")
    if before is not None and before.start - ONE_DAY < last:
        last = before.start - ONE_DAY
    else:
        before = None
    return Window(first, last, earliest, latest, after, before)


def open_days(
    days: Sequence[dt.date], first: dt.date, last: dt.date, learners: int, blackouts: Sequence[Blackout]
) -> list[dt.date]:
    """The sorted working `days` from `first` to `last` that no blackout closes to `learners` learners."""
    lo, hi = bisect.bisect_left(days, first), bisect.bisect_right(days, last)
    return [d for d in days[lo:hi] if closing_blackout(blackouts, d, learners) is None]


class Facts:
    """The facts of one scenario, with its look-ups by id, computed once and cached."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.rooms: dict[str, Room] = first_by_id(scenario.rooms)
        self.programs = first_by_id(scenario.programs)
        self.classes = first_by_id(scenario.classes)
        self.lecturers = first_by_id(scenario.lecturers)
        self.events = first_by_id(scenario.calendar.events)
        self.cohort_of: dict[str, Cohort] = {}
        for cohort in scenario.cohorts:
            for class_id in cohort.classes:
                self.cohort_of.setdefault(class_id, cohort)
        self.working_days = working_days(scenario)
        self.periods = list(scenario.calendar.periods)
        self._open: dict[tuple[dt.date, dt.date, int], list[dt.date]] = {}

    @cached_property
    def max_seats(self) -> int:
        """The seats of the largest room (0 without rooms)."""
        return max((r.seats for r in self.scenario.rooms), default=0)

    def class_rooms(self, klass: TrainingClass) -> list[Room]:
        """The rooms the class may use: its pinned room, else its allowed rooms, else every room
        (unknown ids are left out, and none known counts as no restriction: validation reports them)."""
        pinned = self.rooms.get(klass.pinned_room or "")
        if pinned is not None:
            return [pinned]
        allowed = [self.rooms[r] for r in dict.fromkeys(klass.allowed_rooms or []) if r in self.rooms]
        return allowed or list(self.rooms.values())

    def best_seats(self, klass: TrainingClass) -> int:
        """The most learners the class can seat: its pinned room's seats, else its allowed rooms' or
        the largest room's."""
        return max((r.seats for r in self.class_rooms(klass)), default=0)

    def least_learners(self, klass: TrainingClass) -> int:
        """A lower bound of the class's learners (a cohort's class has at least its minimum share)."""
        return least_learners(klass, self.cohort_of.get(klass.id))

    def larger_than_every_room(self, klass: TrainingClass) -> bool:
        """Even the class's least learners are more than the largest room seats."""
        return self.least_learners(klass) > self.max_seats

    def larger_than_its_room(self, klass: TrainingClass) -> bool:
        """The class's least learners are more than it can seat (in its pinned room, else its allowed rooms)."""
        return self.least_learners(klass) > self.best_seats(klass)

    def window(self, klass: TrainingClass) -> Window:
        """The class's window (see `class_window`)."""
        return class_window(self.scenario.calendar, klass, self.events)

    def open_days(self, klass: TrainingClass) -> list[dt.date]:
        """The working days of the class's window that no blackout closes to its least learners."""
        window = self.window(klass)
        key = (window.first, window.last, self.least_learners(klass))
        if key not in self._open:
            self._open[key] = open_days(self.working_days, *key, self.scenario.calendar.blackouts)
        return self._open[key]

    def days_needed(self, program: Program) -> int | None:
        """Meeting days of a class of the program (see `days_needed`)."""
        return days_needed(program, len(self.periods))

    def class_days_needed(self, klass: TrainingClass) -> int | None:
        """Meeting days the class needs; None when its program is unknown or does not split into whole days."""
        program = self.programs.get(klass.program)
        return self.days_needed(program) if program is not None else None

    def window_too_short(self, klass: TrainingClass) -> bool:
        """The class's window holds fewer open working days than it needs."""
        needed = self.class_days_needed(klass)
        return needed is not None and len(self.open_days(klass)) < needed
