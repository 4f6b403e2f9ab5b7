"""llct_sched: yearly training timetables for district political centers (CP-SAT).

The public API: load and validate a scenario, solve it, check a timetable independently.
"""

from llct_sched.check import CheckReport, Violation, check
from llct_sched.errors import InputIssue, ScenarioError, Severity
from llct_sched.scenario import Scenario
from llct_sched.scenario.loading import load_scenario
from llct_sched.scenario.validate import ensure_valid, validate
from llct_sched.solve import Progress, Result, SolveParams, solve
from llct_sched.solve.why import Infeasibility, explain_infeasibility
from llct_sched.timetable import ObservationVisit, ScheduledSession, Timetable, read_timetable

__all__ = [
    "CheckReport",
    "Infeasibility",
    "InputIssue",
    "ObservationVisit",
    "Progress",
    "Result",
    "Scenario",
    "ScenarioError",
    "ScheduledSession",
    "Severity",
    "SolveParams",
    "Timetable",
    "Violation",
    "check",
    "ensure_valid",
    "explain_infeasibility",
    "load_scenario",
    "read_timetable",
    "solve",
    "validate",
]
__version__ = "0.1.0"
