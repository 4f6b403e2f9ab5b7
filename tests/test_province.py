"""A province as a set of centers with shared provincial lecturers (llct_sched.province,
llct_sched.province_solve, `llct-sched province`): located input errors, the decomposition's
resolution of the shared lecturers' clashes, every center checked."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from llct_sched.check import check
from llct_sched.cli import app
from llct_sched.errors import ScenarioError
from llct_sched.province import Province, load_province
from llct_sched.province_solve import ProvinceResult, solve_province
from llct_sched.scenario import Scenario
from llct_sched.solve import SolveParams
from llct_sched.timetable import Timetable, read_timetable

runner = CliRunner()
PARAMS = SolveParams(time_limit=5, workers=1)
TC_WINDOW = (dt.date(2020, 3, 2), dt.date(2020, 3, 4))  # three days: one for each center's trung cấp class


def center_data(name: str) -> dict[str, Any]:
    """A two-week center: a bồi dưỡng class taught by its own lecturer and a one-day trung cấp class
    that only the shared lecturer TINH1 can teach, on 2, 3 or 4 March. Every day from 3 March is an
    event to avoid, so alone every center wants the trung cấp class on 2 March."""
    return {
        "name": name,
        "calendar": {
            "start": "2020-03-02",
            "end": "2020-03-13",
            "events": [{"id": "busy", "start": "2020-03-03", "end": "2020-03-13", "avoid_classes": True}],
        },
        "rooms": [{"id": "HALL", "seats": 100, "kind": "hall"}, {"id": "R1", "seats": 60}],
        "lecturers": [{"id": "FT1", "kind": "full_time", "topics": ["pol"]}],
        "programs": [
            {"id": "BD", "type": "boi_duong", "modules": [{"id": "m1", "sessions": 2, "topic": "pol"}]},
            {
                "id": "TC",
                "type": "trung_cap",
                "modules": [{"id": "t1", "sessions": 2, "topic": "tc_pol"}],
                "delivery": {"blocks": 1, "sessions_per_day": 2},
            },
        ],
        "classes": [
            {"id": "BD-1", "program": "BD", "bloc": "dang", "learners": 40},
            {
                "id": "TC-1",
                "program": "TC",
                "learners": 50,
                "earliest_start": TC_WINDOW[0].isoformat(),
                "latest_end": TC_WINDOW[1].isoformat(),
            },
        ],
        "observation": {"visits_per_lecturer": 0},
    }


SHARED = {"lecturers": [{"id": "TINH1", "name": "Giảng viên trường tỉnh", "kind": "external", "topics": ["tc_pol"]}]}


def write_set(folder: Path, n: int = 3, shared: dict[str, Any] | None = None, **index: Any) -> Path:
    """A province set of `n` centers c1..cn sharing TINH1; `index` keys replace the index's."""
    (folder / "centers").mkdir(parents=True)
    for k in range(1, n + 1):
        (folder / "centers" / f"c{k}.yaml").write_text(yaml.safe_dump(center_data(f"c{k}")), encoding="utf-8")
    (folder / "shared.yaml").write_text(yaml.safe_dump(shared or SHARED, allow_unicode=True), encoding="utf-8")
    data = {
        "name": "tinh_thu",
        "shared_lecturers": "shared.yaml",
        "centers": [{"id": f"c{k}", "scenario": f"centers/c{k}.yaml"} for k in range(1, n + 1)],
    } | index
    (folder / "province.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return folder


def busy_slots(timetables: dict[str, Timetable], lecturer: str) -> dict[tuple[dt.date, str], set[str]]:
    """(date, period) -> the centers where `lecturer` teaches or observes then (computed here, apart
    from the library's own clash check)."""
    where: dict[tuple[dt.date, str], set[str]] = defaultdict(set)
    for center, timetable in timetables.items():
        for s in timetable.sessions:
            if s.lecturer_id == lecturer:
                where[s.date, s.period].add(center)
        for v in timetable.observations:
            if lecturer in (v.lecturer_id, v.observer_id):
                where[v.date, v.period].add(center)
    return where


def assert_resolved(province: Province, result: ProvinceResult) -> None:
    """Every center has a timetable the checker accepts against its own scenario (with the shared
    lecturer) and the shared lecturer is never in two centers in one session."""
    timetables = {}
    for c in result.centers:
        assert c.timetable is not None, c.row.get("message")
        report = check(province.scenario(c.center), c.timetable)
        assert report.ok, report.summary()
        timetables[c.center] = c.timetable
    where = busy_slots(timetables, "TINH1")
    assert {center for centers in where.values() for center in centers} == set(timetables)  # it teaches everywhere
    assert all(len(centers) == 1 for centers in where.values()), dict(where)
    assert result.ok and not result.clashes


# --- loading ------------------------------------------------------------------------------------


def test_a_set_loads_with_the_shared_lecturer_in_every_center(tmp_path: Path) -> None:
    province = load_province(write_set(tmp_path, 2))
    assert [c.id for c in province.centers] == ["c1", "c2"] and province.shared_ids == {"TINH1"}
    day = dt.date(2020, 3, 2)
    taken = [(day, "morning"), (day, "afternoon"), (day + dt.timedelta(1), "morning")]
    taken += [(day + dt.timedelta(1), "afternoon"), (day + dt.timedelta(3), "afternoon")]
    scenario = province.scenario("c2", {"TINH1": taken})
    shared = scenario.lecturers[-1]
    assert [lec.id for lec in scenario.lecturers] == ["FT1", "TINH1"]
    assert [(r.start, r.last, r.periods) for r in shared.unavailable] == [
        (day, day + dt.timedelta(1), None),  # two whole days
        (day + dt.timedelta(3), day + dt.timedelta(3), ["afternoon"]),  # the morning stays free
    ]
    assert load_province(tmp_path / "province.yaml").name == "tinh_thu"  # the index itself


def test_problems_are_located_in_their_files(tmp_path: Path) -> None:
    folder = write_set(tmp_path, 3)
    bad = center_data("c2")
    bad["classes"][0]["learners"] = -5
    bad["lecturers"].append({"id": "TINH1", "topics": ["pol"]})
    (folder / "centers" / "c2.yaml").write_text(yaml.safe_dump(bad), encoding="utf-8")
    index = yaml.safe_load((folder / "province.yaml").read_text(encoding="utf-8"))
    index["centers"][2]["scenario"] = "centers/missing.yaml"
    index["centers"].append({"id": "c1", "scenario": "centers/c1.yaml"})
    (folder / "province.yaml").write_text(yaml.safe_dump(index), encoding="utf-8")
    shared = {"lecturers": [{"id": "TINH1", "topics": ["tc_pol"], "max_sessions_per_year": 40, "colour": "red"}]}
    (folder / "shared.yaml").write_text(yaml.safe_dump(shared), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_province(folder)
    found = {(Path(i.file).name, i.path) for i in caught.value.issues}
    assert found == {
        ("province.yaml", "centers[3].id"),  # c1 twice
        ("province.yaml", "centers[2].scenario"),  # no such file
        ("shared.yaml", "lecturers[0].colour"),  # unknown key
        ("c2.yaml", "classes[0].learners"),  # -5
    }
    # once the files parse: a shared lecturer's yearly limit, a local lecturer with a shared id
    (folder / "shared.yaml").write_text(
        yaml.safe_dump({"lecturers": [{"id": "TINH1", "topics": ["tc_pol"], "max_sessions_per_year": 40}]}),
        encoding="utf-8",
    )
    bad["classes"][0]["learners"] = 40
    (folder / "centers" / "c2.yaml").write_text(yaml.safe_dump(bad), encoding="utf-8")
    index["centers"] = index["centers"][:2]
    (folder / "province.yaml").write_text(yaml.safe_dump(index), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_province(folder)
    assert {(Path(i.file).name, i.path) for i in caught.value.issues} == {
        ("shared.yaml", "lecturers[0].max_sessions_per_year")
    }
    (folder / "shared.yaml").write_text(yaml.safe_dump(SHARED), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_province(folder)
    assert {(Path(i.file).name, i.path) for i in caught.value.issues} == {("c2.yaml", "lecturers[1].id")}


def test_a_shared_lecturers_error_found_in_every_center_is_located_once_in_its_file(tmp_path: Path) -> None:
    shared = {"lecturers": [{"id": "TINH1", "topics": ["tc_pol"], "specialist_topics": ["law"]}]}
    with pytest.raises(ScenarioError) as caught:
        load_province(write_set(tmp_path, 3, shared=shared))
    assert [(Path(i.file).name, i.path) for i in caught.value.issues] == [
        ("shared.yaml", "lecturers[0].specialist_topics[0]")
    ]


def test_bad_input_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    folder = write_set(tmp_path / "set", 2, centers=[{"id": "c1", "scenario": "nowhere.yaml"}])
    out = tmp_path / "out"
    run = runner.invoke(app, ["--lang", "en", "province", "solve", str(folder), "-o", str(out)])
    assert run.exit_code == 2, run.output
    assert "province.yaml: centers[0].scenario: no such file: nowhere.yaml" in " ".join(run.output.split())
    assert not out.exists()


# --- solving --------------------------------------------------------------------------------------


def test_centers_solved_apart_clash_on_the_shared_lecturer(tmp_path: Path) -> None:
    """Without the resolution every center puts its trung cấp class on 2 March with TINH1: the
    clashes the resolution must remove (so that the next tests can fail)."""
    province = load_province(write_set(tmp_path, 3))
    result = solve_province(province, PARAMS, in_process=True, resolve=False)
    assert all(c.ok for c in result.centers)  # each center alone is fine
    timetables = {c.center: c.timetable for c in result.centers if c.timetable is not None}
    assert busy_slots(timetables, "TINH1")[dt.date(2020, 3, 2), "morning"] == {"c1", "c2", "c3"}
    assert not result.ok and len(result.clashes) == 2  # morning and afternoon


def test_one_solve_at_a_time_resolves_the_clashes_without_solving_twice(tmp_path: Path) -> None:
    province = load_province(write_set(tmp_path, 3))
    result = solve_province(province, PARAMS, in_process=True, parallel=1, plan=False)
    assert_resolved(province, result)
    assert [c.solves for c in result.centers] == [1, 1, 1]
    assert all(c.timetable is not None for c in result.centers)
    days = {
        c.center: {s.date for s in c.timetable.sessions if s.class_id == "TC-1"} for c in result.centers if c.timetable
    }
    assert days["c1"] == {dt.date(2020, 3, 2)}  # the first center chooses first
    assert days["c2"] | days["c3"] == {dt.date(2020, 3, 3), dt.date(2020, 3, 4)}


def test_solves_in_flight_together_that_clash_are_solved_again(tmp_path: Path) -> None:
    """Two at a time: c1 and c2 start together and both take 2 March; c2 is solved again with that
    day away for TINH1 (and again if it then clashes with c3, started after c1 was accepted)."""
    province = load_province(write_set(tmp_path, 3))
    events: list[tuple[str, str, int]] = []
    result = solve_province(
        province,
        PARAMS,
        in_process=True,
        parallel=2,
        plan=False,
        on_event=lambda e: events.append((e.kind, e.center, e.attempt)),
    )
    assert_resolved(province, result)
    assert events[:3] == [("accepted", "c1", 1), ("clash", "c2", 1), ("accepted", "c3", 1)]
    assert events[-1] == ("accepted", "c2", result.centers[1].solves) and result.centers[1].solves >= 2
    assert {kind for kind, center, _ in events[3:-1]} <= {"clash"}
    assert result.solves == len(events)


def test_a_center_left_without_days_chooses_first_and_the_others_make_room(tmp_path: Path) -> None:
    """c3's trung cấp class can only be on 2 March, the day c1 (first in the index) takes; c2 takes
    3 or 4 March. c3 is left without a day, chooses first, takes 2 March back, and c1, displaced,
    moves to the day left: every center has a timetable (on the first-come order alone c3 had none)."""
    folder = write_set(tmp_path, 3)
    data = yaml.safe_load((folder / "centers" / "c3.yaml").read_text(encoding="utf-8"))
    data["classes"][1]["latest_end"] = "2020-03-02"
    (folder / "centers" / "c3.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    province = load_province(folder)
    events: list[tuple[str, str]] = []
    result = solve_province(
        province, PARAMS, in_process=True, parallel=1, plan=False, on_event=lambda e: events.append((e.kind, e.center))
    )
    assert_resolved(province, result)
    days = {
        c.center: {s.date for s in c.timetable.sessions if s.lecturer_id == "TINH1"}
        for c in result.centers
        if c.timetable
    }
    assert days["c3"] == {dt.date(2020, 3, 2)} and dt.date(2020, 3, 2) not in days["c1"] | days["c2"]
    assert events == [
        ("accepted", "c1"),
        ("accepted", "c2"),
        ("first", "c3"),
        ("accepted", "c3"),
        ("displaced", "c1"),
        ("accepted", "c1"),
    ]


def test_a_center_left_without_days_is_named_with_what_to_do(tmp_path: Path) -> None:
    """Four centers, three days for TINH1: whoever chooses first, one center has none left. It is
    reported, with what to do (in Vietnamese), and the run exits 1."""
    from test_i18n import english_lines

    folder = write_set(tmp_path / "set", 4)
    args = ["province", "solve", str(folder), "-o", str(tmp_path / "out"), "--time-limit", "5", "--parallel", "1"]
    run = runner.invoke(app, [*args, "--no-reports"])
    assert run.exit_code == 1, run.output
    flat = " ".join(run.output.split())
    named = [
        c
        for c in ("c1", "c2", "c3", "c4")
        if f"{c}: không xếp được thời khóa biểu vì các buổi của giảng viên dùng chung" in flat
    ]
    assert len(named) == 1, run.output
    assert "kể cả khi được chọn trước" in flat and "xếp lại, được chọn trước" in flat, run.output
    assert not english_lines(run.output), english_lines(run.output)  # the solve's own message too
    english = runner.invoke(app, ["--lang", "en", *args, "--no-reports"])
    assert f"{named[0]}: no timetable with the shared lecturers' sessions taken" in " ".join(english.output.split())


def test_province_solve_on_a_process_pool_writes_every_center(tmp_path: Path) -> None:
    folder = write_set(tmp_path / "set", 2)
    out = tmp_path / "out"
    args = ["province", "solve", str(folder), "-o", str(out), "--time-limit", "5", "--parallel", "2"]
    run = runner.invoke(app, ["--lang", "en", *args, "--no-reports"])
    assert run.exit_code == 0, run.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["ok"] and summary["clashes"] == [] and [c["center"] for c in summary["centers"]] == ["c1", "c2"]
    timetables = {}
    for center in ("c1", "c2"):
        folder_out = out / "centers" / center
        scenario = Scenario.model_validate(yaml.safe_load((folder_out / "scenario.yaml").read_text(encoding="utf-8")))
        timetables[center] = read_timetable(folder_out)
        assert check(scenario, timetables[center]).ok
        assert (folder_out / "sessions.csv").exists() and not (folder_out / "timetable.xlsx").exists()
    assert all(len(centers) == 1 for centers in busy_slots(timetables, "TINH1").values())
    assert (out / "centers.csv").exists() and (out / "shared_lecturers.csv").exists()


def test_the_province_commands_speak_vietnamese(tmp_path: Path) -> None:
    from test_i18n import english_lines

    folder = write_set(tmp_path / "set", 3)
    args = ["province", "solve", str(folder), "-o", str(tmp_path / "out"), "--time-limit", "5", "--no-reports"]
    outputs = {"independent": runner.invoke(app, [*args, "--independent"])}
    assert outputs["independent"].exit_code == 1  # the clashes
    assert "giảng viên dùng chung TINH1 ở c1, c2, c3 cùng ngày 2020-03-02 (sáng)" in outputs["independent"].output
    outputs["validate"] = runner.invoke(app, ["province", "validate", str(folder)])
    assert outputs["validate"].exit_code == 0
    (folder / "shared.yaml").write_text(
        yaml.safe_dump({"lecturers": [{"id": "TINH1", "topics": ["tc_pol"], "max_sessions_per_week": 4}]}), "utf-8"
    )
    outputs["bad"] = runner.invoke(app, ["province", "validate", str(folder)])
    assert outputs["bad"].exit_code == 2
    left = {what: english_lines(run.output) for what, run in outputs.items()}
    assert not any(left.values()), left


def test_a_dask_cluster_resolves_the_clashes_too(tmp_path: Path) -> None:
    import logging

    from dask.distributed import LocalCluster

    province = load_province(write_set(tmp_path, 3))
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, silence_logs=logging.ERROR, dashboard_address=None
    ) as cluster:
        result = solve_province(province, PARAMS, scheduler=cluster.scheduler_address)
    assert_resolved(province, result)


# --- the generator --------------------------------------------------------------------------------


def test_generated_province_round_trips_and_trung_cap_is_the_shared_lecturers(tmp_path: Path) -> None:
    from llct_sched.province import write_province
    from llct_sched.scenario.generate import generate_province

    generated = generate_province(2, seed=1)
    assert generated == generate_province(2, seed=1)  # deterministic
    write_province(generated, tmp_path / "set")
    province = load_province(tmp_path / "set")
    assert [c.id for c in province.centers] == ["ttct_01", "ttct_02"]
    assert [c.scenario for c in province.centers] == [c.scenario for c in generated.centers]
    assert province.shared == generated.shared and len(province.shared) >= 2
    for center in province.centers:
        scenario = province.scenario(center.id)
        programs = {p.id: p for p in scenario.programs}
        for klass in scenario.classes:
            program = programs[klass.program]
            teachers = {lec.id for lec in scenario.lecturers for m in program.modules if m.topic in lec.topics}
            assert teachers, klass.id
            assert (teachers <= province.shared_ids) == (program.type.value == "trung_cap"), klass.id
            assert not (program.type.value != "trung_cap" and teachers & province.shared_ids), klass.id


@pytest.mark.parametrize("parallel", [1, 2])
def test_centers_choosing_first_never_clash_with_each_other(tmp_path: Path, parallel: int) -> None:
    """Five centers, three days for TINH1: two are left without a day; whichever choose first, in
    flight together or not, no shared lecturer ends up in two centers at once."""
    province = load_province(write_set(tmp_path, 5))
    result = solve_province(province, PARAMS, in_process=True, parallel=parallel)
    assert result.clashes == []
    assert sum(1 for c in result.centers if c.timetable is None) == 2
    assert all(c.ok for c in result.centers if c.timetable is not None)
