"""The one registry of soft goals: each goal's name, the stage that prices it, what it counts and its label.

Every other place that knows the goals derives from this list or is tested against it
(`tests/test_goal_registry.py`): the weights of a scenario (`scenario.Weights`, one field per goal),
the checker's order and functions (`check.GOALS`, `check.GOAL_FUNCTIONS`: every goal but the
re-planning ones, which need a baseline the checker does not know), the model's objective terms
(`model.calendar_stage.GOALS`, `model.staffing_stage.GOALS`: one builder per goal), the report
labels (`reports.labels`), the weights sheet of the Excel template, a variant's weight patch and
the goal table of docs/rules.md.

Stages: "calendar" goals are priced by stage 1 (dates and rooms), "staffing" goals by stage 2 (who
teaches and observes), "replan" goals only in a re-plan, where they count the change from the
baseline (`moves` in stage 1, `lecturer_changes` in stage 2).

To add a goal: a `Goal` here, a weight field in `scenario.Weights`, a model builder, a checker
function (unless it is a re-planning goal), a row in docs/rules.md and the Vietnamese label in the
catalog; the registry test names whichever is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from llct_sched import i18n
from llct_sched.i18n import NP_

Stage = Literal["calendar", "staffing", "replan"]
STAGES: tuple[Stage, ...] = ("calendar", "staffing", "replan")


@dataclass(frozen=True)
class Goal:
    """One soft goal: `name` (its weight field and its key everywhere), the `stage` that prices it,
    a one-line English `description` of its penalty unit and its report `label` (context, English)."""

    name: str
    stage: Stage
    description: str
    label: tuple[str, str]

    @property
    def checked(self) -> bool:
        """Whether the independent checker computes it (every goal but the re-planning ones)."""
        return self.stage != "replan"

    def text(self, lang: str | None = None) -> str:
        """The label in `lang` ("vi" or "en"; by default the current language)."""
        return i18n.translation(lang or i18n.language()).pgettext(*self.label)


# the checker's order (the objective's breakdown, reports, explain, batch columns), re-planning last
GOALS: tuple[Goal, ...] = (
    Goal(
        "preferred_months",
        "calendar",
        "Per block starting in a month outside its class's preferred months.",
        NP_("goal.preferred_months", "Preferred months"),
    ),
    Goal(
        "month_spread",
        "calendar",
        "The most blocks (of all classes) starting in one calendar month.",
        NP_("goal.month_spread", "Spread over the year"),
    ),
    Goal(
        "avoid_event_days",
        "calendar",
        "Per session on a day of an event with avoid_classes.",
        NP_("goal.avoid_event_days", "Avoid event days"),
    ),
    Goal(
        "borrowed_room",
        "calendar",
        "Per session held in a borrowed room.",
        NP_("goal.borrowed_room", "Borrowed room"),
    ),
    Goal(
        "room_stability",
        "calendar",
        "Per class: the distinct rooms it uses, minus one.",
        NP_("goal.room_stability", "Room stability"),
    ),
    Goal(
        "module_lecturer_stability",
        "staffing",
        "Per class and module taught by the center: the distinct lecturers, minus one.",
        NP_("goal.module_lecturer_stability", "One lecturer per module"),
    ),
    Goal(
        "lecturer_balance",
        "staffing",
        "Most sessions taught by a full-time lecturer minus the fewest.",
        NP_("goal.lecturer_balance", "Lecturer balance"),
    ),
    Goal(
        "teaching_norm",
        "staffing",
        "Per session a lecturer teaches below their teaching norm.",
        NP_("goal.teaching_norm", "Teaching norm"),
    ),
    Goal(
        "specialist",
        "staffing",
        "Per session of a module with preferred lecturers taught by someone else.",
        NP_("goal.specialist", "Specialist lecturers"),
    ),
    Goal(
        "over_norm",
        "staffing",
        "Per session above a lecturer's norm band (overtime).",
        NP_("goal.over_norm", "Above the norm band (overtime)"),
    ),
    Goal(
        "part_time_minimum",
        "staffing",
        "Per session short of a lecturer's `min_sessions_per_year` (the k-th missing one counts k).",
        NP_("goal.part_time_minimum", "Part-time lecturers' minimum"),
    ),
    Goal(
        "part_time_share",
        "staffing",
        "Per session short of the plan's `staffing.part_time_share`.",
        NP_("goal.part_time_share", "Part-time lecturers' share"),
    ),
    Goal(
        "observation_spread",
        "staffing",
        "The most observation visits in one calendar month.",
        NP_("goal.observation_spread", "Spread of observation visits"),
    ),
    Goal(
        "room_capacity",
        "calendar",
        "Per learner above a room's seats, per session (only with soft_room_capacity).",
        NP_("goal.room_capacity", "Room capacity exceeded"),
    ),
    Goal(
        "min_days",
        "calendar",
        "Per day a class meets on fewer than its delivery's min_days.",
        NP_("goal.min_days", "Minimum meeting days"),
    ),
    Goal(
        "isolated_sessions",
        "calendar",
        "Per session of a learner group with no session of the group next to it that day.",
        NP_("goal.isolated_sessions", "Isolated sessions of a group"),
    ),
    Goal(
        "moves",
        "replan",
        "Re-planning only: the cost of moving blocks of the baseline.",
        NP_("goal.moves", "Moves (re-planning)"),
    ),
    Goal(
        "lecturer_changes",
        "replan",
        "Re-planning only: per segment given another lecturer, per planned visit not kept.",
        NP_("goal.lecturer_changes", "Lecturer changes (re-planning)"),
    ),
)

BY_NAME: dict[str, Goal] = {goal.name: goal for goal in GOALS}
NAMES: tuple[str, ...] = tuple(BY_NAME)
# the goals the independent checker computes, in its order
CHECKED: tuple[str, ...] = tuple(goal.name for goal in GOALS if goal.checked)


def names(stage: Stage) -> tuple[str, ...]:
    """The goals of one stage, in registry order."""
    return tuple(goal.name for goal in GOALS if goal.stage == stage)


def description(name: str) -> str:
    """The one-line English description of a goal (its weight's description in `scenario.Weights`)."""
    return BY_NAME[name].description


__all__ = ["BY_NAME", "CHECKED", "GOALS", "NAMES", "STAGES", "Goal", "Stage", "description", "names"]
