"""Generated centers (2 workers, solver seed 0), or the default plan (solver seeds), with stage 1's
bound search (its second phase) changed:

python variant.py VARIANT SHARE LIMIT SEED... >> centers.csv
python variant.py VARIANT default LIMIT SOLVER_SEED... >> default.csv

VARIANT (patches the installed solver in this process only, nothing on disk):
  base       the solver as it is (this study kept nothing: the solver of 2026-12-06-topic-pools)
  order      the bound search also told the order of interchangeable classes (`interchangeable`:
             alike but for id and name, in one cohort or none): their first blocks start in the
             order the incumbent has, which keeps the incumbent (`add_class_order`); the measured
             rows ran on a copy of the source with this in `search._optimise_calendar`, the same
             rule at the same place as this patch (before it: `_link_specialists`)
  symmetry   the first screen: the first blocks of a cohort's identical classes in index order, in
             the whole of stage 1 (both phases)
  threads:N  the bound search on 2 workers runs N CP-SAT threads: its two searches made for the bound
             and, from the third, CP-SAT's neighbourhoods (on 2 threads none of them ever runs)

One line per solve: variant, share, time limit, seed, status, objective, bound, seconds, checker
verdict, the incumbent's objective when the bound search began and its bound search's own answer
(objective / bound, "-" when there was none).
"""

import importlib
import itertools
import sys
import time
from typing import Any

from llct_sched.check import check
from llct_sched.scenario.generate import generate_center
from llct_sched.scenario.loading import load_scenario
from llct_sched.solve.params import SolveParams

search = importlib.import_module("llct_sched.solve.search")  # `solve` shadows the module's name


def apply(variant: str) -> None:
    """Patch the solver of this process for `variant`."""
    if variant.startswith("threads:"):
        threads = int(variant.removeprefix("threads:"))
        plain = search._bound_search

        def bound_search(workers: int) -> dict[str, Any]:
            out = plain(workers)
            return {**out, "num_workers": threads} if search._cp_sat_workers(workers) == 2 else out

        search._bound_search = bound_search
    elif variant == "order":
        plain_link = search._link_specialists

        def link(inst: Any, model: Any, cv: Any, first: Any) -> None:
            plain_link(inst, model, cv, first)
            add_class_order(model, inst, cv, {b: first.value(x) for b, x in enumerate(cv.start)})

        search._link_specialists = link
    elif variant == "symmetry":
        plain_build = search.build_calendar_model

        def build(inst: Any, *args: Any, **kwargs: Any) -> Any:
            model, cv = plain_build(inst, *args, **kwargs)
            for a, b in symmetric_pairs(inst):  # none in a re-plan (`interchangeable`)
                model.add(cv.start[inst.classes[a].blocks[0]] <= cv.start[inst.classes[b].blocks[0]])
            return model, cv

        search.build_calendar_model = build
    elif variant != "base":
        raise SystemExit(f"unknown variant {variant!r}")


def interchangeable(inst: Any) -> list[list[int]]:
    """Groups of classes alike but for their ids and names, in the same cohort or in none (none in a
    re-plan): swapping two maps every timetable to one as good."""
    if inst.baseline is not None:
        return []
    alike: dict[tuple[str, Any], list[int]] = {}
    for c in inst.classes:
        alike.setdefault((c.spec.model_dump_json(exclude={"id", "name"}), c.cohort), []).append(c.index)
    return [members for members in alike.values() if len(members) > 1]


def add_class_order(model: Any, inst: Any, cv: Any, starts: dict[int, int]) -> None:
    """The first blocks of interchangeable classes start in the order they have in `starts`."""
    for members in interchangeable(inst):
        firsts = sorted((starts[inst.classes[c].blocks[0]], c) for c in members if inst.classes[c].blocks)
        for (_, a), (_, b) in itertools.pairwise(firsts):
            model.add(cv.start[inst.classes[a].blocks[0]] <= cv.start[inst.classes[b].blocks[0]])


def symmetric_pairs(inst: Any) -> list[tuple[int, int]]:
    """The screen's pairs: consecutive classes of an `interchangeable` group that is a cohort's split
    (their learners come from the cohort)."""
    pairs: list[tuple[int, int]] = []
    for members in interchangeable(inst):
        first = inst.classes[members[0]]
        if first.cohort is not None and first.spec.learners is None:
            pairs += itertools.pairwise(members)
    return pairs


def watch_bound_search(seen: dict[str, Any]) -> None:
    """Record the incumbent the bound search starts from and what it ends with."""
    plain = search._Session.run

    def run(self: Any, model: Any, stage: str, budget: float, **kw: Any) -> Any:
        out = plain(self, model, stage, budget, **kw)
        if stage == "calendar" and kw.get("hand_over") is not None:
            seen["handed"] = round(out[0].objective_value)
        elif stage == "calendar" and "handed" in seen and "bound_search" not in seen:
            seen["bound_search"] = f"{round(out[0].objective_value)}/{round(out[0].best_objective_bound)}"
        return out

    search._Session.run = run


def main() -> None:
    variant, share, limit = sys.argv[1], sys.argv[2], float(sys.argv[3])
    seeds = [int(s) for s in sys.argv[4:]]
    apply(variant)
    seen: dict[str, Any] = {}
    watch_bound_search(seen)
    for seed in seeds:
        seen.clear()
        if share == "default":
            scenario, solver_seed = load_scenario("hoang_mai_2020"), seed
        else:
            scenario, solver_seed = generate_center(float(share), seed)[0], 0
        began = time.time()
        result = search.solve(scenario, SolveParams(time_limit=limit, workers=2, seed=solver_seed))
        ok = result.timetable is not None and check(scenario, result.timetable).ok
        seconds = round(time.time() - began, 1)
        row = (variant, share, limit, seed, result.status, result.objective, result.bound, seconds, ok)
        print(",".join(map(str, (*row, seen.get("handed", "-"), seen.get("bound_search", "-")))))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
