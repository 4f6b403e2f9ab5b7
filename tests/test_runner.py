"""The one CP-SAT runner (llct_sched.solve.runner): its parameters, and Ctrl-C, which stops every engine that
runs through it with the best solution it has so far."""

from __future__ import annotations

import ast
import os
import signal
import threading
from pathlib import Path

from ortools.sat.python import cp_model
from ortools.sat.sat_parameters_pb2 import SatParameters

import llct_sched
from llct_sched.check import check
from llct_sched.itc2007 import read_ectt, ud2_cost
from llct_sched.itc2007.solver import ANNEALING, solve_itc
from llct_sched.scenario.loading import load_scenario
from llct_sched.solve import SolveParams, solve
from llct_sched.solve.runner import Progress, Session, Watcher, set_parameters
from llct_sched.solve.search import _bound_search

PACKAGE = Path(llct_sched.__file__).parent
BENCH_DIR = Path(__file__).resolve().parents[1] / "benchmarks" / "itc2007" / "instances"


def test_parameters_scalar_and_repeated_fields() -> None:
    parameters = SatParameters()
    set_parameters(parameters, 12.5, 2, 7, relative_gap=0.01, cp_model_probing_level=0, **_bound_search(2))
    assert parameters.max_time_in_seconds == 12.5 and parameters.num_workers == 2 and parameters.random_seed == 7
    assert parameters.relative_gap_limit == 0.01 and parameters.cp_model_probing_level == 0
    assert list(parameters.extra_subsolvers) == ["lb_tree_search", "objective_lb_search"]
    assert list(parameters.ignore_subsolvers) == ["default_lp"] and parameters.num_full_subsolvers == 2
    assert parameters.cp_model_presolve is True and parameters.keep_symmetry_in_presolve is True
    assert parameters.use_symmetry_in_lp is True and parameters.linearization_level == 2
    assert parameters.catch_sigint_signal is False  # Ctrl-C is the runner's, never CP-SAT's


def test_parameters_left_out_keep_cp_sat_defaults() -> None:
    parameters = SatParameters()
    set_parameters(parameters, 1.0, 1)
    defaults = SatParameters()
    assert parameters.random_seed == defaults.random_seed
    assert not parameters.HasField("relative_gap_limit") and not parameters.HasField("log_search_progress")


def test_only_the_runner_creates_a_cp_sat_solver() -> None:
    """Every engine solves through the runner: one Ctrl-C behaviour, one way to set parameters."""
    creators = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "CpSolver":
                creators.append(path.relative_to(PACKAGE).as_posix())
    assert set(creators) == {"solve/runner.py"}, creators


def test_catching_interrupt_restores_the_handler_and_waits_for_the_main_thread() -> None:
    before = signal.getsignal(signal.SIGINT)
    session = Session(1.0)
    with session.catching_interrupt():
        assert signal.getsignal(signal.SIGINT) == session.interrupt
    assert signal.getsignal(signal.SIGINT) == before
    failed: list[BaseException] = []

    def elsewhere() -> None:  # no signal handler can be set off the main thread: nothing happens
        try:
            with Session(1.0).catching_interrupt():
                pass
        except BaseException as error:
            failed.append(error)

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert not failed


def _ctrl_c_at(stage: str | None) -> tuple[list[Progress], object]:
    """A progress callback that presses Ctrl-C (SIGINT to this process) at its first report of `stage`
    (any stage when None), and the reports it saw."""
    seen: list[Progress] = []

    def report(progress: Progress) -> None:
        if not any(stage in (None, p.stage) for p in seen) and stage in (None, progress.stage):
            os.kill(os.getpid(), signal.SIGINT)
        seen.append(progress)

    return seen, report


def test_ctrl_c_stops_the_center_solver_with_its_best_timetable() -> None:
    scenario = load_scenario("hoang_mai_2020")
    seen, report = _ctrl_c_at("timetable")
    result = solve(scenario, SolveParams(time_limit=300, workers=1), report)  # type: ignore[arg-type]
    assert seen and result.interrupted
    assert result.status == "FEASIBLE" and result.timetable is not None
    assert result.wall_time_s < 60  # stopped, not run to the time limit
    report_ = check(scenario, result.timetable)
    assert report_.ok and report_.objective == result.objective
    assert any("interrupted" in message for message in result.messages)


def test_ctrl_c_stops_the_itc_engine_with_its_best_timetable() -> None:
    instance = read_ectt(BENCH_DIR / "comp01.ectt")
    if ANNEALING:  # the kernels compiled first: an interrupted engine leaves its warm-up to finish alone
        from llct_sched.itc2007.anneal import warm_up

        warm_up()
    seen, report = _ctrl_c_at(None)
    result = solve_itc(instance, time_limit=300, workers=1, progress=report)  # type: ignore[arg-type]
    for thread in threading.enumerate():  # no compilation left running into the next tests (GIL, timings)
        if thread.name == "anneal-warm-up":
            thread.join()
    assert seen and result.interrupted
    assert result.status in ("FEASIBLE", "OPTIMAL") and result.cost is not None and result.cost.feasible
    assert result.wall_time_s < 60
    assert result.objective == ud2_cost(instance, result.lectures).total
    assert result.phases  # every CP-SAT run of the engine went through the runner's session


def test_an_interrupted_run_keeps_its_incumbent() -> None:
    """Session.run itself: Ctrl-C at the first solution stops the search; the solution stays readable."""
    model = cp_model.CpModel()
    xs = [model.new_int_var(0, 50, f"x{i}") for i in range(40)]
    for i in range(39):
        model.add(xs[i] + xs[i + 1] >= 37 + i % 5)
    model.add_all_different(xs)
    model.minimize(sum((i % 7 + 1) * x for i, x in enumerate(xs)))
    session = Session(300, workers=1)
    seen, report = _ctrl_c_at(None)
    session.report = report  # type: ignore[assignment]
    with session.catching_interrupt():
        solver, status, watcher = session.run(model, "test", 300)
        again, _, _ = session.run(model, "after", 300)  # after Ctrl-C a run gets no time
    assert session.interrupted and watcher.found and seen
    assert status in (cp_model.FEASIBLE, cp_model.OPTIMAL)
    assert solver.wall_time < 60 and again.wall_time < 5


class _Incumbent(Watcher):
    """A watcher fed an incumbent by hand (CP-SAT's own values are read-only)."""

    def __init__(self, objective: float, bound: float, report) -> None:
        super().__init__("calendar", lambda: 1.5, report)
        self._objective, self._bound = objective, bound

    @property
    def objective_value(self) -> float:
        return self._objective

    @property
    def best_objective_bound(self) -> float:
        return self._bound


def test_progress_shows_no_bound_while_cp_sat_s_is_negative() -> None:
    """A stage's objective is a sum of penalties (>= 0): CP-SAT's early bounds below 0 (-389 on the
    default plan's staffing) are reported as no bound, a bound of 0 or more as it is."""
    seen: list[Progress] = []
    for objective, bound in ((87, -389.0), (69, 0.0), (69, 29.0)):
        _Incumbent(objective, bound, seen.append).on_solution_callback()
    assert [(p.objective, p.bound) for p in seen] == [(87, None), (69, 0.0), (69, 29.0)]
