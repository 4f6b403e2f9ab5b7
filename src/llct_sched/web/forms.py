"""Turning the page's form fields into scenario changes, with located errors for bad fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

from llct_sched.errors import InputIssue, ScenarioError
from llct_sched.i18n import _

CHANGE_KINDS = ("lecturer_away", "room_closed", "blackout", "add_class", "cancel_class", "learners")


def parse_date(text: str, field: str) -> dt.date:
    """A date typed by a planner: 2020-03-28 or 28/03/2020."""
    text = text.strip()
    try:
        if "/" in text:
            day, month, year = (int(part) for part in text.split("/"))
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ScenarioError(
            [InputIssue(path=field, message=_("'{text}' is not a date (dd/mm/yyyy)").format(text=text))]
        ) from None


def parse_seconds(text: str, field: str) -> float:
    """A time limit in seconds (empty: 30)."""
    if not text.strip():
        return 30.0
    try:
        value = float(text.strip())
    except ValueError:
        raise ScenarioError(
            [InputIssue(path=field, message=_("'{text}' is not a number of seconds").format(text=text))]
        ) from None
    if not value > 0:  # also NaN
        raise ScenarioError(
            [InputIssue(path=field, message=_("{text}: give a number of seconds above 0").format(text=text))]
        )
    return value


def parse_dates(text: str, field: str) -> list[dt.date]:
    return [parse_date(part, field) for part in text.replace(";", ",").split(",") if part.strip()]


def pinned(
    scenario: dict[str, Any], class_id: str, starts: str, room: str, module: str = "", lecturer: str = ""
) -> dict[str, Any]:
    """The scenario (plain data) with one class's block starts and room pinned, or unpinned when
    empty; with `module`, that module's lecturer pinned to `lecturer` (or unpinned when empty), the
    class's other lecturer pins kept."""
    classes = scenario.get("classes", [])
    index = next((i for i, c in enumerate(classes) if c.get("id") == class_id), None)
    if index is None:
        raise ScenarioError([InputIssue(path="class_id", message=_("no class '{cls}'").format(cls=class_id))])
    updated = dict(classes[index])
    dates = parse_dates(starts, "starts")
    updated.pop("pinned_starts", None)
    updated.pop("pinned_room", None)
    if dates:
        updated["pinned_starts"] = [d.isoformat() for d in dates]
    if room.strip():
        updated["pinned_room"] = room.strip()
    if module.strip():
        lecturers = dict(updated.get("pinned_lecturers") or {})
        lecturers.pop(module.strip(), None)
        if lecturer.strip():
            lecturers[module.strip()] = lecturer.strip()
        updated.pop("pinned_lecturers", None)
        if lecturers:
            updated["pinned_lecturers"] = lecturers
    elif lecturer.strip():
        raise ScenarioError([InputIssue(path="module", message=_("choose the module the lecturer is pinned to"))])
    return scenario | {"classes": [*classes[:index], updated, *classes[index + 1 :]]}


def parse_learners(text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise ScenarioError(
            [InputIssue(path="learners", message=_("'{text}' is not a number of learners").format(text=text))]
        ) from None
    if value <= 0:
        raise ScenarioError(
            [InputIssue(path="learners", message=_("{n} learners: give a number above 0").format(n=value))]
        )
    return value


def change(
    kind: str,
    who: str,
    start: str,
    end: str,
    reason: str,
    learners: str = "",
    program: str = "",
    name: str = "",
    bloc: str = "",
) -> dict[str, Any]:
    """One entry of a changes list (the re-plan API's format) from the re-plan form.

    `who` is the lecturer, room or class id (for `add_class`, the new class's id); `learners`,
    `program`, `name` and `bloc` are read for `add_class` (with `start`/`end`, optional, as the new
    class's window) and `learners`; the change's own validation (unknown ids, a cohort's class, a
    window outside the calendar) is the re-plan's.
    """
    if kind not in CHANGE_KINDS:
        raise ScenarioError([InputIssue(path="kind", message=_("unknown change '{kind}'").format(kind=kind))])
    if kind == "cancel_class":
        return {kind: {"class_id": who.strip(), "reason": reason.strip()}}
    if kind == "learners":
        return {kind: {"class_id": who.strip(), "learners": parse_learners(learners)}}
    if kind == "add_class":
        added: dict[str, Any] = {"id": who.strip(), "program": program.strip(), "learners": parse_learners(learners)}
        if name.strip():
            added["name"] = name.strip()
        if bloc.strip():
            added["bloc"] = bloc.strip()
        if start.strip():
            added["earliest_start"] = parse_date(start, "start").isoformat()
        if end.strip():
            added["latest_end"] = parse_date(end, "end").isoformat()
        return {kind: added}
    first = parse_date(start, "start")
    last = parse_date(end, "end") if end.strip() else first
    if last < first:
        raise ScenarioError(
            [InputIssue(path="end", message=_("{last} is before {first}").format(last=last, first=first))]
        )
    body: dict[str, Any] = {"start": first.isoformat(), "end": last.isoformat()}
    if kind == "blackout":
        body |= {"id": f"web-{first.isoformat()}", "name": reason.strip()}
    else:
        body |= {"lecturer" if kind == "lecturer_away" else "room": who.strip(), "reason": reason.strip()}
    return {kind: body}


MAX_VARIANTS = 4


def weights_patch(text: str, field: str) -> dict[str, int]:
    """New weights typed as 'goal=value, goal=value' (empty: the version's own weights)."""
    out: dict[str, int] = {}
    for part in text.replace(";", ",").replace("\n", ",").split(","):
        if not part.strip():
            continue
        goal, sep, value = part.partition("=")
        try:
            if not sep:
                raise ValueError
            out[goal.strip()] = int(value.strip())
        except ValueError:
            message = _("'{text}' is not goal=weight (e.g. preferred_months=20)").format(text=part.strip())
            raise ScenarioError([InputIssue(path=field, message=message)]) from None
    return out


def variants(names: list[str], weights: list[str], seeds: list[str]) -> list[tuple[int, str, dict[str, int], int]]:
    """The filled rows of the what-if form: (row number, name, new weights, seed); a row counts when
    any of its fields is filled; at least one row, names unique, seeds whole numbers >= 0."""
    rows: list[tuple[int, str, dict[str, int], int]] = []
    issues: list[InputIssue] = []
    for k, (name, text, seed) in enumerate(zip(names, weights, seeds, strict=True), start=1):
        if not (name.strip() or text.strip() or seed.strip()):
            continue
        label = name.strip() or f"variant-{k}"
        try:
            patch = weights_patch(text, f"weights_{k}")
        except ScenarioError as error:
            issues += error.issues
            continue
        if not seed.strip():
            number = 0
        elif seed.strip().isdigit():
            number = int(seed.strip())
        else:
            issues.append(
                InputIssue(
                    path=f"seed_{k}", message=_("'{seed}' is not a seed (0, 1, 2, ...)").format(seed=seed.strip())
                )
            )
            continue
        if label in [r[1] for r in rows]:
            issues.append(InputIssue(path=f"name_{k}", message=_("two variants are named '{name}'").format(name=label)))
            continue
        rows.append((k, label, patch, number))
    if not rows and not issues:
        issues.append(InputIssue(path="name_1", message=_("fill in at least one variant")))
    if issues:
        raise ScenarioError(issues)
    return rows
