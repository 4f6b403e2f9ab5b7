"""Solves run in worker processes, never in the web process: the local pool, or a Dask cluster.

Local pool (the default): `Runner.submit(version_id)` starts a process (at most `max_jobs` at once;
the others wait their turn) that reads the version from the database, runs `pipeline.run_solve`
and writes progress (incumbent, bound, elapsed) and the outcome back. `Runner.cancel` sends the
worker SIGINT: the solver stops and returns the best timetable found so far, which is stored like
any other.

Dask cluster (`Runner(scheduler="tcp://host:port")`): the web process reads the version and sends
it, as plain data, to the cluster (`solve_on_cluster`, connected through `batch.dask_client` like
the variants' batch runs; the workers need llct_sched installed, not the database). The cluster
queues the solves. Each reports its start and every new incumbent and bound as Dask events, which
the web process writes to the database with the time elapsed since the start, and the outcome
comes back as plain data, stored by the web process. A running solve on a cluster cannot be
interrupted (the solver takes Ctrl-C in its process's main thread only; a Dask task runs in a
worker thread): Cancel stops waiting and cancels the task, and the version keeps no timetable
(the page says so beside the button).

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
import uuid
from collections.abc import Callable
from typing import Any

from llct_sched import i18n
from llct_sched.i18n import _
from llct_sched.web.store import QUEUED, Store, Version

PROGRESS_EVERY_S = 0.5
PROGRESS_TOPIC = "llct-sched-web-progress"  # the Dask events of solves on a cluster


class Runner:
    """Starts, limits and cancels the solves of one server: worker processes, or tasks on the Dask
    cluster at `scheduler`."""

    def __init__(self, store: Store, max_jobs: int = 2, scheduler: str | None = None) -> None:
        self.store = store
        self.scheduler = scheduler
        self.slots = threading.BoundedSemaphore(max(1, max_jobs))
        self.context = multiprocessing.get_context("spawn")  # no fork of the server's threads
        self.processes: dict[int, Any] = {}
        self.futures: dict[int, Any] = {}  # version -> its Dask future
        self.remote: dict[str, dict[str, Any]] = {}  # a watched Dask task's key -> its latest progress
        self.watched: set[str] = set()
        self.client: Any = None
        self.cancelled: set[int] = set()
        self.lock = threading.Lock()
        self.connecting = threading.Lock()

    def submit(self, version_id: int) -> None:
        threading.Thread(target=self._run, args=(version_id,), daemon=True, name=f"solve-{version_id}").start()

    def _run(self, version_id: int) -> None:
        with i18n.speaking(_language(self.store.version(version_id))):
            if self.scheduler is not None:
                self._run_on_cluster(version_id, self.scheduler)
            else:
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

    def _cluster(self, address: str) -> Any:
        """The client of the Dask cluster, connected once, subscribed to the solves' progress."""
        with self.connecting:
            if self.client is None:
                from llct_sched.batch import dask_client

                client = dask_client(address)
                client.subscribe_topic(PROGRESS_TOPIC, self._on_progress)
                self.client = client
            return self.client

    def _on_progress(self, event: tuple[float, dict[str, Any]]) -> None:
        _when, message = event
        key = message.pop("key", None)
        if key in self.watched:
            self.remote[key] = message

    def _run_on_cluster(self, version_id: int, address: str) -> None:
        version = self.store.version(version_id)
        if version is None:
            return
        self.store.set_request(version_id, version.request | {"cluster": True})
        try:
            client = self._cluster(address)
        except Exception as error:  # no scheduler there, a bad address: the page shows it
            message = _("cannot reach the Dask scheduler at {address}: {error}")
            self.store.set_failed(version_id, message.format(address=address, error=error))
            return
        key = f"llct-sched-web-v{version_id}-{uuid.uuid4().hex[:8]}"
        with self.lock:
            if version_id in self.cancelled:
                self.store.set_failed(version_id, _("cancelled before it started"))
                return
            self.watched.add(key)
            future = client.submit(solve_on_cluster, job_data(self.store, version), key, key=key, pure=False)
            self.futures[version_id] = future
        try:
            outcome = self._follow(version_id, key, future)
        except Exception as error:  # the task failed on the cluster: the page shows it
            self.store.set_failed(version_id, f"{type(error).__name__}: {error}")
            return
        finally:
            with self.lock:
                self.futures.pop(version_id, None)
                self.watched.discard(key)
            self.remote.pop(key, None)
        if outcome is None:
            now = self.store.version(version_id)
            if now is not None and now.state == QUEUED:  # still waiting for a worker of the cluster
                message = _("cancelled before it started")
            else:
                message = _("cancelled: a solve on a Dask cluster cannot be stopped midway, so it keeps no timetable")
            self.store.set_failed(version_id, message)
        else:
            store_outcome(self.store, version_id, outcome)

    def _follow(self, version_id: int, key: str, future: Any) -> dict[str, Any] | None:
        """Wait for a task, writing its progress; its outcome, or None when cancelled."""
        started: float | None = None
        while not future.done():
            time.sleep(PROGRESS_EVERY_S)
            if version_id in self.cancelled:
                future.cancel()
                return None
            latest = self.remote.get(key)
            if latest is not None:  # the task started on a worker: running from now on
                if started is None:
                    started = time.monotonic()
                    self.store.set_running(version_id, None)
                progress = {k: v for k, v in latest.items() if k != "started"}
                self.store.set_progress(version_id, progress | {"elapsed": round(time.monotonic() - started, 1)})
        if started is None:  # done before its start was seen
            self.store.set_running(version_id, None)
        outcome: dict[str, Any] = future.result()
        return outcome

    def cancel(self, version_id: int) -> bool:
        """Stop a solve; the best timetable found so far is kept (not on a Dask cluster: see the
        module). False when it is not running here."""
        with self.lock:
            self.cancelled.add(version_id)
            if version_id in self.futures:
                return True
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

    def close(self) -> None:
        """Disconnect from the Dask cluster (its running solves go on there, unwatched)."""
        with self.connecting:
            if self.client is not None:
                self.client.close()
                self.client = None


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
    version = store.version(version_id)
    i18n.set_language(_language(version))  # this process solves this version only
    store.set_running(version_id, os.getpid())
    try:
        if version is None:
            return
        beat = _Heartbeat(store, version_id)

        def report(progress: dict[str, Any]) -> None:
            beat.latest = progress

        with beat:
            outcome = solve_job(job_data(store, version), report, cancel)
        store_outcome(store, version_id, outcome)
    except Exception as error:  # the web page shows it; the server keeps running
        store.set_failed(version_id, f"{type(error).__name__}: {error}")
    finally:
        store.close()


def job_data(store: Store, version: Version) -> dict[str, Any]:
    """A version's solve as plain data: its scenario, parameters and request, the timetable it
    re-plans (`baseline`, JSON text) and, for a what-if variant, its parent's scenario and timetable."""
    request = version.request
    baseline = None
    if request.get("baseline") is not None:
        parent = store.version(int(request["baseline"]))
        baseline = parent.timetable if parent is not None else None
    parent_data = None
    if request.get("variant") is not None and version.parent_id is not None:
        parent = store.version(version.parent_id)
        if parent is not None:
            parent_data = {"scenario": parent.scenario, "timetable": parent.timetable}
    return {
        "scenario": version.scenario,
        "params": version.params,
        "request": request,
        "baseline": baseline,
        "parent": parent_data,
    }


def solve_job(
    data: dict[str, Any], report: Callable[[dict[str, Any]], None] | None = None, cancel: _Cancel | None = None
) -> dict[str, Any]:
    """Solve one version given by `job_data` and return what to store, as plain data: the solved
    scenario, the summary, the timetable (JSON text), the check report, the moved classes, why
    (when infeasible) and, for a variant, its timetable priced with its parent's weights."""
    from llct_sched.pipeline import run_solve
    from llct_sched.scenario.loading import scenario_from_data, scenario_to_data
    from llct_sched.solve import Progress, SolveParams
    from llct_sched.solve.replan import Changes
    from llct_sched.timetable import Timetable

    scenario = scenario_from_data(data["scenario"])
    params = SolveParams(**data["params"])
    if cancel is not None and cancel.requested:
        params.time_limit = 0.5  # cancelled while starting: the first timetable is the best one

    def progress(p: Progress) -> None:
        if report is not None:
            report(dataclasses.asdict(p))

    request = data["request"]
    baseline = Timetable.from_json(data["baseline"]) if data.get("baseline") else None
    freeze = dt.date.fromisoformat(request["from"]) if request.get("from") else None
    changes = Changes.model_validate({"changes": request.get("changes", [])})
    outcome = run_solve(
        scenario, params, progress, baseline=baseline, changes=changes, freeze_before=freeze, lang=i18n.language()
    )
    priced = None
    if data.get("parent") is not None and outcome.timetable is not None:
        # a what-if variant's timetable priced with its parent's weights, once, here in the worker
        # (the variants table then only reads it)
        from llct_sched.web.views import priced as price

        parent = data["parent"]
        base_timetable = Timetable.from_json(parent["timetable"]) if parent["timetable"] else None
        priced = price(scenario_from_data(parent["scenario"]), base_timetable, outcome.scenario, outcome.timetable)
    result, report_ = outcome.result, outcome.check
    check_report = None
    if report_ is not None:
        check_report = {
            "ok": report_.ok,
            "objective": report_.objective,
            "breakdown": report_.breakdown,
            "violations": [{"rule": v.rule, "message": v.message} for v in report_.violations],
        }
    return {
        "scenario": scenario_to_data(outcome.scenario),
        "summary": outcome.summary(),
        "timetable": result.timetable.to_json() if result.timetable is not None else None,
        "check_report": check_report,
        "moved": [c.row() for c in outcome.moved],
        "why": outcome.why,
        "priced": priced,
    }


def store_outcome(store: Store, version_id: int, outcome: dict[str, Any]) -> None:
    """Store what `solve_job` returned."""
    fields = dict(outcome)
    priced = fields.pop("priced", None)
    if priced is not None:
        version = store.version(version_id)
        store.set_request(version_id, (version.request if version else {}) | {"priced": priced})
    store.set_outcome(version_id, **fields)


def solve_on_cluster(data: dict[str, Any], key: str) -> dict[str, Any]:
    """A Dask task: `solve_job` on a worker of the cluster, in the language of the page that asked,
    its start and progress sent as events of `PROGRESS_TOPIC`."""
    from distributed import get_worker

    worker = get_worker()
    lang = data["request"].get("lang")

    def report(progress: dict[str, Any]) -> None:
        worker.log_event(PROGRESS_TOPIC, {"key": key, **progress})

    report({"started": True})
    with i18n.speaking(lang if lang in i18n.LANGUAGES else "vi"):
        return solve_job(data, report)


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
