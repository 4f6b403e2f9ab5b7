"""One iCalendar file per lecturer and per room, in the Asia/Ho_Chi_Minh time zone.

A lecturer's calendar holds the sessions they teach, the visits they make as an observer and the
visits they receive (marked on the observed session). A room's calendar holds its sessions.
Session clock hours come from `scenario.calendar.hours`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

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
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", summary)
    return event


def _session_event(
    data: ReportData, lab: Labels, s: ScheduledSession, stamp: dt.datetime, observed_by: str | None = None
) -> Event:
    start, end = session_times(data, s.date, s.period)
    klass = data.class_name(s.class_id)
    title = lab("ics.session", klass=klass, module=data.module_name(s.class_id, s.module_id))
    if observed_by:
        title = f"{title} ({lab('ics.observed', observer=data.lecturer_name(observed_by), klass=klass)})"
    event = _event(f"{data.scenario.name}-{s.class_id}-{s.date:%Y%m%d}-{s.period}@llct-sched", title, start, end, stamp)
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


def _visit_event(data: ReportData, lab: Labels, o: ObservationVisit, stamp: dt.datetime) -> Event:
    start, end = session_times(data, o.date, o.period)
    klass = data.class_name(o.class_id)
    title = lab("ics.observe", lecturer=data.lecturer_name(o.lecturer_id), klass=klass)
    uid = f"{data.scenario.name}-visit-{o.observer_id}-{o.lecturer_id}-{o.date:%Y%m%d}-{o.period}@llct-sched"
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
    event.add("categories", ["dự giờ" if lab.lang == "vi" else "observation"])
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
    for s in data.sessions_by_lecturer.get(lecturer_id, []):
        cal.add_component(_session_event(data, lab, s, stamp, observed.get((s.class_id, s.date, s.period))))
    for o in data.timetable.observations:
        if o.observer_id == lecturer_id:
            cal.add_component(_visit_event(data, lab, o, stamp))
    return cal


def room_calendar(data: ReportData, lab: Labels, room_id: str, stamp: dt.datetime) -> Calendar:
    cal = _calendar(lab("ics.room_cal", name=data.room_name(room_id)), lab)
    for s in data.sessions_by_room.get(room_id, []):
        cal.add_component(_session_event(data, lab, s, stamp))
    return cal


def write_calendars(folder: Path, data: ReportData, lab: Labels) -> list[Path]:
    """calendars/lecturer_<id>.ics for every lecturer and calendars/room_<id>.ics for every room
    (calendars of lecturers or rooms the scenario no longer has are removed)."""
    folder = Path(folder)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    written = []
    for lec in data.scenario.lecturers:
        path = folder / file_name("lecturer_", lec.id, ".ics")
        save_bytes_atomic(path, lecturer_calendar(data, lab, lec.id, stamp).to_ical())
        written.append(path)
    for room in data.scenario.rooms:
        path = folder / file_name("room_", room.id, ".ics")
        save_bytes_atomic(path, room_calendar(data, lab, room.id, stamp).to_ical())
        written.append(path)
    for stale in [*folder.glob("lecturer_*.ics"), *folder.glob("room_*.ics")]:
        if stale not in written:  # a lecturer or room no longer in the scenario: its old calendar goes
            stale.unlink()
    return written
