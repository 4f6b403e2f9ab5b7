"""Batch runs and comparisons: local process pool, Dask LocalCluster, the `compare` command.

Everything runs on the small built-in `tutorial` scenario, which solves to OPTIMAL well within a
second; with one CP-SAT worker and a fixed seed the solver is deterministic.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from llct_sched.batch import (
    BASE_LABEL,
    COLUMNS,
    Job,
    add_moves,
    comparison_jobs,
    pool_size,
    run_jobs,
    timetable_metrics,
    write_comparison,
)
from llct_sched.batch import compare as run_compare
from llct_sched.check import GOALS, check
from llct_sched.cli import app
from llct_sched.scenario import Period, Scenario
from llct_sched.scenario.loading import load_scenario
from llct_sched.scenario.variants import Patch, apply_patches
from llct_sched.solve import SolveParams
from llct_sched.timetable import ScheduledSession, Timetable

SEEDS = [0, 1]
TIME_LIMIT = 20.0
KEY = ("variant", "seed")


@pytest.fixture(scope="module")
def tutorial() -> Scenario:
    return load_scenario("tutorial")


@pytest.fixture(scope="module")
def variants(tutorial: Scenario) -> list[tuple[str, Scenario]]:
    def patched(*patches: dict[str, Any]) -> Scenario:
        return apply_patches(tutorial, [Patch.model_validate(p) for p in patches])

    return [
        ("unchanged", patched()),
        ("no_spread", patched({"weights": {"month_spread": 0}})),
        ("bigger", patched({"scale_learners": {"factor": 1.1, "program_type": "boi_duong"}})),
    ]


@pytest.fixture(scope="module")
def pool_rows(tutorial: Scenario, variants: list[tuple[str, Scenario]]) -> list[dict[str, Any]]:
    return run_compare(tutorial, variants, seeds=SEEDS, time_limit=TIME_LIMIT, workers=1)


def by_key(rows: list[dict[str, Any]]) -> dict[tuple[str, int], dict[str, Any]]:
    return {(row["variant"], row["seed"]): row for row in rows}


def test_rows_have_the_documented_columns(pool_rows: list[dict[str, Any]]) -> None:
    assert [(r["variant"], r["seed"]) for r in pool_rows] == [
        (name, seed) for name in (BASE_LABEL, "unchanged", "no_spread", "bigger") for seed in SEEDS
    ]
    for row in pool_rows:
        assert list(row)[: len(COLUMNS)] == COLUMNS
        assert row["status"] == "OPTIMAL" and row["check_ok"] is True and row["violations"] == 0
        assert row["solution"] == "proven optimal"
        assert row["objective"] == sum(row[f"goal_{goal}"] for goal in GOALS)
        assert row["gap"] == 0.0 and row["bound"] == row["objective"]
        assert row["wall_time_s"] > 0 and row["first_feasible_s"] is not None
        assert row["classes_scheduled"] == 5 and row["observation_coverage"] == 1.0
        assert 0 < row["own_room_occupancy"] < 1 and row["borrowed_room_sessions"] == 0


def test_unchanged_variant_row_equals_the_base_row(pool_rows: list[dict[str, Any]]) -> None:
    rows = by_key(pool_rows)
    ignore = {"variant", "wall_time_s", "first_feasible_s", "timetable_json", "message"}
    for seed in SEEDS:
        base, same = rows[(BASE_LABEL, seed)], rows[("unchanged", seed)]
        assert same["classes_moved"] == 0 and base["classes_moved"] == 0
        assert same["message"].startswith("the timetable given as a hint is kept")  # the base's, from its hint
        assert {k: v for k, v in same.items() if k not in ignore} == {k: v for k, v in base.items() if k not in ignore}


def test_variants_change_what_they_say(pool_rows: list[dict[str, Any]], tutorial: Scenario) -> None:
    rows = by_key(pool_rows)
    base = rows[(BASE_LABEL, 0)]
    assert base["learners_served"] == 100 + 45 + 120 + 90
    assert rows[("bigger", 0)]["learners_served"] == 100 + 50 + 132 + 99
    assert rows[("no_spread", 0)]["goal_month_spread"] == 0
    assert rows[("no_spread", 0)]["objective"] == base["objective"] - base["goal_month_spread"]


def test_dask_local_cluster_gives_the_same_rows(
    tutorial: Scenario, variants: list[tuple[str, Scenario]], pool_rows: list[dict[str, Any]]
) -> None:
    from dask.distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, silence_logs=logging.ERROR, dashboard_address=None
    ) as cluster:
        dask_rows = run_compare(
            tutorial, variants, seeds=SEEDS, time_limit=TIME_LIMIT, workers=1, scheduler=cluster.scheduler_address
        )
    assert [(r["variant"], r["seed"]) for r in dask_rows] == [(r["variant"], r["seed"]) for r in pool_rows]
    same = ["status", "objective", "bound", "learners_served", "check_ok", *(f"goal_{g}" for g in GOALS)]
    for local, remote in zip(pool_rows, dask_rows, strict=True):
        assert {k: remote[k] for k in same} == {k: local[k] for k in same}
        assert remote["classes_moved"] is not None


def test_jobs_and_pool_size(tutorial: Scenario) -> None:
    jobs = comparison_jobs(tutorial, [("v", tutorial)], seeds=3, params=SolveParams(time_limit=5, workers=1))
    assert [(j.variant, j.seed) for j in jobs] == [(n, s) for n in ("base", "v") for s in range(3)]
    assert all(j.params.time_limit == 5 for j in jobs)
    with pytest.raises(ValueError, match="unique"):
        comparison_jobs(tutorial, [("base", tutorial)])
    assert pool_size(100, 1) >= 1 and pool_size(1, 1) == 1 and pool_size(100, 0) == 1
    assert run_jobs([]) == []


def test_run_jobs_reports_infeasible_jobs(tutorial: Scenario) -> None:
    # the hall, the only room for 120 learners, closed all month: no start for qt_phuong_a
    closed = apply_patches(
        tutorial,
        [
            Patch.model_validate(
                {
                    "change": {
                        "what": "rooms",
                        "id": "hoi_truong",
                        "set": {"unavailable": [{"start": "2020-09-01", "end": "2020-09-30"}]},
                    }
                }
            )
        ],
    )
    rows = run_jobs([Job("closed", closed, SolveParams(time_limit=5, workers=1))], max_parallel=1)
    assert rows[0]["status"] == "INFEASIBLE" and rows[0]["objective"] is None and rows[0]["message"]
    assert rows[0]["check_ok"] is None and rows[0]["timetable_json"] is None


def _timetable(starts: dict[str, dt.date]) -> str:
    sessions = [
        ScheduledSession(class_id=cid, module_id="m", date=day, period=Period.morning, room_id="r")
        for cid, day in starts.items()
    ]
    return Timetable(scenario="t", class_learners=dict.fromkeys(starts, 10), sessions=sessions).to_json()


def test_moves_count_classes_whose_start_changed() -> None:
    d1, d2 = dt.date(2020, 9, 1), dt.date(2020, 9, 8)
    rows: list[dict[str, Any]] = [
        {"variant": "base", "seed": 0, "timetable_json": _timetable({"a": d1, "b": d1, "c": d1})},
        {"variant": "v", "seed": 0, "timetable_json": _timetable({"a": d1, "b": d2, "new": d2})},
        {"variant": "v", "seed": 1, "timetable_json": _timetable({"a": d2})},  # no base row for seed 1
        {"variant": "w", "seed": 0, "timetable_json": None},  # infeasible
    ]
    add_moves(rows)
    assert [r["classes_moved"] for r in rows] == [0, 1, None, None]


def test_metrics_of_a_checked_timetable(pool_rows: list[dict[str, Any]], tutorial: Scenario) -> None:
    table = Timetable.from_json(by_key(pool_rows)[(BASE_LABEL, 0)]["timetable_json"])
    assert check(tutorial, table).ok
    metrics = timetable_metrics(tutorial, table)
    assert metrics["max_lecturer_sessions"] == max(
        sum(1 for s in table.sessions if s.lecturer_id == lec.id) for lec in tutorial.lecturers
    )
    assert metrics["room_sessions_mean"] == len(table.sessions) / len(tutorial.rooms)


def test_write_comparison(pool_rows: list[dict[str, Any]], tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    written = write_comparison(pool_rows, out, chart=False)
    frame = pd.read_csv(out / "comparison.csv")
    assert list(frame.columns) == COLUMNS and len(frame) == len(pool_rows)
    assert list(pd.read_excel(out / "comparison.xlsx").columns) == COLUMNS
    page = (out / "comparison.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<th>classes_moved</th>" in page
    assert (out / "timetables" / "base-seed0.json").exists() and all(p.exists() for p in written)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging left


def test_cli_compare_writes_the_comparison(tmp_path: Path) -> None:
    variant = tmp_path / "fewer_learners.yaml"
    variant.write_text(
        "base: tutorial\npatches:\n  - scale_learners: {factor: 0.9, classes: [qt_co_quan]}\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    args = ["compare", "tutorial", str(variant), "--out", str(out), "--seeds", "1", "--time-limit", "10"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out / "comparison.csv")
    assert list(frame.columns) == COLUMNS
    assert list(zip(frame["variant"], frame["seed"], strict=True)) == [("base", 0), ("fewer_learners", 0)]
    assert list(frame["status"]) == ["OPTIMAL", "OPTIMAL"] and list(frame["check_ok"]) == [True, True]
    assert frame["learners_served"].iloc[0] - frame["learners_served"].iloc[1] == 9
    assert (out / "comparison.xlsx").exists() and (out / "comparison.html").exists()
    page = (out / "comparison.html").read_text(encoding="utf-8")
    assert '<script src="plotly.min.js">' in page and len(page) < 200_000  # plotly.js beside the page
    assert (out / "plotly.min.js").stat().st_size > 1_000_000
    assert list(frame["solution"]) == ["proven optimal", "proven optimal"]
    assert "đã chứng minh tối ưu" in result.output  # the command line in Vietnamese, the CSV in English


def test_cli_compare_bad_input_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("base: tutorial\npatches:\n  - change: {what: classes, id: X, set: {learners: 3}}\n")
    worse = tmp_path / "worse.yaml"
    worse.write_text("base: tutorial\nextra: 1\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["--lang", "en", "compare", "tutorial", str(bad), str(worse), "--out", str(out)])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert f"{bad}: patches[0].change.id: no class 'X' in the base scenario" in text
    assert f"{worse}: extra: unknown key 'extra'" in text
    assert "Traceback" not in result.output and not out.exists()
