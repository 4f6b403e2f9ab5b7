"""The default plan and two what-if variants compared from the base's timetable (`batch.compare`,
30 s, 1 worker), with the rows of 2026-12-05-performance-round-2 (its `part_variants`), the
solver as it is:

    python variants.py SEED...

Rows go to variants.csv in this folder (a row already there is not run again).
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "2026-12-06-province-parts"))  # its loader of round 2's run.py

import round2  # noqa: E402


def main() -> None:
    table = round2.run.Table(HERE / "variants.csv", False)
    print("\n".join(round2.run.part_variants(table, 30, [int(s) for s in sys.argv[1:]])))


if __name__ == "__main__":
    main()
