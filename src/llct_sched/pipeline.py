"""The whole pipeline in two calls, for front ends (the web page; the CLI can adopt it later).

`read_scenario(name, content)` turns an uploaded file (YAML, JSON or an Excel workbook) into a
validated scenario, or raises ScenarioError with every problem located (sheet/row/column or path).
`run_solve(scenario, params, progress)` solves (or re-plans, given a baseline) and checks the result
independently; it never raises for an infeasible scenario: `Outcome.why` says why.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from llct_sched.check import CheckReport, check
from llct_sched.errors import InputIssue, ScenarioError, Severity
from llct_sched.i18n import _
from llct_sched.io import builtin_scenario_text, parse_scenario_text
from llct_sched.replan import Changes, ClassChange, replan
from llct_sched.scenario import Scenario
from llct_sched.solve import Progress, Result, SolveParams, solve
from llct_sched.timetable import Timetable
from llct_sched.validate import validate
from llct_sched.why import explain_infeasibility, explanation_budget

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
TEXT_FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}


@dataclass
class Outcome:
    """What one solve or re-plan produced, checked: the scenario it solved (after any changes),
    the solver's result, the checker's report, why it is infeasible, what moved."""

    scenario: Scenario
    result: Result
    check: CheckReport | None
    why: list[str] = field(default_factory=list)
    moved: list[ClassChange] = field(default_factory=list)

    @property
    def timetable(self) -> Timetable | None:
        return self.result.timetable


@dataclass
class Loaded:
    """A valid scenario and the warnings found on it (located like errors)."""

    scenario: Scenario
    warnings: list[InputIssue]


def read_builtin(name: str) -> Loaded:
    """A built-in scenario (e.g. 'hoang_mai_2020'), validated."""
    scenario = parse_scenario_text(builtin_scenario_text(name), file=f"<builtin {name}>")
    return Loaded(scenario, _validated(scenario, f"<builtin {name}>"))


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
    from llct_sched.excel_in import load_scenario_workbook, locate_issues

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
    lang: str = "vi",
    hint: Timetable | None = None,
) -> Outcome:
    """Solve a valid scenario, or re-plan it from `baseline` after `changes`, then check the result.

    A `hint` timetable (not with a baseline) is where the solve starts (see `solve`): when it keeps
    every rule of the scenario the result is never worse than it.
    Never raises for infeasibility; a bad changes list raises ScenarioError before any solving.
    `lang` is the change log's language (the other messages are in the current language, `i18n`).
    """
    if hint is not None and baseline is not None:
        raise ValueError("a re-plan starts from its baseline: give a hint or a baseline, not both")
    params = params or SolveParams()
    started = time.perf_counter()  # `params.time_limit` is the whole budget, the explanation's included
    moved: list[ClassChange] = []
    if baseline is not None:
        done = replan(scenario, baseline, changes or Changes(), params, freeze_before, max_moves, progress, lang=lang)
        scenario, result, moved = done.scenario, done.result, done.log
    else:
        result = solve(scenario, params, progress, hint=hint)
    report = check(scenario, result.timetable) if result.timetable is not None else None
    why: list[str] = []
    if result.status == "INFEASIBLE":
        workers = max(1, params.workers)
        budget = explanation_budget(params.time_limit, time.perf_counter() - started)
        why = explain_infeasibility(scenario, time_limit=budget, workers=workers).lines()
    return Outcome(scenario, result, report, why, moved)


__all__ = ["Loaded", "Outcome", "read_builtin", "read_scenario", "run_solve"]
