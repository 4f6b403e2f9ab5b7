"""The timetable: what a solver (or a planner by hand) decided, by scenario ids only.

`timetable.json` is the canonical form; the CSVs (sessions.csv, observations.csv) carry the same
facts and load back too, so a hand-made timetable in a spreadsheet can be checked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from llct_sched.errors import Cell, InputIssue, ScenarioError
from llct_sched.files import unsafe_cell
from llct_sched.i18n import _
from llct_sched.scenario import Period

T = TypeVar("T")


class TimetableModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScheduledSession(TimetableModel):
    """One session (buổi) of one class."""

    class_id: str
    module_id: str
    date: dt.date
    period: str
    room_id: str
    lecturer_id: str | None = None


class ObservationVisit(TimetableModel):
    """An observer attends a session taught by the observed lecturer."""

    lecturer_id: str
    observer_id: str
    class_id: str
    date: dt.date
    period: str


class Timetable(TimetableModel):
    scenario: str
    periods: list[str] = Field(
        default_factory=lambda: [Period.morning.value, Period.afternoon.value],
        description="The calendar's periods in daily order (sessions sort by them).",
    )
    class_learners: dict[str, int] = Field(description="Learners of every scheduled class.")
    sessions: list[ScheduledSession] = Field(default_factory=list)
    observations: list[ObservationVisit] = Field(default_factory=list)

    def sessions_of(self, class_id: str) -> list[ScheduledSession]:
        """The class's sessions in chronological order."""
        rows = [s for s in self.sessions if s.class_id == class_id]
        return sorted(rows, key=lambda s: (s.date, self.period_rank(s.period)))

    def period_rank(self, period: str) -> int:
        """Position of a period in the day (unknown names last)."""
        return self.periods.index(period) if period in self.periods else len(self.periods)

    def sorted(self) -> Timetable:
        """A copy with sessions and visits in a stable order (class, date, period)."""
        sessions = sorted(self.sessions, key=lambda s: (s.class_id, s.date, self.period_rank(s.period)))
        visits = sorted(self.observations, key=lambda o: (o.date, self.period_rank(o.period), o.lecturer_id))
        return self.model_copy(update={"sessions": sessions, "observations": visits})

    def to_json(self) -> str:
        return self.sorted().model_dump_json(indent=2)

    @classmethod
    def from_json(cls, text: str) -> Timetable:
        return cls.model_validate_json(text)


SESSION_CSV_COLUMNS = ["class_id", "module_id", "date", "period", "room_id", "lecturer_id", "learners"]
OBSERVATION_CSV_COLUMNS = ["lecturer_id", "observer_id", "class_id", "date", "period"]


def read_timetable(path: Path) -> Timetable:
    """Read timetable.json, or a directory holding it or sessions.csv (+ observations.csv)."""
    path = Path(path)
    if path.is_dir():
        if (path / "timetable.json").exists():
            return Timetable.from_json((path / "timetable.json").read_text(encoding="utf-8"))
        return _read_csv_dir(path)
    return Timetable.from_json(path.read_text(encoding="utf-8"))


def _read_csv_dir(folder: Path) -> Timetable:
    """sessions.csv (+ observations.csv) as a timetable. Every row is read: a bad cell, or a row
    whose learners differ from the class's first row, is a ScenarioError located by file, row and
    column (every such problem, not only the first)."""
    issues: list[InputIssue] = []
    rows = _csv_rows(folder / "sessions.csv", SESSION_CSV_COLUMNS, issues)
    learners: dict[str, tuple[int, int]] = {}  # class -> (learners, the row that said so first)
    sessions = []
    for line, row in rows:
        where = _CsvCell(folder / "sessions.csv", line, issues)
        count = where.parse("learners", row["learners"], int)
        day = where.parse("date", row["date"], dt.date.fromisoformat)
        first = learners.setdefault(row["class_id"], (count, line)) if count is not None else None
        if first is not None and first[0] != count:
            message = _("{n} learners, but row {row} gives class {klass} {first}")
            where.error("learners", message.format(n=count, row=first[1], klass=row["class_id"], first=first[0]))
        if day is not None:
            sessions.append(
                ScheduledSession(
                    class_id=row["class_id"],
                    module_id=row["module_id"],
                    date=day,
                    period=row["period"],
                    room_id=row["room_id"],
                    lecturer_id=row["lecturer_id"] or None,
                )
            )
    visits = []
    obs_csv = folder / "observations.csv"
    if obs_csv.exists():
        for line, row in _csv_rows(obs_csv, OBSERVATION_CSV_COLUMNS, issues):
            day = _CsvCell(obs_csv, line, issues).parse("date", row["date"], dt.date.fromisoformat)
            if day is not None:
                visits.append(
                    ObservationVisit.model_validate({k: row[k] for k in OBSERVATION_CSV_COLUMNS} | {"date": day})
                )
    if issues:
        raise ScenarioError(issues)
    class_learners = {cid: n for cid, (n, _) in learners.items()}
    return Timetable(scenario=folder.name, class_learners=class_learners, sessions=sessions, observations=visits)


@dataclass
class _CsvCell:
    """Where in a CSV file a value comes from, to locate its problems."""

    file: Path
    line: int
    issues: list[InputIssue]

    def error(self, column: str, message: str) -> None:
        self.issues.append(InputIssue.at(Cell(row=self.line, column=column), message, file=str(self.file)))

    def parse(self, column: str, text: str, convert: Callable[[str], T]) -> T | None:
        try:
            return convert(text.strip())
        except ValueError:
            self.error(column, _("'{text}' is not a valid {column}").format(text=text, column=column))
            return None


def _csv_rows(path: Path, columns: list[str], issues: list[InputIssue]) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV file (numbered as a spreadsheet shows them: the header is row 1), each
    cell as text with the formula-injection quote removed; missing columns are issues."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as error:
        issues.append(
            InputIssue(path="", message=_("cannot be read as CSV: {error}").format(error=error), file=str(path))
        )
        return []
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        message = _("missing columns {columns}").format(columns=", ".join(missing))
        issues.append(InputIssue.at(Cell(row=1), message, file=str(path)))
        return []
    return [
        (line, {c: unsafe_cell(str(row[c])) for c in columns})
        for line, row in enumerate(frame.to_dict("records"), start=2)
    ]
