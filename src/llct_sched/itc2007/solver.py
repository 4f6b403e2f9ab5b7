"""A CP-SAT solver for ITC-2007 Track 3 (curriculum-based course timetabling) under the UD2 rules.

The rules are those of ``benchmarks/itc2007/instances/FORMAT.md``; the cost of the result is counted
independently by :func:`llct_sched.itc2007.ud2_cost`.

Three models share one set of data (:class:`_Data`):

* the **period model** decides when each course lectures, ``x[c, p]``. Rooms appear only through
  counts: in one period, sending the largest courses to the largest rooms minimises the capacity
  overflow (the cost ``max(0, students - capacity)`` is Monge), and that overflow is
  ``sum_t max(0, N_t - R_t)`` over student levels ``t`` where ``N_t`` counts the period's courses
  with at least ``t`` students and ``R_t`` the rooms with at least ``t`` seats. So RoomCapacity is
  exact there, except for the room stability it ignores; MinWorkingDays and IsolatedLectures are exact.
* the **room model** assigns rooms to fixed periods (RoomCapacity + RoomStability).
* the **full model** has both, with an exact objective, optionally with each course limited to a few
  candidate rooms.

The search (``_Session.mode``):

* ``"anneal"`` (default): the period model for 15 % of the time, the room model for its periods, then
  simulated annealing (:mod:`llct_sched.itc2007.anneal`, compiled with Numba: single lectures moved or
  swapped and, for 5 % of the moves, Kempe chains swapped between two periods, never breaking a hard
  rule; one independent walk per worker, in threads) for 95 % of the time left, then candidate-room
  steps (below) from its best timetable. The annealer is what brings
  RoomStability down where the decomposition leaves it high; CP-SAT's steps then polish.
* ``"candidates"`` (the default without numba, the optional extra ``itc``; the period model then
  gets half of the time): the same without annealing: after the room model, steps of the full model on
  **candidate rooms**: each course may use the rooms it uses now plus one to three random rooms that
  seat it, every period is free, and CP-SAT starts from the incumbent (a complete hint). The
  restricted model is small enough to solve well and still lets a course move all its lectures into
  one room, which is what RoomStability needs.
* ``"own"``: our earlier large neighbourhood search on the full model (a few days or a few related
  courses free, the rest fixed; now and then the rooms alone re-optimised).
* ``"cpsat"``: CP-SAT's own search on the hinted full model.

Every model's objective is the weighted UD2 cost of its part, so the full model's objective on a
solution equals ``ud2_cost(...).total``.
"""

from __future__ import annotations

import os
import random
import threading
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from ortools.sat.python import cp_model

from llct_sched.itc2007 import UD2_WEIGHTS, ItcInstance, Lecture, UD2Cost, ud2_cost
from llct_sched.solve.runner import STATUS_NAMES, Progress, Session, Watcher

try:
    from llct_sched.itc2007.anneal import AnnealState, anneal, build_state, warm_up

    ANNEALING = True
except ModuleNotFoundError as missing:  # numba: the optional extra `itc`
    if missing.name != "numba":
        raise
    ANNEALING = False

__all__ = ["ItcResult", "solve_itc"]

NO_ANNEALING = (
    "numba is not installed: the ITC-2007 engine runs without its simulated annealing (far weaker "
    "timetables); install it with: pip install 'llct-sched[itc]'"
)

W_CAP = UD2_WEIGHTS["room_capacity"]
W_MWD = UD2_WEIGHTS["min_working_days"]
W_ISO = UD2_WEIGHTS["isolated_lectures"]
W_STAB = UD2_WEIGHTS["room_stability"]


@dataclass
class ItcResult:
    """What :func:`solve_itc` produced. ``lectures`` is empty when no timetable was found.

    ``cost`` is the independent count of :func:`ud2_cost`; ``objective`` is the model's value (equal to
    ``cost.total`` for a feasible result); ``bound`` is the best proven lower bound, if any."""

    status: str
    lectures: list[Lecture]
    cost: UD2Cost | None
    objective: int | None
    bound: int | None
    wall_time_s: float
    first_feasible_s: float | None
    interrupted: bool = False
    phases: list[dict[str, Any]] = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        return self.cost is not None and self.cost.feasible


# --------------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------------


class _Data:
    """The instance as integer indices."""

    def __init__(self, inst: ItcInstance) -> None:
        self.inst = inst
        self.C = len(inst.courses)
        self.P = inst.n_periods
        self.T = inst.periods_per_day
        self.D = inst.days
        self.R = len(inst.rooms)
        self.lectures = [c.lectures for c in inst.courses]
        self.students = [c.students for c in inst.courses]
        self.mwd = [c.min_working_days for c in inst.courses]
        self.cap = [r.capacity for r in inst.rooms]
        index = {c.name: i for i, c in enumerate(inst.courses)}
        self.index = index
        self.avail = [
            [p for p in range(self.P) if (c.name, p // self.T, p % self.T) not in inst.unavailability]
            for c in inst.courses
        ]
        # Conflict cliques: curricula and teachers (a course pair conflicts iff it shares one).
        groups: set[frozenset[int]] = set()
        for g in inst.curricula:
            members = frozenset(index[n] for n in g.courses)
            if len(members) > 1:
                groups.add(members)
        by_teacher: dict[str, set[int]] = {}
        for i, c in enumerate(inst.courses):
            by_teacher.setdefault(c.teacher, set()).add(i)
        self.teachers = [sorted(members) for members in by_teacher.values()]
        for members_set in by_teacher.values():
            if len(members_set) > 1:
                groups.add(frozenset(members_set))
        # drop groups contained in another
        ordered = sorted(groups, key=len, reverse=True)
        kept: list[frozenset[int]] = []
        for grp in ordered:
            if not any(grp <= k for k in kept):
                kept.append(grp)
        self.cliques = [sorted(g) for g in kept]
        # Curricula for IsolatedLectures, identical ones merged with a multiplicity.
        mult: dict[tuple[int, ...], int] = {}
        for g in inst.curricula:
            key = tuple(sorted(index[n] for n in g.courses))
            if key:
                mult[key] = mult.get(key, 0) + 1
        self.curricula = list(mult.items())
        self.neighbours: list[set[int]] = [set() for _ in range(self.C)]
        for clique in self.cliques:
            for a in clique:
                self.neighbours[a].update(b for b in clique if b != a)
        self.pen = [[max(0, s - k) for k in self.cap] for s in self.students]
        # constant cost: courses without lectures still miss their working days
        self.constant = sum(W_MWD * m for m, n in zip(self.mwd, self.lectures, strict=True) if n == 0 and m > 0)

    def day_periods(self, day: int) -> range:
        return range(day * self.T, (day + 1) * self.T)

    def lectures_of(self, periods: dict[int, list[int]], rooms: dict[tuple[int, int], int]) -> list[Lecture]:
        out = []
        for c, ps in periods.items():
            name = self.inst.courses[c].name
            for p in ps:
                out.append(Lecture(name, self.inst.rooms[rooms[(c, p)]].name, p // self.T, p % self.T))
        return out


@dataclass
class _Solution:
    periods: dict[int, list[int]]  # course -> periods
    rooms: dict[tuple[int, int], int]  # (course, period) -> room
    objective: int


# --------------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------------


@dataclass
class _Vars:
    model: cp_model.CpModel
    x: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    z: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    w: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    terms: list[tuple[int, cp_model.LinearExprT]] = field(default_factory=list)
    # auxiliary variables with their value as a function of the chosen (course, period) pairs
    aux: list[tuple[cp_model.IntVar, Callable[[set[tuple[int, int]]], int]]] = field(default_factory=list)


def _time_part(d: _Data, v: _Vars) -> None:
    """x variables, hard rules on periods, MinWorkingDays and IsolatedLectures."""
    m = v.model
    for c in range(d.C):
        for p in d.avail[c]:
            v.x[c, p] = m.new_bool_var(f"x{c}_{p}")
        m.add(sum(v.x[c, p] for p in d.avail[c]) == d.lectures[c])
    for p in range(d.P):
        for grp in d.cliques:
            lits = [v.x[c, p] for c in grp if (c, p) in v.x]
            if len(lits) > 1:
                m.add_at_most_one(lits)
    # MinWorkingDays
    for c in range(d.C):
        if d.lectures[c] == 0 or d.mwd[c] <= 1:
            continue
        days = []
        for day in range(d.D):
            lits = [v.x[c, p] for p in d.day_periods(day) if (c, p) in v.x]
            if not lits:
                continue
            y = m.new_bool_var(f"d{c}_{day}")
            v.aux.append((y, partial(_day_used, d, c, day)))
            for lit in lits:
                m.add_implication(lit, y)
            m.add_bool_or([*lits, ~y])
            days.append(y)
        short = m.new_int_var(0, d.mwd[c], f"short{c}")
        v.aux.append((short, partial(_days_short, d, c)))
        m.add_max_equality(short, [0, d.mwd[c] - sum(days)])
        v.terms.append((W_MWD, short))
    # IsolatedLectures, per curriculum (members form a clique: at most one lecture per period)
    for gi, (members, mult) in enumerate(d.curricula):
        occ: list[Any] = []
        for p in range(d.P):
            lits = [v.x[c, p] for c in members if (c, p) in v.x]
            occ.append(sum(lits) if lits else 0)
        for p in range(d.P):
            a = occ[p]
            if isinstance(a, int):
                continue
            slot = p % d.T
            prev = occ[p - 1] if slot > 0 else 0
            nxt = occ[p + 1] if slot < d.T - 1 else 0
            iso = m.new_bool_var(f"iso{gi}_{p}")
            v.aux.append((iso, partial(_isolated, d, members, p)))
            m.add(iso <= a)
            m.add(iso + prev <= 1)
            m.add(iso + nxt <= 1)
            m.add(iso >= a - prev - nxt)
            v.terms.append((W_ISO * mult, iso))


def _day_used(d: _Data, c: int, day: int, chosen: set[tuple[int, int]]) -> int:
    return int(any((c, p) in chosen for p in d.day_periods(day)))


def _days_short(d: _Data, c: int, chosen: set[tuple[int, int]]) -> int:
    return max(0, d.mwd[c] - len({p // d.T for p in d.avail[c] if (c, p) in chosen}))


def _isolated(d: _Data, members: Sequence[int], p: int, chosen: set[tuple[int, int]]) -> int:
    def busy(q: int) -> bool:
        return any((c, q) in chosen for c in members)

    slot = p % d.T
    if not busy(p):
        return 0
    return int(not (slot > 0 and busy(p - 1)) and not (slot < d.T - 1 and busy(p + 1)))


def _capacity_levels(d: _Data) -> list[tuple[int, list[int], int]]:
    """(length, courses with >= level students, rooms with >= level seats) per constant stretch of levels."""
    points = sorted({0, *d.students, *d.cap})
    out = []
    for lo, hi in zip(points, points[1:], strict=False):
        courses = [c for c in range(d.C) if d.students[c] >= hi and d.lectures[c] > 0]
        rooms = sum(1 for k in d.cap if k >= hi)
        if len(courses) > rooms:
            out.append((hi - lo, courses, rooms))
    return out


def build_period_model(d: _Data) -> _Vars:
    v = _Vars(cp_model.CpModel())
    _time_part(d, v)
    m = v.model
    levels = _capacity_levels(d)
    for p in range(d.P):
        lits = [v.x[c, p] for c in range(d.C) if (c, p) in v.x]
        if len(lits) > d.R:
            m.add(sum(lits) <= d.R)
        for length, courses, rooms in levels:
            cl = [v.x[c, p] for c in courses if (c, p) in v.x]
            if len(cl) <= rooms:
                continue
            if rooms == 0:
                v.terms.append((W_CAP * length, sum(cl)))
                continue
            over = m.new_int_var(0, len(cl) - rooms, f"over{p}_{length}_{rooms}")
            m.add(over >= sum(cl) - rooms)
            v.terms.append((W_CAP * length, over))
    m.minimize(sum(wt * e for wt, e in v.terms) + d.constant)
    return v


def _room_part(
    d: _Data, v: _Vars, pairs: Sequence[tuple[int, int]], fixed: bool, candidates: dict[int, list[int]] | None = None
) -> None:
    """z[c, p, r] for the (course, period) pairs and the course's candidate rooms (all by default); w[c, r];
    RoomCapacity and RoomStability."""
    m = v.model
    every = list(range(d.R))

    def rooms_of(c: int) -> list[int]:
        return every if candidates is None else candidates[c]

    by_period: dict[int, list[tuple[int, int]]] = {}
    for c, p in pairs:
        by_period.setdefault(p, []).append((c, p))
    for c, p in pairs:
        zs = []
        for r in rooms_of(c):
            z = m.new_bool_var(f"z{c}_{p}_{r}")
            v.z[c, p, r] = z
            zs.append(z)
            if d.pen[c][r]:
                v.terms.append((W_CAP * d.pen[c][r], z))
        if fixed:
            m.add_exactly_one(zs)
        else:
            m.add(sum(zs) == v.x[c, p])
    for _p, items in by_period.items():
        for r in range(d.R):
            lits = [v.z[c, p, r] for c, p in items if (c, p, r) in v.z]
            if len(lits) > 1:
                m.add_at_most_one(lits)
    courses = sorted({c for c, _ in pairs})
    mine: dict[int, list[int]] = {}
    for c, p in pairs:
        mine.setdefault(c, []).append(p)
    for c in courses:
        ws = []
        for r in rooms_of(c):
            w = m.new_bool_var(f"w{c}_{r}")
            v.w[c, r] = w
            lits = [v.z[c, p, r] for p in mine[c]]
            for lit in lits:
                m.add_implication(lit, w)
            m.add_bool_or([*lits, ~w])
            ws.append(w)
        m.add(sum(ws) >= 1)
        v.terms.append((W_STAB, sum(ws) - 1))


def build_room_model(d: _Data, periods: dict[int, list[int]]) -> _Vars:
    v = _Vars(cp_model.CpModel())
    pairs = [(c, p) for c, ps in periods.items() for p in ps]
    _room_part(d, v, pairs, fixed=True)
    v.model.minimize(sum(wt * e for wt, e in v.terms))
    return v


def build_full_model(d: _Data, candidates: dict[int, list[int]] | None = None) -> _Vars:
    """Periods and rooms with the exact UD2 objective; with ``candidates``, each course may use only its
    candidate rooms (a smaller model whose solutions are still timetables)."""
    v = _Vars(cp_model.CpModel())
    _time_part(d, v)
    _room_part(d, v, sorted(v.x), fixed=False, candidates=candidates)
    v.model.minimize(sum(wt * e for wt, e in v.terms) + d.constant)
    return v


# --------------------------------------------------------------------------------------------------
# Search
# --------------------------------------------------------------------------------------------------


class _Session(Session):
    """One call of `solve_itc`: the runner's session (clock, CP-SAT settings, Ctrl-C flag) with the
    search's settings and what it measured (`first_feasible`, `phases`)."""

    def __init__(self, time_limit: float, workers: int, seed: int, report: Callable[[Progress], None] | None):
        super().__init__(time_limit, workers, seed, report)
        self.first_feasible: float | None = None
        self.phases: list[dict[str, Any]] = []
        self.period_share = 0.15
        self.mode = "anneal"
        if not ANNEALING:  # the split the candidate steps were measured with, before the annealing
            self.mode, self.period_share = "candidates", 0.5
        # simulated annealing (mode "anneal"): its share of the time after the rooms, its temperatures and
        # the share of its moves that are Kempe chains
        self.anneal_share = 0.95
        self.anneal_temperatures = (1.5, 0.05)
        self.anneal_kempe = 0.05
        self.compiling: threading.Thread | None = None  # the annealer's kernels, compiled while CP-SAT works
        self.chains = max(1, workers or os.cpu_count() or 1)  # annealing walks run side by side
        # one step of the candidate-room search: long enough for CP-SAT to move many courses at once
        self.step_seconds = min(20.0, max(15.0, time_limit / 15))
        self.options: dict[str, Any] = {}

    def run(
        self, model: cp_model.CpModel, stage: str, time_limit: float, **options: Any
    ) -> tuple[cp_model.CpSolver, Any, Watcher]:
        """`Session.run` within the time left; each run recorded in `phases`."""
        started = self.elapsed()
        solver, status, watcher = super().run(model, stage, min(time_limit, self.remaining()), **options)
        self.phases.append(
            {
                "stage": stage,
                "status": STATUS_NAMES.get(status, str(status)),
                "objective": solver.objective_value if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None,
                "bound": solver.best_objective_bound,
                "seconds": round(self.elapsed() - started, 3),
            }
        )
        return solver, status, watcher


def _complete_values(d: _Data, v: _Vars, periods: dict[int, list[int]], rooms: dict[tuple[int, int], int]) -> list[int]:
    """Every variable's value in the full model for a timetable (a complete hint)."""
    values = [0] * len(v.model.proto.variables)
    chosen = {(c, p) for c, ps in periods.items() for p in ps}
    for key, x in v.x.items():
        values[x.index] = int(key in chosen)
    for (c, p), r in rooms.items():
        values[v.z[c, p, r].index] = 1
        values[v.w[c, r].index] = 1
    for var, fn in v.aux:
        values[var.index] = fn(chosen)
    return values


def greedy_rooms(d: _Data, periods: dict[int, list[int]]) -> dict[tuple[int, int], int]:
    """Rooms for fixed periods: each course, largest first, takes the best-fitting room free in as many of
    its periods as possible; each period's leftover lectures then go to its free rooms, largest to largest
    (which keeps that period's capacity overflow minimal)."""
    taken: set[tuple[int, int]] = set()  # (period, room)
    rooms: dict[tuple[int, int], int] = {}
    order = sorted(range(d.C), key=lambda c: (-d.students[c], -len(periods.get(c, []))))
    for c in order:
        ps = periods.get(c, [])
        if not ps:
            continue

        def score(r: int, c: int = c, ps: list[int] = ps) -> tuple[int, int, int]:
            clashes = sum(1 for p in ps if (p, r) in taken)
            return (clashes, d.pen[c][r], d.cap[r])

        best = min(range(d.R), key=score)
        if score(best)[0] == 0 and d.pen[c][best] == 0:
            for p in ps:
                rooms[c, p] = best
                taken.add((p, best))
    for p in range(d.P):
        todo = sorted((c for c, ps in periods.items() if p in ps and (c, p) not in rooms), key=lambda c: -d.students[c])
        free = sorted((r for r in range(d.R) if (p, r) not in taken), key=lambda r: -d.cap[r])
        for c, r in zip(todo, free, strict=False):
            rooms[c, p] = r
            taken.add((p, r))
    return rooms


def _hint_all(proto: Any, values: list[int]) -> None:
    """Hint every variable of a model proto (``values`` in variable order), replacing any hint."""
    hint = proto.solution_hint
    hint.vars.clear()
    hint.vars.extend(range(len(values)))
    hint.values.clear()
    hint.values.extend(values)


def objective_of(proto: Any, values: list[int]) -> int:
    """The objective of a model proto at ``values`` (in variable order). Use this, not the solver's
    ``objective_value``: CP-SAT 9.15 can report a few points more than its returned solution is worth
    (seen on the candidate-room model of comp07: 498 for a solution worth 493)."""
    obj = proto.objective
    total = obj.offset + sum(k * values[i] for i, k in zip(obj.vars, obj.coeffs, strict=True))
    return int(round(total * (obj.scaling_factor or 1)))


def _ok(status: int) -> bool:
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _read_periods(d: _Data, v: _Vars, solver: cp_model.CpSolver) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {c: [] for c in range(d.C)}
    for (c, p), x in v.x.items():
        if solver.boolean_value(x):
            out[c].append(p)
    return out


def _read_rooms(v: _Vars, solver: cp_model.CpSolver) -> dict[tuple[int, int], int]:
    out: dict[tuple[int, int], int] = {}
    for (c, p, r), z in v.z.items():
        if solver.boolean_value(z):
            out[c, p] = r
    return out


def solve_itc(
    instance: ItcInstance,
    time_limit: float = 60,
    workers: int = 0,
    seed: int = 0,
    progress: Callable[[Progress], None] | None = None,
) -> ItcResult:
    """Solve a UD2 instance within ``time_limit`` seconds. Never raises for infeasibility: the
    status says what happened (OPTIMAL, FEASIBLE, INFEASIBLE or UNKNOWN). Without numba (the optional
    extra ``itc``) it warns and searches without annealing."""
    if not ANNEALING:
        warnings.warn(NO_ANNEALING, stacklevel=2)
    session = _Session(time_limit, workers, seed, progress)
    d = _Data(instance)
    with session.catching_interrupt():
        status, best, bound = _search(d, session)
    lectures = d.lectures_of(best.periods, best.rooms) if best is not None else []
    cost = ud2_cost(instance, lectures) if best is not None else None
    return ItcResult(
        status=status,
        lectures=lectures,
        cost=cost,
        objective=best.objective if best is not None else None,
        bound=bound,
        wall_time_s=round(session.elapsed(), 3),
        first_feasible_s=None if session.first_feasible is None else round(session.first_feasible, 3),
        interrupted=session.interrupted,
        phases=session.phases,
    )


def _search(d: _Data, s: _Session) -> tuple[str, _Solution | None, int | None]:
    if s.mode == "anneal":
        s.compiling = threading.Thread(target=warm_up, name="anneal-warm-up", daemon=True)
        s.compiling.start()
    # 1. periods: the decomposed model finds a feasible timetable fast and gives a lower bound
    pv = build_period_model(d)
    solver, status, watcher = s.run(pv.model, "periods", s.time_limit * s.period_share)
    if status == cp_model.UNKNOWN and s.remaining() > 0.1 and not s.interrupted:
        # no timetable yet: keep searching with the rest of the time (rooms take a moment at the end)
        solver, status, watcher = s.run(pv.model, "periods", s.remaining() * 0.9, stop_after_first_solution=True)
    if status == cp_model.INFEASIBLE:
        return "INFEASIBLE", None, None
    if not _ok(status):
        return "UNKNOWN", None, None
    s.first_feasible = watcher.first_at
    bound = int(round(solver.best_objective_bound))
    periods = _read_periods(d, pv, solver)
    # 2. rooms: the full model with the periods fixed
    fv = build_full_model(d)
    lns = _Lns(d, fv, s)
    lns.rooms_for(periods, max(0.5, min(10.0, s.remaining() * 0.25)))
    # 3. large neighbourhood search on the full model
    if s.mode == "anneal":
        if (lns.objective or 0) > bound:
            lns.anneal_for(s.remaining() * s.anneal_share, *s.anneal_temperatures)
        lns.candidate_steps(bound)
    elif s.mode == "candidates":
        lns.candidate_steps(bound)
    elif s.mode == "own":
        lns.improve(bound)
    else:
        lns.cpsat(bound)
    best = lns.solution()
    return ("OPTIMAL" if best.objective <= bound else "FEASIBLE"), best, bound


def _anneal_chunk(rate: float, left: float, done: float, seconds: float) -> tuple[int, float]:
    """The moves of the next chunk of an annealing walk of ``seconds`` and the share of its cooling
    schedule done once the chunk has run. ``rate`` is the walk's moves per second (0 before the first
    chunk, which measures it), ``left`` the seconds left, ``done`` the share done so far."""
    if rate == 0:  # a short first chunk, counted as 0.05 s of the schedule
        return 200_000, min(1.0, done + 0.05 / seconds)
    chunk = min(left, 3.0)  # seconds: chunks of about 3 s
    moves = max(10_000, int(rate * chunk))
    if chunk >= left:  # the last chunk ends the schedule at its final temperature
        return moves, 1.0
    return moves, min(1.0, done + moves / rate / seconds)


class _Lns:
    """Improves an incumbent on the full model: candidate-room steps, or our earlier large neighbourhood
    search (free a part, fix the rest to the incumbent)."""

    def __init__(self, d: _Data, v: _Vars, s: _Session) -> None:
        self.d, self.v, self.s = d, v, s
        self.rng = random.Random(s.seed)
        self.values: list[int] = []
        self.objective: int | None = None
        self.proto = v.model.proto
        self.original = [list(var.domain) for var in self.proto.variables]
        self.x_index = {key: var.index for key, var in v.x.items()}
        self.z_index = {key: var.index for key, var in v.z.items()}
        self.size = 0.15  # share of courses / periods freed
        self.iterations = 0
        self.improvements = 0

    def _solve(self, fixed: dict[int, int], limit: float, stage: str, **overrides: Any) -> bool:
        """Solve with ``fixed`` variables pinned and the incumbent as hint; keep an improvement."""
        variables = self.proto.variables
        for i, val in fixed.items():
            dom = variables[i].domain
            dom.clear()
            dom.extend([val, val])
        if self.values:
            _hint_all(self.proto, self.values)
        try:
            solver, status, watcher = self.s.run(self.v.model, stage, limit, quiet=stage != "full", **overrides)
        finally:
            for i in fixed:
                dom = variables[i].domain
                dom.clear()
                dom.extend(self.original[i])
        self.last_status = status
        if not _ok(status):
            return False
        return self._keep(list(solver.response_proto.solution), stage)

    def _keep(self, values: list[int], stage: str) -> bool:
        """Take ``values`` (full-model variables) as the incumbent unless they are worse, counted from the
        values themselves (see objective_of); True when they are better."""
        obj = objective_of(self.proto, values)
        if self.objective is not None and obj > self.objective:
            return False
        improved = self.objective is None or obj < self.objective
        self.values, self.objective = values, obj
        if improved and self.s.report is not None:
            self.s.report(Progress(stage, obj, None, self.s.elapsed()))
        return improved

    def rooms_for(self, periods: dict[int, list[int]], limit: float) -> bool:
        """Rooms for fixed periods: greedy, then CP-SAT on the room model hinted with the greedy or the
        incumbent's rooms. Keeps the result when it is no worse than the incumbent."""
        d = self.d
        rooms = self.solution().rooms if self.values else greedy_rooms(d, periods)
        rv = build_room_model(d, periods)
        for (c, p, r), z in rv.z.items():
            rv.model.add_hint(z, rooms[c, p] == r)
        for (c, r), w in rv.w.items():
            rv.model.add_hint(w, any(rooms[c, p] == r for p in periods[c]))
        solver, status, _ = self.s.run(rv.model, "rooms", limit, quiet=True)
        if _ok(status):
            rooms = _read_rooms(rv, solver)
        values = _complete_values(d, self.v, periods, rooms)
        return self._keep(values, "rooms")

    def candidate_step(self, limit: float, extra: int = 1) -> bool:
        """The full model on candidate rooms: each course keeps the rooms it uses and gets ``extra`` random
        rooms that seat it; solved from the incumbent (a complete hint), any period may change."""
        d, s = self.d, self.s
        incumbent = self.solution()
        candidates: dict[int, list[int]] = {}
        for c in range(d.C):
            used = {incumbent.rooms[c, p] for p in incumbent.periods[c]}
            others = [r for r in range(d.R) if r not in used]
            seat = [r for r in others if d.pen[c][r] == 0] or others
            candidates[c] = sorted(used | set(self.rng.sample(seat, min(extra, len(seat)))))
        cv = build_full_model(d, candidates)
        _hint_all(cv.model.proto, _complete_values(d, cv, incumbent.periods, incumbent.rooms))
        solver, status, _ = s.run(cv.model, "candidates", limit)
        if not _ok(status):
            return False
        periods = _read_periods(d, cv, solver)
        rooms = _read_rooms(cv, solver)
        return self._keep(_complete_values(d, self.v, periods, rooms), "candidates")

    def anneal_state(self) -> AnnealState:
        """The incumbent as the arrays of :mod:`llct_sched.itc2007.anneal`."""
        d = self.d
        sol = self.solution()
        placed = [(c, p, sol.rooms[c, p]) for c, ps in sol.periods.items() for p in ps]
        return build_state(d.C, d.T, d.D, d.R, d.curricula, d.teachers, d.avail, d.pen, d.mwd, placed)

    def anneal_for(self, seconds: float, t_start: float, t_end: float) -> bool:
        """Simulated annealing from the incumbent for about ``seconds``: one independent walk per worker
        (in threads; the kernels release the GIL), each at a temperature falling from ``t_start`` to
        ``t_end``, run in chunks of a few seconds so that the time limit and an interrupt are heard. The
        best timetable of each chunk is offered to the incumbent."""
        s = self.s
        started = s.elapsed()
        if not self._kernels_ready(started + max(0.0, min(seconds, s.remaining()) - 1.0)):
            return False
        walks = [self.anneal_state() for _ in range(s.chains)]
        rate = 0.0  # moves per second of one walk, measured on the first chunk
        done = 0.0  # share of the schedule run
        improved = False
        with ThreadPoolExecutor(len(walks), thread_name_prefix="anneal") as pool:
            while not s.interrupted and done < 1.0:
                left = min(seconds - (s.elapsed() - started), s.remaining() - 0.5)
                if left <= 0.05:
                    break
                moves, share = _anneal_chunk(rate, left, done, seconds)
                temperatures = (t_start * (t_end / t_start) ** done, t_start * (t_end / t_start) ** share)
                seeds = [self.rng.randrange(1 << 30) for _ in walks]
                clock = s.elapsed()
                futures = [
                    pool.submit(anneal, st, moves, *temperatures, seed=seed, kempe=s.anneal_kempe)
                    for st, seed in zip(walks, seeds, strict=True)
                ]
                runs = [future.result() for future in futures]
                rate = moves / max(1e-3, s.elapsed() - clock)
                done = share
                for st, run in zip(walks, runs, strict=True):
                    st.period, st.room = run.last_period, run.last_room
                best = min(runs, key=lambda run: run.best)
                improved |= self._keep(self._values_of(walks[0], best.best_period, best.best_room), "anneal")
        return improved

    def _kernels_ready(self, give_up: float) -> bool:
        """Wait (until ``give_up`` on the session clock) for the warm-up that compiles the kernels."""
        s = self.s
        if s.compiling is None:
            return True
        while s.compiling.is_alive() and not s.interrupted and s.elapsed() < give_up:
            s.compiling.join(0.1)
        return not s.compiling.is_alive()

    def _values_of(self, st: AnnealState, period: Any, room: Any) -> list[int]:
        """Full-model values of an annealer timetable (periods and rooms per lecture of ``st``)."""
        periods: dict[int, list[int]] = {c: [] for c in range(self.d.C)}
        rooms: dict[tuple[int, int], int] = {}
        for c, p, r in zip(st.course.tolist(), period.tolist(), room.tolist(), strict=True):
            periods[c].append(p)
            rooms[c, p] = r
        return _complete_values(self.d, self.v, periods, rooms)

    def candidate_steps(self, bound: int) -> None:
        """Candidate-room steps until the time is up or the bound is reached."""
        s = self.s
        stalls = 0
        while s.remaining() > 1.0 and not s.interrupted and (self.objective or 0) > bound:
            # a step that finds nothing better offers each course one more room next time (at most 3)
            improved = self.candidate_step(min(s.remaining(), s.step_seconds), extra=1 + stalls % 3)
            stalls = 0 if improved else stalls + 1

    def solution(self) -> _Solution:
        d = self.d
        periods: dict[int, list[int]] = {c: [] for c in range(d.C)}
        for (c, p), i in self.x_index.items():
            if self.values[i]:
                periods[c].append(p)
        rooms = {(c, p): r for (c, p, r), i in self.z_index.items() if self.values[i]}
        assert self.objective is not None
        return _Solution(periods, rooms, self.objective)

    def cpsat(self, bound: int) -> None:
        """CP-SAT's own search on the full model, from the incumbent."""
        if self.s.remaining() > 0.2 and not self.s.interrupted:
            self._solve({}, self.s.remaining(), "full", **self.s.options)

    def improve(self, bound: int) -> None:
        d = self.d
        while self.s.remaining() > 0.2 and not self.s.interrupted and (self.objective or 0) > bound:
            kind = self.rng.random()
            free_x: set[tuple[int, int]] = set()
            free_z_pairs: set[tuple[int, int]] = set()
            if kind < 0.4:  # a few days, every course
                k = max(1, round(self.size * d.D * 2))
                days = self.rng.sample(range(d.D), min(d.D, k))
                ps = {p for day in days for p in d.day_periods(day)}
                free_x = {key for key in self.x_index if key[1] in ps}
                free_z_pairs = set(free_x)
            elif kind < 0.8:  # courses around a curriculum, every period
                grp = list(self.rng.choice(d.curricula)[0])
                target = max(2, round(self.size * d.C))
                courses = set(grp)
                while len(courses) < target:
                    c = self.rng.choice(sorted(courses))
                    options = sorted(d.neighbours[c] - courses) or sorted(set(range(d.C)) - courses)
                    if not options:
                        break
                    courses.add(self.rng.choice(options))
                free_x = {key for key in self.x_index if key[0] in courses}
                free_z_pairs = set(free_x)
            else:  # rooms only, every lecture
                if self.rooms_for(self.solution().periods, min(self.s.remaining(), 5.0)):
                    self.improvements += 1
                continue
            fixed = {i: self.values[i] for key, i in self.x_index.items() if key not in free_x}
            for (c, p, _r), i in self.z_index.items():
                if (c, p) not in free_z_pairs:
                    fixed[i] = self.values[i]
            limit = min(self.s.remaining(), 3.0)
            self.iterations += 1
            if self._solve(fixed, limit, "lns"):
                self.improvements += 1
            if self.last_status == cp_model.OPTIMAL:
                self.size = min(0.6, self.size * 1.1)
            else:
                self.size = max(0.05, self.size / 1.1)
