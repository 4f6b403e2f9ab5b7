"""Ten centers sharing the provincial lecturers (`generate_province(10, SEED)`), resolved by
decomposition (`solve_province`, 30 s a center, 1 worker, 2 in flight) with the solver as it is,
with the rows of 2026-12-05-performance-round-2 (its `part_province`, independent and resolved):

    python province.py SEED...

Rows go to province.csv in this folder (a row already there is not run again).
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "2026-12-06-province-parts"))  # its loader of round 2's run.py

import round2  # noqa: E402


def main() -> None:
    seeds = [int(s) for s in sys.argv[1:]]
    table = round2.run.Table(HERE / "province.csv", False)
    print("\n".join(round2.run.part_province(table, seeds, 10, 30, 2)))


if __name__ == "__main__":
    main()
