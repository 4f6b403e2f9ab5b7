"""The independent checker: does a timetable keep every rule of docs/rules.md, and what does it cost?

The test oracle of the solver: it reads the scenario and the timetable only, recomputes every
calendar fact itself and imports neither the model nor the solver nor OR-Tools
(tests/test_imports.py). `context` (the indexes over a scenario and a timetable, `Violation`,
`CheckReport`), `rules` (the hard rules, one function per family) and `goals` (the soft goals' penalties);
`check` runs them all.
"""

from __future__ import annotations

import datetime as dt

from llct_sched.check.context import RULES, CheckContext, CheckReport, Violation, rule_name
from llct_sched.check.goals import GOAL_FUNCTIONS, GOALS
from llct_sched.check.rules import (
    CHECKS,
    check_calendar,
    check_cohorts,
    check_delivery,
    check_frozen_past,
    check_groups,
    check_lecturers,
    check_modules,
    check_observations,
    check_reference,
    check_rooms,
    check_window,
)
from llct_sched.scenario import Scenario
from llct_sched.timetable import Timetable


def check(
    scenario: Scenario,
    timetable: Timetable,
    *,
    baseline: Timetable | None = None,
    freeze_before: dt.date | None = None,
) -> CheckReport:
    """Check a timetable against every rule of docs/rules.md and compute its objective. With a
    `baseline` and `freeze_before` (a re-plan) the rule `frozen_past` is checked too."""
    ctx = CheckContext(scenario, timetable)
    violations = [v for fn in CHECKS for v in fn(ctx)]
    if baseline is not None and freeze_before is not None:
        violations += check_frozen_past(baseline, timetable, freeze_before)
    breakdown: dict[str, int] = {}
    details: dict[str, dict[str, int]] = {}
    for goal in GOALS:
        penalty, per = GOAL_FUNCTIONS[goal](ctx)
        breakdown[goal] = getattr(scenario.weights, goal) * penalty
        details[goal] = per
    return CheckReport(violations, sum(breakdown.values()), breakdown, details)


__all__ = [
    "CHECKS",
    "GOALS",
    "GOAL_FUNCTIONS",
    "RULES",
    "CheckContext",
    "CheckReport",
    "Violation",
    "check",
    "check_calendar",
    "check_cohorts",
    "check_delivery",
    "check_frozen_past",
    "check_groups",
    "check_lecturers",
    "check_modules",
    "check_observations",
    "check_reference",
    "check_rooms",
    "check_window",
    "rule_name",
]
