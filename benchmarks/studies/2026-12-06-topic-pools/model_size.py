"""Stage 1's model with the teaching layer, as built (before presolve), with and without the topic
pools: variables, constraints, intervals, cumulatives.

python model_size.py
"""

from llct_sched.model.calendar_stage import build_calendar_model
from llct_sched.model.instance import build_instance
from llct_sched.model.teaching_layer import add_teaching_layer
from llct_sched.scenario import Scenario
from llct_sched.scenario.generate import generate_center
from llct_sched.scenario.loading import load_scenario


def size(scenario: Scenario, pools: bool) -> tuple[int, int, int, int]:
    model, _ = build_calendar_model(build_instance(scenario), layer=add_teaching_layer, topic_capacity=pools)
    proto = model.proto
    intervals = sum(1 for c in proto.constraints if c.has_interval())
    cumulatives = sum(1 for c in proto.constraints if c.has_cumulative())
    return len(proto.variables), len(proto.constraints), intervals, cumulatives


if __name__ == "__main__":
    scenarios = {"default": load_scenario("hoang_mai_2020")}
    scenarios |= {f"center share {s} seed {n}": generate_center(s, n)[0] for s, n in [(0.5, 16), (0.3, 7)]}
    for name, scenario in scenarios.items():
        for pools in (True, False):
            print(name, "with" if pools else "without", "the pools:", *size(scenario, pools))
