"""What a re-plan changed, difference by difference, and why: the rows of `changes.csv`.

Every difference between the baseline and the re-plan is one `ClassChange`: a class moved (its
dates before and after), put in another room, a module given another lecturer, an observation
visit moved, reassigned, added or removed, a class added or cancelled. Its reason is true by
construction: a change counts only when its dates or entities overlap the old placement (and, for a
move caused by a lecturer's absence, when the new dates leave the absence); otherwise the class
"moved to make room for" the changed classes that now hold its old slots (same room, lecturer or
learner group), and when none does, nothing forced it: it improves the plan's goals. Texts are
Vietnamese by default (`lang="en"` for English; the words are in the gettext catalog) and name
classes, lecturers and rooms by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from llct_sched.i18n import NP_, keyed, translation
from llct_sched.reports.labels import Labels
from llct_sched.scenario import Scenario
from llct_sched.scenario.facts import closes
from llct_sched.timetable import ObservationVisit, ScheduledSession, Timetable

if TYPE_CHECKING:  # replan imports this module
    from llct_sched.solve.replan import Changes

# key -> (context "replan.<key>", English); the Vietnamese is in the gettext catalog
TEXT: dict[str, tuple[str, str]] = keyed(
    NP_("replan.away", "{who} away {dates}"),
    NP_("replan.closed", "{room} closed {dates}"),
    NP_("replan.blackout", "{name} {dates} ({limit})"),
    NP_("replan.no_class", "no classes"),
    NP_("replan.limit", "no more than {n} learners"),
    NP_("replan.learners", "learners changed from {a} to {b}, room {room} seats only {seats}"),
    NP_("replan.make_room", "moved to make room for {classes}"),
    NP_("replan.improve", "not forced by any change: adjusted to improve the plan's goals"),
    NP_("replan.learners_set", "learners set by the changes"),
    NP_("replan.cohort_split", "the cohort's learners split again between its classes"),
    NP_("replan.kind.learners", "learners changed"),
    NP_("replan.visit_make_room", "visits re-arranged to make room for {classes}"),
    NP_("replan.lecturer_only", "lecturer change only (dates and room unchanged): {why}"),
    NP_("replan.restaffed", "re-staffed to make room for {classes}"),
    NP_("replan.follows_move", "follows the class's new dates"),
    NP_("replan.cancelled", "cancelled by the changes"),
    NP_("replan.added", "added by the changes"),
    NP_("replan.session_changed", "the observed session changed ({what})"),
    NP_("replan.session_moved", "class moved"),
    NP_("replan.session_cancelled", "class cancelled"),
    NP_("replan.session_restaffed", "another lecturer"),
    NP_("replan.visit", "{day} {period}, class {cls}, observer {observer}"),
    NP_("replan.period.morning", "morning"),
    NP_("replan.period.afternoon", "afternoon"),
    NP_("replan.module", "module {name}"),
    NP_("replan.title", "What changed ({n})"),
    NP_("replan.reason_label", "reason"),
    NP_("replan.nothing", "nothing had to change"),
    NP_("replan.kind.moved", "moved"),
    NP_("replan.kind.room", "room changed"),
    NP_("replan.kind.lecturer", "lecturer changed"),
    NP_("replan.kind.visit_moved", "visit moved"),
    NP_("replan.kind.visit_reassigned", "visit reassigned"),
    NP_("replan.kind.visit_added", "visit added"),
    NP_("replan.kind.visit_removed", "visit removed"),
    NP_("replan.kind.added", "class added"),
    NP_("replan.kind.cancelled", "class cancelled"),
    prefix="replan.",
)


def _words(lang: str) -> dict[str, str]:
    """The change log's words in one language: key -> text."""
    catalog = translation(lang)
    return {key: catalog.pgettext(*entry) for key, entry in TEXT.items()}


CHANGE_KINDS = (
    "moved",
    "room",
    "learners",
    "lecturer",
    "visit_moved",
    "visit_reassigned",
    "visit_added",
    "visit_removed",
    "added",
    "cancelled",
)
CSV_COLUMNS = ["class_id", "change", "class", "module", "lecturer", "before", "after", "reason"]


@dataclass
class ClassChange:
    """One difference between the baseline and the re-plan, and why (texts in the log's language)."""

    class_id: str
    what: str  # one of CHANGE_KINDS
    before: str
    after: str
    reason: str
    class_name: str = ""
    module: str = ""  # the module's name (lecturer changes)
    lecturer: str = ""  # the observed lecturer's name (visits)

    def row(self) -> dict[str, str]:
        return {
            "class_id": self.class_id,
            "change": self.what,
            "class": self.class_name,
            "module": self.module,
            "lecturer": self.lecturer,
            "before": self.before,
            "after": self.after,
            "reason": self.reason,
        }


class _Log:
    """The two timetables, the names of both scenarios and the texts of one language."""

    def __init__(self, before: Scenario, after: Scenario, base: Timetable, new: Timetable, lang: str) -> None:
        self.after_scenario = after
        self.base, self.new = base, new
        self.labels, self.text = Labels(lang), _words(lang)
        self.names: dict[tuple[str, str], str] = {}  # (kind, id) -> name; kinds: class, lecturer, room
        for scenario in (before, after):
            named = [("class", c.id, c.name) for c in scenario.classes]
            named += [("lecturer", lec.id, lec.name) for lec in scenario.lecturers]
            for kind, some_id, name in named + [("room", r.id, r.name) for r in scenario.rooms]:
                self.names.setdefault((kind, some_id), name or some_id)
        self.module_names = {
            (p.id, m.id): m.name or m.id for s in (before, after) for p in s.programs for m in p.modules
        }
        self.programs = {c.id: c.program for s in (before, after) for c in s.classes}
        self.seats = {r.id: r.seats for r in after.rooms}
        self.groups = {c.id: set(c.groups) for s in (before, after) for c in s.classes}
        self.changed: set[str] = set()  # classes a change forced to change (hit, displaced or added)

    def __call__(self, key: str, **fields: object) -> str:
        return self.text[key].format(**fields)

    def name(self, some_id: str | None, kind: str = "class") -> str:
        """The name of a class (or a lecturer, a room) by its id; '-' for none."""
        return "-" if some_id is None else self.names.get((kind, some_id), some_id)

    def module(self, class_id: str, module_id: str) -> str:
        return self.module_names.get((self.programs.get(class_id, ""), module_id), module_id)

    def dates(self, first: dt.date, last: dt.date) -> str:
        return self.labels.date_range(first, last)

    def runs_text(self, runs: Iterable[tuple[dt.date, dt.date]]) -> str:
        return "; ".join(self.dates(a, b) for a, b in runs)

    def period(self, period: str) -> str:
        return self.text.get(f"period.{period}", period)


def _runs(sessions: list[ScheduledSession]) -> list[tuple[dt.date, dt.date]]:
    """Meeting days as runs (a weekend or a one-day holiday does not break a run)."""
    runs: list[list[dt.date]] = []
    for day in sorted({s.date for s in sessions}):
        if runs and (day - runs[-1][1]).days <= 3:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(a, b) for a, b in runs]


def _inside(day: dt.date, start: dt.date, end: dt.date) -> bool:
    return start <= day <= end


def _causes(log: _Log, changes: Changes, class_id: str, what: str, module_id: str | None = None) -> list[str]:
    """The changes whose dates or entities overlap the class's old placement (of one module, for a
    lecturer change). For a move, an absence counts only when the new dates leave it (otherwise
    re-staffing, not the move, answered it)."""
    old, new = log.base.sessions_of(class_id), log.new.sessions_of(class_id)
    if module_id is not None:
        old = [s for s in old if s.module_id == module_id]
    learners = log.new.class_learners.get(class_id, log.base.class_learners.get(class_id, 0))
    out = []
    for change in changes.changes:
        if (away := change.lecturer_away) is not None:
            hit = [s for s in old if s.lecturer_id == away.lecturer and _inside(s.date, away.start, away.end)]
            still = any(_inside(s.date, away.start, away.end) for s in new)
            if hit and not (what in ("moved", "room") and still):
                out.append(log("away", who=log.name(away.lecturer, "lecturer"), dates=log.dates(away.start, away.end)))
        elif (closed := change.room_closed) is not None:
            if what != "lecturer" and any(
                s.room_id == closed.room and _inside(s.date, closed.start, closed.end) for s in old
            ):
                out.append(log("closed", room=log.name(closed.room, "room"), dates=log.dates(closed.start, closed.end)))
        elif (blackout := change.blackout) is not None:
            limit = blackout.max_gathering
            if any(closes(blackout, s.date, learners) for s in old):
                rule = log("no_class") if limit is None else log("limit", n=limit)
                name = blackout.name or blackout.id
                out.append(log("blackout", name=name, dates=log.dates(blackout.start, blackout.end), limit=rule))
        elif (count := change.learners) is not None and count.class_id == class_id and old:
            room = old[0].room_id
            if what != "lecturer" and count.learners > log.seats.get(room, count.learners):
                a = log.base.class_learners.get(class_id, 0)
                out.append(
                    log("learners", a=a, b=count.learners, room=log.name(room, "room"), seats=log.seats.get(room))
                )
    return out


def _make_room(log: _Log, class_id: str, key: str = "make_room", old: list[ScheduledSession] | None = None) -> str:
    """'moved to make room for X' when X, a class a change forced to change (hit by it, added, or
    displaced by such a class), now holds a slot of this class's old sessions in the same room, with
    the same lecturer or with a learner group in common; otherwise no change forced it: it improves
    the plan's goals."""
    groups = log.groups.get(class_id, set())
    taken = set()
    for s in old if old is not None else log.base.sessions_of(class_id):
        taken |= {(s.date, s.period, "room", s.room_id), (s.date, s.period, "lecturer", s.lecturer_id)}
        taken |= {(s.date, s.period, "group", g) for g in groups}
    takers = set()
    for s in log.new.sessions:
        if s.class_id == class_id or s.class_id not in log.changed:
            continue
        mine = {(s.date, s.period, "room", s.room_id), (s.date, s.period, "lecturer", s.lecturer_id)}
        mine |= {(s.date, s.period, "group", g) for g in log.groups.get(s.class_id, set())}
        if (mine - {(s.date, s.period, "lecturer", None)}) & taken:
            takers.add(s.class_id)
    if not takers:
        return log("improve")
    return log(key, classes=", ".join(log.name(c) for c in sorted(takers)))


def _class_rows(log: _Log, changes: Changes, cid: str) -> list[ClassChange]:
    old, new = log.base.sessions_of(cid), log.new.sessions_of(cid)
    rows: list[ClassChange] = []
    name = log.name(cid)
    moved = [(s.date, s.period) for s in old] != [(s.date, s.period) for s in new]
    if moved:
        runs_old, runs_new = _runs(old), _runs(new)
        gone = [r for r in runs_old if r not in runs_new] or runs_old
        came = [r for r in runs_new if r not in runs_old] or runs_new
        why = "; ".join(_causes(log, changes, cid, "moved")) or _make_room(log, cid)
        rows.append(ClassChange(cid, "moved", log.runs_text(gone), log.runs_text(came), why, name))
    if [s.room_id for s in old] != [s.room_id for s in new]:
        why = "; ".join(_causes(log, changes, cid, "room"))
        why = why or (log("follows_move") if moved else _make_room(log, cid))
        before = ", ".join(sorted({log.name(s.room_id, "room") for s in old}))
        after = ", ".join(sorted({log.name(s.room_id, "room") for s in new}))
        rows.append(ClassChange(cid, "room", before, after, why, name))
    only_staff = not rows
    rows += _learner_rows(log, changes, cid)
    by_module_old: dict[str, list[str | None]] = {}
    by_module_new: dict[str, list[str | None]] = {}
    for s in old:
        by_module_old.setdefault(s.module_id, []).append(s.lecturer_id)
    for s in new:
        by_module_new.setdefault(s.module_id, []).append(s.lecturer_id)
    for module_id, lecturers in by_module_old.items():
        now = by_module_new.get(module_id, [])
        if lecturers == now:
            continue
        causes = "; ".join(_causes(log, changes, cid, "lecturer", module_id))
        if moved:
            why = causes or log("follows_move")
        elif only_staff:
            why = log("lecturer_only", why=causes or _make_room(log, cid, "restaffed"))
        else:  # another room, same dates
            why = causes or _make_room(log, cid, "restaffed")
        before = ", ".join(dict.fromkeys(log.name(x, "lecturer") for x in lecturers))
        after = ", ".join(dict.fromkeys(log.name(x, "lecturer") for x in now))
        module = log.module(cid, module_id)
        rows.append(ClassChange(cid, "lecturer", before, after, why, name, module=module))
    return rows


def _learner_rows(log: _Log, changes: Changes, cid: str) -> list[ClassChange]:
    """A class whose learners differ: set by a `learners` change, or a cohort split again."""
    before, after = log.base.class_learners.get(cid), log.new.class_learners.get(cid)
    if before is None or after is None or before == after:
        return []
    direct = any(c.learners is not None and c.learners.class_id == cid for c in changes.changes)
    why = log("learners_set") if direct else log("cohort_split")
    return [ClassChange(cid, "learners", str(before), str(after), why, log.name(cid))]


def _visit_text(log: _Log, visit: ObservationVisit) -> str:
    return log(
        "visit",
        day=log.labels.date(visit.date),
        period=log.period(visit.period),
        cls=log.name(visit.class_id),
        observer=log.name(visit.observer_id, "lecturer"),
    )


def _visit_reason(log: _Log, changes: Changes, old: ObservationVisit | None) -> str:
    """Why a visit changed: its session changed, its observer is away then or now busy there with a
    class that changed, or (nothing forced it) to improve the plan's goals."""
    if old is None:
        return log("improve")
    now = [
        s
        for s in log.new.sessions
        if (s.class_id, s.date, s.period) == (old.class_id, old.date, old.period) and s.lecturer_id == old.lecturer_id
    ]
    if not now:
        if not log.new.sessions_of(old.class_id):
            what = log("session_cancelled")
        elif any(s.class_id == old.class_id and s.date == old.date for s in log.new.sessions):
            what = log("session_restaffed")
        else:
            what = log("session_moved")
        return log("session_changed", what=f"{log.name(old.class_id)}: {what}")
    for change in changes.changes:
        away = change.lecturer_away
        if away is not None and away.lecturer == old.observer_id and _inside(old.date, away.start, away.end):
            return log("away", who=log.name(away.lecturer, "lecturer"), dates=log.dates(away.start, away.end))
    seat = ScheduledSession(
        class_id=old.class_id, module_id="", date=old.date, period=old.period, room_id="", lecturer_id=old.observer_id
    )
    return _make_room(log, "", "visit_make_room", [seat])


def _visit_rows(log: _Log, changes: Changes) -> list[ClassChange]:
    """Per observed lecturer: visits moved (same observer), reassigned (another), added or removed."""

    def by_lecturer(tt: Timetable) -> dict[str, list[ObservationVisit]]:
        out: dict[str, list[ObservationVisit]] = {}
        for o in sorted(tt.observations, key=lambda o: (o.date, tt.period_rank(o.period), o.observer_id)):
            out.setdefault(o.lecturer_id, []).append(o)
        return out

    old_all, new_all = by_lecturer(log.base), by_lecturer(log.new)
    rows = []
    for lecturer in sorted(set(old_all) | set(new_all)):
        olds = [o for o in old_all.get(lecturer, []) if o not in new_all.get(lecturer, [])]
        news = [o for o in new_all.get(lecturer, []) if o not in old_all.get(lecturer, [])]
        for k in range(max(len(olds), len(news))):
            a = olds[k] if k < len(olds) else None
            b = news[k] if k < len(news) else None
            if a is not None and b is not None:
                kind = "visit_moved" if a.observer_id == b.observer_id else "visit_reassigned"
            else:
                kind = "visit_added" if a is None else "visit_removed"
            cid = (b or a).class_id  # type: ignore[union-attr]
            before = _visit_text(log, a) if a is not None else ""
            after = _visit_text(log, b) if b is not None else ""
            why = _visit_reason(log, changes, a)
            rows.append(
                ClassChange(cid, kind, before, after, why, log.name(cid), lecturer=log.name(lecturer, "lecturer"))
            )
    return rows


def change_log(
    changes: Changes, baseline: Timetable, replanned: Timetable, before: Scenario, after: Scenario, lang: str = "vi"
) -> list[ClassChange]:
    """Every difference between the baseline and the re-plan with its reason (see the module doc).
    `before` and `after` are the scenario before and after the changes (they give the names)."""
    log = _Log(before, after, baseline, replanned, lang)
    before_ids = {s.class_id for s in baseline.sessions}
    after_ids = {s.class_id for s in replanned.sessions}
    out: list[ClassChange] = []
    for cid in sorted(before_ids - after_ids):
        out.append(ClassChange(cid, "cancelled", log.runs_text(_runs(baseline.sessions_of(cid))), "", log("cancelled"),
                               log.name(cid)))  # fmt: skip
    added = sorted(after_ids - before_ids)
    for cid in added:
        after_text = log.runs_text(_runs(replanned.sessions_of(cid)))
        out.append(ClassChange(cid, "added", "", after_text, log("added"), log.name(cid)))
    common = sorted(before_ids & after_ids)
    changed = {cid for cid in common if _placement(baseline, cid) != _placement(replanned, cid)}
    changed |= {cid for cid in common if baseline.class_learners.get(cid) != replanned.class_learners.get(cid)}
    log.changed = {cid for cid in changed if _causes(log, changes, cid, "any")} | set(added)
    while True:  # a class displaced by a forced one is forced too; the rest (swaps, ...) nothing forced
        displaced = {cid for cid in changed - log.changed if _make_room(log, cid) != log("improve")}
        if not displaced:
            break
        log.changed |= displaced
    for cid in common:
        out += _class_rows(log, changes, cid)
    return out + _visit_rows(log, changes)


def summary_lines(log: list[ClassChange], lang: str = "vi") -> list[str]:
    """The change log for a terminal: a title, then per difference one line with the class, what
    changed and before -> after in full, and one with the reason (nothing is cut)."""
    text = _words(lang)
    if not log:
        return [text["nothing"]]
    lines = [text["title"].format(n=len(log))]
    for n, change in enumerate(log, 1):
        detail = f" ({change.module or change.lecturer})" if change.module or change.lecturer else ""
        what = text.get(f"kind.{change.what}", change.what)
        lines.append(f"{n}. {change.class_name} — {what}{detail}: {change.before or '—'} → {change.after or '—'}")
        lines.append(f"   {text['reason_label']}: {change.reason}")
    return lines


def _placement(tt: Timetable, class_id: str) -> list[tuple[dt.date, str, str, str | None]]:
    return [(s.date, s.period, s.room_id, s.lecturer_id) for s in tt.sessions_of(class_id)]


__all__ = ["CHANGE_KINDS", "CSV_COLUMNS", "TEXT", "ClassChange", "change_log", "summary_lines"]
