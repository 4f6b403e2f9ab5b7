"""What-if variants: patches apply as written, unknown ids are located errors, examples validate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from llct_sched.errors import ScenarioError
from llct_sched.scenario import Scenario
from llct_sched.scenario.loading import (
    builtin_scenario_text,
    load_scenario,
    load_variant,
    load_variants,
    variant_scenario,
)
from llct_sched.scenario.variants import Patch, apply_patches, parse_variant

EXAMPLES = sorted((Path(__file__).parent.parent / "examples" / "variants").glob("*.yaml"))


@pytest.fixture(scope="module")
def tutorial() -> Scenario:
    return load_scenario("tutorial")


def patched(base: Scenario, *patches: dict[str, Any]) -> Scenario:
    return apply_patches(base, [Patch.model_validate(p) for p in patches], file="v.yaml")


def issues_of(base: Scenario, *patches: dict[str, Any]) -> list[tuple[str, str, str]]:
    with pytest.raises(ScenarioError) as caught:
        patched(base, *patches)
    return [(i.file, i.path, i.message) for i in caught.value.issues]


def by_id(items: list[Any]) -> dict[str, Any]:
    return {x.id: x for x in items}


# --- patches apply as written ------------------------------------------------------------------


def test_add_items_to_every_kind_of_list(tutorial: Scenario) -> None:
    result = patched(
        tutorial,
        {"add": {"what": "rooms", "item": {"id": "phong_moi", "seats": 40}}},
        {"add": {"what": "lecturers", "item": {"id": "gv_moi", "topics": ["mln"]}}},
        {"add": {"what": "classes", "item": {"id": "qt_moi", "program": "quan_triet", "learners": 30}}},
        {"add": {"what": "blackouts", "item": {"id": "bao", "start": "2020-09-29", "end": "2020-09-30"}}},
        {"add": {"what": "events", "item": {"id": "le", "start": "2020-09-18"}}},
        {"add": {"what": "groups", "item": {"id": "nhom_moi"}}},
        {
            "add": {
                "what": "programs",
                "item": {"id": "p", "type": "boi_duong", "modules": [{"id": "m", "sessions": 2, "topic": "dang"}]},
            }
        },
        {"add": {"what": "cohorts", "item": {"id": "c", "learners": 50, "classes": ["qt_moi"]}}},
    )
    assert by_id(result.rooms)["phong_moi"].seats == 40
    assert result.rooms[-1].id == "phong_moi" and len(result.rooms) == len(tutorial.rooms) + 1
    assert by_id(result.lecturers)["gv_moi"].topics == ["mln"]
    assert by_id(result.classes)["qt_moi"].learners == 30
    assert by_id(result.calendar.blackouts)["bao"].end == dt.date(2020, 9, 30)
    assert by_id(result.calendar.events)["le"].start == dt.date(2020, 9, 18)
    assert "nhom_moi" in by_id(result.groups)
    assert by_id(result.programs)["p"].total_sessions == 2
    assert by_id(result.cohorts)["c"].classes == ["qt_moi"]
    # the base is untouched
    assert "phong_moi" not in by_id(tutorial.rooms)


def test_remove_and_change_by_id(tutorial: Scenario) -> None:
    result = patched(
        tutorial,
        {"remove": {"what": "events", "id": "ngay_ky_niem"}},
        {"remove": {"what": "blackouts", "id": "cat_dien"}},
        {"change": {"what": "rooms", "id": "phong_hoc", "set": {"seats": 70, "unavailable": []}}},
        {"change": {"what": "classes", "id": "qt_co_quan", "set": {"learners": 95, "preferred_months": [9]}}},
        {"change": {"what": "cohorts", "id": "so_cap_2020", "set": {"learners": 110}}},
        {"change": {"what": "lecturers", "id": "kc_dung", "set": {"available": None}}},
    )
    assert "ngay_ky_niem" not in by_id(result.calendar.events)
    assert len(result.calendar.events) == len(tutorial.calendar.events) - 1
    assert result.calendar.blackouts == []
    room = by_id(result.rooms)["phong_hoc"]
    assert (room.seats, room.unavailable, room.kind.value) == (70, [], "classroom")  # other fields kept
    klass = by_id(result.classes)["qt_co_quan"]
    assert (klass.learners, klass.preferred_months, klass.pinned_room) == (95, [9], "hoi_truong")
    assert by_id(result.cohorts)["so_cap_2020"].learners == 110
    assert by_id(result.lecturers)["kc_dung"].available is None


def test_scale_learners_filters_rounding_and_cohorts(tutorial: Scenario) -> None:
    everything = patched(tutorial, {"scale_learners": {"factor": 1.1}})
    learners = {c.id: c.learners for c in everything.classes}
    assert learners == {"sc_lop_1": None, "sc_lop_2": None, "dvm_phuong_a": 50, "qt_phuong_a": 132, "qt_co_quan": 99}
    assert everything.cohorts[0].learners == 110
    assert (everything.cohorts[0].min_per_class, everything.cohorts[0].max_per_class) == (40, 60)

    only_bloc = patched(tutorial, {"scale_learners": {"factor": 1.01, "bloc": "dang", "rounding": "up"}})
    learners = {c.id: c.learners for c in only_bloc.classes}
    assert (learners["dvm_phuong_a"], learners["qt_phuong_a"], learners["qt_co_quan"]) == (46, 122, 90)
    assert only_bloc.cohorts[0].learners == 100  # the sơ cấp classes have no bloc

    so_cap = patched(tutorial, {"scale_learners": {"factor": 0.9, "program_type": "so_cap", "rounding": "down"}})
    assert so_cap.cohorts[0].learners == 90
    assert {c.id: c.learners for c in so_cap.classes}["qt_co_quan"] == 90

    no_cohorts = patched(tutorial, {"scale_learners": {"factor": 2, "cohorts": False, "programs": ["so_cap_rut_gon"]}})
    assert no_cohorts.cohorts[0].learners == 100

    named = patched(tutorial, {"scale_learners": {"factor": 0.5, "classes": ["qt_co_quan"]}})
    assert {c.id: c.learners for c in named.classes}["qt_co_quan"] == 45
    assert {c.id: c.learners for c in named.classes}["qt_phuong_a"] == 120


def test_weights_change_only_the_named_goals(tutorial: Scenario) -> None:
    result = patched(tutorial, {"weights": {"month_spread": 0, "borrowed_room": 7}})
    assert result.weights.month_spread == 0 and result.weights.borrowed_room == 7
    others = {k: v for k, v in result.weights.model_dump().items() if k not in ("month_spread", "borrowed_room")}
    assert others == {k: v for k, v in tutorial.weights.model_dump().items() if k in others}


def test_patches_apply_in_order(tutorial: Scenario) -> None:
    result = patched(
        tutorial,
        {"add": {"what": "rooms", "item": {"id": "tam", "seats": 10}}},
        {"change": {"what": "rooms", "id": "tam", "set": {"seats": 20}}},
        {"remove": {"what": "rooms", "id": "tam"}},
    )
    assert [r.id for r in result.rooms] == [r.id for r in tutorial.rooms]


# --- located errors ----------------------------------------------------------------------------


def test_unknown_ids_are_located_errors(tutorial: Scenario) -> None:
    found = issues_of(
        tutorial,
        {"weights": {"month_spread": 0}},
        {"remove": {"what": "rooms", "id": "R9"}},
        {"change": {"what": "classes", "id": "X", "set": {"learners": 3}}},
        {"change": {"what": "blackouts", "id": "no_such", "set": {"end": "2020-09-20"}}},
        {"add": {"what": "lecturers", "item": {"id": "gv_an"}}},
        {"scale_learners": {"factor": 2, "programs": ["P9"], "classes": ["qt_co_quan", "C9"]}},
    )
    assert found == [
        ("v.yaml", "patches[1].remove.id", "no room 'R9' in the base scenario"),
        ("v.yaml", "patches[2].change.id", "no class 'X' in the base scenario"),
        ("v.yaml", "patches[3].change.id", "no blackout 'no_such' in the base scenario"),
        ("v.yaml", "patches[4].add.item.id", "lecturer 'gv_an' already exists in the base scenario"),
        ("v.yaml", "patches[5].scale_learners.programs[0]", "no program 'P9' in the base scenario"),
        ("v.yaml", "patches[5].scale_learners.classes[1]", "no class 'C9' in the base scenario"),
    ]


def test_bad_fields_are_located_errors(tutorial: Scenario) -> None:
    found = issues_of(
        tutorial,
        {"change": {"what": "rooms", "id": "phong_hoc", "set": {"colour": "red"}}},
        {"change": {"what": "rooms", "id": "phong_hoc", "set": {"seats": -5}}},
        {"change": {"what": "rooms", "id": "phong_hoc", "set": {"id": "other"}}},
        {"add": {"what": "classes", "item": {"id": "k"}}},
    )
    paths = [(path, message) for _, path, message in found]
    assert paths[0] == ("patches[0].change.set.colour", "unknown key 'colour' for a room")
    assert paths[1][0] == "patches[1].change.set.seats" and "greater than 0" in paths[1][1]
    assert paths[2][0] == "patches[2].change.set.id"
    assert paths[3] == ("patches[3].add.item.program", "required but missing")


def test_variant_file_structure_errors_are_located() -> None:
    text = """
base: tutorial
colour: red
patches:
  - {add: {what: rooms, item: {id: a, seats: 3}}, remove: {what: rooms, id: a}}
  - {remove: {what: chairs, id: a}}
"""
    with pytest.raises(ScenarioError) as caught:
        parse_variant(text, "v.yaml")
    found = {(i.file, i.path) for i in caught.value.issues}
    assert found == {("v.yaml", "colour"), ("v.yaml", "patches[0]"), ("v.yaml", "patches[1].remove.what")}


def test_patched_scenario_is_validated(tmp_path: Path) -> None:
    # removing a class that a cohort lists: the patch applies as written, validation rejects it
    path = tmp_path / "drop.yaml"
    path.write_text("base: tutorial\npatches:\n  - remove: {what: classes, id: sc_lop_2}\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_variant(path)
    assert any(i.path.startswith("cohorts[0].classes") and "sc_lop_2" in i.message for i in caught.value.issues)
    assert all(str(path) in i.file for i in caught.value.issues)


def test_base_is_a_file_relative_to_the_variant_or_a_builtin(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "mine.yaml").write_text(builtin_scenario_text("tutorial"), encoding="utf-8")
    (tmp_path / "variants").mkdir()
    variant = tmp_path / "variants" / "small_hall.yaml"
    variant.write_text(
        "base: ../plans/mine.yaml\npatches:\n  - change: {what: rooms, id: hoi_truong, set: {seats: 130}}\n",
        encoding="utf-8",
    )
    loaded = load_variant(variant)
    assert loaded.name == "small_hall" and loaded.scenario.name == "small_hall"
    assert by_id(loaded.scenario.rooms)["hoi_truong"].seats == 130

    missing = parse_variant("base: nowhere.yaml\n", str(variant))
    with pytest.raises(ScenarioError) as caught:
        variant_scenario(missing, variant)
    assert [(i.file, i.path) for i in caught.value.issues] == [(str(variant), "base")]


def test_unpatched_variant_equals_its_base(tutorial: Scenario) -> None:
    loaded = variant_scenario(parse_variant("name: same\nbase: tutorial\n"))
    assert loaded.scenario.model_dump(exclude={"name"}) == tutorial.model_dump(exclude={"name"})


def test_variant_names_are_unique_and_not_base(tmp_path: Path) -> None:
    for stem, name in (("a", "twin"), ("b", "twin"), ("c", "base")):
        (tmp_path / f"{stem}.yaml").write_text(f"name: {name}\nbase: tutorial\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_variants([tmp_path / "a.yaml", tmp_path / "b.yaml", tmp_path / "c.yaml"])
    assert [(Path(i.file).name, i.path) for i in caught.value.issues] == [("b.yaml", "name"), ("c.yaml", "name")]


# --- the examples ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_load_and_validate(path: Path) -> None:
    loaded = load_variant(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["base"] == "hoang_mai_2020" and loaded.variant.patches
    assert loaded.name == path.stem


def test_examples_say_what_they_change() -> None:
    assert len(EXAMPLES) >= 5
    third = load_variant(EXAMPLES[0].parent / "third_tc_class.yaml").scenario
    assert by_id(third.cohorts)["tc_2020"].classes == ["tc_lop_1", "tc_lop_2", "tc_lop_3"]
    july = by_id(load_variant(EXAMPLES[0].parent / "summer_class_july.yaml").scenario.classes)["he_giao_vien"]
    august = by_id(load_variant(EXAMPLES[0].parent / "summer_class_august.yaml").scenario.classes)["he_giao_vien"]
    assert july.latest_end is not None and august.earliest_start is not None
    assert july.latest_end < august.earliest_start
    isolation = load_variant(EXAMPLES[0].parent / "isolation_to_30_april.yaml").scenario.calendar.blackouts
    assert by_id(isolation)["covid_cach_ly_xa_hoi"].end == dt.date(2020, 4, 30)


def test_removing_the_borrowed_hall_is_rejected_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "no_hall.yaml"
    path.write_text("base: hoang_mai_2020\npatches:\n  - remove: {what: rooms, id: hoi_truong_thi_uy}\n")
    with pytest.raises(ScenarioError) as caught:
        load_variant(path)
    assert any("he_giao_vien" in i.message and "largest room seats 200" in i.message for i in caught.value.issues)
