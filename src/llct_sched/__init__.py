"""llct_sched: yearly training timetables for district political centers (CP-SAT)."""

from llct_sched.errors import InputIssue, ScenarioError, Severity
from llct_sched.io import load_scenario
from llct_sched.scenario import Scenario
from llct_sched.timetable import Timetable, read_timetable

__all__ = [
    "InputIssue",
    "Scenario",
    "ScenarioError",
    "Severity",
    "Timetable",
    "load_scenario",
    "read_timetable",
]
__version__ = "0.1.0"
