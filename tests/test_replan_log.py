"""The change log of a re-plan: every difference with a true reason, names, Vietnamese by default."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import yaml
from typer.testing import CliRunner

from llct_sched.cli import app
from llct_sched.scenario.loading import scenario_to_yaml
from llct_sched.solve import SolveParams, solve
from llct_sched.solve.replan import Changes, replan
from llct_sched.timetable import Timetable
from tiny import tiny, tiny_data

PARAMS = SolveParams(time_limit=10, workers=1, seed=0)
FREEZE = dt.date(2020, 3, 19)
AWAY = {"lecturer_away": {"lecturer": "FT1", "start": "2020-03-23", "end": "2020-03-25"}}


def named_tiny():  # type: ignore[no-untyped-def]
    data = tiny_data()
    for lec in data["lecturers"]:
        lec["name"] = f"Giảng viên {lec['id']}"
    for c in data["classes"]:
        c["name"] = f"Lớp {c['id']}"
    return tiny(lecturers=data["lecturers"], classes=data["classes"])


def baseline() -> Timetable:
    result = solve(named_tiny(), PARAMS)
    assert result.timetable is not None
    return result.timetable


def test_a_lecturer_away_is_a_lecturer_only_change_with_its_reason() -> None:
    base = baseline()
    assert {s.lecturer_id for s in base.sessions_of("BD-B") if s.module_id != "m2"} == {"FT1"}  # what we test on
    done = replan(named_tiny(), base, Changes.model_validate({"changes": [AWAY]}), PARAMS, freeze_before=FREEZE)
    assert done.result.timetable is not None
    rows = [c for c in done.log if c.class_id == "BD-B" and c.what == "lecturer"]
    # re-staffing (2 per segment) is cheaper than a move (10+): BD-B keeps its days and room; a visit
    # to FT1 in BD-B, if the baseline has one, goes with FT1 (listed as a visit change)
    assert {c.what for c in done.log if c.class_id == "BD-B"} <= {"lecturer", "visit_reassigned", "visit_moved"}
    assert {c.module for c in rows} == {"m1", "m3"}
    for row in rows:
        assert row.class_name == "Lớp BD-B" and row.before == "Giảng viên FT1"
        assert row.reason == (
            "chỉ đổi giảng viên (ngày và phòng giữ nguyên): Giảng viên FT1 vắng 23/03/2020 – 25/03/2020"
        )
    english = replan(named_tiny(), base, Changes.model_validate({"changes": [AWAY]}), PARAMS, FREEZE, lang="en")
    assert {c.reason for c in english.log if c.class_id == "BD-B" and c.what == "lecturer"} == {
        "lecturer change only (dates and room unchanged): Giảng viên FT1 away 2020-03-23 – 2020-03-25"
    }


def test_a_class_pushed_aside_is_moved_to_make_room_for_the_one_hit() -> None:
    """The hall closes on BD-A's days and BD-A (100 learners) needs it; whoever else moves, moves for BD-A."""
    base = baseline()
    days = sorted({s.date for s in base.sessions_of("BD-A")})
    closed = {"room_closed": {"room": "HALL", "start": days[0], "end": days[-1]}}
    done = replan(named_tiny(), base, Changes.model_validate({"changes": [closed]}), PARAMS, lang="en")
    rows = {(c.class_id, c.what): c for c in done.log}
    assert rows["BD-A", "moved"].reason.startswith(f"HALL closed {days[0].isoformat()}")
    assert rows["BD-A", "moved"].before == f"{days[0].isoformat()} – {days[-1].isoformat()}"
    for (cid, what), row in rows.items():
        if cid != "BD-A" and what == "moved":
            assert row.reason == "moved to make room for Lớp BD-A", row


def test_cli_prints_every_change_in_full(tmp_path: Path) -> None:
    base = baseline()
    scenario_file = tmp_path / "tiny.yaml"
    scenario_file.write_text(scenario_to_yaml(named_tiny()), encoding="utf-8")
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "timetable.json").write_text(base.to_json(), encoding="utf-8")
    days = sorted({s.date for s in base.sessions_of("BD-A")})
    changes = [AWAY, {"room_closed": {"room": "HALL", "start": days[0], "end": days[-1]}}]
    (tmp_path / "changes.yaml").write_text(yaml.safe_dump({"changes": changes}), encoding="utf-8")
    args = ["replan", str(scenario_file), "--baseline", str(tmp_path / "base"), "--changes"]
    args += [str(tmp_path / "changes.yaml"), "--out", str(tmp_path / "out"), "--time-limit", "10", "--workers", "1"]
    run = CliRunner().invoke(app, [*args, "--quiet"])
    assert run.exit_code == 0, run.output
    with open(tmp_path / "out" / "changes.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows and {r["change"] for r in rows} >= {"moved", "lecturer"}
    shown = " ".join(run.output.split())
    assert "Những thay đổi" in shown
    for row in rows:  # every value whole (lines wrap between words only), in Vietnamese
        for column in ("class", "before", "after", "reason"):
            assert " ".join(row[column].split()) in shown, (column, row[column])
    assert any("/03/2020 – " in r["before"] for r in rows)


def shifted(tt: Timetable, class_id: str, days: int, room: str | None = None) -> list:  # type: ignore[type-arg]
    return [
        s.model_copy(update={"date": s.date + dt.timedelta(days=days), "room_id": room or s.room_id})
        if s.class_id == class_id
        else s
        for s in tt.sessions
    ]


def test_a_change_nothing_forced_says_so_and_a_displaced_class_names_who_took_its_place() -> None:
    from llct_sched.solve.replan_log import change_log

    base = baseline()
    scenario = named_tiny()
    bd_a, bd_b = base.sessions_of("BD-A"), base.sessions_of("BD-B")
    gap = (bd_b[0].date - bd_a[0].date).days
    # the hall closes on BD-A's days; BD-A takes BD-B's old days and room; BD-B goes a week later;
    # SC-1 moves a week too, though nothing made it
    closed = {"room_closed": {"room": "HALL", "start": bd_a[0].date, "end": bd_a[-1].date}}
    sessions = shifted(base.model_copy(update={"sessions": shifted(base, "BD-B", 7)}), "BD-A", gap, bd_b[0].room_id)
    sessions = shifted(base.model_copy(update={"sessions": sessions}), "SC-1", 7)
    new = base.model_copy(update={"sessions": sessions})
    changes = Changes.model_validate({"changes": [closed]})
    rows = {(c.class_id, c.what): c for c in change_log(changes, base, new, scenario, scenario, "en")}
    assert rows["BD-A", "moved"].reason.startswith("HALL closed")
    assert rows["BD-A", "moved"].after == f"{bd_b[0].date.isoformat()} – {bd_b[-1].date.isoformat()}"
    assert rows["BD-B", "moved"].reason == "moved to make room for Lớp BD-A"
    assert rows["SC-1", "moved"].reason == "not forced by any change: adjusted to improve the plan's goals"
    unforced = {(c.class_id, c.what): c for c in change_log(Changes(), base, new, scenario, scenario, "en")}
    assert {c.reason for c in unforced.values() if c.what == "moved"} == {
        "not forced by any change: adjusted to improve the plan's goals"
    }


def test_an_absence_is_the_reason_only_for_the_modules_it_overlaps() -> None:
    from llct_sched.solve.replan_log import change_log

    base = baseline()
    scenario = named_tiny()
    m1 = [s for s in base.sessions_of("BD-B") if s.module_id == "m1"]
    assert {s.lecturer_id for s in m1} == {"FT1"} and len({s.date for s in m1}) == 1
    away = {"lecturer_away": {"lecturer": "FT1", "start": m1[0].date, "end": m1[0].date}}  # m1's day only
    sessions = [
        s.model_copy(update={"lecturer_id": "FT2"}) if s.class_id == "BD-B" and s.lecturer_id == "FT1" else s
        for s in base.sessions
    ]
    new = base.model_copy(update={"sessions": sessions})
    log = change_log(Changes.model_validate({"changes": [away]}), base, new, scenario, scenario, "en")
    reasons = {c.module: c.reason for c in log if c.class_id == "BD-B" and c.what == "lecturer"}
    assert set(reasons) == {"m1", "m3"}
    assert "Giảng viên FT1 away" in reasons["m1"]
    assert "away" not in reasons["m3"] and reasons["m3"].startswith("lecturer change only (dates and room unchanged)")
