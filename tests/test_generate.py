"""Tests of the built-in scenarios (hoang_mai_2020, tutorial) and the scale generator."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from llct_sched.scenario import Lecturer, LecturerKind, Period, Program, ProgramType, Scenario, TaughtBy
from llct_sched.scenario.generate import generate_scenario
from llct_sched.scenario.loading import load_scenario

ROOT = Path(__file__).resolve().parents[1]


def totals(scenario: Scenario) -> dict[tuple[str, str | None], tuple[int, int]]:
    """(program type, bloc) -> (classes, learners); a cohort's learners count once."""
    types = {p.id: p.type for p in scenario.programs}
    cohort_of = {c: h for h in scenario.cohorts for c in h.classes}
    classes: Counter[tuple[str, str | None]] = Counter()
    learners: Counter[tuple[str, str | None]] = Counter()
    seen: set[str] = set()
    for klass in scenario.classes:
        key = (types[klass.program].value, klass.bloc.value if klass.bloc is not None else None)
        classes[key] += 1
        cohort = cohort_of.get(klass.id)
        if cohort is None:
            assert klass.learners is not None
            learners[key] += klass.learners
        elif cohort.id not in seen:
            seen.add(cohort.id)
            learners[key] += cohort.learners
    return {key: (classes[key], learners[key]) for key in classes}


def assert_references_resolve(s: Scenario) -> None:
    rooms = {r.id for r in s.rooms}
    lecturers = {lect.id for lect in s.lecturers}
    programs = {p.id: p for p in s.programs}
    classes = {c.id for c in s.classes}
    groups = {g.id for g in s.groups}
    events = {e.id for e in s.calendar.events}
    for ids in (rooms, lecturers, programs, classes, groups, events, {h.id for h in s.cohorts}):
        assert ids  # non-empty
    assert len(rooms) == len(s.rooms) and len(lecturers) == len(s.lecturers) and len(classes) == len(s.classes)
    assert len(groups) == len(s.groups) and len({h.id for h in s.cohorts}) == len(s.cohorts)
    for klass in s.classes:
        assert klass.program in programs
        assert set(klass.groups) <= groups
        assert klass.pinned_room is None or klass.pinned_room in rooms
        assert klass.allowed_rooms is None or set(klass.allowed_rooms) <= rooms
        for event in (klass.not_before_event, klass.not_after_event):
            assert event is None or event in events
    for cohort in s.cohorts:
        assert set(cohort.classes) <= classes
    for lecturer in s.lecturers:
        assert set(lecturer.unavailable_events) <= events
    assert s.observation.observers is not None
    assert set(s.observation.observers) <= lecturers
    offered = {t for lect in s.lecturers for t in lect.topics}
    for program in s.programs:
        if program.taught_by == TaughtBy.center:
            assert {m.topic for m in program.modules} <= offered


def teachable_in_one_day(lecturer: Lecturer, program: Program) -> bool:
    """Whether the lecturer can give a whole module of the program within one block on one day.

    Sessions take the modules in list order, both sessions of a day when sessions_per_day is 2,
    and one lecturer gives a module within a block (docs/rules.md).
    """
    assert all(m.after is None for m in program.modules)
    per_block = program.total_sessions // program.delivery.blocks
    d = program.delivery.sessions_per_day
    position = 0
    for module in program.modules:
        if module.topic in lecturer.topics:
            by_block_day: dict[tuple[int, int], set[Period]] = {}
            for i in range(position, position + module.sessions):
                block, j = divmod(i, per_block)
                period = (Period.morning, Period.afternoon)[j % 2] if d == 2 else None
                by_block_day.setdefault((block, j // d), set()).update([period] if period else [])
            if len(by_block_day) == 1 and d == 2:
                (needed,) = by_block_day.values()
                if lecturer.available is None or any(needed <= set(p) for p in lecturer.available.values()):
                    return True
        position += module.sessions
    return False


def assert_every_part_timer_can_teach(s: Scenario) -> None:
    center = [p for p in s.programs if p.taught_by == TaughtBy.center]
    for lecturer in s.lecturers:
        assert any(teachable_in_one_day(lecturer, p) for p in center), lecturer.id


# --- the default scenario ------------------------------------------------------------------


@pytest.fixture(scope="module")
def default() -> Scenario:
    return load_scenario("hoang_mai_2020")


def test_default_has_the_seed_classes_and_learners(default: Scenario) -> None:
    assert len(default.classes) == 48
    assert totals(default) == {
        ("trung_cap", None): (2, 141),
        ("so_cap", None): (1, 40),
        ("boi_duong", "dang"): (30, 3342),
        ("boi_duong", "chinh_quyen"): (9, 760),
        ("boi_duong", "doan_the"): (6, 447),
    }
    assert sum(learners for _, learners in totals(default).values()) == 4730


def test_default_keeps_the_plans_own_39(default: Scenario) -> None:
    loose = [t for t in default.targets if t.program_type == ProgramType.boi_duong and t.bloc is None]
    assert [t.classes for t in loose] == [39]
    assert sum(1 for k in default.classes if k.program.startswith("bd_")) == 45


def test_default_references_resolve_and_classes_fit_rooms(default: Scenario) -> None:
    assert_references_resolve(default)
    largest = max(r.seats for r in default.rooms)
    assert all(k.learners is None or k.learners <= largest for k in default.classes)
    cohort = default.cohorts[0]
    assert cohort.max_per_class is not None
    assert sum(1 for r in default.rooms if r.seats >= cohort.max_per_class and r.kind == "classroom") >= 2


def test_default_staff(default: Scenario) -> None:
    kinds = Counter(lect.kind for lect in default.lecturers)
    assert kinds[LecturerKind.full_time] == 4 and kinds[LecturerKind.part_time] == 15
    needed = {m.topic for p in default.programs if p.taught_by == TaughtBy.center for m in p.modules}
    for lecturer in default.lecturers:
        assert needed.intersection(lecturer.topics), lecturer.id
        if lecturer.kind == LecturerKind.part_time and lecturer.id != "giam_doc":
            assert lecturer.available is not None
            assert 1 <= sum(len(p) for p in lecturer.available.values()) <= 2, lecturer.id
    part = [lect for lect in default.lecturers if lect.kind == LecturerKind.part_time]
    full = [lect for lect in default.lecturers if lect.kind == LecturerKind.full_time]
    assert all(lect.innovation_report for lect in full)
    assert_every_part_timer_can_teach(default)
    assert 2 * sum(lect.innovation_report for lect in part) >= len(part)


def test_default_validates_with_only_the_39_warning(default: Scenario) -> None:
    validate = pytest.importorskip("llct_sched.scenario.validate").validate
    issues = validate(default)
    assert [i.path for i in issues] == ["targets[2].classes"]


def test_tutorial_loads_and_example_copy_is_identical() -> None:
    tutorial = load_scenario("tutorial")
    assert (len(tutorial.rooms), len(tutorial.lecturers), len(tutorial.programs), len(tutorial.classes)) == (
        2,
        4,
        3,
        5,
    )
    assert len(tutorial.cohorts) == 1 and len(tutorial.groups) == 1
    packaged = ROOT / "src" / "llct_sched" / "data" / "tutorial.yaml"
    assert (ROOT / "examples" / "tutorial.yaml").read_bytes() == packaged.read_bytes()
    assert_references_resolve(tutorial)
    assert_every_part_timer_can_teach(tutorial)


# --- the generator -------------------------------------------------------------------------


def test_generator_is_deterministic() -> None:
    assert generate_scenario(2, seed=7).model_dump() == generate_scenario(2, seed=7).model_dump()


def test_generator_seeds_differ() -> None:
    assert generate_scenario(2, seed=0).model_dump() != generate_scenario(2, seed=1).model_dump()


@pytest.mark.parametrize("scale", [1, 3])
def test_generator_scales_counts(default: Scenario, scale: int) -> None:
    s = generate_scenario(scale, seed=3)
    assert s.name == f"generated_scale{scale}_seed3"
    assert len(s.classes) == scale * len(default.classes)
    assert len(s.rooms) == scale * len(default.rooms)
    assert len(s.lecturers) == scale * len(default.lecturers)
    assert len(s.groups) == scale * len(default.groups)
    assert len(s.cohorts) == scale * len(default.cohorts)
    assert s.programs == default.programs and s.calendar == default.calendar
    assert_references_resolve(s)
    counts = {key: n for key, (n, _) in totals(s).items()}
    assert counts == {key: scale * n for key, (n, _) in totals(default).items()}


def test_generator_copy_k_uses_its_own_groups_and_cohorts() -> None:
    s = generate_scenario(3, seed=1)
    for klass in s.classes:
        suffix = klass.id.rsplit("-", 1)[1]
        assert all(g.endswith(f"-{suffix}") for g in klass.groups)
    for cohort in s.cohorts:
        suffix = cohort.id.rsplit("-", 1)[1]
        assert all(c.endswith(f"-{suffix}") for c in cohort.classes)


def test_generator_learners_stay_within_rooms_and_cohorts(default: Scenario) -> None:
    base_learners = {k.id: k.learners for k in default.classes}
    seats = sorted(r.seats for r in default.rooms)
    for seed in range(5):
        s = generate_scenario(2, seed=seed)
        for klass in s.classes:
            original = base_learners[klass.id.rsplit("-", 1)[0]]
            if original is None:
                assert klass.learners is None
                continue
            assert klass.learners is not None
            # the same room size band as the original class
            band = min(x for x in seats if x >= original)
            assert klass.learners <= band
            assert min(x for x in seats if x >= klass.learners) == band
            assert abs(klass.learners - original) <= max(1, round(original * 0.1))
        for cohort in s.cohorts:
            assert cohort.max_per_class is not None
            n = len(cohort.classes)
            assert n * cohort.min_per_class <= cohort.learners <= n * cohort.max_per_class


def test_generator_reshuffles_part_time_availability_keeping_counts(default: Scenario) -> None:
    s = generate_scenario(2, seed=4)
    base = {lect.id: lect for lect in default.lecturers}
    changed = 0
    for lecturer in s.lecturers:
        original = base[lecturer.id.rsplit("-", 1)[0]]
        if original.available is None:
            assert lecturer.available is None
            continue
        assert lecturer.available is not None
        count = sum(len(p) for p in lecturer.available.values())
        assert count == sum(len(p) for p in original.available.values())
        assert set(lecturer.available) <= set(s.calendar.working_weekdays)
        changed += lecturer.available != original.available
    assert changed > 0


def test_generator_targets() -> None:
    s = generate_scenario(2, seed=0)
    by_key = totals(s)
    for target in s.targets:
        if target.bloc is None and target.program_type == ProgramType.boi_duong:
            assert target.classes == 78  # the plan's 39, doubled: still disagrees with 90
            continue
        key = (target.program_type.value, target.bloc.value if target.bloc is not None else None)
        assert (target.classes, target.learners) == by_key[key]


def test_generator_rejects_scale_zero() -> None:
    with pytest.raises(ValueError):
        generate_scenario(0)


# --- per-center pools ----------------------------------------------------------------------


def _copy(item_id: str) -> str:
    return item_id.rsplit("-", 1)[1]


def test_per_center_copies_teach_with_their_own_lecturers_only() -> None:
    pooled, own = generate_scenario(3, seed=2), generate_scenario(3, seed=2, per_center=True)
    assert own.name == "generated_scale3_seed2_per_center"
    # the same draws: learners, cohorts, availability, rooms
    assert [k.learners for k in own.classes] == [k.learners for k in pooled.classes]
    assert [h.learners for h in own.cohorts] == [h.learners for h in pooled.cohorts]
    assert [lec.available for lec in own.lecturers] == [lec.available for lec in pooled.lecturers]
    assert own.rooms == pooled.rooms and own.targets == pooled.targets
    assert_references_resolve(own)
    # each copy's classes are held to that copy's rooms, all of them; pooled classes may use any room
    for klass in own.classes:
        assert klass.allowed_rooms == [r.id for r in own.rooms if _copy(r.id) == _copy(klass.id)], klass.id
    assert len(own.classes[0].allowed_rooms or []) == len(own.rooms) // 3
    assert all(klass.allowed_rooms is None for klass in pooled.classes)
    programs = {p.id: p for p in own.programs}
    for klass in own.classes:
        program = programs[klass.program]
        if program.taught_by != TaughtBy.center:
            continue
        teachers = {lec.id for lec in own.lecturers for m in program.modules if m.topic in lec.topics}
        assert teachers and {_copy(t) for t in teachers} == {_copy(klass.id)}, klass.id
    # pooled: any copy's lecturer may teach any class
    programs = {p.id: p for p in pooled.programs}
    klass = next(k for k in pooled.classes if programs[k.program].taught_by == TaughtBy.center)
    teachers = {lec.id for lec in pooled.lecturers for m in programs[klass.program].modules if m.topic in lec.topics}
    assert len({_copy(t) for t in teachers}) == 3


def test_per_center_scenario_solves_and_each_class_is_taught_by_its_copy_in_its_rooms() -> None:
    from llct_sched.pipeline import run_solve
    from llct_sched.solve import SolveParams

    scenario = generate_scenario(2, seed=0, per_center=True)
    outcome = run_solve(scenario, SolveParams(time_limit=5, workers=1), explain=False)
    assert outcome.timetable is not None and outcome.check is not None and outcome.check.ok
    taught = [s for s in outcome.timetable.sessions if s.lecturer_id is not None]
    assert taught and all(_copy(s.lecturer_id or "") == _copy(s.class_id) for s in taught)
    assert all(_copy(s.room_id) == _copy(s.class_id) for s in outcome.timetable.sessions)


def test_generate_per_center_from_the_cli(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from llct_sched.cli import app

    out = tmp_path / "per_center.yaml"
    run = CliRunner().invoke(app, ["--lang", "en", "generate", "--scale", "2", "--per-center", "-o", str(out)])
    assert run.exit_code == 0, run.output
    assert load_scenario(out).name == "generated_scale2_seed0_per_center"
    pooled = tmp_path / "pooled.yaml"
    assert CliRunner().invoke(app, ["generate", "--scale", "2", "--pooled", "-o", str(pooled)]).exit_code == 0
    assert load_scenario(pooled).name == "generated_scale2_seed0"
