"""Ctrl-C during a solve returns the best timetable found, marked as not proven optimal."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

from llct_sched.generate import generate_scenario
from llct_sched.io import scenario_to_yaml


def test_ctrl_c_keeps_the_best_timetable(tmp_path: Path) -> None:
    scenario = tmp_path / "province.yaml"
    scenario.write_text(scenario_to_yaml(generate_scenario(4, seed=0)), encoding="utf-8")
    out = tmp_path / "out"
    code = "from llct_sched.cli import main; main()"
    args = [sys.executable, "-c", code, "solve", str(scenario), "--out", str(out), "--time-limit", "300", "--quiet"]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    summary = out / "summary.json"
    try:  # give it time to find a first timetable (about 2 s), then press Ctrl-C
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stdout + stderr
    facts = json.loads(summary.read_text(encoding="utf-8"))
    assert facts["interrupted"] is True
    assert facts["status"] == "FEASIBLE" and facts["proven_optimal"] is False
    assert facts["check"]["ok"] is True
    assert (out / "timetable.json").exists() and (out / "sessions.csv").exists()
