"""Goals in priority order: the first level is optimised first, whatever the weights of the rest."""

from __future__ import annotations

from collections import Counter

import pytest
from pydantic import ValidationError

from llct_sched.check import check
from llct_sched.scenario import Scenario
from llct_sched.solve import SolveParams, solve
from tiny import tiny_data

PARAMS = SolveParams(time_limit=20, workers=2, seed=0)


def loads(data: dict) -> Counter[str]:  # type: ignore[type-arg]
    scenario = Scenario.model_validate(data)
    result = solve(scenario, PARAMS)
    assert result.timetable is not None
    assert check(scenario, result.timetable).ok
    return Counter(s.lecturer_id for s in result.timetable.sessions if s.lecturer_id in ("FT1", "FT2"))


def base() -> dict:  # type: ignore[type-arg]
    data = tiny_data()
    data["lecturers"][0]["norm_sessions_per_year"] = 18  # FT1 wants every full-time session
    data["weights"] = {"teaching_norm": 100, "lecturer_balance": 1}
    return data


def test_weights_alone_trade_balance_for_the_norm() -> None:
    load = loads(base())
    assert load["FT1"] > load["FT2"] + 2


def test_balance_first_wins_over_a_heavy_norm_weight() -> None:
    data = base()
    data["priorities"] = {"levels": [["lecturer_balance"]]}
    scenario = Scenario.model_validate(data)
    result = solve(scenario, PARAMS)
    assert result.timetable is not None
    load = Counter(s.lecturer_id for s in result.timetable.sessions if s.lecturer_id in ("FT1", "FT2"))
    assert abs(load["FT1"] - load["FT2"]) <= 1
    staffing_levels = [lv for lv in result.levels if lv["goals"] == ["lecturer_balance"]]
    assert (
        staffing_levels
        and staffing_levels[0]["value"] == check(scenario, result.timetable).breakdown["lecturer_balance"]
    )


def test_unknown_goal_in_priorities_is_an_error() -> None:
    data = base()
    data["priorities"] = {"levels": [["fairness"]]}
    with pytest.raises(ValidationError, match="unknown goal 'fairness'"):
        Scenario.model_validate(data)
