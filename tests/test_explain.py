"""Score analysis: the explanation's goals and entities agree with the checker, in planners' words."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from typer.testing import CliRunner

from llct_sched.check import GOALS, check
from llct_sched.cli import app
from llct_sched.reports.explain import compare_timetables, explain
from llct_sched.scenario import Period, Scenario
from llct_sched.scenario.loading import load_scenario, scenario_to_yaml
from llct_sched.solve import SolveParams, solve
from llct_sched.timetable import ObservationVisit, ScheduledSession, Timetable
from tiny import tiny_data

D = dt.date
AM, PM = Period.morning, Period.afternoon
runner = CliRunner()


def scenario() -> Scenario:
    """tiny() over March-April 2020 with a borrowed hall, an event to avoid and a teaching norm.

    SC becomes 2 blocks of 2 days with modules s1 (2), s2 (4), s3 (2): s2 spans both blocks.
    """
    data = tiny_data()
    data["calendar"]["end"] = D(2020, 4, 30)
    data["calendar"]["events"] = [
        {"id": "E1", "name": "Ngày kỷ niệm", "kind": "anniversary", "start": D(2020, 3, 16), "avoid_classes": True}
    ]
    data["rooms"].append({"id": "BOR", "seats": 300, "kind": "borrowed"})
    data["lecturers"][0]["norm_sessions_per_year"] = 10
    data["programs"][1]["modules"] = [
        {"id": "s1", "sessions": 2, "topic": "pol"},
        {"id": "s2", "sessions": 4, "topic": "law"},
        {"id": "s3", "sessions": 2, "topic": "pol"},
    ]
    data["classes"] = [
        {"id": "A", "program": "BD3", "learners": 100, "preferred_months": [4]},
        {"id": "B", "program": "BD3", "learners": 45},
        {"id": "C", "program": "SC", "learners": 40},
    ]
    return Scenario.model_validate(data)


def s(cid: str, module: str, day: D, period: Period, room: str, lecturer: str | None) -> ScheduledSession:
    return ScheduledSession(class_id=cid, module_id=module, date=day, period=period, room_id=room, lecturer_id=lecturer)


def bd3(cid: str, first: D, room: str, m1: str, m3: str) -> list[ScheduledSession]:
    """A BD3 class over three days from a Monday (m2 by PT1 on Tuesday morning)."""
    days = [first + dt.timedelta(days=i) for i in range(3)]
    return [
        s(cid, "m1", days[0], AM, room, m1),
        s(cid, "m1", days[0], PM, room, m1),
        s(cid, "m2", days[1], AM, room, "PT1"),
        s(cid, "m3", days[1], PM, room, m3),
        s(cid, "m3", days[2], AM, room, m3),
        s(cid, "m3", days[2], PM, room, m3),
    ]


def timetable() -> Timetable:
    """A: 16-18/03 in HALL (the event day first). C: 23-24/03 in the borrowed hall, 06-07/04 in R1. B: 13-15/04."""
    sessions = bd3("A", D(2020, 3, 16), "HALL", "FT1", "FT2") + bd3("B", D(2020, 4, 13), "R1", "FT2", "FT2")
    for day, room, lecturer, modules in (
        (D(2020, 3, 23), "BOR", "FT1", ("s1", "s1")),
        (D(2020, 3, 24), "BOR", "FT1", ("s2", "s2")),
        (D(2020, 4, 6), "R1", "FT2", ("s2", "s2")),
        (D(2020, 4, 7), "R1", "FT2", ("s3", "s3")),
    ):
        sessions += [s("C", modules[0], day, AM, room, lecturer), s("C", modules[1], day, PM, room, lecturer)]
    visits = [
        ObservationVisit(lecturer_id="FT1", observer_id="FT2", class_id="A", date=D(2020, 3, 16), period=AM),
        ObservationVisit(lecturer_id="PT1", observer_id="FT2", class_id="A", date=D(2020, 3, 17), period=AM),
        ObservationVisit(lecturer_id="FT2", observer_id="FT1", class_id="B", date=D(2020, 4, 13), period=AM),
    ]
    learners = {"A": 100, "B": 45, "C": 40}
    return Timetable(scenario="tiny", class_learners=learners, sessions=sessions, observations=visits)


# the documented goals: (weighted cost, the English line of the entity carrying the penalty)
EXPECTED = {
    "preferred_months": (10, "class A: 1 block(s) start outside its preferred months (4): 2020-03-16, penalty 1 x 10"),
    "month_spread": (2, "month 2020-03: 2 block(s) start (the busiest month, tied with 2020-04), penalty 2 x 1"),
    "avoid_event_days": (10, "class A: 2 session(s) on days to avoid: 2020-03-16 (Ngày kỷ niệm) 2, penalty 2 x 5"),
    "borrowed_room": (12, "class C: 4 session(s) in the borrowed hall BOR, penalty 4 x 3"),
    "room_stability": (5, "class C: 2 rooms used (BOR 4, R1 4), penalty 1 x 5"),
    "module_lecturer_stability": (2, "class C module s2: 2 lecturers (FT1 2, FT2 2), penalty 1 x 2"),
    "lecturer_balance": (
        6,
        "lecturer FT2: 12 sessions, the most among full-time lecturers (mean 9; fewest 6, FT1), penalty 6 x 1",
    ),
    "teaching_norm": (4, "lecturer FT1: 6 sessions against a norm of 10, short by 4, penalty 4 x 1"),
}


def test_hand_made_timetable_is_valid_so_the_numbers_are_meaningful() -> None:
    report = check(scenario(), timetable())
    assert report.ok, report.summary()


def test_total_equals_the_checkers_objective() -> None:
    sc, tt = scenario(), timetable()
    report = check(sc, tt)
    explanation = explain(sc, tt)
    assert explanation.objective == report.objective
    assert explanation.total == report.objective
    assert [g.goal for g in explanation.goals] == list(GOALS)
    for goal in explanation.goals:
        assert goal.cost == report.breakdown[goal.goal]
        assert goal.cost == goal.weight * goal.penalty
        assert sum(e.penalty for e in goal.entities) == goal.penalty
        assert sum(e.cost for e in goal.entities) == goal.cost
    assert sum(g.share for g in explanation.goals) == pytest.approx(1.0)


@pytest.mark.parametrize("goal", sorted(EXPECTED))
def test_each_goal_names_the_entity_and_its_numbers(goal: str) -> None:
    explanation = explain(scenario(), timetable())
    cost, line = EXPECTED[goal]
    part = explanation.goal(goal)
    assert part.cost == cost
    assert part.entities[0].text == line
    assert line in explanation.text()
    assert f"= {cost} (" in part.summary
    assert part.share == pytest.approx(cost / explanation.objective)


def test_busiest_month_and_busiest_lecturer_carry_the_whole_penalty() -> None:
    explanation = explain(scenario(), timetable())
    months = {e.entity: (e.penalty, e.value) for e in explanation.goal("month_spread").entities}
    assert months == {"2020-03": (2, 2), "2020-04": (0, 2)}
    lecturers = {e.entity: (e.penalty, e.value) for e in explanation.goal("lecturer_balance").entities}
    assert lecturers == {"FT2": (6, 6), "FT1": (0, 0)}
    assert "FT1: 6 sessions, the fewest among full-time lecturers" in explanation.text()


def test_vietnamese_text_and_dates() -> None:
    explanation = explain(scenario(), timetable(), lang="vi")
    text = explanation.text()
    assert "lớp A: 2 buổi học vào ngày cần tránh: 16/03/2020 (Ngày kỷ niệm) 2 buổi, điểm phạt 2 x 5" in text
    assert "tháng 03/2020: 2 đợt học bắt đầu (tháng đông nhất, bằng 04/2020), điểm phạt 2 x 1" in text
    assert "giảng viên FT1: 6 buổi so với định mức 10, thiếu 4, điểm phạt 4 x 1" in text
    assert "lớp C, học phần s2: 2 giảng viên (FT1 2, FT2 2), điểm phạt 1 x 2" in text
    assert "Định mức giảng dạy: trọng số 1 x điểm phạt 4 = 4" in text
    assert explanation.total == check(scenario(), timetable()).objective
    with pytest.raises(ValueError, match="unknown language"):
        explain(scenario(), timetable(), lang="fr")


def test_weights_scale_costs_but_not_penalties() -> None:
    sc = scenario()
    sc.weights.borrowed_room = 0
    sc.weights.teaching_norm = 4
    explanation = explain(sc, timetable())
    assert explanation.goal("borrowed_room").penalty == 4
    assert explanation.goal("borrowed_room").cost == 0
    assert explanation.goal("teaching_norm").cost == 16
    assert explanation.total == check(sc, timetable()).objective


def test_random_perturbations_keep_the_total_equal_to_the_checker() -> None:
    sc = scenario()
    rng = random.Random(4)
    for _ in range(30):
        tt = timetable()
        for session in tt.sessions:
            if rng.random() < 0.3:
                session.room_id = rng.choice(["HALL", "R1", "BOR"])
            if rng.random() < 0.3:
                session.lecturer_id = rng.choice(["FT1", "FT2", "PT1", None])
            if rng.random() < 0.1:
                session.date = session.date + dt.timedelta(days=rng.choice([-35, 7, 28]))
        report = check(sc, tt)
        explanation = explain(sc, tt)
        assert explanation.total == report.objective
        for goal in explanation.goals:
            assert sum(e.cost for e in goal.entities) == report.breakdown[goal.goal]


def test_a_violating_timetable_is_still_explained_with_its_violations() -> None:
    tt = timetable()
    tt.sessions[0].lecturer_id = "PT1"  # PT1 does not teach topic pol, nor on Monday
    explanation = explain(scenario(), tt)
    assert explanation.violations
    assert "breaks" in explanation.text()
    assert explanation.total == check(scenario(), tt).objective


def test_solved_tutorial_is_explained_exactly() -> None:
    sc = load_scenario("tutorial")
    result = solve(sc, SolveParams(time_limit=20, workers=2))
    assert result.timetable is not None
    explanation = explain(sc, result.timetable, lang="vi")
    assert explanation.total == check(sc, result.timetable).objective == result.objective


# --- comparison -------------------------------------------------------------------------------


def test_comparison_with_itself_is_all_zero() -> None:
    deltas = compare_timetables(scenario(), timetable(), timetable())
    assert [d.goal for d in deltas] == list(GOALS)
    assert all(d.delta == 0 and d.penalty_delta == 0 and not d.entities for d in deltas)
    assert {d.goal: d.cost_a for d in deltas if d.goal in EXPECTED} == {g: c for g, (c, _) in EXPECTED.items()}


def move_c_out_of_the_borrowed_hall() -> Timetable:
    changed = timetable()
    for session in changed.sessions:
        if session.room_id == "BOR":
            session.room_id = "HALL"  # C's first block: HALL instead of BOR (still two rooms for C)
    return changed


def test_comparison_shows_exactly_the_changed_goal() -> None:
    changed = move_c_out_of_the_borrowed_hall()
    assert check(scenario(), changed).ok
    deltas = {d.goal: d for d in compare_timetables(scenario(), timetable(), changed)}
    moved = [g for g, d in deltas.items() if d.delta or d.entities]
    assert moved == ["borrowed_room"]
    d = deltas["borrowed_room"]
    assert (d.penalty_a, d.penalty_b, d.cost_a, d.cost_b, d.delta) == (4, 0, 12, 0, -12)
    assert [(e.entity, e.a, e.b) for e in d.entities] == [("C", 4, 0)]


def test_comparison_of_lecturer_moves() -> None:
    changed = timetable()
    for session in changed.sessions:
        if session.class_id == "B" and session.module_id == "m3":
            session.lecturer_id = "FT1"  # FT1 9 sessions, FT2 9: balanced, FT1 closer to its norm
    assert check(scenario(), changed).ok
    deltas = {d.goal: d for d in compare_timetables(scenario(), timetable(), changed)}
    assert deltas["lecturer_balance"].delta == -6
    assert deltas["teaching_norm"].delta == -3
    assert [(e.entity, e.a, e.b) for e in deltas["teaching_norm"].entities] == [("FT1", 4, 1)]
    assert [(e.entity, e.a, e.b) for e in deltas["lecturer_balance"].entities] == [("FT2", 6, 0)]
    assert all(d.delta == 0 for g, d in deltas.items() if g not in ("lecturer_balance", "teaching_norm"))


# --- the command ------------------------------------------------------------------------------


def write_case(tmp_path):
    scenario_file = tmp_path / "tiny.yaml"
    scenario_file.write_text(scenario_to_yaml(scenario()), encoding="utf-8")
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "timetable.json").write_text(timetable().to_json(), encoding="utf-8")
    changed = move_c_out_of_the_borrowed_hall()
    other = tmp_path / "b.json"
    other.write_text(changed.to_json(), encoding="utf-8")
    return scenario_file, folder, other


def test_cli_explains_a_timetable_and_compares(tmp_path) -> None:
    scenario_file, folder, other = write_case(tmp_path)
    args = ["explain", str(scenario_file), "--timetable", str(folder), "--against", str(other), "--lang", "en"]
    result = runner.invoke(app, args, terminal_width=200)
    assert result.exit_code == 0, result.output
    objective = check(scenario(), timetable()).objective
    assert f"Objective {objective} by goal" in result.output
    assert "short by 4, penalty 4 x 1" in result.output
    assert f"A (objective {objective}) vs B (objective {objective - 12})" in result.output
    assert "C 4->0" in result.output


def test_cli_explains_in_vietnamese_by_default(tmp_path) -> None:
    scenario_file, folder, _ = write_case(tmp_path)
    result = runner.invoke(app, ["explain", str(scenario_file), "--timetable", str(folder)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Hàm mục tiêu" in result.output
    assert "16/03/2020" in result.output


def test_cli_solves_when_no_timetable_is_given() -> None:
    result = runner.invoke(app, ["explain", "tutorial", "--time-limit", "20", "--lang", "en"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "by goal" in result.output


@pytest.mark.parametrize("bad", ["missing.json", "garbage.json"])
def test_cli_bad_timetable_exits_2_with_a_located_message(tmp_path, bad: str) -> None:
    scenario_file, _, _ = write_case(tmp_path)
    (tmp_path / "garbage.json").write_text('{"scenario": "tiny", "sessions": 3}', encoding="utf-8")
    path = tmp_path / bad
    result = runner.invoke(app, ["explain", str(scenario_file), "--timetable", str(path)])
    assert result.exit_code == 2
    assert str(path) in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_cli_reads_a_sessions_csv_folder(tmp_path) -> None:
    scenario_file, _, _ = write_case(tmp_path)
    folder = tmp_path / "csv"
    folder.mkdir()
    tt = timetable()
    rows = ["class_id,module_id,date,period,room_id,lecturer_id,learners"]
    rows += [
        f"{x.class_id},{x.module_id},{x.date},{x.period},{x.room_id},{x.lecturer_id or ''},"
        f"{tt.class_learners[x.class_id]}"
        for x in tt.sessions
    ]
    (folder / "sessions.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["explain", str(scenario_file), "--timetable", str(folder), "--lang", "en"])
    assert result.exit_code == 0, result.output
    expected = check(scenario(), tt.model_copy(update={"observations": []})).objective  # the CSV holds no visits
    assert f"Objective {expected} by goal" in result.output
