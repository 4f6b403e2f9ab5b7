"""Plans and their versions in SQLite (standard library): a server restart loses nothing.

A plan is an uploaded (or built-in) scenario. A version is one solve, pin-and-re-solve or re-plan
of it: the scenario it solved, its parameters, its state and progress while it runs, then the
solver's summary, the timetable, the checker's report and what moved against its parent.
Worker processes open their own connection and write progress and outcomes here.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS plans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    created TEXT NOT NULL,
    scenario TEXT NOT NULL,
    warnings TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id INTEGER NOT NULL REFERENCES plans(id),
    parent_id INTEGER REFERENCES versions(id),
    kind TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    started TEXT,
    finished TEXT,
    state TEXT NOT NULL,
    scenario TEXT NOT NULL,
    params TEXT NOT NULL,
    request TEXT NOT NULL DEFAULT '{}',
    progress TEXT NOT NULL DEFAULT '{}',
    summary TEXT,
    timetable TEXT,
    check_report TEXT,
    moved TEXT,
    why TEXT,
    error TEXT,
    pid INTEGER
);
"""

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
ACTIVE_STATES = (QUEUED, RUNNING)


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def sqlite_path(db: str) -> Path:
    """A database option: a file path or a `sqlite:///path` URL."""
    return Path(db.removeprefix("sqlite:///")) if db.startswith("sqlite:///") else Path(db)


@dataclass
class Plan:
    id: int
    name: str
    source: str
    created: str
    scenario: dict[str, Any]
    warnings: list[dict[str, str]]


@dataclass
class Version:
    id: int
    plan_id: int
    parent_id: int | None
    kind: str
    note: str
    created: str
    started: str | None
    finished: str | None
    state: str
    scenario: dict[str, Any]
    params: dict[str, Any]
    request: dict[str, Any]
    progress: dict[str, Any]
    summary: dict[str, Any] | None
    timetable: str | None
    check_report: dict[str, Any] | None
    moved: list[dict[str, str]] | None
    why: list[str] | None
    error: str | None
    pid: int | None

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES


_JSON_FIELDS = ("scenario", "params", "request", "progress", "summary", "check_report", "moved", "why", "warnings")


def _decode(row: sqlite3.Row) -> dict[str, Any]:
    data = dict(row)
    for key in _JSON_FIELDS:
        if key in data and data[key] is not None:
            data[key] = json.loads(data[key])
    return data


def _encode(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


class Store:
    """The database of one server; every call opens a short connection (safe across threads and processes)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)
            columns = {row["name"] for row in db.execute("PRAGMA table_info(versions)")}
            if "started" not in columns:  # a database of an earlier release
                db.execute("ALTER TABLE versions ADD COLUMN started TEXT")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30)
        db.row_factory = sqlite3.Row
        try:
            with db:
                yield db
        finally:
            db.close()

    def add_plan(self, name: str, source: str, scenario: dict[str, Any], warnings: list[dict[str, str]]) -> int:
        with self._connect() as db:
            cur = db.execute(
                "INSERT INTO plans (name, source, created, scenario, warnings) VALUES (?, ?, ?, ?, ?)",
                (name, source, now(), _encode(scenario), _encode(warnings)),
            )
            return int(cur.lastrowid or 0)

    def plans(self) -> list[Plan]:
        with self._connect() as db:
            rows = db.execute("SELECT * FROM plans ORDER BY id DESC").fetchall()
        return [Plan(**_decode(r)) for r in rows]

    def plan(self, plan_id: int) -> Plan | None:
        with self._connect() as db:
            row = db.execute("SELECT * FROM plans WHERE id = ?", (plan_id,)).fetchone()
        return Plan(**_decode(row)) if row else None

    def add_version(
        self,
        plan_id: int,
        kind: str,
        scenario: dict[str, Any],
        params: dict[str, Any],
        parent_id: int | None = None,
        note: str = "",
        request: dict[str, Any] | None = None,
    ) -> int:
        with self._connect() as db:
            cur = db.execute(
                "INSERT INTO versions (plan_id, parent_id, kind, note, created, state, scenario, params, request) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    plan_id,
                    parent_id,
                    kind,
                    note,
                    now(),
                    QUEUED,
                    _encode(scenario),
                    _encode(params),
                    _encode(request or {}),
                ),
            )
            return int(cur.lastrowid or 0)

    def versions(self, plan_id: int) -> list[Version]:
        with self._connect() as db:
            rows = db.execute("SELECT * FROM versions WHERE plan_id = ? ORDER BY id DESC", (plan_id,)).fetchall()
        return [Version(**_decode(r)) for r in rows]

    def version(self, version_id: int) -> Version | None:
        with self._connect() as db:
            row = db.execute("SELECT * FROM versions WHERE id = ?", (version_id,)).fetchone()
        return Version(**_decode(row)) if row else None

    def active_versions(self) -> list[Version]:
        with self._connect() as db:
            rows = db.execute("SELECT * FROM versions WHERE state IN (?, ?) ORDER BY id", ACTIVE_STATES).fetchall()
        return [Version(**_decode(r)) for r in rows]

    def set_running(self, version_id: int, pid: int) -> None:
        self._update(version_id, state=RUNNING, pid=pid, started=now())

    def set_request(self, version_id: int, request: dict[str, Any]) -> None:
        self._update(version_id, request=_encode(request))

    def set_progress(self, version_id: int, progress: dict[str, Any]) -> None:
        self._update(version_id, progress=_encode(progress))

    def set_outcome(self, version_id: int, **fields: Any) -> None:
        """Store the finished solve: summary, timetable (JSON text), check_report, moved, why, scenario."""
        encoded = {k: (v if k == "timetable" or v is None else _encode(v)) for k, v in fields.items()}
        self._update(version_id, state=DONE, finished=now(), **encoded)

    def set_failed(self, version_id: int, error: str) -> None:
        self._update(version_id, state=FAILED, finished=now(), error=error)

    def _update(self, version_id: int, **fields: Any) -> None:
        allowed = {"state", "pid", "progress", "summary", "timetable", "check_report", "moved", "why", "error"}
        allowed |= {"started", "finished", "scenario", "request"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"unknown version fields: {sorted(unknown)}")
        columns = ", ".join(f"{name} = ?" for name in fields)
        with self._connect() as db:
            db.execute(f"UPDATE versions SET {columns} WHERE id = ?", (*fields.values(), version_id))
