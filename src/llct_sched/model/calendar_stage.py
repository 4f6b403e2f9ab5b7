"""Stage 1, the calendar: when every block meets, in which room, and the cohort split.

Lecturers are decided in stage 2 (`staffing_stage`); here they only restrict the start slots a
block may take (`Instance` keeps a start only when every segment has some lecturer free then).
Each rule family is one `add_<family>` function over (model, instance, variables).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from llct_sched.model import minimize_weighted_goals
from llct_sched.model.instance import BlockInfo, Instance, avoided_days
from llct_sched.scenario import RoomKind

LinearExpr = cp_model.LinearExprT


@dataclass
class CalendarVars:
    start: list[cp_model.IntVar]  # per block: start slot
    room: dict[tuple[int, int], cp_model.IntVar]  # (block, room) -> chosen
    learners: list[cp_model.IntVar]  # per class
    block_intervals: list[list[cp_model.IntervalVar]]  # per block: its fixed-presence intervals
    goals: dict[str, LinearExpr] = field(default_factory=dict)  # goal -> unweighted penalty
    at: dict[int, dict[int, cp_model.IntVar]] = field(default_factory=dict)  # block -> start -> literal (lazy)
    chances: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)  # (segment, observed) -> chance
    teaching: Any = None  # the teaching layer's variables, when stage 1 decides who teaches


def block_intervals(
    model: cp_model.CpModel,
    block: BlockInfo,
    start: cp_model.IntVar,
    name: str,
    presence: cp_model.IntVar | None = None,
) -> list[cp_model.IntervalVar]:
    """The intervals a block occupies on the slot axis (one for two-session days, else one per day)."""
    pieces = block.pieces(0, 0, block.sessions)
    if presence is None:
        return [
            model.new_fixed_size_interval_var(start + off, size, f"{name}_{k}") for k, (off, size) in enumerate(pieces)
        ]
    return [
        model.new_optional_fixed_size_interval_var(start + off, size, presence, f"{name}_{k}")
        for k, (off, size) in enumerate(pieces)
    ]


def create_variables(model: cp_model.CpModel, inst: Instance) -> CalendarVars:
    starts = []
    for block in inst.blocks:
        domain = cp_model.Domain.from_values(block.starts) if block.starts else cp_model.Domain(0, 0)
        starts.append(model.new_int_var_from_domain(domain, f"start_b{block.index}"))
        if not block.starts:
            model.add_bool_or([])  # no allowed start: the scenario is infeasible (explained elsewhere)
    learners = [model.new_int_var(c.learners_min, c.learners_max, f"learners_c{c.index}") for c in inst.classes]
    intervals = [block_intervals(model, b, starts[b.index], f"blk{b.index}") for b in inst.blocks]
    return CalendarVars(start=starts, room={}, learners=learners, block_intervals=intervals)


def add_delivery(model: cp_model.CpModel, inst: Instance, v: CalendarVars) -> None:
    """Blocks of a class in order, at least min_gap_days calendar days apart (or, with
    same_day_blocks, merely one after the other on the slot axis).

    A table links each block's start slot to the calendar ordinals of its first and last day, so
    the gap is one linear inequality (an element over the whole slot axis propagates far worse).
    """
    for c in inst.classes:
        gap = c.program.delivery.min_gap_days
        if len(c.blocks) < 2:
            continue
        if c.program.delivery.same_day_blocks:
            for prev, nxt in zip(c.blocks, c.blocks[1:], strict=False):
                model.add(v.start[nxt] > v.start[prev] + inst.blocks[prev].last_offset)
            continue
        first_ord, last_ord = {}, {}
        for b in c.blocks:
            block = inst.blocks[b]
            rows = [
                (t, inst.slot_date(t).toordinal(), inst.days[inst.slot_day(t) + block.days - 1].toordinal())
                for t in block.starts
            ]
            if not rows:
                continue
            first_ord[b] = model.new_int_var(min(r[1] for r in rows), max(r[1] for r in rows), f"first_b{b}")
            last_ord[b] = model.new_int_var(min(r[2] for r in rows), max(r[2] for r in rows), f"last_b{b}")
            model.add_allowed_assignments([v.start[b], first_ord[b], last_ord[b]], rows)
        for prev, nxt in zip(c.blocks, c.blocks[1:], strict=False):
            if prev in last_ord and nxt in first_ord:
                model.add(first_ord[nxt] - last_ord[prev] - 1 >= gap)
                model.add(v.start[nxt] > v.start[prev])


def add_room_choice(model: cp_model.CpModel, inst: Instance, v: CalendarVars) -> None:
    """One room per block among the class's choices (its pinned room, its allowed rooms) with seats for
    the learners (unless soft)."""
    soft = inst.scenario.rules.soft_room_capacity
    for block in inst.blocks:
        c = inst.classes[block.class_index]
        choices = []
        for r in c.room_choices:
            seats = inst.rooms[r]
            if seats < c.learners_min and not soft:
                continue
            chosen = model.new_bool_var(f"room_b{block.index}_r{r}")
            v.room[block.index, r] = chosen
            choices.append(chosen)
            if seats < c.learners_max and not soft:
                model.add(v.learners[c.index] <= seats).only_enforce_if(chosen)
        model.add_exactly_one(choices)


def add_room_clashes(model: cp_model.CpModel, inst: Instance, v: CalendarVars) -> None:
    """One block per room per slot, none on the room's closed dates."""
    per_room: list[list[cp_model.IntervalVar]] = [[] for _ in inst.rooms]
    for (b, r), chosen in v.room.items():
        per_room[r] += block_intervals(model, inst.blocks[b], v.start[b], f"in_r{r}_b{b}", chosen)
    for r, intervals in enumerate(per_room):
        closed = [model.new_fixed_size_interval_var(t, 1, f"closed_r{r}_{t}") for t in inst.room_unavailable_slots[r]]
        if len(intervals) + len(closed) > 1 and intervals:
            model.add_no_overlap(intervals + closed)


def add_room_counts(model: cp_model.CpModel, inst: Instance, v: CalendarVars) -> None:
    """Redundant: in every slot, the blocks meeting <= the rooms; with hard capacity, per seat level,
    the blocks too large for every smaller room <= the rooms of that size or more; per set of rooms
    a class is held to, the blocks that fit only rooms of the set <= its rooms."""
    levels = sorted(set(inst.rooms))
    if inst.scenario.rules.soft_room_capacity:
        levels = levels[:1]
    for k, seats in enumerate(levels):
        smaller = levels[k - 1] if k else 0
        rooms = sum(1 for r in inst.rooms if r >= seats)
        intervals = [
            iv
            for block in inst.blocks
            if k == 0 or inst.classes[block.class_index].learners_min > smaller
            for iv in v.block_intervals[block.index]
        ]
        if len(intervals) > rooms:
            model.add_cumulative(intervals, [1] * len(intervals), rooms)
    # classes held to some rooms (`allowed_rooms`): the blocks that fit only rooms of such a set <= its rooms
    soft = inst.scenario.rules.soft_room_capacity
    fits = {
        b.index: frozenset(r for r in c.room_choices if soft or inst.rooms[r] >= c.learners_min)
        for b in inst.blocks
        for c in [inst.classes[b.class_index]]
    }
    every = frozenset(range(len(inst.rooms)))
    held = {fits[b.index] for b in inst.blocks if inst.classes[b.class_index].spec.allowed_rooms is not None}
    for rooms_held in sorted((s for s in held if len(s) > 1 and s != every), key=sorted):
        intervals = [iv for b, fit in fits.items() if fit <= rooms_held for iv in v.block_intervals[b]]
        if len(intervals) > len(rooms_held):
            model.add_cumulative(intervals, [1] * len(intervals), len(rooms_held))


def add_groups(model: cp_model.CpModel, inst: Instance, v: CalendarVars) -> None:
    """Classes sharing a learner group never meet in the same slot."""
    for members in inst.group_classes:
        intervals = [iv for ci in members for b in inst.classes[ci].blocks for iv in v.block_intervals[b]]
        if len(members) > 1:
            model.add_no_overlap(intervals)


def add_cohorts(model: cp_model.CpModel, inst: Instance, v: CalendarVars) -> None:
    """The learners of a cohort's classes sum to the cohort."""
    for k, members in enumerate(inst.cohort_classes):
        model.add(sum(v.learners[ci] for ci in members) == inst.scenario.cohorts[k].learners)


def add_gathering_limits(model: cp_model.CpModel, inst: Instance, v: CalendarVars) -> None:
    """A cohort class larger than a blackout's gathering limit cannot meet in it."""
    for block in inst.blocks:
        learners = v.learners[block.class_index]
        for limit, starts_if_large in block.gathering_limits:
            large = model.new_bool_var(f"large_b{block.index}_{limit}")
            model.add(learners >= limit + 1).only_enforce_if(large)
            model.add(learners <= limit).only_enforce_if(large.Not())
            domain = cp_model.Domain.from_values(starts_if_large) if starts_if_large else cp_model.Domain(-1, -1)
            model.add_linear_expression_in_domain(v.start[block.index], domain).only_enforce_if(large)


def topic_pool_capacity(
    model: cp_model.CpModel, inst: Instance, v: CalendarVars, topics: frozenset[str], name: str
) -> None:
    """Relaxation of stage 2: in every slot, the segments on `topics` <= the lecturers of those topics free then.

    One cumulative per pool of topics; the time-varying capacity is made by fixed blocker intervals.
    """
    intervals = []
    for seg in inst.segments:
        topic = inst.classes[seg.class_index].program.modules[seg.module_index].topic
        if not seg.lecturers or topic not in topics:
            continue
        block = inst.blocks[seg.block]
        for k, (off, size) in enumerate(block.pieces(0, seg.first, seg.length)):
            intervals.append(
                model.new_fixed_size_interval_var(v.start[block.index] + off, size, f"{name}_s{seg.index}_{k}")
            )
    teachers = [i for i, lec in enumerate(inst.scenario.lecturers) if topics & set(lec.topics)]
    free = [sum(inst.lecturer_available[i][t] for i in teachers) for t in range(inst.n_slots)]
    capacity = max(free, default=0)
    if capacity >= len(intervals):
        return
    blockers, demands = [], []
    t = 0
    while t < inst.n_slots:
        end = t
        while end + 1 < inst.n_slots and free[end + 1] == free[t]:
            end += 1
        if free[t] < capacity:
            blockers.append(model.new_fixed_size_interval_var(t, end - t + 1, f"{name}_busy{t}"))
            demands.append(capacity - free[t])
        t = end + 1
    model.add_cumulative(intervals + blockers, [1] * len(intervals) + demands, capacity)


def add_topic_capacity(model: cp_model.CpModel, inst: Instance, v: CalendarVars, pools: list[frozenset[str]]) -> None:
    """Lecturer capacity per topic, per lecturer's topics, for all topics together, and for every
    learned pool of topics."""
    topics = {m.topic for c in inst.classes if c.taught_by_center for m in c.program.modules}
    singles = [frozenset([t]) for t in sorted(topics)]
    # each lecturer's taught topics: exact when nobody else teaches them (a teacher of several courses)
    taught = {frozenset(topics & set(lec.topics)) for lec in inst.scenario.lecturers}
    own = sorted((p for p in taught if len(p) > 1), key=sorted)
    for k, pool in enumerate([*singles, *own, frozenset(topics), *pools]):
        topic_pool_capacity(model, inst, v, pool, f"pool{k}")


def add_observation_opportunities(model: cp_model.CpModel, inst: Instance, v: CalendarVars) -> None:
    """Relaxation of stage 2: each observed lecturer gets enough segments placed where they can teach
    and some observer is free; a segment serves one lecturer only, for as many visits as it holds
    (`Instance.visits_a_chance_holds`).

    Part-time lecturers are free one or two half-days a week: without this, stage 1 happily places
    every class where none of them can be observed, and stage 2 keeps rejecting the calendar.
    """
    needed = inst.scenario.observation.visits_per_lecturer
    if needed == 0 or not inst.observed:
        return
    by_lecturer: dict[int, list[cp_model.LinearExprT]] = {lec: [] for lec in inst.observed}
    by_segment: dict[int, list[cp_model.IntVar]] = {}
    for (s, lec), good in inst.visit_chances.items():
        block = inst.segments[s].block
        lit = model.new_bool_var(f"chance_s{s}_l{lec}")
        model.add_linear_expression_in_domain(v.start[block], cp_model.Domain.from_values(good)).only_enforce_if(lit)
        v.chances[s, lec] = lit
        by_lecturer[lec].append(inst.visits_a_chance_holds(s) * lit)
        by_segment.setdefault(s, []).append(lit)
    for lec, visits in by_lecturer.items():
        if lec not in inst.observable_elsewhere:  # those have too many chances for this to bind
            model.add(sum(visits) >= needed)
    for lits in by_segment.values():
        if len(lits) > 1:
            model.add_at_most_one(lits)


def add_baseline(model: cp_model.CpModel, inst: Instance, v: CalendarVars) -> None:
    """Re-planning: frozen blocks keep their room (their start is already fixed by the instance),
    frozen cohort classes their learners; at most `max_moves` other blocks move (see goal_moves)."""
    base = inst.baseline
    if base is None:
        return
    for b in base.frozen_blocks:
        if (b, base.room[b]) in v.room:
            model.add(v.room[b, base.room[b]] == 1)
        else:
            model.add_bool_or([])  # the frozen room can no longer take the class
        c = inst.classes[inst.blocks[b].class_index]
        if c.cohort is not None and c.index in base.learners:
            model.add(v.learners[c.index] == base.learners[c.index])


def add_exclusions(model: cp_model.CpModel, v: CalendarVars, nogoods: list[dict[int, int]]) -> None:
    """Start combinations that stage 2 proved cannot be staffed."""
    for k, combo in enumerate(nogoods):
        literals = []
        for block, start in combo.items():
            same = model.new_bool_var(f"nogood{k}_b{block}")
            model.add(v.start[block] == start).only_enforce_if(same)
            model.add(v.start[block] != start).only_enforce_if(same.Not())
            literals.append(same.Not())
        model.add_bool_or(literals)


# --- soft goals: each returns the unweighted penalty expression -------------------------------


def _bool_for_set(model: cp_model.CpModel, var: cp_model.IntVar, values: list[int], name: str) -> cp_model.IntVar:
    """A literal that is true exactly when var takes one of values."""
    lit = model.new_bool_var(name)
    inside = cp_model.Domain.from_values(values) if values else cp_model.Domain(-1, -1)
    model.add_linear_expression_in_domain(var, inside).only_enforce_if(lit)
    model.add_linear_expression_in_domain(var, inside.complement()).only_enforce_if(lit.Not())
    return lit


def goal_preferred_months(model: cp_model.CpModel, inst: Instance, v: CalendarVars) -> LinearExpr:
    terms = []
    for block in inst.blocks:
        months = set(inst.classes[block.class_index].spec.preferred_months)
        if not months:
            continue
        bad = [t for t in block.starts if inst.slot_date(t).month not in months]
        if bad:
            terms.append(_bool_for_set(model, v.start[block.index], bad, f"offmonth_b{block.index}"))
    return sum(terms)


def _month(inst: Instance, start: int) -> tuple[int, int]:
    day = inst.slot_date(start)
    return day.year, day.month


def goal_month_spread(model: cp_model.CpModel, inst: Instance, v: CalendarVars) -> LinearExpr:
    """The largest number of blocks starting in one calendar month."""
    by_month: dict[tuple[int, int], list[Any]] = {}
    for block in inst.blocks:
        starts_in: dict[tuple[int, int], list[int]] = {}  # month -> the block's starts in it
        for t in block.starts:
            starts_in.setdefault(_month(inst, t), []).append(t)
        months = sorted(starts_in)
        if len(months) == 1:
            by_month.setdefault(months[0], []).append(1)
            continue
        lits = []
        for month in months:
            values = starts_in[month]
            lit = model.new_bool_var(f"month_b{block.index}_{month[0]}_{month[1]}")
            # the month's starts are consecutive among the block's: bounds, not a domain with holes
            # (which CP-SAT would expand into one literal per start)
            domain = cp_model.Domain(min(values), max(values))
            model.add_linear_expression_in_domain(v.start[block.index], domain).only_enforce_if(lit)
            lits.append(lit)
            by_month.setdefault(month, []).append(lit)
        model.add_exactly_one(lits)
    peak = model.new_int_var(0, len(inst.blocks), "peak_month")
    for members in by_month.values():
        model.add(peak >= sum(members))
    # pigeonhole, redundant: every block starts in one of these months (tightens the LP bound)
    model.add(peak * len(by_month) >= sum(1 for b in inst.blocks if b.starts))
    return peak


def goal_avoid_event_days(model: cp_model.CpModel, inst: Instance, v: CalendarVars) -> LinearExpr:
    avoided = avoided_days(inst)
    if not avoided:
        return 0
    terms = []
    for block in inst.blocks:
        table = [0] * inst.n_slots
        for t in block.starts:
            table[t] = sum(1 for s in block.slots(t) if inst.slot_date(s) in avoided)
        if max(table) == 0:
            continue
        cost = model.new_int_var(0, max(table), f"eventcost_b{block.index}")
        model.add_element(v.start[block.index], table, cost)
        terms.append(cost)
    return sum(terms)


def goal_borrowed_room(model: cp_model.CpModel, inst: Instance, v: CalendarVars) -> LinearExpr:
    """Sessions in borrowed rooms. A block that fits no own room counts as a constant: the bound of
    the objective then knows it without an LP (benchmarks/studies/2026-11-28-core-quick-bounds)."""
    borrowed = {r for r, room in enumerate(inst.scenario.rooms) if room.kind == RoomKind.borrowed}
    choices: dict[int, list[tuple[int, cp_model.IntVar]]] = {}
    for (b, r), lit in v.room.items():
        choices.setdefault(b, []).append((r, lit))
    terms: list[Any] = []
    for b, rooms in choices.items():
        sessions = inst.blocks[b].sessions
        if all(r in borrowed for r, _ in rooms):
            terms.append(sessions)
        else:
            terms += [sessions * lit for r, lit in rooms if r in borrowed]
    return sum(terms)


def goal_room_stability(model: cp_model.CpModel, inst: Instance, v: CalendarVars) -> LinearExpr:
    terms = []
    for c in inst.classes:
        if len(c.blocks) < 2:
            continue
        used = []
        for r in range(len(inst.rooms)):
            lits = [v.room[b, r] for b in c.blocks if (b, r) in v.room]
            if lits:
                u = model.new_bool_var(f"uses_c{c.index}_r{r}")
                model.add_max_equality(u, lits)
                used.append(u)
        model.add(sum(used) >= 1)
        terms.append(sum(used) - 1)
    return sum(terms)


def goal_room_capacity(model: cp_model.CpModel, inst: Instance, v: CalendarVars) -> LinearExpr | None:
    """Soft room capacity: per session, the learners above the room's seats."""
    if not inst.scenario.rules.soft_room_capacity:
        return None
    terms: list[Any] = []
    for block in inst.blocks:
        c = inst.classes[block.class_index]
        small = [
            (r, seats) for r, seats in enumerate(inst.rooms) if (block.index, r) in v.room and seats < c.learners_max
        ]
        if not small:
            continue
        if c.learners_min == c.learners_max:
            terms += [block.sessions * (c.learners_max - seats) * v.room[block.index, r] for r, seats in small]
            continue
        over = model.new_int_var(0, c.learners_max, f"over_b{block.index}")
        seats_used = sum(
            seats * v.room[block.index, r] for r, seats in enumerate(inst.rooms) if (block.index, r) in v.room
        )
        model.add_max_equality(over, [0, v.learners[c.index] - seats_used])
        terms.append(block.sessions * over)
    return sum(terms)


def start_literals(model: cp_model.CpModel, v: CalendarVars, block: BlockInfo) -> dict[int, cp_model.IntVar]:
    """One literal per allowed start of the block, exactly one true, channelled to its start."""
    if block.index not in v.at:
        lits = {t: model.new_bool_var(f"at_b{block.index}_{t}") for t in block.starts}
        if lits:
            model.add_exactly_one(lits.values())
            model.add(v.start[block.index] == sum(t * lit for t, lit in lits.items()))
        v.at[block.index] = lits
    return v.at[block.index]


def goal_min_days(model: cp_model.CpModel, inst: Instance, v: CalendarVars) -> LinearExpr:
    """Per class: the days it meets on fewer than its delivery's min_days."""
    terms = []
    for c in inst.classes:
        wanted = c.program.delivery.min_days
        if wanted <= 1:
            continue
        on_day: dict[int, list[cp_model.IntVar]] = {}
        for b in c.blocks:
            block = inst.blocks[b]
            for t, lit in start_literals(model, v, block).items():
                for d in {inst.slot_day(slot) for slot in block.slots(t)}:
                    on_day.setdefault(d, []).append(lit)
        used = []
        for d, lits in on_day.items():
            day_used = model.new_bool_var(f"meets_c{c.index}_d{d}")
            model.add_max_equality(day_used, lits)
            used.append(day_used)
        short = model.new_int_var(0, wanted, f"short_c{c.index}")
        model.add_max_equality(short, [0, wanted - sum(used)])
        terms.append(short)
    return sum(terms)


def goal_isolated_sessions(model: cp_model.CpModel, inst: Instance, v: CalendarVars) -> LinearExpr:
    """Per learner group and session: no other session of the group in an adjacent slot."""
    terms = []
    for g, members in enumerate(inst.group_classes):
        at_slot: dict[int, list[cp_model.IntVar]] = {}
        for ci in members:
            for b in inst.classes[ci].blocks:
                block = inst.blocks[b]
                for t, lit in start_literals(model, v, block).items():
                    for slot in block.slots(t):
                        at_slot.setdefault(slot, []).append(lit)
        busy = {t: sum(lits) for t, lits in at_slot.items()}  # 0 or 1: the group's classes never overlap
        for t, here in busy.items():
            neighbours = [busy[u] for u in inst.neighbours(t) if u in busy]
            if not neighbours:
                terms.append(here)
                continue
            alone = model.new_bool_var(f"alone_g{g}_t{t}")
            model.add(alone >= here - sum(neighbours))
            model.add(alone <= here)
            for other in neighbours:
                model.add(alone <= 1 - other)
            terms.append(alone)
    return sum(terms)


MOVED_BLOCK, ROOM_CHANGE = 10, 3  # re-planning penalty units, see docs/rules.md


def goal_moves(model: cp_model.CpModel, inst: Instance, v: CalendarVars) -> LinearExpr | None:
    """Re-planning: 10 per block that moves plus the working days it moves, 3 per room change.
    None (no goal) without a baseline."""
    base = inst.baseline
    if base is None:
        return None
    terms: list[Any] = []
    moved_flags = []
    for b, old in base.start.items():
        if b in base.frozen_blocks:
            continue
        moved = model.new_bool_var(f"moved_b{b}")
        model.add(v.start[b] == old).only_enforce_if(moved.Not())
        shift = model.new_int_var(0, len(inst.days), f"shift_b{b}")
        model.add_abs_equality(shift, v.start[b] - old)
        day_shift = model.new_int_var(0, len(inst.days), f"dayshift_b{b}")
        model.add_division_equality(day_shift, shift, inst.periods)
        terms += [MOVED_BLOCK * moved, day_shift]
        moved_flags.append(moved)
        if (b, base.room[b]) in v.room:
            terms.append(ROOM_CHANGE * (1 - v.room[b, base.room[b]]))
        else:
            terms.append(ROOM_CHANGE)
    if base.max_moves is not None:
        model.add(sum(moved_flags) <= base.max_moves)
    return sum(terms)


def calendar_goal_values(
    inst: Instance, starts: dict[int, int], rooms: dict[int, int], learners: dict[int, int]
) -> dict[str, int]:
    """The stage-1 goals of a given calendar, as the goal functions above define them."""
    weights = inst.scenario.weights.model_dump()
    avoided = avoided_days(inst)
    borrowed = {r for r, room in enumerate(inst.scenario.rooms) if room.kind == RoomKind.borrowed}
    month_count: dict[tuple[int, int], int] = {}
    values = dict.fromkeys(GOALS, 0)
    for block in inst.blocks:
        c = inst.classes[block.class_index]
        month = _month(inst, starts[block.index])
        month_count[month] = month_count.get(month, 0) + 1
        if c.spec.preferred_months and month[1] not in c.spec.preferred_months:
            values["preferred_months"] += 1
        values["avoid_event_days"] += sum(1 for s in block.slots(starts[block.index]) if inst.slot_date(s) in avoided)
        if rooms[block.index] in borrowed:
            values["borrowed_room"] += block.sessions
    values["month_spread"] = max(month_count.values(), default=0)
    values["room_stability"] = sum(len({rooms[b] for b in c.blocks}) - 1 for c in inst.classes)
    if inst.scenario.rules.soft_room_capacity:
        values["room_capacity"] = sum(
            block.sessions * max(0, learners[block.class_index] - inst.rooms[rooms[block.index]])
            for block in inst.blocks
        )
    for c in inst.classes:
        if c.program.delivery.min_days > 1:
            meets = {inst.slot_day(t) for b in c.blocks for t in inst.blocks[b].slots(starts[b])}
            values["min_days"] += max(0, c.program.delivery.min_days - len(meets))
    for members in inst.group_classes:
        busy = {t for ci in members for b in inst.classes[ci].blocks for t in inst.blocks[b].slots(starts[b])}
        values["isolated_sessions"] += sum(1 for t in busy if busy.isdisjoint(inst.neighbours(t)))
    del values["moves"]  # the greedy calendar is never a re-plan
    return {goal: value for goal, value in values.items() if weights[goal] > 0}


GOALS: dict[str, Callable[[cp_model.CpModel, Instance, CalendarVars], LinearExpr | None]] = {
    "preferred_months": goal_preferred_months,
    "month_spread": goal_month_spread,
    "avoid_event_days": goal_avoid_event_days,
    "borrowed_room": goal_borrowed_room,
    "room_stability": goal_room_stability,
    "room_capacity": goal_room_capacity,
    "min_days": goal_min_days,
    "isolated_sessions": goal_isolated_sessions,
    "moves": goal_moves,
}

RULES = (
    add_delivery,
    add_room_choice,
    add_room_clashes,
    add_room_counts,
    add_groups,
    add_cohorts,
    add_gathering_limits,
    add_observation_opportunities,
    add_baseline,
)


Layer = Callable[[cp_model.CpModel, Instance, CalendarVars], dict[str, LinearExpr | None]]


def build_calendar_model(
    inst: Instance,
    nogoods: list[dict[int, int]] | None = None,
    pools: list[frozenset[str]] | None = None,
    layer: Layer | None = None,
    topic_capacity: bool = True,
) -> tuple[cp_model.CpModel, CalendarVars]:
    """Stage 1 with every rule, the learned topic pools and the excluded start combinations.

    `layer` adds more variables and rules over the calendar's (the teaching layer) and returns its
    goals, which are optimised together with the calendar's. `topic_capacity` False leaves out the
    lecturers' capacity per pool of topics (`add_topic_capacity`, the learned pools included): a
    relaxation of who teaches, for a layer that says who teaches."""
    model = cp_model.CpModel()
    v = create_variables(model, inst)
    for rule in RULES:
        rule(model, inst, v)
    if topic_capacity:
        add_topic_capacity(model, inst, v, pools or [])
    add_exclusions(model, v, nogoods or [])
    extra = layer(model, inst, v) if layer is not None else None
    minimize_weighted_goals(model, inst, v, GOALS, extra)
    return model, v


# the rules that do not involve time: a relaxation whose optimum is a quick bound on stage 1
TIMELESS_RULES = (add_room_choice, add_cohorts, add_baseline)
# the goals such a relaxation can force above 0 (the others are 0 when time is free, or are left out);
# in a re-plan, `moves` counts the blocks whose baseline start or room the changes no longer allow
TIMELESS_GOALS = ("preferred_months", "month_spread", "borrowed_room", "room_stability", "room_capacity", "moves")


def build_calendar_relaxation(inst: Instance) -> cp_model.CpModel:
    """Stage 1 without anything that involves time (gaps, clashes, groups, lecturer capacity):
    rooms, seats and cohort splits with every goal. Its optimum bounds stage 1's objective from
    below; it is small enough to solve at once where the full model's LP takes minutes on a province
    (borrowed rooms forced by cohort sizes + the month pigeonhole; studies/2026-11-28-core-quick-bounds)."""
    model = cp_model.CpModel()
    v = create_variables(model, inst)
    for rule in TIMELESS_RULES:
        rule(model, inst, v)
    minimize_weighted_goals(model, inst, v, {g: GOALS[g] for g in TIMELESS_GOALS})
    return model
