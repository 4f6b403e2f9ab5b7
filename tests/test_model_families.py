"""Each rule family of the model alone, in the manner of the cpsat-primer's model tests.

On the tiny scenario (tests/tiny.py) the variables are created, ONE rule family is added and every
decision is fixed to a hand-made assignment. A valid assignment must be FEASIBLE, a broken one
INFEASIBLE, and the broken one FEASIBLE again without the family: the variables' domains alone do not
reject it, so the family does, and a failure names the family in its test id. Goals likewise: at a
fixed assignment, the goal's expression minimised over its auxiliary variables must equal a count
made by hand. (A rule emptied to a no-op, or a goal made a constant, fails its case: checked for
every family and goal below.)

The hand-made plan (2020-03, two sessions a day; BD3 is one block of three days, SC two blocks of
two days at least three days apart):

- BD-A (100 learners) in HALL from Mon 2/3, BD-B (45) in R1 from Mon 16/3, SC-1 (40) in R1 from
  Mon 2/3 and Tue 10/3;
- FT1 teaches BD-A m1 and m3 and BD-B m1 (7 sessions), FT2 SC-1 s1 and s2 and BD-B m3 (11), PT1
  both m2 (2);
- visits: FT1 watches PT1 (BD-A m2), FT2 watches FT1 (BD-B m1), FT1 watches FT2 (SC-1 s2).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from ortools.sat.python import cp_model

from llct_sched.model import calendar_stage as cal
from llct_sched.model import staffing_stage as staff
from llct_sched.model import teaching_layer as layer
from llct_sched.model.calendar_stage import CalendarVars
from llct_sched.model.instance import Instance, build_instance
from llct_sched.model.staffing_stage import StaffingVars
from llct_sched.scenario import Scenario
from llct_sched.timetable import ObservationVisit, ScheduledSession, Timetable
from tiny import tiny, tiny_data

# --- the hand-made assignment -------------------------------------------------------------------


@dataclass(frozen=True)
class Calendar:
    """Stage 1's decisions by scenario ids: each block's start (a morning), room, and learners."""

    starts: dict[str, tuple[str, ...]]  # class -> start date of each block
    rooms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # class -> room of each block
    learners: dict[str, int] = field(default_factory=dict)

    def but(self, **changes: dict[str, Any]) -> Calendar:
        """A copy with some classes' entries replaced."""
        return dataclasses.replace(self, **{key: {**getattr(self, key), **value} for key, value in changes.items()})


@dataclass(frozen=True)
class Staffing:
    """Stage 2's decisions: who teaches each "class/module" (space-separated: none or two break the
    one-lecturer rule) and the visits as ("class/module", session of it, observer)."""

    teach: dict[str, str]
    visits: tuple[tuple[str, int, str], ...] = ()
    # (class/module, observed lecturer) counted as a chance of a visit; None: the visits' teachers
    chances: tuple[tuple[str, str], ...] | None = None

    def but(self, teach: dict[str, str] | None = None, **changes: Any) -> Staffing:
        return dataclasses.replace(self, teach={**self.teach, **(teach or {})}, **changes)


PLAN = Calendar(
    starts={"BD-A": ("2020-03-02",), "BD-B": ("2020-03-16",), "SC-1": ("2020-03-02", "2020-03-10")},
    rooms={"BD-A": ("HALL",), "BD-B": ("R1",), "SC-1": ("R1", "R1")},
    learners={"BD-A": 100, "BD-B": 45, "SC-1": 40},
)
STAFFED = Staffing(
    teach={
        "BD-A/m1": "FT1",
        "BD-A/m2": "PT1",
        "BD-A/m3": "FT1",
        "BD-B/m1": "FT1",
        "BD-B/m2": "PT1",
        "BD-B/m3": "FT2",
        "SC-1/s1": "FT2",
        "SC-1/s2": "FT2",
    },
    visits=(("BD-A/m2", 0, "FT1"), ("BD-B/m1", 0, "FT2"), ("SC-1/s2", 0, "FT1")),
)


# --- scenarios in which a family binds ----------------------------------------------------------


def scenario(*edits: Callable[[dict[str, Any]], None]) -> Callable[[], Scenario]:
    """The tiny scenario with its data edited in place by each function given."""

    def build() -> Scenario:
        data = tiny_data()
        for edit in edits:
            edit(data)
        return Scenario.model_validate(data)

    return build


def _cohort(data: dict[str, Any]) -> None:
    for c in data["classes"][:2]:
        c.pop("learners")
    data["cohorts"] = [{"id": "K", "learners": 145, "classes": ["BD-A", "BD-B"], "min_per_class": 20}]


def _gathering_limit(data: dict[str, Any]) -> None:
    blackout = {"id": "limit", "start": dt.date(2020, 3, 16), "end": dt.date(2020, 3, 20), "max_gathering": 60}
    data["calendar"]["blackouts"] = [blackout]


def _r1_closed(data: dict[str, Any]) -> None:
    data["rooms"][1]["unavailable"] = [{"start": dt.date(2020, 3, 10), "end": dt.date(2020, 3, 13)}]


def _lecturer(lecturer: str, **fields: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        next(lec for lec in data["lecturers"] if lec["id"] == lecturer).update(fields)

    return edit


def _one_observer_for_pt1(data: dict[str, Any]) -> None:
    """Only PT1 is observed, only by FT1, who is away on Tuesday mornings; PT1 is free on Tuesday and
    Wednesday mornings: a BD3 class starting on a Monday (m2 on Tuesday morning) gives PT1 no chance of
    a visit, one starting on a Tuesday (m2 on Wednesday morning) does."""
    data["observation"] = {"observed_kinds": ["part_time"], "observers": ["FT1"]}
    days = {day: ["morning", "afternoon"] for day in ("mon", "wed", "thu", "fri")}
    _lecturer("FT1", available={**days, "tue": ["afternoon"]})(data)
    _lecturer("PT1", available={"tue": ["morning"], "wed": ["morning"], "thu": ["afternoon"]})(data)


def _sc1_held_to_the_hall(data: dict[str, Any]) -> None:
    data["classes"][2]["allowed_rooms"] = ["HALL"]


def _small_classes_held_to_hall_and_r1(data: dict[str, Any]) -> None:
    """A third room R2 that BD-B and SC-1 may not use: the three classes fit only HALL and R1."""
    data["rooms"].append({"id": "R2", "seats": 50, "kind": "classroom"})
    for klass in data["classes"][1:]:
        klass["allowed_rooms"] = ["HALL", "R1"]


COHORT = scenario(_cohort)


# --- building, fixing, solving ------------------------------------------------------------------


def slot(inst: Instance, day: str, period: str = "morning") -> int:
    index = inst.day_of(dt.date.fromisoformat(day))
    assert index is not None, f"{day} is no working day"
    return inst.slot_of(index, period)


def block_of(inst: Instance, class_id: str, number: int = 0) -> int:
    c = next(c for c in inst.classes if c.spec.id == class_id)
    return c.blocks[number]


def segment_names(inst: Instance) -> dict[str, int]:
    """ "class/module" -> segment (in the tiny scenario every module is one segment)."""
    classes = [inst.classes[s.class_index] for s in inst.segments]
    names = {
        f"{c.spec.id}/{c.program.modules[s.module_index].id}": s.index
        for c, s in zip(classes, inst.segments, strict=True)
    }
    assert len(names) == len(inst.segments)
    return names


def start_slots(inst: Instance, plan: Calendar) -> list[int]:
    starts = [-1] * len(inst.blocks)
    for class_id, days in plan.starts.items():
        for number, day in enumerate(days):
            starts[block_of(inst, class_id, number)] = slot(inst, day)
    assert -1 not in starts, "the plan places every block"
    return starts


def room_literals(model: cp_model.CpModel, inst: Instance, v: CalendarVars) -> None:
    """One literal per (block, room), as `add_room_choice` makes them, without its rules."""
    for block in inst.blocks:
        for r in range(len(inst.rooms)):
            v.room[block.index, r] = model.new_bool_var(f"room_b{block.index}_r{r}")


def chance_literals(model: cp_model.CpModel, inst: Instance, v: CalendarVars) -> None:
    """One literal per visit chance, as `add_observation_opportunities` makes them, without its rules."""
    for key in inst.visit_chances:
        v.chances[key] = model.new_bool_var(f"chance_s{key[0]}_l{key[1]}")


def fix_calendar(model: cp_model.CpModel, inst: Instance, v: CalendarVars, plan: Calendar) -> None:
    for b, start in enumerate(start_slots(inst, plan)):
        model.add(v.start[b] == start)
    room_ids = [room.id for room in inst.scenario.rooms]
    for (b, r), lit in v.room.items():
        rooms = plan.rooms.get(inst.classes[inst.blocks[b].class_index].spec.id)
        if rooms is not None:
            model.add(lit == int(rooms[inst.blocks[b].number] == room_ids[r]))
    for c in inst.classes:
        if c.spec.id in plan.learners:
            model.add(v.learners[c.index] == plan.learners[c.spec.id])


def lecturer_index(inst: Instance) -> dict[str, int]:
    return {lec.id: i for i, lec in enumerate(inst.scenario.lecturers)}


def fix_teaching(model: cp_model.CpModel, inst: Instance, teach: dict[tuple[int, int], Any], plan: Staffing) -> None:
    names, lecturers = segment_names(inst), lecturer_index(inst)
    chosen = {(names[seg], lecturers[lec]) for seg, who in plan.teach.items() for lec in who.split()}
    assert chosen <= set(teach), f"no variable for {sorted(chosen - set(teach))}: not a possible assignment"
    for key, lit in teach.items():
        model.add(lit == int(key in chosen))


def fix_staffing(model: cp_model.CpModel, inst: Instance, v: StaffingVars, plan: Staffing) -> None:
    fix_teaching(model, inst, v.teach, plan)
    names, lecturers = segment_names(inst), lecturer_index(inst)
    attended = {(names[seg], k, lecturers[obs]) for seg, k, obs in plan.visits}
    assert attended <= set(v.attend), f"no variable for {sorted(attended - set(v.attend))}"
    for key, lit in v.attend.items():
        model.add(lit == int(key in attended))
    teachers = {names[seg]: {lecturers[lec] for lec in who.split()} for seg, who in plan.teach.items()}
    for (s, lec), n in v.visits.items():
        model.add(n == (sum(1 for a in attended if a[0] == s) if lec in teachers.get(s, set()) else 0))


def fix_chances(model: cp_model.CpModel, inst: Instance, v: CalendarVars, plan: Staffing) -> None:
    names, lecturers = segment_names(inst), lecturer_index(inst)
    if plan.chances is None:
        counted = {(names[seg], lecturers[lec]) for seg, _, _ in plan.visits for lec in plan.teach[seg].split()}
    else:
        counted = {(names[seg], lecturers[lec]) for seg, lec in plan.chances}
    assert counted <= set(v.chances), f"no chance {sorted(counted - set(v.chances))}"
    for key, lit in v.chances.items():
        model.add(lit == int(key in counted))


def verdict(model: cp_model.CpModel) -> str:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 20
    status = solver.solve(model)
    assert status != cp_model.UNKNOWN, "no answer in 20 s"
    return "FEASIBLE" if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else "INFEASIBLE"


def minimum(model: cp_model.CpModel, expr: Any) -> int:
    """The least value of `expr` over the model's free (auxiliary) variables."""
    if isinstance(expr, int):
        assert verdict(model) == "FEASIBLE"
        return expr
    model.minimize(expr)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 20
    assert solver.solve(model) == cp_model.OPTIMAL
    return round(solver.objective_value)


def baseline_of(inst: Instance, plan: Calendar, staffing: Staffing) -> Timetable:
    """The timetable of a hand-made plan, by scenario ids (the baseline of a re-plan)."""
    starts, names = start_slots(inst, plan), segment_names(inst)
    name_of = {s: name for name, s in names.items()}
    sessions, visits = [], []
    for seg in inst.segments:
        c = inst.classes[seg.class_index]
        block = inst.blocks[seg.block]
        at = block.slots(starts[block.index])[seg.first : seg.first + seg.length]
        for k, t in enumerate(at):
            lecturer = staffing.teach[name_of[seg.index]]
            sessions.append(
                ScheduledSession(
                    class_id=c.spec.id,
                    module_id=c.program.modules[seg.module_index].id,
                    date=inst.slot_date(t),
                    period=inst.slot_period(t),
                    room_id=plan.rooms[c.spec.id][block.number],
                    lecturer_id=lecturer,
                )
            )
            for name, session, observer in staffing.visits:
                if names[name] == seg.index and session == k:
                    visits.append(
                        ObservationVisit(
                            lecturer_id=lecturer,
                            observer_id=observer,
                            class_id=c.spec.id,
                            date=inst.slot_date(t),
                            period=inst.slot_period(t),
                        )
                    )
    learners = {c.spec.id: plan.learners[c.spec.id] for c in inst.classes}
    return Timetable(scenario=inst.scenario.name, class_learners=learners, sessions=sessions, observations=visits)


FREEZE = dt.date(2020, 3, 12)  # BD-A and SC-1 (2/3-11/3) lie before it, BD-B (16/3-18/3) after


def replan_instance() -> Instance:
    """The tiny scenario re-planned from 12/3 with the hand-made plan as its baseline."""
    inst = build_instance(tiny())
    return build_instance(tiny(), baseline=baseline_of(inst, PLAN, STAFFED), freeze_before=FREEZE)


# --- stage 1, the calendar ----------------------------------------------------------------------

CalendarRule = Callable[[cp_model.CpModel, Instance, CalendarVars], None]


def add_topic_capacity(model: cp_model.CpModel, inst: Instance, v: CalendarVars) -> None:
    cal.add_topic_capacity(model, inst, v, pools=[])


def add_exclusions(model: cp_model.CpModel, inst: Instance, v: CalendarVars) -> None:
    """Stage 2 proved SC-1's first block on Tue 3/3 unstaffable."""
    cal.add_exclusions(model, v, [{block_of(inst, "SC-1"): slot(inst, "2020-03-03")}])


def calendar_verdict(inst: Instance, rule: CalendarRule | None, plan: Calendar, rooms: bool = True) -> str:
    model = cp_model.CpModel()
    v = cal.create_variables(model, inst)
    if rooms:
        room_literals(model, inst, v)
    if rule is not None:
        rule(model, inst, v)
    fix_calendar(model, inst, v, plan)
    return verdict(model)


@dataclass(frozen=True)
class CalendarCase:
    rule: CalendarRule
    broken: Calendar
    valid: Calendar = PLAN
    instance: Callable[[], Instance] = lambda: build_instance(tiny())
    room_literals: bool = True  # False where the family makes its own


def on(build: Callable[[], Scenario]) -> Callable[[], Instance]:
    return lambda: build_instance(build())


CALENDAR_CASES = [
    pytest.param(
        CalendarCase(cal.add_delivery, PLAN.but(starts={"SC-1": ("2020-03-02", "2020-03-05")})),
        id="add_delivery: SC-1's second block 1 day after its first, not 3",
    ),
    pytest.param(
        CalendarCase(cal.add_delivery, PLAN.but(starts={"SC-1": ("2020-03-10", "2020-03-02")})),
        id="add_delivery: SC-1's blocks in the wrong order",
    ),
    pytest.param(
        CalendarCase(cal.add_room_choice, PLAN.but(rooms={"BD-A": ("R1",)}), room_literals=False),
        id="add_room_choice: BD-A's 100 learners in R1's 50 seats",
    ),
    pytest.param(
        CalendarCase(
            cal.add_room_choice,
            PLAN,
            valid=PLAN.but(rooms={"SC-1": ("HALL", "HALL")}),
            instance=on(scenario(_sc1_held_to_the_hall)),
            room_literals=False,
        ),
        id="add_room_choice: SC-1 in R1, outside its allowed rooms (HALL)",
    ),
    pytest.param(
        CalendarCase(cal.add_room_clashes, PLAN.but(rooms={"SC-1": ("HALL", "R1")})),
        id="add_room_clashes: BD-A and SC-1 in HALL on 2/3",
    ),
    pytest.param(
        CalendarCase(
            cal.add_room_clashes,
            PLAN,
            valid=PLAN.but(rooms={"SC-1": ("R1", "HALL")}),
            instance=on(scenario(_r1_closed)),
        ),
        id="add_room_clashes: SC-1 in R1 while it is closed",
    ),
    pytest.param(
        CalendarCase(cal.add_room_counts, PLAN.but(starts={"BD-B": ("2020-03-02",)})),
        id="add_room_counts: three classes on 2/3, two rooms",
    ),
    pytest.param(
        CalendarCase(
            cal.add_room_counts,
            PLAN.but(starts={"BD-B": ("2020-03-02",)}),
            instance=on(scenario(_small_classes_held_to_hall_and_r1)),
        ),
        id="add_room_counts: three classes on 2/3 held to HALL and R1, three rooms",
    ),
    pytest.param(
        CalendarCase(cal.add_groups, PLAN.but(starts={"BD-B": ("2020-03-02",)}, rooms={"BD-B": ("HALL",)})),
        id="add_groups: BD-A and BD-B (both ward1) on 2/3",
    ),
    pytest.param(
        CalendarCase(cal.add_cohorts, PLAN.but(learners={"BD-B": 40}), instance=on(COHORT)),
        id="add_cohorts: 100 + 40 learners of a cohort of 145",
    ),
    pytest.param(
        CalendarCase(
            cal.add_gathering_limits,
            PLAN.but(starts={"BD-A": ("2020-03-16",), "BD-B": ("2020-03-02",)}),
            instance=on(scenario(_cohort, _gathering_limit)),
        ),
        id="add_gathering_limits: BD-A's 100 learners in the week of at most 60",
    ),
    pytest.param(
        CalendarCase(add_topic_capacity, PLAN.but(starts={"BD-B": ("2020-03-02",)})),
        id="add_topic_capacity: three pol sessions on 2/3 morning, two pol lecturers",
    ),
    pytest.param(
        CalendarCase(
            cal.add_observation_opportunities,
            PLAN,
            valid=PLAN.but(starts={"BD-A": ("2020-03-10",)}),
            instance=on(scenario(_one_observer_for_pt1)),
        ),
        id="add_observation_opportunities: PT1 teaches only while FT1, the only observer, is away",
    ),
    pytest.param(
        CalendarCase(cal.add_baseline, PLAN.but(rooms={"SC-1": ("HALL", "R1")}), instance=replan_instance),
        id="add_baseline: SC-1's first block, before the freeze date, in another room",
    ),
    pytest.param(
        CalendarCase(add_exclusions, PLAN.but(starts={"SC-1": ("2020-03-03", "2020-03-10")})),
        id="add_exclusions: SC-1 on a start combination stage 2 excluded",
    ),
]


@pytest.mark.parametrize("case", CALENDAR_CASES)
def test_a_calendar_rule_alone_accepts_the_plan_and_rejects_its_break(case: CalendarCase) -> None:
    inst = case.instance()
    assert calendar_verdict(inst, case.rule, case.valid, case.room_literals) == "FEASIBLE"
    assert calendar_verdict(inst, None, case.broken, case.room_literals) == "FEASIBLE"  # breaks this rule only
    assert calendar_verdict(inst, case.rule, case.broken, case.room_literals) == "INFEASIBLE"


def test_every_calendar_rule_family_has_a_case() -> None:
    tested = {case.values[0].rule.__name__ for case in CALENDAR_CASES}  # type: ignore[union-attr]
    assert {rule.__name__ for rule in cal.RULES} | {"add_topic_capacity", "add_exclusions"} <= tested


def _april(data: dict[str, Any]) -> None:
    data["calendar"]["end"] = dt.date(2020, 4, 30)


def _hall_borrowed(data: dict[str, Any]) -> None:
    data["rooms"][0]["kind"] = "borrowed"


def _congress(data: dict[str, Any]) -> None:
    event = {"id": "congress", "start": dt.date(2020, 3, 3), "end": dt.date(2020, 3, 4), "avoid_classes": True}
    data["calendar"]["events"] = [event]


def _bd_b_in_april(data: dict[str, Any]) -> None:
    data["classes"][1]["preferred_months"] = [4]


def _soft_capacity(data: dict[str, Any]) -> None:
    data["rules"] = {"soft_room_capacity": True}


CALENDAR_GOALS = [
    # March: BD-A and SC-1's first block; April: BD-B and SC-1's second
    pytest.param(
        "month_spread",
        scenario(_april),
        PLAN.but(starts={"BD-B": ("2020-04-06",), "SC-1": ("2020-03-02", "2020-04-13")}),
        2,
        id="month_spread",
    ),
    pytest.param(
        "borrowed_room",
        scenario(_hall_borrowed),
        PLAN.but(rooms={"SC-1": ("R1", "HALL")}),
        6 + 4,
        id="borrowed_room",
    ),
    pytest.param("room_stability", tiny, PLAN.but(rooms={"SC-1": ("R1", "HALL")}), 1, id="room_stability"),
    pytest.param("preferred_months", scenario(_april, _bd_b_in_april), PLAN, 1, id="preferred_months"),
    # BD-A meets 2-4/3 (4 sessions on 3 and 4/3), SC-1's first block 2-3/3 (2 on 3/3)
    pytest.param("avoid_event_days", scenario(_congress), PLAN, 4 + 2, id="avoid_event_days"),
    # BD-A's 100 learners in R1's 50 seats, 6 sessions
    pytest.param(
        "room_capacity", scenario(_soft_capacity), PLAN.but(rooms={"BD-A": ("R1",)}), 6 * 50, id="room_capacity"
    ),
]


@pytest.mark.parametrize(("goal", "build", "plan", "expected"), CALENDAR_GOALS)
def test_a_calendar_goal_at_a_fixed_plan_is_the_count_by_hand(
    goal: str, build: Callable[[], Scenario], plan: Calendar, expected: int
) -> None:
    inst = build_instance(build())
    model = cp_model.CpModel()
    v = cal.create_variables(model, inst)
    room_literals(model, inst, v)
    fix_calendar(model, inst, v, plan)
    assert minimum(model, cal.GOALS[goal](model, inst, v)) == expected


# --- stage 2, staffing a fixed calendar ---------------------------------------------------------

StaffingRule = Callable[[cp_model.CpModel, Instance, StaffingVars], None]


def staffing_verdict(inst: Instance, rule: StaffingRule | None, plan: Staffing) -> str:
    model = cp_model.CpModel()
    v = staff.create_variables(model, inst, start_slots(inst, PLAN))
    if rule is not None:
        rule(model, inst, v)
    fix_staffing(model, inst, v, plan)
    return verdict(model)


@dataclass(frozen=True)
class StaffingCase:
    rule: StaffingRule
    broken: Staffing
    valid: Staffing = STAFFED
    instance: Callable[[], Instance] = lambda: build_instance(tiny())


FT1_TAKES_BD_B_M3 = STAFFED.but(teach={"BD-B/m3": "FT1"})  # FT1: 7 + 3 sessions in March

STAFFING_CASES = [
    pytest.param(
        StaffingCase(staff.add_one_lecturer_per_segment, STAFFED.but(teach={"SC-1/s2": ""})),
        id="add_one_lecturer_per_segment: nobody teaches SC-1 s2",
    ),
    pytest.param(
        StaffingCase(staff.add_one_lecturer_per_segment, STAFFED.but(teach={"SC-1/s2": "FT1 FT2"})),
        id="add_one_lecturer_per_segment: FT1 and FT2 both teach SC-1 s2",
    ),
    pytest.param(
        StaffingCase(staff.add_one_place_per_slot, STAFFED.but(teach={"SC-1/s1": "FT1"})),
        id="add_one_place_per_slot: FT1 teaches BD-A m1 and SC-1 s1 on 2/3",
    ),
    pytest.param(
        StaffingCase(staff.add_one_place_per_slot, STAFFED.but(visits=(*STAFFED.visits[:2], ("SC-1/s1", 0, "FT1")))),
        id="add_one_place_per_slot: FT1 watches SC-1 s1 while teaching BD-A m1",
    ),
    pytest.param(
        StaffingCase(
            staff.add_loads,
            STAFFED.but(teach={"BD-B/m1": "FT2"}),
            instance=on(scenario(_lecturer("FT2", max_sessions_per_week=4))),
        ),
        id="add_loads: FT2 5 sessions in the week of 16/3, at most 4",
    ),
    pytest.param(
        StaffingCase(
            staff.add_loads, FT1_TAKES_BD_B_M3, instance=on(scenario(_lecturer("FT1", max_sessions_per_month=7)))
        ),
        id="add_loads: FT1 10 sessions in March, at most 7",
    ),
    pytest.param(
        StaffingCase(
            staff.add_loads, FT1_TAKES_BD_B_M3, instance=on(scenario(_lecturer("FT1", max_sessions_per_year=7)))
        ),
        id="add_loads: FT1 10 sessions in the year, at most 7",
    ),
    pytest.param(
        StaffingCase(staff.add_observations, STAFFED.but(visits=STAFFED.visits[1:])),
        id="add_observations: PT1 never observed",
    ),
    pytest.param(
        StaffingCase(staff.add_observations, STAFFED.but(visits=(*STAFFED.visits, ("BD-B/m2", 0, "FT1")))),
        id="add_observations: PT1 observed twice",
    ),
    pytest.param(
        StaffingCase(
            staff.add_baseline, STAFFED.but(teach={"BD-A/m1": "FT2", "SC-1/s1": "FT1"}), instance=replan_instance
        ),
        id="add_baseline: BD-A m1, before the freeze date, taught by another lecturer",
    ),
    pytest.param(
        StaffingCase(staff.add_baseline, STAFFED.but(visits=STAFFED.visits[1:]), instance=replan_instance),
        id="add_baseline: PT1's visit, made before the freeze date, dropped",
    ),
]


@pytest.mark.parametrize("case", STAFFING_CASES)
def test_a_staffing_rule_alone_accepts_the_plan_and_rejects_its_break(case: StaffingCase) -> None:
    inst = case.instance()
    assert staffing_verdict(inst, case.rule, case.valid) == "FEASIBLE"
    assert staffing_verdict(inst, None, case.broken) == "FEASIBLE"  # breaks this rule only
    assert staffing_verdict(inst, case.rule, case.broken) == "INFEASIBLE"


def test_every_staffing_rule_family_has_a_case() -> None:
    tested = {case.values[0].rule.__name__ for case in STAFFING_CASES}  # type: ignore[union-attr]
    assert {rule.__name__ for rule in staff.RULES} <= tested


def _norm(data: dict[str, Any]) -> None:
    _lecturer("FT1", norm_sessions_per_year=10)(data)


def _share(data: dict[str, Any]) -> None:
    data["staffing"] = {"part_time_share": 0.2}


def _specialist(data: dict[str, Any]) -> None:
    data["programs"][0]["modules"][0]["preferred_lecturers"] = ["FT2"]


STAFFING_GOALS = [
    pytest.param("lecturer_balance", tiny, STAFFED, 11 - 7, id="lecturer_balance"),  # full-time loads: FT2 11, FT1 7
    pytest.param("teaching_norm", scenario(_norm), STAFFED, 10 - 7, id="teaching_norm"),
    # 20 sessions, a fifth of them 4, PT1 teaches 2
    pytest.param("part_time_share", scenario(_share), STAFFED, 4 - 2, id="part_time_share"),
    pytest.param("specialist", scenario(_specialist), STAFFED, 2 + 2, id="specialist"),  # both m1 taught by FT1
    pytest.param("observation_spread", tiny, STAFFED, 3, id="observation_spread"),  # three visits, all in March
    pytest.param(
        "module_lecturer_stability", tiny, STAFFED, 0, id="module_lecturer_stability"
    ),  # one segment per module
]


@pytest.mark.parametrize(("goal", "build", "plan", "expected"), STAFFING_GOALS)
def test_a_staffing_goal_at_a_fixed_staffing_is_the_count_by_hand(
    goal: str, build: Callable[[], Scenario], plan: Staffing, expected: int
) -> None:
    inst = build_instance(build())
    model = cp_model.CpModel()
    v = staff.create_variables(model, inst, start_slots(inst, PLAN))
    fix_staffing(model, inst, v, plan)
    assert minimum(model, staff.GOALS[goal](model, inst, v)) == expected


# --- stage 1's teaching layer: who teaches, decided with the calendar ---------------------------

LayerRule = Callable[[cp_model.CpModel, Instance, CalendarVars, StaffingVars], None]


def layer_verdict(inst: Instance, rule: LayerRule | None, plan: Staffing, calendar: Calendar = PLAN) -> str:
    model = cp_model.CpModel()
    cv = cal.create_variables(model, inst)
    chance_literals(model, inst, cv)
    tv = layer.create_teaching(model, inst, cv)
    if rule is not None:
        rule(model, inst, cv, tv)
    fix_calendar(model, inst, cv, calendar)
    fix_teaching(model, inst, tv.teach, plan)
    fix_chances(model, inst, cv, plan)
    return verdict(model)


def one_lecturer(model: cp_model.CpModel, inst: Instance, cv: CalendarVars, tv: StaffingVars) -> None:
    layer.add_one_lecturer(model, inst, tv)


def lecturer_clashes(model: cp_model.CpModel, inst: Instance, cv: CalendarVars, tv: StaffingVars) -> None:
    layer.add_lecturer_clashes(model, inst, cv, tv)


def yearly_caps(model: cp_model.CpModel, inst: Instance, cv: CalendarVars, tv: StaffingVars) -> None:
    layer.add_yearly_caps(model, inst, tv)


def visit_teachers(model: cp_model.CpModel, inst: Instance, cv: CalendarVars, tv: StaffingVars) -> None:
    layer.add_visit_teachers(model, cv, tv)


def frozen_lecturers(model: cp_model.CpModel, inst: Instance, cv: CalendarVars, tv: StaffingVars) -> None:
    layer.add_frozen_lecturers(model, inst, tv)


@dataclass(frozen=True)
class LayerCase:
    rule: LayerRule
    broken: Staffing
    instance: Callable[[], Instance] = lambda: build_instance(tiny())


LAYER_CASES = [
    pytest.param(
        LayerCase(one_lecturer, STAFFED.but(teach={"SC-1/s2": ""})), id="add_one_lecturer: nobody for SC-1 s2"
    ),
    pytest.param(
        LayerCase(one_lecturer, STAFFED.but(teach={"SC-1/s2": "FT1 FT2"})), id="add_one_lecturer: two for SC-1 s2"
    ),
    pytest.param(
        LayerCase(lecturer_clashes, STAFFED.but(teach={"SC-1/s1": "FT1"})),
        id="add_lecturer_clashes: FT1 teaches BD-A m1 and SC-1 s1 on 2/3",
    ),
    pytest.param(
        LayerCase(yearly_caps, FT1_TAKES_BD_B_M3, on(scenario(_lecturer("FT1", max_sessions_per_year=7)))),
        id="add_yearly_caps: FT1 10 sessions in the year, at most 7",
    ),
    pytest.param(
        LayerCase(
            visit_teachers, STAFFED.but(teach={"SC-1/s2": "FT1", "SC-1/s1": "FT2"}, chances=(("SC-1/s2", "FT2"),))
        ),
        id="add_visit_teachers: SC-1 s2 counted as FT2's chance of a visit, FT1 teaches it",
    ),
    pytest.param(
        LayerCase(frozen_lecturers, STAFFED.but(teach={"BD-A/m1": "FT2", "SC-1/s1": "FT1"}), replan_instance),
        id="add_frozen_lecturers: BD-A m1, before the freeze date, taught by another lecturer",
    ),
]


@pytest.mark.parametrize("case", LAYER_CASES)
def test_a_teaching_layer_rule_alone_accepts_the_plan_and_rejects_its_break(case: LayerCase) -> None:
    inst = case.instance()
    assert layer_verdict(inst, case.rule, STAFFED) == "FEASIBLE"
    assert layer_verdict(inst, None, case.broken) == "FEASIBLE"  # breaks this rule only
    assert layer_verdict(inst, case.rule, case.broken) == "INFEASIBLE"


def test_the_layer_ties_a_lecturer_to_the_starts_where_they_are_free() -> None:
    """Not a rule family but the layer's variables: a lecturer teaches a segment only at starts of its
    block where they are free for all of it. FT1 is away on Tuesday mornings here, so FT1 teaching
    BD-A's m1 with BD-A starting on Tue 10/3 is infeasible by the variables alone; FT2 may."""
    inst = build_instance(scenario(_one_observer_for_pt1)())
    tuesday = PLAN.but(starts={"BD-A": ("2020-03-10",)})
    no_chances = STAFFED.but(chances=())
    assert layer_verdict(inst, None, no_chances) == "FEASIBLE"
    assert layer_verdict(inst, None, no_chances, tuesday) == "INFEASIBLE"
    assert layer_verdict(inst, None, no_chances.but(teach={"BD-A/m1": "FT2"}), tuesday) == "FEASIBLE"


def test_the_only_observer_of_a_chance_cannot_teach_while_watching_it() -> None:
    """`add_lecturer_clashes` also books the session a chance is watched in: FT1, the only observer
    of PT1 here, watches BD-A's m2 on Wed 11/3 morning (BD-A from Tue 10/3), so FT1 may not teach
    SC-1's s2 (Wed 11/3 and Thu 12/3) while that segment counts as PT1's chance."""
    inst = build_instance(scenario(_one_observer_for_pt1)())
    calendar = PLAN.but(starts={"BD-A": ("2020-03-10",), "SC-1": ("2020-03-02", "2020-03-11")})
    watched = STAFFED.but(teach={"BD-A/m1": "FT2", "BD-A/m3": "FT1", "SC-1/s2": "FT2"}, chances=(("BD-A/m2", "PT1"),))
    ft1_teaches_then = watched.but(teach={"BD-A/m3": "FT2", "SC-1/s2": "FT1"})
    assert layer_verdict(inst, lecturer_clashes, watched, calendar) == "FEASIBLE"
    assert layer_verdict(inst, None, ft1_teaches_then, calendar) == "FEASIBLE"
    assert layer_verdict(inst, lecturer_clashes, ft1_teaches_then, calendar) == "INFEASIBLE"
    assert layer_verdict(inst, lecturer_clashes, ft1_teaches_then.but(chances=()), calendar) == "FEASIBLE"


def _two_visits_for_pt1(data: dict[str, Any]) -> None:
    """PT1 (law now, free all week) must be visited twice, by FT1, and only the so cấp class counts:
    PT1's one observable segment is SC-1's s2, four sessions."""
    data["observation"] = {
        "observed_kinds": ["part_time"],
        "observers": ["FT1"],
        "visits_per_lecturer": 2,
        "programs": ["SC"],
    }
    pt1 = next(lec for lec in data["lecturers"] if lec["id"] == "PT1")
    pt1["topics"] = ["local", "law"]
    del pt1["available"]


def test_two_visits_may_share_one_segment() -> None:
    """Stage 2 and the checker accept two visits in one segment's distinct sessions, so stage 1's
    observation rule counts a segment for up to its sessions' worth of visits: with one observable
    segment and two visits needed, the plan is no longer infeasible by that rule (a false proof)."""
    inst = build_instance(scenario(_two_visits_for_pt1)())
    assert [lec for (_, lec) in inst.visit_chances] == [inst.observed[0]]  # one chance: SC-1's s2
    assert calendar_verdict(inst, cal.add_observation_opportunities, PLAN) == "FEASIBLE"
    staffed = STAFFED.but(teach={"SC-1/s2": "PT1"}, visits=(("SC-1/s2", 0, "FT1"), ("SC-1/s2", 1, "FT1")))
    assert staffing_verdict(inst, staff.add_observations, staffed) == "FEASIBLE"
