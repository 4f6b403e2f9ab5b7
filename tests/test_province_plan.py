"""The shared lecturers' plan of a province (`province.shared_plan`): every center's classes that a
shared lecturer may teach solved as one scenario before the centers, each center's sessions with the
shared lecturers reserved for it, so that no center depends on its place in the index."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from llct_sched.batch import TIMETABLE_KEY, Job
from llct_sched.errors import Severity
from llct_sched.province import load_province, shared_plan
from llct_sched.province_solve import solve_province
from llct_sched.scenario.validate import validate
from llct_sched.timetable import Timetable
from test_province import PARAMS, assert_resolved, write_set


def test_the_plan_holds_every_centers_shared_classes_in_their_own_rooms(tmp_path: Path) -> None:
    folder = write_set(tmp_path, 3)
    data = yaml.safe_load((folder / "centers" / "c2.yaml").read_text(encoding="utf-8"))
    data["programs"][1]["modules"].append({"id": "t2", "sessions": 2, "topic": "pol"})  # taught by the center
    (folder / "centers" / "c2.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    plan = shared_plan(load_province(folder))
    assert plan is not None
    scenario = plan.scenario
    assert [c.id for c in scenario.classes] == ["c1:TC-1", "c2:TC-1", "c3:TC-1"]  # not the bồi dưỡng classes
    assert dict(plan.center_of) == {"c1:TC-1": "c1", "c2:TC-1": "c2", "c3:TC-1": "c3"}
    assert [c.allowed_rooms for c in scenario.classes] == [[f"c{k}:HALL", f"c{k}:R1"] for k in (1, 2, 3)]
    # c2's module no shared lecturer teaches goes to a stand-in of the class, not to c2's own lecturer
    lecturers = [(lec.id, lec.topics) for lec in scenario.lecturers]
    assert lecturers == [("TINH1", ["tc_pol"]), ("c2:TC-1:stand_in", ["pol"])]
    assert scenario.observation.visits_per_lecturer == 0
    assert not [i for i in validate(scenario) if i.severity == Severity.error]


def test_each_centers_events_and_blackouts_go_into_the_plans_calendar(tmp_path: Path) -> None:
    """Centers of one province differ in their own events (a district's congress): the plan keeps
    each center's, renamed, and its classes' references with them; every blackout closes the plan."""
    folder = write_set(tmp_path, 2)
    data = yaml.safe_load((folder / "centers" / "c2.yaml").read_text(encoding="utf-8"))
    data["calendar"]["events"].append({"id": "dai_hoi", "start": "2020-03-02"})
    data["calendar"]["blackouts"] = [{"id": "covid", "start": "2020-03-09", "end": "2020-03-13"}]
    data["classes"][1]["not_before_event"] = "dai_hoi"
    (folder / "centers" / "c2.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    plan = shared_plan(load_province(folder))
    assert plan is not None
    calendar = plan.scenario.calendar
    assert [e.id for e in calendar.events] == ["c1:busy", "c2:busy", "c2:dai_hoi"]
    assert [(b.id, b.start) for b in calendar.blackouts] == [("c2:covid", dt.date(2020, 3, 9))]
    assert [c.not_before_event for c in plan.scenario.classes] == [None, "c2:dai_hoi"]
    assert not [i for i in validate(plan.scenario) if i.severity == Severity.error]


def test_centers_with_their_own_dates_weekdays_and_holidays_share_one_plan(tmp_path: Path) -> None:
    """c2 runs a week longer and works Saturdays, c3 is closed on 2-3 March (its own holiday): the
    plan is open whenever some center works, and each center's other days close its rooms there.
    c3's trung cấp class then has only 4 March, and the plan keeps that day for it."""
    folder = write_set(tmp_path, 3)
    for name, change in (
        ("c2", {"end": "2020-03-20", "working_weekdays": ["mon", "tue", "wed", "thu", "fri", "sat"]}),
        ("c3", {"holidays": [{"start": "2020-03-02", "end": "2020-03-03", "name": "nghỉ bù"}]}),
    ):
        data = yaml.safe_load((folder / "centers" / f"{name}.yaml").read_text(encoding="utf-8"))
        data["calendar"].update(change)
        (folder / "centers" / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    province = load_province(folder)
    plan = shared_plan(province)
    assert plan is not None
    calendar = plan.scenario.calendar
    assert (calendar.start, calendar.end, calendar.holidays) == (dt.date(2020, 3, 2), dt.date(2020, 3, 20), [])
    assert [w.value for w in calendar.working_weekdays] == ["mon", "tue", "wed", "thu", "fri", "sat"]
    closed = {room.id: [(r.start, r.last) for r in room.unavailable] for room in plan.scenario.rooms}
    march = [dt.date(2020, 3, d) for d in range(1, 21)]
    assert closed["c1:HALL"] == [(march[6], march[6]), (march[13], march[19])]  # Saturdays, after 13 March
    assert closed["c2:HALL"] == []
    assert closed["c3:R1"] == [(march[1], march[2]), (march[6], march[6]), (march[13], march[19])]
    result = solve_province(province, PARAMS, in_process=True, parallel=1)
    assert_resolved(province, result)
    assert result.summary()["shared_plan"]["status"] in ("OPTIMAL", "FEASIBLE")
    days = {
        c.center: {s.date for s in c.timetable.sessions if s.lecturer_id == "TINH1"}
        for c in result.centers
        if c.timetable
    }
    assert days["c3"] == {march[3]}
    assert days["c1"] | days["c2"] == {march[1], march[2]}


def test_no_plan_without_one_set_of_periods_or_shared_classes(tmp_path: Path) -> None:
    folder = write_set(tmp_path / "a", 2)
    data = yaml.safe_load((folder / "centers" / "c2.yaml").read_text(encoding="utf-8"))
    data["calendar"]["periods"] = ["morning", "afternoon", "evening"]  # sessions reserved by period: not one plan
    (folder / "centers" / "c2.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    assert shared_plan(load_province(folder)) is None
    alone = write_set(tmp_path / "b", 1)
    assert shared_plan(load_province(alone)) is None  # one center: nothing to share


def test_with_the_plan_a_center_late_in_the_index_keeps_its_only_day(tmp_path: Path) -> None:
    """c3's trung cấp class can only be on 2 March, the day every center prefers. First come, c1 took
    it and c3 had to choose first and displace c1 (test_province). Planned together, 2 March is
    reserved for c3: every center is solved once, in the index's order, and none is displaced."""
    folder = write_set(tmp_path, 3)
    data = yaml.safe_load((folder / "centers" / "c3.yaml").read_text(encoding="utf-8"))
    data["classes"][1]["latest_end"] = "2020-03-02"
    (folder / "centers" / "c3.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    province = load_province(folder)
    events: list[tuple[str, str, int]] = []
    result = solve_province(
        province, PARAMS, in_process=True, parallel=1, on_event=lambda e: events.append((e.kind, e.center, e.attempt))
    )
    assert_resolved(province, result)
    plan = result.summary()["shared_plan"]
    assert (plan["classes"], plan["reserved_sessions"]) == (3, 6)  # a day (two sessions) for each center
    assert events == [
        ("plan", "tinh_thu_shared_plan", 3),
        ("accepted", "c1", 1),
        ("accepted", "c2", 1),
        ("accepted", "c3", 1),
    ]
    days = {
        c.center: {s.date for s in c.timetable.sessions if s.lecturer_id == "TINH1"}
        for c in result.centers
        if c.timetable
    }
    assert days["c3"] == {dt.date(2020, 3, 2)}
    assert days["c1"] | days["c2"] == {dt.date(2020, 3, 3), dt.date(2020, 3, 4)}


def test_a_center_without_a_timetable_starts_again_from_its_classes_in_the_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A center's first solve starts from its own greedy calendar (no hint: hinted with the plan, a
    center stays near the plan's placement, which knows nothing of its own lecturers and rooms); a
    center solved again after a solve that found no timetable starts from its own shared classes as
    the plan placed them (by the center's own ids and rooms), the plan's workable times."""
    import llct_sched.province_solve as province_solve

    hints: list[tuple[str, Timetable | None]] = []
    solve_one = province_solve.run_job

    def first_solves_out_of_time(job: Job, hint: dict[str, Any] | None = None) -> dict[str, Any]:
        text = (hint or {}).get(TIMETABLE_KEY)
        hints.append((job.variant, Timetable.from_json(text) if text else None))
        if sum(1 for variant, _ in hints if variant == job.variant) == 1 and job.variant != "tinh_thu_shared_plan":
            return {"variant": job.variant, "status": "UNKNOWN", TIMETABLE_KEY: None, "wall_time_s": 5.0}
        return solve_one(job, hint)

    monkeypatch.setattr(province_solve, "run_job", first_solves_out_of_time)
    province = load_province(write_set(tmp_path, 3))
    result = solve_province(province, PARAMS, in_process=True, parallel=1)
    assert_resolved(province, result)
    assert [variant for variant, _ in hints] == ["tinh_thu_shared_plan", "c1", "c1", "c2", "c2", "c3", "c3"]
    assert hints[0][1] is None  # the plan starts from nothing
    plan_days = set()
    for center in ("c1", "c2", "c3"):
        first, again = (hint for variant, hint in hints if variant == center)
        assert first is None
        assert again is not None and {s.class_id for s in again.sessions} == {"TC-1"}
        assert {s.room_id for s in again.sessions} <= {"HALL", "R1"} and set(again.class_learners) == {"TC-1"}
        assert {s.lecturer_id for s in again.sessions} == {"TINH1"}
        plan_days |= {s.date for s in again.sessions}
    assert plan_days == {dt.date(2020, 3, 2), dt.date(2020, 3, 3), dt.date(2020, 3, 4)}  # a day for each


def test_a_center_solved_again_keeps_its_last_sessions_from_the_centers_beside_it(tmp_path: Path) -> None:
    """While c2 is solved again (from its last timetable), a center started beside it finds c2's last
    sessions with the shared lecturer taken: on the 10-center study a center solved again otherwise
    lost to whichever center ran beside it, up to seven times in a row."""
    from llct_sched.province_solve import _State
    from llct_sched.timetable import ScheduledSession

    province = load_province(write_set(tmp_path, 3))
    last = Timetable(
        scenario="c2",
        periods=["morning", "afternoon"],
        class_learners={"TC-1": 50},
        sessions=[
            ScheduledSession(
                class_id="TC-1", module_id="t1", date=dt.date(2020, 3, 3), period=p, room_id="HALL", lecturer_id="TINH1"
            )
            for p in ("morning", "afternoon")
        ],
    )
    state = _State(waiting=["c3"], rows={"c2": {TIMETABLE_KEY: last.to_json()}}, flying={"c2": {}})
    march_3 = {(dt.date(2020, 3, 3), "morning"), (dt.date(2020, 3, 3), "afternoon")}
    assert state.taken(province, "c3") == {"TINH1": march_3}
    assert state.taken(province, "c2") == {}  # its own last sessions are its own
    del state.flying["c2"]  # once c2 is done, only what is accepted counts
    assert state.taken(province, "c3") == {}


def test_a_center_out_of_time_is_solved_again_with_twice_the_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A solve that ends without a timetable and without a proof (UNKNOWN: out of time) does not make
    the center choose first and displace the others: it is solved again with twice the time. The
    plan, run alone, gets twice the time and every slot's workers."""
    import llct_sched.province_solve as province_solve

    limits: list[tuple[str, float, int]] = []
    solve_one = province_solve.run_job

    def slow_c2_once(job: Job, hint: dict[str, Any] | None = None) -> dict[str, Any]:
        limits.append((job.variant, job.params.time_limit, job.params.workers))
        if job.variant == "c2" and sum(1 for v, _, _ in limits if v == "c2") == 1:
            return {"variant": "c2", "status": "UNKNOWN", TIMETABLE_KEY: None, "wall_time_s": 5.0}
        return solve_one(job, hint)

    monkeypatch.setattr(province_solve, "run_job", slow_c2_once)
    province = load_province(write_set(tmp_path, 3))
    events: list[tuple[str, str]] = []
    result = solve_province(
        province, PARAMS, in_process=True, parallel=2, on_event=lambda e: events.append((e.kind, e.center))
    )
    assert_resolved(province, result)
    limit = PARAMS.time_limit
    assert limits[0] == ("tinh_thu_shared_plan", 2 * limit, 2 * PARAMS.workers)
    assert [(v, t) for v, t, _ in limits if v == "c2"] == [("c2", limit), ("c2", 2 * limit)]
    assert ("longer", "c2") in events and not {"first", "displaced", "failed"} & {kind for kind, _ in events}
