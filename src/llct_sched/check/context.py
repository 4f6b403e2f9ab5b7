"""The checker's context: the rule families, `Violation` and `CheckReport`, the words of the
messages, and `CheckContext` (the indexes over one scenario and one timetable that every rule and
goal reads). It recomputes every calendar fact itself: it shares no code with `llct_sched.model`.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from llct_sched import i18n
from llct_sched.goals import BY_NAME
from llct_sched.i18n import NP_
from llct_sched.scenario import (
    Lecturer,
    Module,
    Program,
    Scenario,
    Weekday,
)
from llct_sched.timetable import ScheduledSession, Timetable

RULES = (
    "reference",
    "calendar",
    "window",
    "delivery",
    "modules",
    "rooms",
    "groups",
    "cohorts",
    "lecturers",
    "observations",
)
SlotKey = tuple[dt.date, int]
_WEEKDAYS = list(Weekday)

# the words of the messages that name a rule family, a weekday or a usual period (English: the ids)
_WORDS = i18n.keyed(
    NP_("check.rule.reference", "reference"),
    NP_("check.rule.calendar", "calendar"),
    NP_("check.rule.window", "window"),
    NP_("check.rule.delivery", "delivery"),
    NP_("check.rule.modules", "modules"),
    NP_("check.rule.rooms", "rooms"),
    NP_("check.rule.groups", "groups"),
    NP_("check.rule.cohorts", "cohorts"),
    NP_("check.rule.lecturers", "lecturers"),
    NP_("check.rule.observations", "observations"),
    NP_("check.rule.frozen_past", "frozen_past"),
    NP_("check.weekday.mon", "mon"),
    NP_("check.weekday.tue", "tue"),
    NP_("check.weekday.wed", "wed"),
    NP_("check.weekday.thu", "thu"),
    NP_("check.weekday.fri", "fri"),
    NP_("check.weekday.sat", "sat"),
    NP_("check.weekday.sun", "sun"),
    NP_("check.period.morning", "morning"),
    NP_("check.period.afternoon", "afternoon"),
    prefix="check.",
)


def _word(key: str, default: str) -> str:
    entry = _WORDS.get(key)
    return i18n.pgettext(*entry) if entry else default


def rule_name(rule: str) -> str:
    """A rule family's name in the current language (its id in English)."""
    return _word(f"rule.{rule}", rule)


def _weekday(day: dt.date) -> str:
    return _word(f"weekday.{_WEEKDAYS[day.weekday()].value}", _WEEKDAYS[day.weekday()].value)


def _period(period: str) -> str:
    return _word(f"period.{period}", period)


@dataclass(frozen=True)
class Violation:
    """One broken rule: its family (`rule`), a message (in the language current when it was found)
    and the entities involved."""

    rule: str
    message: str
    class_id: str | None = None
    lecturer_id: str | None = None
    room_id: str | None = None
    date: dt.date | None = None
    period: str | None = None

    def __str__(self) -> str:
        return f"[{rule_name(self.rule)}] {self.message}"


@dataclass
class CheckReport:
    """Violations found and the objective: `breakdown` (goal -> weighted), `details` (goal -> entity -> raw)."""

    violations: list[Violation]
    objective: int
    breakdown: dict[str, int]
    details: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the timetable keeps every rule."""
        return not self.violations

    def by_rule(self, rule: str) -> list[Violation]:
        """The violations of one rule family."""
        return [v for v in self.violations if v.rule == rule]

    def summary(self, limit: int = 10) -> str:
        """A short human-readable text: verdict, objective by goal, the first violations (in the
        current language, `llct_sched.i18n`; the violations' messages as they were found)."""
        verdict = i18n._("OK") if self.ok else i18n._("{n} violation(s)").format(n=len(self.violations))
        lines = [i18n._("{verdict}; objective {objective}").format(verdict=verdict, objective=self.objective)]
        parts = [
            f"{BY_NAME[goal].text() if goal in BY_NAME else goal} {value}"
            for goal, value in self.breakdown.items()
            if value
        ]
        if parts:
            lines.append("  " + ", ".join(parts))
        if self.violations:
            counts = Counter(v.rule for v in self.violations)
            lines.append("  " + i18n._("by rule:") + " " + ", ".join(f"{rule_name(r)} {n}" for r, n in counts.items()))
            lines.extend(f"  - {v}" for v in self.violations[:limit])
            if len(self.violations) > limit:
                lines.append("  " + i18n._("... and {n} more").format(n=len(self.violations) - limit))
        return "\n".join(lines)


def _slot_text(day: dt.date, period: str) -> str:
    return i18n._("{day} {period}").format(day=day.isoformat(), period=_period(period))


def _session_text(s: ScheduledSession) -> str:
    """Where a session is: its class and slot."""
    return i18n._("class {cls} on {slot}").format(cls=s.class_id, slot=_slot_text(s.date, s.period))


def _ids(items: Iterable[str]) -> str:
    return ", ".join(sorted(set(items)))


def _at(
    rule: str, message: str, s: ScheduledSession, lecturer_id: str | None = None, room_id: str | None = None
) -> Violation:
    """A violation located at one session."""
    return Violation(rule, message, s.class_id, lecturer_id=lecturer_id, room_id=room_id, date=s.date, period=s.period)


class CheckContext:
    """Indexes over one scenario and one timetable, computed once and shared by the rule checks.

    `block_sessions[class]` holds each block's sessions in slot order; `blocks[class]` each block's
    meeting days (sorted, distinct).
    """

    def __init__(self, scenario: Scenario, timetable: Timetable) -> None:
        self.scenario = scenario
        self.timetable = timetable
        cal = scenario.calendar
        self.periods = list(cal.periods)
        self.period_index = {p: i for i, p in enumerate(self.periods)}
        self.classes = {c.id: c for c in scenario.classes}
        self.programs = {p.id: p for p in scenario.programs}
        self.rooms = {r.id: r for r in scenario.rooms}
        self.lecturers = {lec.id: lec for lec in scenario.lecturers}
        self.events = {e.id: e for e in cal.events}
        weekdays = {w.number for w in cal.working_weekdays}
        days = []
        day = cal.start
        while day <= cal.end:
            if day.weekday() in weekdays and not any(h.contains(day) for h in cal.holidays):
                days.append(day)
            day += dt.timedelta(days=1)
        self.working_days = days
        self.working_set = set(days)
        self.cohort_of: dict[str, str] = {}
        for cohort in scenario.cohorts:
            for cid in cohort.classes:
                self.cohort_of.setdefault(cid, cohort.id)
        self.sessions: dict[str, list[ScheduledSession]] = defaultdict(list)
        for s in timetable.sessions:
            if s.class_id in self.classes:
                self.sessions[s.class_id].append(s)
        for rows in self.sessions.values():
            rows.sort(key=lambda s: self.slot_key(s.date, s.period))
        self.known_sessions = [s for rows in self.sessions.values() for s in rows]
        self.block_sessions = {cid: self._derive_blocks(cid) for cid in self.classes}
        self.blocks = {cid: [sorted({s.date for s in b}) for b in bs] for cid, bs in self.block_sessions.items()}

    def slot_key(self, day: dt.date, period: str) -> SlotKey:
        """Slots sort by date, then by the calendar's period order (an unknown period last)."""
        return (day, self.period_index.get(period, len(self.periods)))

    def period_name(self, index: int) -> str:
        return self.periods[index] if 0 <= index < len(self.periods) else "?"

    def adjacent(self, key: SlotKey) -> list[SlotKey]:
        """The slots next to a slot: same date, neighbouring period (none for an unknown period)."""
        day, i = key
        return [(day, j) for j in (i - 1, i + 1) if 0 <= j < len(self.periods) and i < len(self.periods)]

    def program_of(self, class_id: str) -> Program | None:
        klass = self.classes.get(class_id)
        return self.programs.get(klass.program) if klass else None

    def module_of(self, session: ScheduledSession) -> Module | None:
        program = self.program_of(session.class_id)
        if program is None:
            return None
        return next((m for m in program.modules if m.id == session.module_id), None)

    def learners(self, class_id: str) -> int | None:
        """The class's learners: the timetable's figure, else the scenario's."""
        if class_id in self.timetable.class_learners:
            return self.timetable.class_learners[class_id]
        klass = self.classes.get(class_id)
        return klass.learners if klass else None

    def block_days(self, program: Program) -> int | None:
        """n = S / (k d), or None when not a positive whole number."""
        d = program.delivery
        per = d.blocks * d.sessions_per_day
        total = program.total_sessions
        return total // per if total % per == 0 and total >= per else None

    def working_between(self, a: dt.date, b: dt.date) -> int:
        """Working days strictly between a and b (a < b)."""
        return bisect.bisect_left(self.working_days, b) - bisect.bisect_right(self.working_days, a)

    def same_block(self, a: dt.date, b: dt.date) -> bool:
        """Two meeting days a < b may follow each other inside one block."""
        return (b - a).days <= self.scenario.calendar.max_block_gap_days and self.working_between(a, b) == 0

    def _derive_blocks(self, class_id: str) -> list[list[ScheduledSession]]:
        """The class's blocks, each as its sessions in slot order.

        Blocks follow one another, so each is a run of the class's sessions in slot order. With
        `same_day_blocks` (blocks may share a day) the sessions are cut into runs of n x d; otherwise
        meeting days are grouped into runs of consecutive working days (within the gap), each cut
        into n-day blocks.
        """
        rows = self.sessions.get(class_id, [])
        program = self.program_of(class_id)
        n = self.block_days(program) if program else None
        if program is not None and n and program.delivery.same_day_blocks:
            size = n * program.delivery.sessions_per_day
            return [rows[i : i + size] for i in range(0, len(rows), size)]
        runs: list[list[dt.date]] = []
        for day in sorted({s.date for s in rows}):
            if runs and self.same_block(runs[-1][-1], day):
                runs[-1].append(day)
            else:
                runs.append([day])
        day_blocks = [run[i : i + n] for run in runs for i in range(0, len(run), n)] if n else runs
        block_of = {day: b for b, days in enumerate(day_blocks) for day in days}
        out: list[list[ScheduledSession]] = [[] for _ in day_blocks]
        for s in rows:
            out[block_of[s.date]].append(s)
        return out

    def closed_by_blackout(self, class_id: str, day: dt.date) -> str | None:
        learners = self.learners(class_id)
        for b in self.scenario.calendar.blackouts:
            if b.start <= day <= b.end and (b.max_gathering is None or learners is None or learners > b.max_gathering):
                return b.id
        return None

    def lecturer_away(self, lecturer: Lecturer, day: dt.date, period: str) -> str | None:
        """Why the lecturer cannot be present in this slot, or None when free (`available` names periods)."""
        if lecturer.available is not None:
            weekday = _WEEKDAYS[day.weekday()]
            if period not in lecturer.available.get(weekday, []):
                return i18n._("not available on {weekday} {period}").format(
                    weekday=_weekday(day), period=_period(period)
                )
        for r in lecturer.unavailable:
            if r.contains(day) and r.periods is not None and period in r.periods:  # some sessions of the dates
                return i18n._("away in that session ({reason})").format(reason=r.reason or "-")
            if r.contains(day) and r.periods is None:
                if r.reason:
                    return i18n._("unavailable that day ({reason})").format(reason=r.reason)
                return i18n._("unavailable that day")
        for eid in lecturer.unavailable_events:
            event = self.events.get(eid)
            if event is not None and event.start <= day <= event.last:
                return i18n._("away for event {event}").format(event=eid)
        return None
