"""Batch runs: many (scenario, solver parameters) jobs on a local process pool or a Dask cluster.

A job is a `Job` (a label, a seed, a validated scenario and `SolveParams`); `run_job` solves it in
the worker through `pipeline.run_solve` (the timetable checked independently, once) and returns a
plain dict row (picklable, the timetable as JSON text), so the same function runs under `concurrent.futures` and under
`dask.distributed`. A job may start from another job's timetable (`Job.hint_from`): it runs when
that one is done. `compare` solves a base scenario and then its variants, each from the base's
timetable with the same seed (so a variant that only relaxes the base never reports a worse plan),
and adds, to every row, the classes moved against the base's solution with the same seed;
`write_comparison` writes comparison.csv, comparison.xlsx and comparison.html (with plotly.min.js
beside it) atomically.

Columns of a comparison row (`COLUMNS`):

| column | meaning |
|---|---|
| variant, seed | the variant's name (`base` for the base scenario), the solver's random seed |
| status, objective | the solver's status (OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN) and objective |
| solution | `proven optimal`, `not proven` (a timetable, the search stopped first) or `greedy only` (the |
|          | greedy construction's timetable, never improved: far from optimal); empty without a timetable |
| goal_<name> | each soft goal's share of the objective (weight x penalty), by the independent checker |
| bound, gap | the solver's bound and relative gap (0 when proven optimal) |
| wall_time_s, first_feasible_s | seconds to the end of the solve and to the first timetable |
| classes_moved | classes (in both) whose first day differs from the base's timetable with the same seed; |
|               | empty when either has no timetable |
| classes_scheduled, learners_served | classes in the timetable and the sum of their learners |
| max_lecturer_sessions | the most sessions taught by one lecturer |
| room_sessions_mean | mean sessions per own (not borrowed) room |
| own_room_occupancy | the same as a share of a room's sessions in the calendar (working days x 2) |
| borrowed_room_sessions | sessions held in borrowed rooms |
| observation_coverage | lecturers observed at least `visits_per_lecturer` times / lecturers to observe (1: none) |
| check_ok, violations | the checker's verdict and its number of violations |
| message | the solver's first message (why a variant is infeasible, ...) |
"""

from __future__ import annotations

import datetime as dt
import html
import multiprocessing
import os
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from llct_sched.check import GOALS
from llct_sched.files import file_name, publish_folder, safe_frame, write_csv
from llct_sched.i18n import N_, _, language, speaking
from llct_sched.pipeline import run_solve
from llct_sched.scenario import RoomKind, Scenario
from llct_sched.scenario.facts import working_days
from llct_sched.solve import Result, SolveParams
from llct_sched.timetable import Timetable

__all__ = [
    "BASE_LABEL",
    "COLUMNS",
    "Job",
    "class_starts",
    "compare",
    "comparison_jobs",
    "dask_client",
    "pool_size",
    "run_job",
    "run_jobs",
    "timetable_metrics",
    "write_comparison",
]

BASE_LABEL = "base"
GOAL_COLUMNS = [f"goal_{goal}" for goal in GOALS]
COLUMNS = [
    "variant",
    "seed",
    "status",
    "objective",
    "solution",
    *GOAL_COLUMNS,
    "bound",
    "gap",
    "wall_time_s",
    "first_feasible_s",
    "classes_moved",
    "classes_scheduled",
    "learners_served",
    "max_lecturer_sessions",
    "room_sessions_mean",
    "own_room_occupancy",
    "borrowed_room_sessions",
    "observation_coverage",
    "check_ok",
    "violations",
    "message",
]
TIMETABLE_KEY = "timetable_json"


@dataclass(frozen=True)
class Job:
    """One solve: a label (the variant), a validated scenario and the solver's parameters.

    `hint_from`: the index, in the same job list and before this job, of the job whose timetable
    this one starts from (`solve`'s `hint`); it runs once that job is done. `language`: of the
    row's message, by default the language where the job was made (a worker process or a Dask
    worker has its own).
    """

    variant: str
    scenario: Scenario
    params: SolveParams
    hint_from: int | None = None
    language: str = field(default_factory=language)

    @property
    def seed(self) -> int:
        return self.params.seed


def timetable_metrics(scenario: Scenario, timetable: Timetable) -> dict[str, Any]:
    """Learners served, lecturer load, room use and observation coverage of one timetable."""
    scheduled = {s.class_id for s in timetable.sessions}
    learners = sum(n for cid, n in timetable.class_learners.items() if cid in scheduled)
    taught = Counter(s.lecturer_id for s in timetable.sessions if s.lecturer_id is not None)
    per_room = Counter(s.room_id for s in timetable.sessions)
    own = [r for r in scenario.rooms if r.kind != RoomKind.borrowed]
    borrowed = {r.id for r in scenario.rooms if r.kind == RoomKind.borrowed}
    mean_own = sum(per_room[r.id] for r in own) / len(own) if own else 0.0
    slots = len(scenario.calendar.periods) * len(working_days(scenario))
    policy = scenario.observation
    needed = max(1, policy.visits_per_lecturer)
    to_observe = (
        [lec.id for lec in scenario.lecturers if lec.kind in policy.observed_kinds]
        if policy.visits_per_lecturer > 0
        else []
    )
    visits = Counter(lid for lid, _, _ in {(v.lecturer_id, v.date, v.period) for v in timetable.observations})
    observed = sum(1 for lid in to_observe if visits[lid] >= needed)
    return {
        "classes_scheduled": len(scheduled),
        "learners_served": learners,
        "max_lecturer_sessions": max(taught.values(), default=0),
        "room_sessions_mean": round(mean_own, 2),
        "own_room_occupancy": round(mean_own / slots, 4) if slots else 0.0,
        "borrowed_room_sessions": sum(n for rid, n in per_room.items() if rid in borrowed),
        "observation_coverage": round(observed / len(to_observe), 4) if to_observe else 1.0,
    }


def solution_kind(result: Result) -> str:
    """How far to trust a row's timetable: proven optimal, not proven, or only the greedy construction."""
    if result.timetable is None:
        return ""
    if result.status == "OPTIMAL":
        return N_("proven optimal")
    return N_("greedy only") if result.greedy_only else N_("not proven")


def run_job(job: Job, hint_row: dict[str, Any] | None = None) -> dict[str, Any]:
    """Solve one job and return its comparison row (without `classes_moved`) and its timetable as JSON.

    `hint_row` is the row of the job named by `job.hint_from`: its timetable, if any, is the hint.
    A plain top-level function of plain data: it runs in a worker process or on a Dask worker.
    """
    hint_json = hint_row.get(TIMETABLE_KEY) if hint_row is not None else None
    hint = Timetable.from_json(hint_json) if hint_json else None
    with speaking(job.language):
        outcome = run_solve(job.scenario, job.params, hint=hint, explain=False)  # checked: the checker's objective
    result, report = outcome.result, outcome.check
    row: dict[str, Any] = {column: None for column in COLUMNS}
    row.update(
        variant=job.variant,
        seed=job.seed,
        status=result.status,
        objective=result.objective,
        bound=result.bound,
        gap=None if result.gap is None else round(result.gap, 6),
        wall_time_s=round(result.wall_time_s, 3),
        first_feasible_s=None if result.first_feasible_s is None else round(result.first_feasible_s, 3),
        message=result.messages[0] if result.messages else "",
        solution=solution_kind(result),
    )
    row[TIMETABLE_KEY] = None
    if result.timetable is not None and report is not None:
        row.update({f"goal_{goal}": report.breakdown.get(goal, 0) for goal in GOALS})
        row.update(timetable_metrics(job.scenario, result.timetable))
        row.update(check_ok=report.ok, violations=len(report.violations))
        row[TIMETABLE_KEY] = result.timetable.to_json()
    return row


def pool_size(n_jobs: int, workers: int) -> int:
    """Processes of the local pool: cores // CP-SAT workers per job (0 workers: all cores, one job at a time)."""
    cores = os.cpu_count() or 1
    per_job = workers if workers > 0 else cores
    return max(1, min(n_jobs, cores // per_job))


def run_jobs(
    jobs: Sequence[Job],
    scheduler: str | None = None,
    max_parallel: int | None = None,
    on_row: Callable[[dict[str, Any]], None] | None = None,
) -> list[dict[str, Any]]:
    """Run every job and return their rows in the jobs' order.

    Without `scheduler`, a local process pool of `max_parallel` processes (default: cores // the
    jobs' CP-SAT workers); with a Dask scheduler address, that cluster runs the same `run_job`
    (its workers need llct_sched installed). A job with `hint_from` is given that job's row, and
    starts when it is done. `on_row` sees each row as it completes.
    """
    if not jobs:
        return []
    for k, job in enumerate(jobs):
        if job.hint_from is not None and not 0 <= job.hint_from < k:
            raise ValueError(f"job {k} ({job.variant}): hint_from must name an earlier job, not {job.hint_from}")
    if scheduler is not None:
        return _run_dask(jobs, scheduler, on_row)
    size = max_parallel or pool_size(len(jobs), max(job.params.workers for job in jobs))
    rows: list[dict[str, Any] | None] = [None] * len(jobs)
    waiting = {k: job for k, job in enumerate(jobs)}
    # spawn: the parent may run threads (CP-SAT, Dask, a progress display) that fork would copy
    with ProcessPoolExecutor(max_workers=size, mp_context=multiprocessing.get_context("spawn")) as pool:
        running: dict[Future[dict[str, Any]], int] = {}

        def submit_ready() -> None:
            for k, job in list(waiting.items()):
                hint_row = rows[job.hint_from] if job.hint_from is not None else None
                if job.hint_from is None or hint_row is not None:
                    running[pool.submit(run_job, job, hint_row)] = k
                    del waiting[k]

        submit_ready()
        while running:
            done, _pending = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                row = future.result()
                rows[running.pop(future)] = row
                if on_row is not None:
                    on_row(row)
            submit_ready()
    return [row for row in rows if row is not None]


DASK_CONNECT_SECONDS = 20.0


def _probe_scheduler(address: str, seconds: float) -> None:
    """Connect to the scheduler and shake hands within `seconds`, else TimeoutError: a port that
    accepts connections but is not a Dask scheduler (its dashboard, say) would make Client wait forever."""
    import asyncio

    from distributed.comm import connect

    async def probe() -> None:
        comm = await asyncio.wait_for(connect(address, timeout=seconds), seconds)
        await comm.close()

    try:
        asyncio.run(probe())
    except (TimeoutError, OSError) as error:
        message = _("no Dask scheduler answered at {address} within {seconds:g} s ({error})")
        raise TimeoutError(message.format(address=address, seconds=seconds, error=error or _("timeout"))) from None


def dask_client(address: str) -> Any:
    """A `dask.distributed.Client` of the scheduler at `address` (tcp://host:port), its handshake
    checked first: TimeoutError when no Dask scheduler answers within DASK_CONNECT_SECONDS.
    Its workers run this package's functions (llct_sched installed there)."""
    from dask.distributed import Client

    _probe_scheduler(address, DASK_CONNECT_SECONDS)
    return Client(address, timeout=f"{DASK_CONNECT_SECONDS:g}s")


def _run_dask(
    jobs: Sequence[Job], address: str, on_row: Callable[[dict[str, Any]], None] | None
) -> list[dict[str, Any]]:
    from dask.distributed import as_completed as dask_completed

    batch = uuid.uuid4().hex[:8]
    keys = [f"llct-sched-{batch}-{k}-{job.variant}-seed{job.seed}" for k, job in enumerate(jobs)]
    with dask_client(address) as client:
        futures: list[Any] = []
        for job, key in zip(jobs, keys, strict=True):  # a hint's row goes as its future: Dask waits for it
            hint = futures[job.hint_from] if job.hint_from is not None else None
            futures.append(client.submit(run_job, job, hint, key=key, pure=False))
        index = {future.key: k for k, future in enumerate(futures)}
        rows: list[dict[str, Any] | None] = [None] * len(jobs)
        for future in dask_completed(futures):
            row = future.result()
            rows[index[future.key]] = row
            if on_row is not None:
                on_row(row)
    return [row for row in rows if row is not None]


def comparison_jobs(
    base: Scenario,
    variants: Sequence[tuple[str, Scenario]],
    seeds: int | Sequence[int] = 3,
    params: SolveParams | None = None,
    from_base: bool = True,
) -> list[Job]:
    """The base (labelled `base`) and every variant, for each seed (an int n means seeds 0..n-1).

    With `from_base` every variant starts from the base's timetable with the same seed (its
    `hint_from`); without, every job is solved on its own.
    """
    params = params or SolveParams(workers=1)
    seed_list = list(range(seeds)) if isinstance(seeds, int) else list(seeds)
    labels = [BASE_LABEL, *(name for name, _ in variants)]
    duplicated = sorted({label for label in labels if labels.count(label) > 1})
    if duplicated:
        raise ValueError(f"variant names must be unique and differ from '{BASE_LABEL}': {', '.join(duplicated)}")
    scenarios = [base, *(scenario for _, scenario in variants)]
    return [
        Job(label, scenario, replace(params, seed=seed), hint_from=k if from_base and label != BASE_LABEL else None)
        for label, scenario in zip(labels, scenarios, strict=True)
        for k, seed in enumerate(seed_list)  # the base's jobs come first, one per seed: job k is seed k's
    ]


def class_starts(timetable_json: str) -> dict[str, dt.date]:
    """The first day of every scheduled class of a timetable (JSON text)."""
    starts: dict[str, dt.date] = {}
    for s in Timetable.from_json(timetable_json).sessions:
        if s.class_id not in starts or s.date < starts[s.class_id]:
            starts[s.class_id] = s.date
    return starts


def add_moves(rows: list[dict[str, Any]]) -> None:
    """Set `classes_moved` of every row against the base's row with the same seed."""
    base_starts = {
        row["seed"]: class_starts(row[TIMETABLE_KEY])
        for row in rows
        if row["variant"] == BASE_LABEL and row.get(TIMETABLE_KEY)
    }
    for row in rows:
        reference = base_starts.get(row["seed"])
        if reference is None or not row.get(TIMETABLE_KEY):
            row["classes_moved"] = None
            continue
        starts = class_starts(row[TIMETABLE_KEY])
        row["classes_moved"] = sum(1 for cid, day in starts.items() if cid in reference and reference[cid] != day)


def compare(
    base: Scenario,
    variants: Sequence[tuple[str, Scenario]],
    seeds: int | Sequence[int] = 3,
    time_limit: float = 60.0,
    workers: int = 1,
    scheduler: str | None = None,
    on_row: Callable[[dict[str, Any]], None] | None = None,
    from_base: bool = True,
) -> list[dict[str, Any]]:
    """Solve the base and every (name, scenario) variant for each seed; rows in COLUMNS order.

    With `from_base` (the default) each variant starts from the base's timetable with the same
    seed: when that timetable keeps the variant's rules, the variant's objective is at most its
    objective there (a variant that only relaxes the base never reports a worse plan).
    Each row also carries `timetable_json` (None without a timetable), written out by
    `write_comparison` and left out of the tables.
    """
    params = SolveParams(time_limit=time_limit, workers=workers)
    jobs = comparison_jobs(base, variants, seeds, params, from_base)
    rows = run_jobs(jobs, scheduler=scheduler, on_row=on_row)
    add_moves(rows)
    return [{**{c: row.get(c) for c in COLUMNS}, TIMETABLE_KEY: row.get(TIMETABLE_KEY)} for row in rows]


def comparison_frame(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """The rows as a table with exactly the documented columns."""
    return pd.DataFrame([{c: row.get(c) for c in COLUMNS} for row in rows], columns=COLUMNS)


def _html(frame: pd.DataFrame, chart: bool) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for record in frame.itertuples(index=False):
        cells = "".join(f"<td>{'' if pd.isna(v) else html.escape(str(v))}</td>" for v in record)
        body.append(f"<tr>{cells}</tr>")
    figure = ""
    if chart and frame["objective"].notna().any():
        import plotly.graph_objects as go

        fig = go.Figure()
        for seed, group in frame.groupby("seed"):
            fig.add_bar(x=group["variant"], y=group["objective"], name=f"seed {seed}")
        fig.update_layout(title="Objective by variant (lower is better)", barmode="group", yaxis_title="objective")
        from llct_sched.reports.html import PLOTLY_JS

        figure = f'<script src="{PLOTLY_JS}"></script>' + fig.to_html(full_html=False, include_plotlyjs=False)
    style = (
        "body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;font-size:13px}"
        "th,td{border:1px solid #bbb;padding:3px 6px;text-align:right}th{background:#eee}"
        "td:first-child,td:nth-child(3),td:last-child{text-align:left}"
    )
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>llct-sched comparison</title>'
        f"<style>{style}</style></head><body><h1>Variants compared</h1>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        f"{figure}</body></html>\n"
    )


def write_comparison(rows: Sequence[dict[str, Any]], out: Path, chart: bool = True) -> list[Path]:
    """Write comparison.csv, comparison.xlsx, comparison.html and timetables/<variant>-seed<k>.json
    into `out`, replacing the folder whole (a failure leaves the previous outputs as they were)."""
    from llct_sched.reports.html import PLOTLY_JS, write_plotly_js

    out = Path(out)
    frame = comparison_frame(rows)
    names = ["comparison.csv", "comparison.xlsx", "comparison.html"]
    with publish_folder(out) as staging:
        write_csv(staging / "comparison.csv", frame)
        safe_frame(frame).to_excel(staging / "comparison.xlsx", index=False, sheet_name="comparison")
        page = _html(frame, chart)
        (staging / "comparison.html").write_text(page, encoding="utf-8")
        if f'<script src="{PLOTLY_JS}">' in page:  # plotly.js beside the page, not 4.8 MB in it
            write_plotly_js(staging)
            names.append(PLOTLY_JS)
        for row in rows:
            if row.get(TIMETABLE_KEY):
                name = "timetables/" + file_name("", f"{row['variant']}-seed{row['seed']}", ".json")
                (staging / "timetables").mkdir(exist_ok=True)
                (staging / name).write_text(row[TIMETABLE_KEY], encoding="utf-8")
                names.append(name)
    return [out / name for name in names]
