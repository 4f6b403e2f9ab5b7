"""Pre-solve diagnostics: cheap counting checks that catch the common reasons a scenario is impossible.

Each check is a necessary condition computed from the scenario alone (no solver): a `Diagnosis`
means that no timetable can keep every rule of docs/rules.md; no diagnosis does not mean that one
exists. Messages are plain words naming the entities and the numbers (in the current language,
`llct_sched.i18n`). The checks never raise on a
scenario that has not been validated: unknown references are skipped (validation reports them).

Kinds:
- `room_capacity`: the classes that only fit rooms of at least some size need more room sessions
  than those rooms are open in the span of the classes' windows;
- `no_lecturer_free`: a module of a class whose possible lecturers are never free on a day the
  class may meet;
- `room_size`: a class (or a cohort's smallest share) larger than every room it may use;
- `class_window`: a class whose window holds fewer open working days than it needs;
- `observation`: an observed lecturer who can never be visited (teaches no topic of a counted
  module, or is never free when an allowed observer is);
- `group_days`: a learner group whose classes need more sessions than the union of their windows holds;
- `yearly_limit`: a lecturer whose topics taught by no one else need more sessions than their yearly limit;
- `staffing_capacity`: topics (one, two, or all of them) whose sessions in the year are more than all
  their lecturers together can teach (each at most their yearly limit and their free half-days).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from llct_sched.i18n import _
from llct_sched.scenario import (
    Cohort,
    Lecturer,
    Program,
    Room,
    Scenario,
    TaughtBy,
    TrainingClass,
    Weekday,
)

__all__ = ["KINDS", "Diagnosis", "diagnose"]

KINDS = (
    "room_capacity",
    "no_lecturer_free",
    "room_size",
    "class_window",
    "observation",
    "group_days",
    "yearly_limit",
    "staffing_capacity",
)
ONE_DAY = dt.timedelta(days=1)
_WEEKDAYS = list(Weekday)


@dataclass(frozen=True)
class Diagnosis:
    """A certain reason for infeasibility: its kind, a plain-words message and the entity ids involved."""

    kind: str
    message: str
    entities: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"[{self.kind}] {self.message}"


def _ids(items: list[str] | tuple[str, ...] | set[str], limit: int = 8) -> str:
    items = sorted(set(items))
    shown = ", ".join(items[:limit])
    return _("{shown} and {n} more").format(shown=shown, n=len(items) - limit) if len(items) > limit else shown


def _d(day: dt.date) -> str:
    return day.isoformat()


class _Facts:
    """Calendar and look-ups of one scenario, computed once."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        cal = scenario.calendar
        self.rooms = {r.id: r for r in reversed(scenario.rooms)}
        self.programs = {p.id: p for p in reversed(scenario.programs)}
        self.classes = {c.id: c for c in reversed(scenario.classes)}
        self.lecturers = {lec.id: lec for lec in reversed(scenario.lecturers)}
        self.events = {e.id: e for e in reversed(cal.events)}
        self.cohort_of: dict[str, Cohort] = {}
        for cohort in scenario.cohorts:
            for cid in cohort.classes:
                self.cohort_of.setdefault(cid, cohort)
        self.working_days = cal.working_days()
        self.periods = list(cal.periods)
        self._windows: dict[tuple[dt.date, dt.date, int], list[dt.date]] = {}

    @cached_property
    def max_seats(self) -> int:
        return max((r.seats for r in self.scenario.rooms), default=0)

    def program(self, klass: TrainingClass) -> Program | None:
        return self.programs.get(klass.program)

    def least_learners(self, klass: TrainingClass) -> int:
        """A lower bound of the class's learners (a cohort class has at least min_per_class)."""
        if klass.learners is not None:
            return klass.learners
        cohort = self.cohort_of.get(klass.id)
        return cohort.min_per_class if cohort is not None else 1

    def window(self, klass: TrainingClass) -> tuple[dt.date, dt.date]:
        """First and last day the class may meet (calendar, earliest start, latest end, events)."""
        cal = self.scenario.calendar
        first, last = cal.start, cal.end
        if klass.earliest_start is not None:
            first = max(first, klass.earliest_start)
        if klass.latest_end is not None:
            last = min(last, klass.latest_end)
        before = self.events.get(klass.not_before_event or "")
        if before is not None:
            first = max(first, before.last + ONE_DAY)
        after = self.events.get(klass.not_after_event or "")
        if after is not None:
            last = min(last, after.start - ONE_DAY)
        return first, last

    def closed(self, day: dt.date, learners: int) -> bool:
        """A blackout closes the day to a class of that many learners."""
        return any(
            b.start <= day <= b.end and (b.max_gathering is None or learners > b.max_gathering)
            for b in self.scenario.calendar.blackouts
        )

    def open_days(self, klass: TrainingClass) -> list[dt.date]:
        """Working days in the class's window not closed to it by a blackout."""
        first, last = self.window(klass)
        key = (first, last, self.least_learners(klass))
        if key not in self._windows:
            lo = bisect.bisect_left(self.working_days, first)
            hi = bisect.bisect_right(self.working_days, last)
            self._windows[key] = [d for d in self.working_days[lo:hi] if not self.closed(d, key[2])]
        return self._windows[key]

    def days_needed(self, program: Program) -> int | None:
        """Meeting days of a class of the program, None when the delivery does not split evenly."""
        d = program.delivery
        if program.total_sessions % (d.blocks * d.sessions_per_day):
            return None
        if d.same_day_blocks:  # blocks may share days: at least the days that hold all sessions
            return -(-program.total_sessions // len(self.periods))
        return program.total_sessions // d.sessions_per_day

    def room_open(self, room: Room, day: dt.date) -> bool:
        return not any(r.contains(day) for r in room.unavailable)

    def free(self, lecturer: Lecturer, day: dt.date, period: str) -> bool:
        """The lecturer may be present in the slot: weekly availability, dates away, events."""
        if lecturer.available is not None and period not in lecturer.available.get(_WEEKDAYS[day.weekday()], []):
            return False
        if any(r.contains(day) for r in lecturer.unavailable):
            return False
        for eid in lecturer.unavailable_events:
            event = self.events.get(eid)
            if event is not None and event.start <= day <= event.last:
                return False
        return True

    @cached_property
    def free_slots(self) -> dict[str, frozenset[tuple[dt.date, str]]]:
        """Lecturer -> the working-day slots they may be present in."""
        return {
            lid: frozenset((d, p) for d in self.working_days for p in self.periods if self.free(lec, d, p))
            for lid, lec in self.lecturers.items()
        }

    def center_classes(self) -> list[tuple[TrainingClass, Program]]:
        out = []
        for klass in self.classes.values():
            program = self.program(klass)
            if program is not None and program.taught_by == TaughtBy.center:
                out.append((klass, program))
        return out


# --- the checks ----------------------------------------------------------------------------------


def check_room_capacity(facts: _Facts) -> list[Diagnosis]:
    """Per room size band: sessions needed by the classes that only fit its rooms vs the rooms' open sessions."""
    out = []
    sizes = sorted({r.seats for r in facts.scenario.rooms})
    if facts.scenario.rules.soft_room_capacity:  # any class may take any room
        sizes = sizes[:1]
    for i, size in enumerate(sizes):
        below = sizes[i - 1] if i else 0
        band_rooms = [r for r in facts.rooms.values() if r.seats >= size]
        band: list[tuple[TrainingClass, Program]] = []
        for klass in facts.classes.values():
            program = facts.program(klass)
            if program is None or facts.days_needed(program) is None:
                continue
            pinned = facts.rooms.get(klass.pinned_room or "")
            fits_only_band = pinned.seats >= size if pinned is not None else facts.least_learners(klass) > below
            if fits_only_band:
                band.append((klass, program))
        if not band:
            continue
        needed = sum(p.total_sessions for _, p in band)
        days = sorted({d for k, _ in band for d in facts.open_days(k)})
        per_day = len(facts.periods)
        capacity = sum(per_day for room in band_rooms for d in days if facts.room_open(room, d))
        if needed > capacity:
            classes = [k.id for k, _ in band]
            rooms = [r.id for r in band_rooms]
            span = _(" between {first} and {last}").format(first=_d(days[0]), last=_d(days[-1])) if days else ""
            out.append(
                Diagnosis(
                    "room_capacity",
                    _(
                        "classes needing >= {size} seats ({classes}) need {needed} room sessions "
                        "({room_days:g} room-days) but rooms with >= {size} seats ({rooms}) are open "
                        "{open_days} room-days ({capacity} sessions){span}"
                    ).format(
                        size=size,
                        classes=_ids(classes),
                        needed=needed,
                        room_days=needed / per_day,
                        rooms=_ids(rooms),
                        open_days=capacity // per_day,
                        capacity=capacity,
                        span=span,
                    ),
                    tuple(sorted(classes)) + tuple(sorted(rooms)),
                )
            )
    return out


def check_no_lecturer_free(facts: _Facts) -> list[Diagnosis]:
    """Per class: a module whose possible lecturers are never free on a day the class may meet."""
    out = []
    teachers: dict[str, list[str]] = defaultdict(list)
    for lid, lec in facts.lecturers.items():
        for topic in set(lec.topics):
            teachers[topic].append(lid)
    for klass, program in facts.center_classes():
        days = facts.open_days(klass)
        first, last = facts.window(klass)
        slots = {(d, p) for d in days for p in facts.periods}
        for module in program.modules:
            able = sorted(teachers.get(module.topic, []))
            if any(not facts.free_slots[lid].isdisjoint(slots) for lid in able):
                continue
            message = (
                _(
                    "class {klass}: module {module} (topic {topic}): its lecturers ({lecturers}) are never free "
                    "on any of the {days} open working days of its window {first}..{last}"
                )
                if able
                else _(
                    "class {klass}: module {module} (topic {topic}): no lecturer teaches it so nobody is free "
                    "on any of the {days} open working days of its window {first}..{last}"
                )
            )
            out.append(
                Diagnosis(
                    "no_lecturer_free",
                    message.format(
                        klass=klass.id,
                        module=module.id,
                        topic=module.topic,
                        lecturers=_ids(able),
                        days=len(days),
                        first=_d(first),
                        last=_d(last),
                    ),
                    (klass.id, module.id, *able),
                )
            )
    return out


def check_room_size(facts: _Facts) -> list[Diagnosis]:
    """A class larger than every room (or its pinned room); a cohort whose smallest share fits no room."""
    out: list[Diagnosis] = []
    if facts.scenario.rules.soft_room_capacity:
        return out
    most = facts.max_seats
    for klass in facts.classes.values():
        learners = facts.least_learners(klass)
        pinned = facts.rooms.get(klass.pinned_room or "")
        if learners > most:
            share = "" if klass.learners is not None else _(" (at least, as its cohort's minimum share)")
            out.append(
                Diagnosis(
                    "room_size",
                    _("class {klass} has {learners} learners{share} but the largest room seats {most}").format(
                        klass=klass.id, learners=learners, share=share, most=most
                    ),
                    (klass.id,),
                )
            )
        elif pinned is not None and learners > pinned.seats:
            out.append(
                Diagnosis(
                    "room_size",
                    _("class {klass} has {learners} learners but its pinned room {room} seats {seats}").format(
                        klass=klass.id, learners=learners, room=pinned.id, seats=pinned.seats
                    ),
                    (klass.id, pinned.id),
                )
            )
    for cohort in facts.scenario.cohorts:
        known = [facts.classes[c] for c in cohort.classes if c in facts.classes]
        if not known:
            continue
        seats = []
        for klass in known:
            pinned = facts.rooms.get(klass.pinned_room or "")
            seats.append(min(pinned.seats if pinned else most, cohort.max_per_class or most))
        if sum(seats) < cohort.learners:
            out.append(
                Diagnosis(
                    "room_size",
                    _(
                        "cohort {cohort} has {learners} learners but its {n} classes ({classes}) can seat at most "
                        "{seats}"
                    ).format(
                        cohort=cohort.id,
                        learners=cohort.learners,
                        n=len(known),
                        classes=_ids([k.id for k in known]),
                        seats=sum(seats),
                    ),
                    (cohort.id, *sorted(k.id for k in known)),
                )
            )
    return out


def check_class_window(facts: _Facts) -> list[Diagnosis]:
    """A class whose window holds fewer open working days than it needs (blackouts for its size counted)."""
    out = []
    for klass in facts.classes.values():
        program = facts.program(klass)
        needed = facts.days_needed(program) if program is not None else None
        if program is None or needed is None:
            continue
        days = facts.open_days(klass)
        if len(days) < needed:
            first, last = facts.window(klass)
            out.append(
                Diagnosis(
                    "class_window",
                    _(
                        "class {klass} needs {needed} working days ({blocks} block(s) of {per_block} day(s)) but "
                        "its window {first}..{last} holds only {days} open to its {learners} learners"
                    ).format(
                        klass=klass.id,
                        needed=needed,
                        blocks=program.delivery.blocks,
                        per_block=needed // program.delivery.blocks,
                        first=_d(first),
                        last=_d(last),
                        days=len(days),
                        learners=facts.least_learners(klass),
                    ),
                    (klass.id,),
                )
            )
    return out


def check_observation(facts: _Facts) -> list[Diagnosis]:
    """An observed lecturer who teaches no counted topic, or is never free with an allowed observer."""
    policy = facts.scenario.observation
    if policy.visits_per_lecturer == 0:
        return []
    if policy.observers is not None:
        allowed = sorted({o for o in policy.observers if o in facts.lecturers})
    else:
        allowed = sorted(lid for lid, lec in facts.lecturers.items() if lec.can_observe)
    counted = [
        (klass, program)
        for klass, program in facts.center_classes()
        if policy.programs is None or program.id in policy.programs
    ]
    out = []
    for lid, lecturer in facts.lecturers.items():
        if lecturer.kind not in policy.observed_kinds:
            continue
        kind = lecturer.kind.value
        topics = set(lecturer.topics)
        classes = [(k, p) for k, p in counted if any(m.topic in topics for m in p.modules)]
        if not classes:
            out.append(
                Diagnosis(
                    "observation",
                    _(
                        "lecturer {lecturer} ({kind}) must be observed but teaches no topic of a module that counts "
                        "for observation (topics: {topics})"
                    ).format(lecturer=lid, kind=kind, topics=_ids(topics) or _("none")),
                    (lid,),
                )
            )
            continue
        observers = [o for o in allowed if o != lid]
        if not observers:
            out.append(
                Diagnosis(
                    "observation",
                    _(
                        "lecturer {lecturer} ({kind}) must be observed but no other lecturer is an allowed observer"
                    ).format(lecturer=lid, kind=kind),
                    (lid,),
                )
            )
            continue
        days = {d for k, _ in classes for d in facts.open_days(k)}
        own = {(d, p) for d, p in facts.free_slots[lid] if d in days}
        watched = set().union(*(facts.free_slots[o] for o in observers))
        if not own & watched:
            out.append(
                Diagnosis(
                    "observation",
                    _(
                        "lecturer {lecturer} ({kind}) must be observed but their {n} free half-day(s) in the windows "
                        "of the classes they can teach never coincide with a free half-day of an allowed observer "
                        "({observers})"
                    ).format(lecturer=lid, kind=kind, n=len(own), observers=_ids(observers)),
                    (lid, *observers),
                )
            )
    return out


def check_group_days(facts: _Facts) -> list[Diagnosis]:
    """Per learner group: sessions its classes need vs the sessions in the union of their windows."""
    members: dict[str, list[TrainingClass]] = defaultdict(list)
    for klass in facts.classes.values():
        for gid in set(klass.groups):
            members[gid].append(klass)
    out = []
    for gid, classes in sorted(members.items()):
        usable = [(k, p) for k in classes if (p := facts.program(k)) is not None and facts.days_needed(p) is not None]
        if len(usable) < 2:
            continue
        needed = sum(p.total_sessions for _, p in usable)
        days = {d for k, _ in usable for d in facts.open_days(k)}
        per_day = len(facts.periods)
        if needed > per_day * len(days):
            out.append(
                Diagnosis(
                    "group_days",
                    _(
                        "group {group}: its {n} classes ({classes}) need {needed} sessions ({needed_days:g} days), "
                        "never two at once, but the union of their windows holds {days} open working days "
                        "({sessions} sessions)"
                    ).format(
                        group=gid,
                        n=len(usable),
                        classes=_ids([k.id for k, _ in usable]),
                        needed=needed,
                        needed_days=needed / per_day,
                        days=len(days),
                        sessions=per_day * len(days),
                    ),
                    (gid, *sorted(k.id for k, _ in usable)),
                )
            )
    return out


def check_yearly_limit(facts: _Facts) -> list[Diagnosis]:
    """A lecturer with a yearly limit whose topics taught by no one else need more sessions than it."""
    teachers: dict[str, set[str]] = defaultdict(set)
    for lid, lec in facts.lecturers.items():
        for topic in lec.topics:
            teachers[topic].add(lid)
    sessions: dict[str, int] = defaultdict(int)
    for _klass, program in facts.center_classes():
        for module in program.modules:
            sessions[module.topic] += module.sessions
    out = []
    for lid, lecturer in facts.lecturers.items():
        limit = lecturer.max_sessions_per_year
        if limit is None:
            continue
        sole = sorted(t for t in set(lecturer.topics) if teachers[t] == {lid} and sessions.get(t))
        needed = sum(sessions[t] for t in sole)
        if needed > limit:
            parts = ", ".join(f"{t} {sessions[t]}" for t in sole)
            out.append(
                Diagnosis(
                    "yearly_limit",
                    _(
                        "lecturer {lecturer} is the only one who teaches {topics} ({needed} sessions in all) "
                        "but may teach at most {limit} sessions a year"
                    ).format(lecturer=lid, topics=parts, needed=needed, limit=limit),
                    (lid, *sole),
                )
            )
    return out


def _segment_sessions(facts: _Facts) -> tuple[dict[str, int], dict[str, int]]:
    """Per topic: the center's sessions in the year, and those in segments of two or more sessions
    (a module's run inside one block, which one lecturer gives over adjacent half-days)."""
    total: dict[str, int] = defaultdict(int)
    long: dict[str, int] = defaultdict(int)
    for _klass, program in facts.center_classes():
        order = [m for m in program.modules for _ in range(m.sessions)]
        per_block = len(order) // max(1, program.delivery.blocks)
        for b in range(program.delivery.blocks):
            block = order[b * per_block : (b + 1) * per_block]
            k = 0
            while k < len(block):
                end = k
                while end + 1 < len(block) and block[end + 1] is block[k]:
                    end += 1
                total[block[k].topic] += end - k + 1
                if end > k:
                    long[block[k].topic] += end - k + 1
                k = end + 1
    return total, long


def _paired_slots(facts: _Facts, lid: str) -> int:
    """Free half-days of the lecturer next to another of their free half-days (same day, or an
    afternoon and the next working day's morning): only those can hold a multi-session segment."""
    free = facts.free_slots[lid]
    order = [(d, p) for d in facts.working_days for p in facts.periods]
    paired = 0
    for k, slot in enumerate(order):
        if slot in free and ((k > 0 and order[k - 1] in free) or (k + 1 < len(order) and order[k + 1] in free)):
            paired += 1
    return paired


def _capacity(facts: _Facts, lid: str, paired_only: bool) -> tuple[int, str]:
    """How many sessions a lecturer can teach in the year at most (of multi-session segments only,
    with `paired_only`), and why, in words."""
    lecturer = facts.lecturers[lid]
    free = _paired_slots(facts, lid) if paired_only else len(facts.free_slots[lid])
    limit = lecturer.max_sessions_per_year
    if limit is not None and limit < free:
        return limit, _("{lecturer} at most {limit} a year").format(lecturer=lid, limit=limit)
    if paired_only:
        return free, _("{lecturer} {n} free half-days next to another").format(lecturer=lid, n=free)
    return free, _("{lecturer} {n} free half-days").format(lecturer=lid, n=free)


def check_staffing_capacity(facts: _Facts) -> list[Diagnosis]:
    """Hall's condition on small sets of topics: the sessions of the topics <= what their lecturers
    can teach together, for all sessions and for those of multi-session segments. Checked for each
    topic, each pair of topics and all topics together; a set is reported only when none of its
    subsets already is."""
    teachers: dict[str, set[str]] = defaultdict(set)
    for lid, lec in facts.lecturers.items():
        for topic in lec.topics:
            teachers[topic].add(lid)
    total, long = _segment_sessions(facts)
    topics = sorted(t for t in total if teachers[t])
    candidates: list[tuple[str, ...]] = [(t,) for t in topics]
    candidates += [(a, b) for i, a in enumerate(topics) for b in topics[i + 1 :]]
    candidates.append(tuple(topics))
    out: list[Diagnosis] = []
    short: list[set[str]] = []
    for subset in candidates:
        if any(found <= set(subset) for found in short):
            continue
        lecturers = sorted({lid for t in subset for lid in teachers[t]})
        if len(lecturers) == 1 and facts.lecturers[lecturers[0]].max_sessions_per_year is not None:
            continue  # one capped lecturer alone: `yearly_limit` says it
        for sessions, paired_only in ((total, False), (long, True)):
            needed = sum(sessions.get(t, 0) for t in subset)
            capacity = [_capacity(facts, lid, paired_only) for lid in lecturers]
            can = sum(n for n, _ in capacity)
            if needed > can:
                short.append(set(subset))
                able = [why for n, why in capacity if n > 0]
                unable = [lid for lid, (n, _) in zip(lecturers, capacity, strict=True) if n == 0]
                if unable:
                    able.append(_("{lecturers} none").format(lecturers=_ids(unable)))
                message = (
                    _(
                        "topic(s) {topics} need {needed} sessions in multi-session runs a year, but their lecturers "
                        "can teach at most {can}: {why}"
                    )
                    if paired_only
                    else _(
                        "topic(s) {topics} need {needed} sessions a year, but their lecturers can teach at most "
                        "{can}: {why}"
                    )
                )
                out.append(
                    Diagnosis(
                        "staffing_capacity",
                        message.format(topics=", ".join(subset), needed=needed, can=can, why="; ".join(able)),
                        (*subset, *lecturers),
                    )
                )
                break
    return out


CHECKS = (
    check_room_capacity,
    check_no_lecturer_free,
    check_room_size,
    check_class_window,
    check_observation,
    check_group_days,
    check_yearly_limit,
    check_staffing_capacity,
)


def diagnose(scenario: Scenario) -> list[Diagnosis]:
    """Every certain reason for infeasibility that cheap counting finds (none does not prove feasibility)."""
    facts = _Facts(scenario)
    return [d for check in CHECKS for d in check(facts)]
