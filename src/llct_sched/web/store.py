"""Plans and their versions in a database: an SQLite file by default, or PostgreSQL given its URL
(SQLAlchemy Core, one schema for both). A server restart loses nothing.

A plan is an uploaded (or built-in) scenario. A version is one solve, pin-and-re-solve or re-plan
of it: the scenario it solved, its parameters, its state and progress while it runs, then the
solver's summary, the timetable, the checker's report and what moved against its parent.
Worker processes open their own connection and write progress and outcomes here.

The database option (`database_url`): a file path or `sqlite:///path` (an SQLite file, created
when missing), or `postgresql://user:password@host:port/dbname` (an existing database: the tables
are created in it; the psycopg driver). JSON fields are stored as text on both.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import NullPool

from llct_sched.i18n import _

metadata = sa.MetaData()

plans_table = sa.Table(
    "plans",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("created", sa.Text, nullable=False),
    sa.Column("scenario", sa.Text, nullable=False),
    sa.Column("warnings", sa.Text, nullable=False, server_default="[]"),
    sqlite_autoincrement=True,
)

versions_table = sa.Table(
    "versions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
    sa.Column("parent_id", sa.Integer, sa.ForeignKey("versions.id")),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("created", sa.Text, nullable=False),
    sa.Column("started", sa.Text),
    sa.Column("finished", sa.Text),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("scenario", sa.Text, nullable=False),
    sa.Column("params", sa.Text, nullable=False),
    sa.Column("request", sa.Text, nullable=False, server_default="{}"),
    sa.Column("progress", sa.Text, nullable=False, server_default="{}"),
    sa.Column("summary", sa.Text),
    sa.Column("timetable", sa.Text),
    sa.Column("check_report", sa.Text),
    sa.Column("moved", sa.Text),
    sa.Column("why", sa.Text),
    sa.Column("error", sa.Text),
    sa.Column("pid", sa.Integer),
    sqlite_autoincrement=True,
)

# columns added after the first release: (name, SQL type), added to an older database when opened
ADDED_COLUMNS = (("started", "TEXT"),)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
ACTIVE_STATES = (QUEUED, RUNNING)


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def database_url(db: str | Path) -> str:
    """The SQLAlchemy URL of a database option: a file path or `sqlite:///path` (SQLite), or
    `postgresql://...` (PostgreSQL through psycopg). ValueError for any other kind of URL."""
    text = str(db)
    scheme, sep, rest = text.partition("://")
    if not sep:
        return f"sqlite:///{text}"
    if scheme == "sqlite":
        return text
    if scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    if scheme.startswith("postgresql+"):
        return text
    message = _("unsupported database URL {scheme}://...: give a file path, sqlite:///path or postgresql://...")
    raise ValueError(message.format(scheme=scheme))


def shown_database(db: str | Path) -> str:
    """A database option as it may be printed: a URL without its password."""
    try:
        return sa.make_url(database_url(db)).render_as_string(hide_password=True)
    except (ValueError, ArgumentError):
        return str(db)


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
_UPDATABLE = {"state", "pid", "progress", "summary", "timetable", "check_report", "moved", "why", "error"} | {
    "started",
    "finished",
    "scenario",
    "request",
}


def _decode(row: Mapping[Any, Any]) -> dict[str, Any]:
    data = dict(row)
    for key in _JSON_FIELDS:
        if key in data and data[key] is not None:
            data[key] = json.loads(data[key])
    return data


def _new_id(result: sa.CursorResult[Any]) -> int:
    """The id of the row an INSERT added (RETURNING on PostgreSQL, the last row id on SQLite)."""
    key = result.inserted_primary_key
    if key is None or key[0] is None:
        raise RuntimeError("the database gave no id for the new row")
    return int(key[0])


def _encode(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


class Store:
    """The database of one server, SQLite or PostgreSQL (see `database_url`).

    `setup` creates the tables when missing and adds the columns of later releases to an older
    database: the server does it once when it starts; its worker processes open the store without.
    SQLite: every call opens a short connection (safe across threads and processes), the file in
    WAL mode. PostgreSQL: a small pool of connections per process.
    """

    def __init__(self, db: str | Path, setup: bool = True) -> None:
        self.url = database_url(db)
        url = sa.make_url(self.url)
        self.backend = url.get_backend_name()
        if self.backend == "sqlite":
            if url.database and url.database != ":memory:":
                Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            self.engine = sa.create_engine(url, poolclass=NullPool, connect_args={"timeout": 30})
        else:
            self.engine = sa.create_engine(url, pool_pre_ping=True, pool_size=4, max_overflow=8)
        if setup:
            self._setup()

    def _setup(self) -> None:
        with self.engine.begin() as db:
            if self.backend == "sqlite":
                db.exec_driver_sql("PRAGMA journal_mode=WAL")
            metadata.create_all(db)
            columns = {column["name"] for column in sa.inspect(db).get_columns("versions")}
            for name, kind in ADDED_COLUMNS:
                if name not in columns:  # a database of an earlier release
                    db.exec_driver_sql(f"ALTER TABLE versions ADD COLUMN {name} {kind}")

    def close(self) -> None:
        """Close the pool's connections (a restarted server in the same process opens its own)."""
        self.engine.dispose()

    @contextmanager
    def _connect(self) -> Iterator[sa.Connection]:
        with self.engine.begin() as db:
            yield db

    def add_plan(self, name: str, source: str, scenario: dict[str, Any], warnings: list[dict[str, str]]) -> int:
        row = {"name": name, "source": source, "created": now()}
        row |= {"scenario": _encode(scenario), "warnings": _encode(warnings)}
        with self._connect() as db:
            result = db.execute(plans_table.insert().values(**row))
            return _new_id(result)

    def plans(self) -> list[Plan]:
        with self._connect() as db:
            rows = db.execute(sa.select(plans_table).order_by(plans_table.c.id.desc())).mappings().all()
        return [Plan(**_decode(r)) for r in rows]

    def plan(self, plan_id: int) -> Plan | None:
        with self._connect() as db:
            row = db.execute(sa.select(plans_table).where(plans_table.c.id == plan_id)).mappings().first()
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
        row = {"plan_id": plan_id, "parent_id": parent_id, "kind": kind, "note": note, "created": now()}
        row |= {"state": QUEUED, "scenario": _encode(scenario), "params": _encode(params)}
        row |= {"request": _encode(request or {})}
        with self._connect() as db:
            result = db.execute(versions_table.insert().values(**row))
            return _new_id(result)

    def versions(self, plan_id: int) -> list[Version]:
        table = versions_table
        query = sa.select(table).where(table.c.plan_id == plan_id).order_by(table.c.id.desc())
        with self._connect() as db:
            rows = db.execute(query).mappings().all()
        return [Version(**_decode(r)) for r in rows]

    def version(self, version_id: int) -> Version | None:
        with self._connect() as db:
            row = db.execute(sa.select(versions_table).where(versions_table.c.id == version_id)).mappings().first()
        return Version(**_decode(row)) if row else None

    def active_versions(self) -> list[Version]:
        query = sa.select(versions_table).where(versions_table.c.state.in_(ACTIVE_STATES)).order_by(versions_table.c.id)
        with self._connect() as db:
            rows = db.execute(query).mappings().all()
        return [Version(**_decode(r)) for r in rows]

    def set_running(self, version_id: int, pid: int | None) -> None:
        """The solve started, in the process `pid` (None: on a Dask cluster)."""
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
        unknown = set(fields) - _UPDATABLE
        if unknown:
            raise ValueError(f"unknown version fields: {sorted(unknown)}")
        with self._connect() as db:
            db.execute(versions_table.update().where(versions_table.c.id == version_id).values(**fields))
