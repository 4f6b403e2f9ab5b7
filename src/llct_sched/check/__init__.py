"""The independent checker: does a timetable keep every rule of docs/rules.md, and what does it cost?

The test oracle of the solver: it reads the scenario and the timetable only and imports neither the
model nor the solver nor OR-Tools (tests/test_imports.py). `check` is the whole check; the package
re-exports the checker's public names.
"""

from llct_sched.check.checker import (
    CHECKS,
    GOAL_FUNCTIONS,
    GOALS,
    RULES,
    CheckContext,
    CheckReport,
    Violation,
    check,
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
    rule_name,
)

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
