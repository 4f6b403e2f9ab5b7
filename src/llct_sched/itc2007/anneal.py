"""Simulated annealing for ITC-2007 Track 3 (UD2), compiled with Numba.

It polishes a hard-feasible timetable and never leaves hard feasibility. Two kinds of move:

* a simple move takes one lecture to a random (period, room), the period drawn among those its course
  may use; when that room is taken at that period, the two lectures swap places;
* a Kempe move (a share ``kempe`` of the moves) swaps a chain of lectures between two periods: the
  lecture, the lectures at the other period that conflict with it (same curriculum, teacher or course),
  those that conflict with these at the first period, and so on. Each keeps its room when that room is
  free at its new period and takes a random free one otherwise.

A move whose result breaks a hard rule (a conflict, an unavailable period, no free room) is not made.
The soft cost (the weighted UD2 cost) is kept up to date incrementally, one rule at a time
(:func:`_shift`), and a move is accepted with the Metropolis rule. A simple move's cost change is
counted without touching the counters (:func:`_swap_change`): about 96 % of the moves are rejected,
and they then cost no update and no undo. Isolated lectures are counted on a bit mask of each group's
busy slots per day. The helpers are inlined into the walk (``inline="always"``): as separate compiled
functions, passing the counters' arrays between them cost more than the work itself (the rates, same
decisions move for move: benchmarks/studies/2026-12-02-itc-faster-annealing).

The state is a few integer arrays (:class:`AnnealState`); :func:`anneal` runs a given number of moves
at a geometrically falling temperature and returns the best timetable seen and the last. Its costs
counted here must equal :func:`llct_sched.itc2007.ud2_cost` (the tests check it). The kernels are
compiled on first use and cached by Numba; :func:`warm_up` does that ahead, e.g. in a thread while
CP-SAT works.

Numba is the optional extra ``itc`` (``pip install 'llct-sched[itc]'``); without it this module does not
import (:mod:`llct_sched.itc2007.solver` then runs without annealing).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

try:
    from numba import njit
except ModuleNotFoundError as missing:
    raise ModuleNotFoundError(
        "the ITC-2007 annealer needs numba, the optional extra 'itc': pip install 'llct-sched[itc]'", name="numba"
    ) from missing

from llct_sched.itc2007 import UD2_WEIGHTS

__all__ = ["AnnealRun", "AnnealState", "anneal", "build_state", "state_cost", "warm_up"]

W_MWD = UD2_WEIGHTS["min_working_days"]
W_ISO = UD2_WEIGHTS["isolated_lectures"]
W_STAB = UD2_WEIGHTS["room_stability"]


@dataclass
class AnnealState:
    """A timetable as arrays: lecture ``i`` of course ``course[i]`` is at ``period[i]`` in ``room[i]``."""

    course: np.ndarray  # (L,) course of each lecture
    period: np.ndarray  # (L,)
    room: np.ndarray  # (L,)
    groups: np.ndarray  # (C, G_max) conflict groups of each course (curricula, then its teacher), -1 padded
    iso_weight: np.ndarray  # (G,) W_ISO x multiplicity for a curriculum, 0 for a teacher
    available: np.ndarray  # (C, P) 1 where the course may lecture
    penalty: np.ndarray  # (C, R) capacity overflow
    min_days: np.ndarray  # (C,)
    conflict: np.ndarray  # (C, C) 1 where two courses may not share a period (a course with itself too)
    open_periods: np.ndarray  # (C, P) the periods each course may use first, then padding
    open_count: np.ndarray  # (C,) how many of them
    n_groups: int
    n_periods: int
    n_rooms: int
    n_days: int
    per_day: int

    @property
    def dims(self) -> tuple[int, int, int, int, int, int]:
        """(courses, groups, periods, rooms, days, periods per day) for the kernels."""
        return (self.groups.shape[0], self.n_groups, self.n_periods, self.n_rooms, self.n_days, self.per_day)


def build_state(
    courses: int,
    periods_per_day: int,
    days: int,
    rooms: int,
    curricula: list[tuple[tuple[int, ...], int]],
    teachers: list[list[int]],
    available: list[list[int]],
    penalty: list[list[int]],
    min_days: list[int],
    placed: list[tuple[int, int, int]],
) -> AnnealState:
    """Arrays for a timetable: ``placed`` holds (course, period, room) per lecture; ``curricula`` the
    member courses of each (merged) curriculum with its multiplicity; ``teachers`` the courses of each
    teacher; ``available`` the allowed periods of each course."""
    if periods_per_day > 62:
        raise ValueError(f"{periods_per_day} periods a day: the annealer's day masks hold at most 62")
    n_periods = periods_per_day * days
    member_of: list[list[int]] = [[] for _ in range(courses)]
    weights: list[int] = []
    for curriculum, mult in curricula:
        for c in curriculum:
            member_of[c].append(len(weights))
        weights.append(W_ISO * mult)
    for members in teachers:
        for c in members:
            member_of[c].append(len(weights))
        weights.append(0)
    width = max(1, max(len(g) for g in member_of))
    groups = np.full((courses, width), -1, dtype=np.int32)
    for c, gs in enumerate(member_of):
        groups[c, : len(gs)] = gs
    avail = np.zeros((courses, n_periods), dtype=np.int8)
    for c, ps in enumerate(available):
        avail[c, ps] = 1
    member = np.zeros((courses, len(weights)), dtype=np.int32)
    for c, gs in enumerate(member_of):
        member[c, gs] = 1
    conflict = ((member @ member.T) > 0).astype(np.int8)
    np.fill_diagonal(conflict, 1)
    open_periods = np.zeros((courses, n_periods), dtype=np.int32)
    open_count = avail.sum(axis=1).astype(np.int32)
    for c in range(courses):
        open_periods[c, : open_count[c]] = np.flatnonzero(avail[c])
    return AnnealState(
        course=np.array([c for c, _, _ in placed], dtype=np.int32),
        period=np.array([p for _, p, _ in placed], dtype=np.int32),
        room=np.array([r for _, _, r in placed], dtype=np.int32),
        groups=groups,
        iso_weight=np.array(weights, dtype=np.int32),
        available=avail,
        penalty=np.array(penalty, dtype=np.int32).reshape(courses, rooms),
        min_days=np.array(min_days, dtype=np.int32),
        conflict=conflict,
        open_periods=open_periods,
        open_count=open_count,
        n_groups=len(weights),
        n_periods=n_periods,
        n_rooms=rooms,
        n_days=days,
        per_day=periods_per_day,
    )


# --------------------------------------------------------------------------------------------------
# Compiled kernels: counters and incremental cost per rule
# --------------------------------------------------------------------------------------------------


@njit(cache=True, nogil=True)
def _isolated_in_day(day_mask: int) -> int:
    """Isolated lectures of a group in a day whose busy slots are the bits of ``day_mask``."""
    alone = day_mask & ~(day_mask << 1) & ~(day_mask >> 1)
    n = 0
    while alone:
        alone &= alone - 1
        n += 1
    return n


@njit(cache=True, nogil=True)
def _short(days_used: int, min_days: int) -> int:
    return max(0, min_days - days_used)


@njit(cache=True, nogil=True, inline="always")
def _shift(lec, c, p, r, step, board, rules):  # type: ignore[no-untyped-def]
    """Put lecture ``lec`` of course ``c`` at (p, r) (``step`` 1) or take it out (``step`` -1); update the
    counters and return the change of the soft cost, one rule after the other."""
    occ, busy, day_mask, day_count, days_used, room_count, rooms_used = board
    groups, iso_weight, penalty, min_days, per_day = rules
    delta = step * penalty[c, r]
    day = p // per_day
    t = p - day * per_day
    for k in range(groups.shape[1]):
        g = groups[c, k]
        if g < 0:
            break
        busy[g, p] += step
        if busy[g, p] == (1 if step > 0 else 0):  # the group starts or stops being busy at p
            before = day_mask[g, day]
            after = before ^ (1 << t)
            day_mask[g, day] = after
            if iso_weight[g] > 0:
                delta += iso_weight[g] * (_isolated_in_day(after) - _isolated_in_day(before))
    day_count[c, day] += step
    if day_count[c, day] == (1 if step > 0 else 0):  # the course starts or stops using that day
        delta += W_MWD * (_short(days_used[c] + step, min_days[c]) - _short(days_used[c], min_days[c]))
        days_used[c] += step
    room_count[c, r] += step
    if room_count[c, r] == (1 if step > 0 else 0):  # the course starts or stops using that room
        delta += W_STAB * (max(0, rooms_used[c] + step - 1) - max(0, rooms_used[c] - 1))
        rooms_used[c] += step
    occ[p, r] = lec if step > 0 else -1
    return delta


@njit(cache=True, nogil=True)
def _with_load(day_mask: int, t: int, load: int, change: int) -> int:
    """``day_mask`` once the load at slot ``t`` goes from ``load`` to ``load + change``."""
    return day_mask ^ (1 << t) if (load > 0) != (load + change > 0) else day_mask


@njit(cache=True, nogil=True, inline="always")
def _group_change(g, p1, n1, p2, n2, busy, day_mask, per_day):  # type: ignore[no-untyped-def]
    """Change of the isolated lectures of group ``g`` when its load changes by ``n1`` at ``p1`` and by
    ``n2`` at ``p2`` (two different periods)."""
    d1, d2 = p1 // per_day, p2 // per_day
    before1 = day_mask[g, d1]
    after1 = _with_load(before1, p1 - d1 * per_day, busy[g, p1], n1)
    if d1 == d2:
        after1 = _with_load(after1, p2 - d2 * per_day, busy[g, p2], n2)
        return _isolated_in_day(after1) - _isolated_in_day(before1)
    before2 = day_mask[g, d2]
    after2 = _with_load(before2, p2 - d2 * per_day, busy[g, p2], n2)
    return _isolated_in_day(after1) - _isolated_in_day(before1) + _isolated_in_day(after2) - _isolated_in_day(before2)


@njit(cache=True, nogil=True, inline="always")
def _course_change(c, p1, r1, p2, r2, board, rules):  # type: ignore[no-untyped-def]
    """Change of the room, working-day and room-stability costs of course ``c`` when one of its lectures
    goes from (p1, r1) to (p2, r2)."""
    _, _, _, day_count, days_used, room_count, rooms_used = board
    _, _, penalty, min_days, per_day = rules
    delta = penalty[c, r2] - penalty[c, r1]
    d1, d2 = p1 // per_day, p2 // per_day
    if d1 != d2:
        used = days_used[c] - (1 if day_count[c, d1] == 1 else 0) + (1 if day_count[c, d2] == 0 else 0)
        delta += W_MWD * (_short(used, min_days[c]) - _short(days_used[c], min_days[c]))
    if r1 != r2:
        used = rooms_used[c] - (1 if room_count[c, r1] == 1 else 0) + (1 if room_count[c, r2] == 0 else 0)
        delta += W_STAB * (max(0, used - 1) - max(0, rooms_used[c] - 1))
    return delta


@njit(cache=True, nogil=True, inline="always")
def _in_groups(g, c, groups):  # type: ignore[no-untyped-def]
    """True when group ``g`` is one of course ``c``'s."""
    for k in range(groups.shape[1]):
        if groups[c, k] == g:
            return True
        if groups[c, k] < 0:
            break
    return False


@njit(cache=True, nogil=True, inline="always")
def _swap_change(c, p1, r1, c2, p2, r2, board, rules):  # type: ignore[no-untyped-def]
    """The change of the soft cost, counted without touching the board, when a lecture of course ``c``
    goes from (p1, r1) to (p2, r2) and, if ``c2`` >= 0, a lecture of course ``c2`` the other way. The
    same as the sum of the four :func:`_shift` calls that make the move."""
    busy, day_mask = board[1], board[2]
    groups, iso_weight, per_day = rules[0], rules[1], rules[4]
    delta = _course_change(c, p1, r1, p2, r2, board, rules)
    if c2 >= 0:
        delta += _course_change(c2, p2, r2, p1, r1, board, rules)
    if p1 == p2:
        return delta
    for k in range(groups.shape[1]):  # a group of both courses loses and gains one at each period
        g = groups[c, k]
        if g < 0:
            break
        if iso_weight[g] > 0 and not (c2 >= 0 and _in_groups(g, c2, groups)):
            delta += iso_weight[g] * _group_change(g, p1, -1, p2, 1, busy, day_mask, per_day)
    if c2 >= 0:
        for k in range(groups.shape[1]):
            g = groups[c2, k]
            if g < 0:
                break
            if iso_weight[g] > 0 and not _in_groups(g, c, groups):
                delta += iso_weight[g] * _group_change(g, p1, 1, p2, -1, busy, day_mask, per_day)
    return delta


@njit(cache=True, nogil=True, inline="always")
def _may_move_to(c, p, other_course, busy, groups, available):  # type: ignore[no-untyped-def]
    """True when course ``c`` may move to ``p`` once a lecture of ``other_course`` (-1: none) has left ``p``."""
    if available[c, p] == 0:
        return False
    for k in range(groups.shape[1]):
        g = groups[c, k]
        if g < 0:
            break
        load = busy[g, p]
        if load > 0 and other_course >= 0:
            for j in range(groups.shape[1]):
                h = groups[other_course, j]
                if h < 0:
                    break
                if h == g:
                    load -= 1
                    break
        if load > 0:
            return False
    return True


@njit(cache=True, nogil=True)
def _counters(course, period, room, groups, dims):  # type: ignore[no-untyped-def]
    """Occupancy and the counters the incremental cost needs, counted from scratch."""
    n_courses, n_groups, n_periods, n_rooms, n_days, per_day = dims
    occ = np.full((n_periods, n_rooms), -1, dtype=np.int32)
    busy = np.zeros((n_groups, n_periods), dtype=np.int32)
    day_mask = np.zeros((n_groups, n_days), dtype=np.int64)  # bit t of a day: the group is busy at slot t
    day_count = np.zeros((n_courses, n_days), dtype=np.int32)
    days_used = np.zeros(n_courses, dtype=np.int32)
    room_count = np.zeros((n_courses, n_rooms), dtype=np.int32)
    rooms_used = np.zeros(n_courses, dtype=np.int32)
    for lec in range(course.shape[0]):
        c, p, r = course[lec], period[lec], room[lec]
        occ[p, r] = lec
        for k in range(groups.shape[1]):
            g = groups[c, k]
            if g < 0:
                break
            busy[g, p] += 1
            day_mask[g, p // per_day] |= 1 << (p % per_day)
        day = p // per_day
        if day_count[c, day] == 0:
            days_used[c] += 1
        day_count[c, day] += 1
        if room_count[c, r] == 0:
            rooms_used[c] += 1
        room_count[c, r] += 1
    return occ, busy, day_mask, day_count, days_used, room_count, rooms_used


@njit(cache=True, nogil=True)
def _soft_cost(course, period, room, groups, iso_weight, penalty, min_days, dims):  # type: ignore[no-untyped-def]
    """The weighted UD2 soft cost, counted from scratch."""
    n_courses, n_groups, n_periods, _, _, per_day = dims
    _, busy, _, _, days_used, _, rooms_used = _counters(course, period, room, groups, dims)
    total = 0
    for lec in range(course.shape[0]):
        total += penalty[course[lec], room[lec]]
    for c in range(n_courses):
        if rooms_used[c] > 1:
            total += W_STAB * (rooms_used[c] - 1)
        total += W_MWD * _short(days_used[c], min_days[c])
    for g in range(n_groups):
        if iso_weight[g] == 0:
            continue
        for p in range(n_periods):
            if busy[g, p] == 0:
                continue
            t = p % per_day
            if t > 0 and busy[g, p - 1] > 0:
                continue
            if t < per_day - 1 and busy[g, p + 1] > 0:
                continue
            total += iso_weight[g]
    return total


@njit(cache=True, nogil=True, inline="always")
def _accept(delta, temp):  # type: ignore[no-untyped-def]
    """The Metropolis rule."""
    return delta <= 0 or np.random.random() < np.exp(-delta / temp)


@njit(cache=True, nogil=True, inline="always")
def _simple_move(lec, p2, same_room, temp, course, period, room, available, board, rules):  # type: ignore[no-untyped-def]  # noqa: E501
    """Try lecture ``lec`` at period ``p2`` in its room (a share ``same_room`` of the time) or a random
    one, swapping with the lecture there if any. Returns (made, change of the cost)."""
    occ, busy = board[0], board[1]
    groups = rules[0]
    n_rooms = occ.shape[1]
    c, p1, r1 = course[lec], period[lec], room[lec]
    r2 = r1 if np.random.random() < same_room else np.random.randint(n_rooms)
    if p2 == p1 and r2 == r1:
        return False, 0
    other = occ[p2, r2]
    c2 = -1 if other < 0 else course[other]
    if c2 == c:
        return False, 0
    if p2 != p1:
        if not _may_move_to(c, p2, c2, busy, groups, available):
            return False, 0
        if c2 >= 0 and not _may_move_to(c2, p1, c, busy, groups, available):
            return False, 0
    delta = _swap_change(c, p1, r1, c2, p2, r2, board, rules)
    if not _accept(delta, temp):
        return False, 0
    _shift(lec, c, p1, r1, -1, board, rules)
    if c2 >= 0:
        _shift(other, c2, p2, r2, -1, board, rules)
    _shift(lec, c, p2, r2, 1, board, rules)
    if c2 >= 0:
        _shift(other, c2, p1, r1, 1, board, rules)
    period[lec], room[lec] = p2, r2
    if c2 >= 0:
        period[other], room[other] = p1, r1
    return True, delta


@njit(cache=True, nogil=True, inline="always")
def _kempe_chain(lec, p2, course, period, occ, conflict, available, chain, mark):  # type: ignore[no-untyped-def]
    """The Kempe chain of ``lec`` between its period and ``p2`` in ``chain[:n]``, marked 1 in ``mark``;
    returns n, or 0 (and no marks) when a lecture of the chain may not use its new period."""
    p1 = period[lec]
    n, head = 1, 0
    chain[0] = lec
    mark[lec] = 1
    while head < n:
        x = chain[head]
        head += 1
        to = p2 if period[x] == p1 else p1
        if available[course[x], to] == 0:
            for i in range(n):
                mark[chain[i]] = 0
            return 0
        for r in range(occ.shape[1]):
            y = occ[to, r]
            if y >= 0 and mark[y] == 0 and conflict[course[x], course[y]] == 1:
                chain[n] = y
                mark[y] = 1
                n += 1
    return n


@njit(cache=True, nogil=True, inline="always")
def _kempe_places(n, p1, p2, period, room, occ, chain, mark, new_period, new_room):  # type: ignore[no-untyped-def]
    """The chain's lectures at their new periods (the other of ``p1`` and ``p2``), in ``new_period`` and
    ``new_room``: each keeps its room when free there (no lecture outside the chain, no mover before it),
    else takes a random free one. False when none is free."""
    for i in range(n):
        x = chain[i]
        src = period[x]
        dst = p2 if src == p1 else p1
        new_period[x] = dst
        pick, seen = -1, 0
        for q in range(occ.shape[1]):
            y = occ[dst, q]
            if y >= 0 and mark[y] == 0:
                continue
            used = False
            for j in range(i):
                if period[chain[j]] == src and new_room[chain[j]] == q:
                    used = True
                    break
            if used:
                continue
            if q == room[x]:
                pick = q
                break
            seen += 1
            if np.random.randint(seen) == 0:
                pick = q
        if pick < 0:
            return False
        new_room[x] = pick
    return True


@njit(cache=True, nogil=True, inline="always")
def _kempe_move(lec, p2, temp, course, period, room, available, conflict, scratch, board, rules):  # type: ignore[no-untyped-def]  # noqa: E501
    """Try the Kempe chain of ``lec`` between its period and ``p2``. Returns (made, change of the cost)."""
    occ = board[0]
    chain, mark, new_period, new_room = scratch
    n = _kempe_chain(lec, p2, course, period, occ, conflict, available, chain, mark)
    if n == 0:
        return False, 0
    ok = _kempe_places(n, period[lec], p2, period, room, occ, chain, mark, new_period, new_room)
    for i in range(n):
        mark[chain[i]] = 0
    if not ok:
        return False, 0
    delta = 0  # all out, then all in: a mover may take a room another mover leaves
    for i in range(n):
        x = chain[i]
        delta += _shift(x, course[x], period[x], room[x], -1, board, rules)
    for i in range(n):
        x = chain[i]
        delta += _shift(x, course[x], new_period[x], new_room[x], 1, board, rules)
    if _accept(delta, temp):
        for i in range(n):
            x = chain[i]
            period[x], room[x] = new_period[x], new_room[x]
        return True, delta
    for i in range(n):  # undo: ``period`` and ``room`` still hold where they were
        x = chain[i]
        _shift(x, course[x], new_period[x], new_room[x], -1, board, rules)
    for i in range(n):
        x = chain[i]
        _shift(x, course[x], period[x], room[x], 1, board, rules)
    return False, 0


@njit(cache=True, nogil=True)
def _anneal(
    course, period, room, groups, iso_weight, available, penalty, min_days, dims,
    conflict, open_periods, open_count, moves, t_start, t_end, same_room, kempe, seed,
):  # type: ignore[no-untyped-def]  # fmt: skip
    """The walk: ``period`` and ``room`` are changed in place and end as its last timetable."""
    np.random.seed(seed)
    per_day = dims[5]
    board = _counters(course, period, room, groups, dims)
    rules = (groups, iso_weight, penalty, min_days, per_day)
    cost = _soft_cost(course, period, room, groups, iso_weight, penalty, min_days, dims)
    best = cost
    best_period = period.copy()
    best_room = room.copy()
    n_lectures = course.shape[0]
    scratch = (
        np.zeros(n_lectures, dtype=np.int32),  # chain
        np.zeros(n_lectures, dtype=np.int8),  # mark
        np.zeros(n_lectures, dtype=np.int32),  # new_period
        np.zeros(n_lectures, dtype=np.int32),  # new_room
    )
    ratio = (t_end / t_start) ** (1.0 / max(1, moves))
    temp = t_start
    accepted = 0
    for _ in range(moves):
        temp *= ratio
        lec = np.random.randint(n_lectures)
        c = course[lec]
        p2 = open_periods[c, np.random.randint(open_count[c])]
        if kempe > 0 and p2 != period[lec] and np.random.random() < kempe:
            made, delta = _kempe_move(lec, p2, temp, course, period, room, available, conflict, scratch, board, rules)
        else:
            made, delta = _simple_move(lec, p2, same_room, temp, course, period, room, available, board, rules)
        if not made:
            continue
        cost += delta
        accepted += 1
        if cost < best:
            best = cost
            best_period[:] = period
            best_room[:] = room
    return best, best_period, best_room, cost, accepted


def state_cost(st: AnnealState, period: np.ndarray | None = None, room: np.ndarray | None = None) -> int:
    """The UD2 soft cost of the state's timetable (or of ``period``/``room`` in its place)."""
    period = st.period if period is None else period
    room = st.room if room is None else room
    return int(_soft_cost(st.course, period, room, st.groups, st.iso_weight, st.penalty, st.min_days, st.dims))


@dataclass
class AnnealRun:
    """What one call of :func:`anneal` did: the best timetable seen (as periods and rooms per lecture, in
    the state's lecture order), the timetable where the walk ended, and their costs."""

    best: int
    best_period: np.ndarray
    best_room: np.ndarray
    last: int
    last_period: np.ndarray
    last_room: np.ndarray
    accepted: int


def anneal(
    st: AnnealState,
    moves: int,
    t_start: float,
    t_end: float,
    same_room: float = 0.5,
    seed: int = 0,
    kempe: float = 0.0,
) -> AnnealRun:
    """Run ``moves`` annealing moves from the state's timetable at a temperature falling geometrically
    from ``t_start`` to ``t_end``; ``kempe`` is the share of Kempe moves, ``same_room`` the share of the
    simple moves that keep the lecture's room. The state itself is left as it was."""
    period, room = st.period.copy(), st.room.copy()
    rules = (st.course, period, room, st.groups, st.iso_weight, st.available, st.penalty, st.min_days, st.dims)
    walk = (st.conflict, st.open_periods, st.open_count, int(moves), float(t_start), float(t_end))
    best, best_period, best_room, last, accepted = _anneal(*rules, *walk, float(same_room), float(kempe), int(seed))
    return AnnealRun(int(best), best_period, best_room, int(last), period, room, int(accepted))


def warm_up() -> None:
    """Compile the kernels, or load them from Numba's cache, on a one-lecture timetable (the first
    compile on a machine takes far longer than a load from the cache)."""
    st = build_state(1, 1, 1, 1, [((0,), 1)], [[0]], [[0]], [[0]], [0], [(0, 0, 0)])
    anneal(st, 1, 1.0, 0.5, kempe=0.5)
    state_cost(st)
