"""ITC-2007 instances as scenarios (llct_sched.itc2007.scenario), with the independent checker as the oracle:
on a scenario read from an ITC instance, `llct_sched.check.check` must agree with the UD2 count
`llct_sched.itc2007.ud2_cost` (hard: feasible or not; soft: S1..S4 goal by goal)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from pathlib import Path

import pytest

from llct_sched.check import GOALS, CheckReport, check
from llct_sched.errors import Severity
from llct_sched.itc2007 import (
    Course,
    Curriculum,
    ItcInstance,
    Lecture,
    Room,
    UD2Cost,
    read_ectt,
    read_solution,
    ud2_cost,
)
from llct_sched.itc2007.scenario import START, lectures_from_timetable, scenario_from_itc, timetable_from_lectures
from llct_sched.itc2007.solver import solve_itc
from llct_sched.scenario import LecturerKind, Weekday
from llct_sched.scenario.validate import validate
from test_itc2007 import TOY_SOLUTION  # the hand-made toy solution (UD2: feasible; S1 2, S2 5, S3 8, S4 2; total 17)

BENCH_DIR = Path(__file__).resolve().parents[1] / "benchmarks" / "itc2007" / "instances"
INSTANCE_FILES = sorted(BENCH_DIR.glob("*.ectt"))


UD2_GOALS = {  # goal -> the UD2Cost field it must equal (both weighted)
    "room_capacity": "room_capacity",
    "min_days": "min_working_days",
    "isolated_sessions": "isolated_lectures",
    "room_stability": "room_stability",
}


def _instance(name: str) -> ItcInstance:
    return read_ectt(BENCH_DIR / f"{name}.ectt")


@pytest.fixture
def toy() -> ItcInstance:
    if not (BENCH_DIR / "toy.ectt").is_file():
        pytest.skip(f"toy.ectt not found in {BENCH_DIR}")
    return _instance("toy")


def _toy_lectures(toy: ItcInstance, text: str = TOY_SOLUTION) -> list[Lecture]:
    warnings: list[str] = []
    lectures = read_solution(text, toy, warnings)
    assert warnings == []
    return lectures


def _edit(old: str, new: str | None) -> str:
    """TOY_SOLUTION with line `old` replaced by `new` (removed when None)."""
    lines = TOY_SOLUTION.splitlines()
    assert old in lines, old
    lines[lines.index(old) : lines.index(old) + 1] = [] if new is None else [new]
    return "\n".join(lines) + "\n"


def checked(inst: ItcInstance, lectures: list[Lecture]) -> CheckReport:
    scenario = scenario_from_itc(inst)
    return check(scenario, timetable_from_lectures(inst, scenario, lectures))


def assert_same_costs(report: CheckReport, cost: UD2Cost) -> None:
    """Goal by goal, the checker's weighted objective is the UD2 cost; every other goal costs 0."""
    assert {g: report.breakdown[g] for g in UD2_GOALS} == {g: getattr(cost, f) for g, f in UD2_GOALS.items()}
    assert all(report.breakdown[g] == 0 for g in GOALS if g not in UD2_GOALS), report.breakdown
    assert report.objective == cost.total


def assert_oracle(inst: ItcInstance, lectures: list[Lecture]) -> bool:
    """The checker and UD2 agree on feasibility and on every soft cost. Returns the feasibility."""
    report, cost = checked(inst, lectures), ud2_cost(inst, lectures)
    assert report.ok == (cost.hard_violations == 0), (cost.report(), report.summary())
    assert_same_costs(report, cost)
    return report.ok


# --- the scenario -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", INSTANCE_FILES, ids=[p.stem for p in INSTANCE_FILES])
def test_every_instance_reads_into_a_valid_scenario(path: Path) -> None:
    scenario = scenario_from_itc(read_ectt(path))
    assert [str(i) for i in validate(scenario) if i.severity == Severity.error] == []


def test_toy_scenario_follows_the_rules(toy: ItcInstance) -> None:
    scenario = scenario_from_itc(toy)
    assert scenario.name == "Toy"
    cal = scenario.calendar
    assert (cal.start, cal.end, cal.start.weekday()) == (dt.date(2007, 1, 1), dt.date(2007, 1, 5), 0)
    assert cal.working_weekdays == [Weekday.mon, Weekday.tue, Weekday.wed, Weekday.thu, Weekday.fri]
    assert cal.periods == ["p0", "p1", "p2", "p3"]
    assert cal.working_days() == [START + dt.timedelta(days=i) for i in range(5)]
    program = next(p for p in scenario.programs if p.id == "TecCos")
    assert [(m.id, m.sessions, m.topic) for m in program.modules] == [("TecCos", 5, "TecCos")]
    d = program.delivery
    assert (d.blocks, d.sessions_per_day, d.same_day_blocks, d.min_days) == (5, 1, True, 4)
    klass = {k.id: k for k in scenario.classes}
    assert (klass["TecCos"].program, klass["TecCos"].learners, klass["TecCos"].groups) == (
        "TecCos",
        40,
        ["Cur1", "Cur2"],
    )
    assert klass["ArcTec"].groups == ["Cur1"]
    assert [g.id for g in scenario.groups] == ["Cur1", "Cur2"]
    assert [(r.id, r.seats) for r in scenario.rooms] == [("rA", 32), ("rB", 50), ("rC", 40)]
    lecturers = {lec.id: lec for lec in scenario.lecturers}
    assert set(lecturers) == {"Ocra", "Indaco", "Rosa", "Scarlatti"}
    assert lecturers["Rosa"].topics == ["TecCos"] and lecturers["Rosa"].kind == LecturerKind.external
    assert all(lec.available is None for lec in lecturers.values())  # unavailability is the course's
    assert klass["TecCos"].closed_periods == {Weekday.wed: ["p0", "p1"], Weekday.thu: ["p2", "p3"]}
    assert klass["ArcTec"].closed_periods == {Weekday.fri: ["p0", "p1", "p2", "p3"]}
    assert klass["Geotec"].closed_periods == {}
    weights = scenario.weights.model_dump()
    assert {g: w for g, w in weights.items() if w} == {
        "room_capacity": 1,
        "min_days": 5,
        "isolated_sessions": 2,
        "room_stability": 1,
    }
    assert scenario.rules.soft_room_capacity
    assert scenario.observation.visits_per_lecturer == 0


def test_zero_students_zero_lectures_and_bad_names() -> None:
    inst = ItcInstance(
        name="edge",
        days=2,
        periods_per_day=2,
        courses=(Course("a", "t1", 2, 2, 0), Course("z", "t2", 0, 0, 5)),
        rooms=(Room("r1", 10),),
        curricula=(Curriculum("g", ("a", "z")),),
    )
    scenario = scenario_from_itc(inst)
    assert [(k.id, k.learners) for k in scenario.classes] == [("a", 1)]  # a class has learners; 1 <= every room
    assert [p.id for p in scenario.programs] == ["a"] and [lec.id for lec in scenario.lecturers] == ["t1"]
    assert assert_oracle(inst, [Lecture("a", "r1", 0, 0), Lecture("a", "r1", 1, 1)])
    excess = [Lecture("a", "r1", 0, 0), Lecture("a", "r1", 1, 1), Lecture("z", "r1", 1, 0)]
    assert ud2_cost(inst, excess).lectures == 1  # a lecture of z is in excess ...
    assert "reference" in {v.rule for v in checked(inst, excess).violations}  # ... and of no class
    with pytest.raises(ValueError, match="course z has no lectures but 1 minimum working days"):
        scenario_from_itc(replace(inst, courses=(inst.courses[0], Course("z", "t2", 0, 1, 5))))
    with pytest.raises(ValueError, match="room name 'r 1'"):
        scenario_from_itc(replace(inst, rooms=(Room("r 1", 10),)))
    with pytest.raises(ValueError, match="8 days"):
        scenario_from_itc(replace(inst, days=8))


# --- the oracle: hand-made solutions ------------------------------------------------------------


def test_toy_solution_checks_like_ud2(toy: ItcInstance) -> None:
    lectures = _toy_lectures(toy)
    report, cost = checked(toy, lectures), ud2_cost(toy, lectures)
    assert report.ok, report.summary()
    assert cost.feasible and cost.total == report.objective == 17
    assert_same_costs(report, cost)
    assert report.details["room_capacity"] == {"ArcTec": 2}
    assert report.details["min_days"] == {"SceCosC": 1}
    assert report.details["isolated_sessions"] == {"Cur1": 2, "Cur2": 2}
    assert report.details["room_stability"] == {"ArcTec": 1, "Geotec": 1}


def _same_teacher(toy: ItcInstance, course: str, teacher: str) -> ItcInstance:
    return replace(toy, courses=tuple(replace(c, teacher=teacher) if c.name == course else c for c in toy.courses))


@pytest.mark.parametrize(
    ("old", "new", "rule", "hard"),
    [
        ("ArcTec rC 3 1", "ArcTec rC 3 0", "groups", "conflicts"),  # Cur1 mates TecCos and ArcTec in (3,0)
        ("Geotec rA 3 1", "Geotec rC 3 1", "rooms", "room_occupancy"),  # rC holds ArcTec and Geotec at (3,1)
        ("TecCos rB 2 2", "TecCos rB 2 1", "calendar", "availability"),  # TecCos is unavailable at (2,1)
        ("Geotec rC 4 3", None, "delivery", "lectures"),  # Geotec 4 of 5 lectures
        ("SceCosC rA 1 1", "SceCosC rA 2 0\nSceCosC rA 2 1", "delivery", "lectures"),  # SceCosC 4 of 3
    ],
)
def test_toy_clashes_are_flagged(toy: ItcInstance, old: str, new: str | None, rule: str, hard: str) -> None:
    lectures = _toy_lectures(toy, _edit(old, new))
    report, cost = checked(toy, lectures), ud2_cost(toy, lectures)
    assert getattr(cost, hard) >= 1 and not cost.feasible
    assert rule in {v.rule for v in report.violations}, report.summary()
    assert_same_costs(report, cost)


def test_toy_teacher_clash_is_flagged(toy: ItcInstance) -> None:
    inst = _same_teacher(toy, "Geotec", "Ocra")  # Geotec and SceCosC share (0,1) and (1,1)
    lectures = _toy_lectures(toy)
    report, cost = checked(inst, lectures), ud2_cost(inst, lectures)
    assert cost.conflicts == 2
    clashes = [v for v in report.violations if v.rule == "lecturers"]
    assert len(clashes) == 2 and all("lecturer Ocra is in 2 places" in v.message for v in clashes)
    assert_same_costs(report, cost)


def test_toy_course_twice_in_one_period_is_flagged(toy: ItcInstance) -> None:
    # UD2 drops the second lecture (a missing lecture); the checker sees two sessions in one slot.
    lectures = [
        Lecture("Geotec", "rA", 4, 3) if lec == Lecture("Geotec", "rC", 2, 3) else lec for lec in _toy_lectures(toy)
    ]
    report, cost = checked(toy, lectures), ud2_cost(toy, lectures)
    assert cost.lectures == 1
    assert any("class Geotec has 2 sessions on 2007-01-05 p3" in v.message for v in report.by_rule("delivery"))


# --- the oracle: solver solutions and their neighbours ------------------------------------------

_SOLVED: dict[str, list[Lecture]] = {}


def solved(name: str, limit: float) -> tuple[ItcInstance, list[Lecture]]:
    """A UD2-feasible solution of the instance by the dedicated model, solved once per test session."""
    inst = _instance(name)
    if name not in _SOLVED:
        result = solve_itc(inst, time_limit=limit, workers=1, seed=1)
        _SOLVED[name] = result.lectures if result.feasible else []
    if not _SOLVED[name]:
        pytest.skip(f"no UD2-feasible solution of {name} within {limit} s")
    return inst, _SOLVED[name]


def neighbours(inst: ItcInstance, lectures: list[Lecture], rng: random.Random, n: int) -> list[list[Lecture]]:
    """Solutions one move away: a lecture to another period of its course (its room, a free one or any),
    or a lecture dropped."""
    out = []
    for _ in range(n):
        i = rng.randrange(len(lectures))
        lec = lectures[i]
        if rng.random() < 0.1:
            out.append(lectures[:i] + lectures[i + 1 :])
            continue
        own = {(x.day, x.timeslot) for x in lectures if x.course == lec.course}
        day, slot = rng.choice(
            [(d, t) for d in range(inst.days) for t in range(inst.periods_per_day) if (d, t) not in own]
        )
        used = {x.room for x in lectures if (x.day, x.timeslot) == (day, slot)}
        free = [r.name for r in inst.rooms if r.name not in used]
        room = rng.choice([lec.room, rng.choice(free or [lec.room]), rng.choice(inst.rooms).name])
        out.append([*lectures[:i], Lecture(lec.course, room, day, slot), *lectures[i + 1 :]])
    return out


@pytest.mark.parametrize(("name", "limit"), [("toy", 2.0), ("comp01", 2.5), ("comp11", 2.5), ("comp18", 8.0)])
def test_solver_solutions_and_neighbours_check_like_ud2(name: str, limit: float) -> None:
    inst, lectures = solved(name, limit)
    assert assert_oracle(inst, lectures)  # feasible for UD2 and for the checker
    outcomes = [assert_oracle(inst, other) for other in neighbours(inst, lectures, random.Random(name), 80)]
    assert True in outcomes and False in outcomes  # both verdicts were compared


def test_toy_neighbours_check_like_ud2(toy: ItcInstance) -> None:
    lectures = _toy_lectures(toy)
    outcomes = [assert_oracle(toy, other) for other in neighbours(toy, lectures, random.Random(3), 150)]
    assert True in outcomes and False in outcomes


# --- conversions --------------------------------------------------------------------------------


def test_timetable_of_lectures(toy: ItcInstance) -> None:
    scenario = scenario_from_itc(toy)
    tt = timetable_from_lectures(toy, scenario, _toy_lectures(toy))
    assert tt.scenario == "Toy" and tt.periods == ["p0", "p1", "p2", "p3"]
    assert tt.class_learners == {"SceCosC": 30, "ArcTec": 42, "TecCos": 40, "Geotec": 18}
    first = tt.sessions[0]  # SceCosC rA 0 1
    assert (first.class_id, first.module_id, first.date, first.period, first.room_id, first.lecturer_id) == (
        "SceCosC",
        "SceCosC",
        dt.date(2007, 1, 1),
        "p1",
        "rA",
        "Ocra",
    )
    assert tt.sessions[-1].date == dt.date(2007, 1, 5) and tt.sessions[-1].period == "p3"  # Geotec rC 4 3
    with pytest.raises(ValueError, match="out of range"):
        timetable_from_lectures(toy, scenario, [Lecture("Geotec", "rA", 5, 0)])
    with pytest.raises(ValueError, match="out of range"):
        timetable_from_lectures(toy, scenario, [Lecture("Geotec", "rA", 0, 4)])


def test_round_trip_lectures_timetable_lectures(toy: ItcInstance) -> None:
    scenario = scenario_from_itc(toy)
    lectures = _toy_lectures(toy)
    tt = timetable_from_lectures(toy, scenario, lectures)
    assert lectures_from_timetable(toy, tt) == lectures
    again = timetable_from_lectures(toy, scenario, lectures_from_timetable(toy, tt))
    assert again == tt
    late = tt.model_copy(update={"sessions": [tt.sessions[0].model_copy(update={"date": dt.date(2007, 1, 6)})]})
    with pytest.raises(ValueError, match="outside the instance"):
        lectures_from_timetable(toy, late)
    odd = tt.model_copy(update={"sessions": [tt.sessions[0].model_copy(update={"period": "morning"})]})
    with pytest.raises(ValueError, match="unknown period"):
        lectures_from_timetable(toy, odd)


def test_round_trip_of_a_solver_solution() -> None:
    inst, lectures = solved("comp01", 2.5)
    scenario = scenario_from_itc(inst)
    back = lectures_from_timetable(inst, timetable_from_lectures(inst, scenario, lectures))
    assert back == lectures
    assert ud2_cost(inst, back) == ud2_cost(inst, lectures)
