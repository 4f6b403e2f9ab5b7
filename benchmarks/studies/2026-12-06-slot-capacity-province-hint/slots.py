"""Stage 1's bound search with a time-indexed capacity of the preferred lecturers (not kept):

    python slots.py VARIANT SHARE LIMIT SEED...      (generated centers, solver seed 0)
    python slots.py VARIANT default LIMIT SOLVER_SEED...

VARIANT: `base` (the solver as it is) or `slots`: before the bound search (`_link_specialists`),
for every segment with preferred lecturers and each such lecturer free at most half the slots,
x[s, lec, t] = "lec teaches s and its block starts at t" for the starts where lec is free for the
whole segment; sum_t x = teach[s, lec], x <= the start literal, the segment's x at one start <= the
start literal, and each slot of each such lecturer taken by at most one x. An LP then knows that a
part-time specialist free one half-day a week teaches one session in it. One line per solve.
"""

import importlib
import sys
import time
from typing import Any

import numpy as np

from llct_sched.check import check
from llct_sched.model.calendar_stage import start_literals
from llct_sched.model.instance import preferred_lecturers
from llct_sched.model.teaching_layer import _session_offsets, starts_where_free
from llct_sched.scenario.generate import generate_center
from llct_sched.scenario.loading import load_scenario
from llct_sched.solve.params import SolveParams

search = importlib.import_module("llct_sched.solve.search")  # `solve` shadows the module's name
NARROW = 0.5  # lecturers free in at most this share of the slots


def add_slot_capacity(model: Any, inst: Any, cv: Any, first: Any) -> None:
    tv = cv.teaching
    free = np.asarray(inst.lecturer_available, dtype=bool)
    narrow = {lec for lec in range(free.shape[0]) if free[lec].mean() <= NARROW}
    by_slot: dict[tuple[int, int], list[Any]] = {}
    for s, preferred in sorted(preferred_lecturers(inst).items()):
        block = inst.blocks[inst.segments[s].block]
        offsets = _session_offsets(inst, s)
        per_start: dict[int, list[Any]] = {}
        for lec in sorted(preferred):
            if (s, lec) not in tv.teach or lec not in narrow:
                continue
            at = start_literals(model, cv, block)
            xs = {}
            for t in starts_where_free(inst, s, free[lec]):
                x = xs[t] = model.new_bool_var(f"x_s{s}_l{lec}_{t}")
                model.add_implication(x, at[t])
                per_start.setdefault(t, []).append(x)
                for o in offsets:
                    by_slot.setdefault((lec, t + int(o)), []).append(x)
                model.add_hint(x, first.value(cv.start[block.index]) == t and first.value(tv.teach[s, lec]) == 1)
            model.add(sum(xs.values()) == tv.teach[s, lec])
        for t, xs in per_start.items():
            if len(xs) > 1:
                model.add(sum(xs) <= cv.at[block.index][t])
    for xs in by_slot.values():
        if len(xs) > 1:
            model.add(sum(xs) <= 1)


def main() -> None:
    variant, share, limit = sys.argv[1], sys.argv[2], float(sys.argv[3])
    if variant == "slots":
        plain = search._link_specialists

        def link(inst: Any, model: Any, cv: Any, first: Any) -> None:
            plain(inst, model, cv, first)
            add_slot_capacity(model, inst, cv, first)

        search._link_specialists = link
    elif variant != "base":
        raise SystemExit(f"unknown variant {variant!r}")
    for seed in map(int, sys.argv[4:]):
        if share == "default":
            scenario, solver_seed = load_scenario("hoang_mai_2020"), seed
        else:
            scenario, solver_seed = generate_center(float(share), seed)[0], 0
        began = time.time()
        result = search.solve(scenario, SolveParams(time_limit=limit, workers=2, seed=solver_seed))
        ok = result.timetable is not None and check(scenario, result.timetable).ok
        row = (
            variant,
            share,
            limit,
            seed,
            result.status,
            result.objective,
            result.bound,
            round(time.time() - began, 1),
            ok,
        )
        print(",".join(map(str, row)), flush=True)


if __name__ == "__main__":
    main()
