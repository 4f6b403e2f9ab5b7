"""Re-planning: when the year goes wrong, change the plan as little as possible.

A changes file lists what happened (a lecturer away, a room closed, a new blackout, a class added
or cancelled, learners changed). `replan` applies them to the scenario, keeps everything before
the `--from` date as it was, solves with the baseline as the starting point and the cost of
change in the objective (goals `moves` and `lecturer_changes`), and explains, class by class,
what moved and why.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from llct_sched.errors import InputIssue, ScenarioError, format_path
from llct_sched.i18n import N_, PYDANTIC_MESSAGES, _
from llct_sched.scenario import Blackout, DateRange, Id, OneOf, Scenario, StrictModel, TrainingClass
from llct_sched.scenario.loading import model_from_yaml, pydantic_issues, read_input_text
from llct_sched.scenario.validate import ensure_valid
from llct_sched.solve import Progress, Result, SolveParams, solve
from llct_sched.solve.replan_log import ClassChange, change_log
from llct_sched.timetable import Timetable


class LecturerAway(StrictModel):
    """A lecturer cannot teach or observe from `start` to `end` (inclusive)."""

    lecturer: Id = Field(description="A lecturer's id in the scenario.")
    start: dt.date = Field(description="First day away (YYYY-MM-DD).")
    end: dt.date = Field(description="Last day away, inclusive.")
    reason: str = Field(default="", description="Free text, kept with the lecturer's unavailable dates.")


class RoomClosed(StrictModel):
    """A room cannot be used from `start` to `end` (inclusive)."""

    room: Id = Field(description="A room's id in the scenario.")
    start: dt.date = Field(description="First day closed (YYYY-MM-DD).")
    end: dt.date = Field(description="Last day closed, inclusive.")
    reason: str = Field(default="", description="Free text, kept with the room's unavailable dates.")


class CancelClass(StrictModel):
    """A class that has not met before --from is dropped from the plan."""

    class_id: Id = Field(description="A class's id in the scenario.")
    reason: str = Field(default="", description="Free text.")


class LearnersChange(StrictModel):
    """A class (outside any cohort) gets another number of learners."""

    class_id: Id = Field(description="A class's id in the scenario (not one of a cohort's classes).")
    learners: int = Field(gt=0, description="The new number of learners.")


class Change(OneOf):
    """One thing that happened: exactly one of these keys."""

    lecturer_away: LecturerAway | None = Field(default=None, description="A lecturer is away on some dates.")
    room_closed: RoomClosed | None = Field(default=None, description="A room is closed on some dates.")
    blackout: Blackout | None = Field(
        default=None, description="New dates closed to every class, or to classes above max_gathering learners."
    )
    add_class: TrainingClass | None = Field(
        default=None, description="A new class, written like a scenario's classes[] entry (new id)."
    )
    cancel_class: CancelClass | None = Field(default=None, description="A class is cancelled.")
    learners: LearnersChange | None = Field(default=None, description="A class's learners change.")


class Changes(StrictModel):
    """A changes file for `llct-sched replan`: the list of what happened, applied in order."""

    changes: list[Change] = Field(default_factory=list, description="What happened, one change per item.")


CHANGE_KINDS = tuple(Change.model_fields)
_UNKNOWN = {
    "lecturer": N_("no lecturer '{value}' in the scenario"),
    "room": N_("no room '{value}' in the scenario"),
    "class": N_("no class '{value}' in the scenario"),
}


def _kind_issue(issue: InputIssue) -> InputIssue:
    """'unknown key' on a change item is an unknown kind of change: say which kinds there are."""
    kind = issue.path.split(".", 1)[-1]
    unknown_key = _(PYDANTIC_MESSAGES["extra_forbidden"]).format(key=kind)
    if re.fullmatch(r"changes\[\d+\]\.[^.]+", issue.path) and issue.message == unknown_key:
        message = _("unknown kind of change '{kind}' (one of: {kinds})").format(
            kind=kind, kinds=", ".join(CHANGE_KINDS)
        )
        return InputIssue(issue.path, message, issue.severity, issue.file)
    return issue


def load_changes(path: Path) -> Changes:
    """Read a changes file; every problem is reported with its place in the file."""
    path = Path(path)
    text = read_input_text(path)
    try:
        return model_from_yaml(Changes, text, str(path))
    except ScenarioError as error:
        raise ScenarioError([_kind_issue(issue) for issue in error.issues]) from None


def from_freeze(change: Change, freeze_before: dt.date | None) -> Change | None:
    """The change as it bears on a re-plan: an absence, closure or blackout that began before the
    freeze date counts from it (the past is not re-planned); one over before it counts not at all."""
    dated = change.lecturer_away or change.room_closed or change.blackout
    if freeze_before is None or dated is None or dated.start >= freeze_before:
        return change
    if dated.end < freeze_before:
        return None
    return Change.model_validate({change.kind: dated.model_copy(update={"start": freeze_before})})


def clip_to_future(changes: Changes, freeze_before: dt.date | None) -> Changes:
    """Every change as it bears on a re-plan from `freeze_before` (see `from_freeze`)."""
    kept = [c for c in (from_freeze(change, freeze_before) for change in changes.changes) if c is not None]
    return Changes(changes=kept)


def _started_before(baseline: Timetable | None, freeze_before: dt.date | None) -> dict[str, dt.date]:
    """Classes of the baseline that met before the freeze date, with their first day."""
    if baseline is None or freeze_before is None:
        return {}
    first: dict[str, dt.date] = {}
    for s in baseline.sessions:
        if s.date < freeze_before:
            first[s.class_id] = min(first.get(s.class_id, s.date), s.date)
    return first


def apply_changes(
    scenario: Scenario,
    changes: Changes,
    file: str = "",
    *,
    baseline: Timetable | None = None,
    freeze_before: dt.date | None = None,
) -> Scenario:
    """The scenario after the changes. Unknown ids are errors located in the changes file, and so is
    cancelling a class that already met before the freeze date (its past sessions were held)."""
    data = scenario.model_dump()
    issues: list[InputIssue] = []
    started = _started_before(baseline, freeze_before)
    lecturers = {lec["id"]: lec for lec in data["lecturers"]}
    rooms = {room["id"]: room for room in data["rooms"]}
    classes = {c["id"]: c for c in data["classes"]}
    cohort_classes = {cid for cohort in data["cohorts"] for cid in cohort["classes"]}

    def unknown(k: int, key: str, field: str, what: str, value: str) -> None:
        message = _(_UNKNOWN[what]).format(value=value)
        issues.append(InputIssue(format_path(["changes", k, key, field]), message, file=file))

    for k, change in enumerate(changes.changes):
        effective = from_freeze(change, freeze_before)
        away: LecturerAway | RoomClosed | None = change.lecturer_away or change.room_closed
        if away is not None:  # a lecturer or a room gets dates it is unavailable
            what, items, item_id = (
                ("lecturer", lecturers, away.lecturer) if isinstance(away, LecturerAway) else ("room", rooms, away.room)
            )
            if item_id not in items:
                unknown(k, change.kind, what, what, item_id)
                continue
            now = effective and (effective.lecturer_away or effective.room_closed)
            if now:
                items[item_id]["unavailable"].append(
                    DateRange(start=now.start, end=now.end, reason=now.reason).model_dump()
                )
        elif change.blackout is not None:
            if effective is not None and effective.blackout is not None:
                data["calendar"]["blackouts"].append(effective.blackout.model_dump())
        elif change.add_class is not None:
            if change.add_class.id in classes:
                issues.append(
                    InputIssue(
                        format_path(["changes", k, "add_class", "id"]),
                        _("class '{id}' already exists").format(id=change.add_class.id),
                        file=file,
                    )
                )
                continue
            data["classes"].append(change.add_class.model_dump())
        elif change.cancel_class is not None:
            cid = change.cancel_class.class_id
            if cid not in classes:
                unknown(k, "cancel_class", "class_id", "class", cid)
                continue
            if cid in started:
                issues.append(
                    InputIssue(
                        format_path(["changes", k, "cancel_class", "class_id"]),
                        _(
                            "class '{id}' met on {day}, before --from {start}: "
                            "its past sessions were held and cannot be cancelled"
                        ).format(id=cid, day=started[cid], start=freeze_before),
                        file=file,
                    )
                )
                continue
            data["classes"] = [c for c in data["classes"] if c["id"] != cid]
            for cohort in data["cohorts"]:
                cohort["classes"] = [c for c in cohort["classes"] if c != cid]
            data["cohorts"] = [cohort for cohort in data["cohorts"] if cohort["classes"]]
        elif change.learners is not None:
            cid = change.learners.class_id
            if cid not in classes:
                unknown(k, "learners", "class_id", "class", cid)
            elif cid in cohort_classes:
                issues.append(
                    InputIssue(
                        format_path(["changes", k, "learners", "class_id"]),
                        _("class '{id}' belongs to a cohort: its learners come from the cohort's split").format(id=cid),
                        file=file,
                    )
                )
            else:
                classes[cid]["learners"] = change.learners.learners
    if issues:
        raise ScenarioError(issues)
    try:
        changed = Scenario.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(pydantic_issues(error, file)) from None
    ensure_valid(changed, file=file)
    return changed


@dataclass
class Replan:
    scenario: Scenario  # after the changes
    result: Result
    log: list[ClassChange]


def replan(
    scenario: Scenario,
    baseline: Timetable,
    changes: Changes,
    params: SolveParams | None = None,
    freeze_before: dt.date | None = None,
    max_moves: int | None = None,
    progress: Any = None,
    changes_file: str = "",
    lang: str = "vi",
    *,
    changed: Scenario | None = None,
) -> Replan:
    """Apply the changes and re-plan from the baseline. Never raises for infeasibility.

    `changed`: the scenario after the changes when the caller has already applied them
    (`apply_changes`, which validates it): they are then not applied and validated again.
    """
    if changed is None:
        changed = apply_changes(scenario, changes, changes_file, baseline=baseline, freeze_before=freeze_before)
    changes = clip_to_future(changes, freeze_before)
    result = solve(changed, params, progress, baseline=baseline, freeze_before=freeze_before, max_moves=max_moves)
    log = []
    if result.timetable is not None:
        log = change_log(changes, baseline, result.timetable, scenario, changed, lang)
    return Replan(changed, result, log)


__all__ = [
    "CHANGE_KINDS",
    "Change",
    "ClassChange",
    "Changes",
    "Progress",
    "Replan",
    "apply_changes",
    "change_log",
    "load_changes",
    "replan",
]
