"""Solves run in worker processes, never in the web process.

`Runner.submit(version_id)` starts a process (at most `max_jobs` at once; the others wait their
turn) that reads the version from the database, runs `pipeline.run_solve` and writes progress
(incumbent, bound, elapsed) and the outcome back. `Runner.cancel` sends the worker SIGINT: the
solver stops and returns the best timetable found so far, which is stored like any other.

The worker speaks the language of the page that asked for the solve (the version's
`request["lang"]`, Vietnamese when missing): the library's messages it stores (violations, why,
the solver's notes, the change log, a failure) are text in that language.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import multiprocessing
import os
import signal
import threading
import time
from typing import Any

from llct_sched import i18n
from llct_sched.i18n import _
from llct_sched.web.store import Store, Version

PROGRESS_EVERY_S = 0.5


class Runner:
    """Starts, limits and cancels the worker processes of one server."""

    def __init__(self, store: Store, max_jobs: int = 2) -> None:
        self.store = store
        self.slots = threading.BoundedSemaphore(max(1, max_jobs))
        self.context = multiprocessing.get_context("spawn")  # no fork of the server's threads
        self.processes: dict[int, Any] = {}
        self.cancelled: set[int] = set()
        self.lock = threading.Lock()

    def submit(self, version_id: int) -> None:
        threading.Thread(target=self._run, args=(version_id,), daemon=True, name=f"solve-{version_id}").start()

    def _run(self, version_id: int) -> None:
        with i18n.speaking(_language(self.store.version(version_id))):
            self._run_in_language(version_id)

    def _run_in_language(self, version_id: int) -> None:
        with self.slots:
            with self.lock:
                if version_id in self.cancelled:  # cancelled while waiting: nothing to keep
                    self.store.set_failed(version_id, _("cancelled before it started"))
                    return
                process = self.context.Process(target=work, args=(self.store.url, version_id), daemon=True)
                try:
                    process.start()
                except (OSError, RuntimeError) as error:
                    self.store.set_failed(version_id, _("cannot start a worker process: {error}").format(error=error))
                    return
                self.processes[version_id] = process
            process.join()
            with self.lock:
                self.processes.pop(version_id, None)
        version = self.store.version(version_id)
        if version is not None and version.active:
            message = _("the worker process ended unexpectedly (exit code {code})").format(code=process.exitcode)
            self.store.set_failed(version_id, message)

    def cancel(self, version_id: int) -> bool:
        """Stop a solve; the best timetable found so far is kept. False when it is not running here."""
        with self.lock:
            self.cancelled.add(version_id)
            process = self.processes.get(version_id)
        if process is None or process.pid is None:
            return False
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGINT)
        return True

    def recover(self) -> None:
        """After a restart: solves that were running belong to no process any more."""
        for version in self.store.active_versions():
            with i18n.speaking(_language(version)):
                self.store.set_failed(version.id, _("the server stopped while this solve was running; solve again"))

    def wait(self, version_id: int, timeout: float = 120.0) -> Version | None:
        """Block until a version is finished (for tests and scripts)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            version = self.store.version(version_id)
            if version is None or not version.active:
                return version
            time.sleep(0.2)
        return self.store.version(version_id)


def _language(version: Version | None) -> str:
    """The language of the page that asked for the version's solve."""
    lang = version.request.get("lang") if version is not None else None
    return lang if lang in i18n.LANGUAGES else "vi"


class _Cancel:
    """SIGINT before the solver has installed its own handler: remembered, the solve is cut short."""

    def __init__(self) -> None:
        self.requested = False

    def __call__(self, *_: object) -> None:
        self.requested = True


def work(db_url: str, version_id: int) -> None:
    """The worker process: solve one version and store what came out."""
    cancel = _Cancel()
    signal.signal(signal.SIGINT, cancel)
    store = Store(db_url, setup=False)
    i18n.set_language(_language(store.version(version_id)))  # this process solves this version only
    store.set_running(version_id, os.getpid())
    try:
        _solve_version(store, version_id, cancel)
    except Exception as error:  # the web page shows it; the server keeps running
        store.set_failed(version_id, f"{type(error).__name__}: {error}")
    finally:
        store.close()


def _solve_version(store: Store, version_id: int, cancel: _Cancel) -> None:
    from llct_sched.io import scenario_from_data
    from llct_sched.pipeline import run_solve
    from llct_sched.replan import Changes
    from llct_sched.solve import Progress, SolveParams
    from llct_sched.timetable import Timetable

    version = store.version(version_id)
    if version is None:
        return
    scenario = scenario_from_data(version.scenario)
    params = SolveParams(**version.params)
    if cancel.requested:
        params.time_limit = 0.5  # cancelled while starting: the first timetable is the best one
    beat = _Heartbeat(store, version_id)

    def report(p: Progress) -> None:
        beat.latest = dataclasses.asdict(p)

    request = version.request
    baseline = None
    if request.get("baseline") is not None:
        parent = store.version(int(request["baseline"]))
        baseline = Timetable.from_json(parent.timetable) if parent and parent.timetable else None
    freeze = dt.date.fromisoformat(request["from"]) if request.get("from") else None
    changes = Changes.model_validate({"changes": request.get("changes", [])})
    with beat:
        outcome = run_solve(
            scenario, params, report, baseline=baseline, changes=changes, freeze_before=freeze, lang=i18n.language()
        )
    if request.get("variant") is not None and version.parent_id is not None and outcome.timetable is not None:
        _price_against_parent(store, version_id, version.parent_id, request, outcome)
    _store_outcome(store, version_id, outcome)


def _price_against_parent(store: Store, version_id: int, parent_id: int, request: dict[str, Any], outcome: Any) -> None:
    """A what-if variant's timetable priced with its parent's weights, once, here in the worker (the
    variants table then only reads it)."""
    from llct_sched.io import scenario_from_data
    from llct_sched.timetable import Timetable
    from llct_sched.web.views import priced

    parent = store.version(parent_id)
    if parent is None:
        return
    base_timetable = Timetable.from_json(parent.timetable) if parent.timetable else None
    facts = priced(scenario_from_data(parent.scenario), base_timetable, outcome.scenario, outcome.timetable)
    store.set_request(version_id, request | {"priced": facts})


class _Heartbeat:
    """Writes the latest progress with the time elapsed, every PROGRESS_EVERY_S, while a solve runs
    (the solver reports only new incumbents; the page shows the clock moving in between)."""

    def __init__(self, store: Store, version_id: int) -> None:
        self.store, self.version_id = store, version_id
        self.latest: dict[str, Any] = {}
        self.started = time.monotonic()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True)

    def _beat(self) -> None:
        while not self.stop.wait(PROGRESS_EVERY_S):
            elapsed = round(time.monotonic() - self.started, 1)
            self.store.set_progress(self.version_id, self.latest | {"elapsed": elapsed})

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join()


def _store_outcome(store: Store, version_id: int, outcome: Any) -> None:
    from llct_sched.io import scenario_to_data

    result, report = outcome.result, outcome.check
    summary = result.summary()
    check_report = None
    if report is not None:
        check_report = {
            "ok": report.ok,
            "objective": report.objective,
            "breakdown": report.breakdown,
            "violations": [{"rule": v.rule, "message": v.message} for v in report.violations],
        }
    store.set_outcome(
        version_id,
        scenario=scenario_to_data(outcome.scenario),
        summary=summary,
        timetable=result.timetable.to_json() if result.timetable is not None else None,
        check_report=check_report,
        moved=[c.row() for c in outcome.moved],
        why=outcome.why,
    )
