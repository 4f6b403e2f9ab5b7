"""Why is a scenario impossible? A short list of named rules that cannot hold together, and the
cheapest ways out.

1. Every rule instance of the calendar (a class's window, a blackout on a class, a pinned date, the
   lecturers able to teach a module, a room's closure, a learner group, a cohort, an observation)
   gets an assumption literal in the diagnostic model.
2. CP-SAT's sufficient assumptions for infeasibility give a core; dropping each rule in turn and
   solving again shrinks it to a minimal one (no rule can be left out).
3. Each rule of the core is then relaxed alone: those whose relaxation makes the calendar possible
   are the ways out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from llct_sched.i18n import _
from llct_sched.model.diagnostic import DiagnosticModel, RuleInstance, build_diagnostic_model
from llct_sched.model.instance import build_instance
from llct_sched.scenario import Scenario
from llct_sched.solve.runner import Session


@dataclass
class Infeasibility:
    """The explanation: `conflict` is a minimal set of rules that cannot all hold."""

    status: str  # "conflict", "calendar_feasible" (the clash is in staffing), or "unknown" (out of time)
    conflict: list[RuleInstance] = field(default_factory=list)
    ways_out: list[RuleInstance] = field(default_factory=list)  # rules whose relaxation alone suffices
    seconds: float = 0.0

    def lines(self) -> list[str]:
        if self.status == "calendar_feasible":
            return [
                _(
                    "every calendar rule can hold together: the clash is in staffing (lecturers' loads, "
                    "sessions at the same time, observers); try more lecturers or looser load limits"
                )
            ]
        if self.status == "unknown":
            return [_("no explanation found in the time given")]
        out = [_("these rules cannot all hold together:")]
        out += [f"  - {rule.text}" for rule in self.conflict]
        if self.ways_out:
            out.append(_("relaxing any one of these alone would make a calendar possible:"))
            out += [f"  - {rule.text}" for rule in self.ways_out]
        return out


def _solve(dm: DiagnosticModel, active: list[RuleInstance], seconds: float, session: Session) -> tuple[Any, set[int]]:
    model = dm.model
    model.clear_assumptions()
    model.add_assumptions([dm.literals[r] for r in active])
    solver, status, _ = session.run(model, "why", max(0.5, seconds), quiet=True)
    core = set(solver.sufficient_assumptions_for_infeasibility()) if status == cp_model.INFEASIBLE else set()
    return status, core


# the seconds an explanation always gets, even when the solve's proof of infeasibility came at the
# very end of the time limit: a short explanation, at most this much beyond the limit
EXPLANATION_FLOOR_S = 5.0


def explanation_budget(time_limit: float, elapsed: float) -> float:
    """The seconds `explain_infeasibility` may take after a solve that used `elapsed` of a command's
    `time_limit`: what is left of it, at least EXPLANATION_FLOOR_S. So `time_limit` is the whole
    budget of `solve` (explanation included) unless the proof came within the floor of the end."""
    return max(EXPLANATION_FLOOR_S, time_limit - elapsed)


def explain_infeasibility(scenario: Scenario, time_limit: float = 30.0, workers: int = 1) -> Infeasibility:
    """Explain why the scenario's calendar is impossible, in the planner's terms. Never raises.

    Ctrl-C stops it with what it has: a conflict not yet shrunk to a minimal one, fewer ways out."""
    session = Session(time_limit, workers, seed=None)  # CP-SAT's default seed
    with session.catching_interrupt():
        return _explain(scenario, session)


def _explain(scenario: Scenario, session: Session) -> Infeasibility:
    inst = build_instance(scenario)
    dm = build_diagnostic_model(inst)
    rules = list(dm.literals)
    by_index = {lit.index: rule for rule, lit in dm.literals.items()}

    def left() -> float:
        return session.time_limit - session.elapsed()

    def out_of_time() -> bool:
        return left() <= 0 or session.interrupted

    status, core_indices = _solve(dm, rules, left() / 2, session)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Infeasibility("calendar_feasible", seconds=session.elapsed())
    if status != cp_model.INFEASIBLE:
        return Infeasibility("unknown", seconds=session.elapsed())
    core = [by_index[i] for i in core_indices if i in by_index] or rules
    # deletion filter: leave each rule out; if still impossible, it was not needed
    for rule in list(core):
        if rule not in core or out_of_time():
            continue
        trial = [r for r in core if r != rule]
        status, smaller = _solve(dm, trial, min(5.0, left()), session)
        if status == cp_model.INFEASIBLE:
            core = [r for r in trial if dm.literals[r].index in smaller] or trial
    ways_out = []
    for rule in core:
        if out_of_time():
            break
        status, _ = _solve(dm, [r for r in rules if r != rule], min(5.0, left()), session)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            ways_out.append(rule)
    return Infeasibility("conflict", core, ways_out, session.elapsed())
