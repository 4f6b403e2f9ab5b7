"""The whole pipeline in two calls, for every front end (the CLI, batch runs, the web page).

`read_scenario(name, content)` turns an uploaded file (YAML, JSON or an Excel workbook) into a
validated scenario, or raises ScenarioError with every problem located (sheet/row/column or path);
`read_source(source)` does the same for a file path or a built-in name.
`run_solve(scenario, params, progress)` solves (or re-plans, given a baseline) and checks the result
independently, once; it never raises for an infeasible scenario: `Outcome.why` says why.
`Outcome.summary()` is summary.json's content, `write_outcome` publishes a result folder.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from llct_sched.check import CheckReport, check
from llct_sched.errors import InputIssue, ScenarioError, Severity
from llct_sched.i18n import _
from llct_sched.scenario import Scenario
from llct_sched.scenario.loading import builtin_scenario_text, load_scenario, parse_scenario_text
from llct_sched.scenario.validate import ensure_valid, validate
from llct_sched.solve import Progress, Result, SolveParams, solve
from llct_sched.solve.replan import Changes, ClassChange, replan
from llct_sched.solve.why import explain_infeasibility, explanation_budget
from llct_sched.timetable import Timetable

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
TEXT_FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}


@dataclass(frozen=True)
class Replanned:
    """How a re-plan ran: from which timetable, keeping what came before which day, moving how much."""

    baseline: Timetable
    freeze_before: dt.date | None = None
    max_moves: int | None = None


@dataclass
class Outcome:
    """What one solve or re-plan produced, checked once: the scenario it solved (after any changes),
    the solver's result (carrying the checker's objective), the checker's report, why it is
    infeasible, what moved, the input's warnings, and how it re-planned (None for a solve)."""

    scenario: Scenario
    result: Result
    check: CheckReport | None
    why: list[str] = field(default_factory=list)
    moved: list[ClassChange] = field(default_factory=list)
    issues: list[InputIssue] = field(default_factory=list)
    replanned: Replanned | None = None

    @property
    def timetable(self) -> Timetable | None:
        return self.result.timetable

    def summary(self) -> dict[str, Any]:
        """The facts of summary.json: the solver's, the scenario's name, a re-plan's settings, the
        checker's verdict, why it is infeasible (when explained) and the objective by goal."""
        summary = self.result.summary() | {"scenario": self.scenario.name}
        if self.replanned is not None:
            freeze = self.replanned.freeze_before
            summary["replan"] = {"from": freeze.isoformat() if freeze else None, "max_moves": self.replanned.max_moves}
        if self.check is not None:
            report = self.check
            summary["check"] = {"ok": report.ok, "violations": len(report.violations), "objective": report.objective}
        if self.why:
            summary["why"] = self.why
        summary["objective_by_goal"] = objective_by_goal(self.scenario, self.result.breakdown)
        return summary


def objective_by_goal(scenario: Scenario, penalties: dict[str, int]) -> dict[str, dict[str, int]]:
    """Each goal's weight, raw penalty and share of the objective (weight x penalty; the shares sum to it)."""
    weights = scenario.weights.model_dump()
    return {
        goal: {"weight": weights.get(goal, 0), "penalty": penalty, "share": weights.get(goal, 0) * penalty}
        for goal, penalty in penalties.items()
    }


@dataclass
class Loaded:
    """A valid scenario and the warnings found on it (located like errors)."""

    scenario: Scenario
    warnings: list[InputIssue]


def read_builtin(name: str) -> Loaded:
    """A built-in scenario (e.g. 'hoang_mai_2020'), validated."""
    scenario = parse_scenario_text(builtin_scenario_text(name), file=f"<builtin {name}>")
    return Loaded(scenario, _validated(scenario, f"<builtin {name}>"))


def read_source(source: str) -> Loaded:
    """A scenario file (YAML, JSON, Excel, a variant, an ITC-2007 .ectt) or a built-in name, validated.

    Raises ScenarioError with every error (the warnings are the Loaded's); a workbook's are located
    by sheet, row and column.
    """
    excel = Path(source).suffix.lower() in EXCEL_SUFFIXES and Path(source).exists()
    file = source if Path(source).exists() else f"<builtin {source}>"
    try:
        scenario = load_scenario(source)
        warnings = ensure_valid(scenario, file=file)
    except ScenarioError as error:
        if not excel:
            raise
        raise ScenarioError(_located(source, error.issues)) from None
    return Loaded(scenario, _located(source, warnings) if excel and warnings else warnings)


def _located(path: str, issues: list[InputIssue]) -> list[InputIssue]:
    """A workbook's issues at their sheet, row and column (the reader's own already are)."""
    from llct_sched.scenario.excel import locate_issues

    return locate_issues(path, issues)


def read_scenario(name: str, content: bytes) -> Loaded:
    """Parse and validate an uploaded scenario file; `name` only picks the format and labels issues.

    Raises ScenarioError with every problem, located by sheet/row/column (Excel) or path.
    """
    suffix = Path(name).suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _read_workbook(name, content, suffix)
    if suffix not in TEXT_FORMATS:
        raise ScenarioError([InputIssue(path="", message=_("expected a .xlsx, .yaml, .yml or .json file"), file=name)])
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError([InputIssue(path="", message=_("the file is not UTF-8 text"), file=name)]) from None
    scenario = parse_scenario_text(text, file=name, fmt=TEXT_FORMATS[suffix])
    return Loaded(scenario, _validated(scenario, name))


def _validated(scenario: Scenario, file: str = "") -> list[InputIssue]:
    """The warnings of a valid scenario; with errors, ScenarioError with the errors and the warnings
    (a planner fixing the errors sees the warnings too, listed apart)."""
    issues = validate(scenario, file)
    if any(i.severity == Severity.error for i in issues):
        raise ScenarioError(issues)
    return issues


def _read_workbook(name: str, content: bytes, suffix: str) -> Loaded:
    """The Excel reader needs a file: a private temporary one (the upload's name is never a path)."""
    from llct_sched.scenario.excel import load_scenario_workbook, locate_issues

    with tempfile.TemporaryDirectory(prefix="llct-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(content)
        try:
            scenario = load_scenario_workbook(path)
            warnings = _validated(scenario)
        except ScenarioError as error:
            issues = locate_issues(path, error.issues)  # to sheet, row and column (the reader's own already are)
            raise ScenarioError(_renamed(issues, name)) from None
        return Loaded(scenario, _renamed(locate_issues(path, warnings), name))


def _renamed(issues: list[InputIssue], name: str) -> list[InputIssue]:
    return [replace(i, file=name) for i in issues]


def run_solve(
    scenario: Scenario,
    params: SolveParams | None = None,
    progress: Callable[[Progress], None] | None = None,
    *,
    baseline: Timetable | None = None,
    changes: Changes | None = None,
    freeze_before: dt.date | None = None,
    max_moves: int | None = None,
    changes_file: str = "",
    changed: Scenario | None = None,
    lang: str = "vi",
    hint: Timetable | None = None,
    issues: Sequence[InputIssue] = (),
    explain: bool = True,
) -> Outcome:
    """Solve a valid scenario, or re-plan it from `baseline` after `changes`, then check the result
    once (a re-plan's past against its baseline too); the result then carries the checker's objective.

    A `hint` timetable (not with a baseline) is where the solve starts (see `solve`): when it keeps
    every rule of the scenario the result is never worse than it.
    Never raises for infeasibility: with `explain`, `Outcome.why` says why, within `params.time_limit`
    (at least `why.EXPLANATION_FLOOR_S`). A bad changes list raises ScenarioError before any solving
    (located in `changes_file`); `changed`: the changes already applied (`replan.apply_changes`).
    `issues`: the input's warnings, carried into the Outcome.
    `lang` is the change log's language (the other messages are in the current language, `i18n`).
    """
    if hint is not None and baseline is not None:
        raise ValueError("a re-plan starts from its baseline: give a hint or a baseline, not both")
    params = params or SolveParams()
    started = time.perf_counter()  # `params.time_limit` is the whole budget, the explanation's included
    moved: list[ClassChange] = []
    replanned = None
    if baseline is not None:
        done = replan(
            scenario,
            baseline,
            changes or Changes(),
            params,
            freeze_before,
            max_moves,
            progress,
            changes_file,
            lang,
            changed=changed,
        )
        scenario, result, moved = done.scenario, done.result, done.log
        replanned = Replanned(baseline, freeze_before, max_moves)
    else:
        result = solve(scenario, params, progress, hint=hint)
    report = _checked(scenario, result, replanned)
    why = _why(scenario, params, started) if explain and result.status == "INFEASIBLE" else []
    return Outcome(scenario, result, report, why, moved, list(issues), replanned)


def _checked(scenario: Scenario, result: Result, replanned: Replanned | None) -> CheckReport | None:
    """The checker's report on the result's timetable (None without one); the result then carries the
    checker's objective and goals, so that what is shown and written is the checker's."""
    if result.timetable is None:
        return None
    if replanned is None:
        report = check(scenario, result.timetable)
    else:  # the past kept as the baseline had it
        report = check(scenario, result.timetable, baseline=replanned.baseline, freeze_before=replanned.freeze_before)
    result.adopt_checked(report.objective, report.breakdown, scenario.weights.model_dump())
    return report


def _why(scenario: Scenario, params: SolveParams, started: float) -> list[str]:
    """Why the scenario is infeasible, in what is left of the time limit (at least the floor)."""
    budget = explanation_budget(params.time_limit, time.perf_counter() - started)
    return explain_infeasibility(scenario, time_limit=budget, workers=max(1, params.workers)).lines()


def write_outcome(
    out: Path,
    outcome: Outcome,
    lang: str | None = "vi",
    annex_template: Path | None = None,
    previous_calendars: Path | None = None,
) -> None:
    """Replace the folder `out` whole by the outcome's files (`outputs.write_outputs`): summary.json,
    and with a timetable timetable.json, the CSVs and the reports (from the outcome's check report,
    not a second check); a re-plan's changes.csv too."""
    from llct_sched.reports.outputs import write_outputs

    extra = None
    if outcome.replanned is not None:
        import pandas as pd

        from llct_sched.solve.replan_log import CSV_COLUMNS

        extra = {"changes.csv": pd.DataFrame([c.row() for c in outcome.moved], columns=CSV_COLUMNS)}
    write_outputs(
        out,
        outcome.scenario,
        outcome.timetable,
        outcome.summary(),
        lang=lang,
        extra=extra,
        annex_template=annex_template,
        previous_calendars=previous_calendars,
        report=outcome.check,
    )


__all__ = [
    "Loaded",
    "Outcome",
    "Replanned",
    "objective_by_goal",
    "read_builtin",
    "read_scenario",
    "read_source",
    "run_solve",
    "write_outcome",
]
