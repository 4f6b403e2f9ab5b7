"""The solve command's output files: timetable.json, the CSVs and summary.json (one folder, published whole)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from llct_sched.check import CheckReport
from llct_sched.files import publish_folder, write_csv
from llct_sched.scenario import Scenario
from llct_sched.timetable import Timetable

SESSIONS_COLUMNS = [
    "class_id",
    "program",
    "program_id",
    "bloc",
    "module_id",
    "date",
    "period",
    "room_id",
    "room_capacity",
    "learners",
    "lecturer_id",
]
CLASSES_COLUMNS = [
    "class_id",
    "program",
    "program_id",
    "bloc",
    "learners",
    "room_id",
    "start_date",
    "end_date",
    "iso_week_start",
    "n_sessions",
]
OBSERVATIONS_COLUMNS = ["lecturer_id", "observer_id", "class_id", "date", "period"]
LECTURERS_COLUMNS = ["lecturer_id", "kind", "n_sessions", "n_observed"]


def sessions_frame(scenario: Scenario, timetable: Timetable) -> pd.DataFrame:
    classes = {c.id: c for c in scenario.classes}
    programs = {p.id: p for p in scenario.programs}
    seats = {r.id: r.seats for r in scenario.rooms}
    rows = []
    for s in timetable.sorted().sessions:
        spec = classes.get(s.class_id)
        program = programs.get(spec.program) if spec else None
        rows.append(
            {
                "class_id": s.class_id,
                "program": program.type.value if program else "",
                "program_id": program.id if program else "",
                "bloc": spec.bloc.value if spec and spec.bloc else "",
                "module_id": s.module_id,
                "date": s.date.isoformat(),
                "period": s.period,
                "room_id": s.room_id,
                "room_capacity": seats.get(s.room_id, ""),
                "learners": timetable.class_learners.get(s.class_id, ""),
                "lecturer_id": s.lecturer_id or "",
            }
        )
    return pd.DataFrame(rows, columns=SESSIONS_COLUMNS)


def classes_frame(scenario: Scenario, timetable: Timetable) -> pd.DataFrame:
    programs = {p.id: p for p in scenario.programs}
    rows = []
    for spec in scenario.classes:
        sessions = timetable.sessions_of(spec.id)
        if not sessions:
            continue
        room = Counter(s.room_id for s in sessions).most_common(1)[0][0]
        iso = sessions[0].date.isocalendar()
        rows.append(
            {
                "class_id": spec.id,
                "program": programs[spec.program].type.value,
                "program_id": spec.program,
                "bloc": spec.bloc.value if spec.bloc else "",
                "learners": timetable.class_learners.get(spec.id, ""),
                "room_id": room,
                "start_date": sessions[0].date.isoformat(),
                "end_date": sessions[-1].date.isoformat(),
                "iso_week_start": f"{iso[0]}-W{iso[1]:02d}",
                "n_sessions": len(sessions),
            }
        )
    return pd.DataFrame(rows, columns=CLASSES_COLUMNS)


def observations_frame(timetable: Timetable) -> pd.DataFrame:
    rows = [
        {
            "lecturer_id": o.lecturer_id,
            "observer_id": o.observer_id,
            "class_id": o.class_id,
            "date": o.date.isoformat(),
            "period": o.period,
        }
        for o in timetable.sorted().observations
    ]
    return pd.DataFrame(rows, columns=OBSERVATIONS_COLUMNS)


def lecturers_frame(scenario: Scenario, timetable: Timetable) -> pd.DataFrame:
    taught = Counter(s.lecturer_id for s in timetable.sessions if s.lecturer_id)
    observed = Counter(o.lecturer_id for o in timetable.observations)
    rows = [
        {"lecturer_id": lec.id, "kind": lec.kind.value, "n_sessions": taught[lec.id], "n_observed": observed[lec.id]}
        for lec in scenario.lecturers
    ]
    return pd.DataFrame(rows, columns=LECTURERS_COLUMNS)


def write_solution_files(
    folder: Path,
    scenario: Scenario,
    timetable: Timetable | None,
    summary: dict[str, Any],
    lang: str | None = "vi",
    annex_template: Path | None = None,
    previous_calendars: Path | None = None,
    report: CheckReport | None = None,
) -> None:
    """Write the files of one solve into `folder` (a staging directory or the final one).

    With a timetable and a `lang` ("vi" or "en"; None: none), the reports too (llct_sched.reports),
    from the checker's `report` on the timetable when given (else they check it).
    """
    folder = Path(folder)
    (folder / "summary.json").write_text(
        json.dumps(summary, indent=2, ensure_ascii=False, default=str), encoding="utf-8"
    )
    if timetable is None:
        return
    (folder / "timetable.json").write_text(timetable.to_json(), encoding="utf-8")
    frames = {
        "sessions.csv": sessions_frame(scenario, timetable),
        "classes.csv": classes_frame(scenario, timetable),
        "observations.csv": observations_frame(timetable),
        "lecturers.csv": lecturers_frame(scenario, timetable),
    }
    for name, frame in frames.items():
        write_csv(folder / name, frame)
    if lang is not None:
        from llct_sched.reports import write_reports

        write_reports(
            folder,
            scenario,
            timetable,
            summary,
            lang=lang,
            annex_template=annex_template,
            previous_calendars=previous_calendars,
            report=report,
        )


def write_outputs(
    out: Path,
    scenario: Scenario,
    timetable: Timetable | None,
    summary: dict[str, Any],
    lang: str | None = "vi",
    extra: dict[str, pd.DataFrame] | None = None,
    annex_template: Path | None = None,
    previous_calendars: Path | None = None,
    report: CheckReport | None = None,
) -> None:
    """Replace the folder `out` as a whole by this result's files (llct_sched.files.publish_folder):
    on failure or interrupt `out` keeps its previous content, byte for byte, and no file of an
    earlier result stays beside the new ones.

    `extra` adds CSV files (name -> table), such as a re-plan's changes.csv; `previous_calendars`
    the calendars folder of the plan this one replaces (see `reports.calendars`); `report` the
    checker's report on `timetable`, for the reports (see `write_solution_files`).
    """
    with publish_folder(Path(out)) as staging:
        write_solution_files(
            staging,
            scenario,
            timetable,
            summary,
            lang=lang,
            annex_template=annex_template,
            previous_calendars=previous_calendars,
            report=report,
        )
        for name, frame in (extra or {}).items():
            write_csv(staging / name, frame)
