"""Annealing alone from one fixed start per instance: variants of the annealer compared at equal moves.

    python benchmarks/itc2007/anneal_alone.py --moves 2e8 --kempe 0.05 0.1 --seeds 1 2 3 4 --instances comp07 comp10

For each instance the period model runs once (``--period-seconds``, solver seed 0) and CP-SAT puts
rooms to its periods; from that one timetable every variant anneals with every seed (two walks at a
time, in threads, as the solver runs them) from the solver's temperatures to the end. Printed per
instance and variant: each walk's best cost, their mean and the seconds taken. Screening only: the
solver's own runs at 300 s (run.py) are what issue 7 measures.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from llct_sched.itc2007 import read_ectt
from llct_sched.itc2007.anneal import anneal, warm_up
from llct_sched.itc2007.solver import _Data, _Lns, _read_periods, _Session, build_full_model, build_period_model

BENCH = Path(__file__).resolve().parent / "instances"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--moves", type=float, default=2e8, help="moves of each walk")
    ap.add_argument("--kempe", type=float, nargs="+", default=[0.0, 0.05], help="Kempe-move shares to compare")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4])
    ap.add_argument("--instances", nargs="+", default=["comp07", "comp10", "comp20"])
    ap.add_argument("--period-seconds", type=float, default=15.0)
    ap.add_argument("--bench", type=Path, default=BENCH, help="folder with the .ectt files")
    args = ap.parse_args(argv)
    missing = [name for name in args.instances if not (args.bench / f"{name}.ectt").is_file()]
    if missing:
        print(f"error: no {', '.join(missing)} in {args.bench}", file=sys.stderr)
        return 2
    warm_up()
    session = _Session(time_limit=1e9, workers=2, seed=0, report=None)
    t_start, t_end = session.anneal_temperatures
    for name in args.instances:
        d = _Data(read_ectt(args.bench / f"{name}.ectt"))
        pv = build_period_model(d)
        solver, _, _ = session.run(pv.model, "periods", args.period_seconds)
        lns = _Lns(d, build_full_model(d), session)
        lns.rooms_for(_read_periods(d, pv, solver), 5.0)
        start = lns.anneal_state()
        print(f"{name}: start {lns.objective}", flush=True)
        for kempe in args.kempe:
            clock = time.perf_counter()
            with ThreadPoolExecutor(2) as pool:  # two walks at a time, as the solver runs them
                futures = [
                    pool.submit(anneal, start, int(args.moves), t_start, t_end, seed=seed, kempe=kempe)
                    for seed in args.seeds
                ]
                runs = [future.result() for future in futures]
            best = [run.best for run in runs]
            seconds = time.perf_counter() - clock
            print(f"{name}: kempe {kempe}: {best} mean {statistics.mean(best):.2f} ({seconds:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
