"""Hypothesis-made bad input through the command line. The contract: exit 2 with a message that
names the file, no traceback, nothing written (or, when the mutation happens to be valid, an
ordinary exit). Kept small (a few dozen examples each) to stay fast in CI."""

from __future__ import annotations

import copy
import csv
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from llct_sched.cli import app
from tiny import tiny_data

runner = CliRunner()
FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

HOSTILE_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", "=1+1", "a\nb", "x\x00y", "../../x", "a/b", "2020-02-30", "9999-12-31", "nan"]),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _fresh(tmp_path: Path) -> Path:
    """A new folder for one example (hypothesis runs many in one test's tmp_path)."""
    return Path(tempfile.mkdtemp(dir=tmp_path))


def _plain(data: Any) -> Any:
    return yaml.safe_load(yaml.safe_dump(data, allow_unicode=True))


def _paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in the data where a value can be replaced."""
    found = [path] if path else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*path, key))
    elif isinstance(data, list):
        for k, value in enumerate(data):
            found += _paths(value, (*path, k))
    return found


def _mutate(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    mutated = copy.deepcopy(data)
    node = mutated
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return mutated


BASE = _plain(tiny_data())
BASE_PATHS = _paths(BASE)


def _dump(path: Path, data: Any) -> Path:
    try:
        text = yaml.safe_dump(data, allow_unicode=True)
    except yaml.YAMLError:
        text = repr(data)  # not representable: the file is then unparsable text, also bad input
    path.write_text(text, encoding="utf-8")
    return path


def _assert_contract(result: Any, file: Path, out: Path | None = None, ok: tuple[int, ...] = (0,)) -> None:
    assert result.exit_code in (2, *ok), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert file.name in result.output.replace("\n", "")
        if out is not None:
            assert not out.exists()


@FUZZ
@given(where=st.sampled_from(BASE_PATHS), value=HOSTILE_VALUES)
def test_malformed_scenarios(tmp_path: Path, where: tuple[Any, ...], value: Any) -> None:
    tmp_path = _fresh(tmp_path)
    scenario = _dump(tmp_path / "s.yaml", _mutate(BASE, where, value))
    result = runner.invoke(app, ["validate", str(scenario)])
    _assert_contract(result, scenario)
    if result.exit_code == 2:  # the same file given to solve: nothing written
        out = tmp_path / "out"
        solved = runner.invoke(app, ["solve", str(scenario), "--out", str(out), "--time-limit", "1", "--quiet"])
        _assert_contract(solved, scenario, out, ok=())


@FUZZ
@given(text=st.text(max_size=200))
def test_arbitrary_text_as_a_scenario(tmp_path: Path, text: str) -> None:
    tmp_path = _fresh(tmp_path)
    scenario = tmp_path / "s.yaml"
    scenario.write_text(text, encoding="utf-8")
    _assert_contract(runner.invoke(app, ["validate", str(scenario)]), scenario, ok=())


VARIANT = {
    "name": "v",
    "base": "base.yaml",
    "patches": [
        {"change": {"what": "classes", "id": "BD-A", "set": {"learners": 60}}},
        {"scale_learners": {"factor": 1.1}},
        {"remove": {"what": "rooms", "id": "R1"}},
    ],
}
VARIANT_PATHS = _paths(VARIANT)


@FUZZ
@given(where=st.sampled_from(VARIANT_PATHS), value=HOSTILE_VALUES)
def test_malformed_variants(tmp_path: Path, where: tuple[Any, ...], value: Any) -> None:
    tmp_path = _fresh(tmp_path)
    _dump(tmp_path / "base.yaml", BASE)
    variant = _dump(tmp_path / "variant.yaml", _mutate(VARIANT, where, value))
    result = runner.invoke(app, ["validate", str(variant)])
    _assert_contract(result, variant)


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("fuzz")
    scenario = _dump(folder / "s.yaml", BASE)
    out = folder / "baseline"
    result = runner.invoke(app, ["solve", str(scenario), "--out", str(out), "--time-limit", "5", "--quiet"])
    assert result.exit_code == 0, result.output
    return scenario, out


CHANGES = {
    "changes": [
        {"lecturer_away": {"lecturer": "FT1", "start": "2020-03-16", "end": "2020-03-20"}},
        {"room_closed": {"room": "R1", "start": "2020-03-16", "end": "2020-03-18"}},
        {"learners": {"class_id": "BD-B", "learners": 40}},
    ]
}
CHANGES_PATHS = _paths(CHANGES)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=st.sampled_from(CHANGES_PATHS), value=HOSTILE_VALUES)
def test_malformed_change_files(tmp_path: Path, solved: tuple[Path, Path], where: tuple[Any, ...], value: Any) -> None:
    tmp_path = _fresh(tmp_path)
    scenario, baseline = solved
    changes = _dump(tmp_path / "changes.yaml", _mutate(CHANGES, where, value))
    out = tmp_path / "out"
    args = ["replan", str(scenario), "--baseline", str(baseline), "--changes", str(changes), "--out", str(out)]
    result = runner.invoke(app, [*args, "--time-limit", "0.5", "--workers", "1", "--quiet"])
    _assert_contract(result, changes, out, ok=(0, 1))


@FUZZ
@given(
    row=st.integers(min_value=0, max_value=12),
    column=st.integers(min_value=0, max_value=10),
    value=st.sampled_from(["", "x", "-1", "999", "2020-13-01", "=1+1", "'=1", "nan", "1e400", "a\nb", "\x00"]),
    drop_column=st.booleans(),
)
def test_tampered_sessions_csv(
    tmp_path: Path, solved: tuple[Path, Path], row: int, column: int, value: str, drop_column: bool
) -> None:
    tmp_path = _fresh(tmp_path)
    scenario, baseline = solved
    with (baseline / "sessions.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    r = min(row, len(rows) - 1)
    c = min(column, len(rows[0]) - 1)
    if drop_column:
        rows = [line[:c] + line[c + 1 :] for line in rows]
    else:
        rows[r][c] = value
    folder = tmp_path / "hand"
    folder.mkdir()
    with (folder / "sessions.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    (folder / "observations.csv").write_bytes((baseline / "observations.csv").read_bytes())
    result = runner.invoke(app, ["check", str(scenario), str(folder)])
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code == 2:
        assert "sessions.csv" in result.output.replace("\n", "")
