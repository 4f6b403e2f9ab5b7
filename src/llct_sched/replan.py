"""Re-planning: when the year goes wrong, change the plan as little as possible.

A changes file lists what happened (a lecturer away, a room closed, a new blackout, a class added
or cancelled, learners changed). `replan` applies them to the scenario, keeps everything before
the `--from` date as it was, solves with the baseline as the starting point and the cost of
change in the objective (goals `moves` and `lecturer_changes`), and explains, class by class,
what moved and why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from llct_sched.errors import InputIssue, ScenarioError, format_path
from llct_sched.io import model_from_yaml, pydantic_issues
from llct_sched.scenario import Blackout, DateRange, Id, OneOf, Scenario, StrictModel, TrainingClass
from llct_sched.solve import Progress, Result, SolveParams, solve
from llct_sched.timetable import Timetable
from llct_sched.validate import ensure_valid


class LecturerAway(StrictModel):
    lecturer: Id
    start: dt.date
    end: dt.date
    reason: str = ""


class RoomClosed(StrictModel):
    room: Id
    start: dt.date
    end: dt.date
    reason: str = ""


class CancelClass(StrictModel):
    class_id: Id
    reason: str = ""


class LearnersChange(StrictModel):
    class_id: Id
    learners: int = Field(gt=0)


class Change(OneOf):
    """One thing that happened; exactly one key."""

    lecturer_away: LecturerAway | None = None
    room_closed: RoomClosed | None = None
    blackout: Blackout | None = None
    add_class: TrainingClass | None = None
    cancel_class: CancelClass | None = None
    learners: LearnersChange | None = None


class Changes(StrictModel):
    changes: list[Change] = Field(default_factory=list)


def load_changes(path: Path) -> Changes:
    """Read a changes file; every problem is reported with its place in the file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError([InputIssue(path="", message=f"cannot be read: {error}", file=str(path))]) from None
    return model_from_yaml(Changes, text, str(path))


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
        issues.append(
            InputIssue(format_path(["changes", k, key, field]), f"no {what} '{value}' in the scenario", file=file)
        )

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
                        f"class '{change.add_class.id}' already exists",
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
                        f"class '{cid}' met on {started[cid]}, before --from {freeze_before}: "
                        "its past sessions were held and cannot be cancelled",
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
                        f"class '{cid}' belongs to a cohort: its learners come from the cohort's split",
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
class ClassChange:
    """What happened to one class between the baseline and the re-plan, and why."""

    class_id: str
    what: str  # moved, room, lecturers, added, cancelled
    before: str
    after: str
    reason: str

    def row(self) -> dict[str, str]:
        return {
            "class_id": self.class_id,
            "change": self.what,
            "before": self.before,
            "after": self.after,
            "reason": self.reason,
        }


def _runs(timetable: Timetable, class_id: str) -> list[tuple[dt.date, dt.date]]:
    """The class's meeting days as runs (a weekend or a one-day holiday does not break a run)."""
    runs: list[list[dt.date]] = []
    for day in sorted({s.date for s in timetable.sessions if s.class_id == class_id}):
        if runs and (day - runs[-1][1]).days <= 3:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(a, b) for a, b in runs]


def _text(runs: list[tuple[dt.date, dt.date]]) -> str:
    return "; ".join(f"{a.isoformat()}..{b.isoformat()}" if a != b else a.isoformat() for a, b in runs)


def _span(timetable: Timetable, class_id: str) -> str:
    return _text(_runs(timetable, class_id))


def _causes(changes: Changes, baseline: Timetable, class_id: str) -> list[str]:
    """The changes that touch this class's baseline sessions directly."""
    sessions = [s for s in baseline.sessions if s.class_id == class_id]
    learners = baseline.class_learners.get(class_id, 0)
    reasons = []
    for change in changes.changes:
        if (away := change.lecturer_away) is not None:
            hit = [s for s in sessions if s.lecturer_id == away.lecturer and away.start <= s.date <= away.end]
            if hit:
                reasons.append(f"lecturer {away.lecturer} away {away.start}..{away.end} ({len(hit)} of its sessions)")
        elif (closed := change.room_closed) is not None:
            if any(s.room_id == closed.room and closed.start <= s.date <= closed.end for s in sessions):
                reasons.append(f"room {closed.room} closed {closed.start}..{closed.end}")
        elif (blackout := change.blackout) is not None:
            too_big = blackout.max_gathering is None or learners > blackout.max_gathering
            if too_big and any(blackout.start <= s.date <= blackout.end for s in sessions):
                limit = "no classes" if blackout.max_gathering is None else f"no more than {blackout.max_gathering}"
                reasons.append(f"blackout {blackout.id} {blackout.start}..{blackout.end} ({limit})")
        elif (new := change.learners) is not None and new.class_id == class_id:
            reasons.append(f"learners changed from {learners} to {new.learners}")
    return reasons


def change_log(changes: Changes, baseline: Timetable, replanned: Timetable) -> list[ClassChange]:
    """Class by class: what moved, from what to what, and why."""
    out: list[ClassChange] = []
    before_ids = {s.class_id for s in baseline.sessions}
    after_ids = {s.class_id for s in replanned.sessions}
    for cid in sorted(before_ids - after_ids):
        out.append(ClassChange(cid, "cancelled", _span(baseline, cid), "", "cancelled by the changes"))
    for cid in sorted(after_ids - before_ids):
        out.append(ClassChange(cid, "added", "", _span(replanned, cid), "added by the changes"))
    for cid in sorted(before_ids & after_ids):
        old, new = baseline.sessions_of(cid), replanned.sessions_of(cid)
        causes = "; ".join(_causes(changes, baseline, cid)) or "moved to make room for the changes"
        if [(s.date, s.period) for s in old] != [(s.date, s.period) for s in new]:
            runs_old, runs_new = _runs(baseline, cid), _runs(replanned, cid)
            gone = [r for r in runs_old if r not in runs_new]
            came = [r for r in runs_new if r not in runs_old]
            if not gone and not came:  # same days, other periods
                gone, came = runs_old, runs_new
            out.append(ClassChange(cid, "moved", _text(gone), _text(came), causes))
        if [s.room_id for s in old] != [s.room_id for s in new]:
            rooms_old = ", ".join(sorted({s.room_id for s in old}))
            rooms_new = ", ".join(sorted({s.room_id for s in new}))
            out.append(ClassChange(cid, "room", rooms_old, rooms_new, causes))
        changed = sum(1 for a, b in zip(old, new, strict=False) if a.lecturer_id != b.lecturer_id)
        if changed and len(old) == len(new):
            before = ", ".join(sorted({s.lecturer_id or "-" for s in old}))
            after = ", ".join(sorted({s.lecturer_id or "-" for s in new}))
            out.append(ClassChange(cid, "lecturers", before, after, f"{changed} session(s) re-staffed: {causes}"))
    return out


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
) -> Replan:
    """Apply the changes and re-plan from the baseline. Never raises for infeasibility."""
    changed = apply_changes(scenario, changes, changes_file, baseline=baseline, freeze_before=freeze_before)
    changes = clip_to_future(changes, freeze_before)
    result = solve(changed, params, progress, baseline=baseline, freeze_before=freeze_before, max_moves=max_moves)
    log = change_log(changes, baseline, result.timetable) if result.timetable is not None else []
    return Replan(changed, result, log)


__all__ = [
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
