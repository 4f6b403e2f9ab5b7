"""Ctrl-C during a solve returns the best timetable found, marked as not proven optimal."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

from llct_sched.scenario.generate import generate_scenario
from llct_sched.scenario.loading import scenario_to_yaml


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


def test_ctrl_c_pressed_again_while_writing_waits_for_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "calendars").mkdir(parents=True)
    (out / "calendars" / "lecturer_OLD.ics").write_text("an earlier result", encoding="utf-8")
    (out / "summary.json").write_text("{}", encoding="utf-8")
    code = "from llct_sched.cli import main; main()"
    args = [sys.executable, "-c", code, "solve", "--out", str(out), "--time-limit", "300", "--workers", "1", "--quiet"]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:  # the default scenario has a first timetable within a second or two
        process.wait(timeout=8)
    except subprocess.TimeoutExpired:
        for pause in (0.3, 0.4, 0.5):  # Ctrl-C, then again while the solve stops and the files are written
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=pause)
            except subprocess.TimeoutExpired:
                continue
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stdout + stderr
    assert "Traceback" not in stderr
    facts = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert facts["interrupted"] is True and facts["check"]["ok"] is True
    assert facts["objective"] == facts["check"]["objective"]
    assert (out / "timetable.json").exists() and (out / "timetable.xlsx").exists()
    assert not (out / "calendars" / "lecturer_OLD.ics").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
