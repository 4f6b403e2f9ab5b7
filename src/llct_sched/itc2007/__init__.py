"""ITC-2007 Track 3 (curriculum-based course timetabling, UD2 rules): `format` (instances and
solutions), `cost` (the UD2 cost, as the reference validator counts it), `scenario` (an instance as
the project's own scenario, solved by the core), `solver` (a CP-SAT engine made for it) and
`anneal` (that engine's simulated annealing, compiled with numba: the optional extra `itc`).

The package re-exports the formats and the cost: `from llct_sched.itc2007 import read_ectt, ud2_cost`.
"""

from llct_sched.itc2007.cost import UD2_WEIGHTS, UD2Cost, evaluate_solution, ud2_cost
from llct_sched.itc2007.format import (
    Course,
    Curriculum,
    ItcInstance,
    Lecture,
    Room,
    parse_ectt,
    read_ectt,
    read_solution,
    write_ectt,
    write_solution,
)

__all__ = [
    "Course",
    "Curriculum",
    "ItcInstance",
    "Lecture",
    "Room",
    "UD2Cost",
    "UD2_WEIGHTS",
    "evaluate_solution",
    "parse_ectt",
    "read_ectt",
    "read_solution",
    "ud2_cost",
    "write_ectt",
    "write_solution",
]
