"""Stage 2, staffing: with every block's start fixed, who teaches each segment and who observes whom.

Times are fixed, so every rule is linear over booleans: one lecturer per segment, one place per
lecturer and slot (teaching and observing), weekly / monthly / yearly loads, observation visits.
With `assumptions=True` each segment's staffing and each lecturer's visits are guarded by an
assumption literal, so an infeasible calendar yields a core: the blocks whose times clash.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from llct_sched.model import minimize_weighted_goals
from llct_sched.model.instance import Instance, center_sessions, preferred_lecturers
from llct_sched.scenario import LecturerKind

LinearExpr = cp_model.LinearExprT


@dataclass
class StaffingVars:
    slots: list[list[int]]  # per segment: its slots
    teach: dict[tuple[int, int], cp_model.IntVar]  # (segment, lecturer)
    attend: dict[tuple[int, int, int], cp_model.IntVar]  # (segment, slot in segment, observer) observes it
    visits: dict[tuple[int, int], cp_model.IntVar]  # (segment, observed lecturer) -> visits counted
    load: list[LinearExpr]  # sessions taught per lecturer
    segment_guard: dict[int, cp_model.IntVar] = field(default_factory=dict)
    observed_guard: dict[int, cp_model.IntVar] = field(default_factory=dict)
    goals: dict[str, LinearExpr] = field(default_factory=dict)


def segment_slots(inst: Instance, starts: list[int]) -> list[list[int]]:
    out = []
    for seg in inst.segments:
        block = inst.blocks[seg.block]
        out.append(block.slots(starts[seg.block])[seg.first : seg.first + seg.length])
    return out


OBSERVERS_PER_SEGMENT = 4  # in the small model: observers considered for each segment


def create_variables(
    model: cp_model.CpModel,
    inst: Instance,
    starts: list[int],
    first_free_slot_only: bool = False,
    extra_visits: list[tuple[int, int, int]] | None = None,
) -> StaffingVars:
    """Teaching and observation variables for a fixed calendar.

    An observer attends one slot of a segment; the visit counts for whoever teaches the segment.
    With `first_free_slot_only` the model is much smaller: each segment is offered to a few
    observers (rotating, so that every observer is offered some), each at the first slot it is
    free. It is exact whenever it finds an answer; the caller falls back to the full model when it
    does not. `extra_visits` (segment, session in segment, observer) are always offered (visits
    already made, or those of a hint).
    """
    slots = segment_slots(inst, starts)
    teach = {}
    for seg in inst.segments:
        for lec in seg.lecturers:
            if all(inst.lecturer_available[lec][t] for t in slots[seg.index]):
                teach[seg.index, lec] = model.new_bool_var(f"teach_s{seg.index}_l{lec}")
    attend, visits = {}, {}
    observed = set(inst.observed)
    observers = list(inst.observers)
    for seg in inst.segments:
        if not inst.classes[seg.class_index].qualifies_for_observation:
            continue
        candidates = [lec for lec in seg.lecturers if lec in observed and (seg.index, lec) in teach]
        if not candidates:
            continue
        for lec in candidates:
            visits[seg.index, lec] = model.new_int_var(0, seg.length, f"visits_s{seg.index}_l{lec}")
        offered = []
        for obs in observers:
            free = [k for k, slot in enumerate(slots[seg.index]) if inst.lecturer_available[obs][slot]]
            if free:
                offered.append((obs, free[:1] if first_free_slot_only else free))
        if first_free_slot_only and len(offered) > OBSERVERS_PER_SEGMENT:
            shift = seg.index % len(offered)
            offered = (offered[shift:] + offered[:shift])[:OBSERVERS_PER_SEGMENT]
        for obs, ks in offered:
            for k in ks:
                attend[seg.index, k, obs] = model.new_bool_var(f"attend_s{seg.index}_{k}_o{obs}")
    # visits of a hint or planned by a baseline: offered where the observer may still make them
    wanted = list(extra_visits or [])
    if inst.baseline is not None:
        wanted += [(s, k, obs) for s, k, _, obs in inst.baseline.planned_visits]
    allowed = set(observers)
    wanted = [
        (s, k, obs)
        for s, k, obs in wanted
        if obs in allowed and k < len(slots[s]) and inst.lecturer_available[obs][slots[s][k]]
    ]
    if inst.baseline is not None:  # visits already made stay, whatever the restriction
        wanted += [(s, k, obs) for s, k, _, obs in inst.baseline.visits]
    observable = {s for (s, _) in visits}
    for s, k, obs in wanted:
        if (s, k, obs) not in attend and s in observable and k < len(slots[s]):
            attend[s, k, obs] = model.new_bool_var(f"attend_s{s}_{k}_o{obs}")
    attend = _without_invented_past_visits(inst, slots, attend)
    load: list[Any] = [0] * len(inst.lecturer_available)
    for (s, lec), lit in teach.items():
        load[lec] += inst.segments[s].length * lit
    return StaffingVars(slots=slots, teach=teach, attend=attend, visits=visits, load=load)


def _without_invented_past_visits(
    inst: Instance, slots: list[list[int]], attend: dict[tuple[int, int, int], Any]
) -> dict[tuple[int, int, int], Any]:
    """Re-planning: before the freeze date the only visits are those the baseline made."""
    base = inst.baseline
    if base is None or base.freeze_before is None:
        return attend
    made = {(s, k, obs) for s, k, _, obs in base.visits}
    past = base.freeze_before
    return {key: lit for key, lit in attend.items() if key in made or inst.slot_date(slots[key[0]][key[1]]) >= past}


def add_one_lecturer_per_segment(model: cp_model.CpModel, inst: Instance, v: StaffingVars) -> None:
    by_segment: dict[int, list[cp_model.IntVar]] = {}
    for (s, _), lit in v.teach.items():
        by_segment.setdefault(s, []).append(lit)
    for seg in inst.segments:
        if not inst.classes[seg.class_index].taught_by_center:
            continue
        constraint = model.add(sum(by_segment.get(seg.index, [])) == 1)
        if seg.index in v.segment_guard:
            constraint.only_enforce_if(v.segment_guard[seg.index])


def add_one_place_per_slot(model: cp_model.CpModel, inst: Instance, v: StaffingVars) -> None:
    busy: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    for (s, lec), lit in v.teach.items():
        for t in v.slots[s]:
            busy.setdefault((lec, t), []).append(lit)
    for (s, k, obs), lit in v.attend.items():
        busy.setdefault((obs, v.slots[s][k]), []).append(lit)
    for lits in busy.values():
        if len(lits) > 1:
            model.add_at_most_one(lits)


def add_loads(model: cp_model.CpModel, inst: Instance, v: StaffingVars) -> None:
    """Sessions taught per ISO week, calendar month and year within each lecturer's limits."""
    for lec, spec in enumerate(inst.scenario.lecturers):
        limits: list[tuple[Callable[[int], object], int | None]] = [
            (lambda t: inst.slot_date(t).isocalendar()[:2], spec.max_sessions_per_week),
            (lambda t: (inst.slot_date(t).year, inst.slot_date(t).month), spec.max_sessions_per_month),
            (lambda t: 0, spec.max_sessions_per_year),
        ]
        for bucket_of, limit in limits:
            if limit is None:
                continue
            buckets: dict[object, list[LinearExpr]] = {}
            for (s, who), lit in v.teach.items():
                if who != lec:
                    continue
                counts: dict[object, int] = {}
                for t in v.slots[s]:
                    counts[bucket_of(t)] = counts.get(bucket_of(t), 0) + 1
                for key, n in counts.items():
                    buckets.setdefault(key, []).append(n * lit)
            for terms in buckets.values():
                model.add(sum(terms) <= limit)


def add_observations(model: cp_model.CpModel, inst: Instance, v: StaffingVars) -> None:
    """Visits: observers attend slots of segments, counted for the segment's lecturer."""
    policy = inst.scenario.observation
    attending: dict[int, list[cp_model.IntVar]] = {}
    per_slot: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    by_observer: dict[int, list[cp_model.IntVar]] = {}
    for (s, k, obs), lit in v.attend.items():
        attending.setdefault(s, []).append(lit)
        per_slot.setdefault((s, k), []).append(lit)
        by_observer.setdefault(obs, []).append(lit)
    counted: dict[int, list[cp_model.IntVar]] = {}
    by_observed: dict[int, list[cp_model.IntVar]] = {lec: [] for lec in inst.observed}
    for (s, lec), n in v.visits.items():
        model.add(n == 0).only_enforce_if(v.teach[s, lec].Not())
        counted.setdefault(s, []).append(n)
        by_observed[lec].append(n)
    for s in set(attending) | set(counted):
        # an observer may not watch himself: attending a slot he teaches is a one-place clash
        model.add(sum(attending.get(s, [])) == sum(counted.get(s, [])))
    for lits in per_slot.values():  # visits of one lecturer are in distinct slots
        if len(lits) > 1:
            model.add_at_most_one(lits)
    for lec, counts in by_observed.items():
        constraint = model.add(sum(counts) == policy.visits_per_lecturer)
        if lec in v.observed_guard:
            constraint.only_enforce_if(v.observed_guard[lec])
    if policy.max_visits_per_observer is not None:
        for lits in by_observer.values():
            model.add(sum(lits) <= policy.max_visits_per_observer)


def add_baseline(model: cp_model.CpModel, inst: Instance, v: StaffingVars) -> None:
    """Re-planning: sessions before the freeze date keep their lecturer, visits made stay made."""
    base = inst.baseline
    if base is None:
        return
    for s in base.frozen_segments:
        if s in base.lecturer:
            if (s, base.lecturer[s]) in v.teach:
                model.add(v.teach[s, base.lecturer[s]] == 1)
            else:
                model.add_bool_or([])  # the lecturer of a past session can no longer teach it
    for s, k, _, obs in base.visits:
        model.add(v.attend[s, k, obs] == 1)


def goal_observation_spread(model: cp_model.CpModel, inst: Instance, v: StaffingVars) -> LinearExpr:
    """The largest number of observation visits in one calendar month."""
    by_month: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    for (s, k, _), lit in v.attend.items():
        day = inst.slot_date(v.slots[s][k])
        by_month.setdefault((day.year, day.month), []).append(lit)
    if not by_month:
        return 0
    peak = model.new_int_var(0, len(v.attend), "peak_visits")
    for lits in by_month.values():
        model.add(peak >= sum(lits))
    needed = inst.scenario.observation.visits_per_lecturer * len(inst.observed)
    model.add(peak * len(by_month) >= needed)  # pigeonhole, redundant
    return peak


def goal_lecturer_changes(model: cp_model.CpModel, inst: Instance, v: StaffingVars) -> LinearExpr | None:
    """Re-planning: segments (not frozen) given another lecturer than in the baseline, and visits
    planned by the baseline (after the freeze date) not kept: same session of the segment, same observer."""
    base = inst.baseline
    if base is None:
        return None
    terms: list[Any] = []
    for s, lec in base.lecturer.items():
        if s not in base.frozen_segments:
            terms.append(1 - v.teach[s, lec] if (s, lec) in v.teach else 1)
    for s, k, _, obs in base.planned_visits:
        terms.append(1 - v.attend[s, k, obs] if (s, k, obs) in v.attend else 1)
    return sum(terms)


def goal_module_lecturer_stability(model: cp_model.CpModel, inst: Instance, v: StaffingVars) -> LinearExpr:
    groups: dict[tuple[int, int], list[int]] = {}
    for seg in inst.segments:
        groups.setdefault((seg.class_index, seg.module_index), []).append(seg.index)
    terms = []
    for (c, m), segs in groups.items():
        if len(segs) < 2 or not inst.classes[c].taught_by_center:
            continue
        used = []
        for lec in {lec for s in segs for lec in inst.segments[s].lecturers}:
            lits = [v.teach[s, lec] for s in segs if (s, lec) in v.teach]
            if lits:
                u = model.new_bool_var(f"modlec_c{c}_m{m}_l{lec}")
                model.add_max_equality(u, lits)
                used.append(u)
        if used:
            terms.append(sum(used) - 1)
    return sum(terms)


def goal_lecturer_balance(model: cp_model.CpModel, inst: Instance, v: StaffingVars) -> LinearExpr:
    full_time = [i for i, lec in enumerate(inst.scenario.lecturers) if lec.kind == LecturerKind.full_time]
    if len(full_time) < 2:
        return 0
    total = sum(s.length for s in inst.segments)
    high = model.new_int_var(0, total, "load_high")
    low = model.new_int_var(0, total, "load_low")
    for lec in full_time:
        model.add(high >= v.load[lec])
        model.add(low <= v.load[lec])
    return high - low


def goal_teaching_norm(model: cp_model.CpModel, inst: Instance, v: StaffingVars) -> LinearExpr:
    terms = []
    for lec, spec in enumerate(inst.scenario.lecturers):
        if spec.norm_sessions_per_year:
            short = model.new_int_var(0, spec.norm_sessions_per_year, f"short_l{lec}")
            model.add(short >= spec.norm_sessions_per_year - v.load[lec])
            terms.append(short)
    return sum(terms)


def _excess(model: cp_model.CpModel, expr: LinearExpr, bound: int, name: str) -> cp_model.IntVar:
    """max(0, expr) as a variable in [0, bound]."""
    over = model.new_int_var(0, max(0, bound), name)
    model.add(over >= expr)
    return over


def goal_over_norm(model: cp_model.CpModel, inst: Instance, v: StaffingVars) -> LinearExpr:
    """Per lecturer with a norm band: sessions above its upper edge (overtime)."""
    total = center_sessions(inst)
    return sum(
        _excess(model, v.load[lec] - spec.norm_max_sessions_per_year, total, f"over_l{lec}")
        for lec, spec in enumerate(inst.scenario.lecturers)
        if spec.norm_max_sessions_per_year is not None
    )


def goal_part_time_minimum(model: cp_model.CpModel, inst: Instance, v: StaffingVars) -> LinearExpr:
    """Per lecturer with a minimum share, the sessions short of it, the k-th missing session
    counting k: short * (short + 1) / 2, so that a shortfall is spread over several lecturers rather
    than left on one (three lecturers one short: 3; one lecturer three short: 6). As the sum over
    k < minimum of max(0, short - k), each term a variable pushed down to its floor."""
    terms: list[Any] = []
    for lec, spec in enumerate(inst.scenario.lecturers):
        low = spec.min_sessions_per_year
        if low:
            terms += [_excess(model, low - k - v.load[lec], low - k, f"below_l{lec}_{k}") for k in range(low)]
    return sum(terms)


def goal_part_time_share(model: cp_model.CpModel, inst: Instance, v: StaffingVars) -> LinearExpr:
    """Sessions short of the plan's share of center-taught sessions for part-time lecturers."""
    share = inst.scenario.staffing.part_time_share
    if not share:
        return 0
    wanted = math.ceil(share * center_sessions(inst) - 1e-9)
    part_time = [i for i, lec in enumerate(inst.scenario.lecturers) if lec.kind == LecturerKind.part_time]
    return _excess(model, wanted - sum(v.load[lec] for lec in part_time), wanted, "part_time_short")


def goal_specialist(model: cp_model.CpModel, inst: Instance, v: StaffingVars) -> LinearExpr:
    """Sessions of a module with preferred lecturers taught by someone else."""
    terms: list[Any] = []
    for s, preferred in preferred_lecturers(inst).items():
        length = inst.segments[s].length
        terms.append(length - length * sum(v.teach[s, lec] for lec in preferred if (s, lec) in v.teach))
    return sum(terms)


GOALS: dict[str, Callable[[cp_model.CpModel, Instance, StaffingVars], LinearExpr | None]] = {
    "module_lecturer_stability": goal_module_lecturer_stability,
    "lecturer_balance": goal_lecturer_balance,
    "teaching_norm": goal_teaching_norm,
    "specialist": goal_specialist,
    "over_norm": goal_over_norm,
    "part_time_minimum": goal_part_time_minimum,
    "part_time_share": goal_part_time_share,
    "observation_spread": goal_observation_spread,
    "lecturer_changes": goal_lecturer_changes,
}

RULES = (add_one_lecturer_per_segment, add_one_place_per_slot, add_loads, add_observations, add_baseline)


def build_staffing_model(
    inst: Instance,
    starts: list[int],
    assumptions: bool = False,
    first_free_slot_only: bool = False,
    extra_visits: list[tuple[int, int, int]] | None = None,
) -> tuple[cp_model.CpModel, StaffingVars]:
    """Stage 2 on fixed block starts. See `create_variables` for the last two arguments."""
    model = cp_model.CpModel()
    v = create_variables(model, inst, starts, first_free_slot_only, extra_visits)
    if assumptions:
        for seg in inst.segments:
            if inst.classes[seg.class_index].taught_by_center:
                v.segment_guard[seg.index] = model.new_bool_var(f"staffed_s{seg.index}")
        for lec in inst.observed:
            v.observed_guard[lec] = model.new_bool_var(f"observed_l{lec}")
        model.add_assumptions(list(v.segment_guard.values()) + list(v.observed_guard.values()))
    for rule in RULES:
        rule(model, inst, v)
    if not assumptions:
        minimize_weighted_goals(model, inst, v, GOALS)
    return model, v


# the staffing goals that depend on loads only: the timeless relaxation bounds them
LOAD_GOALS = ("lecturer_balance", "teaching_norm", "over_norm", "part_time_minimum", "part_time_share")


def observation_floor(inst: Instance) -> int:
    """The weighted `observation_spread` that every timetable pays: the visits over the months."""
    weight = inst.scenario.weights.observation_spread
    if weight == 0 or not inst.observed:
        return 0
    needed = inst.scenario.observation.visits_per_lecturer * len(inst.observed)
    return weight * -(-needed // inst.n_months)


def specialist_floor(inst: Instance) -> int:
    """The weighted `specialist` that every timetable pays: block by block, the fewest sessions at
    any of its starts whose preferred lecturers are all busy elsewhere in their week (not free for
    the whole segment). A block's start fixes every one of its segments' slots, so the block's own
    penalty is at least that minimum, whatever the other blocks do."""
    weight = inst.scenario.weights.specialist
    preferred = preferred_lecturers(inst)
    if weight == 0 or not preferred:
        return 0
    total = 0
    for block in inst.blocks:
        wanted = [(inst.segments[s], preferred[s]) for s in block.segments if s in preferred]
        if not wanted or not block.starts:
            continue
        total += min(
            sum(
                seg.length
                for seg, lecturers in wanted
                if not any(
                    all(inst.lecturer_available[lec][t] for t in block.slots(start)[seg.first : seg.first + seg.length])
                    for lec in lecturers
                )
            )
            for start in block.starts
        )
    return weight * total


def build_staffing_relaxation(inst: Instance, observation: bool = True) -> cp_model.CpModel:
    """Stage 2 without times, for a lower bound valid for every calendar.

    A lecturer may take a segment when the topic fits and some allowed start of its block finds
    them free; yearly loads hold; every observed lecturer teaches some observable segment. Weekly
    and monthly loads and clashes depend on the calendar and are left out, and so is
    module_lecturer_stability (>= 0). Segments alike (length, observable, possible lecturers) are
    interchangeable here, so the model counts them per kind: x[kind, lecturer] (a province has
    ten times the segments and the lecturers of a town, but about as many kinds per lecturer).
    `specialist` counts with its block-by-block floor (`specialist_floor`); with `observation`
    False the visits' floor is left out (stage 1 with the teaching layer, whose bound this is).
    """
    model = cp_model.CpModel()
    kinds: dict[tuple[int, bool, tuple[int, ...]], int] = {}
    candidates: dict[int, list[int]] = {}
    for s, lec in sorted(inst.teachable):
        candidates.setdefault(s, []).append(lec)
    for seg in inst.segments:
        if not inst.classes[seg.class_index].taught_by_center:
            continue
        observable = inst.classes[seg.class_index].qualifies_for_observation
        key = (seg.length, observable, tuple(candidates.get(seg.index, ())))
        kinds[key] = kinds.get(key, 0) + 1
    load: list[Any] = [0] * len(inst.lecturer_available)
    observable_share: dict[int, list[Any]] = {lec: [] for lec in inst.observed}
    for k, ((length, observable, lecturers), count) in enumerate(kinds.items()):
        shares = [model.new_int_var(0, count, f"x{k}_l{lec}") for lec in lecturers]
        model.add(sum(shares) == count)  # infeasible when a segment has no possible lecturer
        for lec, x in zip(lecturers, shares, strict=True):
            load[lec] += length * x
            if observable and lec in observable_share:
                observable_share[lec].append(x)
    for lec, spec in enumerate(inst.scenario.lecturers):
        if spec.max_sessions_per_year is not None:
            model.add(load[lec] <= spec.max_sessions_per_year)
    if inst.scenario.observation.visits_per_lecturer > 0:
        for shares in observable_share.values():
            if shares:
                model.add(sum(shares) >= 1)
    v = StaffingVars(slots=[], teach={}, attend={}, visits={}, load=load)
    weights = inst.scenario.weights.model_dump()
    terms = [(weights[g], GOALS[g](model, inst, v)) for g in LOAD_GOALS if weights[g] > 0]
    if (
        observation and weights["observation_spread"] > 0 and inst.observed
    ):  # no visit variables here: the pigeonhole bound
        terms.append((1, observation_floor(inst)))
    terms.append((1, specialist_floor(inst)))
    model.minimize(sum(w * expr for w, expr in terms if expr is not None))
    return model
