"""Outputs people use: timetable.xlsx, the printable annex (.docx), iCalendar files and report.html.

`write_reports(out_dir, scenario, timetable, summary, lang)` writes them all into `out_dir`
(the solve command calls it on its staging directory, so they appear atomically with the rest):

- `timetable.xlsx`: the year by month (the annex), classes, sessions, lecturers (load by month),
  lecturer sessions, rooms, room sessions, observation visits, the plan against its targets, and
  week grids (thời khóa biểu) per lecturer, room and class;
- `ke_hoach_chi_tiet.docx` (in either language): the printable annex, with the header block of
  an administrative plan;
- `calendars/lecturer_<id>.ics`, `calendars/room_<id>.ics`: one calendar per lecturer and per
  room (Asia/Ho_Chi_Minh), observation visits included;
- `timetables/lecturer_<id>.html`: each lecturer's week grids (thời khóa biểu), printable;
- `report.html`: one page with charts, and `plotly.min.js` beside it (shared, works offline).

Beside them in this package: `outputs` (the solve's whole output folder: timetable.json, the CSVs,
summary.json and these reports, published at once) and `explain` (the objective by goal and entity,
from the checker).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from llct_sched.check import CheckReport
from llct_sched.reports.data import ReportData, build
from llct_sched.reports.labels import LANGS, Labels, labels
from llct_sched.scenario import Scenario
from llct_sched.timetable import Timetable

__all__ = [
    "ANNEX",
    "CALENDARS",
    "LANGS",
    "REPORT",
    "TIMETABLES",
    "WORKBOOK",
    "Labels",
    "ReportData",
    "build",
    "labels",
    "write_reports",
]

WORKBOOK = "timetable.xlsx"
REPORT = "report.html"
CALENDARS = "calendars"
TIMETABLES = "timetables"


ANNEX = "ke_hoach_chi_tiet.docx"


def write_reports(
    out_dir: Path,
    scenario: Scenario,
    timetable: Timetable,
    summary: dict[str, Any],
    lang: str = "vi",
    annex_template: Path | None = None,
    previous_calendars: Path | None = None,
    report: CheckReport | None = None,
) -> list[Path]:
    """Write every report into `out_dir`; returns the paths written.

    `annex_template`: a center's own .docx for the annex (see `reports.annex.build_document`);
    `previous_calendars`: the calendars folder of the plan this one replaces (events are numbered
    and cancelled against it); `report`: the checker's report on `timetable` when the caller has it
    (`pipeline.Outcome.check`), else the timetable is checked here.
    """
    from llct_sched.reports.annex import write_annex
    from llct_sched.reports.calendars import write_calendars
    from llct_sched.reports.excel import write_workbook
    from llct_sched.reports.html import write_html
    from llct_sched.reports.weekgrid import write_lecturer_pages

    lab = labels(lang)
    data = build(scenario, timetable, summary, report)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [out_dir / WORKBOOK, out_dir / ANNEX, out_dir / REPORT]
    write_workbook(written[0], data, lab)
    write_annex(written[1], data, lab, annex_template)
    written.extend(write_html(written[2], data, lab)[1:])
    written.extend(write_calendars(out_dir / CALENDARS, data, lab, previous_calendars))
    written.extend(write_lecturer_pages(out_dir / TIMETABLES, data, lab))
    return written
