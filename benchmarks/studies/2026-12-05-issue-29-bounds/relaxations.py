"""Where the bound of a center is weak: the calendar relaxation (R0), with each block's specialist
floor at its start (R1: the block-by-block floor of `specialist_floor` tied to the start the
relaxation picks), then the blocks' order (R2), the learner groups (R3), the rooms (R4: rooms only,
R5: all three); and the staffing relaxation with `specialist` counted by the kinds' shares
(a segment pays when given to a lecturer who is never free for it) next to the block floor:

    python relaxations.py SHARE SEED DETERMINISTIC_SECONDS
"""

import sys
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from llct_sched.model import calendar_stage as cal
from llct_sched.model import minimize_weighted_goals
from llct_sched.model import staffing_stage as staff
from llct_sched.model.instance import build_instance, preferred_lecturers
from llct_sched.model.teaching_layer import starts_where_free
from llct_sched.scenario.generate import generate_center

share, seed, budget = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
inst = build_instance(generate_center(share, seed)[0])
weights = inst.scenario.weights.model_dump()
preferred = preferred_lecturers(inst)
free = np.asarray(inst.lecturer_available, dtype=bool)


def specialist_at_start(model: cp_model.CpModel, v: cal.CalendarVars) -> Any:
    """Per block, the sessions no preferred lecturer is free for at its start (element on the start)."""
    terms = []
    for block in inst.blocks:
        wanted = [(inst.segments[s], preferred[s]) for s in block.segments if s in preferred]
        if not wanted or not block.starts:
            continue
        table = [0] * inst.n_slots
        for t in block.starts:
            slots = block.slots(t)
            table[t] = sum(
                seg.length
                for seg, lecturers in wanted
                if not any(free[lec][slots[seg.first : seg.first + seg.length]].all() for lec in lecturers)
            )
        if max(table) == 0:
            continue
        cost = model.new_int_var(min(table[t] for t in block.starts), max(table), f"spec_b{block.index}")
        model.add_element(v.start[block.index], table, cost)
        terms.append(cost)
    return sum(terms)


def solved(model: cp_model.CpModel, workers: int = 1) -> str:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.max_deterministic_time = budget
    solver.parameters.cp_model_presolve = workers > 1
    status = solver.solve(model)
    return f"{solver.status_name(status)} {solver.objective_value:.0f} (bound {solver.best_objective_bound:.0f})"


def calendar(name: str, rules: tuple[Any, ...], with_specialist: bool, workers: int = 1) -> None:
    model = cp_model.CpModel()
    v = cal.create_variables(model, inst)
    for rule in rules:
        rule(model, inst, v)
    minimize_weighted_goals(model, inst, v, {g: cal.GOALS[g] for g in cal.TIMELESS_GOALS})
    if with_specialist:
        goals = sum(weights[g] * expr for g, expr in v.goals.items())
        model.minimize(goals + weights["specialist"] * specialist_at_start(model, v))
    print(name, solved(model, workers), flush=True)


def staffing_with_shares() -> None:
    model = cp_model.CpModel()
    candidates: dict[int, list[int]] = {}
    for s, lec in sorted(inst.teachable):
        candidates.setdefault(s, []).append(lec)
    kinds: dict[tuple[Any, ...], int] = {}
    for seg in inst.segments:
        if not inst.classes[seg.class_index].taught_by_center:
            continue
        ever = tuple(
            sorted(
                lec
                for lec in preferred.get(seg.index, ())
                if (seg.index, lec) in inst.teachable and starts_where_free(inst, seg.index, free[lec])
            )
        )
        observable = inst.classes[seg.class_index].qualifies_for_observation
        key = (seg.length, observable, tuple(candidates.get(seg.index, ())), seg.index in preferred, ever)
        kinds[key] = kinds.get(key, 0) + 1
    load: list[Any] = [0] * len(inst.lecturer_available)
    observed: dict[int, list[Any]] = {lec: [] for lec in inst.observed}
    paid = []
    for k, ((length, observable, lecturers, wanted, ever), count) in enumerate(kinds.items()):
        shares = {lec: model.new_int_var(0, count, f"x{k}_l{lec}") for lec in lecturers}
        model.add(sum(shares.values()) == count)
        for lec, x in shares.items():
            load[lec] += length * x
            if observable and lec in observed:
                observed[lec].append(x)
        if wanted:
            paid.append(length * (count - sum(shares[lec] for lec in ever if lec in shares)))
    for lec, spec in enumerate(inst.scenario.lecturers):
        if spec.max_sessions_per_year is not None:
            model.add(load[lec] <= spec.max_sessions_per_year)
    for shares in observed.values():
        if shares and inst.scenario.observation.visits_per_lecturer > 0:
            model.add(sum(shares) >= 1)
    v = staff.StaffingVars(slots=[], teach={}, attend={}, visits={}, load=load)
    terms = [(weights[g], staff.GOALS[g](model, inst, v)) for g in staff.LOAD_GOALS if weights[g] > 0]
    specialist = model.new_int_var(0, 10**6, "specialist")
    model.add(specialist >= sum(paid))
    model.add(weights["specialist"] * specialist >= staff.specialist_floor(inst))
    terms += [(1, staff.observation_floor(inst)), (weights["specialist"], specialist)]
    model.minimize(sum(w * e for w, e in terms if e is not None))
    print("staffing relaxation", solved(staff.build_staffing_relaxation(inst)), "with shares", solved(model))


print("specialist floor", staff.specialist_floor(inst), "observation floor", staff.observation_floor(inst))
timeless = cal.TIMELESS_RULES
rooms = (cal.add_room_clashes, cal.add_room_counts)
calendar("R0 calendar relaxation", timeless, False)
calendar("R1 + specialist at the start", timeless, True)
calendar("R2 + blocks' order", (*timeless, cal.add_delivery), True)
calendar("R3 + groups", (*timeless, cal.add_delivery, cal.add_groups), True)
calendar("R4 R1 + rooms", (*timeless, *rooms), True, workers=2)
calendar("R5 R3 + rooms", (*timeless, cal.add_delivery, cal.add_groups, *rooms), True, workers=2)
staffing_with_shares()
