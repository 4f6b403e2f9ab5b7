"""Re-planning: the past stays, the rest moves as little as possible, and the change log says why."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from llct_sched.check import check
from llct_sched.cli import app
from llct_sched.errors import ScenarioError
from llct_sched.solve import SolveParams, solve
from llct_sched.solve.replan import Changes, apply_changes, replan
from llct_sched.timetable import Timetable
from tiny import tiny

PARAMS = SolveParams(time_limit=20, workers=2, seed=0)
CHANGE_GOALS = ("moves", "lecturer_changes")


@pytest.fixture(scope="module")
def baseline() -> Timetable:
    result = solve(tiny(), PARAMS)
    assert result.timetable is not None
    return result.timetable


def placement(tt: Timetable, class_id: str) -> list[tuple[dt.date, str, str]]:
    return [(s.date, s.period, s.room_id) for s in tt.sessions_of(class_id)]


def checked(done) -> Timetable:  # type: ignore[no-untyped-def]
    """The re-plan keeps every rule, and its objective is the plan's plus the cost of change."""
    assert done.result.timetable is not None, (done.result.status, done.result.messages)
    report = check(done.scenario, done.result.timetable)
    assert report.ok, report.summary()
    weights = done.scenario.weights.model_dump()
    change_cost = sum(weights[g] * done.result.breakdown.get(g, 0) for g in CHANGE_GOALS)
    assert report.objective == done.result.objective - change_cost
    return done.result.timetable


def test_no_changes_move_nothing(baseline: Timetable) -> None:
    done = replan(tiny(), baseline, Changes(changes=[]), PARAMS)
    new = checked(done)
    assert done.log == []
    assert done.result.breakdown["moves"] == 0 and done.result.breakdown["lecturer_changes"] == 0
    for c in ("BD-A", "BD-B", "SC-1"):
        assert placement(new, c) == placement(baseline, c)


def test_a_closed_room_moves_only_the_class_that_needs_it(baseline: Timetable) -> None:
    days = sorted({s.date for s in baseline.sessions_of("BD-A")})
    changes = Changes.model_validate(
        {"changes": [{"room_closed": {"room": "HALL", "start": days[0], "end": days[-1]}}]}
    )
    done = replan(tiny(), baseline, changes, PARAMS)
    new = checked(done)
    assert not {s.date for s in new.sessions_of("BD-A")} & set(days)  # the hall (the only room seating 100) is closed
    moved = {c.class_id for c in done.log if c.what == "moved"}
    assert "BD-A" in moved
    assert any(c.class_id == "BD-A" and "HALL đóng cửa" in c.reason for c in done.log)
    hall_users = {s.class_id for s in baseline.sessions if s.room_id == "HALL" and s.date in days}
    for c in {"BD-B", "SC-1"} - hall_users:
        assert placement(new, c) == placement(baseline, c)


def test_the_past_is_frozen(baseline: Timetable) -> None:
    sc_days = sorted({s.date for s in baseline.sessions_of("SC-1")})
    first_block_end, second_block = sc_days[1], sc_days[2:]
    changes = Changes.model_validate(
        {"changes": [{"blackout": {"id": "x", "start": second_block[0], "end": second_block[-1]}}]}
    )
    freeze = first_block_end + dt.timedelta(days=1)
    done = replan(tiny(), baseline, changes, PARAMS, freeze_before=freeze)
    new = checked(done)
    before = [p for p in placement(baseline, "SC-1") if p[0] < freeze]
    assert [p for p in placement(new, "SC-1") if p[0] < freeze] == before
    assert not {s.date for s in new.sessions_of("SC-1")} & set(second_block)
    kept = {(s.class_id, s.date, s.period, s.lecturer_id) for s in baseline.sessions if s.date < freeze}
    assert {(s.class_id, s.date, s.period, s.lecturer_id) for s in new.sessions if s.date < freeze} == kept


def test_max_moves_zero_makes_a_forced_move_infeasible(baseline: Timetable) -> None:
    days = sorted({s.date for s in baseline.sessions_of("BD-A")})
    changes = Changes.model_validate(
        {"changes": [{"room_closed": {"room": "HALL", "start": days[0], "end": days[-1]}}]}
    )
    done = replan(tiny(), baseline, changes, PARAMS, max_moves=0)
    assert done.result.status == "INFEASIBLE"
    assert done.result.timetable is None


def test_unknown_ids_are_located_errors() -> None:
    changes = Changes.model_validate(
        {
            "changes": [
                {"lecturer_away": {"lecturer": "NOPE", "start": "2020-03-02", "end": "2020-03-03"}},
                {"cancel_class": {"class_id": "GHOST"}},
            ]
        }
    )
    with pytest.raises(ScenarioError) as caught:
        apply_changes(tiny(), changes, "changes.yaml")
    text = str(caught.value)
    assert "changes.yaml: changes[0].lecturer_away.lecturer: no lecturer 'NOPE'" in text
    assert "changes[1].cancel_class.class_id: no class 'GHOST'" in text


def test_changes_apply_as_written() -> None:
    changes = Changes.model_validate(
        {
            "changes": [
                {"lecturer_away": {"lecturer": "FT1", "start": "2020-03-02", "end": "2020-03-06"}},
                {"learners": {"class_id": "BD-B", "learners": 30}},
                {"cancel_class": {"class_id": "SC-1"}},
            ]
        }
    )
    changed = apply_changes(tiny(), changes)
    assert changed.lecturers[0].unavailable[-1].start == dt.date(2020, 3, 2)
    assert next(c for c in changed.classes if c.id == "BD-B").learners == 30
    assert "SC-1" not in {c.id for c in changed.classes}


def test_cli_replan_writes_the_change_log(tmp_path: Path, baseline: Timetable) -> None:
    scenario_file = tmp_path / "tiny.yaml"
    from llct_sched.scenario.loading import scenario_to_yaml

    scenario_file.write_text(scenario_to_yaml(tiny()), encoding="utf-8")
    base_dir = tmp_path / "base"
    base_dir.mkdir()
    (base_dir / "timetable.json").write_text(baseline.to_json(), encoding="utf-8")
    days = sorted({s.date for s in baseline.sessions_of("BD-A")})
    changes = tmp_path / "changes.yaml"
    changes.write_text(
        yaml.safe_dump({"changes": [{"room_closed": {"room": "HALL", "start": days[0], "end": days[-1]}}]}),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = ["replan", str(scenario_file), "--baseline", str(base_dir), "--changes", str(changes)]
    run = CliRunner().invoke(app, [*args, "--out", str(out), "--time-limit", "20", "--quiet", "--lang", "en"])
    assert run.exit_code == 0, run.output
    log = (out / "changes.csv").read_text(encoding="utf-8")
    assert log.startswith("class_id,change,class,module,lecturer,before,after,reason") and "BD-A,moved" in log
    bad = tmp_path / "bad.yaml"
    bad.write_text("changes:\n  - room_closed: {room: NOPE, start: 2020-03-02, end: 2020-03-03}\n", encoding="utf-8")
    out2 = tmp_path / "out2"
    run = CliRunner().invoke(app, [*args[:-1], str(bad), "--out", str(out2), "--quiet", "--lang", "en"])
    assert run.exit_code == 2
    assert "changes[0].room_closed.room: no room 'NOPE'" in run.output
    assert not out2.exists()
