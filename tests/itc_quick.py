"""A hard-feasible timetable to start from, shared by the ITC-2007 solver and annealer tests."""

from __future__ import annotations

from llct_sched.itc2007 import ItcInstance
from llct_sched.itc2007.solver import _Data, solve_itc


def quick_periods(inst: ItcInstance, d: _Data) -> dict[int, list[int]]:
    """Each course's periods in a hard-feasible timetable from a short solve (6 s: on a cold machine the
    annealer's kernels compile beside CP-SAT)."""
    quick = solve_itc(inst, time_limit=6, workers=2)
    assert quick.cost is not None and quick.cost.feasible
    periods: dict[int, list[int]] = {c: [] for c in range(d.C)}
    for lec in quick.lectures:
        periods[d.index[lec.course]].append(lec.period(d.T))
    return periods
