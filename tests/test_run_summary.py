"""What a run tells the planner: summary.json's objective by goal, progress lines when piped,
warnings once and before the result, and compare rows that say how far to trust a timetable."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from llct_sched.batch import Job, run_job, solution_kind
from llct_sched.cli import app
from llct_sched.scenario.loading import load_scenario
from llct_sched.solve import SolveParams, solve

runner = CliRunner()


def test_summary_shares_sum_to_the_objective_and_progress_is_printed_when_piped(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["--lang", "en", "solve", "tutorial", "--out", str(out), "--workers", "1", "--time-limit", "20"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    # CliRunner's output is not a terminal: one line per new incumbent instead of a spinner
    progress = [line for line in result.output.splitlines() if line.startswith("progress ")]
    assert progress and any(line.startswith("progress timetable: objective ") for line in progress)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    goals = summary["objective_by_goal"]
    assert sum(g["share"] for g in goals.values()) == summary["objective"]
    weights = load_scenario("tutorial").weights.model_dump()
    for goal, entry in goals.items():
        assert entry["penalty"] == summary["breakdown"][goal]
        assert entry["share"] == weights[goal] * entry["penalty"]
    assert summary["greedy_only"] is False


def test_warnings_come_once_and_before_the_result(tmp_path: Path) -> None:
    data = load_scenario("tutorial").model_dump(mode="json")
    data["targets"] = [{"program_type": "boi_duong", "classes": 99, "label": "ninety-nine"}]
    scenario = tmp_path / "plan.yaml"
    scenario.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["solve", str(scenario), "--out", str(tmp_path / "out"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.count("ninety-nine") == 1
    assert text.index("ninety-nine") < text.index("llct-sched solve")


def test_a_timetable_that_is_only_the_greedy_one_is_marked() -> None:
    scenario = load_scenario("tutorial")
    greedy = solve(scenario, SolveParams(max_rounds=1, workers=1, time_limit=10))
    assert greedy.timetable is not None and greedy.greedy_only and greedy.status == "FEASIBLE"
    assert greedy.summary()["greedy_only"] is True
    assert solution_kind(greedy) == "greedy only"
    row = run_job(Job("short", scenario, SolveParams(max_rounds=1, workers=1, time_limit=10)))
    assert row["solution"] == "greedy only"
    optimal = solve(scenario, SolveParams(workers=1, time_limit=20))
    assert optimal.status == "OPTIMAL" and not optimal.greedy_only
    assert solution_kind(optimal) == "proven optimal"
