"""Solving a province set (`llct_sched.province`) by decomposition: one solve per center, on a
process pool or a Dask cluster, the shared lecturers' clashes resolved.

Why not one problem: a merged scenario could keep each center's classes in its own rooms
(`allowed_rooms`), but not each observer to their center (the observers are one list for every
observed lecturer). Solved apart, every center keeps its own rooms, lecturers and observers
exactly; what the centers share is the shared lecturers, one person each across the province.

The resolution: the centers are solved in the index's order, at most `parallel` at once (each
solve as `batch.run_job`: `pipeline.run_solve`, the timetable checked once). A center's solve starts
with the sessions (date and period) in which a shared lecturer already teaches (or observes) in an
accepted center marked as away for that lecturer (`scenario.Absence` with its periods). A finished
timetable is accepted unless one of its shared lecturers' sessions falls in a session of a center
accepted while it was solving; such a center is solved again, from its own timetable (the hint),
with those sessions away too.

The shared plan first: before the centers, the classes a shared lecturer may teach, of every center,
are solved as one scenario (`province.shared_plan`), and each center's shared lecturers' sessions in
that timetable are reserved for it: a center's solve also finds taken the sessions reserved for the
centers not accepted yet. Without it the first centers in the index chose their shared lecturers'
sessions first, and a center solved late could find no workable time left (two of ten centers on
a tight province). A center can always keep its reserved sessions, so it no longer depends on
the order; the others' sessions it cannot use are only those the plan gave them. A center solved
again after a solve that found no timetable starts from its classes as the plan placed them (the
hint: a hard center found no timetable in 30 s without it, one in 11 s with it); its first solve
does not (hinted, a center stays near the plan's placement and pays for it: `_hint`). The plan
runs alone, with LONGER times a center's time limit and the CP-SAT workers of every solve slot. A
center out of time without a timetable (not proven impossible) is solved once more with LONGER times
its time limit before it may choose first.

Sessions given back: a center left without a timetable once the others' sessions were taken, and
never accepted, chooses first, once: it is solved again with only the sessions of the other centers
that chose first taken (they never clash with each other), and when accepted, the accepted centers
whose shared lecturers it now takes are displaced: solved again, from their own timetables, around
it. A displaced center left without a timetable does not choose first in its turn (on a tight
province that cascade cost 74-82 solves instead of 19: benchmarks/studies/2026-12-05-performance-
round-2). A center without a timetable at the end is reported (failed). The loop ends: every
acceptance of a center choosing first (at most one per center) can displace others; otherwise
every resubmission follows an acceptance, as above.

At the end every center's timetable is checked by the independent checker against the center's
scenario with the shared lecturers (without the sessions away added while resolving), and the shared
lecturers' sessions across all centers by `province.shared_clashes`. `resolve=False` solves every
center on its own (all at once) and only reports the clashes: the baseline the resolution improves.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from llct_sched.batch import TIMETABLE_KEY, Job, dask_client, pool_size, run_job
from llct_sched.check import CheckReport, check
from llct_sched.files import file_name, publish_folder, write_csv
from llct_sched.pipeline import objective_by_goal
from llct_sched.province import Clash, Province, shared_clashes, shared_days, shared_plan, shared_sessions
from llct_sched.reports.outputs import write_solution_files
from llct_sched.scenario import Scenario
from llct_sched.scenario.loading import scenario_to_yaml
from llct_sched.solve import SolveParams
from llct_sched.timetable import Timetable

__all__ = [
    "CENTER_COLUMNS",
    "CenterEvent",
    "CenterResult",
    "ProvinceResult",
    "solve_province",
    "write_province_result",
]

Row = dict[str, Any]
CENTER_COLUMNS = [
    "center",
    "scenario",
    "status",
    "objective",
    "solution",
    "bound",
    "gap",
    "solves",
    "check_ok",
    "violations",
    "classes_scheduled",
    "shared_sessions",
    "wall_time_s",
    "message",
]
SHARED_COLUMNS = ["lecturer_id", "center", "n_sessions", "n_days"]


@dataclass(frozen=True)
class CenterEvent:
    """A finished solve of a center: `accepted`, `clash` (solved again), `first` (no timetable with the
    others' sessions taken: solved again choosing first), `longer` (out of time without a timetable:
    solved again with LONGER times the time), `displaced` (an accepted center solved again around a
    center that chose first; `row` is its last solve's) or `failed` (no timetable); before
    them `plan`: the shared lecturers' plan (`center` is its scenario's name, `attempt` its classes)."""

    kind: str
    center: str
    attempt: int
    row: Row


@dataclass
class CenterResult:
    """A center's outcome: its scenario with the shared lecturers, its last solve's row (as
    `batch.run_job` gives it), its timetable if accepted, how many times it was solved, and the
    checker's report on the timetable."""

    center: str
    scenario: Scenario
    row: Row
    timetable: Timetable | None
    solves: int
    report: CheckReport | None

    @property
    def ok(self) -> bool:
        return self.report is not None and self.report.ok

    def summary(self) -> dict[str, Any]:
        """The center's summary.json."""
        row, report = self.row, self.report
        summary: dict[str, Any] = {"center": self.center, "scenario": self.scenario.name}
        for key in ("status", "objective", "bound", "gap", "solution", "first_feasible_s", "wall_time_s", "message"):
            summary[key] = row.get(key)
        summary["solves"] = self.solves
        if report is not None:
            summary["objective"] = report.objective
            summary["check"] = {"ok": report.ok, "violations": len(report.violations), "objective": report.objective}
            summary["objective_by_goal"] = objective_by_goal(self.scenario, _penalties(self.scenario, report))
        return summary


def _penalties(scenario: Scenario, report: CheckReport) -> dict[str, int]:
    """Each goal's raw penalty (the report has weight x penalty)."""
    weights = scenario.weights.model_dump()
    return {goal: value // weights[goal] if weights.get(goal) else 0 for goal, value in report.breakdown.items()}


@dataclass
class ProvinceResult:
    """Every center's outcome, the shared lecturers' clashes left, the solves run and the time."""

    province: Province
    centers: list[CenterResult]
    clashes: list[Clash]
    solves: int
    wall_time_s: float
    resolved: bool = True
    params: SolveParams = field(default_factory=SolveParams)
    plan: dict[str, Any] | None = None  # the shared lecturers' plan: classes, status, sessions reserved, time

    @property
    def ok(self) -> bool:
        """Every center has a timetable the checker accepts and no shared lecturer is in two places."""
        return all(c.ok for c in self.centers) and not self.clashes

    @property
    def objective(self) -> int | None:
        """The sum of the centers' objectives (None unless every center has a timetable)."""
        if any(c.report is None for c in self.centers):
            return None
        return sum(c.report.objective for c in self.centers if c.report is not None)

    def rows(self) -> list[Row]:
        """centers.csv: one row per center."""
        shared = self.province.shared_ids
        rows = []
        for c in self.centers:
            row = {key: c.row.get(key) for key in CENTER_COLUMNS}
            row.update(center=c.center, scenario=c.scenario.name, solves=c.solves)
            row["objective"] = c.report.objective if c.report is not None else None
            row["check_ok"] = c.report.ok if c.report is not None else None
            row["violations"] = len(c.report.violations) if c.report is not None else None
            sessions = c.timetable.sessions if c.timetable is not None else []
            row["shared_sessions"] = sum(1 for s in sessions if s.lecturer_id in shared)
            rows.append(row)
        return rows

    def summary(self) -> dict[str, Any]:
        """The province's summary.json."""
        return {
            "province": self.province.name,
            "title": self.province.title,
            "ok": self.ok,
            "mode": "resolved" if self.resolved else "independent",
            "objective": self.objective,
            "centers": self.rows(),
            "shared_lecturers": sorted(self.province.shared_ids),
            "clashes": [
                {"lecturer": c.lecturer, "date": c.date.isoformat(), "period": c.period, "centers": list(c.centers)}
                for c in self.clashes
            ],
            "solves": self.solves,
            "shared_plan": self.plan,
            "wall_time_s": round(self.wall_time_s, 3),
            "params": {"time_limit": self.params.time_limit, "workers": self.params.workers, "seed": self.params.seed},
        }


# --- where the solves run -----------------------------------------------------------------------


class _Runner(Protocol):
    slots: int

    def submit(self, key: str, job: Job, hint: Row | None) -> None: ...

    def next_done(self) -> tuple[str, Row]: ...


class _Inline:
    """In this process, one solve at a time, each run when its result is asked for: `slots` solves
    are in flight at once as on a pool (a solve does not see the centers accepted after it was
    submitted), deterministically."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._queue: list[tuple[str, Job, Row | None]] = []

    def submit(self, key: str, job: Job, hint: Row | None) -> None:
        self._queue.append((key, job, hint))

    def next_done(self) -> tuple[str, Row]:
        key, job, hint = self._queue.pop(0)
        return key, run_job(job, hint)


class _Pool:
    """A local process pool (spawned: the parent may run threads that fork would copy)."""

    def __init__(self, pool: ProcessPoolExecutor, slots: int) -> None:
        self.slots = slots
        self._pool = pool
        self._running: dict[Future[Row], str] = {}

    def submit(self, key: str, job: Job, hint: Row | None) -> None:
        self._running[self._pool.submit(run_job, job, hint)] = key

    def next_done(self) -> tuple[str, Row]:
        done, _pending = wait(self._running, return_when=FIRST_COMPLETED)
        future = next(iter(done))
        return self._running.pop(future), future.result()


class _Dask:
    """An existing Dask cluster (its workers need llct_sched installed)."""

    def __init__(self, client: Any, slots: int) -> None:
        from dask.distributed import as_completed

        self.slots = slots
        self._client = client
        self._done = as_completed()
        self._keys: dict[str, str] = {}
        self._batch = uuid.uuid4().hex[:8]
        self._submitted = 0  # never reused: Dask answers a known key with that key's old result

    def submit(self, key: str, job: Job, hint: Row | None) -> None:
        self._submitted += 1
        name = f"llct-sched-province-{self._batch}-{self._submitted}-{key}"
        future = self._client.submit(run_job, job, hint, key=name, pure=False)
        self._keys[future.key] = key
        self._done.add(future)

    def next_done(self) -> tuple[str, Row]:
        future = next(self._done)
        return self._keys.pop(future.key), future.result()


@contextmanager
def _runner(
    n_centers: int, params: SolveParams, scheduler: str | None, parallel: int | None, in_process: bool
) -> Iterator[_Runner]:
    """The runner of the solves: in this process, a Dask cluster, or a local process pool (default:
    cores // CP-SAT workers per solve processes)."""
    if in_process:
        yield _Inline(parallel or 1)
    elif scheduler is not None:
        with dask_client(scheduler) as client:
            slots = parallel or max(1, sum(client.nthreads().values()) // max(1, params.workers))
            yield _Dask(client, min(slots, n_centers))
    else:
        slots = parallel or pool_size(n_centers, params.workers)
        with ProcessPoolExecutor(max_workers=slots, mp_context=multiprocessing.get_context("spawn")) as pool:
            yield _Pool(pool, slots)


# --- the resolution -----------------------------------------------------------------------------


def _timetable(row: Row) -> Timetable | None:
    text = row.get(TIMETABLE_KEY)
    return Timetable.from_json(text) if text else None


@dataclass
class _State:
    """The resolution's bookkeeping: accepted timetables in order, the last row of every center, the
    solves run, the centers waiting and those in flight (with the centers accepted when they left)."""

    waiting: list[str]
    plan: dict[str, Any] = field(default_factory=dict)  # see ProvinceResult.plan (empty: no plan)
    accepted: dict[str, Timetable] = field(default_factory=dict)
    rows: dict[str, Row] = field(default_factory=dict)
    solves: Counter[str] = field(default_factory=Counter)
    flying: dict[str, dict[str, Timetable]] = field(default_factory=dict)  # center -> the accepted at its start
    first: list[str] = field(default_factory=list)  # the centers that chose first, in order
    ever_accepted: set[str] = field(default_factory=set)
    reserved: dict[str, dict[str, set[tuple[dt.date, str]]]] = field(default_factory=dict)  # by the shared plan
    hints: dict[str, Row] = field(default_factory=dict)  # a center's classes in the shared plan (see `_hint`)
    longer: set[str] = field(default_factory=set)  # centers solved again with twice the time (LONGER)

    def taken(self, province: Province, center: str) -> dict[str, set[tuple[dt.date, str]]]:
        """The shared lecturers' sessions a center's next solve finds taken: those of every accepted
        center, those the shared plan reserved for the centers not accepted, and those of the last
        timetable of a center solved again meanwhile (it starts from that timetable: without this a
        center solved again lost to whichever center ran beside it, seven times in a row); for a
        center choosing first only those of the other accepted centers that chose first."""
        timetables = list(self.rivals(center, self.accepted).values())
        if center in self.first:
            return shared_sessions(province.shared_ids, timetables)
        again = (_timetable(self.rows[c]) for c in self.flying if c != center and c in self.rows)
        timetables += [t for t in again if t is not None]
        taken = shared_sessions(province.shared_ids, timetables)
        for other, sessions in self.reserved.items():
            if other != center and other not in self.accepted:
                for lecturer, slots in sessions.items():
                    taken.setdefault(lecturer, set()).update(slots)
        return taken

    def rivals(self, center: str, timetables: dict[str, Timetable]) -> dict[str, Timetable]:
        """Of these timetables, those whose shared lecturers' sessions the center must leave alone:
        every one, or for a center choosing first those of the centers that chose first."""
        if center in self.first:
            return {c: t for c, t in timetables.items() if c in self.first and c != center}
        return timetables


def solve_province(
    province: Province,
    params: SolveParams | None = None,
    *,
    scheduler: str | None = None,
    parallel: int | None = None,
    in_process: bool = False,
    resolve: bool = True,
    plan: bool = True,
    on_event: Callable[[CenterEvent], None] | None = None,
) -> ProvinceResult:
    """Solve every center of the province, resolving the shared lecturers' clashes (see the module
    docstring), and check each timetable.

    `params` apply to each center's solve (default: 60 s, one CP-SAT worker); `parallel` solves run at
    once on a local process pool (default: cores // workers), on the Dask cluster at `scheduler`
    (default: its threads // workers), or with `in_process` in this process. Without `resolve`
    the centers are solved apart, all at once, and the clashes only reported; without `plan` the
    shared lecturers' sessions are not planned first (the centers in the index's order choose first).
    """
    params = params or SolveParams(workers=1)
    started = time.perf_counter()
    state = _State(waiting=[c.id for c in province.centers])
    with _runner(len(province.centers), params, scheduler, parallel, in_process) as runner:
        if resolve and plan:
            _plan_shared(province, params, state, runner, on_event)
        _fill(province, params, state, runner, resolve)
        while state.flying:
            center, row = runner.next_done()
            _finished(province, state, center, row, resolve, on_event)
            _fill(province, params, state, runner, resolve)
    centers = [_checked(province, c.id, state) for c in province.centers]
    clashes = shared_clashes(province.shared_ids, state.accepted)
    wall = time.perf_counter() - started
    return ProvinceResult(
        province, centers, clashes, sum(state.solves.values()), wall, resolve, params, state.plan or None
    )


# a center out of time without a timetable is solved once more with LONGER times its time limit; the
# shared plan, run alone before the centers, gets LONGER times the limit as well
LONGER = 2
PLAN_KEY = "#shared-plan"  # the shared plan's key among the runner's solves (no center id starts with #)


def _plan_shared(
    province: Province,
    params: SolveParams,
    state: _State,
    runner: _Runner,
    on_event: Callable[[CenterEvent], None] | None,
) -> None:
    """Plan the shared lecturers' sessions for every center at once (`province.shared_plan`) and
    reserve each center's: the centers' solves then find the sessions reserved for the others taken,
    so that a center solved late still finds its shared lecturers free at a workable time. Without
    a plan (nothing to plan, periods that differ, no timetable) nothing is reserved."""
    plan = shared_plan(province)
    if plan is None:
        return
    # the plan runs alone: the time and the CP-SAT workers of every solve slot
    workers = params.workers * runner.slots
    planning = replace(params, time_limit=LONGER * params.time_limit, workers=workers)
    runner.submit(PLAN_KEY, Job(plan.scenario.name, plan.scenario, planning), None)
    _key, row = runner.next_done()
    timetable = _timetable(row)
    if timetable is not None:
        state.reserved.update(plan.reserved(province.shared_ids, timetable))
        for center in province.centers:  # a center solved again without a timetable starts from these (`_hint`)
            state.hints[center.id] = {TIMETABLE_KEY: plan.center_timetable(center, timetable).to_json()}
    reserved = sum(len(slots) for sessions in state.reserved.values() for slots in sessions.values())
    state.plan.update(
        classes=len(plan.scenario.classes),
        status=row["status"],
        reserved_sessions=reserved,
        wall_time_s=row["wall_time_s"],
    )
    if on_event is not None:
        on_event(CenterEvent("plan", plan.scenario.name, len(plan.scenario.classes), row))


def _fill(province: Province, params: SolveParams, state: _State, runner: _Runner, resolve: bool) -> None:
    """Submit waiting centers while the runner has room, each with the shared lecturers' sessions taken
    (`_State.taken`) marked away, from where `_hint` says."""
    while state.waiting and (len(state.flying) < runner.slots or not resolve):
        center = state.waiting.pop(0)
        taken = state.taken(province, center) if resolve else {}
        more = replace(params, time_limit=LONGER * params.time_limit) if center in state.longer else params
        job = Job(center, province.scenario(center, taken), more)
        runner.submit(center, job, _hint(state, center))
        state.flying[center] = dict(state.accepted)


def _hint(state: _State, center: str) -> Row | None:
    """Where a center's solve starts: its last timetable; without one, after a solve that found none,
    its classes in the shared plan; a first solve from its own greedy calendar.

    Hinted with the plan, a first solve stays near the plan's placement, which knows nothing of the
    center's own lecturers and rooms: ten centers sharing 15 lecturers (30 s a center, 1 worker,
    seeds 0-2) ended at 869 / 833 / 822 with every first solve hinted, 511 / 553 / 716 and 521 / 616
    / 807 (two runs) as here (the centers solved apart, clashes left: 522 / 548 / 662;
    benchmarks/studies/2026-12-06-slot-capacity-province-hint)."""
    last = state.rows.get(center)
    if last and last.get(TIMETABLE_KEY):
        return last
    return state.hints.get(center) if state.solves[center] else None


def _finished(
    province: Province,
    state: _State,
    center: str,
    row: Row,
    resolve: bool,
    on_event: Callable[[CenterEvent], None] | None,
) -> None:
    """Accept a finished center's timetable, or put it back first in line when one of its shared
    lecturers' sessions clashes with a center accepted while it was solving; a center left without
    a timetable by the sessions taken chooses first (once), and its acceptance displaces the others."""
    seen = state.flying.pop(center)
    state.solves[center] += 1
    state.rows[center] = row
    timetable = _timetable(row)
    displaced: list[str] = []
    if timetable is None:
        kind = "failed"
        # only a center never accepted chooses first: one displaced in its turn does not displace others
        chooses = center not in state.first and center not in state.ever_accepted
        if resolve and row.get("status") == "UNKNOWN" and center not in state.longer:
            kind = "longer"  # out of time, not proven impossible: the others' sessions may not be the cause
            state.longer.add(center)
            state.waiting.insert(0, center)
        elif resolve and chooses and any(state.taken(province, center).values()):
            kind = "first"
            state.first.append(center)
            state.waiting.insert(0, center)
    else:
        newer = {c: t for c, t in state.accepted.items() if seen.get(c) is not t}  # accepted (again) meanwhile
        newer = state.rivals(center, newer)
        if resolve and shared_clashes(province.shared_ids, {**newer, center: timetable}):
            kind = "clash"
            state.waiting.insert(0, center)
        else:
            kind = "accepted"
            state.ever_accepted.add(center)
            if center in state.first:
                displaced = _displace(province, state, center, timetable)
            state.accepted[center] = timetable
    if on_event is not None:
        on_event(CenterEvent(kind, center, state.solves[center], row))
        for other in displaced:
            on_event(CenterEvent("displaced", other, state.solves[other], state.rows[other]))


def _displace(province: Province, state: _State, center: str, timetable: Timetable) -> list[str]:
    """Take back the acceptance of the centers (not choosing first) whose shared lecturers' sessions
    clash with a center that chose first; they wait to be solved again, first in line."""
    displaced = [
        other
        for other, accepted in state.accepted.items()
        if other not in state.first and shared_clashes(province.shared_ids, {center: timetable, other: accepted})
    ]
    for other in displaced:
        del state.accepted[other]
    state.waiting[:0] = displaced
    return displaced


def _checked(province: Province, center: str, state: _State) -> CenterResult:
    """A center's outcome, its timetable checked against its scenario with the shared lecturers."""
    scenario = province.scenario(center)
    timetable = state.accepted.get(center)
    report = check(scenario, timetable) if timetable is not None else None
    return CenterResult(center, scenario, state.rows.get(center, {}), timetable, state.solves[center], report)


# --- the result folder --------------------------------------------------------------------------


def _shared_frame(result: ProvinceResult) -> pd.DataFrame:
    shared = result.province.shared_ids
    rows = []
    for c in result.centers:
        if c.timetable is None:
            continue
        sessions = Counter(s.lecturer_id for s in c.timetable.sessions if s.lecturer_id in shared)
        days = shared_days(shared, [c.timetable])
        rows += [
            {"lecturer_id": lid, "center": c.center, "n_sessions": sessions[lid], "n_days": len(days.get(lid, ()))}
            for lid in sorted(shared)
            if lid in days
        ]
    return pd.DataFrame(rows, columns=SHARED_COLUMNS)


def center_folder(center: str) -> str:
    """A center's result folder, relative to the province's."""
    return "centers/" + file_name("", center, "")


def write_province_result(out: Path, result: ProvinceResult, lang: str | None = "vi") -> list[Path]:
    """Replace the folder `out` whole (`files.publish_folder`) by: summary.json, centers.csv,
    shared_lecturers.csv (each shared lecturer's sessions and days per center) and, per center,
    `centers/<id>/` with its scenario.yaml (with the shared lecturers: `llct-sched check` reads it),
    its summary.json and, with a timetable, timetable.json, the CSVs and (with a `lang`) the reports."""
    import json

    names = ["summary.json", "centers.csv", "shared_lecturers.csv"]
    with publish_folder(Path(out)) as staging:
        text = json.dumps(result.summary(), indent=2, ensure_ascii=False, default=str)
        (staging / "summary.json").write_text(text, encoding="utf-8")
        write_csv(staging / "centers.csv", pd.DataFrame(result.rows(), columns=CENTER_COLUMNS))
        write_csv(staging / "shared_lecturers.csv", _shared_frame(result))
        for c in result.centers:
            folder = staging / center_folder(c.center)
            folder.mkdir(parents=True)
            (folder / "scenario.yaml").write_text(scenario_to_yaml(c.scenario), encoding="utf-8")
            write_solution_files(folder, c.scenario, c.timetable, c.summary(), lang=lang, report=c.report)
            names.append(center_folder(c.center))
    return [Path(out) / name for name in names]
