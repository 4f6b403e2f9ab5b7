"""Solving: `params` (`SolveParams`), `result` (`Result`), `search` (`solve`: the stage loop of the
calendar, the staffing and what a failed staffing teaches the calendar), `runner` (every CP-SAT run
of every engine: parameters, progress, stops, Ctrl-C), `replan` and `replan_log` (from a baseline
after changes, and what moved) and `why` (a minimal set of rules that cannot hold together).

The package re-exports what a solve takes and gives: `from llct_sched.solve import solve, SolveParams`.
"""

from llct_sched.solve.params import SolveParams
from llct_sched.solve.result import Result
from llct_sched.solve.runner import Progress
from llct_sched.solve.search import solve

__all__ = ["Progress", "Result", "SolveParams", "solve"]
