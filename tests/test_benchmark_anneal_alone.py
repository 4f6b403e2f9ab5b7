"""benchmarks/itc2007/anneal_alone.py: the fixed-start screening of annealer variants."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "itc2007" / "anneal_alone.py"
BENCH_DIR = Path(__file__).resolve().parents[1] / "benchmarks" / "itc2007" / "instances"
_spec = importlib.util.spec_from_file_location("itc_anneal_alone", SCRIPT)
assert _spec is not None and _spec.loader is not None
anneal_alone = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(anneal_alone)


def test_every_variant_anneals_every_seed_from_the_same_start(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--moves", "2000", "--kempe", "0", "1", "--seeds", "1", "2", "3", "--instances", "toy"]
    assert anneal_alone.main([*argv, "--period-seconds", "2", "--bench", str(BENCH_DIR)]) == 0
    lines = capsys.readouterr().out.splitlines()
    start = int(re.fullmatch(r"toy: start (\d+)", lines[0]).group(1))  # type: ignore[union-attr]
    assert len(lines) == 3
    for line, kempe in zip(lines[1:], ("0.0", "1.0"), strict=True):
        found = re.fullmatch(rf"toy: kempe {kempe}: \[(\d+), (\d+), (\d+)\] mean ([\d.]+) \(\d+ s\)", line)
        assert found is not None, line
        best = [int(found.group(i)) for i in (1, 2, 3)]
        assert all(cost <= start for cost in best)  # a walk's best is never worse than where it started
        assert float(found.group(4)) == pytest.approx(sum(best) / 3, abs=0.005)


def test_an_unknown_instance_is_refused_with_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert anneal_alone.main(["--instances", "comp99", "--bench", str(tmp_path)]) == 2
    assert f"no comp99 in {tmp_path}" in capsys.readouterr().err
