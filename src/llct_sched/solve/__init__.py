"""Solving: `search` (the stage loop: calendar, staffing, what staffing teaches the calendar; `solve`
and its `SolveParams`, `Result`), `runner` (every CP-SAT run of every engine: parameters, progress,
stops, Ctrl-C), `replan` and `replan_log` (from a baseline after changes, and what moved) and `why`
(a minimal set of rules that cannot hold together).

The package re-exports what a solve takes and gives: `from llct_sched.solve import solve, SolveParams`.
"""

from llct_sched.solve.runner import Progress
from llct_sched.solve.search import Result, SolveParams, solve

__all__ = ["Progress", "Result", "SolveParams", "solve"]
