"""What a solve is asked for: `SolveParams` (time limit, CP-SAT workers and seed, gap, rounds)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class SolveParams:
    """Solver settings. `workers` 0 lets CP-SAT use every core."""

    time_limit: float = 60.0
    workers: int = 0
    seed: int = 0
    relative_gap: float = 0.0
    max_rounds: int = 50
    log_search: bool = False
    # False: stage 1 gives all its optimising time to the timetable and none to the searches made
    # for the lower bound (an independent part of a larger scenario, whose bound the whole does not use)
    bound_search: bool = True
