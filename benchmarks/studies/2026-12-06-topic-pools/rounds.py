"""The variants (`batch.compare` from the base's timetable, 30 s, 1 worker) and the ten centers
sharing the provincial lecturers (`solve_province`, 30 s a center, 1 worker, 2 in flight) with the
solver as it is, with the rows of 2026-12-05-performance-round-2 (its `part_variants` and
`part_province`):

    python rounds.py variants SEED...
    python rounds.py province SEED...

Rows go to variants.csv and province.csv in this folder (a row already there is not run again).
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "2026-12-06-province-parts"))  # its loader of round 2's run.py

import round2  # noqa: E402


def main() -> None:
    part, seeds = sys.argv[1], [int(s) for s in sys.argv[2:]]
    if part == "variants":
        print("\n".join(round2.run.part_variants(round2.run.Table(HERE / "variants.csv", False), 30, seeds)))
    elif part == "province":
        print("\n".join(round2.run.part_province(round2.run.Table(HERE / "province.csv", False), seeds, 10, 30, 2)))
    else:
        raise SystemExit(f"unknown part {part!r}: variants or province")


if __name__ == "__main__":
    main()
