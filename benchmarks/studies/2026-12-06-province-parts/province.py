"""Ten centers sharing the provincial lecturers (`generate_province(10, SEED)`), resolved by
decomposition (`solve_province`, 30 s a center, 1 worker, 2 in flight), with the rows of
2026-12-05-performance-round-2 (its `part_province`, resolved and independent), and stage 1's first
phase with or without `interleave_search` (`search._default_portfolio`):

    python province.py on|off SEED...

Rows go to province-on.csv / province-off.csv in this folder (a row already there is not run again).
The centers run in worker processes: `off` is patched in them through the environment variable
LLCT_STUDY_NO_INTERLEAVE, read by `sitecustomize.py` of this folder (put on PYTHONPATH here, so
each new process imports it at start).
"""

import importlib
import os
import sys
from pathlib import Path

import round2

HERE = Path(__file__).resolve().parent


def main() -> None:
    switch, seeds = sys.argv[1], [int(s) for s in sys.argv[2:]]
    if switch == "off":
        os.environ["LLCT_STUDY_NO_INTERLEAVE"] = "1"
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")]))
        search = importlib.import_module("llct_sched.solve.search")  # this process too
        search._default_portfolio = lambda workers, teaching: {}
    table = round2.run.Table(HERE / f"province-{switch}.csv", False)
    print("\n".join(round2.run.part_province(table, seeds, 10, 30, 2)))


if __name__ == "__main__":
    main()
