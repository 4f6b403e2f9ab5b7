"""A fast greedy construction: place the classes one by one, staffing as it goes.

It gives CP-SAT a complete hint (start, room and learners of every block, a lecturer for every
segment) in milliseconds, so the first timetable arrives quickly and the exact stages start from
a good point. It is a heuristic: it may fail, and then the exact stages work without its hint.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from llct_sched.model.instance import BlockInfo, Instance, avoided_days
from llct_sched.model.teaching_layer import needs_teaching_layer
from llct_sched.scenario import LecturerKind, RoomKind


@dataclass
class GreedyPlan:
    starts: dict[int, int] = field(default_factory=dict)  # block -> start slot
    rooms: dict[int, int] = field(default_factory=dict)  # block -> room
    learners: dict[int, int] = field(default_factory=dict)  # class -> learners
    teach: dict[int, int] = field(default_factory=dict)  # segment -> lecturer
    visits: list[tuple[int, int, int, int]] = field(default_factory=list)  # segment, slot, observed, observer
    unplaced: list[int] = field(default_factory=list)  # classes it could not place

    @property
    def complete(self) -> bool:
        return not self.unplaced


class _State:
    def __init__(self, inst: Instance):
        self.inst = inst
        self.room_busy = [set(slots) for slots in inst.room_unavailable_slots]
        self.group_busy: list[set[int]] = [set() for _ in inst.group_classes]
        self.lecturer_busy: list[set[int]] = [set() for _ in inst.lecturer_available]
        self.load: list[Counter[tuple[str, object]]] = [Counter() for _ in inst.lecturer_available]
        self.month_blocks: Counter[int] = Counter()
        self.visits: Counter[int] = Counter()  # observed lecturer -> visits reserved
        self.observer_visits: Counter[int] = Counter()
        self.observed = set(inst.observed)
        self.visits_needed = inst.scenario.observation.visits_per_lecturer
        self.bucket_of = [self._buckets(t) for t in range(inst.n_slots)]
        self.groups_of = [
            [g for g, members in enumerate(inst.group_classes) if c in members] for c in range(len(inst.classes))
        ]
        avoided = avoided_days(inst) if inst.scenario.weights.avoid_event_days > 0 else set()
        self.month_share = -(-len(inst.blocks) // max(1, inst.n_months))
        self.avoided_slot = [inst.slot_date(t) in avoided for t in range(inst.n_slots)]
        lecturers = inst.scenario.lecturers
        self.part_time = {i for i, lec in enumerate(lecturers) if lec.kind == LecturerKind.part_time}
        # the full-time staff cannot (or should not) take everything: place classes where part-time
        # lecturers are free
        self.spare_full_time = bool(self.part_time) and needs_teaching_layer(inst)

    def month_full(self, start: int) -> bool:
        """The start's month already has its even share of all blocks (goal month_spread)."""
        return self.month_blocks[self.inst.slot_date(start).month] >= self.month_share

    def event_cost(self, block: BlockInfo, start: int) -> int:
        """Sessions of the block on days events ask classes to avoid (goal avoid_event_days)."""
        return sum(1 for t in block.slots(start) if self.avoided_slot[t])

    def buckets(self, slot: int) -> list[tuple[str, object]]:
        return self.bucket_of[slot]

    def _buckets(self, slot: int) -> list[tuple[str, object]]:
        day = self.inst.slot_date(slot)
        return [("week", day.isocalendar()[:2]), ("month", (day.year, day.month)), ("year", 0)]

    def can_teach(self, lec: int, slots: list[int], pending: Counter[tuple[str, object]] | None = None) -> bool:
        """Free in these slots and within every load limit, counting `pending` (this block's other
        segments already given to the lecturer)."""
        inst = self.inst
        if not all(inst.lecturer_available[lec][t] and t not in self.lecturer_busy[lec] for t in slots):
            return False
        spec = inst.scenario.lecturers[lec]
        limits = {
            "week": spec.max_sessions_per_week,
            "month": spec.max_sessions_per_month,
            "year": spec.max_sessions_per_year,
        }
        extra: Counter[tuple[str, object]] = Counter(b for t in slots for b in self.buckets(t))
        if pending:
            extra.update(pending)
        return all(limits[b[0]] is None or self.load[lec][b] + n <= limits[b[0]] for b, n in extra.items())  # type: ignore[operator]

    def needs_visit(self, lec: int) -> bool:
        return lec in self.observed and self.visits[lec] < self.visits_needed

    def free_observer(self, lec: int, slots: list[int]) -> tuple[int, int] | None:
        """An observer (other than lec) free at one of the slots, within its visit limit: (observer, slot)."""
        limit = self.inst.scenario.observation.max_visits_per_observer
        for obs in sorted(self.inst.observers, key=lambda o: self.observer_visits[o]):
            if obs == lec or (limit is not None and self.observer_visits[obs] >= limit):
                continue
            for t in slots:
                if self.inst.lecturer_available[obs][t] and t not in self.lecturer_busy[obs]:
                    return obs, t
        return None


def _learners(inst: Instance) -> dict[int, int]:
    """Fixed learners, and each cohort split as evenly as its bounds allow."""
    out = {c.index: c.learners_min for c in inst.classes if c.cohort is None}
    for k, members in enumerate(inst.cohort_classes):
        total = inst.scenario.cohorts[k].learners
        share, rest = divmod(total, len(members))
        for i, ci in enumerate(members):
            c = inst.classes[ci]
            out[ci] = min(max(share + (1 if i < rest else 0), c.learners_min), c.learners_max)
    return out


def _rank_lecturers(state: _State, lecturers: tuple[int, ...], slots: list[int], observable: bool) -> list[int]:
    """Lecturers still needing an observed session first, then those short of their own minimum,
    then part-time ones (free a few half-days a week: a session they can take spares the full-time
    staff), then the least loaded against their norm."""

    def rank(lec: int) -> tuple[int, int, int, float]:
        spec = state.inst.scenario.lecturers[lec]
        wanted = observable and state.needs_visit(lec) and state.free_observer(lec, slots) is not None
        taught = state.load[lec][("year", 0)]
        short = spec.min_sessions_per_year is not None and taught < spec.min_sessions_per_year
        part_time = spec.kind == LecturerKind.part_time
        norm = spec.norm_sessions_per_year or spec.max_sessions_per_year or 0
        return (0 if wanted else 1, 0 if short else 1, 0 if part_time else 1, taught / norm if norm else taught)

    return sorted(lecturers, key=rank)


def _staff(state: _State, block: BlockInfo, start: int) -> dict[int, int] | None:
    """A lecturer for each segment of the block at this start, or None."""
    inst = state.inst
    chosen: dict[int, int] = {}
    taken: set[tuple[int, int]] = set()
    pending: dict[int, Counter[tuple[str, object]]] = {}
    for s in block.segments:
        seg = inst.segments[s]
        if not inst.classes[seg.class_index].taught_by_center:
            continue
        slots = block.slots(start)[seg.first : seg.first + seg.length]

        observable = inst.classes[seg.class_index].qualifies_for_observation
        for lec in _rank_lecturers(state, seg.lecturers, slots, observable):
            if all((lec, t) not in taken for t in slots) and state.can_teach(lec, slots, pending.get(lec)):
                chosen[s] = lec
                taken.update((lec, t) for t in slots)
                pending.setdefault(lec, Counter()).update(b for t in slots for b in state.buckets(t))
                break
        else:
            return None
    return chosen


def greedy_plan(inst: Instance, seed: int = 0) -> GreedyPlan:
    """Place every class greedily; classes with the fewest choices first."""
    rng = random.Random(seed)
    state = _State(inst)
    plan = GreedyPlan(learners=_learners(inst))
    ordinal = [d.toordinal() for d in inst.days]

    def difficulty(ci: int) -> tuple[int, int, float]:
        c = inst.classes[ci]
        return (-len(c.blocks), min(len(inst.blocks[b].starts) for b in c.blocks), rng.random())

    for ci in sorted(range(len(inst.classes)), key=difficulty):
        c = inst.classes[ci]
        learners = plan.learners[ci]
        earliest_ordinal, earliest_slot = -1, -1
        same_day = c.program.delivery.same_day_blocks
        placed: dict[int, tuple[int, int, dict[int, int]]] = {}
        visits: list[tuple[int, int, int, int]] = []
        for b in c.blocks:
            block = inst.blocks[b]
            too_large = [set(block.starts) - set(ok) for limit, ok in block.gathering_limits if learners > limit]
            candidates = [
                t
                for t in block.starts
                if (t > earliest_slot if same_day else ordinal[inst.slot_day(t)] > earliest_ordinal)
                and not any(t in bad for bad in too_large)
            ]
            if len(c.blocks) == 1:
                candidates = _by_cost(state, block, candidates, rng)
            else:  # the earliest start clear of avoided days, in a month below its share, first
                candidates.sort(key=lambda t: (state.event_cost(block, t) > 0, state.month_full(t)))
            done = None
            for t in candidates:
                slots = block.slots(t)
                if any(t_ in state.group_busy[g] for g in state.groups_of[ci] for t_ in slots):
                    continue
                room = _room(inst, state, c.room_choices, learners, slots, [placed[p][1] for p in placed])
                if room is None:
                    continue
                staff = _staff(state, block, t)
                if staff is None:
                    continue
                done = (t, room, staff)
                break
            if done is None:
                break
            t, room, staff = done
            placed[b] = done
            slots = block.slots(t)
            state.room_busy[room].update(slots)
            for g in state.groups_of[ci]:
                state.group_busy[g].update(slots)
            for s, lec in staff.items():
                seg = inst.segments[s]
                seg_slots = slots[seg.first : seg.first + seg.length]
                state.lecturer_busy[lec].update(seg_slots)
                for slot in seg_slots:
                    state.load[lec].update(state.buckets(slot))
            for s, lec in staff.items():
                seg = inst.segments[s]
                if c.qualifies_for_observation and state.needs_visit(lec):
                    visit = state.free_observer(lec, slots[seg.first : seg.first + seg.length])
                    if visit is not None:
                        visits.append((s, visit[1], lec, visit[0]))
                        state.visits[lec] += 1
                        state.observer_visits[visit[0]] += 1
                        state.lecturer_busy[visit[0]].add(visit[1])
            state.month_blocks[inst.slot_date(t).month] += 1
            last_day = inst.slot_day(t) + block.days - 1
            earliest_ordinal = ordinal[last_day] + c.program.delivery.min_gap_days
            earliest_slot = slots[-1]
        if len(placed) < len(c.blocks):
            plan.unplaced.append(ci)
            continue
        for b, (t, room, staff) in placed.items():
            plan.starts[b] = t
            plan.rooms[b] = room
            plan.teach.update(staff)
        plan.visits += visits
    return plan


def _by_cost(state: _State, block: BlockInfo, starts: list[int], rng: random.Random) -> list[int]:
    """Starts in the preferred months first, then those giving an observation, then quiet months."""
    inst = state.inst
    months = set(inst.classes[block.class_index].spec.preferred_months)

    needing = (
        [[lec for lec in inst.segments[s].lecturers if state.needs_visit(lec)] for s in block.segments]
        if inst.classes[block.class_index].qualifies_for_observation
        else []
    )
    wanted = any(needing)

    def cost(t: int) -> tuple[int, int, int, int, bool, int, float]:
        month = inst.slot_date(t).month
        off = 1 if months and month not in months else 0
        gain = _visit_gain(state, block, t, needing) if wanted else 0
        part_time = _part_time_sessions(state, block, t) if state.spare_full_time else 0
        full = state.month_full(t)
        return (off, state.event_cost(block, t), -gain, -part_time, full, state.month_blocks[month], rng.random())

    return sorted(starts, key=cost)


def _part_time_sessions(state: _State, block: BlockInfo, start: int) -> int:
    """Sessions of the block that a part-time lecturer could take at this start."""
    inst = state.inst
    all_slots = block.slots(start)
    count = 0
    for s in block.segments:
        seg = inst.segments[s]
        slots = all_slots[seg.first : seg.first + seg.length]
        if any(lec in state.part_time and state.can_teach(lec, slots) for lec in seg.lecturers):
            count += seg.length
    return count


def _visit_gain(state: _State, block: BlockInfo, start: int, needing: list[list[int]]) -> int:
    """How many lecturers still needing a visit could teach, observed, in this block at this start."""
    inst = state.inst
    gain = set()
    all_slots = block.slots(start)
    for s, candidates in zip(block.segments, needing, strict=True):
        seg = inst.segments[s]
        slots = all_slots[seg.first : seg.first + seg.length]
        for lec in candidates:
            if state.can_teach(lec, slots) and state.free_observer(lec, slots):
                gain.add(lec)
                break
    return len(gain)


def _room(
    inst: Instance, state: _State, choices: list[int], learners: int, slots: list[int], used: list[int]
) -> int | None:
    """The best free room among the class's `choices`: the class's room so far, then own rooms before
    borrowed, smallest fit first (with a soft room capacity, a room too small comes last, the least
    overfilled first)."""
    rooms = inst.scenario.rooms
    soft = inst.scenario.rules.soft_room_capacity

    def rank(r: int) -> tuple[int, int, int, int]:
        over = max(0, learners - rooms[r].seats)
        return (over, 0 if r in used else 1, 1 if rooms[r].kind == RoomKind.borrowed else 0, rooms[r].seats)

    for r in sorted(choices, key=rank):
        if rooms[r].seats < learners and not soft:
            continue
        if not any(t in state.room_busy[r] for t in slots):
            return r
    return None
