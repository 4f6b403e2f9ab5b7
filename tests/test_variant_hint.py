"""Variants compared fairly: a variant starts from its base's timetable (`solve(..., hint=)`).

A variant that only relaxes its base (the plan without the spring 2020 measures) can never report a
worse plan than the base's, whatever the time limit; a variant that breaks the base's timetable
still gets a checked one; the comparison says which rows are not proven optimal, with their gap.
The checker is the oracle throughout: no assertion depends on how fast the machine is.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from llct_sched.batch import BASE_LABEL, Job, comparison_jobs, run_jobs
from llct_sched.batch import compare as run_compare
from llct_sched.check import check
from llct_sched.cli import app
from llct_sched.scenario import Scenario
from llct_sched.scenario.loading import load_scenario, load_variant
from llct_sched.scenario.variants import Patch, apply_patches
from llct_sched.solve import Result, SolveParams, solve
from llct_sched.timetable import Timetable

VARIANTS = Path(__file__).parent.parent / "examples" / "variants"
# At 3 s on one worker both plans of seed 3 are the greedy construction's: the base's 160, the
# relaxed variant's own 198 (it places the classes differently): without the base's timetable the
# variant reported the worse plan. A short limit is the point: the guarantee must not need time.
SEED = 3
SHORT = 3.0


@pytest.fixture(scope="module")
def hoang_mai() -> Scenario:
    return load_scenario("hoang_mai_2020")


@pytest.fixture(scope="module")
def without_covid() -> Scenario:
    return load_variant(VARIANTS / "plan_without_covid.yaml").scenario


@pytest.fixture(scope="module")
def base_result(hoang_mai: Scenario) -> Result:
    result = solve(hoang_mai, SolveParams(time_limit=SHORT, workers=1, seed=SEED))
    assert result.timetable is not None
    return result


def checked(scenario: Scenario, timetable: Timetable | None) -> int:
    assert timetable is not None
    report = check(scenario, timetable)
    assert report.ok, report.summary()
    return report.objective


def test_a_relaxing_variant_is_never_worse_than_its_base(
    hoang_mai: Scenario, without_covid: Scenario, base_result: Result
) -> None:
    base = checked(hoang_mai, base_result.timetable)
    assert checked(without_covid, base_result.timetable) == base  # still valid there, at the same cost
    result = solve(without_covid, SolveParams(time_limit=SHORT, workers=1, seed=SEED), hint=base_result.timetable)
    assert result.objective is not None and result.objective <= base
    assert checked(without_covid, result.timetable) == result.objective
    if result.from_hint:  # nothing better found: the base's own timetable, and the row says so
        assert result.timetable is not None and base_result.timetable is not None
        assert result.timetable.sessions == base_result.timetable.sessions
        assert result.timetable.scenario == without_covid.name
        assert "hint is kept" in result.messages[0]


def test_the_comparison_never_ranks_a_relaxing_variant_below_its_base(
    hoang_mai: Scenario, without_covid: Scenario
) -> None:
    rows = run_compare(hoang_mai, [("plan_without_covid", without_covid)], seeds=[SEED], time_limit=SHORT, workers=1)
    base, variant = rows
    assert (base["variant"], variant["variant"]) == (BASE_LABEL, "plan_without_covid")
    assert base["check_ok"] is True and variant["check_ok"] is True
    assert variant["objective"] <= base["objective"]
    if variant["objective"] == base["objective"]:  # the base's plan kept: nothing moved
        assert variant["classes_moved"] == 0


def test_a_variant_that_breaks_the_base_timetable_gets_a_repaired_one(hoang_mai: Scenario) -> None:
    # a third trung cấp class: the base's timetable lacks it (and the cohort's learners change)
    third = load_variant(VARIANTS / "third_tc_class.yaml").scenario
    base = solve(hoang_mai, SolveParams(time_limit=SHORT, workers=1, seed=0))
    assert base.timetable is not None and not check(third, base.timetable).ok
    result = solve(third, SolveParams(time_limit=SHORT, workers=1, seed=0), hint=base.timetable)
    assert result.status in ("OPTIMAL", "FEASIBLE") and not result.from_hint
    assert checked(third, result.timetable) == result.objective


def test_a_closed_room_is_repaired_on_the_tutorial() -> None:
    tutorial = load_scenario("tutorial")
    base = solve(tutorial, SolveParams(time_limit=10, workers=1))
    assert base.timetable is not None
    first = min(base.timetable.sessions, key=lambda s: (s.date, s.room_id))
    closed = apply_patches(
        tutorial,
        [
            Patch.model_validate(
                {
                    "change": {
                        "what": "rooms",
                        "id": first.room_id,
                        "set": {"unavailable": [{"start": first.date, "end": first.date + dt.timedelta(days=6)}]},
                    }
                }
            )
        ],
    )
    assert any(v.rule == "rooms" for v in check(closed, base.timetable).violations)
    result = solve(closed, SolveParams(time_limit=10, workers=1), hint=base.timetable)
    assert result.status == "OPTIMAL" and not result.from_hint
    assert checked(closed, result.timetable) == result.objective
    alone = solve(closed, SolveParams(time_limit=10, workers=1))
    assert alone.objective == result.objective  # the repair reaches the same proven optimum


def test_variant_jobs_start_from_the_base_of_their_seed(hoang_mai: Scenario) -> None:
    jobs = comparison_jobs(hoang_mai, [("a", hoang_mai), ("b", hoang_mai)], seeds=[4, 7])
    assert [(j.variant, j.seed, j.hint_from) for j in jobs] == [
        ("base", 4, None),
        ("base", 7, None),
        ("a", 4, 0),
        ("a", 7, 1),
        ("b", 4, 0),
        ("b", 7, 1),
    ]
    alone = comparison_jobs(hoang_mai, [("a", hoang_mai)], seeds=1, from_base=False)
    assert [j.hint_from for j in alone] == [None, None]
    with pytest.raises(ValueError, match="earlier job"):
        run_jobs([Job("x", hoang_mai, SolveParams(), hint_from=0)])


def test_a_hint_and_a_baseline_together_are_refused(hoang_mai: Scenario, base_result: Result) -> None:
    with pytest.raises(ValueError, match="not both"):
        solve(hoang_mai, hint=base_result.timetable, baseline=base_result.timetable)


def test_compare_shows_status_and_gap_of_rows_not_proven(tmp_path: Path) -> None:
    out = tmp_path / "out"
    variant = str(VARIANTS / "plan_without_covid.yaml")
    args = ["--lang", "en", "compare", "hoang_mai_2020", variant, "--out", str(out), "--seeds", "1"]
    result = CliRunner().invoke(app, [*args, "--time-limit", "8"])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out / "comparison.csv")
    rows = frame.to_dict("records")
    assert [r["variant"] for r in rows] == ["base", "plan_without_covid"]
    assert rows[1]["objective"] <= rows[0]["objective"]
    unproven = [r for r in rows if r["status"] != "OPTIMAL"]
    for row in unproven:  # at 8 s the default is not proven: the files say so, with the gap
        assert row["solution"] in ("not proven", "greedy only")
        if not pd.isna(row["bound"]):
            assert row["gap"] == pytest.approx((row["objective"] - row["bound"]) / row["objective"], abs=1e-5)
    table = result.output.split("llct-sched compare")[-1]
    assert any(" gap " in line for line in table.splitlines() if "┃" in line)  # the table has a gap column
    for row in unproven:
        if not pd.isna(row["gap"]):
            assert f"gap {row['gap']:.1%})" in result.output  # the progress line: "(not proven, gap 12.3%)"
            assert f" {row['gap']:.1%} " in table


def test_the_hint_is_returned_over_a_timetable_the_checker_rejects() -> None:
    # the last safeguard of `solve`: whatever the search returns instead of a valid hint is checked
    from llct_sched.model.instance import build_instance
    from llct_sched.solve.search import _from_hint, _keep_the_better

    tutorial = load_scenario("tutorial")
    base = solve(tutorial, SolveParams(time_limit=10, workers=1))
    assert base.timetable is not None and base.objective is not None
    start = _from_hint(build_instance(tutorial), base.timetable)
    assert start.timetable is not None and start.objective == checked(tutorial, base.timetable)
    broken = base.timetable.model_copy(update={"sessions": base.timetable.sessions[1:]})  # a session missing
    result = Result("OPTIMAL", 0, 0, 1.0, 0.5, broken, SolveParams())
    _keep_the_better(build_instance(tutorial), result, start)
    assert result.timetable is start.timetable and result.objective == start.objective and result.from_hint
    assert result.status == "FEASIBLE" or start.objective == 0
