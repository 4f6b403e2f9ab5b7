"""One iCalendar file per lecturer and per room, in the Asia/Ho_Chi_Minh time zone.

A lecturer's calendar holds the sessions they teach, the visits they make as an observer and the
visits they receive (marked on the observed session). A room's calendar holds its sessions.
Session clock hours come from `scenario.calendar.hours`.

Calendars update cleanly when a plan changes (a re-plan, or reports written again): an event's UID
names what it is, not when it is, and whose calendar holds it: a teaching session is (class, block,
module, session number of the module in the class), a visit is (observed lecturer, visit number,
observer), each with the calendar's owner (lecturer or room). Given the previous calendars, an
event that changed gets SEQUENCE raised, and an event of the previous calendar that is gone is
written again with STATUS:CANCELLED (and a raised SEQUENCE), so re-importing leaves no ghost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Component, Event, Timezone

from llct_sched.files import file_name, save_bytes_atomic
from llct_sched.reports.data import ReportData
from llct_sched.reports.labels import Labels
from llct_sched.scenario import Period
from llct_sched.timetable import ObservationVisit, ScheduledSession

TZID = "Asia/Ho_Chi_Minh"
TZ = ZoneInfo(TZID)
PRODID = "-//llct-sched//timetable//VI"


def session_times(data: ReportData, day: dt.date, period: str) -> tuple[dt.datetime, dt.datetime]:
    """Clock times of a session: the calendar's hours for morning and afternoon; other periods
    share the day from the morning's start to the afternoon's end equally."""
    hours = data.scenario.calendar.hours
    if period == Period.morning:
        start, end = hours.morning_start, hours.morning_end
    elif period == Period.afternoon:
        start, end = hours.afternoon_start, hours.afternoon_end
    else:
        periods = data.scenario.calendar.periods
        first = dt.datetime.combine(day, hours.morning_start)
        span = (dt.datetime.combine(day, hours.afternoon_end) - first) / len(periods)
        k = periods.index(period) if period in periods else 0
        return (first + k * span).replace(tzinfo=TZ), (first + (k + 1) * span).replace(tzinfo=TZ)
    return dt.datetime.combine(day, start, tzinfo=TZ), dt.datetime.combine(day, end, tzinfo=TZ)


def _calendar(name: str, lab: Labels) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TZID)
    cal.add_component(_timezone())
    return cal


def _timezone() -> Timezone:
    from_tzid = getattr(Timezone, "from_tzid", None)
    if from_tzid is not None:
        return from_tzid(TZID)
    # icalendar < 6: Vietnam has kept UTC+7 without daylight saving since 1975
    tz = Timezone()
    tz.add("tzid", TZID)
    from icalendar import TimezoneStandard

    std = TimezoneStandard()
    std.add("dtstart", dt.datetime(1975, 6, 13))
    std.add("tzoffsetfrom", dt.timedelta(hours=7))
    std.add("tzoffsetto", dt.timedelta(hours=7))
    std.add("tzname", "+07")
    tz.add_component(std)
    return tz


def _event(uid: str, summary: str, start: dt.datetime, end: dt.datetime, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("status", "CONFIRMED")
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", summary)
    return event


def session_keys(data: ReportData) -> dict[tuple[str, dt.date, str], str]:
    """(class, date, period) -> what the session is, whatever its date: class, block, module and the
    session's number among the class's sessions of that module."""
    programs = {p.id: p for p in data.scenario.programs}
    spec = {c.id: c for c in data.scenario.classes}
    keys = {}
    for cid in sorted({s.class_id for s in data.timetable.sessions}):
        sessions = data.timetable.sessions_of(cid)
        program = programs.get(spec[cid].program) if cid in spec else None
        blocks = program.delivery.blocks if program is not None else 1
        per_block = max(1, len(sessions) // max(1, blocks))
        seen: dict[str, int] = {}
        for k, s in enumerate(sessions):
            seen[s.module_id] = seen.get(s.module_id, 0) + 1
            keys[cid, s.date, s.period] = f"{cid}-b{k // per_block + 1}-{s.module_id}-{seen[s.module_id]}"
    return keys


def visit_keys(data: ReportData) -> dict[tuple[str, str, str, dt.date, str], str]:
    """A visit -> which visit it is: the observed lecturer's n-th visit (in date order)."""
    keys = {}
    by_lecturer: dict[str, int] = {}
    rank = data.timetable.period_rank
    for o in sorted(data.timetable.observations, key=lambda o: (o.lecturer_id, o.date, rank(o.period))):
        by_lecturer[o.lecturer_id] = by_lecturer.get(o.lecturer_id, 0) + 1
        keys[o.lecturer_id, o.observer_id, o.class_id, o.date, o.period] = (
            f"{o.lecturer_id}-{by_lecturer[o.lecturer_id]}"
        )
    return keys


def _uid(data: ReportData, owner: str, what: str) -> str:
    return f"{data.scenario.name}-{owner}-{what}@llct-sched"


def _session_event(
    data: ReportData,
    lab: Labels,
    s: ScheduledSession,
    stamp: dt.datetime,
    uid: str,
    observed_by: str | None = None,
) -> Event:
    start, end = session_times(data, s.date, s.period)
    klass = data.class_name(s.class_id)
    title = lab("ics.session", klass=klass, module=data.module_name(s.class_id, s.module_id))
    if observed_by:
        title = f"{title} ({lab('ics.observed', observer=data.lecturer_name(observed_by), klass=klass)})"
    event = _event(uid, title, start, end, stamp)
    event.add("location", data.room_name(s.room_id))
    lines = [
        f"{lab('col.class')}: {klass} ({s.class_id})",
        f"{lab('col.module')}: {data.module_name(s.class_id, s.module_id)}",
        f"{lab('ics.room')}: {data.room_name(s.room_id)}",
        f"{lab('ics.learners')}: {data.timetable.class_learners.get(s.class_id, '')}",
    ]
    if s.lecturer_id:
        lines.insert(2, f"{lab('ics.lecturer')}: {data.lecturer_name(s.lecturer_id)}")
    event.add("description", "\n".join(lines))
    return event


def _visit_event(data: ReportData, lab: Labels, o: ObservationVisit, stamp: dt.datetime, uid: str) -> Event:
    start, end = session_times(data, o.date, o.period)
    klass = data.class_name(o.class_id)
    title = lab("ics.observe", lecturer=data.lecturer_name(o.lecturer_id), klass=klass)
    event = _event(uid, title, start, end, stamp)
    room = next(
        (
            s.room_id
            for s in data.timetable.sessions
            if (s.class_id, s.date, s.period) == (o.class_id, o.date, o.period)
        ),
        None,
    )
    if room:
        event.add("location", data.room_name(room))
    event.add("categories", [lab("ics.category_observation")])
    event.add(
        "description",
        f"{lab('col.observed')}: {data.lecturer_name(o.lecturer_id)}\n{lab('col.class')}: {klass} ({o.class_id})",
    )
    return event


def lecturer_calendar(data: ReportData, lab: Labels, lecturer_id: str, stamp: dt.datetime) -> Calendar:
    cal = _calendar(lab("ics.lecturer_cal", name=data.lecturer_name(lecturer_id)), lab)
    observed = {
        (o.class_id, o.date, o.period): o.observer_id
        for o in data.timetable.observations
        if o.lecturer_id == lecturer_id
    }
    keys, visits = session_keys(data), visit_keys(data)
    owner = f"lecturer-{lecturer_id}"
    for s in data.sessions_by_lecturer.get(lecturer_id, []):
        slot = (s.class_id, s.date, s.period)
        uid = _uid(data, owner, keys[slot])
        cal.add_component(_session_event(data, lab, s, stamp, uid, observed.get(slot)))
    for o in data.timetable.observations:
        if o.observer_id == lecturer_id:
            uid = _uid(data, owner, "visit-" + visits[o.lecturer_id, o.observer_id, o.class_id, o.date, o.period])
            cal.add_component(_visit_event(data, lab, o, stamp, uid))
    return cal


def room_calendar(data: ReportData, lab: Labels, room_id: str, stamp: dt.datetime) -> Calendar:
    cal = _calendar(lab("ics.room_cal", name=data.room_name(room_id)), lab)
    keys = session_keys(data)
    for s in data.sessions_by_room.get(room_id, []):
        uid = _uid(data, f"room-{room_id}", keys[s.class_id, s.date, s.period])
        cal.add_component(_session_event(data, lab, s, stamp, uid))
    return cal


SIGNATURE = ("DTSTART", "DTEND", "SUMMARY", "LOCATION", "DESCRIPTION", "STATUS")


def _signature(event: Component) -> tuple[str, ...]:
    return tuple(_text(event[key].to_ical()) if key in event else "" for key in SIGNATURE)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _previous_events(path: Path | None) -> dict[str, Component]:
    """The events of a previous calendar by UID (none when it is missing or unreadable)."""
    if path is None or not path.is_file():
        return {}
    try:
        return {str(e["UID"]): e for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT") if "UID" in e}
    except (ValueError, KeyError):
        return {}


def _sequence(event: Component) -> int:
    try:
        return int(event.get("SEQUENCE", 0))
    except (TypeError, ValueError):
        return 0


def update_from(cal: Calendar, previous: dict[str, Component], stamp: dt.datetime) -> Calendar:
    """Number the events against the previous calendar: SEQUENCE kept when unchanged, raised when
    changed; the previous events that are gone come back cancelled (STATUS:CANCELLED)."""
    current = set()
    for event in cal.walk("VEVENT"):
        uid = str(event["UID"])
        current.add(uid)
        before = previous.get(uid)
        sequence = 0 if before is None else _sequence(before) + (_signature(before) != _signature(event))
        event.add("sequence", sequence)
    for uid, before in previous.items():
        if uid in current:
            continue
        if str(before.get("STATUS", "")).upper() == "CANCELLED":
            cal.add_component(before)  # still cancelled: a client that missed the last update learns it now
            continue
        gone = Event()
        for key in ("UID", "DTSTART", "DTEND", "SUMMARY", "LOCATION"):
            if key in before:
                gone.add(key, before[key])
        gone.add("dtstamp", stamp)
        gone.add("status", "CANCELLED")
        gone.add("sequence", _sequence(before) + 1)
        cal.add_component(gone)
    return cal


def write_calendars(folder: Path, data: ReportData, lab: Labels, previous: Path | None = None) -> list[Path]:
    """calendars/lecturer_<id>.ics for every lecturer and calendars/room_<id>.ics for every room
    (calendars of lecturers or rooms the scenario no longer has are removed). With `previous`, the
    folder of the calendars this plan replaces (a re-plan's baseline), events are numbered against
    them and the events that are gone are written cancelled (see the module doc)."""
    folder = Path(folder)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    written = []
    owners: list[tuple[str, Callable[[ReportData, Labels, str, dt.datetime], Calendar], str]]
    owners = [(file_name("lecturer_", lec.id, ".ics"), lecturer_calendar, lec.id) for lec in data.scenario.lecturers]
    owners += [(file_name("room_", room.id, ".ics"), room_calendar, room.id) for room in data.scenario.rooms]
    for name, make, owner_id in owners:
        cal = make(data, lab, owner_id, stamp)
        update_from(cal, _previous_events(previous / name if previous is not None else None), stamp)
        save_bytes_atomic(folder / name, cal.to_ical())
        written.append(folder / name)
    for stale in [*folder.glob("lecturer_*.ics"), *folder.glob("room_*.ics")]:
        if stale not in written:  # a lecturer or room no longer in the scenario: its old calendar goes
            stale.unlink()
    return written
