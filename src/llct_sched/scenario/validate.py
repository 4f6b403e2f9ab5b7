"""Semantic validation of a scenario: the checks pydantic cannot make alone.

`validate` returns every error and warning, each located by its path inside the file
(`classes[12].program`, `lecturers[3].topics[1]`, ...) and worded in plain words that name the
offending value. `ensure_valid` raises ScenarioError carrying all errors and returns the warnings.
The rules behind the checks are in docs/rules.md.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import networkx as nx
from pydantic import ValidationError

from llct_sched.errors import InputIssue, ScenarioError, Severity, format_path, parse_path
from llct_sched.i18n import N_, _
from llct_sched.scenario import (
    Cohort,
    DateRange,
    Scenario,
    TaughtBy,
)
from llct_sched.scenario.facts import Facts, HasId, Window, closing_blackout

__all__ = ["ensure_valid", "validate", "validate_around", "validate_despite"]

WEEKDAY_NAMES = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)


def _error(path: str, message: str) -> InputIssue:
    return InputIssue(path=path, message=message, severity=Severity.error)


def _warning(path: str, message: str) -> InputIssue:
    return InputIssue(path=path, message=message, severity=Severity.warning)


class _Context(Facts):
    """The scenario's facts and look-ups (`llct_sched.scenario.facts`), and its group ids, built once."""

    def __init__(self, scenario: Scenario) -> None:
        super().__init__(scenario)
        self.groups = {g.id for g in scenario.groups}


# --- duplicate ids -------------------------------------------------------------------------


def _duplicates(items: Iterable[HasId], prefix: str, what: str) -> list[InputIssue]:
    issues = []
    first_index: dict[str, int] = {}
    for index, item in enumerate(items):
        if item.id in first_index:
            issues.append(
                _error(
                    f"{prefix}[{index}].id",
                    _("duplicate {what} id '{id}' (already used by {where})").format(
                        what=what, id=item.id, where=f"{prefix}[{first_index[item.id]}]"
                    ),
                )
            )
        else:
            first_index[item.id] = index
    return issues


def check_duplicate_ids(ctx: _Context) -> list[InputIssue]:
    s = ctx.scenario
    issues = (
        _duplicates(s.rooms, "rooms", _(N_("room")))
        + _duplicates(s.lecturers, "lecturers", _(N_("lecturer")))
        + _duplicates(s.programs, "programs", _(N_("program")))
        + _duplicates(s.classes, "classes", _(N_("class")))
        + _duplicates(s.groups, "groups", _(N_("group")))
        + _duplicates(s.cohorts, "cohorts", _(N_("cohort")))
        + _duplicates(s.calendar.events, "calendar.events", _(N_("event")))
        + _duplicates(s.calendar.blackouts, "calendar.blackouts", _(N_("blackout")))
    )
    for p, program in enumerate(s.programs):
        what = _("module (in program '{program}')").format(program=program.id)
        issues += _duplicates(program.modules, f"programs[{p}].modules", what)
    return issues


# --- unknown references --------------------------------------------------------------------


def check_class_references(ctx: _Context) -> list[InputIssue]:
    issues = []
    for c, klass in enumerate(ctx.scenario.classes):
        at = f"classes[{c}]"
        if klass.program not in ctx.programs:
            message = _("class '{id}' refers to unknown program '{program}'").format(id=klass.id, program=klass.program)
            issues.append(_error(f"{at}.program", message))
        for g, group in enumerate(klass.groups):
            if group not in ctx.groups:
                message = _("class '{id}' refers to unknown group '{group}'").format(id=klass.id, group=group)
                issues.append(_error(f"{at}.groups[{g}]", message))
        if klass.pinned_room is not None and klass.pinned_room not in ctx.rooms:
            message = _("class '{id}' is pinned to unknown room '{room}'").format(id=klass.id, room=klass.pinned_room)
            issues.append(_error(f"{at}.pinned_room", message))
        for r, room in enumerate(klass.allowed_rooms or []):
            if room not in ctx.rooms:
                message = _("class '{id}' allows unknown room '{room}'").format(id=klass.id, room=room)
                issues.append(_error(f"{at}.allowed_rooms[{r}]", message))
        allowed = klass.allowed_rooms
        if klass.pinned_room in ctx.rooms and allowed is not None and klass.pinned_room not in allowed:
            message = _("class '{id}' is pinned to room '{room}', which is not among its allowed rooms ({rooms})")
            message = message.format(id=klass.id, room=klass.pinned_room, rooms=", ".join(allowed))
            issues.append(_error(f"{at}.pinned_room", message))
        who = _("class '{id}' closes").format(id=klass.id)
        issues += _unknown_periods(ctx, f"{at}.closed_periods", klass.closed_periods, who)
        for key, event_id in (("not_before_event", klass.not_before_event), ("not_after_event", klass.not_after_event)):
            if event_id is not None and event_id not in ctx.events:
                message = _("class '{id}' refers to unknown event '{event}'").format(id=klass.id, event=event_id)
                issues.append(_error(f"{at}.{key}", message))
    return issues


def _unknown_periods(ctx: _Context, at: str, weekly: Mapping[Any, list[str]], who: str) -> list[InputIssue]:
    """Errors for period names of a map (a weekday, or a field name -> periods) that the calendar
    does not have, each at `at`.<key>[k]."""
    periods = ctx.scenario.calendar.periods
    return [
        _error(
            f"{at}.{getattr(day, 'value', day)}[{k}]",
            _("{who} unknown period '{period}' (calendar periods: {periods})").format(
                who=who, period=period, periods=", ".join(periods)
            ),
        )
        for day, named in weekly.items()
        for k, period in enumerate(named)
        if period not in periods
    ]


def check_lecturer_references(ctx: _Context) -> list[InputIssue]:
    issues = []
    for i, lecturer in enumerate(ctx.scenario.lecturers):
        for e, event_id in enumerate(lecturer.unavailable_events):
            if event_id not in ctx.events:
                issues.append(
                    _error(
                        f"lecturers[{i}].unavailable_events[{e}]",
                        _("lecturer '{id}' refers to unknown event '{event}'").format(id=lecturer.id, event=event_id),
                    )
                )
        who = _("lecturer '{id}' is available in").format(id=lecturer.id)
        issues += _unknown_periods(ctx, f"lecturers[{i}].available", lecturer.available or {}, who)
        who = _("lecturer '{id}' is away in").format(id=lecturer.id)
        for k, absence in enumerate(lecturer.unavailable):
            issues += _unknown_periods(ctx, f"lecturers[{i}].unavailable[{k}]", {"periods": absence.periods or []}, who)
    return issues


def check_staffing_fields(ctx: _Context) -> list[InputIssue]:
    """Norm bands in order, minimum shares within the yearly limit, specialists who teach their topic,
    modules' preferred lecturers known and able to teach the module."""
    issues = []
    lecturers = {lec.id: lec for lec in ctx.scenario.lecturers}
    for i, lec in enumerate(ctx.scenario.lecturers):
        at = f"lecturers[{i}]"
        low, high = lec.norm_sessions_per_year, lec.norm_max_sessions_per_year
        if low is not None and high is not None and high < low:
            issues.append(
                _error(
                    f"{at}.norm_max_sessions_per_year",
                    _("lecturer '{id}': the norm band's upper edge {high} is below its norm {low}").format(
                        id=lec.id, high=high, low=low
                    ),
                )
            )
        cap = lec.max_sessions_per_year
        if lec.min_sessions_per_year is not None and cap is not None and lec.min_sessions_per_year > cap:
            issues.append(
                _warning(
                    f"{at}.min_sessions_per_year",
                    _(
                        "lecturer '{id}': the minimum share {low} is above the yearly limit {cap} and can never be met"
                    ).format(id=lec.id, low=lec.min_sessions_per_year, cap=cap),
                )
            )
        for k, topic in enumerate(lec.specialist_topics):
            if topic not in lec.topics:
                issues.append(
                    _error(
                        f"{at}.specialist_topics[{k}]",
                        _(
                            "lecturer '{id}' is a specialist of topic '{topic}' but does not list it in their topics"
                        ).format(id=lec.id, topic=topic),
                    )
                )
    for p, program in enumerate(ctx.scenario.programs):
        for m, module in enumerate(program.modules):
            for k, lid in enumerate(module.preferred_lecturers or []):
                at = f"programs[{p}].modules[{m}].preferred_lecturers[{k}]"
                if lid not in lecturers:
                    message = _("module '{module}' prefers unknown lecturer '{lecturer}'")
                    issues.append(_error(at, message.format(module=module.id, lecturer=lid)))
                elif module.topic not in lecturers[lid].topics:
                    issues.append(
                        _error(
                            at,
                            _(
                                "module '{module}' prefers lecturer '{lecturer}', who does not teach its "
                                "topic '{topic}'"
                            ).format(module=module.id, lecturer=lid, topic=module.topic),
                        )
                    )
    return issues


def check_pinned_lecturers(ctx: _Context) -> list[InputIssue]:
    """A class's pinned lecturers: modules of its program, taught by the center, by a known lecturer
    who teaches the module's topic."""
    issues = []
    for c, klass in enumerate(ctx.scenario.classes):
        program = ctx.programs.get(klass.program)
        if program is None:
            continue  # an unknown program is reported by check_class_references
        modules = {m.id: m for m in program.modules}
        for module_id, lid in klass.pinned_lecturers.items():
            at = f"classes[{c}].pinned_lecturers.{module_id}"
            module = modules.get(module_id)
            if module is None:
                message = _("class '{id}' pins a lecturer to module '{module}', not a module of program '{program}'")
                issues.append(_error(at, message.format(id=klass.id, module=module_id, program=program.id)))
            elif program.taught_by != TaughtBy.center:
                message = _("class '{id}' pins a lecturer, but program '{program}' is taught externally")
                issues.append(_error(at, message.format(id=klass.id, program=program.id)))
            elif lid not in ctx.lecturers:
                message = _("class '{id}' pins module '{module}' to unknown lecturer '{lecturer}'")
                issues.append(_error(at, message.format(id=klass.id, module=module_id, lecturer=lid)))
            elif module.topic not in ctx.lecturers[lid].topics:
                message = _(
                    "class '{id}' pins module '{module}' to lecturer '{lecturer}', who does not teach topic '{topic}'"
                )
                issues.append(
                    _error(at, message.format(id=klass.id, module=module_id, lecturer=lid, topic=module.topic))
                )
    return issues


def check_module_precedence(ctx: _Context) -> list[InputIssue]:
    issues = []
    for p, program in enumerate(ctx.scenario.programs):
        module_ids = {m.id for m in program.modules}
        graph: nx.DiGraph = nx.DiGraph()
        graph.add_nodes_from(module_ids)
        for m, module in enumerate(program.modules):
            if module.after is None:
                if m > 0:
                    graph.add_edge(program.modules[m - 1].id, module.id)
                continue
            for a, before in enumerate(module.after):
                if before in module_ids:
                    graph.add_edge(before, module.id)
                else:
                    issues.append(
                        _error(
                            f"programs[{p}].modules[{m}].after[{a}]",
                            _(
                                "module '{module}' comes after unknown module '{before}' "
                                "(program '{program}' has no such module)"
                            ).format(module=module.id, before=before, program=program.id),
                        )
                    )
        try:
            cycle = nx.find_cycle(graph)
        except nx.NetworkXNoCycle:
            continue
        loop = " -> ".join([str(edge[0]) for edge in cycle] + [str(cycle[0][0])])
        issues.append(
            _error(
                f"programs[{p}].modules",
                _("the module order of program '{program}' has a cycle: {loop}").format(program=program.id, loop=loop),
            )
        )
    return issues


def check_cohort_membership(ctx: _Context) -> list[InputIssue]:
    issues = []
    owner: dict[str, str] = {}
    for h, cohort in enumerate(ctx.scenario.cohorts):
        for k, class_id in enumerate(cohort.classes):
            at = f"cohorts[{h}].classes[{k}]"
            if class_id not in ctx.classes:
                message = _("cohort '{id}' refers to unknown class '{klass}'").format(id=cohort.id, klass=class_id)
                issues.append(_error(at, message))
            elif class_id in owner:
                other = owner[class_id]
                where = _("twice in this cohort") if other == cohort.id else _("also in cohort '{id}'").format(id=other)
                message = _("class '{id}' is {where}; a class belongs to at most one cohort")
                issues.append(_error(at, message.format(id=class_id, where=where)))
            else:
                owner[class_id] = cohort.id
    for c, klass in enumerate(ctx.scenario.classes):
        cohort_of = ctx.cohort_of.get(klass.id)
        if cohort_of is not None and klass.learners is not None:
            issues.append(
                _error(
                    f"classes[{c}].learners",
                    _(
                        "class '{id}' belongs to cohort '{cohort}', which sets its learners; remove learners: {n}"
                    ).format(id=klass.id, cohort=cohort_of.id, n=klass.learners),
                )
            )
        elif cohort_of is None and klass.learners is None:
            issues.append(
                _error(
                    f"classes[{c}].learners",
                    _("class '{id}' has no learners and belongs to no cohort").format(id=klass.id),
                )
            )
    return issues


# --- delivery and windows ------------------------------------------------------------------


def check_delivery(ctx: _Context) -> list[InputIssue]:
    issues = []
    for p, program in enumerate(ctx.scenario.programs):
        d = program.delivery
        total = program.total_sessions
        periods = len(ctx.scenario.calendar.periods)
        if d.sessions_per_day > periods:
            issues.append(
                _error(
                    f"programs[{p}].delivery.sessions_per_day",
                    _("program '{id}' meets {n} sessions a day but a day has {periods} period(s)").format(
                        id=program.id, n=d.sessions_per_day, periods=periods
                    ),
                )
            )
        elif total % (d.blocks * d.sessions_per_day):
            issues.append(
                _error(
                    f"programs[{p}].delivery",
                    _(
                        "program '{id}' has {total} sessions, which cannot be split into {blocks} block(s) "
                        "of whole days with {per_day} session(s) a day: {total} is not a multiple of "
                        "{blocks} x {per_day} = {product}"
                    ).format(
                        id=program.id,
                        total=total,
                        blocks=d.blocks,
                        per_day=d.sessions_per_day,
                        product=d.blocks * d.sessions_per_day,
                    ),
                )
            )
    return issues


def _narrowed_by(window: Window) -> list[str]:
    """The bounds that narrowed a class's window from the calendar, in words."""
    why = []
    if window.earliest_start is not None:
        why.append(f"earliest_start {window.earliest_start}")
    if window.latest_end is not None:
        why.append(f"latest_end {window.latest_end}")
    if (after := window.after_event) is not None:
        why.append(_("after event '{id}' ending {day}").format(id=after.id, day=after.last))
    if (before := window.before_event) is not None:
        why.append(_("before event '{id}' starting {day}").format(id=before.id, day=before.start))
    return why


def check_class_windows(ctx: _Context) -> list[InputIssue]:
    """A class whose window holds fewer open working days than its program needs (an input error,
    not a diagnosis: `diagnose` leaves it to this check)."""
    issues = []
    for c, klass in enumerate(ctx.scenario.classes):
        needed = ctx.class_days_needed(klass)
        if needed is None or not ctx.window_too_short(klass):
            continue
        program = ctx.programs[klass.program]
        window = ctx.window(klass)
        why = _narrowed_by(window)
        narrowed = f" ({', '.join(why)})" if why else ""
        issues.append(
            _error(
                f"classes[{c}]",
                _(
                    "class '{id}' needs {needed} working days ({blocks} block(s) x {days} day(s)) "
                    "but its window {first}..{last}{narrowed} has only {open}"
                ).format(
                    id=klass.id,
                    needed=needed,
                    blocks=program.delivery.blocks,
                    days=needed // program.delivery.blocks,
                    first=window.first,
                    last=window.last,
                    narrowed=narrowed,
                    open=len(ctx.open_days(klass)),
                ),
            )
        )
    return issues


def check_pinned_starts(ctx: _Context) -> list[InputIssue]:
    issues = []
    cal = ctx.scenario.calendar
    working = set(ctx.working_days)
    for c, klass in enumerate(ctx.scenario.classes):
        if klass.pinned_starts is None:
            continue
        at = f"classes[{c}].pinned_starts"
        program = ctx.programs.get(klass.program)
        if program is not None and len(klass.pinned_starts) != program.delivery.blocks:
            issues.append(
                _error(
                    at,
                    _("class '{id}' pins {n} start(s) but program '{program}' has {blocks} block(s)").format(
                        id=klass.id, n=len(klass.pinned_starts), program=program.id, blocks=program.delivery.blocks
                    ),
                )
            )
        learners = ctx.least_learners(klass)
        for i, day in enumerate(klass.pinned_starts):
            if not cal.start <= day <= cal.end:
                problem = _("is outside the calendar {first}..{last}").format(first=cal.start, last=cal.end)
            elif day not in working:
                holiday = next((h for h in cal.holidays if h.contains(day)), None)
                if holiday is not None:
                    problem = _("is a holiday ({name})").format(name=holiday.name or holiday.reason or holiday.start)
                else:
                    problem = _("is a {weekday}, not a working weekday").format(weekday=_(WEEKDAY_NAMES[day.weekday()]))
            elif (blackout := closing_blackout(cal.blackouts, day, learners)) is not None:
                problem = _("is closed by blackout '{id}'").format(id=blackout.id)
            else:
                continue
            message = _("pinned start {day} of class '{id}' {problem}").format(day=day, id=klass.id, problem=problem)
            issues.append(_error(f"{at}[{i}]", message))
    return issues


# --- sizes: rooms and cohorts --------------------------------------------------------------


def check_room_sizes(ctx: _Context) -> list[InputIssue]:
    """A class larger than every room or than its pinned or allowed rooms, a cohort whose minimum share is
    (input errors, not diagnoses: `diagnose` leaves them to this check)."""
    issues: list[InputIssue] = []
    if ctx.scenario.rules.soft_room_capacity:  # too many learners only costs (goal room_capacity)
        return issues
    most = ctx.max_seats
    for c, klass in enumerate(ctx.scenario.classes):
        cohort = ctx.cohort_of.get(klass.id)
        if klass.learners is None and cohort is None:
            continue  # no learners at all: check_cohort_membership says it
        if ctx.larger_than_every_room(klass):
            if klass.learners is not None:  # a cohort's share: said on the cohort, below
                issues.append(
                    _error(
                        f"classes[{c}].learners",
                        _("class '{id}' has {n} learners but the largest room seats {most}").format(
                            id=klass.id, n=klass.learners, most=most
                        ),
                    )
                )
        elif ctx.larger_than_its_room(klass):
            pinned = klass.pinned_room in ctx.rooms
            if pinned and klass.learners is not None:
                message = _("class '{id}' has {n} learners but its pinned room '{room}' seats {seats}")
            elif pinned:
                message = _(
                    "class '{id}' takes at least {n} learners of cohort '{cohort}' but its pinned room '{room}' "
                    "seats {seats}"
                )
            elif klass.learners is not None:
                message = _("class '{id}' has {n} learners but the largest of its allowed rooms seats {seats}")
            else:
                message = _(
                    "class '{id}' takes at least {n} learners of cohort '{cohort}' but the largest of its allowed "
                    "rooms seats {seats}"
                )
            issues.append(
                _error(
                    f"classes[{c}].{'pinned_room' if pinned else 'allowed_rooms'}",
                    message.format(
                        id=klass.id,
                        n=ctx.least_learners(klass),
                        cohort=cohort.id if cohort is not None else "",
                        room=klass.pinned_room,
                        seats=ctx.best_seats(klass),
                    ),
                )
            )
    for h, cohort in enumerate(ctx.scenario.cohorts):
        if cohort.min_per_class > most:
            issues.append(
                _error(
                    f"cohorts[{h}].min_per_class",
                    _(
                        "cohort '{id}' puts at least {n} learners in each class but the largest room seats {most}"
                    ).format(id=cohort.id, n=cohort.min_per_class, most=most),
                )
            )
    return issues


def check_cohort_sizes(ctx: _Context) -> list[InputIssue]:
    issues = []
    soft = ctx.scenario.rules.soft_room_capacity
    for h, cohort in enumerate(ctx.scenario.cohorts):
        at = f"cohorts[{h}]"
        n = len(cohort.classes)
        low, high = cohort.min_per_class, cohort.max_per_class
        if high is not None and high < low:
            issues.append(
                _error(
                    f"{at}.max_per_class",
                    _("cohort '{id}' has max_per_class {high} below min_per_class {low}").format(
                        id=cohort.id, high=high, low=low
                    ),
                )
            )
        if n * low > cohort.learners:
            issues.append(
                _error(
                    f"{at}.min_per_class",
                    _(
                        "cohort '{id}' has {learners} learners, too few for {n} classes of at least {low} "
                        "({n} x {low} = {product})"
                    ).format(id=cohort.id, learners=cohort.learners, n=n, low=low, product=n * low),
                )
            )
        if high is not None and n * high < cohort.learners:
            issues.append(
                _error(
                    f"{at}.max_per_class",
                    _(
                        "cohort '{id}' has {learners} learners, too many for {n} classes of at most {high} "
                        "({n} x {high} = {product})"
                    ).format(id=cohort.id, learners=cohort.learners, n=n, high=high, product=n * high),
                )
            )
        known = [ctx.classes[c] for c in cohort.classes if c in ctx.classes]
        seats = sum(ctx.best_seats(k) for k in known)
        if known and seats < cohort.learners:
            issues.append(
                _error(
                    f"{at}.learners",
                    _(
                        "cohort '{id}' has {learners} learners but its {n} classes can seat at most {seats} "
                        "in their largest rooms"
                    ).format(id=cohort.id, learners=cohort.learners, n=len(known), seats=seats),
                )
            )
        elif len(known) == n and high is not None and n * high >= cohort.learners and not soft:
            capped = sum(min(ctx.best_seats(k), high) for k in known)
            if capped < cohort.learners:
                issues.append(
                    _error(
                        f"{at}.max_per_class",
                        _(
                            "cohort '{id}' has {learners} learners but its {n} classes can take at most {seats}: "
                            "each at most {high} and no more than its largest room seats"
                        ).format(id=cohort.id, learners=cohort.learners, n=len(known), seats=capped, high=high),
                    )
                )
    return issues


# --- lecturers -----------------------------------------------------------------------------


def _needed_topics(ctx: _Context) -> set[str]:
    return {m.topic for p in ctx.scenario.programs if p.taught_by == TaughtBy.center for m in p.modules}


def check_topics_taught(ctx: _Context) -> list[InputIssue]:
    issues = []
    offered = {t for lecturer in ctx.scenario.lecturers for t in lecturer.topics}
    for p, program in enumerate(ctx.scenario.programs):
        if program.taught_by != TaughtBy.center:
            continue
        for m, module in enumerate(program.modules):
            if module.topic not in offered:
                issues.append(
                    _error(
                        f"programs[{p}].modules[{m}].topic",
                        _("no lecturer can teach topic '{topic}' (module '{module}' of program '{program}')").format(
                            topic=module.topic, module=module.id, program=program.id
                        ),
                    )
                )
    return issues


def check_lecturer_availability(ctx: _Context) -> list[InputIssue]:
    issues = []
    working = set(ctx.scenario.calendar.working_weekdays)
    for i, lecturer in enumerate(ctx.scenario.lecturers):
        if lecturer.available is None:
            continue
        usable = [day for day, periods in lecturer.available.items() if periods and day in working]
        if not usable:
            given = [day.value for day, periods in lecturer.available.items() if periods]
            detail = (
                _("only on non-working days {days}").format(days=", ".join(given)) if given else _("no session at all")
            )
            issues.append(
                _warning(
                    f"lecturers[{i}].available",
                    _("lecturer '{id}' is available {detail}, so can never teach or observe").format(
                        id=lecturer.id, detail=detail
                    ),
                )
            )
    return issues


def check_lecturer_topics_needed(ctx: _Context) -> list[InputIssue]:
    issues = []
    needed = _needed_topics(ctx)
    for i, lecturer in enumerate(ctx.scenario.lecturers):
        if lecturer.topics and not needed.intersection(lecturer.topics):
            issues.append(
                _warning(
                    f"lecturers[{i}].topics",
                    _("no center-taught module needs the topics of lecturer '{id}' ({topics})").format(
                        id=lecturer.id, topics=", ".join(lecturer.topics)
                    ),
                )
            )
    return issues


# --- observation ---------------------------------------------------------------------------


def check_observation(ctx: _Context) -> list[InputIssue]:
    issues = []
    policy = ctx.scenario.observation
    for o, observer in enumerate(policy.observers or []):
        if observer not in ctx.lecturers:
            message = _("unknown observer '{id}' (no such lecturer)").format(id=observer)
            issues.append(_error(f"observation.observers[{o}]", message))
    for p, program_id in enumerate(policy.programs or []):
        if program_id not in ctx.programs:
            issues.append(_error(f"observation.programs[{p}]", _("unknown program '{id}'").format(id=program_id)))
    if policy.visits_per_lecturer == 0:
        return issues
    if policy.observers is None:
        allowed = {lecturer.id for lecturer in ctx.scenario.lecturers if lecturer.can_observe}
        source = _("no lecturer has can_observe and observation.observers is not set")
    else:
        allowed = {o for o in policy.observers if o in ctx.lecturers}
        source = _("observation.observers names no existing lecturer")
    observed = [(i, lect) for i, lect in enumerate(ctx.scenario.lecturers) if lect.kind in policy.observed_kinds]
    for k, kind in enumerate(policy.observed_kinds):
        of_kind = [lect.id for _, lect in observed if lect.kind == kind]
        if of_kind and not allowed:
            issues.append(
                _error(
                    f"observation.observed_kinds[{k}]",
                    _("lecturers of kind '{kind}' ({ids}) must be observed but {source}").format(
                        kind=kind.value, ids=", ".join(of_kind), source=source
                    ),
                )
            )
    if len(allowed) == 1:
        (only,) = allowed
        for i, lecturer in observed:
            if lecturer.id == only:
                issues.append(
                    _error(
                        f"lecturers[{i}]",
                        _(
                            "lecturer '{id}' must be observed but is the only allowed observer "
                            "and cannot observe themself"
                        ).format(id=lecturer.id),
                    )
                )
    needed = policy.visits_per_lecturer * len(observed)
    if allowed and policy.max_visits_per_observer is not None:
        capacity = policy.max_visits_per_observer * len(allowed)
        if capacity < needed:
            issues.append(
                _error(
                    "observation.max_visits_per_observer",
                    _(
                        "observation needs {needed} visits ({n} lecturers x {visits}) "
                        "but {observers} observer(s) x {most} visits allow only {capacity}"
                    ).format(
                        needed=needed,
                        n=len(observed),
                        visits=policy.visits_per_lecturer,
                        observers=len(allowed),
                        most=policy.max_visits_per_observer,
                        capacity=capacity,
                    ),
                )
            )
    return issues


# --- targets -------------------------------------------------------------------------------


def check_targets(ctx: _Context) -> list[InputIssue]:
    issues = []
    for t, target in enumerate(ctx.scenario.targets):
        matching = [
            k
            for k in ctx.scenario.classes
            if k.program in ctx.programs
            and ctx.programs[k.program].type == target.program_type
            and (target.bloc is None or k.bloc == target.bloc)
        ]
        cohorts: dict[str, Cohort] = {}
        learners = 0
        for klass in matching:
            cohort = ctx.cohort_of.get(klass.id)
            if cohort is not None:
                cohorts.setdefault(cohort.id, cohort)
            elif klass.learners is not None:
                learners += klass.learners
        learners += sum(c.learners for c in cohorts.values())
        bloc = _(" (bloc {bloc})").format(bloc=target.bloc.value) if target.bloc is not None else ""
        what = target.program_type.value + bloc
        label = f" ({target.label})" if target.label else ""
        if target.classes is not None and target.classes != len(matching):
            issues.append(
                _warning(
                    f"targets[{t}].classes",
                    _("target{label} says {n} classes of {what} but the class list has {listed}").format(
                        label=label, n=target.classes, what=what, listed=len(matching)
                    ),
                )
            )
        if target.learners is not None and target.learners != learners:
            issues.append(
                _warning(
                    f"targets[{t}].learners",
                    _("target{label} says {n} learners of {what} but the class list has {listed}").format(
                        label=label, n=target.learners, what=what, listed=learners
                    ),
                )
            )
    return issues


# --- input bounds (checked first: values beyond them would overflow the other checks) ----------

MAX_NUMBER = 10**9  # every number of a scenario (seats, learners, norms, gaps, weights): CP-SAT sums them
MAX_CALENDAR_DAYS = 3 * 366  # a plan covers a year; a few years at most
DATE_MARGIN = dt.timedelta(days=366)  # dates of events and classes may reach this far past the calendar


def _leaves(value: object, path: tuple[int | str, ...] = ()) -> Iterable[tuple[tuple[int | str, ...], object]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, str(key)))
    elif isinstance(value, list | tuple):
        for k, item in enumerate(value):
            yield from _leaves(item, (*path, k))
    else:
        yield path, value


def _leaf_issue(value: object, lo: dt.date, hi: dt.date) -> str | None:
    if isinstance(value, str):
        bad = next((ch for ch in value if unicodedata.category(ch) == "Cc"), None)
        if bad is not None:
            return _("contains a control character (U+{code}, e.g. a line break): text must be one plain line").format(
                code=f"{ord(bad):04X}"
            )
    elif isinstance(value, bool):
        return None
    elif isinstance(value, int) and abs(value) > MAX_NUMBER:
        return _("{value} is beyond the largest number accepted ({most})").format(value=value, most=f"{MAX_NUMBER:,}")
    elif isinstance(value, float) and not math.isfinite(value):
        return _("{value} is not a number").format(value=value)
    elif isinstance(value, dt.date) and not lo <= value <= hi:
        return _("{value} is more than a year before or after the calendar").format(value=value)
    return None


def check_input_bounds(scenario: Scenario) -> list[InputIssue]:
    """Text without control characters, numbers the model can hold, dates near the calendar, a
    calendar of a few years at most, events and dated ranges that end after they start and
    holidays or closures that touch the calendar."""
    cal = scenario.calendar
    issues = []
    span = (cal.end - cal.start).days
    if span > MAX_CALENDAR_DAYS:
        message = _("the calendar covers {days} days; at most {most}").format(days=span, most=MAX_CALENDAR_DAYS)
        issues.append(_error("calendar.end", message))
    try:
        lo, hi = cal.start - DATE_MARGIN, cal.end + DATE_MARGIN
    except OverflowError:
        lo, hi = dt.date.min, dt.date.max
    for path, value in _leaves(scenario.model_dump(mode="python", exclude_defaults=True)):
        problem = _leaf_issue(value, lo, hi)
        if problem is not None:
            issues.append(_error(format_path(path), problem))
    for k, event in enumerate(cal.events):
        if event.end is not None and event.end < event.start:
            message = _("{end} is before the start {start}").format(end=event.end, start=event.start)
            issues.append(_error(f"calendar.events[{k}].end", message))
    outside = _("{first} to {last} is outside the calendar ({start} to {end})")
    ranges: list[tuple[str, DateRange]] = [(f"calendar.holidays[{k}]", r) for k, r in enumerate(cal.holidays)]
    ranges += [
        (f"rooms[{i}].unavailable[{k}]", r)
        for i, room in enumerate(scenario.rooms)
        for k, r in enumerate(room.unavailable)
    ]
    ranges += [
        (f"lecturers[{i}].unavailable[{k}]", r)
        for i, lec in enumerate(scenario.lecturers)
        for k, r in enumerate(lec.unavailable)
    ]
    for where, day_range in ranges:
        if day_range.last < cal.start or day_range.start > cal.end:
            message = outside.format(first=day_range.start, last=day_range.last, start=cal.start, end=cal.end)
            issues.append(_error(where, message))
    return issues


# --- entry points --------------------------------------------------------------------------

Check = Callable[[_Context], list[InputIssue]]

CHECKS: tuple[Check, ...] = (
    check_duplicate_ids,
    check_class_references,
    check_lecturer_references,
    check_staffing_fields,
    check_module_precedence,
    check_cohort_membership,
    check_delivery,
    check_class_windows,
    check_pinned_starts,
    check_pinned_lecturers,
    check_room_sizes,
    check_cohort_sizes,
    check_topics_taught,
    check_lecturer_availability,
    check_lecturer_topics_needed,
    check_observation,
    check_targets,
)


# The checks over whole lists (the largest room, every lecturer's topics, the observers): an entry
# left out or read with its defaults, for a type error, could make their errors up.
OVER_WHOLE_LISTS: tuple[Check, ...] = (check_room_sizes, check_cohort_sizes, check_topics_taught, check_observation)


def validate(scenario: Scenario, file: str = "", checks: Sequence[Check] = CHECKS) -> list[InputIssue]:
    """Every semantic error and warning of the scenario (of the given checks), each located by its
    path; never raises."""
    bounds = check_input_bounds(scenario)
    if bounds:  # the other checks would compute with values out of bounds
        return [replace(issue, file=file) for issue in bounds]
    ctx = _Context(scenario)
    issues: list[InputIssue] = []
    for check in checks:
        issues.extend(replace(issue, file=file) for issue in check(ctx))
    return issues


# --- despite type errors: every problem of a file in one pass ---------------------------------

Loc = tuple[int | str, ...]
_DESPITE_CHECKS = tuple(check for check in CHECKS if check not in OVER_WHOLE_LISTS)


def validate_despite(data: dict[str, Any], type_issues: list[InputIssue], file: str = "") -> list[InputIssue]:
    """The semantic errors of scenario data that also has type errors (`validate_around` with the
    places of the type errors). Paths are those of the file."""
    return validate_around(data, [parse_path(issue.path) for issue in type_issues], file)


def validate_around(data: dict[str, Any], bad: Sequence[Loc], file: str = "") -> list[InputIssue]:
    """The semantic errors of scenario data whose values at the places `bad` are unusable (type
    errors), so that one pass reports every problem. The data is validated twice:

    - without the list entries that hold a bad value (a row of a table, an item of a list), errors
      that name a left-out entry's id dropped (they would only echo it);
    - with those entries kept but their bad values taken out (an entry that cannot stand so, e.g.
      without its id, left out).

    Reported: the errors at the other fields of the entries with a bad value (a row's errors all
    at once, from the second pass), and the errors elsewhere that both passes find (neither the
    entry's absence nor its defaults made them up). The checks over whole lists (`OVER_WHOLE_LISTS`)
    wait until the type errors are fixed. Paths are those of the file. Empty when a bad value is not
    inside a list entry (nothing sensible to leave out) or when what is left is still no scenario."""
    entries = {_outer_entry(loc) for loc in bad}
    if None in entries:
        return []
    without = _validated_without(data, {e for e in entries if e is not None}, file, _DESPITE_CHECKS if bad else CHECKS)
    if without is None or not bad:
        return without or []
    kept = _validated_with_rows(data, bad, file)
    if kept is None:
        return without
    everywhere, rows = kept
    return [issue for issue in without if issue in everywhere] + [issue for issue in rows if issue not in without]


def _outer_entry(loc: Loc) -> Loc | None:
    """The outermost list entry holding `loc` ('classes[3]' for 'classes[3].groups[1]'), if any."""
    k = next((i for i, part in enumerate(loc) if isinstance(part, int)), None)
    return None if k is None else loc[: k + 1]


def _field_of(data: Any, loc: Loc) -> tuple[Loc, str | None] | None:
    """The innermost list entry (a mapping) holding `loc`, and the key of its field that holds it
    (None: the entry as a whole)."""
    node, entry = data, None
    for i, part in enumerate(loc):
        node = _child(node, part)
        if isinstance(part, int) and isinstance(node, dict):
            entry = i
        if node is None:
            break
    if entry is None:
        outer = _outer_entry(loc)
        return None if outer is None else (outer, None)
    key = loc[entry + 1] if entry + 1 < len(loc) else None
    return loc[: entry + 1], key if isinstance(key, str) else None


def _child(node: Any, part: int | str) -> Any:
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


@dataclass
class _Pruned:
    """Scenario data with some list entries left out: the kept entries of each pruned list (by its
    place in the file) and the ids of the entries left out."""

    data: dict[str, Any]
    kept_of: dict[Loc, list[int]]
    removed: set[str]

    def original(self, loc: Loc) -> Loc:
        """A place in the pruned data (classes[3].program) as a place in the file (classes[4].program)."""
        out: list[int | str] = []
        for part in loc:
            kept = self.kept_of.get(tuple(out))
            if isinstance(part, int) and kept is not None and part < len(kept):
                part = kept[part]
            out.append(part)
        return tuple(out)

    def echoes(self, message: str) -> bool:
        """The message names an entry left out (it would only echo that entry's own problem)."""
        return any(re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", message) for i in self.removed)


def _pruned(data: dict[str, Any], entries: set[Loc]) -> _Pruned | None:
    """`data` without the list `entries` (places in the file); None when one is not a list entry."""
    out = _Pruned(copy.deepcopy(data), {}, set())
    by_list: dict[Loc, set[int]] = {}
    for entry in entries:
        by_list.setdefault(entry[:-1], set()).add(int(entry[-1]))
    for list_loc in sorted(by_list, key=len, reverse=True):  # the innermost first: outer indices still hold
        node: Any = out.data
        for part in list_loc:
            node = _child(node, part)
        if not isinstance(node, list):
            return None
        left_out = by_list[list_loc]
        out.removed |= {str(e["id"]) for i, e in enumerate(node) if i in left_out and isinstance(e, dict) and "id" in e}
        out.kept_of[list_loc] = [i for i in range(len(node)) if i not in left_out]
        node[:] = [node[i] for i in out.kept_of[list_loc]]
    return out


def _validated_without(
    data: dict[str, Any], entries: set[Loc], file: str, checks: Sequence[Check]
) -> list[InputIssue] | None:
    """The errors of the data without the list `entries` (by `checks`), at places in the file, less
    the echoes of the entries left out; None when what is left is no scenario."""
    pruned = _pruned(data, entries)
    if pruned is None:
        return None
    try:
        scenario = Scenario.model_validate(pruned.data)
    except ValidationError:
        return None
    return [
        replace(issue, path=format_path(pruned.original(parse_path(issue.path))))
        for issue in validate(scenario, file, checks)
        if issue.severity == Severity.error and not pruned.echoes(issue.message)
    ]


def _validated_with_rows(
    data: dict[str, Any], bad: Sequence[Loc], file: str
) -> tuple[list[InputIssue], list[InputIssue]] | None:
    """The errors of the data with the entries that hold the `bad` values kept, their bad fields
    taken out (a bad item of a list of values is taken out alone; an entry that cannot stand so, or
    whose bad value is the entry itself, is left out): every error, and those at the other fields
    of those entries. At places in the file, less the echoes of the entries left out; None when no
    scenario is left."""
    rows: dict[Loc, set[str]] = {}  # entry -> its fields taken out
    left_out: set[Loc] = set()
    for loc in bad:
        found = _field_of(data, loc)
        if found is None:
            return None
        entry, key = found
        if key is None:
            left_out.add(entry)
            continue
        rows.setdefault(entry, set())
        if len(loc) > len(entry) + 1 and isinstance(loc[len(entry) + 1], int):  # an item of a list of values
            left_out.add(loc[: len(entry) + 2])
        else:
            rows[entry].add(key)
    work = copy.deepcopy(data)
    for entry, keys in rows.items():
        node: Any = work
        for part in entry:
            node = _child(node, part)
        for key in keys:
            node.pop(key, None)
    for _attempt in range(4):  # each attempt leaves out the entries that still fail
        pruned = _pruned(work, left_out)
        if pruned is None:
            return None
        try:
            scenario = Scenario.model_validate(pruned.data)
            break
        except ValidationError as error:
            locs = [tuple(p for p in item["loc"] if not str(p).startswith("function-")) for item in error.errors()]
            failing = {_field_of(work, pruned.original(loc)) for loc in locs}
            more = {found[0] for found in failing if found is not None} - left_out
            if None in failing or not more:
                return None
            left_out |= more
    else:
        return None
    everywhere = [
        replace(issue, path=format_path(pruned.original(parse_path(issue.path))))
        for issue in validate(scenario, file, _DESPITE_CHECKS)
        if issue.severity == Severity.error and not pruned.echoes(issue.message)
    ]
    kept_rows = {entry: keys for entry, keys in rows.items() if entry not in left_out}
    in_rows = [
        issue
        for issue in everywhere
        if any(_inside_row(parse_path(issue.path), entry, keys) for entry, keys in kept_rows.items())
    ]
    return everywhere, in_rows


def _inside_row(loc: Loc, entry: Loc, taken_out: set[str]) -> bool:
    """`loc` is a field of the entry other than those taken out."""
    return len(loc) > len(entry) and loc[: len(entry)] == entry and loc[len(entry)] not in taken_out


def ensure_valid(scenario: Scenario, file: str = "") -> list[InputIssue]:
    """Raise ScenarioError with all errors if there is any; otherwise return the warnings."""
    issues = validate(scenario, file)
    errors = [i for i in issues if i.severity == Severity.error]
    if errors:
        raise ScenarioError(errors)
    return [i for i in issues if i.severity == Severity.warning]
