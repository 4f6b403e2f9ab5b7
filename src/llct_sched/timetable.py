"""The timetable: what a solver (or a planner by hand) decided, by scenario ids only.

`timetable.json` is the canonical form; the CSVs (sessions.csv, observations.csv) carry the same
facts and load back too, so a hand-made timetable in a spreadsheet can be checked.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from llct_sched.scenario import Period


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
    sessions_csv = folder / "sessions.csv"
    frame = pd.read_csv(sessions_csv, dtype=str, keep_default_na=False)
    missing = [c for c in SESSION_CSV_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{sessions_csv}: missing columns {', '.join(missing)}")
    learners: dict[str, int] = {}
    sessions = []
    for row in frame.to_dict("records"):
        learners[row["class_id"]] = int(row["learners"])
        sessions.append(
            ScheduledSession(
                class_id=row["class_id"],
                module_id=row["module_id"],
                date=dt.date.fromisoformat(row["date"]),
                period=row["period"],
                room_id=row["room_id"],
                lecturer_id=row["lecturer_id"] or None,
            )
        )
    visits = []
    obs_csv = folder / "observations.csv"
    if obs_csv.exists():
        obs = pd.read_csv(obs_csv, dtype=str, keep_default_na=False)
        for row in obs.to_dict("records"):
            visits.append(ObservationVisit.model_validate({k: row[k] for k in OBSERVATION_CSV_COLUMNS}))
    return Timetable(scenario=folder.name, class_learners=learners, sessions=sessions, observations=visits)
