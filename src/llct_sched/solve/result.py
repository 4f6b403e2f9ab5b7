"""What a solve gives: `Result` (status, objective and bound, the timetable, timings, messages).

`status` is one of OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN (a string, as summary.json writes it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from llct_sched import i18n
from llct_sched.solve.params import SolveParams
from llct_sched.timetable import Timetable


@dataclass
class Result:
    """What a solve produced. `timetable` is None when no timetable was found."""

    status: str
    objective: int | None
    bound: int | None
    wall_time_s: float
    first_feasible_s: float | None
    timetable: Timetable | None
    params: SolveParams
    breakdown: dict[str, int] = field(default_factory=dict)
    model_size: dict[str, int] = field(default_factory=dict)
    rounds: int = 0
    interrupted: bool = False
    messages: list[str] = field(default_factory=list)
    levels: list[dict[str, Any]] = field(default_factory=list)  # with priorities: goals, value, bound per level
    greedy_only: bool = False  # the timetable is the greedy construction's, never improved by the search
    from_hint: bool = False  # the timetable is the hint's (see `solve`), never improved by the search

    @property
    def feasible(self) -> bool:
        return self.timetable is not None

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        if self.objective == 0:
            return 0.0
        return max(0.0, (self.objective - self.bound) / abs(self.objective))

    def summary(self) -> dict[str, Any]:
        """The facts of summary.json."""
        return {
            "status": self.status,
            "proven_optimal": self.status == "OPTIMAL",
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "first_feasible_s": self.first_feasible_s,
            "wall_time_s": self.wall_time_s,
            "rounds": self.rounds,
            "interrupted": self.interrupted,
            "breakdown": self.breakdown,
            "model_size": self.model_size,
            "messages": self.messages,
            "priority_levels": self.levels,
            "greedy_only": self.greedy_only,
            "from_hint": self.from_hint,
            "params": asdict(self.params),
        }

    def adopt_checked(self, objective: int, weighted: dict[str, int], weights: dict[str, int]) -> None:
        """Take the independent checker's objective and goals (weighted, as `check` gives them).

        A round that stops at its first staffing reports goal variables that CP-SAT had no reason
        to push down (e.g. lecturer_balance 57 for a true 4): the checker's values are exact.
        """
        if self.objective is not None and self.objective != objective:
            self.messages.append(
                i18n._("the solver counted an objective of {solver}, the checker {checker}").format(
                    solver=self.objective, checker=objective
                )
            )
        self.objective = objective
        self.breakdown = {
            goal: weighted.get(goal, 0) // weights[goal] if weights.get(goal) else self.breakdown.get(goal, 0)
            for goal in dict.fromkeys([*self.breakdown, *weighted])
        }
        if self.bound is not None:
            self.bound = min(self.bound, objective)
