"""Pre-solve diagnostics: cheap counting checks that catch the common reasons a scenario is impossible.

Each check is a necessary condition computed from the scenario alone (no solver): a `Diagnosis`
means that no timetable can keep every rule of docs/rules.md; no diagnosis does not mean that one
exists. Messages are plain words naming the entities and the numbers (in the current language,
`llct_sched.i18n`). The checks never raise on a scenario that has not been validated: unknown
references are skipped (validation reports them). The facts they count on (windows, open days,
least learners) are `llct_sched.scenario.facts`'; a fact of one class or cohort (larger than every room or
than its pinned room, a window too short) is an input error that `validate` reports, not a diagnosis.

Kinds:
- `room_capacity`: the classes that only fit rooms of at least some size (of every room, or of the
  rooms some classes are held to by `allowed_rooms`) need more room sessions than those rooms are
  open in the span of the classes' windows;
- `no_lecturer_free`: a module of a class whose possible lecturers are never free on a day the
  class may meet;
- `observation`: an observed lecturer who can never be visited (teaches no topic of a counted
  module, or is never free when an allowed observer is);
- `group_days`: a learner group whose classes need more sessions than the union of their windows holds;
- `yearly_limit`: a lecturer whose topics taught by no one else need more sessions than their yearly limit;
- `staffing_capacity`: topics (one, two, or all of them) whose sessions in the year are more than all
  their lecturers together can teach (each at most their yearly limit and their free half-days).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from llct_sched.i18n import _
from llct_sched.scenario import (
    Lecturer,
    Program,
    Scenario,
    TaughtBy,
    TrainingClass,
    Weekday,
)
from llct_sched.scenario.facts import Facts, room_closed

__all__ = ["KINDS", "Diagnosis", "diagnose"]

KINDS = (
    "room_capacity",
    "no_lecturer_free",
    "observation",
    "group_days",
    "yearly_limit",
    "staffing_capacity",
)
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


class _Facts(Facts):
    """The scenario's facts (`llct_sched.scenario.facts`) and the lecturers' free slots, computed once."""

    def program(self, klass: TrainingClass) -> Program | None:
        return self.programs.get(klass.program)

    def free(self, lecturer: Lecturer, day: dt.date, period: str) -> bool:
        """The lecturer may be present in the slot: weekly availability, dates away, events."""
        if lecturer.available is not None and period not in lecturer.available.get(_WEEKDAYS[day.weekday()], []):
            return False
        if any(r.covers(day, period) for r in lecturer.unavailable):
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
    """Per room size band, of every room and of each set of rooms classes are held to (`allowed_rooms`):
    sessions needed by the classes that only fit its rooms vs the rooms' open sessions."""
    out = []
    soft = facts.scenario.rules.soft_room_capacity
    usable: dict[str, frozenset[str]] = {}  # class -> the rooms it fits (a pinned room too small: that room)
    for klass in facts.classes.values():
        its_rooms = facts.class_rooms(klass)
        fitting = [r.id for r in its_rooms if soft or r.seats >= facts.least_learners(klass)]
        pinned = klass.pinned_room in facts.rooms
        usable[klass.id] = frozenset(fitting if fitting or not pinned else [its_rooms[0].id])
    every = frozenset(facts.rooms)
    held = {frozenset(r.id for r in facts.class_rooms(k)) for k in facts.classes.values() if k.allowed_rooms}
    bands: dict[frozenset[str], tuple[int, bool]] = {}  # a band's rooms -> (size, a band of every room)
    for pool in [every, *sorted(held - {every}, key=sorted)]:
        sizes = sorted({facts.rooms[r].seats for r in pool})
        for size in sizes[:1] if soft else sizes:  # soft: any class may take any room
            bands.setdefault(frozenset(r for r in pool if facts.rooms[r].seats >= size), (size, pool == every))
    for band_ids, (size, of_every_room) in bands.items():
        band_rooms = [r for r in facts.rooms.values() if r.id in band_ids]
        band: list[tuple[TrainingClass, Program]] = []
        for klass in facts.classes.values():
            program = facts.program(klass)
            if program is None or facts.days_needed(program) is None:
                continue
            if usable[klass.id] <= band_ids:  # the class fits only the band's rooms
                band.append((klass, program))
        if not band:
            continue
        needed = sum(p.total_sessions for _, p in band)
        days = sorted({d for k, _ in band for d in facts.open_days(k)})
        per_day = len(facts.periods)
        capacity = sum(per_day for room in band_rooms for d in days if not room_closed(room, d))
        if needed > capacity:
            classes = [k.id for k, _ in band]
            rooms = [r.id for r in band_rooms]
            span = _(" between {first} and {last}").format(first=_d(days[0]), last=_d(days[-1])) if days else ""
            if of_every_room:
                message = _(
                    "classes needing >= {size} seats ({classes}) need {needed} room sessions "
                    "({room_days:g} room-days) but rooms with >= {size} seats ({rooms}) are open "
                    "{open_days} room-days ({capacity} sessions){span}"
                )
            else:
                message = _(
                    "classes that can only use rooms {rooms} ({classes}) need {needed} room sessions "
                    "({room_days:g} room-days) but these rooms are open {open_days} room-days ({capacity} "
                    "sessions){span}"
                )
            out.append(
                Diagnosis(
                    "room_capacity",
                    message.format(
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
        window = facts.window(klass)
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
                        first=_d(window.first),
                        last=_d(window.last),
                    ),
                    (klass.id, module.id, *able),
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
    capacity_of = {(lid, paired): _capacity(facts, lid, paired) for lid in facts.lecturers for paired in (False, True)}
    for subset in candidates:
        if any(found <= set(subset) for found in short):
            continue
        lecturers = sorted({lid for t in subset for lid in teachers[t]})
        if len(lecturers) == 1 and facts.lecturers[lecturers[0]].max_sessions_per_year is not None:
            continue  # one capped lecturer alone: `yearly_limit` says it
        for sessions, paired_only in ((total, False), (long, True)):
            needed = sum(sessions.get(t, 0) for t in subset)
            capacity = [capacity_of[lid, paired_only] for lid in lecturers]
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
    check_observation,
    check_group_days,
    check_yearly_limit,
    check_staffing_capacity,
)


def diagnose(scenario: Scenario) -> list[Diagnosis]:
    """Every certain reason for infeasibility that cheap counting finds (none does not prove feasibility)."""
    facts = _Facts(scenario)
    return [d for check in CHECKS for d in check(facts)]
