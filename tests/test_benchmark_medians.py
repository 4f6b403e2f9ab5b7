"""benchmarks/itc2007/medians.py: the medians over seeds that issue 7's ITC-2007 target is stated in."""

from __future__ import annotations

import csv
import importlib.util
import statistics
import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "itc2007" / "medians.py"
_spec = importlib.util.spec_from_file_location("itc_medians", SCRIPT)
assert _spec is not None and _spec.loader is not None
medians = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(medians)


@given(
    st.lists(st.integers(min_value=0, max_value=50), min_size=3, max_size=3),
    st.integers(min_value=0, max_value=3),
)
def test_the_median_of_three_lies_in_the_range_given_for_the_runs_known(costs: list[int], known: int) -> None:
    true_median = statistics.median(costs)
    low, high = medians.median_range([float(c) for c in costs[:known]], runs=3, floor=0.0)
    assert low <= true_median <= high
    if known == 3:
        assert low == high == true_median
    if known == 2:  # the two known runs bound the median exactly
        assert (low, high) == (min(costs[:2]), max(costs[:2]))


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    fields = ["instance", "engine", "seed", "time_limit", "ub", "lb", "hard_violations", "cost"]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _row(instance: str, seed: int, cost: int, ub: int) -> dict[str, object]:
    return {"instance": instance, "engine": "dedicated", "seed": seed, "time_limit": 300.0, "ub": ub} | {
        "lb": 0,
        "hard_violations": 0,
        "cost": cost,
    }


def _run(*args: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True)


def test_the_geometric_mean_is_over_the_per_instance_medians(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.csv", [_row("comp01", 0, 9, 4), _row("comp02", 0, 3, 3)])
    rest = _write(
        tmp_path / "b.csv",
        [_row("comp01", 1, 4, 4), _row("comp01", 2, 14, 4), _row("comp02", 1, 7, 3), _row("comp02", 2, 1, 3)],
    )
    done = _run(first, rest)
    assert done.returncode == 0, done.stderr
    # medians 9 and 3: ratios 10/5 and 4/4, geometric mean sqrt(2)
    assert "| comp01 | 4 | 9 | 4 | 14 | 9 | 2.000 |" in done.stdout
    assert "over 2 instances: 1.414" in done.stdout


def test_a_missing_seed_gives_a_range_and_a_repeated_run_is_refused(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.csv", [_row("comp01", 0, 9, 4)])
    second = _write(tmp_path / "b.csv", [_row("comp01", 1, 4, 4)])
    done = _run(first, second)
    assert done.returncode == 0, done.stderr
    assert "between 1.000 and 2.000 (runs missing)" in done.stdout

    again = _run(first, first)
    assert again.returncode == 2
    assert "a.csv, row 2: comp01 seed 0 is in an earlier row too" in again.stderr
    assert "Traceback" not in again.stderr
