"""Stage 1's teaching layer: who teaches each segment, decided together with the calendar.

Where part-time lecturers, free one or two half-days a week, must carry a real share of the
teaching (yearly caps on the full-time staff, a part-time share, minimum shares), a calendar
chosen without them is almost never staffable, and the staffing cuts of the stage loop learn too
little per round. This layer gives stage 1 a lecturer per segment: the lecturer is free for the
whole segment at the block's start, teaches one segment at a time, and keeps the yearly cap; the
load-based staffing goals are then optimised together with the calendar.

Left to stage 2 (the layer is a relaxation of it): weekly and monthly loads, and the observation
visits themselves (stage 1 keeps their opportunities, tied to who teaches, books the session of
those only one observer can watch in that observer's time, and counts them by month:
`goal_visit_spread`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from llct_sched.model.calendar_stage import CalendarVars, start_literals
from llct_sched.model.instance import CENTER_SIZED_PAIRS, Instance, preferred_lecturers
from llct_sched.model.staffing_stage import GOALS as STAFFING_GOALS
from llct_sched.model.staffing_stage import StaffingVars, observation_floor

# the staffing goals stage 1 can count from who teaches (the visits' spread: see goal_visit_spread)
LAYER_GOALS = tuple(g for g in STAFFING_GOALS if g != "observation_spread")


def _session_offsets(inst: Instance, segment: int) -> np.ndarray:
    """The slot offsets of the segment's sessions from its block's start slot."""
    seg = inst.segments[segment]
    pieces = inst.blocks[seg.block].pieces(0, seg.first, seg.length)
    return np.array([off + k for off, size in pieces for k in range(size)], dtype=np.int64)


def starts_where_free(inst: Instance, segment: int, free: np.ndarray) -> list[int]:
    """The allowed starts of the segment's block at which a lecturer free in the slots `free` (a
    boolean row of the slot axis) is free for the whole segment."""
    seg = inst.segments[segment]
    block = inst.blocks[seg.block]
    offsets = _session_offsets(inst, segment)
    starts = np.asarray(block.starts, dtype=np.int64)
    ok = free[starts[:, None] + offsets[None, :]].all(axis=1)
    return [int(t) for t in starts[ok]]


def create_teaching(model: cp_model.CpModel, inst: Instance, cv: CalendarVars) -> StaffingVars:
    """teach[segment, lecturer] for every possible pair, tied to the block's start; the load per lecturer."""
    teach: dict[tuple[int, int], cp_model.IntVar] = {}
    free = np.asarray(inst.lecturer_available, dtype=bool)  # [lecturer][slot], once per model
    for s, lec in sorted(inst.teachable):
        if not inst.classes[inst.segments[s].class_index].taught_by_center:
            continue
        lit = model.new_bool_var(f"y_s{s}_l{lec}")
        teach[s, lec] = lit
        block = inst.segments[s].block
        good = starts_where_free(inst, s, free[lec])
        if len(good) < len(inst.blocks[block].starts):
            model.add_linear_expression_in_domain(cv.start[block], cp_model.Domain.from_values(good)).only_enforce_if(
                lit
            )
    load: list[Any] = [0] * len(inst.lecturer_available)
    for (s, lec), lit in teach.items():
        load[lec] += inst.segments[s].length * lit
    return StaffingVars(slots=[], teach=teach, attend={}, visits={}, load=load)


def add_one_lecturer(model: cp_model.CpModel, inst: Instance, tv: StaffingVars) -> None:
    """Every center-taught segment has exactly one lecturer."""
    by_segment: dict[int, list[cp_model.IntVar]] = {}
    for (s, _), lit in tv.teach.items():
        by_segment.setdefault(s, []).append(lit)
    for seg in inst.segments:
        if inst.classes[seg.class_index].taught_by_center:
            model.add_exactly_one(by_segment.get(seg.index, []))


def add_lecturer_clashes(model: cp_model.CpModel, inst: Instance, cv: CalendarVars, tv: StaffingVars) -> None:
    """A lecturer is in one place at a time: teaching one segment, or watching a session of a chance
    that only they can observe (`watched_sessions`)."""
    per_lecturer = watched_sessions(model, inst, cv)
    for (s, lec), lit in tv.teach.items():
        seg = inst.segments[s]
        block = inst.blocks[seg.block]
        for k, (off, size) in enumerate(block.pieces(0, seg.first, seg.length)):
            per_lecturer.setdefault(lec, []).append(
                model.new_optional_fixed_size_interval_var(cv.start[seg.block] + off, size, lit, f"y_s{s}_l{lec}_{k}")
            )
    for intervals in per_lecturer.values():
        if len(intervals) > 1:
            model.add_no_overlap(intervals)


def watched_sessions(
    model: cp_model.CpModel, inst: Instance, cv: CalendarVars
) -> dict[int, list[cp_model.IntervalVar]]:
    """Observer -> the sessions they watch: a chance (`cv.chances`) that only one observer can watch
    (the others are never free in its sessions) books one of its sessions, where that observer is
    free, in the observer's time.

    Without it stage 1 counts a chance in a session its only observer spends teaching, and stage 2
    finds the calendar unstaffable (center_share0.5_seed9: a segment the director may teach and two
    lecturers only the director can watch). A relaxation still: a visit is one session of the
    segment, so a chance books one, and a chance watched by several observers books none.
    """
    free = np.asarray(inst.lecturer_available, dtype=bool)
    watching: dict[int, list[cp_model.IntervalVar]] = {}
    for (s, lec), chance in cv.chances.items():
        good = np.asarray(inst.visit_chances[s, lec], dtype=np.int64)
        offsets = _session_offsets(inst, s)
        at = good[:, None] + offsets[None, :]  # [start][session] -> slot
        watchers = [o for o in inst.observers if o != lec and free[o][at].any()]
        if len(watchers) != 1:
            continue
        observer = watchers[0]
        sessions = [k for k in range(len(offsets)) if free[observer][at[:, k]].any()]
        if len(sessions) == 1:
            choice = {sessions[0]: chance}
        else:
            choice = {k: model.new_bool_var(f"watch_s{s}_l{lec}_{k}") for k in sessions}
            model.add(sum(choice.values()) == chance)
        block = inst.segments[s].block
        for k, lit in choice.items():
            there = good[free[observer][at[:, k]]]
            if len(there) < len(good):
                model.add_linear_expression_in_domain(
                    cv.start[block], cp_model.Domain.from_values(there.tolist())
                ).only_enforce_if(lit)
            watching.setdefault(observer, []).append(
                model.new_optional_fixed_size_interval_var(
                    cv.start[block] + int(offsets[k]), 1, lit, f"watch_s{s}_l{lec}_{k}_o{observer}"
                )
            )
    return watching


def add_yearly_caps(model: cp_model.CpModel, inst: Instance, tv: StaffingVars) -> None:
    """Sessions taught in the whole calendar <= max_sessions_per_year."""
    for lec, spec in enumerate(inst.scenario.lecturers):
        if spec.max_sessions_per_year is not None and not isinstance(tv.load[lec], int):
            model.add(tv.load[lec] <= spec.max_sessions_per_year)


def add_visit_teachers(model: cp_model.CpModel, cv: CalendarVars, tv: StaffingVars) -> None:
    """A segment counted as an observed lecturer's chance of a visit is taught by that lecturer."""
    for (s, lec), chance in cv.chances.items():
        if (s, lec) in tv.teach:
            model.add_implication(chance, tv.teach[s, lec])
        else:
            model.add(chance == 0)


def add_specialist_starts(model: cp_model.CpModel, inst: Instance, cv: CalendarVars) -> list[int]:
    """Redundant rules for the LP bound of stage 1 with the layer: a segment is taught by one of its
    preferred lecturers (goal `specialist`) only if its block starts where one of them is free for
    the whole segment. Returns the blocks whose start literals (`start_literals`) this created.

    `create_teaching` says so already, each lecturer's literal enforcing a domain on the start; an
    LP does not see such a rule, and stage 1's LP left `specialist` near 0 where the timeless floor
    (`specialist_floor`) is 22-26 sessions. Stated on the block's start literals (one per allowed
    start): the preferred lecturers' literals sum to at most the start literals at which one of
    them is free, and each one implies one of its own starts. An LP then pays, block by block, at
    least the floor of the mix of starts it takes. The start literals cost the search for
    calendars more than they give it: `search._optimise_calendar` adds these rules for its bound
    search only.
    """
    tv = cv.teaching
    if inst.scenario.weights.specialist == 0 or tv is None:
        return []
    free = np.asarray(inst.lecturer_available, dtype=bool)
    had = set(cv.at)
    for s, preferred in sorted(preferred_lecturers(inst).items()):
        lits = {lec: tv.teach[s, lec] for lec in sorted(preferred) if (s, lec) in tv.teach}
        if not lits:
            continue
        block = inst.blocks[inst.segments[s].block]
        good = {lec: starts_where_free(inst, s, free[lec]) for lec in lits}
        union = sorted({t for starts in good.values() for t in starts})
        if len(union) == len(block.starts):
            continue  # some preferred lecturer is free at every start
        at = start_literals(model, cv, block)
        for lec, lit in lits.items():
            model.add_bool_or([lit.Not(), *(at[t] for t in good[lec])])
        model.add(sum(lits.values()) <= sum(at[t] for t in union))
    return sorted(set(cv.at) - had)


def add_frozen_lecturers(model: cp_model.CpModel, inst: Instance, tv: StaffingVars) -> None:
    """Re-planning: segments before the freeze date keep their lecturer."""
    base = inst.baseline
    if base is None:
        return
    for s in base.frozen_segments:
        if s in base.lecturer:
            lit = tv.teach.get((s, base.lecturer[s]))
            if lit is None:
                model.add_bool_or([])  # the lecturer of a past session can no longer teach it
            else:
                model.add(lit == 1)


def goal_visit_spread(model: cp_model.CpModel, inst: Instance, cv: CalendarVars) -> cp_model.IntVar | None:
    """A lower bound on `observation_spread` (the most visits in one month) for every staffing of
    the calendar: each visit stage 1 keeps for a lecturer with few chances (`cv.chances`) is counted
    in one month its segment touches at the block's start, and the peak is never below the
    pigeonhole floor (`observation_floor`). Stage 2 counts the visits themselves.

    Without it stage 1 may pick, among calendars alike for its own goals, one on which the visits
    cannot be spread (a planted center: peak 3 where 2 was possible, and no proof either way).
    """
    weight = inst.scenario.weights.observation_spread
    if weight == 0 or not inst.observed or inst.scenario.observation.visits_per_lecturer == 0:
        return None
    month_of_slot = np.array([(d.year, d.month) for d in inst.days for _ in range(inst.periods)], dtype=np.int64)
    month_key = month_of_slot[:, 0] * 12 + month_of_slot[:, 1]
    free = np.asarray(inst.lecturer_available, dtype=bool)
    observers = list(inst.observers)
    observer_count = free[observers].sum(axis=0) if observers else np.zeros(free.shape[1], dtype=np.int64)
    by_month: dict[int, list[Any]] = {}
    for (s, lec), chance in cv.chances.items():
        if lec in inst.observable_elsewhere:
            continue
        seg = inst.segments[s]
        block = inst.blocks[seg.block]
        starts = np.asarray(inst.visit_chances[s, lec], dtype=np.int64)
        at = starts[:, None] + _session_offsets(inst, s)[None, :]  # [start][session] -> slot
        others = observer_count[at] - (free[lec][at] if lec in observers else 0)
        # a visit is made in a session some other observer is free for: -1 marks the others
        touched = np.where(others > 0, month_key[at], -1)
        months = sorted({int(m) for m in touched.ravel()} - {-1})
        if len(months) == 1:
            by_month.setdefault(months[0], []).append(chance)
            continue
        counted = []
        for month in months:
            lit = model.new_bool_var(f"visit_s{s}_l{lec}_m{month}")
            there = starts[(touched == month).any(axis=1)].tolist()
            model.add_linear_expression_in_domain(
                cv.start[block.index], cp_model.Domain.from_values(there)
            ).only_enforce_if(lit)
            counted.append(lit)
            by_month.setdefault(month, []).append(lit)
        model.add(sum(counted) == chance)  # a kept chance is counted in exactly one of its months
    # the lecturers with plenty of chances have no chance literals: each month takes some of their
    # visits, in the months where one of their observable segments can be at all
    needed = inst.scenario.observation.visits_per_lecturer
    plenty = sorted(inst.observable_elsewhere & set(inst.observed))
    for lec in plenty:
        possible: set[int] = set()
        for seg in inst.segments:
            block = inst.blocks[seg.block]
            if lec in seg.lecturers and block.starts and inst.classes[seg.class_index].qualifies_for_observation:
                at = np.add.outer(np.asarray(block.starts), _session_offsets(inst, seg.index))
                possible.update(int(m) for m in month_key[at].ravel())
        share = {m: model.new_int_var(0, needed, f"visits_l{lec}_m{m}") for m in sorted(possible)}
        model.add(sum(share.values()) == needed)
        for month, n in share.items():
            by_month.setdefault(month, []).append(n)
    floor = observation_floor(inst) // weight
    # every kept chance and every listed visit could fall in one month
    peak = model.new_int_var(floor, max(floor, len(cv.chances) + needed * len(plenty)), "peak_visits_stage1")
    for lits in by_month.values():
        model.add(peak >= sum(lits))
    return peak


def add_teaching_layer(model: cp_model.CpModel, inst: Instance, cv: CalendarVars) -> dict[str, Any]:
    """The layer's variables (kept in `cv.teaching`) and rules; returns its goals (see `LAYER_GOALS`)."""
    tv = create_teaching(model, inst, cv)
    add_one_lecturer(model, inst, tv)
    add_lecturer_clashes(model, inst, cv, tv)
    add_yearly_caps(model, inst, tv)
    add_visit_teachers(model, cv, tv)
    add_frozen_lecturers(model, inst, tv)
    cv.teaching = tv
    weights = inst.scenario.weights.model_dump()
    goals = {goal: STAFFING_GOALS[goal](model, inst, tv) if weights[goal] > 0 else None for goal in LAYER_GOALS}
    goals["observation_spread"] = goal_visit_spread(model, inst, cv)
    return goals


# Above a center's size the layer is left out and stage 2 staffs each calendar alone, as before.
MAX_LAYER_PAIRS = CENTER_SIZED_PAIRS


def needs_teaching_layer(inst: Instance) -> bool:
    """Staffing is part of the plan's question when loads are capped or part-time lecturers must carry
    a share: then stage 1 decides who teaches together with the calendar (for a center-sized plan,
    see MAX_LAYER_PAIRS)."""
    scenario = inst.scenario
    if len(inst.teachable) > MAX_LAYER_PAIRS:
        return False
    weights = scenario.weights
    if any(lec.max_sessions_per_year is not None for lec in scenario.lecturers):
        return True
    if weights.part_time_share and scenario.staffing.part_time_share:
        return True
    return bool(weights.part_time_minimum and any(lec.min_sessions_per_year for lec in scenario.lecturers))
