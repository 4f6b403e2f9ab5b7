"""ITC-2007 on the project's own core: .ectt -> scenario -> solve -> timetable -> checker and UD2.

The solver's objective, the independent checker's objective and the competition's UD2 count of
the written solution must be one number.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from llct_sched.check import check
from llct_sched.cli import app
from llct_sched.itc2007 import evaluate_solution, read_ectt, ud2_cost
from llct_sched.itc2007.scenario import lectures_from_timetable, scenario_from_itc, solve_itc_on_core
from llct_sched.scenario.loading import load_scenario
from llct_sched.solve import SolveParams, solve

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "itc2007" / "instances"


@pytest.mark.parametrize(("name", "limit"), [("toy", 5.0), ("comp01", 8.0), ("comp11", 8.0)])
def test_core_solves_and_three_counts_agree(name: str, limit: float) -> None:
    instance = read_ectt(BENCH / f"{name}.ectt")
    scenario = scenario_from_itc(instance)
    result = solve(scenario, SolveParams(time_limit=limit, workers=2, seed=0))
    assert result.timetable is not None, (result.status, result.messages)
    report = check(scenario, result.timetable)
    assert report.ok, report.summary()
    cost = ud2_cost(instance, lectures_from_timetable(instance, result.timetable))
    assert cost.feasible, cost.report()
    assert result.objective == report.objective == cost.total


def test_toy_is_solved_to_its_optimum_of_zero() -> None:
    result = solve_itc_on_core(read_ectt(BENCH / "toy.ectt"), time_limit=10, workers=2)
    assert result.status == "OPTIMAL" and result.cost is not None and result.cost.total == 0 == result.bound


def test_cli_itc2007_on_the_core_writes_a_solution_the_validator_counts(tmp_path: Path) -> None:
    out = tmp_path / "toy.sol"
    args = ["itc2007", str(BENCH / "toy.ectt"), "--engine", "core", "--time-limit", "5", "--out", str(out)]
    run = CliRunner().invoke(app, args)
    assert run.exit_code == 0, run.output
    cost = evaluate_solution(out, read_ectt(BENCH / "toy.ectt"))
    assert cost.feasible and f"Total Cost = {cost.total}" in run.output


def test_an_ectt_file_is_a_scenario_for_every_command(tmp_path: Path) -> None:
    scenario = load_scenario(BENCH / "toy.ectt")
    assert scenario.calendar.periods == ["p0", "p1", "p2", "p3"]
    run = CliRunner().invoke(app, ["solve", str(BENCH / "toy.ectt"), "--out", str(tmp_path / "out"), "--quiet"])
    assert run.exit_code == 0, run.output
    assert (tmp_path / "out" / "timetable.json").exists() and (tmp_path / "out" / "report.html").exists()


def test_a_broken_ectt_is_bad_input_with_exit_code_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ectt"
    bad.write_text("Name: Bad\nCourses: x\n", encoding="utf-8")
    run = CliRunner().invoke(app, ["solve", str(bad), "--out", str(tmp_path / "out")])
    assert run.exit_code == 2
    assert "bad.ectt" in run.output and "Traceback" not in run.output
    assert not (tmp_path / "out").exists()


def test_explanation_of_an_itc_timetable_names_the_ud2_costs_entity_by_entity() -> None:
    from llct_sched.reports.explain import explain

    instance = read_ectt(BENCH / "comp01.ectt")
    scenario = scenario_from_itc(instance)
    result = solve(scenario, SolveParams(time_limit=3, workers=2, seed=0))
    assert result.timetable is not None
    explanation = explain(scenario, result.timetable, lang="vi")
    cost = ud2_cost(instance, lectures_from_timetable(instance, result.timetable))
    by_goal = {g.goal: g for g in explanation.goals}
    pairs = {
        "room_capacity": cost.room_capacity,
        "min_days": cost.min_working_days,
        "isolated_sessions": cost.isolated_lectures,
        "room_stability": cost.room_stability,
    }
    for goal, ud2 in pairs.items():
        assert by_goal[goal].cost == ud2
        assert sum(e.cost for e in by_goal[goal].entities) == ud2  # the entities carry the whole cost
    assert by_goal["min_days"].label == "Số ngày học tối thiểu"
    assert all("ngày" in e.text for e in by_goal["min_days"].entities)
