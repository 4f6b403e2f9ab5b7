"""One place names each soft goal (`llct_sched.goals`); every other place that lists the goals agrees
with it: the scenario's weights, the model's builders, the checker's functions, the report labels
(both languages), the Excel template, a variant's weight patch and the goal table of docs/rules.md.
A goal added in one place only fails here, and the message names the place."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from llct_sched import goals
from llct_sched.check import GOAL_FUNCTIONS
from llct_sched.check import GOALS as CHECKED_GOALS
from llct_sched.i18n import translation
from llct_sched.model import calendar_stage, staffing_stage, teaching_layer
from llct_sched.reports.labels import LABELS, labels
from llct_sched.scenario import Weights
from llct_sched.scenario.excel import SHEETS, KeyValueSheet, build_template
from llct_sched.scenario.loading import load_scenario
from llct_sched.scenario.variants import WeightsPatch

RULES_MD = Path(__file__).parents[1] / "docs" / "rules.md"


def test_names_are_unique_identifiers_with_a_known_stage() -> None:
    assert len(goals.NAMES) == len(set(goals.NAMES)) == len(goals.GOALS)
    for goal in goals.GOALS:
        assert re.fullmatch(r"[a-z][a-z_]*", goal.name), goal.name
        assert goal.stage in goals.STAGES, goal
        assert goal.description and "\n" not in goal.description, goal
        assert goal.label[0] == f"goal.{goal.name}", goal.label


def test_weights_have_one_field_per_goal() -> None:
    assert set(Weights.model_fields) == set(goals.NAMES)
    for name, field in Weights.model_fields.items():
        assert field.description == goals.BY_NAME[name].description, name


def test_every_goal_has_exactly_one_model_builder_in_its_stage() -> None:
    builders: dict[str, dict[str, Callable[..., object]]] = {
        "calendar": dict(calendar_stage.GOALS),
        "staffing": dict(staffing_stage.GOALS),
    }
    for goal in goals.GOALS:
        owners = [stage for stage, table in builders.items() if goal.name in table]
        assert len(owners) == 1, f"{goal.name}: model builders in {owners or 'no stage'}"
        if goal.stage != "replan":  # a re-planning goal is priced where its changes are decided
            assert owners == [goal.stage], f"{goal.name} is a {goal.stage} goal built in {owners[0]}"
        assert builders[owners[0]][goal.name].__name__ == f"goal_{goal.name}"
    for stage, table in builders.items():
        unknown = set(table) - set(goals.NAMES)
        assert not unknown, f"{stage} builds goals the registry does not know: {unknown}"


def test_model_subsets_of_goals_are_goals_of_their_stage() -> None:
    staffing = set(goals.names("staffing"))
    assert set(staffing_stage.LOAD_GOALS) <= staffing
    assert set(teaching_layer.LAYER_GOALS) <= staffing | set(goals.names("replan"))
    assert set(calendar_stage.TIMELESS_GOALS) <= set(goals.names("calendar")) | {"moves"}


def test_the_checker_computes_every_goal_but_the_replanning_ones_in_registry_order() -> None:
    assert CHECKED_GOALS == goals.CHECKED
    assert tuple(g.name for g in goals.GOALS if g.stage != "replan") == goals.CHECKED
    assert set(GOAL_FUNCTIONS) == set(goals.CHECKED)
    for name, function in GOAL_FUNCTIONS.items():
        assert function.__name__ == f"goal_{name}"


def test_every_goal_has_a_report_label_in_both_languages() -> None:
    assert {key.removeprefix("goal.") for key in LABELS if key.startswith("goal.")} == set(goals.NAMES)
    vi = translation("vi")
    for goal in goals.GOALS:
        assert labels("en").enum("goal", goal.name) == goal.label[1] == goal.text("en")
        vietnamese = labels("vi").enum("goal", goal.name)
        assert vietnamese == vi.pgettext(*goal.label) == goal.text("vi")
        assert vietnamese != goal.label[1], f"{goal.name}: no Vietnamese label in the catalog"


def test_a_variant_can_patch_every_goal() -> None:
    assert set(WeightsPatch.model_fields) == set(goals.NAMES)


def test_the_excel_template_lists_every_goal_with_its_label() -> None:
    (weights,) = [s for s in SHEETS if isinstance(s, KeyValueSheet) and s.name == "weights"]
    assert {col.name for col in weights.keys} == set(goals.NAMES)
    ws = build_template(load_scenario("tutorial"))["weights"]
    meanings = {row[0]: row[2] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert meanings == {goal.name: goal.text() for goal in goals.GOALS}


def test_docs_rules_has_a_row_for_every_goal() -> None:
    rows = set(re.findall(r"^\| `([a-z_]+)` \|", RULES_MD.read_text(encoding="utf-8"), flags=re.MULTILINE))
    missing = [name for name in goals.NAMES if name not in rows]
    assert not missing, f"docs/rules.md has no goal row for {missing}"
