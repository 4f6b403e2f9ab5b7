"""Tests for llct_sched.itc2007.anneal: the annealer's incremental cost against the independent UD2 count
(llct_sched.itc2007.ud2_cost), and hard feasibility of everything it returns."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itc_quick import quick_periods
from llct_sched.itc2007 import Course, Curriculum, ItcInstance, Lecture, Room, read_ectt, ud2_cost
from llct_sched.itc2007.anneal import (
    AnnealState,
    _counters,
    _may_move_to,
    _shift,
    _swap_change,
    anneal,
    build_state,
    state_cost,
)
from llct_sched.itc2007.solver import _anneal_chunk, _Data, _Lns, _Session, build_full_model, greedy_rooms

BENCH_DIR = Path(__file__).resolve().parents[1] / "benchmarks" / "itc2007" / "instances"


def _state(inst: ItcInstance, placed: list[tuple[int, int, int]]) -> AnnealState:
    d = _Data(inst)
    return build_state(d.C, d.T, d.D, d.R, d.curricula, d.teachers, d.avail, d.pen, d.mwd, placed)


def _competition_state(name: str) -> tuple[ItcInstance, AnnealState]:
    """A competition instance and a hard-feasible timetable of it with greedy rooms (worse rooms than the
    solver's: room for improvement)."""
    inst = read_ectt(BENCH_DIR / f"{name}.ectt")
    d = _Data(inst)
    periods = quick_periods(inst, d)
    rooms = greedy_rooms(d, periods)
    return inst, _state(inst, [(c, p, rooms[c, p]) for c, ps in periods.items() for p in ps])


def _lectures(inst: ItcInstance, st_: AnnealState, period: np.ndarray, room: np.ndarray) -> list[Lecture]:
    T = inst.periods_per_day
    return [
        Lecture(inst.courses[c].name, inst.rooms[r].name, p // T, p % T)
        for c, p, r in zip(st_.course.tolist(), period.tolist(), room.tolist(), strict=True)
    ]


@pytest.mark.parametrize("rate", [1e6, 3.8e6])  # moves per second of one walk (3.3-3.8 M here)
@pytest.mark.parametrize("seconds", [0.5, 3.0, 240.0])
def test_annealing_chunks_walk_the_whole_schedule_once(rate: float, seconds: float) -> None:
    """Chunks as the solver runs them (each taking ``moves / rate`` seconds): the schedule's share done
    rises strictly, the last chunk takes it to 1 and every chunk but the first lasts at most about 3 s."""
    clock, done, first = 0.0, 0.0, True
    while done < 1.0:
        left = seconds - clock
        assert left > 0, "the time ran out before the schedule ended"
        moves, share = _anneal_chunk(0.0 if first else rate, left, done, seconds)
        assert share > done
        if not first:
            assert moves / rate <= max(3.0, 10_000 / rate) + 1e-9
        clock += moves / rate
        done, first = share, False
    assert done == 1.0
    assert clock <= seconds + max(3.0, 10_000 / rate)


def test_parallel_walks_in_the_solver_give_a_better_hard_feasible_incumbent() -> None:
    """The solver's annealing stage (two walks in threads) from greedy rooms: the incumbent it keeps is
    hard-feasible, counted like UD2, and better than where it started."""
    inst = read_ectt(BENCH_DIR / "comp07.ectt")
    d = _Data(inst)
    periods = quick_periods(inst, d)
    session = _Session(time_limit=60, workers=2, seed=0, report=None)
    assert session.chains == 2
    lns = _Lns(d, build_full_model(d), session)
    lns.rooms_for(periods, 0.05)  # greedy rooms (CP-SAT has no time to better them much)
    start = lns.objective
    assert start is not None
    assert lns.anneal_for(3.0, 1.0, 0.05)
    best = lns.solution()
    cost = ud2_cost(inst, d.lectures_of(best.periods, best.rooms))
    assert cost.hard_violations == 0, cost.report()
    assert lns.objective is not None and cost.total == lns.objective < start


@pytest.mark.parametrize("name", ["comp01", "comp07"])
def test_annealing_a_competition_timetable_counts_like_ud2_and_stays_hard_feasible(name: str) -> None:
    inst, state = _competition_state(name)
    start = ud2_cost(inst, _lectures(inst, state, state.period, state.room))
    assert state_cost(state) == start.total
    run = anneal(state, 2_000_000, 0.5, 0.02, seed=3)
    cost = ud2_cost(inst, _lectures(inst, state, run.best_period, run.best_room))
    assert cost.hard_violations == 0, cost.report()
    assert len(cost.warnings) == 0
    assert run.best == cost.total < start.total  # greedy rooms leave room stability to gain
    last = ud2_cost(inst, _lectures(inst, state, run.last_period, run.last_room))
    assert last.hard_violations == 0 and run.last == last.total >= run.best
    assert run.accepted > 0
    assert state_cost(state) == start.total  # the state itself is left as it was


def test_kempe_moves_alone_count_like_ud2_and_stay_hard_feasible() -> None:
    """Only Kempe moves (every simple move keeps its lecture in place): they are made, the cost kept
    incrementally is the UD2 count, and every timetable stays hard-feasible."""
    inst, state = _competition_state("comp07")
    run = anneal(state, 300_000, 2.0, 0.1, same_room=1.0, seed=5, kempe=1.0)
    assert run.accepted > 0
    for cost_, period, room in ((run.best, run.best_period, run.best_room), (run.last, run.last_period, run.last_room)):
        cost = ud2_cost(inst, _lectures(inst, state, period, room))
        assert cost.hard_violations == 0, cost.report()
        assert cost_ == cost.total
    assert not np.array_equal(run.last_period, state.period)


def test_a_kempe_move_swaps_the_whole_chain_between_two_periods() -> None:
    """A and B share a curriculum, B and C a teacher; with two periods, A and C at one and B at the other,
    no single lecture can move, and a Kempe move swaps all three."""
    inst = ItcInstance(
        name="chain",
        days=1,
        periods_per_day=2,
        courses=(Course("A", "t0", 1, 1, 10), Course("B", "t1", 1, 1, 10), Course("C", "t1", 1, 1, 10)),
        rooms=(Room("r0", 10), Room("r1", 10)),
        curricula=(Curriculum("q", ("A", "B")),),
        unavailability=frozenset(),
    )
    placed = [(0, 0, 0), (1, 1, 0), (2, 0, 1)]
    state = _state(inst, placed)
    assert state.conflict.tolist() == [[1, 1, 0], [1, 1, 1], [0, 1, 1]]
    assert anneal(state, 1000, 5.0, 5.0, same_room=1.0, seed=1, kempe=0.0).accepted == 0
    for seed in range(5):
        run = anneal(state, 7, 5.0, 5.0, same_room=1.0, seed=seed, kempe=1.0)
        assert run.accepted > 0
        swapped = run.accepted % 2 == 1
        assert run.last_period.tolist() == ([1, 0, 1] if swapped else [0, 1, 0])
        cost = ud2_cost(inst, _lectures(inst, state, run.last_period, run.last_room))
        assert cost.hard_violations == 0 and run.last == cost.total


@st.composite
def _timetabled_instance(draw: st.DrawFn) -> tuple[ItcInstance, list[tuple[int, int, int]]]:
    """A small random instance with a hard-feasible timetable: lectures placed first, then curricula and
    teachers drawn among courses that never share a period, unavailability among periods not used."""
    days = draw(st.integers(1, 3))
    per_day = draw(st.integers(1, 4))
    n_periods = days * per_day
    n_rooms = draw(st.integers(1, 3))
    n_courses = draw(st.integers(1, 6))
    rng = random.Random(draw(st.integers(0, 10**6)))
    free = [(p, r) for p in range(n_periods) for r in range(n_rooms)]
    rng.shuffle(free)
    placed: list[tuple[int, int, int]] = []
    used: list[set[int]] = []
    for c in range(n_courses):
        want = rng.randint(1, 3)
        mine: set[int] = set()
        for p, r in list(free):
            if len(mine) == want:
                break
            if p not in mine:
                mine.add(p)
                free.remove((p, r))
                placed.append((c, p, r))
        used.append(mine)

    def apart(group: list[int]) -> bool:
        return all(not (used[a] & used[b]) for i, a in enumerate(group) for b in group[i + 1 :])

    curricula = []
    for q in range(rng.randint(1, 4)):
        group = sorted(rng.sample(range(n_courses), rng.randint(1, n_courses)))
        if apart(group):
            curricula.append(Curriculum(f"q{q}", tuple(f"c{c}" for c in group)))
    teacher = list(range(n_courses))
    for c in range(1, n_courses):
        t = rng.randrange(c)
        if apart([c, *[k for k in range(c) if teacher[k] == teacher[t]]]):
            teacher[c] = teacher[t]
    courses = tuple(
        Course(f"c{c}", f"t{teacher[c]}", len(used[c]), rng.randint(0, len(used[c]) + 1), rng.randint(5, 40))
        for c in range(n_courses)
    )
    unavailable = frozenset(
        (f"c{c}", p // per_day, p % per_day)
        for c in range(n_courses)
        for p in range(n_periods)
        if p not in used[c] and rng.random() < 0.3
    )
    rooms = tuple(Room(f"r{r}", rng.randint(5, 40)) for r in range(n_rooms))
    inst = ItcInstance(
        name="random",
        days=days,
        periods_per_day=per_day,
        courses=courses,
        rooms=rooms,
        curricula=tuple(curricula),
        unavailability=unavailable,
    )
    return inst, placed


@settings(max_examples=60, deadline=None)
@given(
    _timetabled_instance(),
    st.integers(1, 3000),
    st.floats(0.05, 5.0),
    st.integers(0, 2**20),
    st.sampled_from([0.0, 0.05, 0.5, 1.0]),
)
def test_annealing_keeps_ud2_count_and_hard_feasibility_on_random_instances(
    case: tuple[ItcInstance, list[tuple[int, int, int]]], moves: int, temperature: float, seed: int, kempe: float
) -> None:
    inst, placed = case
    state = _state(inst, placed)
    start = ud2_cost(inst, _lectures(inst, state, state.period, state.room))
    assert start.hard_violations == 0, start.report()
    assert state_cost(state) == start.total
    run = anneal(state, moves, temperature, temperature / 10, same_room=0.3, seed=seed, kempe=kempe)
    for cost_, period, room in ((run.best, run.best_period, run.best_room), (run.last, run.last_period, run.last_room)):
        cost = ud2_cost(inst, _lectures(inst, state, period, room))
        assert cost.hard_violations == 0, cost.report()
        assert cost_ == cost.total  # the incrementally kept cost is the UD2 count
    assert run.best <= run.last and run.best <= start.total


@settings(max_examples=60, deadline=None)
@given(_timetabled_instance(), st.integers(0, 2**20))
def test_a_simple_moves_cost_change_counted_read_only_equals_its_four_shifts(
    case: tuple[ItcInstance, list[tuple[int, int, int]]], seed: int
) -> None:
    inst, placed = case
    s = _state(inst, placed)
    rules = (s.groups, s.iso_weight, s.penalty, s.min_days, s.per_day)
    rng = random.Random(seed)
    for _ in range(20):
        lec = rng.randrange(len(s.course))
        c, p1, r1 = int(s.course[lec]), int(s.period[lec]), int(s.room[lec])
        p2, r2 = rng.randrange(s.n_periods), rng.randrange(s.n_rooms)
        board = _counters(s.course, s.period, s.room, s.groups, s.dims)
        other = int(board[0][p2, r2])
        c2 = -1 if other < 0 else int(s.course[other])
        if (p2, r2) == (p1, r1) or c2 == c:
            continue
        if p2 != p1 and not (
            _may_move_to(c, p2, c2, board[1], s.groups, s.available)
            and (c2 < 0 or _may_move_to(c2, p1, c, board[1], s.groups, s.available))
        ):
            continue
        read_only = _swap_change(c, p1, r1, c2, p2, r2, board, rules)
        shifted = _shift(lec, c, p1, r1, -1, board, rules)
        if c2 >= 0:
            shifted += _shift(other, c2, p2, r2, -1, board, rules)
        shifted += _shift(lec, c, p2, r2, 1, board, rules)
        if c2 >= 0:
            shifted += _shift(other, c2, p1, r1, 1, board, rules)
        assert read_only == shifted
