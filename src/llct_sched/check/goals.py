"""The checker's soft goals: each `goal_*` gives a goal's unweighted penalty and its penalty per
entity (class, lecturer, month, ...), as docs/rules.md defines it; `GOAL_FUNCTIONS` maps each goal of
the registry (`llct_sched.goals`) the checker prices to its function, in `GOALS` order.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable

from llct_sched.check.context import CheckContext
from llct_sched.goals import CHECKED
from llct_sched.scenario import (
    Lecturer,
    LecturerKind,
    RoomKind,
    TaughtBy,
)

# the goals the checker computes (every goal but the re-planning ones), in the registry's order
GOALS = CHECKED


# --- soft goals: each returns (unweighted penalty, unweighted penalty per entity) ---------------

GoalResult = tuple[int, dict[str, int]]


def _nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in sorted(counts.items()) if v}


def goal_preferred_months(ctx: CheckContext) -> GoalResult:
    """Blocks starting in a month outside the class's non-empty preferred months."""
    per = {
        cid: sum(1 for b in blocks if b[0].month not in ctx.classes[cid].preferred_months)
        for cid, blocks in ctx.blocks.items()
        if ctx.classes[cid].preferred_months
    }
    return sum(per.values()), _nonzero(per)


def goal_month_spread(ctx: CheckContext) -> GoalResult:
    """The most blocks (of all classes) starting in one calendar month; details: blocks per month."""
    per = Counter(f"{b[0].year}-{b[0].month:02d}" for blocks in ctx.blocks.values() for b in blocks)
    return max(per.values(), default=0), _nonzero(dict(per))


def goal_avoid_event_days(ctx: CheckContext) -> GoalResult:
    """Sessions on a day of an event with avoid_classes."""
    events = [e for e in ctx.scenario.calendar.events if e.avoid_classes]
    per = Counter(s.class_id for s in ctx.known_sessions if any(e.start <= s.date <= e.last for e in events))
    return sum(per.values()), _nonzero(dict(per))


def goal_borrowed_room(ctx: CheckContext) -> GoalResult:
    """Sessions held in a borrowed room."""
    borrowed = {r.id for r in ctx.scenario.rooms if r.kind == RoomKind.borrowed}
    per = Counter(s.class_id for s in ctx.known_sessions if s.room_id in borrowed)
    return sum(per.values()), _nonzero(dict(per))


def goal_room_stability(ctx: CheckContext) -> GoalResult:
    """Per class: distinct rooms used - 1."""
    per = {cid: len({s.room_id for s in rows}) - 1 for cid, rows in ctx.sessions.items() if rows}
    return sum(per.values()), _nonzero(per)


def goal_module_lecturer_stability(ctx: CheckContext) -> GoalResult:
    """Per (class, module) of a center-taught program: distinct lecturers - 1 (key 'class/module')."""
    lecturers: dict[str, set[str]] = defaultdict(set)
    for s in ctx.known_sessions:
        program = ctx.program_of(s.class_id)
        if program is not None and program.taught_by == TaughtBy.center and s.lecturer_id is not None:
            lecturers[f"{s.class_id}/{s.module_id}"].add(s.lecturer_id)
    per = {key: len(ids) - 1 for key, ids in lecturers.items()}
    return sum(per.values()), _nonzero(per)


def _taught(ctx: CheckContext) -> Counter[str]:
    return Counter(s.lecturer_id for s in ctx.known_sessions if s.lecturer_id is not None)


def goal_lecturer_balance(ctx: CheckContext) -> GoalResult:
    """Most minus fewest sessions among full-time lecturers; details: each one's excess over the fewest."""
    taught = _taught(ctx)
    full = {lec.id: taught[lec.id] for lec in ctx.scenario.lecturers if lec.kind == LecturerKind.full_time}
    if len(full) < 2:
        return 0, {}
    low = min(full.values())
    return max(full.values()) - low, _nonzero({lid: n - low for lid, n in full.items()})


def _against_limit(ctx: CheckContext, limit: Callable[[Lecturer], int | None], above: bool) -> GoalResult:
    """Per lecturer with a limit: sessions taught above it (`above`) or short of it."""
    taught = _taught(ctx)
    per = {
        lec.id: max(0, (taught[lec.id] - n) if above else (n - taught[lec.id]))
        for lec in ctx.scenario.lecturers
        if (n := limit(lec)) is not None
    }
    return sum(per.values()), _nonzero(per)


def goal_teaching_norm(ctx: CheckContext) -> GoalResult:
    """Per lecturer with a norm: sessions short of it."""
    return _against_limit(ctx, lambda lec: lec.norm_sessions_per_year, above=False)


def goal_over_norm(ctx: CheckContext) -> GoalResult:
    """Per lecturer with a norm band: sessions above its upper edge (overtime)."""
    return _against_limit(ctx, lambda lec: lec.norm_max_sessions_per_year, above=True)


def goal_part_time_minimum(ctx: CheckContext) -> GoalResult:
    """Per lecturer with a minimum share: short * (short + 1) / 2 for the sessions short of it (the
    k-th missing session counts k). The details keep each lecturer's shortfall in sessions."""
    _, short = _against_limit(ctx, lambda lec: lec.min_sessions_per_year, above=False)
    return sum(n * (n + 1) // 2 for n in short.values()), short


def _center_sessions(ctx: CheckContext) -> int:
    """Sessions the center's lecturers teach in the year: every session of a center-taught class."""
    total = 0
    for klass in ctx.scenario.classes:
        program = ctx.program_of(klass.id)
        if program is not None and program.taught_by == TaughtBy.center:
            total += sum(m.sessions for m in program.modules)
    return total


def goal_part_time_share(ctx: CheckContext) -> GoalResult:
    """Sessions short of `staffing.part_time_share` of the center's sessions taught by part-time
    lecturers; details: each part-time lecturer's sessions."""
    share = ctx.scenario.staffing.part_time_share
    if not share:
        return 0, {}
    part_time = {lec.id for lec in ctx.scenario.lecturers if lec.kind == LecturerKind.part_time}
    per = Counter(s.lecturer_id for s in ctx.known_sessions if s.lecturer_id in part_time)
    wanted = -(-round(share * _center_sessions(ctx) * 10**9) // 10**9)  # ceil, exact for shares like 0.3
    return max(0, wanted - sum(per.values())), _nonzero(dict(per))


def goal_specialist(ctx: CheckContext) -> GoalResult:
    """Sessions of a module with preferred lecturers (the module's own, or the specialists of its topic)
    taught by someone else; details per topic."""
    specialists: dict[str, set[str]] = defaultdict(set)
    for lec in ctx.scenario.lecturers:
        for topic in lec.specialist_topics:
            specialists[topic].add(lec.id)
    per: Counter[str] = Counter()
    for s in ctx.known_sessions:
        module = ctx.module_of(s)
        program = ctx.program_of(s.class_id)
        if module is None or program is None or program.taught_by != TaughtBy.center:
            continue
        preferred = (
            set(module.preferred_lecturers) if module.preferred_lecturers is not None else specialists[module.topic]
        )
        if preferred and s.lecturer_id not in preferred:
            per[module.topic] += 1
    return sum(per.values()), _nonzero(dict(per))


def goal_observation_spread(ctx: CheckContext) -> GoalResult:
    """The largest number of observation visits in one calendar month (details: visits per month)."""
    per = Counter(f"{o.date.year}-{o.date.month:02d}" for o in ctx.timetable.observations)
    return max(per.values(), default=0), dict(per)


def goal_room_capacity(ctx: CheckContext) -> GoalResult:
    """Per session: learners above its room's seats (0 unless `rules.soft_room_capacity`); details per class."""
    if not ctx.scenario.rules.soft_room_capacity:
        return 0, {}
    per: Counter[str] = Counter()
    for s in ctx.known_sessions:
        room = ctx.rooms.get(s.room_id)
        learners = ctx.learners(s.class_id)
        if room is not None and learners is not None:
            per[s.class_id] += max(0, learners - room.seats)
    return sum(per.values()), _nonzero(dict(per))


def goal_min_days(ctx: CheckContext) -> GoalResult:
    """Per class: days short of its program's `delivery.min_days` (distinct dates it meets on)."""
    per: dict[str, int] = {}
    for cid in ctx.classes:
        program = ctx.program_of(cid)
        if program is not None:
            met = len({s.date for s in ctx.sessions.get(cid, [])})
            per[cid] = max(0, program.delivery.min_days - met)
    return sum(per.values()), _nonzero(per)


def goal_isolated_sessions(ctx: CheckContext) -> GoalResult:
    """Per learner group: its classes' sessions with no session of the group in an adjacent slot; details per group."""
    members: dict[str, set[str]] = defaultdict(set)
    for klass in ctx.scenario.classes:
        for gid in klass.groups:
            members[gid].add(klass.id)
    per: dict[str, int] = {}
    for gid, cids in members.items():
        keys = [ctx.slot_key(s.date, s.period) for cid in cids for s in ctx.sessions.get(cid, [])]
        busy = set(keys)
        per[gid] = sum(1 for key in keys if not any(k in busy for k in ctx.adjacent(key)))
    return sum(per.values()), _nonzero(per)


GOAL_FUNCTIONS: dict[str, Callable[[CheckContext], GoalResult]] = {
    "preferred_months": goal_preferred_months,
    "month_spread": goal_month_spread,
    "avoid_event_days": goal_avoid_event_days,
    "borrowed_room": goal_borrowed_room,
    "room_stability": goal_room_stability,
    "module_lecturer_stability": goal_module_lecturer_stability,
    "lecturer_balance": goal_lecturer_balance,
    "teaching_norm": goal_teaching_norm,
    "specialist": goal_specialist,
    "over_norm": goal_over_norm,
    "part_time_minimum": goal_part_time_minimum,
    "part_time_share": goal_part_time_share,
    "observation_spread": goal_observation_spread,
    "room_capacity": goal_room_capacity,
    "min_days": goal_min_days,
    "isolated_sessions": goal_isolated_sessions,
}
