"""The web page's store of plans and versions on both of its databases: an SQLite file (the
default) and PostgreSQL (a throwaway server started here; skipped, saying why, without its
binaries). The same tests run on each: plans and versions stored and read back, a restart keeps
them, solves left running are marked failed on restart, an older database gains the columns of
later releases; and a real solve whose worker process writes to PostgreSQL.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from llct_sched.check import check
from llct_sched.cli import app as cli_app
from llct_sched.scenario import Scenario
from llct_sched.scenario.loading import load_scenario, scenario_to_data
from llct_sched.timetable import Timetable
from llct_sched.web.app import create_app
from llct_sched.web.store import Store, database_url, shown_database
from pg_server import Server, server

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="module")
def postgres() -> Iterator[Server]:
    with server() as running:
        yield running


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database of each kind: an SQLite file path, or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "sub" / "plans.db")  # its folder is created too
    postgres: Server = request.getfixturevalue("postgres")
    return postgres.new_database()


SCENARIO = {"name": "Trung tâm chính trị", "note": "tiếng Việt ở đây", "nested": {"list": [1, 2.5, None]}}


def test_plans_and_versions_are_stored_and_read_back(database: str) -> None:
    store = Store(database)
    assert store.backend == ("sqlite" if "://" not in database else "postgresql")
    warning = {"file": "a.xlsx", "path": "Sheet 'classes', row 3", "message": "cảnh báo", "severity": "warning"}
    first = store.add_plan("kế hoạch 1", "a.xlsx", SCENARIO, [warning])
    second = store.add_plan("plan 2", "<builtin tutorial>", {}, [])
    assert second > first
    assert [p.id for p in store.plans()] == [second, first]
    plan = store.plan(first)
    assert plan is not None and plan.name == "kế hoạch 1" and plan.scenario == SCENARIO and plan.warnings == [warning]
    assert store.plan(999) is None

    base = store.add_version(first, "solve", SCENARIO, {"time_limit": 5.0, "seed": 0}, request={"lang": "en"})
    child = store.add_version(first, "pin", SCENARIO, {"seed": 1}, parent_id=base, note="ghim lớp A", request={})
    assert [v.id for v in store.versions(first)] == [child, base] and store.versions(second) == []
    assert [v.id for v in store.active_versions()] == [base, child]
    version = store.version(child)
    assert version is not None and version.parent_id == base and version.note == "ghim lớp A"
    assert version.state == "queued" and version.progress == {} and version.started is None

    store.set_running(base, 4242)
    store.set_progress(base, {"stage": "calendar", "objective": 12.0, "bound": None, "elapsed": 1.5})
    running = store.version(base)
    assert running is not None and running.state == "running" and running.pid == 4242 and running.started
    assert running.progress == {"stage": "calendar", "objective": 12.0, "bound": None, "elapsed": 1.5}
    timetable = json.dumps({"sessions": [], "big": "x" * 200_000})  # a year's timetable is large text
    store.set_outcome(
        base,
        summary={"status": "OPTIMAL", "objective": 3},
        timetable=timetable,
        check_report={"ok": True, "violations": []},
        moved=[{"class_id": "A", "reason": "lý do"}],
        why=None,
    )
    done = store.version(base)
    assert done is not None and done.state == "done" and done.finished and not done.active
    assert done.timetable == timetable and done.summary == {"status": "OPTIMAL", "objective": 3}
    assert done.moved == [{"class_id": "A", "reason": "lý do"}] and done.why is None
    store.set_failed(child, "lỗi: hết giờ")
    failed = store.version(child)
    assert failed is not None and failed.state == "failed" and failed.error == "lỗi: hết giờ"
    assert store.active_versions() == []
    with pytest.raises(ValueError, match="unknown version fields"):
        store._update(child, plan_id=2)
    store.close()


def test_a_restart_keeps_plans_and_versions(database: str) -> None:
    store = Store(database)
    plan_id = store.add_plan("p", "s", SCENARIO, [])
    version_id = store.add_version(plan_id, "solve", SCENARIO, {})
    store.set_running(version_id, 1)
    store.set_outcome(version_id, timetable="{}", summary={"status": "FEASIBLE"})
    store.close()
    again = Store(database)  # a new server on the same database
    version = again.version(version_id)
    assert [p.id for p in again.plans()] == [plan_id]
    assert version is not None and version.state == "done" and version.timetable == "{}"
    assert version.summary == {"status": "FEASIBLE"}
    assert again.add_plan("q", "s", {}, []) > plan_id  # ids go on after the restart
    again.close()


def test_running_versions_are_marked_failed_on_restart(database: str) -> None:
    tutorial = scenario_to_data(load_scenario("tutorial"))
    with TestClient(create_app(database)) as client:
        store: Store = client.app.state.store  # type: ignore[attr-defined]
        plan_id = store.add_plan("tutorial", "<builtin tutorial>", tutorial, [])
        running = store.add_version(plan_id, "solve", tutorial, {})
        store.set_running(running, 99999)
        queued_en = store.add_version(plan_id, "solve", tutorial, {}, request={"lang": "en"})
        finished = store.add_version(plan_id, "solve", tutorial, {})
        store.set_outcome(finished, timetable=None)
    with TestClient(create_app(database)) as restarted:
        store = restarted.app.state.store  # type: ignore[attr-defined]
        left = store.version(running)
        assert left is not None and left.state == "failed" and "máy chủ đã dừng" in (left.error or "")
        left = store.version(queued_en)  # in the language of the page that asked for the solve
        assert left is not None and left.state == "failed" and "server stopped" in (left.error or "")
        kept = store.version(finished)
        assert kept is not None and kept.state == "done" and kept.error is None
        page = restarted.get(f"/plans/{plan_id}")
        assert page.status_code == 200 and f'href="/versions/{running}"' in page.text


def _old_schema(key: str) -> list[str]:
    """The tables of the first release (no `started` column) and a finished version in them;
    `key` is the backend's id column."""
    return [
        f"CREATE TABLE plans (id {key}, name TEXT NOT NULL, source TEXT NOT NULL, created TEXT NOT NULL, "
        "scenario TEXT NOT NULL, warnings TEXT NOT NULL DEFAULT '[]')",
        f"CREATE TABLE versions (id {key}, plan_id INTEGER NOT NULL REFERENCES plans(id), "
        "parent_id INTEGER REFERENCES versions(id), kind TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', "
        "created TEXT NOT NULL, finished TEXT, state TEXT NOT NULL, scenario TEXT NOT NULL, params TEXT NOT NULL, "
        "request TEXT NOT NULL DEFAULT '{}', progress TEXT NOT NULL DEFAULT '{}', summary TEXT, timetable TEXT, "
        "check_report TEXT, moved TEXT, why TEXT, error TEXT, pid INTEGER)",
        "INSERT INTO plans (name, source, created, scenario) VALUES ('old', 'old.yaml', '2025-01-01', '{}')",
        "INSERT INTO versions (plan_id, kind, created, finished, state, scenario, params) "
        "VALUES (1, 'solve', '2025-01-01', '2025-01-01', 'done', '{}', '{}')",
    ]


def test_an_older_database_gains_the_started_column(database: str) -> None:
    engine = sa.create_engine(database_url(database))
    key = "SERIAL PRIMARY KEY" if engine.dialect.name == "postgresql" else "INTEGER PRIMARY KEY AUTOINCREMENT"
    if engine.dialect.name == "sqlite":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    with engine.begin() as db:
        for statement in _old_schema(key):
            db.exec_driver_sql(statement)
    engine.dispose()
    store = Store(database)
    old = store.version(1)
    assert old is not None and old.state == "done" and old.started is None and old.kind == "solve"
    new = store.add_version(1, "solve", {}, {})
    assert new == 2
    store.set_running(new, 7)
    running = store.version(new)
    assert running is not None and running.started is not None
    store.close()


def test_database_options() -> None:
    assert database_url("plans.db") == "sqlite:///plans.db"
    assert database_url("/srv/llct/plans.db") == "sqlite:////srv/llct/plans.db"
    assert database_url("sqlite:///plans.db") == "sqlite:///plans.db"
    assert database_url("postgresql://u:p@db.local:5433/llct") == "postgresql+psycopg://u:p@db.local:5433/llct"
    assert database_url("postgres://u@h/llct") == "postgresql+psycopg://u@h/llct"
    assert database_url("postgresql+psycopg://u@h/llct") == "postgresql+psycopg://u@h/llct"
    with pytest.raises(ValueError, match="mysql"):
        database_url("mysql://u@h/llct")
    shown = shown_database("postgresql://planner:s3cret@db.local/llct")
    assert "s3cret" not in shown and "planner" in shown and "db.local/llct" in shown


def test_serve_refuses_a_database_it_cannot_open() -> None:
    result = CliRunner().invoke(cli_app, ["serve", "--db", "mysql://u@h/llct"])
    assert result.exit_code == 2 and "mysql" in result.output
    # nothing listens on port 1: the message names the database, without its password
    result = CliRunner().invoke(cli_app, ["serve", "--db", "postgresql://planner:s3cret@127.0.0.1:1/llct"])
    assert result.exit_code == 2, result.output
    assert "127.0.0.1:1/llct" in result.output and "s3cret" not in result.output


def test_a_solve_stored_in_postgresql(postgres: Server) -> None:
    """The worker process opens the PostgreSQL store itself: progress and outcome written there."""
    url = postgres.new_database()
    with TestClient(create_app(url)) as client:
        client.get("/")
        csrf = str(client.cookies.get("llct_csrf"))
        response = client.post("/plans", data={"csrf": csrf, "builtin": "tutorial"}, follow_redirects=False)
        plan_id = int(response.headers["location"].rsplit("/", 1)[1])
        form = {"csrf": csrf, "time_limit": "5", "seed": "0"}
        response = client.post(f"/plans/{plan_id}/solve", data=form, follow_redirects=False)
        version_id = int(response.headers["location"].rsplit("/", 1)[1])
        version = client.app.state.runner.wait(version_id, 120)  # type: ignore[attr-defined]
        assert version is not None and version.state == "done", version and version.error
        assert version.pid is not None and version.started and version.timetable is not None
        report = check(Scenario.model_validate(version.scenario), Timetable.from_json(version.timetable))
        assert report.ok, report.violations[:3]
        assert client.get(f"/versions/{version_id}").status_code == 200
        for thread in threading.enumerate():  # the runner's thread sees its worker process end
            if thread.name == f"solve-{version_id}":
                thread.join(30)
    again = Store(url)  # and it is there for the next server
    stored = again.version(version_id)
    assert stored is not None and stored.timetable == version.timetable
    again.close()
