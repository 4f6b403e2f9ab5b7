"""A throwaway PostgreSQL server for tests: `initdb` into a temporary folder, `pg_ctl start` on a
free local port (fsync off), one fresh database per test, stopped and removed at the end.

Needs the server's binaries (Debian: `apt-get install postgresql`, under /usr/lib/postgresql/*/bin;
.ci/run installs it when missing) and the psycopg driver (the `web` extra). As root, the server
runs as the `postgres` user (PostgreSQL refuses to run as root). `server()` skips the test with the
reason when something is missing.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


def binaries() -> Path | None:
    """The folder of initdb and pg_ctl: on the PATH, else the newest of Debian's."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    versions = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")]
    versions.sort(key=lambda folder: int(folder.parent.name) if folder.parent.name.isdigit() else 0)
    return versions[-1] if versions else None


@dataclass
class Server:
    port: int
    user: str = "llct"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database; its URL (postgresql://...)."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=self.user, dbname="postgres", autocommit=True
        ) as db:
            db.execute(f"CREATE DATABASE {name}")
        return self.url(name)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def server() -> Iterator[Server]:
    """Start a PostgreSQL server for the block, or skip the test saying what is missing."""
    folder = binaries()
    if folder is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("no psycopg driver: pip install 'llct-sched[web]'")
    prefix: list[str] = []
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres user to run PostgreSQL as")
        runuser = shutil.which("runuser") or "/usr/sbin/runuser"
        if not Path(runuser).exists():
            pytest.skip("running as root and there is no runuser to run PostgreSQL as the postgres user")
        prefix = [runuser, "-u", "postgres", "--"]
    home = Path(tempfile.mkdtemp(prefix="llct-pg-"))  # not pytest's tmp_path: the postgres user must enter it
    data = home / "data"
    if owner is not None:
        os.chown(home, owner.pw_uid, owner.pw_gid)
    port = _free_port()

    def run(*command: str) -> None:
        done = subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")

    options = f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -F"
    try:
        run(str(folder / "initdb"), "-D", str(data), "-A", "trust", "-U", "llct", "-E", "UTF8", "--no-locale", "-N")
        log = str(home / "server.log")
        run(str(folder / "pg_ctl"), "-D", str(data), "-l", log, "-w", "-t", "60", "-o", options, "start")
    except (RuntimeError, OSError, subprocess.TimeoutExpired):
        shutil.rmtree(home, ignore_errors=True)
        raise
    try:
        yield Server(port)
    finally:
        with contextlib.suppress(RuntimeError, OSError, subprocess.TimeoutExpired):
            run(str(folder / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(home, ignore_errors=True)
