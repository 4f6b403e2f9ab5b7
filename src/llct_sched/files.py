"""Every file the package writes goes through here: atomic files, whole result folders, safe names
and spreadsheet cells.

- `save_atomic(path, write)` (and `write_text_atomic`, `save_bytes_atomic`): a temporary file in
  the same folder, then `os.replace`; readers see the old or the new content, never a part.
- `publish_folder(out)`: a context manager yielding a staging folder next to `out` (same file
  system); on success the staging folder replaces `out` as a whole (an atomic exchange where the
  system has one, else two renames that the next writer repairs), the old folder is deleted; on
  any failure or interrupt `out` stays byte-identical and the staging folder is removed. A lock
  file (`.<name>.lock`, next to `out`) keeps two writers apart.
- `file_name(prefix, id, suffix)`: an injective, safe file name for an id (never a path part).
- `safe_cell(value)`: the OWASP rule against formula (CSV) injection for spreadsheet and CSV cells.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import hashlib
import os
import secrets
import shutil
import signal
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from llct_sched.i18n import _

LOCK_WAIT_SECONDS = 30.0  # a second writer of the same folder waits this long, then gives up
MAX_NAME_BYTES = 200  # file names stay below every common file system's limit (255)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class OutputError(Exception):
    """An output folder or file cannot be written (not a folder, read-only, locked, disk full)."""


# ---------------------------------------------------------------- single files


def save_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Call `write(tmp)` on a temporary path next to `path`, then move it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # created with mode 0o666 minus the umask, like an ordinary file (mkstemp would make it 0o600)
    while True:
        tmp = path.parent / f".{path.stem}.{secrets.token_hex(6)}{path.suffix}"
        try:
            os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
            break
        except FileExistsError:
            continue
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def save_bytes_atomic(path: Path, data: bytes) -> None:
    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    save_atomic(path, write)


def write_text_atomic(path: Path, text: str) -> None:
    """Write a UTF-8 text file so that readers see the old or the new content, never a partial one."""
    save_bytes_atomic(path, text.encode("utf-8"))


save_text_atomic = write_text_atomic


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    """A table as UTF-8 CSV with every text cell neutralised against formula injection."""
    safe_frame(frame).to_csv(path, index=False, encoding="utf-8")


def save_workbook(path: Path, workbook: Any) -> None:
    """Save an openpyxl workbook atomically, every text cell neutralised first (`safe_cell`): text
    such as `=HYPERLINK(...)` from a name stays text, never a live formula."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    safe = safe_cell(cell.value)
                    if safe is not cell.value:
                        cell.value = safe
    save_atomic(path, lambda tmp: workbook.save(tmp))


# ---------------------------------------------------------------- cells and names


def safe_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would read as a formula gets a leading single quote (OWASP);
    numbers and other values are returned unchanged (a negative number stays a number)."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def unsafe_cell(value: str) -> str:
    """The inverse of `safe_cell` on text read back from a CSV this package wrote."""
    if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with `safe_cell` applied to every text cell (and column name)."""
    safe = frame.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(safe_cell)
    safe.columns = [safe_cell(c) for c in safe.columns]
    return safe


def file_name(prefix: str, ident: str, suffix: str) -> str:
    """`prefix + quoted(ident) + suffix`: distinct ids give distinct names (percent-encoding of every
    byte outside A-Z a-z 0-9 _ - ., so `gv_Nguyễn` and `gv_Nguy_n` differ), never a path part
    ('/' and '..' alone cannot appear); an over-long name keeps a prefix and a hash of the id."""
    quoted = urllib.parse.quote(ident, safe="").replace("~", "%7E")
    name = f"{prefix}{quoted}{suffix}"
    if len(name.encode()) > MAX_NAME_BYTES:
        digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
        name = f"{prefix}{quoted[: MAX_NAME_BYTES - len(prefix) - len(suffix) - 40]}~{digest}{suffix}"
    if name in (".", "..") or name.startswith("."):
        name = "_" + name
    return name


# ---------------------------------------------------------------- whole folders


def _siblings(out: Path, kind: str) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.{kind}-*"))


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    libc = ctypes.CDLL(name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(a))


def _repair(out: Path) -> None:
    """Undo what a killed writer left (under the lock): a missing folder comes back from its
    moved-away copy; staging and old copies are deleted."""
    olds = _siblings(out, "old")
    if not out.exists() and olds:
        os.rename(olds[-1], out)
    for leftover in [*_siblings(out, "staging"), *_siblings(out, "old")]:
        _remove(leftover)


@contextmanager
def _lock(out: Path, wait: float) -> Iterator[None]:
    """An exclusive lock file next to `out`, removed on release."""
    path = out.parent / f".{out.name}.lock"
    deadline = time.monotonic() + wait
    while True:
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() > deadline:
                message = _("{out}: another llct-sched run is writing this folder (lock {lock})")
                raise OutputError(message.format(out=out, lock=path)) from None
            time.sleep(0.1)
            continue
        try:  # the lock file may have been removed by the writer before us: lock the live one
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(fd)


def output_problem(out: Path) -> str | None:
    """Why the folder `out` could not be written, checked without writing anything; None if it can."""
    out = Path(out).absolute()
    if out.exists() and not out.is_dir():
        return _("{out}: exists and is not a folder").format(out=out)
    if out.parent == out:
        return _("{out}: the root folder cannot be a result folder").format(out=out)
    if out.is_dir() and not _holds_result(out):
        return _(
            "{out}: holds other files and no earlier result; it would be replaced whole: choose a new folder"
        ).format(out=out)
    existing = out.parent
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        return _("{out}: is not a folder").format(out=existing)
    if not os.access(existing, os.W_OK | os.X_OK):
        return _("{out}: the folder is not writable").format(out=existing)
    return None


RESULT_MARKERS = ("summary.json", "timetable.json", "comparison.csv")  # files every kind of result has


def _holds_result(folder: Path) -> bool:
    """Empty, or an earlier result (so that replacing it whole loses nothing else)."""
    names = {p.name for p in folder.iterdir()}
    return not names or any(marker in names for marker in RESULT_MARKERS)


@contextmanager
def deferred_interrupts(reraise: bool = True) -> Iterator[list[int]]:
    """Hold Ctrl-C (SIGINT) during the block; yields the list of signals received meanwhile.

    On exit the previous handler comes back and, with `reraise`, a held Ctrl-C is delivered to it
    then. Only in the main thread (elsewhere signals cannot be handled: a no-op).
    """
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return
    previous = signal.signal(signal.SIGINT, lambda number, _frame: received.append(number))
    try:
        yield received
    finally:
        signal.signal(signal.SIGINT, previous)
    if received and reraise:
        signal.raise_signal(signal.SIGINT)


@contextmanager
def publish_folder(out: Path, keep: bool = False, wait: float = LOCK_WAIT_SECONDS) -> Iterator[Path]:
    """Yield a staging folder; when the block ends without an exception, it replaces `out` whole.

    `keep`: the staging folder starts as a copy of `out` (to add or rewrite some files of an
    existing result). Raises OutputError (a plain message) when `out` cannot be written.
    """
    out = Path(out).absolute()
    problem = output_problem(out)
    if problem is not None:
        raise OutputError(problem)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with deferred_interrupts(), _lock(out, wait):
            _repair(out)
            staging = out.parent / f".{out.name}.staging-{secrets.token_hex(6)}"
            try:
                if keep and out.is_dir():
                    shutil.copytree(out, staging, symlinks=True)
                else:
                    staging.mkdir()
                yield staging
                _swap(staging, out)
            finally:
                _remove(staging)
    except OSError as error:
        raise OutputError(
            _("{out}: cannot be written ({error})").format(out=out, error=error.strerror or error)
        ) from None


def _swap(staging: Path, out: Path) -> None:
    """Put `staging` in place of `out`, then delete the old folder."""
    os.chmod(staging, 0o777 & ~_umask())  # mkdir's mode, not a private temporary one
    if not out.exists():
        os.rename(staging, out)
        return
    if _exchange(staging, out):  # the old result is now at `staging`, deleted by the caller
        return
    old = out.parent / f".{out.name}.old-{secrets.token_hex(6)}"
    os.rename(out, old)
    os.rename(staging, out)
    _remove(old)


def _remove(path: Path) -> None:
    """Delete a folder (or a symbolic link that stood where the old folder was)."""
    if path.is_symlink():
        path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
