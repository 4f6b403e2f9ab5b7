"""Solve a scenario: calendar stage, staffing stage, and the loop that ties them (logic-based Benders).

1. Stage 1 places every block (start slot, room, cohort split) under all calendar and room rules.
2. Stage 2 staffs the fixed calendar (lecturers, observers, loads).
3. If stage 2 is infeasible, its unsatisfiable core names the blocks whose times clash; stage 1
   is solved again with that combination of starts excluded.
Stage 1 is a relaxation and the exclusions only remove unstaffable calendars, so stage 1
INFEASIBLE proves the scenario infeasible. A first timetable comes from a quick round (stage 1
stops at its first solution); the remaining time optimises.

The library never raises for an infeasible scenario: `Result.status` says what happened.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from llct_sched import i18n
from llct_sched.check import GOALS, check
from llct_sched.model.calendar_stage import (
    CalendarVars,
    add_exclusions,
    build_calendar_model,
    build_calendar_relaxation,
    calendar_goal_values,
)
from llct_sched.model.greedy import GreedyPlan, greedy_plan
from llct_sched.model.instance import Instance, _map_baseline, build_instance
from llct_sched.model.staffing_stage import GOALS as STAFFING_GOALS
from llct_sched.model.staffing_stage import (
    build_staffing_model,
    build_staffing_relaxation,
    segment_slots,
)
from llct_sched.model.teaching_layer import add_specialist_starts, add_teaching_layer, needs_teaching_layer
from llct_sched.scenario import Priorities, Scenario
from llct_sched.scenario.diagnose import diagnose
from llct_sched.scenario.parts import independent_parts, merge_timetables
from llct_sched.solve.params import SolveParams
from llct_sched.solve.result import Result
from llct_sched.solve.runner import Progress, Session, helper_solve
from llct_sched.timetable import ObservationVisit, ScheduledSession, Timetable

log = logging.getLogger("llct_sched.solve")


class _Session(Session):
    """One solve call: the runner's session (clock, CP-SAT settings, Ctrl-C flag) with its `SolveParams`."""

    def __init__(self, params: SolveParams, report: Callable[[Progress], None] | None):
        super().__init__(
            params.time_limit,
            params.workers,
            params.seed,
            report,
            relative_gap=params.relative_gap,
            log_search=params.log_search,
        )
        self.params = params

    def run_lexicographic(
        self,
        model: cp_model.CpModel,
        goals: dict[str, Any],
        weights: dict[str, int],
        priorities: Priorities,
        stage: str,
        time_limit: float,
        **overrides: Any,
    ) -> tuple[cp_model.CpSolver | None, Any, list[dict[str, Any]]]:
        """Optimise the goals level by level; each level is then kept within the tolerance.

        Returns the last successful solve and, per level, its goals, value and bound.
        """
        levels = [[g for g in level if g in goals] for level in priorities.levels]
        listed = {g for level in levels for g in level}
        levels = [level for level in levels if level] + [[g for g in goals if g not in listed]]
        levels = [level for level in levels if level]
        deadline = self.elapsed() + time_limit
        best: tuple[cp_model.CpSolver | None, Any] = (None, cp_model.UNKNOWN)
        report: list[dict[str, Any]] = []
        for k, level in enumerate(levels):
            expr = sum(weights[g] * goals[g] for g in level)
            if isinstance(expr, int):
                continue
            model.minimize(expr)
            share = max(0.1, (deadline - self.elapsed()) / (len(levels) - k))
            solver, status, _ = self.run(model, f"{stage} level {k + 1}", share, **overrides)
            if status == cp_model.INFEASIBLE and k == 0:
                return solver, status, report
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                break
            best = (solver, status)
            value = round(solver.value(expr))  # the solution's own value (objective_value can overstate it)
            report.append({"goals": level, "value": value, "bound": math.ceil(solver.best_objective_bound - 1e-6)})
            model.add(expr <= math.floor(value * (1 + priorities.tolerance) + 1e-9))
            _hint_solution(model, solver)
        return best[0], best[1], report


def _model_size(model: cp_model.CpModel) -> tuple[int, int]:
    proto = model.proto
    return len(proto.variables), len(proto.constraints)


def _staffing_lower_bound(inst: Instance, session: _Session, observation: bool = True) -> int:
    """A lower bound on stage 2's objective that holds for every calendar (without the visits' spread
    when `observation` is False)."""
    # one worker with the full LP proves this bound at once; the default portfolio may not
    model = build_staffing_relaxation(inst, observation)
    return _bound_only(session, model, "staffing bound", linearization_level=2)


def _bound_only(session: _Session, model: cp_model.CpModel, what: str, **overrides: Any) -> int:
    """The proven bound of a one-worker run made for its bound (0 when it proved nothing; every goal is >= 0)."""
    budget = min(BOUND_SECONDS, 0.1 * session.params.time_limit, session.remaining())
    solver, status, _ = session.run(
        model, "bound", budget, quiet=True, bound_stall=BOUND_STALL_SECONDS, num_workers=1, **overrides
    )
    bound = solver.best_objective_bound
    ok = status in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.UNKNOWN) and math.isfinite(bound)
    log.info("%s %s in %.1fs (budget %.1fs)", what, bound if ok else None, solver.wall_time, budget)
    return max(0, math.ceil(bound - 1e-6)) if ok else 0


def _calendar_lower_bound(inst: Instance, session: _Session) -> int:
    """A lower bound on stage 1's objective: the optimum of its timeless relaxation (rooms, seats,
    cohort splits; see `build_calendar_relaxation`), by one LP worker without presolve. The
    portfolio that searches for calendars rarely proves it on a province (figures: the study
    benchmarks/studies/2026-11-28-core-quick-bounds)."""
    model = build_calendar_relaxation(inst)
    return _bound_only(session, model, "calendar bound", linearization_level=1, cp_model_presolve=False)


def _staffing_core(inst: Instance, starts: list[int], session: _Session) -> tuple[dict[int, int], frozenset[str]]:
    """Why a calendar cannot be staffed: the blocks (with their starts) in the unsatisfiable core,
    and the topics of the core's segments."""
    model, v = build_staffing_model(inst, starts, assumptions=True)
    solver, status, _ = session.run(model, "core", max(1.0, min(10.0, session.remaining())), quiet=True)
    blocks: set[int] = set()
    topics: set[str] = set()
    if status == cp_model.INFEASIBLE:
        core = set(solver.sufficient_assumptions_for_infeasibility())
        for s, lit in v.segment_guard.items():
            if lit.index in core:
                seg = inst.segments[s]
                blocks.add(seg.block)
                topics.add(inst.classes[seg.class_index].program.modules[seg.module_index].topic)
        for lec, lit in v.observed_guard.items():
            if lit.index in core:
                blocks.update(seg.block for seg in inst.segments if lec in seg.lecturers)
    if not blocks:  # no usable core: exclude the whole calendar
        blocks = set(range(len(inst.blocks)))
    return {b: starts[b] for b in sorted(blocks)}, frozenset(topics)


def _timetable(inst: Instance, a: _Assignment) -> Timetable:
    """The timetable, by scenario ids, of a complete assignment."""
    scenario = inst.scenario
    sessions = []
    for seg in inst.segments:
        block = inst.blocks[seg.block]
        c = inst.classes[seg.class_index]
        lecturer = a.teach.get(seg.index)
        for slot in block.slots(a.starts[block.index])[seg.first : seg.first + seg.length]:
            sessions.append(
                ScheduledSession(
                    class_id=c.spec.id,
                    module_id=c.program.modules[seg.module_index].id,
                    date=inst.slot_date(slot),
                    period=inst.slot_period(slot),
                    room_id=scenario.rooms[a.rooms[block.index]].id,
                    lecturer_id=scenario.lecturers[lecturer].id if lecturer is not None else None,
                )
            )
    visits = [
        ObservationVisit(
            lecturer_id=scenario.lecturers[lec].id,
            observer_id=scenario.lecturers[obs].id,
            class_id=inst.classes[inst.segments[s].class_index].spec.id,
            date=inst.slot_date(slot),
            period=inst.slot_period(slot),
        )
        for s, slot, lec, obs in a.visits
    ]
    learners = {c.spec.id: a.learners[c.index] for c in inst.classes}
    return Timetable(
        scenario=scenario.name,
        periods=list(scenario.calendar.periods),
        class_learners=learners,
        sessions=sessions,
        observations=visits,
    )


def _values(solver: cp_model.CpSolver, goals: dict[str, cp_model.LinearExprT]) -> dict[str, int]:
    return {g: int(solver.value(expr)) if not isinstance(expr, int) else expr for g, expr in goals.items()}


def solve(
    scenario: Scenario,
    params: SolveParams | None = None,
    progress: Callable[[Progress], None] | None = None,
    *,
    baseline: Timetable | None = None,
    freeze_before: dt.date | None = None,
    max_moves: int | None = None,
    hint: Timetable | None = None,
) -> Result:
    """Build and solve the timetable of a (validated) scenario. Never raises for infeasibility.

    With a `baseline` timetable this is a re-plan: blocks that started before `freeze_before` stay
    as they were, the rest moves as little as possible (goals `moves`, `lecturer_changes`), and at
    most `max_moves` blocks move.

    A `hint` timetable (another scenario's, e.g. the base of a what-if variant) is where the search
    starts; nothing is asked to stay as it was. If it keeps every rule of this scenario (by the
    independent checker) it is the first timetable, with the checker's objective, and the result is
    never worse than it; otherwise its starts, rooms, learners, lecturers and visits that still fit
    guide the first calendar and staffing, and the search repairs the rest.
    """
    if hint is not None and baseline is not None:
        raise ValueError("a re-plan starts from its baseline: give a hint or a baseline, not both")
    params = params or SolveParams()
    session = _Session(params, progress)
    found = diagnose(scenario)  # cheap counting checks: each one proves the scenario impossible
    if found:
        messages = [f"{d.kind}: {d.message}" for d in found]
        return Result("INFEASIBLE", None, None, round(session.elapsed(), 3), None, None, params, messages=messages)
    inst = build_instance(scenario, baseline, freeze_before, max_moves)
    result = Result("UNKNOWN", None, None, 0.0, None, None, params)
    for lec in inst.unobservable:
        spec = scenario.lecturers[lec]
        result.messages.append(
            i18n._(
                "lecturer {lecturer} must be observed but can teach no session while an observer is free "
                "(topics {topics}; check their free half-days and the observers')"
            ).format(lecturer=spec.id, topics=", ".join(spec.topics) or i18n._("none"))
        )
    if inst.empty_blocks or inst.unobservable:
        for b in inst.empty_blocks:
            block = inst.blocks[b]
            cid = inst.classes[block.class_index].spec.id
            if inst.baseline is not None and b in inst.baseline.frozen_blocks:
                result.messages.append(
                    i18n._(
                        "class {klass}: block {n} started before the freeze date and must stay, "
                        "but the changes no longer allow its dates (room, lecturers or calendar)"
                    ).format(klass=cid, n=block.number + 1)
                )
                continue
            after = ""
            if inst.baseline is not None and inst.baseline.freeze_before is not None:
                after = i18n._(" on or after {day} (the past is not re-planned)").format(
                    day=inst.baseline.freeze_before.isoformat()
                )
            result.messages.append(
                i18n._(
                    "class {klass}: block {n} has no possible start{after} (window, blackouts, holidays, "
                    "pinned dates and lecturers' availability leave no day)"
                ).format(klass=cid, n=block.number + 1, after=after)
            )
        result.status = "INFEASIBLE"
        result.wall_time_s = session.elapsed()
        return result

    start = _from_hint(inst, hint) if hint is not None else None
    with session.catching_interrupt():
        _search(inst, session, result, start)
    if start is not None and start.timetable is not None:
        _keep_the_better(inst, result, start)
    result.interrupted = session.interrupted
    result.wall_time_s = round(session.elapsed(), 3)
    if session.interrupted and result.timetable is not None:
        result.messages.append(i18n._("interrupted: the best timetable found so far is returned, not proven optimal"))
    elif session.interrupted:
        result.messages.append(i18n._("interrupted before any timetable was found: there is none to return"))
    return result


@dataclass
class _Assignment:
    """A calendar (and, when complete, its staffing) as plain data: a hint, or a solution."""

    starts: dict[int, int]
    rooms: dict[int, int]
    learners: dict[int, int]
    teach: dict[int, int] = field(default_factory=dict)
    visits: list[tuple[int, int, int, int]] = field(default_factory=list)  # segment, slot, observed, observer
    complete_hint: bool = False  # a valid hint's calendar: stage 1 is hinted on every variable (`_apply_hint`)


@dataclass
class _Start:
    """Where a hinted solve starts: what of the hint timetable fits the instance (`assignment`) and,
    when the hint keeps every rule of the scenario, the hint itself with its checked goals."""

    assignment: _Assignment
    timetable: Timetable | None = None
    objective: int | None = None
    breakdown: dict[str, int] = field(default_factory=dict)  # goal -> unweighted penalty, by the checker


def _from_hint(inst: Instance, hint: Timetable) -> _Start:
    """The hint's starts, rooms, learners, lecturers and visits that this instance still allows, and
    the hint itself if the checker finds it valid here and it places every block."""
    mapped = _map_baseline(inst, hint, None)  # no freeze date: the instance is left as it is
    starts = {b: t for b, t in mapped.start.items() if t in set(inst.blocks[b].starts)}
    rooms = {b: r for b, r in mapped.room.items() if b in starts}
    learners = {
        c.index: n
        for c in inst.classes
        if (n := mapped.learners.get(c.index)) is not None and c.learners_min <= n <= c.learners_max
    }
    teach = {s: lec for s, lec in mapped.lecturer.items() if lec in inst.segments[s].lecturers}
    visits = []  # (segment, session in segment) -> (segment, slot) at the hint's start
    for s, k, observed, observer in mapped.planned_visits:
        seg = inst.segments[s]
        if seg.block in starts:
            slot = inst.blocks[seg.block].slots(starts[seg.block])[seg.first + k]
            visits.append((s, slot, observed, observer))
    start = _Start(_Assignment(starts, rooms, learners, teach, visits))
    complete = len(starts) == len(rooms) == len(inst.blocks) and len(learners) == len(inst.classes)
    if not complete:
        return start
    report = check(inst.scenario, hint)
    if report.ok:
        weights = inst.scenario.weights.model_dump()
        start.assignment.complete_hint = True
        start.timetable = hint.model_copy(update={"scenario": inst.scenario.name})
        start.objective = report.objective
        start.breakdown = {g: report.breakdown[g] // weights[g] if weights[g] else 0 for g in GOALS}
    log.info("hint: %d of %d blocks fit; valid here: %s", len(starts), len(inst.blocks), report.ok)
    return start


def _adopt_hint(inst: Instance, session: _Session, result: Result, search: _Search, start: _Start) -> None:
    """The valid hint is the first timetable: the search replaces it only by a better one."""
    _take_checked(session, result, search, start, _rank(inst, search.weights, start.breakdown))
    result.first_feasible_s = round(session.elapsed(), 3)


def _take_checked(session: _Session, result: Result, search: _Search, start: _Start, rank: tuple[int, ...]) -> None:
    """A checked timetable (a valid hint, the parts' put together) becomes the best one."""
    assert start.timetable is not None and start.objective is not None
    search.best, search.best_rank = start.assignment, rank
    result.status = "FEASIBLE"
    result.objective, result.breakdown, result.timetable = start.objective, dict(start.breakdown), start.timetable
    if session.report:
        session.report(Progress("timetable", start.objective, result.bound, session.elapsed()))


def _keep_the_better(inst: Instance, result: Result, start: _Start) -> None:
    """The result is never worse than a valid hint: a timetable the search found instead is checked,
    and if the checker finds it worse (or wrong), the hint is returned."""
    assert start.timetable is not None and start.objective is not None
    weights = inst.scenario.weights.model_dump()
    if result.timetable is not start.timetable and result.timetable is not None:
        report = check(inst.scenario, result.timetable)
        found = {g: report.breakdown[g] // weights[g] if weights[g] else 0 for g in GOALS}
        if report.ok and _rank(inst, weights, found) <= _rank(inst, weights, start.breakdown):
            return
        log.warning("the search's timetable (checked %s) is not better than the hint's", report.objective)
        result.objective, result.breakdown, result.timetable = start.objective, dict(start.breakdown), start.timetable
        if result.bound is not None:
            result.status = "OPTIMAL" if result.objective <= result.bound else "FEASIBLE"
            result.bound = min(result.bound, result.objective)
    result.from_hint = True
    result.messages.insert(0, i18n._("the timetable given as a hint is kept: the search found none better"))


@dataclass
class _Search:
    """The state of one search: what failed staffing attempts taught stage 1, and the best assignment."""

    weights: dict[str, int]
    nogoods: list[dict[int, int]] = field(default_factory=list)
    pools: list[frozenset[str]] = field(default_factory=list)
    best: _Assignment | None = None
    staffing_bound: int | None = None  # calendar-independent bound on what stage 1 leaves to stage 2
    calendar_bound: int | None = None  # best proven bound on stage 1's objective
    teaching: bool = False  # stage 1 decides who teaches (the teaching layer) and optimises the load goals
    best_rank: tuple[int, ...] | None = None  # the best timetable's rank (see `_rank`)


BOUND_SECONDS = 10.0  # at most this long (and 10 % of the time limit) on each bound-only run (two per solve)
# a bound-only run stops when its positive bound has not moved for this long
BOUND_STALL_SECONDS = 3.0
CALENDAR_GAP = 0.02  # optimising rounds stop stage 1 within this relative gap of its bound
CALENDAR_SHARE = 0.7  # of the time left, what the optimising round gives stage 1 (the rest: stage 2)
# with the teaching layer stage 1 has staffed its calendar already: stage 2 mostly confirms it (in
# 0.1-0.3 s on a center). At 0.85 the rest went to a second round that never proved anything in its
# ~4 s; at 0.95 stage 1's bound search has those seconds (generated centers, share 0.1, 30 s: 19 of
# 20 proven, 16 at 0.85; benchmarks/studies/2026-12-05-performance-round-2)
TEACHING_CALENDAR_SHARE = 0.95
GREEDY_TRIES = 20  # greedy constructions with other seeds while none places every class


def _greedy(inst: Instance, session: _Session) -> GreedyPlan:
    """The greedy plan of the run's seed; while it leaves classes out, others (a few seconds at most)."""
    budget = min(2.0, 0.05 * session.params.time_limit)
    began = time.monotonic()
    plan = greedy_plan(inst, session.params.seed)
    for k in range(1, GREEDY_TRIES):
        if plan.complete or time.monotonic() - began > budget or session.interrupted:
            break
        other = greedy_plan(inst, session.params.seed + k)
        if len(other.unplaced) < len(plan.unplaced):
            plan = other
    return plan


def _search(inst: Instance, session: _Session, result: Result, start: _Start | None = None) -> None:
    """Greedy calendar first, quick rounds until a first timetable, then one optimising round.

    From a hint (`start`): a valid hint is the first timetable, and the greedy calendar's replaces it
    only if better (a relaxed variant's greedy plan can beat its base's timetable at a short limit);
    what fits of an invalid hint guides the first round in place of the greedy calendar.
    """
    search = _Search(inst.scenario.weights.model_dump(), teaching=needs_teaching_layer(inst))
    greedy: _Assignment | None = None
    repair: _Assignment | None = None  # the first round's hint, in place of the greedy calendar
    base = inst.baseline
    if start is not None and start.timetable is not None:
        _adopt_hint(inst, session, result, search, start)
    adopted = result.timetable
    if base is not None:  # a re-plan starts from the baseline, not from a greedy calendar
        learners = {c.index: base.learners.get(c.index, c.learners_min) for c in inst.classes}
        greedy = _Assignment(dict(base.start), dict(base.room), learners, dict(base.lecturer), _baseline_visits(inst))
        plan = None
    else:
        plan = _greedy(inst, session)
        repair = start.assignment if start is not None and start.timetable is None else None
    if plan is not None and plan.complete:
        greedy = _Assignment(plan.starts, plan.rooms, plan.learners, plan.teach, plan.visits)
        result.rounds += 1
        _staff_calendar(
            inst,
            session,
            result,
            search,
            greedy,
            calendar_goal_values(inst, greedy.starts, greedy.rooms, greedy.learners),
            greedy,
        )
    elif plan is not None:  # the classes it placed still hint the first calendar
        log.info("greedy construction left %d classes unplaced", len(plan.unplaced))
        greedy = _Assignment(plan.starts, plan.rooms, plan.learners)
    from_greedy = result.timetable if plan is not None and result.timetable is not adopted else None
    parts_tried = base is not None or start is not None  # a re-plan or a hinted solve starts where it is told
    while result.rounds < session.params.max_rounds and not session.interrupted and session.remaining() > 0.05:
        mode = "quick" if result.timetable is None else "optimise"
        if mode == "optimise" and not parts_tried:
            parts_tried = True
            _solve_parts(inst, session, result, search)
        hint = repair if repair is not None else search.best or greedy
        repair = None  # the hint guides one round; then the best timetable does
        if _round(inst, session, result, search, hint, mode) == "stop":
            break
    result.greedy_only = from_greedy is not None and result.timetable is from_greedy
    if result.bound is None and search.calendar_bound is not None and inst.scenario.priorities is None:
        _update_bound(result, search)  # the bounds hold for every calendar, even if no round used them
    if search.pools or search.nogoods:
        result.messages.append(
            i18n._(
                "{rounds} rounds: learned {pools} lecturer-capacity pools and excluded "
                "{nogoods} unstaffable start combinations"
            ).format(rounds=result.rounds, pools=len(search.pools), nogoods=len(search.nogoods))
        )


PARTS_MIN_BLOCKS = 150  # below this many blocks the whole model is solved as it is
PARTS_SHARE = 0.85  # of the time left after the first timetable, what the independent parts get
PARTS_MIN_SECONDS = 5.0  # each part's least budget; with less the whole is solved as it is


def _solve_parts(inst: Instance, session: _Session, result: Result, search: _Search) -> None:
    """A scenario that falls apart into independent parts (a province of centers in one file, see
    `scenario.parts`): each part solved on its own, one after the other (PARTS_SHARE of the time
    left, shared by their classes), and their timetables put together; the result, checked against
    the whole, replaces the best timetable if better. The search of the whole goes on from it.

    One model of the whole is much slower per part than the part alone: at ten per-center copies
    of the default the whole's search ended at 1892-1993 in 300 s, from the parts at 1018-1048
    (benchmarks/studies/2026-12-05-performance-round-2)."""
    if len(inst.blocks) < PARTS_MIN_BLOCKS:
        return
    parts = independent_parts(inst.scenario)
    budget = PARTS_SHARE * session.remaining()
    if not parts or budget / len(parts) < PARTS_MIN_SECONDS:
        return
    classes = sum(len(part.classes) for part in parts)
    timetables = []
    for k, part in enumerate(parts):
        if session.interrupted:
            return
        share = budget * len(part.classes) / classes
        # a part's bound is not the whole's (the peaks, e.g. month_spread, are the whole's): its
        # stage 1 spends no time on proving one
        part_params = dataclasses.replace(
            session.params, time_limit=min(share, session.remaining()), bound_search=False
        )
        solved = solve(part, part_params)
        if solved.interrupted:
            session.interrupt()
        if solved.timetable is None:
            log.info(
                "part %d of %d (%s): %s, no timetable; the whole is solved as it is",
                k + 1,
                len(parts),
                part.name,
                solved.status,
            )
            return
        log.info(
            "part %d of %d: %s %s in %.1fs", k + 1, len(parts), solved.status, solved.objective, solved.wall_time_s
        )
        timetables.append(solved.timetable)
    start = _from_hint(inst, merge_timetables(inst.scenario, timetables))
    if start.timetable is None or start.objective is None:
        log.warning("the parts' timetables put together break a rule of the whole: not used")
        return
    result.messages.append(
        i18n._("solved first as {n} independent parts (no room, lecturer or observer shared), then as a whole").format(
            n=len(parts)
        )
    )
    rank = _rank(inst, search.weights, start.breakdown)
    if search.best_rank is None or rank < search.best_rank:
        _take_checked(session, result, search, start, rank)


def _baseline_visits(inst: Instance) -> list[tuple[int, int, int, int]]:
    """The baseline's visits (made and planned) as a hint: segment, slot, observed, observer."""
    base = inst.baseline
    if base is None:
        return []
    out = []
    for s, k, observed, observer in base.visits + base.planned_visits:
        seg = inst.segments[s]
        if seg.block in base.start:
            out.append((s, inst.blocks[seg.block].slots(base.start[seg.block])[seg.first + k], observed, observer))
    return out


def _apply_hint(model: cp_model.CpModel, cv: CalendarVars, hint: _Assignment) -> None:
    for b, t in hint.starts.items():
        model.add_hint(cv.start[b], t)
    if cv.teaching is not None and hint.teach:
        for (s, lec), lit in cv.teaching.teach.items():
            if s in hint.teach:
                model.add_hint(lit, hint.teach[s] == lec)
    for (b, r), lit in cv.room.items():
        if b in hint.rooms:
            model.add_hint(lit, hint.rooms[b] == r)
    for c, n in hint.learners.items():
        model.add_hint(cv.learners[c], n)
    if hint.complete_hint:
        _complete_hint(model)


COMPLETE_SECONDS = 2.0  # stage 1 with every decision of a valid hint fixed: the rest follows at once


def _complete_hint(model: cp_model.CpModel) -> None:
    """Extend the hint on the decisions to every variable (the goals, the auxiliary variables).

    A hint on the decisions alone is not a solution to CP-SAT: hinted with a valid timetable on its
    decisions, the default scenario's stage 1 found a much worse first solution and stayed above the
    hint for seconds; hinted on every variable, its first solution is the hint.
    """
    fixed = model.clone()
    # not session.run: a short helper solve that completes the hint even after Ctrl-C, like _tightened's
    solver, status = helper_solve(fixed, COMPLETE_SECONDS, 1, fix_variables_to_their_hinted_value=True)
    log.info("hint completed: %s in %.2fs", solver.status_name(status), solver.wall_time)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        _hint_solution(model, solver)


def _round(
    inst: Instance, session: _Session, result: Result, search: _Search, hint: _Assignment | None, mode: str
) -> str:
    """One calendar + staffing attempt. Returns "stop" when the search is over, else "again"."""
    result.rounds += 1
    layer = add_teaching_layer if search.teaching else None
    # the layer says who teaches: the topic pools, its relaxation, are a third to a half of the model's
    # constraints and only slow it (benchmarks/studies/2026-12-06-topic-pools)
    model, cv = build_calendar_model(inst, search.nogoods, search.pools, layer, topic_capacity=layer is None)
    if hint is not None:
        _apply_hint(model, cv, hint)
    n_vars, n_cons = _model_size(model)
    result.model_size.update(calendar_variables=n_vars, calendar_constraints=n_cons)
    priorities = inst.scenario.priorities
    good_enough = None
    if mode == "optimise" and priorities is None:
        if search.staffing_bound is None or search.calendar_bound is None:  # both before stage 1 takes the time
            _first_bounds(inst, session, search)
        if search.calendar_bound:
            good_enough = search.calendar_bound * (1 + CALENDAR_GAP)  # then stage 2 needs the time more
    share = TEACHING_CALENDAR_SHARE if search.teaching else CALENDAR_SHARE
    budget = session.remaining() * (0.3 if mode == "quick" else share)
    # probing costs more than it saves on this model (benchmarks/studies/2026-11-27-core-scales)
    if mode == "optimise" and priorities is not None:
        solved, status, levels = session.run_lexicographic(
            model, cv.goals, search.weights, priorities, "calendar", budget, cp_model_probing_level=0
        )
        result.levels = levels
        if solved is None:
            result.messages.append(
                i18n._("round {n}: no calendar found in {seconds:.1f}s").format(n=result.rounds, seconds=budget)
            )
            return "stop"
        cal = solved
    elif mode == "optimise":
        before_bound_search = None
        if search.teaching:

            def before_bound_search(first: cp_model.CpSolver) -> bool:
                staffed = _staff_incumbent(inst, session, result, search, model, cv, first, hint)
                _link_specialists(inst, model, cv, first)
                return staffed

        cal, status, proven = _optimise_calendar(
            session, model, budget, good_enough, search.teaching, before_bound_search
        )
        log.info("stage 1 optimised: %s, bound %.0f, at %.1fs", cal.status_name(status), proven, session.elapsed())
    else:
        cal, status, _ = session.run(model, "calendar", budget, first_only=True, cp_model_probing_level=0)
    if status == cp_model.INFEASIBLE:
        if result.timetable is None:
            result.status = "INFEASIBLE"
            result.messages.append(
                i18n._("no calendar satisfies the rooms, windows, groups and delivery rules")
                + (i18n._(" together with the staffing limits learned") if search.nogoods or search.pools else "")
            )
        return "stop"
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        result.messages.append(
            i18n._("round {n}: no calendar found in {seconds:.1f}s").format(n=result.rounds, seconds=budget)
        )
        return "stop" if mode == "optimise" else "again"
    calendar, hint = _calendar_of(inst, cv, cal, hint)
    if mode == "optimise" and priorities is None:
        # this round's bound holds for the whole problem: its cuts only remove unstaffable calendars
        search.calendar_bound = max(search.calendar_bound or 0, math.ceil(proven - 1e-6))
    staffed = _staff_calendar(
        inst, session, result, search, calendar, _values(cal, cv.goals), hint, final=mode == "optimise"
    )
    if mode != "optimise":
        return "again"
    if priorities is not None:
        return "stop" if staffed is not None else "again"  # under priorities each level reports its own bound
    _update_bound(result, search)
    if result.status == "OPTIMAL" or session.remaining() < 0.1 * session.params.time_limit:
        return "stop"
    return "again"  # time is left: search on from the best timetable


def _calendar_of(
    inst: Instance, cv: CalendarVars, cal: cp_model.CpSolver, hint: _Assignment | None
) -> tuple[_Assignment, _Assignment | None]:
    """Stage 1's solution as a calendar, and the hint of its staffing: with the teaching layer, stage
    1's lecturers with the visits of the previous hint."""
    calendar = _Assignment(
        starts={b: cal.value(x) for b, x in enumerate(cv.start)},
        rooms={b: r for (b, r), lit in cv.room.items() if cal.boolean_value(lit)},
        learners={c.index: cal.value(cv.learners[c.index]) for c in inst.classes},
    )
    if cv.teaching is None:
        return calendar, hint
    calendar.teach = {s: lec for (s, lec), lit in cv.teaching.teach.items() if cal.boolean_value(lit)}
    visits = hint.visits if hint else []
    return calendar, _Assignment(calendar.starts, calendar.rooms, calendar.learners, calendar.teach, visits)


def _staff_incumbent(
    inst: Instance,
    session: _Session,
    result: Result,
    search: _Search,
    model: cp_model.CpModel,
    cv: CalendarVars,
    first: cp_model.CpSolver,
    hint: _Assignment | None,
) -> bool:
    """Stage 2 on the default portfolio's incumbent before stage 1's bound search takes over.

    Stage 1's visits are a relaxation (an observer may be busy teaching in the only sessions a
    lecturer can be visited), so its last calendar can be unstaffable, and with the teaching layer
    no time is left for another round (center_share0.5_seed9 at 30 s ended on the greedy timetable,
    86, where stage 1 had found 44). Staffed now (a first staffing, a fraction of a second), the
    incumbent is kept whatever the bound search ends with; found unstaffable, its excluded starts
    are added to the model the bound search solves. Returns whether it was staffed.
    """
    calendar, staffing_hint = _calendar_of(inst, cv, first, hint)
    excluded = len(search.nogoods)
    staffed = _staff_calendar(inst, session, result, search, calendar, _values(first, cv.goals), staffing_hint)
    if staffed is None:
        add_exclusions(model, cv, search.nogoods[excluded:])
    return staffed is not None


def _hint_solution(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    """Replace the model's hints with the solver's whole solution."""
    model.clear_hints()
    model.proto.solution_hint.vars.extend(range(len(model.proto.variables)))
    model.proto.solution_hint.values.extend(solver.response_proto.solution)


LP_SHARE = 0.6  # of an optimising stage 1 with the teaching layer: the default portfolio, then the bound search
# ... or sooner, once its incumbent has not improved for this share of the budget (generated centers,
# share 0.1, 30 s: 14 of 20 proven, 8 without; benchmarks/studies/2026-12-05-performance-round-2)
STALL_SHARE = 0.15


def _optimise_calendar(
    session: _Session,
    model: cp_model.CpModel,
    budget: float,
    good_enough: float | None,
    teaching: bool,
    before_bound_search: Callable[[cp_model.CpSolver], bool] | None = None,
) -> tuple[cp_model.CpSolver, Any, float]:
    """Stage 1's optimising solve: the solver, its status and the best proven bound.

    With the teaching layer, the default portfolio (LP search and neighbourhoods) first, for
    LP_SHARE of the budget (longer while it has no solution: the bound searches are poor at finding
    one) or until its incumbent is STALL_SHARE of the budget old; if it has not proven it by then,
    searches made for the lower bound from that incumbent for the rest (see `_bound_search`). The LP
    search alone leaves gaps of 4-14 % on planted centers with half the teaching on part-time
    lecturers, where the bound searches prove the optimum (benchmarks/studies/2026-12-04-staffing).
    `before_bound_search(first)` adds to the model what only the bound searches use
    (`_link_specialists`), the first solve's solution hinted, and says whether that solution is
    usable (`_staff_incumbent`): if not, the bound search's solution is taken even if worse, and
    without one no calendar is returned (UNKNOWN, or the bound search's INFEASIBLE). Without
    `SolveParams.bound_search` the default portfolio has the whole budget.
    """
    started = session.elapsed()
    proving = teaching and session.params.bound_search
    first, status, _ = session.run(
        model,
        "calendar",
        budget,
        good_enough=good_enough,
        hand_over=budget * LP_SHARE if proving else None,
        hand_over_stall=budget * STALL_SHARE if proving else None,
        cp_model_probing_level=0,
        **_default_portfolio(session.params.workers, teaching),
    )
    bound = first.best_objective_bound
    reached = good_enough is not None and status == cp_model.FEASIBLE and first.objective_value <= good_enough
    if not proving or status != cp_model.FEASIBLE or reached or session.interrupted:
        return first, status, bound
    _hint_solution(model, first)  # the incumbent, whole, as the bound search's starting point
    usable = before_bound_search(first) if before_bound_search is not None else True
    rest = budget - (session.elapsed() - started)
    if rest < 0.1:  # an unstaffable incumbent is no calendar: staffing it again would only fail
        return first, status if usable else cp_model.UNKNOWN, bound
    second, again, _ = session.run(
        model,
        "calendar",
        rest,
        good_enough=good_enough,
        cp_model_probing_level=0,
        **_bound_search(session.params.workers),
    )
    if math.isfinite(second.best_objective_bound):
        bound = max(bound, second.best_objective_bound)
    if not usable:  # the bound search's calendar, or none (its model excludes the incumbent)
        return second, again, bound
    if again in (cp_model.OPTIMAL, cp_model.FEASIBLE) and second.objective_value <= first.objective_value:
        return second, again, bound
    return first, status, bound


def _link_specialists(inst: Instance, model: cp_model.CpModel, cv: CalendarVars, first: cp_model.CpSolver) -> None:
    """Stage 1's bound search learns where the preferred lecturers are free (`add_specialist_starts`):
    its LP then counts the specialist floor of the starts it takes, block by block. The start
    literals it creates are hinted with the first solve's starts.

    On generated centers (share 0.1, 30 s) stage 1's proven bound rose by 4-15 on 7 of 8 unproven
    seeds; stage 1 alone proved center_share10_seed2's 58 in 4.2 deterministic seconds instead of
    17.9 (benchmarks/studies/2026-12-05-issue-29-bounds).
    """
    for b in add_specialist_starts(model, inst, cv):
        start = first.value(cv.start[b])
        for t, lit in cv.at[b].items():
            model.add_hint(lit, t == start)


INTERLEAVED_FULL_SUBSOLVERS = ("default_lp", "quick_restart")  # stage 1's first phase on one worker


def _cp_sat_workers(workers: int) -> int:
    """The number of CP-SAT workers a solve runs: `SolveParams.workers`, 0 meaning every core."""
    return workers or os.cpu_count() or 1


def _default_portfolio(workers: int, teaching: bool) -> dict[str, Any]:
    """CP-SAT parameters for stage 1's first phase, CP-SAT's default portfolio. On one worker CP-SAT
    runs one search and no neighbourhood: with the teaching layer (a center-sized plan),
    `interleave_search` runs the portfolio's subsolvers in turn on that worker (the default plan at
    30 s, 1 worker, solver seeds 0-5: 112-138 against 114-206; generated centers at shares 0.1, 0.3
    and 0.5, seeds 0-5: 6 of 18 proven against 5, a better timetable on 12, a worse one on 1;
    benchmarks/studies/2026-12-06-province-parts). Each full subsolver keeps its own copy of the
    model: two of them (the LP search and quick restarts) beside the neighbourhoods halve the peak
    memory of all ten (about 350 MB against 800 on the default plan) with timetables as good (the
    default plan's median 121 against 126; the 18 centers: 8 proven against 7, better on 5, worse
    on 3; benchmarks/studies/2026-12-06-interleave-memory). A larger scenario is left as it was."""
    workers = _cp_sat_workers(workers)
    if workers == 1 and teaching:
        return {"interleave_search": True, "subsolvers": list(INTERLEAVED_FULL_SUBSOLVERS)}
    return {}


def _bound_search(workers: int) -> dict[str, Any]:
    """CP-SAT parameters for stage 1's second phase: every worker on a search made for the lower
    bound, in place of the default LP search.

    With the teaching layer stage 1's objective is a sum of many small penalties (sessions without
    their specialist, months, borrowed rooms, the visits' peak) that trade against each other; its
    LP bound stays far below the optimum. On 2 workers, `lb_tree_search` and `objective_lb_search`
    together (`num_full_subsolvers` 2) prove optima the LP search and the core search leave at a
    4-14 % gap; each alone does not (the tree search fails where the other closes and the other
    way round). One worker: the core search (`optimize_with_core`); 3 or more: the core search too.

    With 2 workers or more, presolve keeps the model's symmetries (`keep_symmetry_in_presolve`; a
    generated center's model has orbits of 5, by CP-SAT's log) and the LP folds each orbit into one
    variable (`use_symmetry_in_lp`, which needs `linearization_level` 2): generated centers at 30 s,
    shares 0.1-0.5, seeds 0-19: 93 of 100 proven against 89 without presolve (the solver before,
    benchmarks/studies/2026-12-06-bound-search-symmetry); without presolve the searches had closed
    far sooner than with presolve as it was, symmetries not kept
    (benchmarks/studies/2026-12-06-bound-search-presolve).
    """
    workers = _cp_sat_workers(workers)
    if workers == 1:
        return {"optimize_with_core": True}
    searches = ["lb_tree_search", "objective_lb_search"] + (["core"] if workers >= 3 else [])
    return {
        "extra_subsolvers": searches,
        "ignore_subsolvers": ["default_lp"],
        "num_full_subsolvers": len(searches),
        "keep_symmetry_in_presolve": True,
        "use_symmetry_in_lp": True,
        "linearization_level": 2,
    }


def _core_search(workers: int) -> dict[str, Any]:
    """CP-SAT parameters that put a core-based worker in the portfolio (with 2 workers, in place of
    the default LP search): a center's final staffing, where the visits' spread trades against the
    specialists."""
    workers = _cp_sat_workers(workers)
    if workers == 1:
        return {"optimize_with_core": True}
    if workers == 2:
        return {"extra_subsolvers": ["core"], "ignore_subsolvers": ["default_lp"]}
    return {"extra_subsolvers": ["core"]}


def _first_bounds(inst: Instance, session: _Session, search: _Search) -> None:
    """The bounds of both stages that hold for every calendar. With the teaching layer stage 1 also
    counts the staffing goals (the visits' spread by a relaxation that stage 2 can only raise): its
    bound takes the whole staffing relaxation's, and stage 2 adds nothing to it."""
    calendar = _calendar_lower_bound(inst, session)
    if search.teaching:
        search.calendar_bound = calendar + _staffing_lower_bound(inst, session)
        search.staffing_bound = 0
    else:
        search.calendar_bound = calendar
        search.staffing_bound = _staffing_lower_bound(inst, session)


def _update_bound(result: Result, search: _Search) -> None:
    """The bound of the whole objective: stage 1's best bound + the calendar-independent stage-2
    bound (both computed before the optimising round's stage 1); OPTIMAL when the best timetable
    reaches it."""
    bound = (search.calendar_bound or 0) + (search.staffing_bound or 0)
    if result.objective is not None:
        result.bound = min(result.objective, bound)
        if result.objective <= bound:  # the bound is a proof, whichever stage found the timetable
            result.status = "OPTIMAL"


def _hint_staffing(model: cp_model.CpModel, sv: Any, hint: _Assignment) -> None:
    """Hint lecturers and, where they fit this model, the visits of a previous assignment."""
    for (seg, lec), lit in sv.teach.items():
        if seg in hint.teach:
            model.add_hint(lit, hint.teach[seg] == lec)
    attended = {(s, slot, obs) for s, slot, _, obs in hint.visits}
    counted: dict[tuple[int, int], int] = {}
    for s, _slot, lec, _ in hint.visits:
        counted[s, lec] = counted.get((s, lec), 0) + 1
    for (s, k, obs), lit in sv.attend.items():
        model.add_hint(lit, (s, sv.slots[s][k], obs) in attended)
    for (s, lec), n in sv.visits.items():
        model.add_hint(n, counted.get((s, lec), 0))


def _rank(inst: Instance, weights: dict[str, int], breakdown: dict[str, int]) -> tuple[int, ...]:
    """What "better" means for two timetables: the objective, or with priorities the weighted sum
    of each level in order (goals not listed last), then the objective."""
    objective = sum(weights[g] * value for g, value in breakdown.items())
    priorities = inst.scenario.priorities
    if priorities is None:
        return (objective,)
    listed = {g for level in priorities.levels for g in level}
    levels = [*priorities.levels, [g for g in breakdown if g not in listed]]
    return (*(sum(weights[g] * breakdown.get(g, 0) for g in level) for level in levels), objective)


TIGHTEN_SECONDS = 2.0  # a staffing with its decisions fixed: presolve alone usually settles it


def _tightened(model: cp_model.CpModel, sv: Any, staff: cp_model.CpSolver, session: _Session) -> cp_model.CpSolver:
    """The same staffing with its goal variables pushed down to what its decisions cost.

    A search stopped early (first solution, time limit) can leave a goal variable above its
    decisions' true penalty (a first staffing of the default scenario: lecturer_balance 57 for a
    true 4). With every decision fixed the rest is a tiny problem; the objective is then the
    staffing's own, as the checker counts it.
    """
    fixed = model.clone()
    for var in [*sv.teach.values(), *sv.attend.values()]:
        fixed.add(fixed.get_int_var_from_proto_index(var.index) == staff.value(var))
    # not session.run: after Ctrl-C it would stop at once, and the timetable kept needs its exact goals
    solver, status = helper_solve(fixed, TIGHTEN_SECONDS, session.params.workers)
    return solver if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else staff


def _staff_calendar(
    inst: Instance,
    session: _Session,
    result: Result,
    search: _Search,
    calendar: _Assignment,
    calendar_goals: dict[str, int],
    hint: _Assignment | None,
    final: bool = False,
) -> Any:
    """Stage 2 on a fixed calendar; keeps the timetable when it is the best so far.

    Returns the CP-SAT status of the staffing solve when staffed, else None (after learning why).
    """
    starts = [calendar.starts[b] for b in range(len(inst.blocks))]
    extra = []  # the hint's visits, where they still fit this calendar
    if hint is not None:
        now = segment_slots(inst, starts)
        extra = [(seg, now[seg].index(slot), obs) for seg, slot, _, obs in hint.visits if slot in now[seg]]
    # the small model first, the full one only if it fails; but the small one's visits (first free
    # slot, a few observers) can cost a month's peak, so a center's final staffing takes the full one
    for first_free_slot_only in (False,) if final and search.teaching else (True, False):
        model, sv = build_staffing_model(inst, starts, first_free_slot_only=first_free_slot_only, extra_visits=extra)
        if hint is not None:
            _hint_staffing(model, sv, hint)
        s_vars, s_cons = _model_size(model)
        result.model_size.update(staffing_variables=s_vars, staffing_constraints=s_cons)
        budget = max(1.0, session.remaining() if final else min(session.remaining(), 10.0))
        priorities = inst.scenario.priorities
        if final and priorities is not None:
            solved, status, levels = session.run_lexicographic(
                model, sv.goals, search.weights, priorities, "staffing", budget
            )
            result.levels = result.levels + levels
            if solved is None:
                return None
            staff = solved
        else:
            # a first answer from a hint: presolve on a province-sized model costs more than the search
            quick_hint = {"cp_model_presolve": False} if hint is not None and not final else {}
            if final and search.teaching:  # the visits' spread against the specialists: see _core_search
                quick_hint = _core_search(session.params.workers)
            # no staffing of any calendar goes below the calendar-independent bound: stop there
            # (proving it for one calendar took most of the budget: studies/2026-11-28-core-stop-at-bound)
            good_enough = search.staffing_bound
            if final and search.teaching:
                # stage 1 staffed this calendar already (the layer): its staffing goals are the target
                promised = sum(search.weights[g] * calendar_goals.get(g, 0) for g in STAFFING_GOALS)
                good_enough = max(good_enough or 0, promised)
            staff, status, _ = session.run(
                model, "staffing", budget, first_only=not final, good_enough=good_enough, **quick_hint
            )
        if status != cp_model.INFEASIBLE:
            break
    if status == cp_model.INFEASIBLE:
        blocks, topics = _staffing_core(inst, starts, session)
        if len(topics) > 1 and topics not in search.pools:
            search.pools.append(topics)
            what = f"learned the lecturer capacity of topics {', '.join(sorted(topics))}"
        else:
            search.nogoods.append(blocks)
            what = f"excluded {len(blocks)} block starts"
        log.info("round %d: calendar could not be staffed; %s", result.rounds, what)
        return None
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        result.messages.append(i18n._("round {n}: staffing found no answer in time").format(n=result.rounds))
        return None
    if status == cp_model.FEASIBLE:
        staff = _tightened(model, sv, staff, session)
    breakdown = {**calendar_goals, **_values(staff, sv.goals)}
    objective = sum(search.weights[g] * value for g, value in breakdown.items())
    result.status = "FEASIBLE"
    rank = _rank(inst, search.weights, breakdown)
    if search.best_rank is None or rank < search.best_rank:
        search.best_rank = rank
        solution = _Assignment(
            calendar.starts,
            calendar.rooms,
            calendar.learners,
            teach={s: lec for (s, lec), lit in sv.teach.items() if staff.boolean_value(lit)},
        )
        solution.visits = [
            (s, sv.slots[s][k], solution.teach[s], obs)
            for (s, k, obs), lit in sv.attend.items()
            if staff.boolean_value(lit)
        ]
        result.objective, result.breakdown, search.best = objective, breakdown, solution
        result.timetable = _timetable(inst, solution)
        if result.first_feasible_s is None:
            result.first_feasible_s = round(session.elapsed(), 3)
        if session.report:
            session.report(Progress("timetable", objective, result.bound, session.elapsed()))
    return status
