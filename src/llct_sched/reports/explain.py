"""Score analysis: the objective of a timetable broken down by soft goal and by entity, in planners' terms.

Everything is computed from the independent checker (`llct_sched.check.check`): a goal's cost is the
checker's `breakdown[goal]` and its entities are the checker's `details[goal]`, so the explanation's
total is the checker's objective. Each entity line says what it is (a class, a month, a lecturer, a
module of a class), the facts behind its penalty (block starts, dates, rooms, lecturers, sessions
taught) and its share of the goal's penalty. For the two goals whose penalty is a maximum
(`month_spread`, `lecturer_balance`) the whole penalty is carried by the entity at the maximum
(the first one when several tie); the others are listed with penalty 0 for context.

`compare_timetables` gives the goal-by-goal difference between two timetables of one scenario.
Texts are in English or Vietnamese (`lang="vi"`, dates dd/mm/yyyy; the words in the gettext catalog).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from llct_sched.check import GOALS, CheckContext, CheckReport, Violation, check
from llct_sched.i18n import NP_, keyed, translation
from llct_sched.reports.labels import labels
from llct_sched.scenario import LecturerKind, RoomKind, Scenario
from llct_sched.timetable import Timetable

__all__ = [
    "EntityDelta",
    "EntityLine",
    "Explanation",
    "GoalDelta",
    "GoalExplanation",
    "compare_timetables",
    "comparison_table",
    "explain",
    "explanation_tables",
]

LANGS = ("vi", "en")
_KNOWN_GOALS = frozenset(GOALS)

# key -> (context "explain.<key>", English); the Vietnamese is in the gettext catalog
_TEXT: dict[str, tuple[str, str]] = keyed(
    NP_("explain.penalty", ", penalty {p} x {w}"),
    NP_("explain.no_penalty", " (no penalty of its own)"),
    NP_("explain.class", "class {id}"),
    NP_("explain.month", "month {id}"),
    NP_("explain.lecturer", "lecturer {id}"),
    NP_("explain.class_module", "class {c} module {m}"),
    NP_("explain.topic", "topic {id}"),
    NP_("explain.preferred_months", "{who}: {n} block(s) start outside its preferred months ({months}): {starts}"),
    NP_("explain.month_spread_top", "{who}: {n} block(s) start (the busiest month{ties})"),
    NP_("explain.month_spread_tie", ", tied with {months}"),
    NP_("explain.month_spread", "{who}: {n} block(s) start"),
    NP_("explain.observation_spread_top", "{who}: {n} observation visit(s) (the busiest month{ties})"),
    NP_("explain.observation_spread", "{who}: {n} observation visit(s)"),
    NP_("explain.other", "{who}: {n}"),
    NP_("explain.other_rest", "the goal as a whole"),
    NP_("explain.other_months", "{n} other months"),
    NP_("explain.avoid_event_days", "{who}: {n} session(s) on days to avoid: {days}"),
    NP_("explain.avoid_day", "{date} ({event}) {k}"),
    NP_("explain.borrowed_room", "{who}: {n} session(s) in the borrowed hall {rooms}"),
    NP_("explain.group", "group {id}"),
    NP_("explain.room_capacity", "{who}: {n} learner-session(s) above the seats ({learners} learners; {rooms})"),
    NP_("explain.min_days", "{who}: meets on {met} day(s), {n} fewer than its {wanted}"),
    NP_("explain.isolated_sessions", "{who}: {n} session(s) with no session of the group next to them"),
    NP_("explain.room_stability", "{who}: {n} rooms used ({rooms})"),
    NP_("explain.module_lecturer_stability", "{who}: {n} lecturers ({lecturers})"),
    NP_(
        "explain.lecturer_balance_top",
        "{who}: {n} sessions, the most among full-time lecturers (mean {mean}; fewest {low}, {lowest})",
    ),
    NP_("explain.lecturer_balance", "{who}: {n} sessions, {excess} above the fewest ({low})"),
    NP_("explain.lecturer_balance_low", "{who}: {n} sessions, the fewest among full-time lecturers"),
    NP_("explain.teaching_norm", "{who}: {n} sessions against a norm of {norm}, short by {short}"),
    NP_("explain.over_norm", "{who}: {n} sessions, {over} above the norm band's upper edge {high} (overtime)"),
    NP_("explain.part_time_minimum", "{who}: {n} sessions against their own minimum of {low}, short by {short}"),
    NP_(
        "explain.part_time_share",
        "part-time lecturers: {n} of {total} sessions ({share}) against a target of {target}, short by {short}",
    ),
    NP_("explain.part_time_share_one", "{who}: {n} sessions"),
    NP_("explain.specialist", "topic {topic}: {n} session(s) taught by others ({by}); preferred: {preferred}"),
    NP_("explain.goal_line", "{label}: weight {w} x penalty {p} = {cost} ({share} of the objective)"),
    NP_("explain.header", "Scenario {scenario}: objective {objective}"),
    NP_("explain.violations", "warning: the timetable breaks {n} hard rule(s); the objective is still computed"),
    NP_("explain.more", "... and {n} more"),
    NP_("explain.col.goal", "Goal"),
    NP_("explain.col.weight", "Weight"),
    NP_("explain.col.penalty", "Penalty"),
    NP_("explain.col.cost", "Cost"),
    NP_("explain.col.share", "Share"),
    NP_("explain.col.entity", "Entity"),
    NP_("explain.col.why", "Why"),
    NP_("explain.col.a", "A"),
    NP_("explain.col.b", "B"),
    NP_("explain.col.delta", "B - A"),
    NP_("explain.col.changed", "Entities changed (A -> B)"),
    NP_("explain.title.explain", "Objective {objective} by goal"),
    NP_("explain.title.top", "{label}: top {n} of {total}"),
    NP_("explain.title.compare", "Goal by goal: A (objective {a}) vs B (objective {b})"),
    NP_("explain.total", "Total"),
    prefix="explain.",
)


def _goal_label(goal: str, lang: str) -> str:
    """The goal's name in the reports' labels, else its id."""
    return labels(lang).enum("goal", goal)


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language '{lang}' (have: {', '.join(LANGS)})")
    return lang


def _t(lang: str, key: str, **fields: object) -> str:
    return translation(lang).pgettext(*_TEXT[key]).format(**fields)


def _number(value: float, lang: str) -> str:
    """1 decimal at most; a decimal comma in Vietnamese."""
    text = f"{value:.1f}".removesuffix(".0")
    return text.replace(".", ",") if lang == "vi" else text


def _share(value: float, lang: str) -> str:
    return _number(100 * value, lang) + "%"


def _month_key(key: str, lang: str) -> str:
    """'2020-11' -> '11/2020' in Vietnamese."""
    year, _, month = key.partition("-")
    return f"{month}/{year}" if lang == "vi" and month else key


@dataclass(frozen=True)
class EntityLine:
    """One entity's part in a goal: `penalty` (unweighted) adds up to the goal's penalty, `cost` = weight x penalty.

    `kind` is class, month, lecturer or class_module (entity 'class/module'); `value` is the checker's
    per-entity figure (`CheckReport.details`), 0 for context lines the checker does not list.
    """

    goal: str
    kind: str
    entity: str
    penalty: int
    cost: int
    value: int
    text: str


@dataclass(frozen=True)
class GoalExplanation:
    """One soft goal: its weight, penalty, weighted cost, share of the objective and entity lines (largest first)."""

    goal: str
    label: str
    weight: int
    penalty: int
    cost: int
    share: float
    summary: str
    entities: list[EntityLine] = field(default_factory=list)

    def top(self, n: int = 5) -> list[EntityLine]:
        """The n entities that weigh most in this goal."""
        return self.entities[:n]


@dataclass(frozen=True)
class Explanation:
    """The objective of one timetable, goal by goal and entity by entity."""

    scenario: str
    lang: str
    objective: int
    goals: list[GoalExplanation]
    violations: list[Violation] = field(default_factory=list)

    @property
    def total(self) -> int:
        """The sum of the goals' weighted costs (equals `objective`)."""
        return sum(g.cost for g in self.goals)

    def goal(self, name: str) -> GoalExplanation:
        return next(g for g in self.goals if g.goal == name)

    def lines(self, top: int = 5) -> list[str]:
        """Plain-text lines: the header, then each goal with a penalty and its top entities."""
        out = [_t(self.lang, "header", scenario=self.scenario, objective=self.objective)]
        if self.violations:
            out.append(_t(self.lang, "violations", n=len(self.violations)))
        for goal in self.goals:
            out.append("  " + goal.summary)
            out.extend("    - " + e.text for e in goal.top(top))
            if len(goal.entities) > top:
                out.append("    " + _t(self.lang, "more", n=len(goal.entities) - top))
        return out

    def text(self, top: int = 5) -> str:
        return "\n".join(self.lines(top))


class _Explainer:
    """Entity lines of each goal, from the checker's report and its context (block starts, sessions)."""

    def __init__(self, scenario: Scenario, timetable: Timetable, report: CheckReport, lang: str) -> None:
        self.scenario = scenario
        self.report = report
        self.lang = lang
        self.labels = labels(lang)
        self.ctx = CheckContext(scenario, timetable)

    def who(self, kind: str, entity: str) -> str:
        if kind == "class_module":
            klass, _, module = entity.partition("/")
            return _t(self.lang, "class_module", c=klass, m=module)
        if kind == "month":
            return _t(self.lang, "month", id=_month_key(entity, self.lang))
        return _t(self.lang, kind, id=entity)

    def line(self, goal: str, kind: str, entity: str, penalty: int, value: int, body: str) -> EntityLine:
        weight = getattr(self.scenario.weights, goal, 0)
        suffix = _t(self.lang, "penalty", p=penalty, w=weight) if penalty else _t(self.lang, "no_penalty")
        return EntityLine(goal, kind, entity, penalty, weight * penalty, value, body + suffix)

    def date(self, day: dt.date) -> str:
        return self.labels.date(day)

    # --- one method per goal, named after it: its entity lines ----------------------------------------------

    def preferred_months(self, details: dict[str, int]) -> list[EntityLine]:
        out = []
        for cid, n in details.items():
            klass = self.ctx.classes[cid]
            starts = [b[0] for b in self.ctx.blocks.get(cid, []) if b[0].month not in klass.preferred_months]
            body = _t(
                self.lang,
                "preferred_months",
                who=self.who("class", cid),
                n=n,
                months=", ".join(str(m) for m in klass.preferred_months),
                starts=", ".join(self.date(d) for d in starts),
            )
            out.append(self.line("preferred_months", "class", cid, n, n, body))
        return out

    def _busiest_month(self, goal: str, details: dict[str, int], what: str) -> list[EntityLine]:
        """A goal whose penalty is the largest count of one month: the (first) busiest month carries it."""
        if not details:
            return []
        high = max(details.values())
        busiest = sorted(m for m, n in details.items() if n == high)
        out = []
        for month, n in sorted(details.items()):
            who = self.who("month", month)
            if month == busiest[0]:
                ties = [_month_key(m, self.lang) for m in busiest[1:]]
                tied = ", ".join(ties) if len(ties) <= 3 else _t(self.lang, "other_months", n=len(ties))
                tie_text = _t(self.lang, "month_spread_tie", months=tied) if ties else ""
                body = _t(self.lang, f"{what}_top", who=who, n=n, ties=tie_text)
                out.append(self.line(goal, "month", month, n, n, body))
            else:
                out.append(self.line(goal, "month", month, 0, n, _t(self.lang, what, who=who, n=n)))
        return out

    def month_spread(self, details: dict[str, int]) -> list[EntityLine]:
        return self._busiest_month("month_spread", details, "month_spread")

    def observation_spread(self, details: dict[str, int]) -> list[EntityLine]:
        return self._busiest_month("observation_spread", details, "observation_spread")

    def other_goal(self, goal: str, details: dict[str, int]) -> list[EntityLine]:
        """A goal this module does not know yet: the checker's figures, attributed as sum or maximum."""
        weight = getattr(self.scenario.weights, goal, 0)
        cost = self.report.breakdown.get(goal, 0)
        penalty = cost // weight if weight else sum(details.values())
        as_sum = sum(details.values()) == penalty
        high = max(details.values(), default=0)
        top = next((k for k, n in sorted(details.items()) if n == high), None) if high == penalty else None
        out = []
        for key, n in sorted(details.items()):
            own = n if as_sum else (n if key == top else 0)
            out.append(self.line(goal, "other", key, own, n, _t(self.lang, "other", who=key, n=n)))
        attributed = sum(e.penalty for e in out)
        if attributed != penalty:
            out.append(self.line(goal, "other", "*", penalty - attributed, 0, _t(self.lang, "other_rest")))
        return out

    def avoid_event_days(self, details: dict[str, int]) -> list[EntityLine]:
        events = [e for e in self.scenario.calendar.events if e.avoid_classes]
        out = []
        for cid, n in details.items():
            per_day: Counter[dt.date] = Counter()
            for s in self.ctx.sessions.get(cid, []):
                if any(e.start <= s.date <= e.last for e in events):
                    per_day[s.date] += 1
            days = []
            for day, k in sorted(per_day.items()):
                names = [e.name or e.id for e in events if e.start <= day <= e.last]
                days.append(_t(self.lang, "avoid_day", date=self.date(day), event="; ".join(names), k=k))
            body = _t(self.lang, "avoid_event_days", who=self.who("class", cid), n=n, days=", ".join(days))
            out.append(self.line("avoid_event_days", "class", cid, n, n, body))
        return out

    def borrowed_room(self, details: dict[str, int]) -> list[EntityLine]:
        borrowed = {r.id for r in self.scenario.rooms if r.kind == RoomKind.borrowed}
        out = []
        for cid, n in details.items():
            rooms = Counter(s.room_id for s in self.ctx.sessions.get(cid, []) if s.room_id in borrowed)
            text = ", ".join(rid if len(rooms) == 1 else f"{rid} ({k})" for rid, k in sorted(rooms.items()))
            body = _t(self.lang, "borrowed_room", who=self.who("class", cid), n=n, rooms=text)
            out.append(self.line("borrowed_room", "class", cid, n, n, body))
        return out

    def room_capacity(self, details: dict[str, int]) -> list[EntityLine]:
        out = []
        for cid, n in details.items():
            rooms = Counter(s.room_id for s in self.ctx.sessions.get(cid, []))
            seats = {r.id: r.seats for r in self.scenario.rooms}
            text = ", ".join(f"{rid} {seats.get(rid, '?')} ({k})" for rid, k in sorted(rooms.items()))
            who = self.who("class", cid)
            body = _t(self.lang, "room_capacity", who=who, n=n, learners=self.ctx.learners(cid), rooms=text)
            out.append(self.line("room_capacity", "class", cid, n, n, body))
        return out

    def min_days(self, details: dict[str, int]) -> list[EntityLine]:
        out = []
        for cid, n in details.items():
            program = self.ctx.program_of(cid)
            wanted = program.delivery.min_days if program is not None else n
            met = len({s.date for s in self.ctx.sessions.get(cid, [])})
            body = _t(self.lang, "min_days", who=self.who("class", cid), met=met, n=n, wanted=wanted)
            out.append(self.line("min_days", "class", cid, n, n, body))
        return out

    def isolated_sessions(self, details: dict[str, int]) -> list[EntityLine]:
        return [
            self.line(
                "isolated_sessions",
                "group",
                gid,
                n,
                n,
                _t(self.lang, "isolated_sessions", who=self.who("group", gid), n=n),
            )
            for gid, n in details.items()
        ]

    def room_stability(self, details: dict[str, int]) -> list[EntityLine]:
        out = []
        for cid, n in details.items():
            rooms = Counter(s.room_id for s in self.ctx.sessions.get(cid, []))
            text = ", ".join(f"{rid} {k}" for rid, k in sorted(rooms.items(), key=lambda kv: (-kv[1], kv[0])))
            body = _t(self.lang, "room_stability", who=self.who("class", cid), n=len(rooms), rooms=text)
            out.append(self.line("room_stability", "class", cid, n, n, body))
        return out

    def module_lecturer_stability(self, details: dict[str, int]) -> list[EntityLine]:
        out = []
        for key, n in details.items():
            cid, _, module = key.partition("/")
            taught = Counter(
                s.lecturer_id
                for s in self.ctx.sessions.get(cid, [])
                if s.module_id == module and s.lecturer_id is not None
            )
            text = ", ".join(f"{lid} {k}" for lid, k in sorted(taught.items(), key=lambda kv: (-kv[1], kv[0])))
            body = _t(
                self.lang, "module_lecturer_stability", who=self.who("class_module", key), n=len(taught), lecturers=text
            )
            out.append(self.line("module_lecturer_stability", "class_module", key, n, n, body))
        return out

    def _taught(self) -> Counter[str]:
        return Counter(s.lecturer_id for s in self.ctx.known_sessions if s.lecturer_id is not None)

    def lecturer_balance(self, details: dict[str, int]) -> list[EntityLine]:
        if not details:
            return []
        taught = self._taught()
        full = {lec.id: taught[lec.id] for lec in self.scenario.lecturers if lec.kind == LecturerKind.full_time}
        low = min(full.values())
        lowest = sorted(lid for lid, n in full.items() if n == low)
        mean = _number(sum(full.values()) / len(full), self.lang)
        high = max(details.values())
        top = next(lid for lid, excess in details.items() if excess == high)
        out = []
        for lid, excess in details.items():
            who = self.who("lecturer", lid)
            if lid == top:
                body = _t(
                    self.lang,
                    "lecturer_balance_top",
                    who=who,
                    n=full[lid],
                    mean=mean,
                    low=low,
                    lowest=", ".join(lowest),
                )
                out.append(self.line("lecturer_balance", "lecturer", lid, excess, excess, body))
            else:
                body = _t(self.lang, "lecturer_balance", who=who, n=full[lid], excess=excess, low=low)
                out.append(self.line("lecturer_balance", "lecturer", lid, 0, excess, body))
        for lid in lowest:
            body = _t(self.lang, "lecturer_balance_low", who=self.who("lecturer", lid), n=low)
            out.append(self.line("lecturer_balance", "lecturer", lid, 0, 0, body))
        return out

    def teaching_norm(self, details: dict[str, int]) -> list[EntityLine]:
        taught = self._taught()
        norms = {lec.id: lec.norm_sessions_per_year for lec in self.scenario.lecturers}
        out = []
        for lid, short in details.items():
            body = _t(
                self.lang,
                "teaching_norm",
                who=self.who("lecturer", lid),
                n=taught[lid],
                norm=norms.get(lid),
                short=short,
            )
            out.append(self.line("teaching_norm", "lecturer", lid, short, short, body))
        return out

    def over_norm(self, details: dict[str, int]) -> list[EntityLine]:
        taught = self._taught()
        high = {lec.id: lec.norm_max_sessions_per_year for lec in self.scenario.lecturers}
        return [
            self.line(
                "over_norm",
                "lecturer",
                lid,
                over,
                over,
                _t(self.lang, "over_norm", who=self.who("lecturer", lid), n=taught[lid], over=over, high=high.get(lid)),
            )
            for lid, over in details.items()
        ]

    def part_time_minimum(self, details: dict[str, int]) -> list[EntityLine]:
        taught = self._taught()
        low = {lec.id: lec.min_sessions_per_year for lec in self.scenario.lecturers}
        return [
            self.line(
                "part_time_minimum",
                "lecturer",
                lid,
                short,
                short,
                _t(
                    self.lang,
                    "part_time_minimum",
                    who=self.who("lecturer", lid),
                    n=taught[lid],
                    low=low.get(lid),
                    short=short,
                ),
            )
            for lid, short in details.items()
        ]

    def part_time_share(self, details: dict[str, int]) -> list[EntityLine]:
        """The whole shortfall on one line (the part-time lecturers together), each one's sessions beside it."""
        weight = self.scenario.weights.part_time_share
        short = self.report.breakdown.get("part_time_share", 0) // weight if weight else 0
        share = self.scenario.staffing.part_time_share or 0.0
        taught = sum(details.values())
        total = sum(1 for s in self.ctx.known_sessions if s.lecturer_id is not None)
        body = _t(
            self.lang,
            "part_time_share",
            n=taught,
            total=total,
            share=_share(taught / total if total else 0.0, self.lang),
            target=_share(share, self.lang),
            short=short,
        )
        out = [self.line("part_time_share", "other", "*", short, taught, body)]
        for lid, n in details.items():
            text = _t(self.lang, "part_time_share_one", who=self.who("lecturer", lid), n=n)
            out.append(self.line("part_time_share", "lecturer", lid, 0, n, text))
        return out

    def specialist(self, details: dict[str, int]) -> list[EntityLine]:
        preferred: dict[str, list[str]] = {}
        for lec in self.scenario.lecturers:
            for topic in lec.specialist_topics:
                preferred.setdefault(topic, []).append(lec.id)
        out = []
        for topic, n in details.items():
            by = Counter(
                s.lecturer_id
                for s in self.ctx.known_sessions
                if s.lecturer_id is not None
                and (module := self.ctx.module_of(s)) is not None
                and module.topic == topic
                and s.lecturer_id not in preferred.get(topic, [])
            )
            text = ", ".join(f"{lid} {k}" for lid, k in sorted(by.items(), key=lambda kv: (-kv[1], kv[0])))
            body = _t(
                self.lang,
                "specialist",
                topic=topic,
                n=n,
                by=text,
                preferred=", ".join(preferred.get(topic, [])) or "-",
            )
            out.append(self.line("specialist", "topic", topic, n, n, body))
        return out

    def goal(self, goal: str) -> GoalExplanation:
        details = self.report.details.get(goal, {})
        method = getattr(self, goal, None)
        entities = method(details) if goal in _KNOWN_GOALS and method else self.other_goal(goal, details)
        entities.sort(key=lambda e: (-e.penalty, -e.value, e.entity))
        weight = getattr(self.scenario.weights, goal, 0)
        penalty = sum(e.penalty for e in entities)
        cost = self.report.breakdown.get(goal, 0)
        objective = self.report.objective
        share = cost / objective if objective else 0.0
        label = _goal_label(goal, self.lang)
        summary = _t(
            self.lang,
            "goal_line",
            label=label,
            w=weight,
            p=penalty,
            cost=cost,
            share=_share(share, self.lang),
        )
        return GoalExplanation(goal, label, weight, penalty, cost, share, summary, entities)


def explain(
    scenario: Scenario, timetable: Timetable, lang: str = "en", report: CheckReport | None = None
) -> Explanation:
    """Break the checker's objective of `timetable` down by goal and by entity, in planners' words.

    `report` may pass an existing `check(scenario, timetable)` to avoid checking twice. The goals come
    in the checker's order; each goal's cost is the checker's, so `Explanation.total == report.objective`.
    """
    _check_lang(lang)
    report = report if report is not None else check(scenario, timetable)
    explainer = _Explainer(scenario, timetable, report, lang)
    goals = [explainer.goal(goal) for goal in GOALS]
    return Explanation(scenario.name, lang, report.objective, goals, list(report.violations))


# --- comparing two timetables -------------------------------------------------------------------


@dataclass(frozen=True)
class EntityDelta:
    """An entity whose per-entity figure (the checker's `details`) differs between A and B."""

    entity: str
    a: int
    b: int

    @property
    def delta(self) -> int:
        return self.b - self.a


@dataclass(frozen=True)
class GoalDelta:
    """One goal in two timetables: penalties, weighted costs, the difference and the entities that changed."""

    goal: str
    weight: int
    penalty_a: int
    penalty_b: int
    cost_a: int
    cost_b: int
    entities: list[EntityDelta] = field(default_factory=list)

    @property
    def delta(self) -> int:
        """Weighted cost of B minus that of A (negative: B is better on this goal)."""
        return self.cost_b - self.cost_a

    @property
    def penalty_delta(self) -> int:
        return self.penalty_b - self.penalty_a


def compare_timetables(scenario: Scenario, a: Timetable, b: Timetable) -> list[GoalDelta]:
    """Goal by goal (the checker's order), the difference between two timetables of one scenario."""
    ra, rb = check(scenario, a), check(scenario, b)
    ea, eb = explain(scenario, a, report=ra), explain(scenario, b, report=rb)
    out = []
    for ga, gb in zip(ea.goals, eb.goals, strict=True):
        da, db = ra.details.get(ga.goal, {}), rb.details.get(ga.goal, {})
        changed = [EntityDelta(k, da.get(k, 0), db.get(k, 0)) for k in sorted(set(da) | set(db))]
        changed = [e for e in changed if e.delta]
        changed.sort(key=lambda e: (-abs(e.delta), e.entity))
        out.append(GoalDelta(ga.goal, ga.weight, ga.penalty, gb.penalty, ga.cost, gb.cost, changed))
    return out


# --- rich tables (the CLI prints these) ---------------------------------------------------------


def explanation_tables(explanation: Explanation, top: int = 5) -> list[object]:
    """Rich tables: the objective by goal, then the top entities of every goal with a penalty."""
    from rich.table import Table

    lang = explanation.lang
    overview = Table(
        _t(lang, "col.goal"),
        _t(lang, "col.weight"),
        _t(lang, "col.penalty"),
        _t(lang, "col.cost"),
        _t(lang, "col.share"),
        title=_t(lang, "title.explain", objective=explanation.objective),
    )
    for col in overview.columns[1:]:
        col.justify = "right"
    for goal in explanation.goals:
        overview.add_row(goal.label, str(goal.weight), str(goal.penalty), str(goal.cost), _share(goal.share, lang))
    overview.add_row(_t(lang, "total"), "", "", str(explanation.total), _share(1.0 if explanation.total else 0, lang))
    tables: list[object] = [overview]
    for goal in explanation.goals:
        if not goal.penalty:
            continue
        shown = goal.top(top)
        table = Table(
            _t(lang, "col.entity"),
            _t(lang, "col.penalty"),
            _t(lang, "col.cost"),
            _t(lang, "col.why"),
            title=_t(lang, "title.top", label=goal.label, n=len(shown), total=len(goal.entities)),
        )
        table.columns[1].justify = table.columns[2].justify = "right"
        for e in shown:
            table.add_row(e.entity, str(e.penalty), str(e.cost), e.text)
        tables.append(table)
    return tables


def comparison_table(deltas: list[GoalDelta], lang: str = "en", top: int = 5) -> object:
    """A rich table of `compare_timetables`: costs of A and B, the difference, the entities that changed."""
    from rich.table import Table

    _check_lang(lang)
    cost_a, cost_b = sum(d.cost_a for d in deltas), sum(d.cost_b for d in deltas)
    table = Table(
        _t(lang, "col.goal"),
        _t(lang, "col.weight"),
        _t(lang, "col.a"),
        _t(lang, "col.b"),
        _t(lang, "col.delta"),
        _t(lang, "col.changed"),
        title=_t(lang, "title.compare", a=cost_a, b=cost_b),
    )
    for col in table.columns[1:5]:
        col.justify = "right"
    for d in deltas:
        changed = ", ".join(f"{e.entity} {e.a}->{e.b}" for e in d.entities[:top])
        if len(d.entities) > top:
            changed += " " + _t(lang, "more", n=len(d.entities) - top)
        sign = f"{d.delta:+d}" if d.delta else "0"
        table.add_row(_goal_label(d.goal, lang), str(d.weight), str(d.cost_a), str(d.cost_b), sign, changed)
    total = cost_b - cost_a
    table.add_row(_t(lang, "total"), "", str(cost_a), str(cost_b), f"{total:+d}" if total else "0", "")
    return table
