"""numba is the optional extra `itc`: without it the planner solves as before, and the ITC-2007 engine
runs without its annealing and says how to install it. Each test runs a fresh interpreter in which
`import numba` fails, as after `pip install .`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

INSTANCES = Path(__file__).resolve().parents[1] / "benchmarks" / "itc2007" / "instances"
WITHOUT_NUMBA = "import sys\nsys.modules['numba'] = None  # import numba raises ModuleNotFoundError\n"


def _python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", WITHOUT_NUMBA + code, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    """`llct-sched ARGS` without numba."""
    return _python("from llct_sched.cli import main\nsys.argv[0] = 'llct-sched'\nmain()", *args)


def test_the_planner_solves_without_numba(tmp_path: Path) -> None:
    done = _cli("solve", "tutorial", "--time-limit", "5", "--workers", "1", "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "out" / "timetable.json").is_file()
    assert "numba" not in done.stderr


def test_the_itc_engine_runs_without_numba_and_says_how_to_install_it(tmp_path: Path) -> None:
    out = tmp_path / "toy.sol"
    done = _cli("itc2007", str(INSTANCES / "toy.ectt"), "--out", str(out), "--time-limit", "3", "--workers", "1")
    assert done.returncode == 0, done.stderr[-2000:]
    assert out.is_file()
    assert "without its simulated annealing" in done.stderr
    assert "pip install 'llct-sched[itc]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_annealer_alone_names_the_extra() -> None:
    done = _python("import llct_sched.itc2007.anneal")
    assert done.returncode == 1
    assert "ModuleNotFoundError: the ITC-2007 annealer needs numba" in done.stderr
    assert "pip install 'llct-sched[itc]'" in done.stderr
