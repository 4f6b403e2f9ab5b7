"""The checker's rules (docs/rules.md): each `check_*` returns the violations of one rule family,
located at the sessions, classes, lecturers or rooms involved; `CHECKS` runs them in order, and
`check_frozen_past` is a re-plan's rule that the past stays as the baseline had it. A malformed
timetable never raises: each problem becomes a `Violation`, its message in the current language
(`llct_sched.i18n`: English unless set otherwise; the catalog has the Vietnamese).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable

import networkx as nx

from llct_sched import i18n
from llct_sched.check.context import (
    _WEEKDAYS,
    CheckContext,
    Violation,
    _at,
    _ids,
    _period,
    _session_text,
    _slot_text,
    _weekday,
)
from llct_sched.scenario import (
    Program,
    TaughtBy,
)
from llct_sched.timetable import ObservationVisit, ScheduledSession, Timetable


def check_reference(ctx: CheckContext) -> list[Violation]:
    """Unknown ids in the timetable; scenario classes with no session; unknown program/event ids."""
    out: list[Violation] = []
    unknown = Counter(s.class_id for s in ctx.timetable.sessions if s.class_id not in ctx.classes)
    for cid, n in sorted(unknown.items()):
        msg = i18n._("{n} session(s) of unknown class {cls}").format(n=n, cls=cid)
        out.append(Violation("reference", msg, class_id=cid))
    for cid in ctx.timetable.class_learners:
        if cid not in ctx.classes:
            msg = i18n._("learners given for unknown class {cls}").format(cls=cid)
            out.append(Violation("reference", msg, class_id=cid))
    for klass in ctx.scenario.classes:
        if klass.program not in ctx.programs:
            msg = i18n._("class {cls}: unknown program {program}").format(cls=klass.id, program=klass.program)
            out.append(Violation("reference", msg, class_id=klass.id))
        elif not ctx.sessions.get(klass.id):
            msg = i18n._("class {cls} is not scheduled (no sessions)").format(cls=klass.id)
            out.append(Violation("reference", msg, class_id=klass.id))
        for eid in (klass.not_before_event, klass.not_after_event):
            if eid is not None and eid not in ctx.events:
                msg = i18n._("class {cls}: unknown event {event}").format(cls=klass.id, event=eid)
                out.append(Violation("reference", msg, class_id=klass.id))
    for s in ctx.known_sessions:
        where = _session_text(s)
        if s.period not in ctx.period_index:
            msg = i18n._("{where}: unknown period {period} (periods: {periods})")
            out.append(_at("reference", msg.format(where=where, period=s.period, periods=", ".join(ctx.periods)), s))
        if s.room_id not in ctx.rooms:
            msg = i18n._("{where}: unknown room {room}").format(where=where, room=s.room_id)
            out.append(_at("reference", msg, s, room_id=s.room_id))
        if s.lecturer_id is not None and s.lecturer_id not in ctx.lecturers:
            msg = i18n._("{where}: unknown lecturer {lecturer}").format(where=where, lecturer=s.lecturer_id)
            out.append(_at("reference", msg, s, lecturer_id=s.lecturer_id))
        if ctx.program_of(s.class_id) is not None and ctx.module_of(s) is None:
            msg = i18n._("{where}: module {module} is not in its program").format(where=where, module=s.module_id)
            out.append(_at("reference", msg, s))
    for v in ctx.timetable.observations:
        slot = _slot_text(v.date, v.period)
        unknown_who = (
            (i18n._("visit on {slot}: unknown lecturer {lecturer}"), v.lecturer_id),
            (i18n._("visit on {slot}: unknown observer {lecturer}"), v.observer_id),
        )
        for template, lid in unknown_who:
            if lid not in ctx.lecturers:
                msg = template.format(slot=slot, lecturer=lid)
                out.append(Violation("reference", msg, lecturer_id=lid, date=v.date, period=v.period))
        if v.period not in ctx.period_index:
            msg = i18n._("visit on {slot}: unknown period {period}").format(slot=slot, period=v.period)
            out.append(Violation("reference", msg, lecturer_id=v.lecturer_id, date=v.date, period=v.period))
        if v.class_id not in ctx.classes:
            msg = i18n._("visit on {slot}: unknown class {cls}").format(slot=slot, cls=v.class_id)
            out.append(Violation("reference", msg, class_id=v.class_id, date=v.date, period=v.period))
    return out


def check_calendar(ctx: CheckContext) -> list[Violation]:
    """Classes meet only on working days not closed to them by a blackout."""
    out: list[Violation] = []
    for cid, rows in ctx.sessions.items():
        for day in sorted({s.date for s in rows}):
            if day not in ctx.working_set:
                if not ctx.scenario.calendar.start <= day <= ctx.scenario.calendar.end:
                    why = i18n._("outside the calendar")
                elif any(h.contains(day) for h in ctx.scenario.calendar.holidays):
                    why = i18n._("a holiday")
                else:
                    why = i18n._("not a working weekday ({weekday})").format(weekday=_weekday(day))
                msg = i18n._("class {cls} meets on {day}, {why}").format(cls=cid, day=day, why=why)
                out.append(Violation("calendar", msg, class_id=cid, date=day))
            blackout = ctx.closed_by_blackout(cid, day)
            if blackout is not None:
                msg = i18n._("class {cls} ({learners} learners) meets on {day}, closed by blackout {blackout}").format(
                    cls=cid, learners=ctx.learners(cid), day=day, blackout=blackout
                )
                out.append(Violation("calendar", msg, class_id=cid, date=day))
        out += _closed_period_sessions(ctx, cid, rows)
    return out


def _closed_period_sessions(ctx: CheckContext, cid: str, rows: list[ScheduledSession]) -> list[Violation]:
    """Sessions in a weekly period the class closes (`closed_periods`)."""
    klass = ctx.classes.get(cid)
    if klass is None or not klass.closed_periods:
        return []
    closed = {(w.value, p) for w, names in klass.closed_periods.items() for p in names}
    out = []
    for s in rows:
        weekday = _WEEKDAYS[s.date.weekday()].value
        if (weekday, s.period) in closed:
            msg = i18n._("class {cls} meets on {slot}, a period it closes on {weekday}").format(
                cls=cid, slot=_slot_text(s.date, s.period), weekday=_weekday(s.date)
            )
            out.append(Violation("calendar", msg, class_id=cid, date=s.date, period=s.period))
    return out


def check_window(ctx: CheckContext) -> list[Violation]:
    """Sessions lie within the class's window: earliest start, latest end, after/before events."""
    out: list[Violation] = []
    for cid, rows in ctx.sessions.items():
        klass = ctx.classes[cid]
        days = [s.date for s in rows]
        bounds: list[tuple[str, list[dt.date]]] = []
        if klass.earliest_start is not None:
            lo = klass.earliest_start
            text = i18n._("before its earliest start {date}").format(date=lo)
            bounds.append((text, [d for d in days if d < lo]))
        if klass.latest_end is not None:
            hi = klass.latest_end
            text = i18n._("after its latest end {date}").format(date=hi)
            bounds.append((text, [d for d in days if d > hi]))
        before = ctx.events.get(klass.not_before_event or "")
        if before is not None:
            end = before.last
            text = i18n._("not after the end of event {event} ({date})").format(event=before.id, date=end)
            bounds.append((text, [d for d in days if d <= end]))
        after = ctx.events.get(klass.not_after_event or "")
        if after is not None:
            start = after.start
            text = i18n._("not before the start of event {event} ({date})").format(event=after.id, date=start)
            bounds.append((text, [d for d in days if d >= start]))
        for text, hits in bounds:
            if hits:
                msg = i18n._("class {cls}: {n} session(s) {text}, first on {first}").format(
                    cls=cid, n=len(hits), text=text, first=hits[0]
                )
                out.append(Violation("window", msg, class_id=cid, date=hits[0]))
    return out


def _delivery_counts(ctx: CheckContext, cid: str, program: Program) -> list[Violation]:
    """The program's shape (whole days, d within the periods), the class's session count, one session a slot."""
    out: list[Violation] = []
    d = program.delivery
    rows = ctx.sessions[cid]
    if ctx.block_days(program) is None:
        msg = i18n._(
            "class {cls}: program {program} has {total} sessions, not {blocks} blocks x whole days x {per_day}"
        ).format(cls=cid, program=program.id, total=program.total_sessions, blocks=d.blocks, per_day=d.sessions_per_day)
        out.append(Violation("delivery", msg, class_id=cid))
    if d.sessions_per_day > len(ctx.periods):
        msg = i18n._("class {cls}: program {program} meets {per_day} sessions a day, a day has {periods}").format(
            cls=cid, program=program.id, per_day=d.sessions_per_day, periods=len(ctx.periods)
        )
        out.append(Violation("delivery", msg, class_id=cid))
    if len(rows) != program.total_sessions:
        msg = i18n._("class {cls} has {n} sessions, program {program} needs {total}").format(
            cls=cid, n=len(rows), program=program.id, total=program.total_sessions
        )
        out.append(Violation("delivery", msg, class_id=cid))
    per_slot = Counter((s.date, s.period) for s in rows)
    for (day, period), count in sorted(per_slot.items(), key=lambda kv: ctx.slot_key(*kv[0])):
        if count > 1:
            msg = i18n._("class {cls} has {n} sessions on {slot}").format(
                cls=cid, n=count, slot=_slot_text(day, period)
            )
            out.append(Violation("delivery", msg, class_id=cid, date=day, period=period))
    return out


def _delivery_block_shape(ctx: CheckContext, cid: str, program: Program) -> list[Violation]:
    """k blocks of n consecutive working days, each day d sessions in consecutive periods from one start."""
    out: list[Violation] = []
    d = program.delivery
    n = ctx.block_days(program)

    def bad(msg: str, day: dt.date | None = None) -> None:
        out.append(Violation("delivery", msg, class_id=cid, date=day))

    blocks = ctx.block_sessions[cid]
    if len(blocks) != d.blocks:
        starts = ", ".join(str(days[0]) for days in ctx.blocks[cid])
        bad(
            i18n._("class {cls} meets in {n} block(s) (starting {starts}), expected {blocks}").format(
                cls=cid, n=len(blocks), starts=starts, blocks=d.blocks
            )
        )
    for block, days in zip(blocks, ctx.blocks[cid], strict=True):
        if n is not None and len(days) != n:
            msg = i18n._("class {cls}: block from {first} to {last} has {n} day(s), expected {days}")
            bad(msg.format(cls=cid, first=days[0], last=days[-1], n=len(days), days=n), days[0])
        for prev, nxt in zip(days, days[1:], strict=False):
            if not ctx.same_block(prev, nxt):
                msg = i18n._("class {cls}: block starting {first} is not on consecutive working days ({prev}, {next})")
                bad(msg.format(cls=cid, first=days[0], prev=prev, next=nxt), nxt)
        by_day: dict[dt.date, list[int]] = defaultdict(list)
        for s in block:
            by_day[s.date].append(ctx.slot_key(s.date, s.period)[1])
        first_periods: set[int] = set()
        for day, indices in sorted(by_day.items()):
            indices.sort()
            names = ", ".join(_period(ctx.period_name(i)) for i in indices)
            if len(indices) != d.sessions_per_day:
                msg = i18n._("class {cls} meets {n} session(s) ({periods}) on {day}; its program meets {per_day} a day")
                bad(msg.format(cls=cid, n=len(indices), periods=names, day=day, per_day=d.sessions_per_day), day)
            elif indices != list(range(indices[0], indices[0] + len(indices))):
                msg = i18n._("class {cls}: sessions on {day} are not in consecutive periods ({periods})")
                bad(msg.format(cls=cid, day=day, periods=names), day)
            first_periods.add(indices[0])
        if len(first_periods) > 1:
            names = ", ".join(_period(ctx.period_name(i)) for i in sorted(first_periods))
            msg = i18n._("class {cls}: block starting {first} starts its days in different periods ({periods})")
            bad(msg.format(cls=cid, first=days[0], periods=names), days[0])
    return out


def _delivery_block_order(ctx: CheckContext, cid: str, program: Program) -> list[Violation]:
    """Blocks follow one another: min_gap_days apart, or (same_day_blocks) each after the previous's last slot."""
    out: list[Violation] = []
    d = program.delivery
    blocks = ctx.block_sessions[cid]
    days = ctx.blocks[cid]
    for i in range(1, len(blocks)):
        if d.same_day_blocks:
            last, first = blocks[i - 1][-1], blocks[i][0]
            if not ctx.slot_key(last.date, last.period) < ctx.slot_key(first.date, first.period):
                msg = i18n._("class {cls}: block {n} starts on {first}, not after block {prev} ends on {last}").format(
                    cls=cid,
                    n=i + 1,
                    first=_slot_text(first.date, first.period),
                    prev=i,
                    last=_slot_text(last.date, last.period),
                )
                out.append(Violation("delivery", msg, class_id=cid, date=first.date, period=first.period))
            continue
        gap_min = max(d.min_gap_days, 0)
        gap = (days[i][0] - days[i - 1][-1]).days - 1
        if gap < gap_min:
            msg = i18n._(
                "class {cls}: only {gap} day(s) between blocks ending {end} and starting {start}, need {need}"
            ).format(cls=cid, gap=gap, end=days[i - 1][-1], start=days[i][0], need=gap_min)
            out.append(Violation("delivery", msg, class_id=cid, date=days[i][0]))
    return out


def _delivery_pinned(ctx: CheckContext, cid: str) -> list[Violation]:
    """`pinned_starts[i]` is the first day of block i."""
    out: list[Violation] = []
    pinned_starts = ctx.classes[cid].pinned_starts
    if pinned_starts is None:
        return out
    starts = [days[0] for days in ctx.blocks[cid]]
    for i, pinned in enumerate(pinned_starts):
        actual = starts[i] if i < len(starts) else None
        if actual != pinned:
            msg = i18n._("class {cls}: block {n} must start on {pinned}, starts on {actual}").format(
                cls=cid, n=i + 1, pinned=pinned, actual=actual or i18n._("no day")
            )
            out.append(Violation("delivery", msg, class_id=cid, date=pinned))
    return out


def check_delivery(ctx: CheckContext) -> list[Violation]:
    """Blocks of n whole days, d consecutive sessions a day from one start period, block order, pinned starts."""
    out: list[Violation] = []
    for cid in ctx.sessions:
        program = ctx.program_of(cid)
        if program is None:
            continue
        out += _delivery_counts(ctx, cid, program)
        out += _delivery_block_shape(ctx, cid, program)
        out += _delivery_block_order(ctx, cid, program)
        out += _delivery_pinned(ctx, cid)
    return out


def check_modules(ctx: CheckContext) -> list[Violation]:
    """Each module has exactly its sessions; precedence a -> b: a's last session before b's first."""
    out: list[Violation] = []
    for cid, rows in ctx.sessions.items():
        program = ctx.program_of(cid)
        if program is None:
            continue
        slots: dict[str, list[tuple[dt.date, int]]] = defaultdict(list)
        for s in rows:
            slots[s.module_id].append(ctx.slot_key(s.date, s.period))
        ids = [m.id for m in program.modules]
        for i, m in enumerate(program.modules):
            have = len(slots.get(m.id, []))
            if have != m.sessions:
                msg = i18n._("class {cls}: module {module} has {n} session(s), needs {need}").format(
                    cls=cid, module=m.id, n=have, need=m.sessions
                )
                out.append(Violation("modules", msg, class_id=cid))
            preds = m.after if m.after is not None else ids[i - 1 : i]
            for a in preds:
                if a not in ids:
                    msg = i18n._("program {program}: module {module} follows unknown module {after}")
                    out.append(Violation("modules", msg.format(program=program.id, module=m.id, after=a)))
                    continue
                if not slots.get(a) or not slots.get(m.id):
                    continue
                last_a, first_b = max(slots[a]), min(slots[m.id])
                if not last_a < first_b:
                    msg = i18n._("class {cls}: module {module} starts on {first} before module {after} ends on {last}")
                    msg = msg.format(
                        cls=cid,
                        module=m.id,
                        first=_slot_text(first_b[0], ctx.period_name(first_b[1])),
                        after=a,
                        last=_slot_text(last_a[0], ctx.period_name(last_a[1])),
                    )
                    out.append(Violation("modules", msg, class_id=cid, date=first_b[0]))
    return out


def _module_order(program: Program) -> list[str]:
    """Topological order of the program's modules, ties broken by list order."""
    ids = [m.id for m in program.modules]
    graph = nx.DiGraph()
    graph.add_nodes_from(range(len(ids)))
    for i, m in enumerate(program.modules):
        preds = m.after if m.after is not None else ids[i - 1 : i]
        graph.add_edges_from((ids.index(a), i) for a in preds if a in ids)
    try:
        return [ids[i] for i in nx.lexicographical_topological_sort(graph)]
    except nx.NetworkXUnfeasible:
        return ids


def check_module_order(ctx: CheckContext) -> list[Violation]:
    """The class's sessions, in chronological order, take the modules in module order."""
    out: list[Violation] = []
    for cid, rows in ctx.sessions.items():
        program = ctx.program_of(cid)
        if program is None or len(rows) != program.total_sessions:
            continue
        expected = [
            mid for mid in _module_order(program) for m in program.modules if m.id == mid for _ in range(m.sessions)
        ]
        for k, (s, want) in enumerate(zip(rows, expected, strict=True)):
            if s.module_id != want:
                when = _slot_text(s.date, s.period)
                msg = i18n._("class {cls}: session {k} on {slot} is module {module}, module order says {want}").format(
                    cls=cid, k=k + 1, slot=when, module=s.module_id, want=want
                )
                out.append(_at("modules", msg, s))
                break
    return out


def check_block_module_lecturer(ctx: CheckContext) -> list[Violation]:
    """Within one block, all sessions of one module have the same lecturer."""
    out: list[Violation] = []
    for cid, blocks in ctx.block_sessions.items():
        for number, block in enumerate(blocks):
            lecturers: dict[str, set[str]] = defaultdict(set)
            for s in block:
                if s.lecturer_id:
                    lecturers[s.module_id].add(s.lecturer_id)
            for module_id, who in sorted(lecturers.items()):
                if len(who) > 1:
                    msg = i18n._("class {cls}: block {n} module {module} has lecturers {lecturers}; one is required")
                    msg = msg.format(cls=cid, n=number + 1, module=module_id, lecturers=_ids(who))
                    out.append(Violation("lecturers", msg, class_id=cid, date=block[0].date))
    return out


def check_rooms(ctx: CheckContext) -> list[Violation]:
    """One room per block, enough seats (unless soft), one session per room and slot, room open, pinned room,
    allowed rooms."""
    out: list[Violation] = []
    hard_seats = not ctx.scenario.rules.soft_room_capacity
    for cid, rows in ctx.sessions.items():
        klass = ctx.classes[cid]
        for block in ctx.block_sessions[cid]:
            used = {s.room_id for s in block}
            if len(used) > 1:
                msg = i18n._("class {cls}: block starting {first} uses {n} rooms ({rooms})").format(
                    cls=cid, first=block[0].date, n=len(used), rooms=_ids(used)
                )
                out.append(Violation("rooms", msg, class_id=cid, date=block[0].date))
        learners = ctx.learners(cid)
        for rid in sorted({s.room_id for s in rows}):
            room = ctx.rooms.get(rid)
            if hard_seats and room is not None and learners is not None and learners > room.seats:
                msg = i18n._("class {cls} has {learners} learners, room {room} seats {seats}").format(
                    cls=cid, learners=learners, room=rid, seats=room.seats
                )
                out.append(Violation("rooms", msg, class_id=cid, room_id=rid))
            if klass.pinned_room is not None and rid != klass.pinned_room:
                msg = i18n._("class {cls} uses room {room}, but is pinned to room {pinned}").format(
                    cls=cid, room=rid, pinned=klass.pinned_room
                )
                out.append(Violation("rooms", msg, class_id=cid, room_id=rid))
            if klass.allowed_rooms is not None and rid not in klass.allowed_rooms:
                msg = i18n._("class {cls} uses room {room}, which is not among its allowed rooms ({allowed})").format(
                    cls=cid, room=rid, allowed=", ".join(klass.allowed_rooms)
                )
                out.append(Violation("rooms", msg, class_id=cid, room_id=rid))
    by_slot: dict[tuple[str, dt.date, str], list[str]] = defaultdict(list)
    for s in ctx.known_sessions:
        by_slot[(s.room_id, s.date, s.period)].append(s.class_id)
    for (rid, day, period), cids in sorted(
        by_slot.items(), key=lambda kv: (kv[0][0], ctx.slot_key(kv[0][1], kv[0][2]))
    ):
        if len(cids) > 1:
            msg = i18n._("room {room}: {n} sessions on {slot} (classes {classes})").format(
                room=rid, n=len(cids), slot=_slot_text(day, period), classes=", ".join(sorted(cids))
            )
            out.append(Violation("rooms", msg, room_id=rid, date=day, period=period))
        room = ctx.rooms.get(rid)
        if room is not None and any(r.contains(day) for r in room.unavailable):
            msg = i18n._("room {room} is unavailable on {day} but holds classes {classes}").format(
                room=rid, day=day, classes=_ids(cids)
            )
            out.append(Violation("rooms", msg, room_id=rid, date=day, period=period))
    return out


def check_groups(ctx: CheckContext) -> list[Violation]:
    """Two classes sharing a learner group never meet in the same slot."""
    out: list[Violation] = []
    slots = {cid: {(s.date, s.period) for s in rows} for cid, rows in ctx.sessions.items()}
    cids = sorted(slots)
    for i, a in enumerate(cids):
        for b in cids[i + 1 :]:
            shared = set(ctx.classes[a].groups) & set(ctx.classes[b].groups)
            if not shared:
                continue
            common = sorted(slots[a] & slots[b], key=lambda x: ctx.slot_key(*x))
            if common:
                day, period = common[0]
                msg = i18n._(
                    "classes {a} and {b} share group {groups} but meet together in {n} slot(s), first {slot}"
                ).format(a=a, b=b, groups=_ids(shared), n=len(common), slot=_slot_text(day, period))
                out.append(Violation("groups", msg, class_id=a, date=day, period=period))
    return out


def check_cohorts(ctx: CheckContext) -> list[Violation]:
    """Learners: a lone class has its `learners`; a cohort's classes sum to it, each within bounds."""
    out: list[Violation] = []
    given = ctx.timetable.class_learners
    for klass in ctx.scenario.classes:
        if klass.id in ctx.cohort_of:
            continue
        if klass.id not in given:
            msg = i18n._("class {cls}: learners missing from the timetable").format(cls=klass.id)
            out.append(Violation("cohorts", msg, class_id=klass.id))
        elif klass.learners is not None and given[klass.id] != klass.learners:
            msg = i18n._("class {cls} has {n} learners, the scenario says {learners}").format(
                cls=klass.id, n=given[klass.id], learners=klass.learners
            )
            out.append(Violation("cohorts", msg, class_id=klass.id))
    for cohort in ctx.scenario.cohorts:
        total = 0
        for cid in cohort.classes:
            if cid not in given:
                msg = i18n._("cohort {cohort}: learners of class {cls} missing").format(cohort=cohort.id, cls=cid)
                out.append(Violation("cohorts", msg, class_id=cid))
                continue
            total += given[cid]
            hi = cohort.max_per_class
            if given[cid] < cohort.min_per_class or (hi is not None and given[cid] > hi):
                hi_text = hi if hi is not None else i18n._("any")
                msg = i18n._("cohort {cohort}: class {cls} has {n} learners, allowed {lo}..{hi}").format(
                    cohort=cohort.id, cls=cid, n=given[cid], lo=cohort.min_per_class, hi=hi_text
                )
                out.append(Violation("cohorts", msg, class_id=cid))
        if total != cohort.learners:
            classes = ", ".join(cohort.classes)
            msg = i18n._("cohort {cohort}: classes {classes} hold {total} learners, the cohort has {learners}").format(
                cohort=cohort.id, classes=classes, total=total, learners=cohort.learners
            )
            out.append(Violation("cohorts", msg))
    return out


def _taught_slots(ctx: CheckContext) -> dict[str, list[tuple[dt.date, str]]]:
    """Lecturer -> slots where they teach a known session."""
    taught: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
    for s in ctx.known_sessions:
        if s.lecturer_id is not None:
            taught[s.lecturer_id].append((s.date, s.period))
    return taught


def check_lecturers(ctx: CheckContext) -> list[Violation]:
    """Lecturer per session, topic, availability, one place per slot, weekly/monthly/yearly load."""
    out: list[Violation] = []
    for s in ctx.known_sessions:
        program = ctx.program_of(s.class_id)
        if program is None:
            continue
        where = _session_text(s)
        if program.taught_by == TaughtBy.center and s.lecturer_id is None:
            msg = i18n._("{where}: no lecturer (program {program} is taught by the center)")
            out.append(_at("lecturers", msg.format(where=where, program=program.id), s, lecturer_id=s.lecturer_id))
        if program.taught_by == TaughtBy.external and s.lecturer_id is not None:
            msg = i18n._("{where}: lecturer {lecturer} given, but program {program} is taught externally").format(
                where=where, lecturer=s.lecturer_id, program=program.id
            )
            out.append(_at("lecturers", msg, s, lecturer_id=s.lecturer_id))
        lecturer = ctx.lecturers.get(s.lecturer_id or "")
        if lecturer is None:
            continue
        module = ctx.module_of(s)
        if module is not None and module.topic not in lecturer.topics:
            msg = i18n._("{where}: lecturer {lecturer} does not teach topic {topic} (module {module})").format(
                where=where, lecturer=lecturer.id, topic=module.topic, module=module.id
            )
            out.append(_at("lecturers", msg, s, lecturer_id=s.lecturer_id))
        klass = ctx.classes.get(s.class_id)
        pinned = klass.pinned_lecturers.get(s.module_id) if klass is not None else None
        if pinned is not None and pinned != lecturer.id:
            msg = i18n._(
                "{where}: lecturer {lecturer} teaches module {module}, which is pinned to lecturer {pinned}"
            ).format(where=where, lecturer=lecturer.id, module=s.module_id, pinned=pinned)
            out.append(_at("lecturers", msg, s, lecturer_id=s.lecturer_id))
        away = ctx.lecturer_away(lecturer, s.date, s.period)
        if away is not None:
            msg = i18n._("{where}: lecturer {lecturer} is {away}").format(where=where, lecturer=lecturer.id, away=away)
            out.append(_at("lecturers", msg, s, lecturer_id=s.lecturer_id))
    teach: dict[tuple[str, dt.date, str], list[str]] = defaultdict(list)
    for s in ctx.known_sessions:
        if s.lecturer_id is not None:
            teach[(s.lecturer_id, s.date, s.period)].append(s.class_id)
    watch: dict[tuple[str, dt.date, str], list[str]] = defaultdict(list)
    for v in ctx.timetable.observations:
        watch[(v.observer_id, v.date, v.period)].append(v.class_id)
    for key in sorted(set(teach) | set(watch), key=lambda k: (k[0], ctx.slot_key(k[1], k[2]))):
        lid, day, period = key
        t, w = teach.get(key, []), watch.get(key, [])
        if len(t) + len(w) > 1:
            parts = [i18n._("teaches {classes}").format(classes=", ".join(t))] if t else []
            parts += [i18n._("observes {classes}").format(classes=", ".join(w))] if w else []
            msg = i18n._("lecturer {lecturer} is in {n} places on {slot}: {parts}").format(
                lecturer=lid, n=len(t) + len(w), slot=_slot_text(day, period), parts="; ".join(parts)
            )
            out.append(Violation("lecturers", msg, lecturer_id=lid, date=day, period=period))
    taught = _taught_slots(ctx)
    for lecturer in ctx.scenario.lecturers:
        days = [d for d, _ in taught.get(lecturer.id, [])]
        loads: list[tuple[int | None, str, Counter[str]]] = [
            (
                lecturer.max_sessions_per_week,
                i18n._("lecturer {lecturer} teaches {n} sessions in week {when}, at most {limit}"),
                Counter(f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}" for d in days),
            ),
            (
                lecturer.max_sessions_per_month,
                i18n._("lecturer {lecturer} teaches {n} sessions in month {when}, at most {limit}"),
                Counter(f"{d.year}-{d.month:02d}" for d in days),
            ),
            (
                lecturer.max_sessions_per_year,
                i18n._("lecturer {lecturer} teaches {n} sessions in the calendar, at most {limit} a year"),
                Counter("the calendar" for _ in days),
            ),
        ]
        for limit, template, counts in loads:
            if limit is None:
                continue
            for when, n in sorted(counts.items()):
                if n > limit:
                    msg = template.format(lecturer=lecturer.id, n=n, when=when, limit=limit)
                    out.append(Violation("lecturers", msg, lecturer_id=lecturer.id))
    return out


def check_observations(ctx: CheckContext) -> list[Violation]:
    """Each observed lecturer gets enough valid visits in distinct slots; observer limits."""
    out: list[Violation] = []
    policy = ctx.scenario.observation
    if policy.observers is not None:
        allowed = set(policy.observers)
    else:
        allowed = {lec.id for lec in ctx.scenario.lecturers if lec.can_observe}
    busy = Counter((s.lecturer_id, s.date, s.period) for s in ctx.known_sessions if s.lecturer_id is not None)
    busy.update((v.observer_id, v.date, v.period) for v in ctx.timetable.observations)
    good: dict[str, set[tuple[dt.date, str]]] = defaultdict(set)
    for v in ctx.timetable.observations:
        problems = _visit_problems(ctx, v, allowed)
        where = i18n._("visit of {observer} to {lecturer} in class {cls} on {slot}").format(
            observer=v.observer_id, lecturer=v.lecturer_id, cls=v.class_id, slot=_slot_text(v.date, v.period)
        )
        for problem in problems:
            out.append(
                Violation(
                    "observations",
                    i18n._("{where}: {problem}").format(where=where, problem=problem),
                    class_id=v.class_id,
                    lecturer_id=v.lecturer_id,
                    date=v.date,
                    period=v.period,
                )
            )
        if not problems and busy[(v.observer_id, v.date, v.period)] == 1:
            good[v.lecturer_id].add((v.date, v.period))
    for lecturer in ctx.scenario.lecturers:
        if lecturer.kind in policy.observed_kinds and len(good[lecturer.id]) < policy.visits_per_lecturer:
            msg = i18n._(
                "lecturer {lecturer} ({kind}) receives {n} valid visit(s) in distinct slots, needs {need}"
            ).format(
                lecturer=lecturer.id,
                kind=lecturer.kind.value,
                n=len(good[lecturer.id]),
                need=policy.visits_per_lecturer,
            )
            out.append(Violation("observations", msg, lecturer_id=lecturer.id))
    if policy.max_visits_per_observer is not None:
        made = Counter(v.observer_id for v in ctx.timetable.observations)
        for oid, n in sorted(made.items()):
            if n > policy.max_visits_per_observer:
                msg = i18n._("observer {observer} makes {n} visits, at most {limit}").format(
                    observer=oid, n=n, limit=policy.max_visits_per_observer
                )
                out.append(Violation("observations", msg, lecturer_id=oid))
    return out


def _visit_problems(
    ctx: CheckContext,
    v: ObservationVisit,
    allowed: set[str],
) -> list[str]:
    """Why a visit is invalid (slot conflicts of the observer are reported under `lecturers`)."""
    if v.lecturer_id not in ctx.lecturers or v.observer_id not in ctx.lecturers or v.class_id not in ctx.classes:
        return [i18n._("names an unknown lecturer, observer or class")]
    problems = []
    if not any(
        s.lecturer_id == v.lecturer_id and s.date == v.date and s.period == v.period for s in ctx.sessions[v.class_id]
    ):
        problems.append(
            i18n._("{lecturer} does not teach class {cls} in that slot").format(lecturer=v.lecturer_id, cls=v.class_id)
        )
    program = ctx.program_of(v.class_id)
    programs = ctx.scenario.observation.programs
    if program is not None:
        counts = program.id in programs if programs is not None else program.taught_by == TaughtBy.center
        if not counts:
            problems.append(i18n._("program {program} does not count for observation").format(program=program.id))
    if v.observer_id not in allowed:
        problems.append(i18n._("{observer} is not an allowed observer").format(observer=v.observer_id))
    if v.observer_id == v.lecturer_id:
        problems.append(i18n._("a lecturer cannot observe themself"))
    away = ctx.lecturer_away(ctx.lecturers[v.observer_id], v.date, v.period)
    if away is not None:
        problems.append(i18n._("observer {observer} is {away}").format(observer=v.observer_id, away=away))
    return problems


CHECKS: list[Callable[[CheckContext], list[Violation]]] = [
    check_reference,
    check_calendar,
    check_window,
    check_delivery,
    check_modules,
    check_module_order,
    check_rooms,
    check_groups,
    check_cohorts,
    check_lecturers,
    check_block_module_lecturer,
    check_observations,
]


def _past_sessions(timetable: Timetable, before: dt.date) -> dict[tuple[str, dt.date, str], list[tuple[str, str, str]]]:
    out: dict[tuple[str, dt.date, str], list[tuple[str, str, str]]] = defaultdict(list)
    for s in timetable.sessions:
        if s.date < before:
            out[s.class_id, s.date, s.period].append((s.module_id, s.room_id, s.lecturer_id or "-"))
    return out


def check_frozen_past(baseline: Timetable, timetable: Timetable, freeze_before: dt.date) -> list[Violation]:
    """Re-planning (rule `frozen_past`): every session (module, room, lecturer) and every
    observation visit dated before `freeze_before` is exactly the baseline's, none added or gone."""
    old, new = _past_sessions(baseline, freeze_before), _past_sessions(timetable, freeze_before)
    out = []
    for key in sorted(set(old) | set(new)):
        if sorted(old.get(key, [])) == sorted(new.get(key, [])):
            continue
        cid, day, period = key
        row_text = i18n._("module {module}, room {room}, lecturer {lecturer}")
        was = "; ".join(row_text.format(module=m, room=r, lecturer=lec) for m, r, lec in sorted(old.get(key, [])))
        now = "; ".join(row_text.format(module=m, room=r, lecturer=lec) for m, r, lec in sorted(new.get(key, [])))
        message = i18n._(
            "class {cls}: session {slot} is before {freeze} and must stay as it was (baseline: {was}; now: {now})"
        ).format(
            cls=cid,
            slot=_slot_text(day, period),
            freeze=freeze_before,
            was=was or i18n._("none"),
            now=now or i18n._("none"),
        )
        out.append(Violation("frozen_past", message, cid, date=day, period=period))

    def visits(tt: Timetable) -> set[tuple[str, str, str, dt.date, str]]:
        rows = tt.observations
        return {(o.lecturer_id, o.observer_id, o.class_id, o.date, o.period) for o in rows if o.date < freeze_before}

    made, seen = visits(baseline), visits(timetable)
    for lec, obs, cid, day, period in sorted(made ^ seen):
        if (lec, obs, cid, day, period) in made:
            template = i18n._(
                "visit of {lecturer} by {observer} in class {cls} at {slot} (before {freeze}) "
                "made in the baseline and is gone"
            )
        else:
            template = i18n._(
                "visit of {lecturer} by {observer} in class {cls} at {slot} (before {freeze}) was not in the baseline"
            )
        message = template.format(
            lecturer=lec, observer=obs, cls=cid, slot=_slot_text(day, period), freeze=freeze_before
        )
        out.append(Violation("frozen_past", message, cid, lecturer_id=lec, date=day, period=period))
    return out
