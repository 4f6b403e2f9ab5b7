"""Result folders are replaced whole or not at all; safe file names; safe spreadsheet cells."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

from llct_sched import files
from llct_sched.files import OutputError, file_name, publish_folder, safe_cell, unsafe_cell

OLD = {"summary.json": b"{}", "a.txt": b"old a", "stale.txt": b"only in the old result", "sub/b.txt": b"old b"}
NEW = {"summary.json": b'{"new": 1}', "a.txt": b"new a", "sub/b.txt": b"new b", "sub/c.txt": b"new c"}


def _make(folder: Path, content: dict[str, bytes]) -> None:
    for name, data in content.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


def _state(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _leftovers(parent: Path, out: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{out.name}."))


def test_a_published_folder_replaces_the_old_one_whole(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    _make(out, OLD)
    with publish_folder(out) as staging:
        assert staging.parent == out.parent and staging != out
        _make(staging, NEW)
        assert _state(out) == OLD  # nothing is visible before the block ends
    assert _state(out) == NEW  # the stale file of the earlier result is gone
    assert _leftovers(tmp_path, out) == []


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_a_failure_inside_the_block_leaves_the_old_folder_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    if not exchange:
        monkeypatch.setattr(files, "_exchange", lambda a, b: False)
    out = tmp_path / "out"
    out.mkdir()
    _make(out, OLD)
    with pytest.raises(RuntimeError), publish_folder(out) as staging:
        _make(staging, NEW)
        raise RuntimeError("disk full")
    assert _state(out) == OLD
    assert _leftovers(tmp_path, out) == []


def test_keep_starts_from_a_copy_of_the_old_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    _make(out, OLD)
    with publish_folder(out, keep=True) as staging:
        (staging / "report.txt").write_bytes(b"added")
    assert _state(out) == OLD | {"report.txt": b"added"}


def test_an_output_that_is_a_file_or_read_only_is_refused_before_writing(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="not a folder"), publish_folder(afile):
        pass
    assert afile.read_text(encoding="utf-8") == "x"
    if os.geteuid() == 0:
        return  # root writes anywhere: the read-only case cannot be made
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="not writable"), publish_folder(locked / "out"):
            pass
    finally:
        locked.chmod(0o700)


def test_a_folder_of_other_files_is_never_replaced(tmp_path: Path) -> None:
    mine = tmp_path / "project"
    mine.mkdir()
    (mine / "thesis.docx").write_bytes(b"months of work")
    with pytest.raises(OutputError, match="no earlier result"), publish_folder(mine) as staging:
        _make(staging, NEW)
    assert _state(mine) == {"thesis.docx": b"months of work"}
    with pytest.raises(OutputError, match="root folder"), publish_folder(Path("/")):
        pass


def test_a_second_writer_waits_for_the_lock_then_gives_up(tmp_path: Path) -> None:
    out = tmp_path / "out"
    inside, release = threading.Event(), threading.Event()

    def first() -> None:
        with publish_folder(out) as staging:
            _make(staging, NEW)
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=first)
    thread.start()
    assert inside.wait(10)
    try:
        with pytest.raises(OutputError, match="another llct-sched run"), publish_folder(out, wait=0.3) as staging:
            _make(staging, OLD)
    finally:
        release.set()
        thread.join(10)
    assert _state(out) == NEW
    assert _leftovers(tmp_path, out) == []


# A writer killed (os._exit: no clean-up at all) at each step of publishing: the folder must hold
# the old or the new result, never a mixture, and the next writer removes what was left behind.
KILLER = """
import os, shutil, sys
from pathlib import Path
from llct_sched import files

out, step, exchange = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
new = {"summary.json": b'{"new": 1}', "a.txt": b"new a", "sub/b.txt": b"new b", "sub/c.txt": b"new c"}
calls = [0]

def killing(fn):
    def wrapper(*args, **kwargs):
        calls[0] += 1
        if calls[0] == step:
            os._exit(9)
        return fn(*args, **kwargs)
    return wrapper

if not exchange:
    files._exchange = lambda a, b: False
else:
    files._exchange = killing(files._exchange)
os.rename = killing(os.rename)
os.mkdir = killing(os.mkdir)
shutil.rmtree = killing(shutil.rmtree)
Path.write_bytes = killing(Path.write_bytes)
with files.publish_folder(out) as staging:
    for name, data in new.items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_bytes(data)
print("steps", calls[0])
"""


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_a_writer_killed_at_any_step_leaves_the_old_or_the_new_folder(tmp_path: Path, exchange: bool) -> None:
    script = tmp_path / "killer.py"
    script.write_text(KILLER, encoding="utf-8")
    seen = set()
    for step in range(1, 40):
        parent = tmp_path / f"run{step}"
        out = parent / "out"
        out.mkdir(parents=True)
        _make(out, OLD)
        run = subprocess.run(
            [sys.executable, str(script), str(out), str(step), "1" if exchange else "0"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        finished = run.returncode == 0
        assert finished or run.returncode == 9, run.stderr
        if out.exists():
            state = _state(out)
            assert state in (OLD, NEW), (step, state)
            seen.add("new" if state == NEW else "old")
        else:  # between the two renames: the next writer puts the old folder back
            assert not exchange, step
            seen.add("missing")
        with pytest.raises(RuntimeError), publish_folder(out):
            raise RuntimeError("a later writer that fails")
        assert _state(out) in (OLD, NEW), step
        assert _leftovers(parent, out) == [], step
        if finished:
            assert _state(out) == NEW
            break
    else:
        pytest.fail("the writer never finished")
    assert {"old", "new"} <= seen
    if not exchange:
        assert "missing" in seen  # the repair path was exercised


def test_file_names_are_injective_and_never_a_path() -> None:
    ids = [
        "gv_Nguyễn",
        "gv_Nguy_n",
        "gv_Nguy%C3n",
        "../../etc/passwd",
        "a/b",
        "a_b",
        "..",
        ".",
        "~x",
        "%7Ex",
        "x" * 600,
    ]
    names = [file_name("lecturer_", i, ".ics") for i in ids]
    assert len(set(names)) == len(ids)
    for name in names:
        assert "/" not in name and "\\" not in name and not name.startswith(".")
        assert len(name.encode()) <= files.MAX_NAME_BYTES
        assert Path(name).name == name
    assert file_name("", "..", "") not in (".", "..")
    assert file_name("lecturer_", "GV01", ".ics") == "lecturer_GV01.ics"  # plain ids stay readable


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x")', "=cmd|'/C calc'!A0", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
)
def test_formula_like_text_is_neutralised_and_reads_back(text: str) -> None:
    safe = safe_cell(text)
    assert safe == "'" + text
    assert unsafe_cell(safe) == text


def test_plain_text_and_numbers_are_left_alone() -> None:
    assert safe_cell("GV01") == "GV01"
    assert safe_cell(-5) == -5 and safe_cell(-2.5) == -2.5
    assert unsafe_cell("'quoted") == "'quoted"


def test_csv_cells_are_neutralised(tmp_path: Path) -> None:
    frame = pd.DataFrame({"name": ["=1+1", "ok", "@x"], "n": [-1, 2, 3]})
    files.write_csv(tmp_path / "t.csv", frame)
    back = pd.read_csv(tmp_path / "t.csv")
    assert list(back["name"]) == ["'=1+1", "ok", "'@x"]
    assert list(back["n"]) == [-1, 2, 3]  # numbers stay numbers
    assert list(frame["name"]) == ["=1+1", "ok", "@x"]  # the caller's table is not changed
