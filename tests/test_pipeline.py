"""The front ends' pipeline: uploaded bytes -> a valid scenario; solve or re-plan -> a checked Outcome."""

from __future__ import annotations

import copy
import datetime as dt
import importlib
import json
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

import llct_sched.reports.data  # noqa: F401  (imported before its `check` is counted)
from llct_sched import i18n, pipeline
from llct_sched.cli import app
from llct_sched.errors import ScenarioError
from llct_sched.pipeline import read_builtin, read_scenario, run_solve
from llct_sched.scenario import Scenario
from llct_sched.scenario.excel import write_template
from llct_sched.scenario.loading import builtin_scenario_text, load_scenario, scenario_to_data
from llct_sched.solve import Progress, SolveParams, solve
from llct_sched.solve.replan import Changes
from llct_sched.solve.why import EXPLANATION_FLOOR_S, Infeasibility, explanation_budget
from tiny import tiny_data

FAST = SolveParams(time_limit=10, workers=1, seed=0)


def test_yaml_json_and_excel_uploads_read_the_same_scenario(tmp_path: Path) -> None:
    expected = load_scenario("tutorial")
    from_yaml = read_scenario("plan.yaml", builtin_scenario_text("tutorial").encode("utf-8"))
    assert from_yaml.scenario == expected
    json_text = expected.model_dump_json()
    assert read_scenario("plan.JSON", json_text.encode("utf-8")).scenario == expected
    workbook = tmp_path / "t.xlsx"
    write_template(workbook, expected)
    assert read_scenario("kế hoạch.xlsx", workbook.read_bytes()).scenario.model_dump() == expected.model_dump()
    assert read_builtin("tutorial").scenario == expected


def test_bad_uploads_raise_located_issues_named_after_the_upload() -> None:
    with pytest.raises(ScenarioError) as caught:
        read_scenario("plan.txt", b"name: x")
    assert caught.value.issues[0].file == "plan.txt" and "expected a .xlsx" in caught.value.issues[0].message
    with pytest.raises(ScenarioError) as caught:
        read_scenario("plan.xlsx", b"not a zip file")
    assert caught.value.issues[0].file == "plan.xlsx" and "workbook" in caught.value.issues[0].message
    with pytest.raises(ScenarioError) as caught:
        read_scenario("plan.yaml", "name: x\n\xff".encode("latin-1"))
    assert "UTF-8" in caught.value.issues[0].message
    data = tiny_data()
    data["classes"][0]["program"] = "NOPE"
    with pytest.raises(ScenarioError) as caught:
        read_scenario("p.yaml", yaml.safe_dump(data, allow_unicode=True, default_flow_style=False).encode())
    paths = [i.path for i in caught.value.issues]
    assert "classes[0].program" in paths and all(i.file == "p.yaml" for i in caught.value.issues)


def test_run_solve_checks_the_result_and_reports_progress() -> None:
    seen: list[Progress] = []
    outcome = run_solve(load_scenario("tutorial"), FAST, seen.append)
    assert outcome.timetable is not None and outcome.check is not None
    assert outcome.check.ok and outcome.check.objective == outcome.result.objective
    assert seen and outcome.why == [] and outcome.moved == []


def test_run_solve_replans_from_a_baseline() -> None:
    scenario = load_scenario("tutorial")
    first = run_solve(scenario, FAST)
    assert first.timetable is not None
    hit = max((s for s in first.timetable.sessions if s.lecturer_id), key=lambda s: s.date)
    away = {"lecturer_away": {"lecturer": hit.lecturer_id, "start": hit.date, "end": hit.date}}
    changes = Changes.model_validate({"changes": [away]})
    # re-planned from the year's start: under the frozen-past rule a block not yet started may only
    # move forward, and the tutorial's last session has no later day to go to
    freeze = scenario.calendar.start
    again = run_solve(scenario, FAST, baseline=first.timetable, changes=changes, freeze_before=freeze)
    assert again.timetable is not None and again.check is not None and again.check.ok
    assert not [s for s in again.timetable.sessions if s.lecturer_id == hit.lecturer_id and s.date == hit.date]
    name = next(lec.name for lec in scenario.lecturers if lec.id == hit.lecturer_id)
    assert any(name in c.reason for c in again.moved if c.class_id == hit.class_id)  # reasons name people
    assert again.scenario.lecturers != scenario.lecturers  # the outcome's scenario has the change applied


def test_run_solve_says_why_when_infeasible() -> None:
    data = tiny_data()
    data["rooms"][0]["unavailable"] = [{"start": dt.date(2020, 3, 1), "end": dt.date(2020, 3, 31)}]
    outcome = run_solve(Scenario.model_validate(data), FAST)
    assert outcome.result.status == "INFEASIBLE" and outcome.timetable is None and outcome.check is None
    assert any("HALL" in line for line in outcome.why), outcome.why
    assert scenario_to_data(outcome.scenario) == scenario_to_data(Scenario.model_validate(data))


def test_time_limit_is_the_whole_budget_explanation_included(monkeypatch: pytest.MonkeyPatch) -> None:
    """The explanation of an infeasible solve gets what is left of the time limit, at least the floor."""
    assert explanation_budget(60.0, 10.0) == 50.0
    assert explanation_budget(60.0, 59.0) == explanation_budget(60.0, 75.0) == EXPLANATION_FLOOR_S
    data = tiny_data()
    data["rooms"][0]["unavailable"] = [{"start": dt.date(2020, 3, 1), "end": dt.date(2020, 3, 31)}]
    scenario = Scenario.model_validate(data)
    budgets: list[float] = []

    def explain(scenario: Scenario, time_limit: float, workers: int) -> Infeasibility:
        budgets.append(time_limit)
        return Infeasibility("unknown")

    monkeypatch.setattr(pipeline, "explain_infeasibility", explain)
    started = time.perf_counter()
    assert run_solve(scenario, SolveParams(time_limit=30, workers=1, seed=0)).result.status == "INFEASIBLE"
    elapsed = time.perf_counter() - started
    assert 30 - elapsed <= budgets[-1] <= 30  # the rest of the 30 s (was 15 s on top of them)
    slow_solve = pipeline.solve

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(3.0)
        return slow_solve(*args, **kwargs)

    monkeypatch.setattr(pipeline, "solve", slow)
    run_solve(scenario, SolveParams(time_limit=3, workers=1, seed=0))
    assert budgets[-1] == EXPLANATION_FLOOR_S  # a proof at the very end: the floor (was 10 s)


def _count_calls(monkeypatch: pytest.MonkeyPatch, module_name: str) -> list[int]:
    """Count the runs of the function named like its module (`check.check`, `validate.validate`),
    wherever a module of the package holds it (the package's own `check` is the function)."""
    function = module_name.rpartition(".")[2]
    original, calls = getattr(importlib.import_module(module_name), function), []

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    for name, module in list(sys.modules.items()):
        if name.partition(".")[0] == "llct_sched" and getattr(module, function, None) is original:
            monkeypatch.setattr(module, function, counted)
    return calls


def test_the_cli_solves_through_the_pipeline_and_checks_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`llct-sched solve` is `run_solve`: one check per solve (the reports take its report) and
    summary.json is the Outcome's summary."""
    scenario = load_scenario("tutorial")
    solved = solve(scenario, FAST)
    assert solved.timetable is not None
    monkeypatch.setattr(pipeline, "solve", lambda *args, **kwargs: copy.deepcopy(solved))  # the same result twice
    calls = _count_calls(monkeypatch, "llct_sched.check")
    out = tmp_path / "out"
    args = ["--lang", "en", "solve", "tutorial", "--out", str(out), "--workers", "1", "--time-limit", "10"]
    ran = CliRunner().invoke(app, args)
    assert ran.exit_code == 0, ran.output
    assert len(calls) == 1, "the CLI's solve checks its timetable once"
    assert (out / "report.html").exists() and (out / "timetable.xlsx").exists()
    calls.clear()
    with i18n.speaking("en"):
        outcome = run_solve(scenario, FAST)
    assert len(calls) == 1
    written = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert written == json.loads(json.dumps(outcome.summary(), ensure_ascii=False, default=str))
    assert outcome.check is not None
    assert written["check"] == {"ok": True, "violations": 0, "objective": outcome.check.objective}


def test_the_cli_replans_through_the_pipeline_validating_and_checking_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`llct-sched replan`: the scenario and the changed scenario validated once each, the re-plan
    checked once (its past against the baseline), summary.json the Outcome's."""
    scenario = load_scenario("tutorial")
    first = run_solve(scenario, FAST)
    assert first.timetable is not None
    baseline = tmp_path / "baseline.json"
    baseline.write_text(first.timetable.to_json(), encoding="utf-8")
    hit = max((s for s in first.timetable.sessions if s.lecturer_id), key=lambda s: s.date)
    changes = tmp_path / "changes.yaml"
    away = {"lecturer_away": {"lecturer": hit.lecturer_id, "start": hit.date.isoformat(), "end": hit.date.isoformat()}}
    changes.write_text(yaml.safe_dump({"changes": [away]}), encoding="utf-8")
    checks = _count_calls(monkeypatch, "llct_sched.check")
    validations = _count_calls(monkeypatch, "llct_sched.scenario.validate")
    out = tmp_path / "out"
    args = ["--lang", "en", "replan", "tutorial", "--baseline", str(baseline), "--changes", str(changes)]
    ran = CliRunner().invoke(app, [*args, "--from", "2020-01-01", "--out", str(out), "--workers", "1", "--quiet"])
    assert ran.exit_code == 0, ran.output
    assert (len(checks), len(validations)) == (1, 2)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["replan"] == {"from": "2020-01-01", "max_moves": None} and summary["check"]["ok"]
    assert "why" not in summary and (out / "changes.csv").exists()
