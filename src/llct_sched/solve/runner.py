"""One way to run CP-SAT for every engine: the center solver (`solve`), the ITC-2007 engine and the
infeasibility explanation (`why`). A `Session` is one engine call: its clock and time limit, its
CP-SAT parameters (`set_parameters`), its progress reports and its stops.

Ctrl-C is the same everywhere: inside `Session.catching_interrupt` SIGINT only sets
`Session.interrupted`; the running solve stops, later runs of the session get no time, and the
engine returns the best solution it has. CP-SAT therefore runs in a worker thread (a Python signal
handler runs only between bytecodes of the main thread, never inside `CpSolver.solve`), with its
own SIGINT handler off (`catch_sigint_signal`: it would abort the search from a thread).

`helper_solve` is for short solves that complete an answer already found (a staffing's exact goal
values, a hint extended to every variable): they take their few seconds even after Ctrl-C.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

log = logging.getLogger(__name__)

STATUS_NAMES = {
    cp_model.OPTIMAL: "OPTIMAL",
    cp_model.FEASIBLE: "FEASIBLE",
    cp_model.INFEASIBLE: "INFEASIBLE",
    cp_model.UNKNOWN: "UNKNOWN",
    cp_model.MODEL_INVALID: "MODEL_INVALID",
}


@dataclass
class Progress:
    """An incumbent, as the progress display and the web page's heartbeat show it."""

    stage: str
    objective: float | None
    bound: float | None
    elapsed: float
    message: str = ""


def set_parameters(
    parameters: Any,
    time_limit: float,
    workers: int,
    seed: int | None = None,
    relative_gap: float | None = None,
    log_search: bool | None = None,
    **overrides: Any,
) -> None:
    """Set CP-SAT's parameters (a `SatParameters`): the time limit, the workers (0: every core), the
    seed and, when given, the relative gap and the search log; then any other field by its name, a
    list extending a repeated field (`extra_subsolvers=["core"]`). CP-SAT's own Ctrl-C handler is
    always off (see the module's docstring). Fields left as None keep CP-SAT's defaults."""
    parameters.max_time_in_seconds = time_limit
    parameters.num_workers = workers
    if seed is not None:
        parameters.random_seed = seed
    if relative_gap is not None:
        parameters.relative_gap_limit = relative_gap
    if log_search is not None:
        parameters.log_search_progress = log_search
    parameters.catch_sigint_signal = False
    for key, value in overrides.items():
        if isinstance(value, list):  # a repeated field (subsolver names)
            getattr(parameters, key).extend(value)
        else:
            setattr(parameters, key, value)


def helper_solve(model: cp_model.CpModel, time_limit: float, workers: int, **overrides: Any) -> tuple[Any, Any]:
    """A short solve on the calling thread that Ctrl-C does not cut short: the solver and its status."""
    solver = cp_model.CpSolver()
    set_parameters(solver.parameters, time_limit, workers, **overrides)
    return solver, solver.solve(model)


class Watcher(cp_model.CpSolverSolutionCallback):
    """Logs and reports each incumbent (objective, bound, elapsed); stops the search at one as good as
    `good_enough`. `first_at`: when the first solution came (on the session's clock)."""

    def __init__(
        self,
        stage: str,
        clock: Callable[[], float],
        report: Callable[[Progress], None] | None,
        good_enough: float | None = None,
    ):
        super().__init__()
        self.stage, self.clock, self.report, self.good_enough = stage, clock, report, good_enough
        self.first_at: float | None = None
        self.improved_at: float | None = None  # when the last (better) solution came

    @property
    def found(self) -> bool:
        return self.first_at is not None

    def on_solution_callback(self) -> None:
        now = self.clock()
        if self.first_at is None:
            self.first_at = now
        self.improved_at = now
        obj, bound = self.objective_value, self.best_objective_bound
        log.info("%s: objective %s, bound %s, %.2fs", self.stage, obj, bound, now)
        if self.report:  # every goal is a penalty >= 0: a negative bound tells a planner nothing yet
            self.report(Progress(self.stage, obj, bound if bound >= 0 else None, now))
        if self.good_enough is not None and obj <= self.good_enough:
            self.stop_search()  # close enough to a bound known from elsewhere: leave the time to others


class Session:
    """One engine call: its clock and time limit, its CP-SAT settings, its progress reports and the
    Ctrl-C flag. `seed`, `relative_gap`, `log_search` None: CP-SAT's defaults."""

    def __init__(
        self,
        time_limit: float,
        workers: int = 0,
        seed: int | None = 0,
        report: Callable[[Progress], None] | None = None,
        relative_gap: float | None = None,
        log_search: bool | None = None,
    ):
        self.time_limit, self.workers, self.seed, self.report = time_limit, workers, seed, report
        self.relative_gap, self.log_search = relative_gap, log_search
        self.started = time.perf_counter()
        self.interrupted = False

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def remaining(self) -> float:
        return max(0.0, self.time_limit - self.elapsed())

    def interrupt(self, *_: object) -> None:
        """Ctrl-C (or a caller's stop): the running solve is stopped from `run`'s wait loop, and later
        runs get no time."""
        self.interrupted = True

    @contextmanager
    def catching_interrupt(self) -> Iterator[None]:
        """SIGINT calls `interrupt` while the block runs. Only the main thread can take a signal: in
        another (a web server's, a process pool's) the previous handling stays."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = signal.signal(signal.SIGINT, self.interrupt)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)

    def run(
        self,
        model: cp_model.CpModel,
        stage: str,
        time_limit: float,
        *,
        first_only: bool = False,
        quiet: bool = False,
        good_enough: float | None = None,
        bound_stall: float | None = None,
        hand_over: float | None = None,
        hand_over_stall: float | None = None,
        **overrides: Any,
    ) -> tuple[cp_model.CpSolver, Any, Watcher]:
        """Solve in a worker thread for `time_limit` seconds (at least 0.05; none once interrupted);
        `overrides` are CP-SAT parameters (see `set_parameters`). `quiet`: no progress reports;
        `first_only`: stop at the first solution; `good_enough`: stop at an incumbent this good;
        `bound_stall`: stop when a positive bound has not moved for this many seconds (a run made for
        its bound); `hand_over`: stop after this many seconds once some solution is found (else go on);
        `hand_over_stall`: stop once the last solution is this many seconds old."""
        solver = cp_model.CpSolver()
        set_parameters(
            solver.parameters,
            max(0.05, time_limit),
            self.workers,
            self.seed,
            self.relative_gap,
            self.log_search,
            **({"stop_after_first_solution": True} if first_only else {}),
            **overrides,
        )
        if self.log_search:
            solver.log_callback = log.info
        watcher = Watcher(stage, self.elapsed, None if quiet else self.report, good_enough)
        if self.interrupted:
            solver.parameters.max_time_in_seconds = 0.01
        outcome: list[Any] = []
        failed: list[BaseException] = []
        moved = [time.perf_counter()]
        if bound_stall is not None:
            # every goal is >= 0: a bound is news only once it is positive
            solver.best_bound_callback = lambda bound: moved.append(time.perf_counter()) if bound > 0 else None

        def work() -> None:
            try:
                outcome.append(solver.solve(model, watcher))
            except BaseException as error:  # raised again on the caller's thread
                failed.append(error)

        worker = threading.Thread(target=work, name=f"cp-sat {stage}", daemon=True)
        worker.start()
        stopped = False
        began = time.perf_counter()
        while worker.is_alive():
            worker.join(0.1)
            stalled = bound_stall is not None and len(moved) > 1 and time.perf_counter() - moved[-1] > bound_stall
            handed = hand_over is not None and watcher.found and time.perf_counter() - began > hand_over
            if hand_over_stall is not None and watcher.improved_at is not None:
                handed = handed or self.elapsed() - watcher.improved_at > hand_over_stall
            if (self.interrupted or stalled or handed) and not stopped:
                solver.stop_search()
                stopped = True
        if failed:
            raise failed[0]
        return solver, outcome[0], watcher
