"""Labels of every report in Vietnamese (the default, with full diacritics) and English.

`labels(lang)` gives the look-up of one language; keys are stable identifiers used by the report
writers. Enum values (program types, blocs, periods, kinds, goals) are looked up under "<enum>.<value>".
The words are in the gettext catalog (`llct_sched.i18n`): each key is its message's context, the
English text its msgid, so that one English word may have two Vietnamese ones.
"""

from __future__ import annotations

import datetime as dt

from llct_sched.goals import GOALS
from llct_sched.i18n import NP_, keyed, translation

LANGS = ("vi", "en")

# key -> (context, English); the Vietnamese is in locale/vi/LC_MESSAGES/llct_sched.po
LABELS: dict[str, tuple[str, str]] = keyed(
    # program types, blocs, periods, kinds
    NP_("program_type.trung_cap", "Intermediate political theory (TC LLCT-HC)"),
    NP_("program_type.so_cap", "Elementary political theory (SC LLCT)"),
    NP_("program_type.boi_duong", "Refresher (bồi dưỡng)"),
    NP_("bloc.dang", "Party bloc"),
    NP_("bloc.chinh_quyen", "Government bloc"),
    NP_("bloc.doan_the", "Mass organisations bloc"),
    NP_("period.morning", "Morning"),
    NP_("period.afternoon", "Afternoon"),
    NP_("lecturer_kind.full_time", "Full-time lecturer"),
    NP_("lecturer_kind.part_time", "Part-time lecturer"),
    NP_("lecturer_kind.external", "External lecturer"),
    NP_("room_kind.hall", "Hall"),
    NP_("room_kind.classroom", "Classroom"),
    NP_("room_kind.borrowed", "Borrowed hall"),
    NP_("taught_by.external", "Taught by the provincial political school"),
    # goals of the objective (their labels live in the registry of goals)
    *(goal.label for goal in GOALS),
    # common words
    NP_("month", "Month"),
    NP_("month_n", "Month {n}"),
    NP_("total", "Total"),
    NP_("yes", "Yes"),
    NP_("no", "No"),
    NP_("no_class_this_month", "No class"),
    NP_("month_heading", "Month {n}: {classes} classes, {learners} learners"),
    # columns
    NP_("col.audience", "Audience"),
    NP_("col.note", "Note"),
    NP_("note.months", "Meets from month {first} to month {last}, {days} days"),
    NP_("note.continued", "Continued (started {date})"),
    NP_("footer.page", "Page &P / &N"),
    NP_("target.inconsistent_classes", "The target says {target} classes but the class list has {planned}"),
    NP_("target.inconsistent_learners", "The target says {target} learners but the class list has {planned}"),
    NP_("status.OPTIMAL", "Optimal"),
    NP_("status.FEASIBLE", "Feasible (not proven optimal)"),
    NP_("status.INFEASIBLE", "Infeasible"),
    NP_("status.UNKNOWN", "No timetable found"),
    NP_("status.MODEL_INVALID", "Invalid model"),
    NP_("col.no", "No."),
    NP_("col.class", "Class"),
    NP_("col.class_id", "Class id"),
    NP_("col.program", "Program"),
    NP_("col.program_type", "Type"),
    NP_("col.bloc", "Bloc"),
    NP_("col.learners", "Learners"),
    NP_("col.start", "Start"),
    NP_("col.end", "End"),
    NP_("col.dates", "Dates"),
    NP_("col.days", "Days"),
    NP_("col.sessions", "Sessions"),
    NP_("col.room", "Room"),
    NP_("col.rooms", "Rooms"),
    NP_("col.lecturers", "Lecturers"),
    NP_("col.lecturer", "Lecturer"),
    NP_("col.lecturer_id", "Lecturer id"),
    NP_("col.kind", "Kind"),
    NP_("col.date", "Date"),
    NP_("col.weekday", "Weekday"),
    NP_("col.period", "Session"),
    NP_("col.module", "Module"),
    NP_("col.seats", "Seats"),
    NP_("col.observer", "Observer"),
    NP_("col.observed", "Observed lecturer"),
    NP_("col.visits", "Visits"),
    NP_("col.required", "Required"),
    NP_("col.covered", "Covered"),
    NP_("col.norm", "Norm (sessions/year)"),
    NP_("col.norm_max", "Norm band upper edge (sessions/year)"),
    NP_("col.min_sessions", "Minimum (sessions/year)"),
    NP_("col.specialist_topics", "Specialist topics"),
    NP_("col.specialist_sessions", "Sessions in their specialist topics"),
    NP_("col.innovation", "Innovation report"),
    NP_("col.target", "Target"),
    NP_("col.planned", "Planned (class list)"),
    NP_("col.scheduled", "Scheduled"),
    NP_("col.difference", "Difference"),
    NP_("col.target_classes", "Target: classes"),
    NP_("col.planned_classes", "Class list: classes"),
    NP_("col.scheduled_classes", "Scheduled: classes"),
    NP_("col.target_learners", "Target: learners"),
    NP_("col.planned_learners", "Class list: learners"),
    NP_("col.scheduled_learners", "Scheduled: learners"),
    NP_("col.item", "Item"),
    NP_("col.value", "Value"),
    NP_("col.goal", "Soft goal"),
    NP_("col.weight", "Weight"),
    NP_("col.penalty", "Penalty"),
    NP_("col.cost", "Cost"),
    NP_("col.used_sessions", "Sessions used"),
    NP_("col.open_sessions", "Sessions open"),
    NP_("col.occupancy", "Occupancy"),
    NP_("col.message", "Message"),
    NP_("col.where", "Where"),
    NP_("col.blocks", "Meeting periods"),
    NP_("col.result", "Result"),
    NP_("col.with_report", "With a report"),
    # sheets (at most 31 characters)
    NP_("sheet.plan", "Detailed plan"),
    NP_("sheet.classes", "Classes"),
    NP_("sheet.sessions", "Sessions"),
    NP_("sheet.lecturers", "Lecturers"),
    NP_("sheet.lecturer_sessions", "Lecturer sessions"),
    NP_("sheet.rooms", "Rooms"),
    NP_("sheet.room_sessions", "Room sessions"),
    NP_("sheet.observations", "Observations"),
    NP_("sheet.targets", "Plan vs targets"),
    NP_("sheet.grid_lecturers", "Week grid by lecturer"),
    NP_("sheet.grid_rooms", "Week grid by room"),
    NP_("sheet.grid_classes", "Week grid by class"),
    NP_("grid.week", "Week {n} ({first} – {last})"),
    NP_("grid.title_lecturer", "Timetable of lecturer {name}"),
    NP_("grid.title_room", "Timetable of room {name}"),
    NP_("grid.title_class", "Timetable of class {name}"),
    NP_("grid.observe", "Observe {lecturer}: {klass}"),
    NP_("grid.nothing", "No session or observation visit this year."),
    # titles
    NP_("title.annex", "DETAILED TRAINING PLAN OF THE CLASSES, {year}"),
    NP_("title.annex_sub", "(Annex to plan {plan} of {date})"),
    NP_("title.annex_sub_plain", "(Annex to the political theory education plan for {year})"),
    NP_("title.classes_targets", "Classes and learners against the targets"),
    NP_("title.observation", "Lesson observation"),
    NP_("title.quality", "Quality targets"),
    NP_("title.inconsistencies", "Inconsistencies in the plan"),
    NP_("title.no_inconsistency", "No inconsistency."),
    NP_("title.report", "Timetable report {year}"),
    NP_("title.solver", "Solver result"),
    NP_("title.gantt", "Classes over the year (room at the end of each row)"),
    NP_("title.load", "Sessions taught by lecturer and month"),
    NP_("title.occupancy", "Room occupancy by month (%)"),
    NP_("title.coverage", "Observation visits received by lecturer"),
    NP_("title.breakdown", "Objective by soft goal"),
    NP_("title.hard_rules", "Independent check"),
    # targets sheet rows
    NP_("target.observation_all", "Every lecturer observed at least {n} time(s)"),
    NP_("target.observed_lecturers", "Lecturers observed enough"),
    NP_("target.innovation_full_time", "{share}% of full-time lecturers with an innovation report"),
    NP_("target.innovation_part_time", "{share}% of part-time lecturers with an innovation report"),
    NP_("target.met", "Met"),
    NP_("target.not_met", "Not met"),
    NP_("target.all_classes", "All classes"),
    # solver
    NP_("solver.status", "Status"),
    NP_("solver.objective", "Objective"),
    NP_("solver.bound", "Bound"),
    NP_("solver.gap", "Gap"),
    NP_("solver.first_feasible", "First feasible (s)"),
    NP_("solver.wall_time", "Wall time (s)"),
    NP_("solver.check_ok", "Every hard rule holds"),
    NP_("solver.check_failed", "{n} hard-rule violation(s)"),
    NP_("solver.scenario", "Scenario"),
    NP_("solver.classes", "Classes scheduled"),
    NP_("solver.sessions", "Sessions"),
    NP_("solver.observations", "Observation visits"),
    # annex header
    NP_("annex.place_date", "{place}, {day:02d}/{month:02d}/{year}"),
    NP_("annex.signature", "DIRECTOR"),
    NP_("annex.appendix", "APPENDIX"),
    NP_("annex.page", "Page {page} / {pages}"),
    NP_("annex.total_row", "Total: {classes} classes, {learners} learners"),
    # calendar
    NP_("ics.observe", "Observe {lecturer}: {klass}"),
    NP_("ics.observed", "Observed by {observer}: {klass}"),
    NP_("ics.lecturer_cal", "Teaching — {name}"),
    NP_("ics.room_cal", "Room — {name}"),
    NP_("ics.lecturer", "Lecturer"),
    NP_("ics.room", "Room"),
    NP_("ics.learners", "Learners"),
    # html
    NP_("html.axis_month", "Month"),
    NP_("html.axis_sessions", "Sessions"),
    NP_("html.axis_visits", "Visits"),
    NP_("html.axis_cost", "Cost"),
    NP_("html.required", "Required"),
    NP_("html.received", "Received"),
    NP_("html.shaded", "Grey: holidays, Tết, closures; pink: gathering limits."),
    NP_("html.closed", "No class"),
    NP_("html.gathering_limit", "Gathering limit"),
    # weekdays, and the kinds of a lecturer's items
    NP_("weekday.monday", "Monday"),
    NP_("weekday.tuesday", "Tuesday"),
    NP_("weekday.wednesday", "Wednesday"),
    NP_("weekday.thursday", "Thursday"),
    NP_("weekday.friday", "Friday"),
    NP_("weekday.saturday", "Saturday"),
    NP_("weekday.sunday", "Sunday"),
    NP_("item.teaching", "Teaching"),
    NP_("item.observation", "Observation"),
    NP_("ics.category_observation", "observation"),
)

# the same in both languages: dashes, the header block of a Vietnamese administrative paper
SAME: dict[str, str] = {
    "bloc.none": "—",
    "none": "—",
    "status.none": "—",
    "ics.session": "{klass} — {module}",
    "annex.left_top": "THỊ ỦY HOÀNG MAI",
    "annex.left_bottom": "TRUNG TÂM CHÍNH TRỊ",
    "annex.right_top": "ĐẢNG CỘNG SẢN VIỆT NAM",
}

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Labels:
    """The labels of one language, with date formatting (dd/mm/yyyy in Vietnamese, ISO in English)."""

    def __init__(self, lang: str = "vi"):
        if lang not in LANGS:
            raise ValueError(f"unknown language '{lang}' (have: {', '.join(LANGS)})")
        self.lang = lang
        self._catalog = translation(lang)

    def text(self, key: str) -> str | None:
        """The label of `key` in this language, None for an unknown key."""
        if key in SAME:
            return SAME[key]
        found = LABELS.get(key)
        return None if found is None else self._catalog.pgettext(*found)

    def __call__(self, key: str, **fields: object) -> str:
        text = self.text(key)
        if text is None:
            text = key
        return text.format(**fields) if fields else text

    def enum(self, kind: str, value: object) -> str:
        raw = getattr(value, "value", value)
        if raw is None or raw == "":
            return self.text(f"{kind}.none") or ""
        found = self.text(f"{kind}.{raw}")
        return str(raw) if found is None else found

    def date(self, day: dt.date) -> str:
        return day.strftime("%d/%m/%Y") if self.lang == "vi" else day.isoformat()

    @property
    def date_format(self) -> str:
        """The Excel number format of date cells."""
        return "dd/mm/yyyy" if self.lang == "vi" else "yyyy-mm-dd"

    def short_date(self, day: dt.date) -> str:
        """dd/mm in Vietnamese, MM-DD in English (the year is the plan's)."""
        return day.strftime("%d/%m") if self.lang == "vi" else day.strftime("%m-%d")

    def weekday(self, day: dt.date) -> str:
        return self(f"weekday.{_WEEKDAYS[day.weekday()]}")

    def month(self, n: int) -> str:
        return self("month_n", n=n)

    def date_range(self, first: dt.date, last: dt.date) -> str:
        if first == last:
            return self.date(first)
        return f"{self.date(first)} – {self.date(last)}"


def labels(lang: str = "vi") -> Labels:
    return Labels(lang)
