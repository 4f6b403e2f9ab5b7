"""Stage 1's first phase on one worker: CP-SAT's interleaved portfolio with every full subsolver
(`all`, the solver of 296e66a) or with two (`two`: `subsolvers` default_lp and quick_restart), on
the default plan or a generated center, one child process per solve (its peak memory measured):

    python portfolio.py all|two default|SHARE TIME_LIMIT SEED... >> portfolio.csv

`default`: the Hoàng Mai 2020 plan with solver seed SEED; SHARE: `generate_center(SHARE, SEED)`
with solver seed 0. One line per solve: variant, scenario, time limit, seed, status, objective,
bound, seconds, checker verdict, peak resident memory (MB). The figures ran `all` and `two` side
by side (two processes, one worker each), as two parts or centers in flight would.
"""

import importlib
import resource
import subprocess
import sys
import time

VARIANTS = {
    "all": {"interleave_search": True},
    "two": {"interleave_search": True, "subsolvers": ["default_lp", "quick_restart"]},
}


def one(variant: str, which: str, limit: float, seed: int) -> str:
    from llct_sched.check import check
    from llct_sched.scenario.generate import generate_center
    from llct_sched.scenario.loading import load_scenario
    from llct_sched.solve import SolveParams

    search = importlib.import_module("llct_sched.solve.search")  # `solve` shadows the module's name
    search._default_portfolio = lambda workers, teaching: dict(VARIANTS[variant])
    if which == "default":
        scenario, solver_seed = load_scenario("hoang_mai_2020"), seed
    else:
        scenario, solver_seed = generate_center(float(which), seed)[0], 0
    began = time.time()
    result = search.solve(scenario, SolveParams(time_limit=limit, workers=1, seed=solver_seed))
    seconds = round(time.time() - began, 1)
    ok = result.timetable is not None and check(scenario, result.timetable).ok
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    row = (variant, which, limit, seed, result.status, result.objective, result.bound, seconds, ok, peak)
    return ",".join(map(str, row))


if __name__ == "__main__":
    if sys.argv[1] == "--one":
        print(one(sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5])))
    else:
        variant, which, limit = sys.argv[1], sys.argv[2], sys.argv[3]
        for seed in sys.argv[4:]:
            child = [sys.executable, __file__, "--one", variant, which, limit, seed]
            print(subprocess.run(child, check=True, capture_output=True, text=True).stdout.strip(), flush=True)
