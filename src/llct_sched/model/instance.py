"""The instance: the one place that turns a scenario into integer indices for the model.

Time is a slot axis over working days only: slot t = P * day + period, where P is the number of
the calendar's periods (2 for a center: 0 morning, 1 afternoon), `day` indexes the calendar's
working days and `period` the calendar's periods. A class is a sequence of blocks; each block
occupies a fixed pattern of slots relative to its start slot, so every class-level rule (windows,
blackouts, pinned dates, delivery) becomes a set of allowed start slots.

A block's sessions are split into *segments*: maximal runs of one module inside one block. One
lecturer teaches a whole segment (a segment of a part-time lecturer's module is usually a single
half-day session).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from llct_sched.scenario import Lecturer, Program, Scenario, TaughtBy, TrainingClass
from llct_sched.scenario.facts import class_window, closes, first_by_id, room_closed, working_days
from llct_sched.timetable import Timetable


@dataclass(frozen=True)
class SegmentInfo:
    index: int
    block: int
    class_index: int
    module_index: int
    first: int  # first session of the segment, counted inside its block
    length: int
    lecturers: tuple[int, ...]  # lecturers who list the module's topic


@dataclass
class BlockInfo:
    index: int
    class_index: int
    number: int  # 0-based block number inside its class
    days: int
    sessions_per_day: int
    periods: int  # periods per working day (P)
    starts: list[int]  # allowed start slots (after every static rule)
    # (max_gathering, starts allowed when the class is larger than it): cohort classes only
    gathering_limits: list[tuple[int, list[int]]] = field(default_factory=list)
    segments: list[int] = field(default_factory=list)

    @property
    def sessions(self) -> int:
        return self.days * self.sessions_per_day

    def offset(self, session: int) -> int:
        """Slot offset, from the start slot, of the block's session `session` (0-based)."""
        day, rest = divmod(session, self.sessions_per_day)
        return self.periods * day + rest

    @property
    def last_offset(self) -> int:
        """Slot offset, from the start slot, of the block's last session."""
        return self.offset(self.sessions - 1)

    def slots(self, start: int) -> list[int]:
        """The slots of the block's sessions, in order, when it starts at `start`."""
        return [start + self.offset(k) for k in range(self.sessions)]

    def pieces(self, start_offset: int, first: int, length: int) -> list[tuple[int, int]]:
        """Contiguous (offset, size) pieces of sessions first..first+length-1, offsets from the start slot."""
        pieces: list[tuple[int, int]] = []
        for k in range(first, first + length):
            off = start_offset + self.offset(k)
            if pieces and pieces[-1][0] + pieces[-1][1] == off:
                pieces[-1] = (pieces[-1][0], pieces[-1][1] + 1)
            else:
                pieces.append((off, 1))
        return pieces


@dataclass
class ClassInfo:
    index: int
    spec: TrainingClass
    program: Program
    module_order: list[int]  # module indices in the order sessions are filled
    session_module: list[int]  # module index of each session of the class, in order
    blocks: list[int]
    learners_min: int
    learners_max: int
    cohort: int | None
    taught_by_center: bool
    qualifies_for_observation: bool
    room_choices: list[int] = field(default_factory=list)  # rooms it may use: pinned_room and allowed_rooms


@dataclass
class Baseline:
    """A previous timetable mapped onto this instance's blocks and segments, for re-planning.

    Blocks that started before `freeze_before` are frozen: start, room and the lecturers of their
    sessions before that date stay as they were. Classes absent from the baseline, or whose number
    of sessions changed, have no baseline entry (they are placed freely).
    """

    start: dict[int, int]  # block -> baseline start slot
    room: dict[int, int]  # block -> baseline room
    lecturer: dict[int, int]  # segment -> baseline lecturer
    frozen_blocks: set[int]
    frozen_segments: set[int]  # segments whose sessions lie before freeze_before
    visits: list[tuple[int, int, int, int]]  # frozen visits: segment, session in segment, observed, observer
    freeze_before: dt.date | None
    learners: dict[int, int] = field(default_factory=dict)  # class -> baseline learners
    # visits planned on or after freeze_before: segment, session in segment, observed, observer
    planned_visits: list[tuple[int, int, int, int]] = field(default_factory=list)
    max_moves: int | None = None  # at most this many unfrozen blocks may move


@dataclass
class Instance:
    scenario: Scenario
    days: list[dt.date]
    classes: list[ClassInfo]
    blocks: list[BlockInfo]
    segments: list[SegmentInfo]
    rooms: list[int]  # seats per room
    room_unavailable_slots: list[list[int]]
    lecturer_available: list[list[bool]]  # [lecturer][slot]
    observed: list[int]  # lecturers who must be observed
    observers: list[int]
    group_classes: list[list[int]]
    cohort_classes: list[list[int]]
    empty_blocks: list[int] = field(default_factory=list)  # blocks with no allowed start at all
    # (segment, observed lecturer) -> starts of its block where the lecturer can teach it observed
    visit_chances: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    observable_elsewhere: set[int] = field(default_factory=set)  # observable, with too many chances to list
    teachable: set[tuple[int, int]] = field(default_factory=set)  # (segment, lecturer) free at some allowed start
    baseline: Baseline | None = None  # the plan being re-planned, if any

    @property
    def unobservable(self) -> list[int]:
        """Observed lecturers who can never teach a session while an observer is free."""
        if self.scenario.observation.visits_per_lecturer == 0:
            return []
        can = {lec for (_, lec) in self.visit_chances} | self.observable_elsewhere
        return [lec for lec in self.observed if lec not in can]

    def visits_a_chance_holds(self, segment: int) -> int:
        """The visits one chance (an observable segment) can count: one per session, up to
        `visits_per_lecturer` (stage 2 and the checker allow visits in a segment's distinct sessions)."""
        return min(self.scenario.observation.visits_per_lecturer, self.segments[segment].length)

    @property
    def periods(self) -> int:
        """Periods per working day (P)."""
        return len(self.scenario.calendar.periods)

    @property
    def n_slots(self) -> int:
        return self.periods * len(self.days)

    def slot_day(self, slot: int) -> int:
        """Index of the slot's working day."""
        return slot // self.periods

    def slot_date(self, slot: int) -> dt.date:
        return self.days[self.slot_day(slot)]

    def slot_period(self, slot: int) -> str:
        return self.scenario.calendar.periods[slot % self.periods]

    def slot_of(self, day: int, period: str) -> int:
        return self.periods * day + self.scenario.calendar.periods.index(period)

    @property
    def n_months(self) -> int:
        """The calendar months the working days fall in."""
        return len({(d.year, d.month) for d in self.days})

    def neighbours(self, slot: int) -> list[int]:
        """The slots next to `slot` on its day (the previous and the next period)."""
        return [t for t in (slot - 1, slot + 1) if 0 <= t < self.n_slots and t // self.periods == slot // self.periods]

    def day_of(self, when: dt.date) -> int | None:
        return self._day_index.get(when)

    def __post_init__(self) -> None:
        self._day_index = {d: i for i, d in enumerate(self.days)}


def module_order(program: Program) -> list[int]:
    """Topological order of the modules; ties keep the list order."""
    graph = nx.DiGraph()
    index = {m.id: i for i, m in enumerate(program.modules)}
    graph.add_nodes_from(range(len(program.modules)))
    for i, module in enumerate(program.modules):
        before = module.after if module.after is not None else ([program.modules[i - 1].id] if i else [])
        graph.add_edges_from((index[b], i) for b in before)
    return list(nx.lexicographical_topological_sort(graph))


def lecturer_availability(scenario: Scenario, lecturer: Lecturer, days: list[dt.date]) -> list[bool]:
    events = {e.id: e for e in scenario.calendar.events}
    away = [(events[e].start, events[e].last) for e in lecturer.unavailable_events if e in events]
    weekly = {w.number: tuple(p) for w, p in (lecturer.available or {}).items()}
    available = []
    for day in days:
        is_away = any(a <= day <= b for a, b in away)
        for period in scenario.calendar.periods:
            if is_away or any(r.covers(day, period) for r in lecturer.unavailable):
                available.append(False)
            elif lecturer.available is None:
                available.append(True)
            else:
                available.append(period in weekly.get(day.weekday(), ()))
    return available


def _class_window(scenario: Scenario, spec: TrainingClass) -> tuple[dt.date, dt.date]:
    """First and last date the class may meet on (calendar, own bounds and event bounds)."""
    window = class_window(scenario.calendar, spec, first_by_id(scenario.calendar.events))
    return window.first, window.last


def _open_days(scenario: Scenario, days: list[dt.date], spec: TrainingClass, learners_max: int, learners_min: int):
    """Per working day: open for the class always, never, or only when small (cohort classes).

    Returns (open, conditional): open[d] is True when the day is open whatever the learners;
    conditional maps a day to the smallest gathering limit that closes it to larger classes.
    """
    first, last = _class_window(scenario, spec)
    is_open = []
    conditional: dict[int, int] = {}
    for d, day in enumerate(days):
        ok = first <= day <= last
        for blackout in scenario.calendar.blackouts if ok else ():
            if closes(blackout, day, learners_min):
                ok = False
                break
            if closes(blackout, day, learners_max) and blackout.max_gathering is not None:
                conditional[d] = min(blackout.max_gathering, conditional.get(d, blackout.max_gathering))
        is_open.append(ok)
    return is_open, conditional


def _closed_slots(scenario: Scenario, spec: TrainingClass, days: list[dt.date]) -> set[int]:
    """Slots of the class's weekly closed periods."""
    periods = scenario.calendar.periods
    closed = {(w.number, p) for w, names in spec.closed_periods.items() for p in names}
    return {
        len(periods) * d + k
        for d, day in enumerate(days)
        for k, p in enumerate(periods)
        if (day.weekday(), p) in closed
    }


def _block_day_runs(days: list[dt.date], n: int, max_gap: int) -> list[bool]:
    """valid[s]: days s..s+n-1 form a block (consecutive working days, gaps <= max_gap)."""
    valid = []
    for s in range(len(days)):
        if s + n > len(days):
            valid.append(False)
            continue
        valid.append(all((days[k + 1] - days[k]).days <= max_gap for k in range(s, s + n - 1)))
    return valid


def build_instance(
    scenario: Scenario,
    baseline: Timetable | None = None,
    freeze_before: dt.date | None = None,
    max_moves: int | None = None,
) -> Instance:
    """Precompute indices, calendars and eligibility. The scenario must have passed validation.

    With a baseline timetable (re-planning), its placement is mapped onto the blocks, and blocks
    that started before `freeze_before` may only keep their start.
    """
    days = working_days(scenario)
    n_periods = len(scenario.calendar.periods)
    n_slots = n_periods * len(days)
    lecturer_index = {lec.id: i for i, lec in enumerate(scenario.lecturers)}
    programs = {p.id: p for p in scenario.programs}
    class_index = {c.id: i for i, c in enumerate(scenario.classes)}
    available = [lecturer_availability(scenario, lec, days) for lec in scenario.lecturers]
    avail = np.array(available, dtype=bool).reshape(len(available), n_slots)

    cohort_of: dict[int, int] = {}
    for k, cohort in enumerate(scenario.cohorts):
        for cid in cohort.classes:
            cohort_of[class_index[cid]] = k

    policy = scenario.observation
    qualifying = set(policy.programs) if policy.programs is not None else None

    classes: list[ClassInfo] = []
    blocks: list[BlockInfo] = []
    segments: list[SegmentInfo] = []
    empty_blocks: list[int] = []
    for ci, spec in enumerate(scenario.classes):
        program = programs[spec.program]
        order = module_order(program)
        session_module = [m for m in order for _ in range(program.modules[m].sessions)]
        if ci in cohort_of:
            cohort = scenario.cohorts[cohort_of[ci]]
            lo = cohort.min_per_class
            hi = min(cohort.max_per_class or cohort.learners, cohort.learners)
        else:
            lo = hi = spec.learners or 0
        center = program.taught_by == TaughtBy.center
        info = ClassInfo(
            index=ci,
            spec=spec,
            program=program,
            module_order=order,
            session_module=session_module,
            blocks=[],
            learners_min=lo,
            learners_max=hi,
            cohort=cohort_of.get(ci),
            taught_by_center=center,
            qualifies_for_observation=center and (qualifying is None or program.id in qualifying),
            room_choices=[
                r
                for r, room in enumerate(scenario.rooms)
                if (spec.pinned_room is None or room.id == spec.pinned_room)
                and (spec.allowed_rooms is None or room.id in spec.allowed_rooms)
            ],
        )
        classes.append(info)
        delivery = program.delivery
        per_block = program.total_sessions // delivery.blocks
        n_days = per_block // delivery.sessions_per_day
        is_open, conditional = _open_days(scenario, days, spec, hi, lo)
        closed = _closed_slots(scenario, spec, days) if spec.closed_periods else set()
        open_count = np.concatenate([[0], np.cumsum(is_open)])
        runs = np.array(_block_day_runs(days, n_days, scenario.calendar.max_block_gap_days), dtype=bool)
        for b in range(delivery.blocks):
            block = BlockInfo(
                index=len(blocks),
                class_index=ci,
                number=b,
                days=n_days,
                sessions_per_day=delivery.sessions_per_day,
                periods=n_periods,
                starts=[],
            )
            info.blocks.append(block.index)
            blocks.append(block)
            block_sessions = session_module[b * per_block : (b + 1) * per_block]
            first = 0
            for k in range(1, per_block + 1):
                if k == per_block or block_sessions[k] != block_sessions[first]:
                    module = program.modules[block_sessions[first]]
                    pinned_lecturer = spec.pinned_lecturers.get(module.id)
                    teachers = (
                        tuple(
                            i
                            for i, lec in enumerate(scenario.lecturers)
                            if module.topic in lec.topics and pinned_lecturer in (None, lec.id)
                        )
                        if center
                        else ()
                    )
                    seg = SegmentInfo(len(segments), block.index, ci, block_sessions[first], first, k - first, teachers)
                    segments.append(seg)
                    block.segments.append(seg.index)
                    first = k
            pinned = spec.pinned_starts[b] if spec.pinned_starts and b < len(spec.pinned_starts) else None
            block.starts = _allowed_starts(block, segments, avail, days, runs, open_count, pinned, center)
            if closed:
                block.starts = [t for t in block.starts if closed.isdisjoint(block.slots(t))]
            limits = sorted(
                {
                    conditional[d]
                    for t in block.starts
                    for d in range(t // n_periods, t // n_periods + n_days)
                    if d in conditional
                }
            )
            for limit in limits:
                block.gathering_limits.append(
                    (
                        limit,
                        [
                            t
                            for t in block.starts
                            if not any(
                                conditional.get(d, limit + 1) <= limit
                                for d in range(t // n_periods, t // n_periods + n_days)
                            )
                        ],
                    )
                )
            if not block.starts:
                empty_blocks.append(block.index)

    room_unavailable = []
    for room in scenario.rooms:
        slots = [n_periods * d + p for d, day in enumerate(days) for p in range(n_periods) if room_closed(room, day)]
        room_unavailable.append(slots)

    observed_kinds = set(policy.observed_kinds) if policy.visits_per_lecturer > 0 else set()
    observed = [i for i, lec in enumerate(scenario.lecturers) if lec.kind in observed_kinds]
    if policy.observers is not None:
        observers = [lecturer_index[o] for o in policy.observers if o in lecturer_index]
    else:
        observers = [i for i, lec in enumerate(scenario.lecturers) if lec.can_observe]

    teachable = _teachable(blocks, segments, avail)
    # a center's plan lists every chance (stage 1 counts the visits by month from them); a province's
    # lecturers with many observable segments are left out (see MAX_CHANCE_SEGMENTS)
    limit = None if len(teachable) <= CENTER_SIZED_PAIRS else MAX_CHANCE_SEGMENTS
    chances, plenty = _visit_chances(classes, blocks, segments, avail, observed, observers, limit)

    group_index = {g.id: k for k, g in enumerate(scenario.groups)}
    group_classes: list[list[int]] = [[] for _ in scenario.groups]
    for ci, spec in enumerate(scenario.classes):
        for g in spec.groups:
            group_classes[group_index[g]].append(ci)

    inst = Instance(
        scenario=scenario,
        days=days,
        classes=classes,
        blocks=blocks,
        segments=segments,
        rooms=[r.seats for r in scenario.rooms],
        room_unavailable_slots=room_unavailable,
        lecturer_available=available,
        observed=observed,
        observers=observers,
        group_classes=group_classes,
        cohort_classes=[[class_index[c] for c in cohort.classes] for cohort in scenario.cohorts],
        empty_blocks=empty_blocks,
        visit_chances=chances,
        observable_elsewhere=plenty,
        teachable=teachable,
    )
    if baseline is not None:
        inst.baseline = _map_baseline(inst, baseline, freeze_before)
        inst.baseline.max_moves = max_moves
    return inst


def _map_baseline(inst: Instance, timetable: Timetable, freeze_before: dt.date | None) -> Baseline:
    scenario = inst.scenario
    room_index = {r.id: i for i, r in enumerate(scenario.rooms)}
    lecturer_index = {lec.id: i for i, lec in enumerate(scenario.lecturers)}
    out = Baseline({}, {}, {}, set(), set(), [], freeze_before)
    where: dict[tuple[str, dt.date, str], tuple[int, int]] = {}
    for c in inst.classes:
        sessions = timetable.sessions_of(c.spec.id)
        if len(sessions) != c.program.total_sessions:
            continue
        slots: list[int | None] = []
        for session in sessions:
            day = inst.day_of(session.date)
            if day is None or session.period not in scenario.calendar.periods:
                slots.append(None)
            else:
                slots.append(inst.slot_of(day, session.period))
        if c.spec.id in timetable.class_learners:
            out.learners[c.index] = timetable.class_learners[c.spec.id]
        per_block = c.program.total_sessions // len(c.blocks)
        for number, b in enumerate(c.blocks):
            block = inst.blocks[b]
            chunk = sessions[number * per_block : (number + 1) * per_block]
            start = slots[number * per_block]
            if start is None or chunk[0].room_id not in room_index:
                continue
            out.start[b] = start
            out.room[b] = room_index[chunk[0].room_id]
            frozen = freeze_before is not None and chunk[0].date < freeze_before
            if frozen:
                out.frozen_blocks.add(b)
                block.starts = [start] if start in block.starts else []
                if not block.starts:
                    inst.empty_blocks.append(b)
            for seg_index in block.segments:
                seg = inst.segments[seg_index]
                first = chunk[seg.first]
                if first.lecturer_id in lecturer_index:
                    out.lecturer[seg_index] = lecturer_index[first.lecturer_id]
                if frozen and first.date < freeze_before:  # type: ignore[operator]
                    out.frozen_segments.add(seg_index)
                for k, session in enumerate(chunk[seg.first : seg.first + seg.length]):
                    where[c.spec.id, session.date, session.period] = (seg_index, k)
    if freeze_before is not None:
        _keep_unfrozen_after(inst, out.frozen_blocks, freeze_before)
    for visit in timetable.observations:
        place = where.get((visit.class_id, visit.date, visit.period))
        if place is None or visit.lecturer_id not in lecturer_index or visit.observer_id not in lecturer_index:
            continue
        mapped = (*place, lecturer_index[visit.lecturer_id], lecturer_index[visit.observer_id])
        made = freeze_before is not None and visit.date < freeze_before
        (out.visits if made else out.planned_visits).append(mapped)
    return out


def _keep_unfrozen_after(inst: Instance, frozen: set[int], freeze_before: dt.date) -> None:
    """The past is not re-planned: a block that did not start before the freeze date starts on or
    after it (a moved or new block never lands in the past)."""
    first = next((d for d, day in enumerate(inst.days) if day >= freeze_before), len(inst.days))
    for block in inst.blocks:
        if block.index in frozen:
            continue
        before = len(block.starts)
        block.starts = [t for t in block.starts if inst.slot_day(t) >= first]
        if before and not block.starts:
            inst.empty_blocks.append(block.index)


def _offsets(block: BlockInfo, first: int, length: int) -> np.ndarray:
    """Slot offsets, from the block's start slot, of sessions first..first+length-1."""
    return np.array([off + k for off, size in block.pieces(0, first, length) for k in range(size)], dtype=np.int64)


def _allowed_starts(
    block: BlockInfo,
    segments: list[SegmentInfo],
    avail: np.ndarray,
    days: list[dt.date],
    runs: np.ndarray,
    open_count: np.ndarray,
    pinned: dt.date | None,
    center: bool,
) -> list[int]:
    """Start slots where the block's days form a block, are open to the class, match a pinned date,
    and (center-taught) every segment has some lecturer free for all its sessions."""
    n_slots = avail.shape[1]
    starts = np.arange(0, n_slots)
    day = starts // block.periods
    n = block.days
    ok = (day + n <= len(days)) & (starts % block.periods + block.sessions_per_day <= block.periods)
    starts, day = starts[ok], day[ok]
    ok = runs[day] & (open_count[day + n] - open_count[day] == n)
    if pinned is not None:
        ok &= np.array([days[d] == pinned for d in day], dtype=bool)
    starts = starts[ok]
    if center:
        for s in block.segments:
            seg = segments[s]
            if not seg.lecturers:
                return []
            idx = starts[:, None] + _offsets(block, seg.first, seg.length)[None, :]
            free = avail[np.array(seg.lecturers)][:, idx].all(axis=2).any(axis=0)
            starts = starts[free]
    return [int(t) for t in starts]


def _teachable(blocks: list[BlockInfo], segments: list[SegmentInfo], avail: np.ndarray) -> set[tuple[int, int]]:
    """(segment, lecturer) pairs where the lecturer is free for the whole segment at some allowed start."""
    pairs: set[tuple[int, int]] = set()
    for seg in segments:
        block = blocks[seg.block]
        if not seg.lecturers or not block.starts:
            continue
        idx = np.array(block.starts, dtype=np.int64)[:, None] + _offsets(block, seg.first, seg.length)[None, :]
        free = avail[np.array(seg.lecturers)][:, idx].all(axis=2).any(axis=1)
        pairs.update((seg.index, lec) for lec, ok in zip(seg.lecturers, free, strict=True) if ok)
    return pairs


MAX_CHANCE_SEGMENTS = 40  # a lecturer with more observable segments than this is not tracked per segment
# A center's plan has a few hundred (segment, lecturer) pairs (the default 726, a generated center
# 400-800); the province profile pools every center's lecturers (scale 4: 11,612).
CENTER_SIZED_PAIRS = 5000


def _visit_chances(
    classes: list[ClassInfo],
    blocks: list[BlockInfo],
    segments: list[SegmentInfo],
    avail: np.ndarray,
    observed: list[int],
    observers: list[int],
    limit: int | None = MAX_CHANCE_SEGMENTS,
) -> tuple[dict[tuple[int, int], list[int]], set[int]]:
    """For each observable segment and observed lecturer: the block starts where the lecturer is
    free for the whole segment and some other observer is free during one of its sessions.

    With a `limit`, only lecturers with at most that many such segments are listed (for a
    province-wide pool every chance would be tens of thousands of literals); the others (the
    returned set) have plenty of chances. A center's plan lists them all (no limit): a lecturer
    with plenty of chances may still have few in the months that matter (a planted center: the
    deputy director, observed only by a part-time director free one half-day a week).
    """
    chances: dict[tuple[int, int], list[int]] = {}
    plenty: set[int] = set()
    observer_count = avail[observers].sum(axis=0) if observers else np.zeros(avail.shape[1], dtype=int)
    is_observer = set(observers)
    candidates: dict[int, list[SegmentInfo]] = {lec: [] for lec in observed}
    for seg in segments:
        if classes[seg.class_index].qualifies_for_observation and blocks[seg.block].starts:
            for lec in seg.lecturers:
                if lec in candidates:
                    candidates[lec].append(seg)
    for lec, segs in candidates.items():
        others = observer_count - (avail[lec] if lec in is_observer else 0)
        found: dict[tuple[int, int], list[int]] = {}
        for seg in segs:
            block = blocks[seg.block]
            starts = np.array(block.starts, dtype=np.int64)
            idx = starts[:, None] + _offsets(block, seg.first, seg.length)[None, :]
            good = avail[lec][idx].all(axis=1) & (others[idx] > 0).any(axis=1)
            if good.any():
                found[seg.index, lec] = [int(t) for t in starts[good]]
                if limit is not None and len(found) > limit:
                    plenty.add(lec)
                    break
        if lec not in plenty:
            chances.update(found)
    return chances, plenty


def preferred_lecturers(inst: Instance) -> dict[int, frozenset[int]]:
    """Segment -> its preferred lecturers (goal `specialist`): the module's `preferred_lecturers`, or
    else the lecturers with the module's topic among their `specialist_topics`. Segments without
    any preferred lecturer are left out."""
    lecturers = inst.scenario.lecturers
    index = {lec.id: i for i, lec in enumerate(lecturers)}
    out: dict[int, frozenset[int]] = {}
    for seg in inst.segments:
        c = inst.classes[seg.class_index]
        if not c.taught_by_center:
            continue
        module = c.program.modules[seg.module_index]
        if module.preferred_lecturers is not None:
            chosen = frozenset(index[i] for i in module.preferred_lecturers if i in index)
        else:
            chosen = frozenset(i for i, lec in enumerate(lecturers) if module.topic in lec.specialist_topics)
        if chosen:
            out[seg.index] = chosen
    return out


def center_sessions(inst: Instance) -> int:
    """Sessions taught by the center's lecturers (every session of a center-taught class)."""
    return sum(seg.length for seg in inst.segments if inst.classes[seg.class_index].taught_by_center)


def avoided_days(inst: Instance) -> set[dt.date]:
    """The days of events that ask classes to stay away (goal avoid_event_days)."""
    days: set[dt.date] = set()
    for event in inst.scenario.calendar.events:
        if event.avoid_classes:
            day = event.start
            while day <= event.last:
                days.add(day)
                day += dt.timedelta(days=1)
    return days
