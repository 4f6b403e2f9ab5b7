"""Bad input is exit 2 with a located message, no traceback and nothing written: scenario values
out of bounds, control characters in names, and the command line's options."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from llct_sched import batch
from llct_sched.cli import app
from tiny import tiny_data

runner = CliRunner()


def _plain(data: Any) -> Any:
    """Dates as ISO text, as a YAML file would hold them after yaml.safe_dump."""
    return yaml.safe_load(yaml.safe_dump(data, allow_unicode=True))


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        node = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value

    return edit


BAD = {
    "newline in a name": (
        _set(("classes", 0, "name"), "Lớp\nhai dòng"),
        "classes[0].name: contains a control character",
    ),
    "bell in a room name": (_set(("rooms", 1, "name"), "Phòng\x07"), "rooms[1].name: contains a control character"),
    "seats beyond CP-SAT": (
        _set(("rooms", 0, "seats"), 10**25),
        "rooms[0].seats: 10000000000000000000000000 is beyond",
    ),
    "weight of 1e18": (_set(("weights",), {"borrowed_room": 10**18}), "weights.borrowed_room: 1000000000000000000 is"),
    "gap beyond": (
        _set(("programs", 1, "delivery", "min_gap_days"), 10**20),
        "programs[1].delivery.min_gap_days: 100000000000000000000 is beyond",
    ),
    "calendar to 9999": (_set(("calendar", "end"), "9999-12-31"), "calendar.end: the calendar covers"),
    "event ending before it starts": (
        _set(("calendar", "events"), [{"id": "E", "start": "2020-03-10", "end": "2020-03-05"}]),
        "calendar.events[0].end: 2020-03-05 is before the start 2020-03-10",
    ),
    "holiday outside the calendar": (
        _set(("calendar", "holidays"), [{"start": "2021-03-09", "name": "next year"}]),
        "calendar.holidays[0]: 2021-03-09 to 2021-03-09 is outside the calendar",
    ),
    "room closed outside the calendar": (
        _set(("rooms", 0, "unavailable"), [{"start": "2019-01-01", "end": "2019-02-01"}]),
        "rooms[0].unavailable[0]: 2019-01-01 to 2019-02-01 is outside the calendar",
    ),
    "a date far away": (_set(("classes", 0, "earliest_start"), "1900-01-01"), "classes[0].earliest_start: 1900-01-01"),
    "learners: true": (
        _set(("classes", 0, "learners"), True),
        "classes[0]: learners: true is a yes/no value",
    ),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_scenario_values_are_located_errors(tmp_path: Path, case: str) -> None:
    edit, expected = BAD[case]
    data = _plain(tiny_data())
    edit(data)
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["--lang", "en", "solve", str(path), "--out", str(out), "--time-limit", "5", "--quiet"])
    assert result.exit_code == 2, result.output
    assert f"s.yaml: {expected}" in " ".join(result.output.split())
    assert "Traceback" not in result.output and not out.exists()


OPTIONS = {
    "--workers -1": ["solve", "tutorial", "--workers", "-1"],
    "--time-limit -1": ["solve", "tutorial", "--time-limit", "-1"],
    "--time-limit nan": ["solve", "tutorial", "--time-limit", "nan"],
    "--time-limit inf": ["solve", "tutorial", "--time-limit", "inf"],
    "--time-limit 0": ["explain", "tutorial", "--time-limit", "0"],
    "--seed -3": ["solve", "tutorial", "--seed", "-3"],
    "--gap 2": ["solve", "tutorial", "--gap", "2"],
    "replan --max-moves -1": ["replan", "tutorial", "--baseline", "x", "--changes", "y", "--max-moves", "-1"],
    "compare --scheduler nonsense": ["compare", "tutorial", "v.yaml", "--scheduler", "not an address"],
    "compare --scheduler port": ["compare", "tutorial", "v.yaml", "--scheduler", "tcp://localhost:99999"],
    "itc2007 --time-limit nan": ["itc2007", "x.ectt", "--time-limit", "nan"],
}


@pytest.mark.parametrize("case", list(OPTIONS), ids=list(OPTIONS))
def test_bad_options_are_exit_2_before_any_work(tmp_path: Path, case: str) -> None:
    out = tmp_path / "out"
    args = [*OPTIONS[case], "--out", str(out)] if OPTIONS[case][0] != "explain" else OPTIONS[case]
    result = runner.invoke(app, ["--lang", "en", *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and not out.exists()
    assert "Invalid value" in result.output


def test_a_port_that_is_not_a_dask_scheduler_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    accepted: list[socket.socket] = []
    threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True).start()
    port = listener.getsockname()[1]
    monkeypatch.setattr(batch, "DASK_CONNECT_SECONDS", 1.0)
    variant = tmp_path / "v.yaml"
    variant.write_text(yaml.safe_dump({"base": "tutorial", "patches": []}), encoding="utf-8")
    out = tmp_path / "out"
    args = ["compare", "tutorial", str(variant), "--out", str(out), "--scheduler", f"tcp://127.0.0.1:{port}"]
    try:
        result = runner.invoke(app, ["--lang", "en", *args, "--seeds", "1", "--time-limit", "1"])
    finally:
        listener.close()
        for conn in accepted:
            conn.close()
    assert result.exit_code == 2, result.output
    assert "no Dask scheduler answered" in " ".join(result.output.split())
    assert not out.exists()


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_deep_nesting_is_bad_input(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"deep{suffix}"
    path.write_text('{"calendar": ' + "[" * 20000 + "]" * 20000 + "}", encoding="utf-8")
    result = runner.invoke(app, ["--lang", "en", "validate", str(path)])
    assert result.exit_code == 2, result.output
    assert f"deep{suffix}: cannot be parsed: nested too deeply" in " ".join(result.output.split())


def test_input_files_and_lists_have_size_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from llct_sched.scenario import reading  # the limits' home (llct_sched.scenario.loading re-exports them)

    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(_plain(tiny_data()), allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(reading, "MAX_ITEMS", 2)
    result = runner.invoke(app, ["--lang", "en", "validate", str(path)])
    assert result.exit_code == 2 and "s.yaml: classes: 3 entries; at most 2" in " ".join(result.output.split())
    monkeypatch.setattr(reading, "MAX_INPUT_BYTES", 100)
    result = runner.invoke(app, ["--lang", "en", "validate", str(path)])
    assert result.exit_code == 2 and "input files are limited to" in " ".join(result.output.split())


def test_a_baseline_of_another_scenario_is_refused_and_check_warns(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(yaml.safe_dump(_plain(tiny_data()), allow_unicode=True), encoding="utf-8")
    other = tmp_path / "other.yaml"
    other.write_text(yaml.safe_dump(_plain(tiny_data(name="other")), allow_unicode=True), encoding="utf-8")
    baseline = tmp_path / "baseline"
    solved = runner.invoke(
        app, ["--lang", "en", "solve", str(other), "--out", str(baseline), "--time-limit", "5", "--quiet"]
    )
    assert solved.exit_code == 0, solved.output
    changes = tmp_path / "changes.yaml"
    changes.write_text("changes: []\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["replan", str(scenario), "--baseline", str(baseline), "--changes", str(changes), "--out", str(out)]
    result = runner.invoke(app, ["--lang", "en", *args])
    assert result.exit_code == 2, result.output
    assert "baseline: scenario: a timetable of scenario 'other', not of 'tiny'" in " ".join(result.output.split())
    assert not out.exists()
    checked = runner.invoke(app, ["--lang", "en", "check", str(scenario), str(baseline)])
    assert "the timetable is of scenario 'other', not 'tiny'" in " ".join(checked.output.split())


def test_a_full_disk_while_publishing_is_a_clean_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from llct_sched import reports

    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(reports, "write_reports", full)
    scenario = tmp_path / "s.yaml"
    scenario.write_text(yaml.safe_dump(_plain(tiny_data()), allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["--lang", "en", "solve", str(scenario), "--out", str(out), "--time-limit", "3", "--quiet"]
    )
    assert result.exit_code == 2, result.output
    assert "No space left on device" in " ".join(result.output.split())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml"]


@pytest.mark.parametrize("command", [["example"], ["generate", "--scale", "1"], ["template"]])
def test_a_single_output_file_that_cannot_be_written_is_exit_2(tmp_path: Path, command: list[str]) -> None:
    target = tmp_path / ("t.xlsx" if command == ["template"] else "t.yaml")
    target.mkdir()  # a folder where the file should go
    result = runner.invoke(app, ["--lang", "en", *command, "-o", str(target)])
    assert result.exit_code == 2, result.output
    assert "cannot write" in result.output and "Traceback" not in result.output


def test_one_pass_reports_type_errors_and_the_other_problems_of_the_file(tmp_path: Path) -> None:
    data = _plain(tiny_data())
    data["classes"][0]["learners"] = "many"  # a type error
    data["rooms"][1]["seats"] = "x"  # another
    data["classes"][2]["program"] = "NOPE"  # a semantic error elsewhere in the file
    data["programs"][0]["modules"][0]["sessions"] = "two"  # a type error in the program classes 0-1 use
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["--lang", "en", "validate", str(path)])
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "s.yaml: classes[0].learners: must be a whole number" in text
    assert "s.yaml: rooms[1].seats: must be a whole number" in text
    assert "s.yaml: programs[0].modules[0].sessions: must be a whole number" in text
    assert "s.yaml: classes[2].program: class 'SC-1' refers to unknown program 'NOPE'" in text
    assert "'BD3'" not in text  # the program left out for its type error is not reported as unknown
    assert "4 problem(s)" in text


def test_a_read_only_output_folder_is_exit_2_before_solving(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from llct_sched import files

    monkeypatch.setattr(files.os, "access", lambda path, mode: False)  # as a read-only folder answers
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["--lang", "en", "solve", "tutorial", "--out", str(out), "--time-limit", "5", "--quiet"]
    )
    assert result.exit_code == 2, result.output
    assert "the folder is not writable" in " ".join(result.output.split())
    assert "Traceback" not in result.output and not out.exists()
