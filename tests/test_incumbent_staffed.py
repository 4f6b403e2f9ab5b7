"""Stage 1 with the teaching layer staffs its default portfolio's incumbent before the bound
search takes over (`search._staff_incumbent`): stage 1's visits are a relaxation, so the calendar
it ends with may be unstaffable, and with the teaching layer no time is left for another round.

Both tests force what happens rarely (an unstaffable calendar) by wrapping `_staff_calendar`; the
timetable kept is always read back by the checker.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from llct_sched.check import check
from llct_sched.scenario.generate import generate_center
from llct_sched.solve import SolveParams

search = importlib.import_module("llct_sched.solve.search")  # `solve` shadows the module's name

# a generated center whose stage 1 is not proven by the default portfolio within a few seconds
SHARE, SEED, SECONDS = 0.1, 17, 20.0  # 10 s left the default portfolio at the greedy on a slower machine


def _staffings(monkeypatch: pytest.MonkeyPatch, refuse: Any) -> list[tuple[bool, int | None]]:
    """Record each stage-2 call (final?, objective kept after it); `refuse(final, calendar)` True
    makes the call fail as an unstaffable calendar would (after learning what it returns)."""
    calls: list[tuple[bool, int | None]] = []
    real = search._staff_calendar

    def staff(inst: Any, session: Any, result: Any, srch: Any, calendar: Any, *args: Any, **kwargs: Any) -> Any:
        final = kwargs.get("final", False)
        if refuse(final, calendar, srch):
            calls.append((final, None))
            return None
        out = real(inst, session, result, srch, calendar, *args, **kwargs)
        calls.append((final, result.objective))
        return out

    monkeypatch.setattr(search, "_staff_calendar", staff)
    return calls


def test_a_final_calendar_that_cannot_be_staffed_leaves_the_incumbent_staffed_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scenario = generate_center(SHARE, SEED)[0]
    calls = _staffings(monkeypatch, lambda final, calendar, srch: final)  # every final staffing fails
    result = search.solve(scenario, SolveParams(time_limit=SECONDS, workers=2))
    greedy_objective = calls[0][1]
    incumbent = [objective for final, objective in calls[1:] if not final]
    assert incumbent, "the incumbent was not staffed before the bound search"
    assert result.timetable is not None and result.objective == incumbent[-1]
    assert result.objective < greedy_objective  # without it the greedy timetable would be all there is
    report = check(scenario, result.timetable)
    assert report.ok and report.objective == result.objective


def test_an_unstaffable_incumbent_is_excluded_from_the_bound_search(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = generate_center(SHARE, SEED)[0]
    seen: list[bool] = []  # final? of every staffing asked for
    excluded: list[dict[int, int]] = []
    finals: list[dict[int, int]] = []

    def refuse(final: bool, calendar: Any, srch: Any) -> bool:
        seen.append(final)
        if final:
            finals.append(dict(calendar.starts))
            return False
        if len(seen) != 2:  # the greedy timetable's staffing (first) runs as usual
            return False
        excluded.append(dict(calendar.starts))  # the whole calendar, as a core without blocks gives
        srch.nogoods.append(excluded[0])
        return True

    _staffings(monkeypatch, refuse)
    result = search.solve(scenario, SolveParams(time_limit=SECONDS, workers=2))
    assert excluded, "no incumbent reached the bound search"
    assert finals and all(starts != excluded[0] for starts in finals)
    assert result.timetable is not None
    report = check(scenario, result.timetable)
    assert report.ok and report.objective == result.objective
