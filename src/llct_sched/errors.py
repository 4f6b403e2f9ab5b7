"""Errors and warnings about input, each located by file and path (or sheet, row and column)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from llct_sched.i18n import N_, _

SHEET = N_("Sheet '{name}'")
ROW = N_("row {row}")
COLUMN = N_("column '{column}'")
CSV_COLUMN = N_("column {column}")
KEY = N_("key '{key}'")


class Severity(StrEnum):
    error = "error"
    warning = "warning"


@dataclass(frozen=True)
class Cell:
    """Where in a table file a problem is: a workbook's sheet (None in a CSV file), its row (numbered
    as a spreadsheet shows them), column and, on a key / value sheet, the setting's key. Sheet,
    column and key are ids as the file holds them; the words around them are in the current language."""

    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    key: str | None = None

    def text(self) -> str:
        """The place in the current language, e.g. in English: Sheet 'classes', row 12, column
        'program'; row 3, column date (a CSV file); Sheet 'calendar', row 2, column 'value' (start)
        (a key after a row is the row's setting); Sheet 'calendar', key 'start' (no row)."""
        parts = [] if self.sheet is None else [_(SHEET).format(name=self.sheet)]
        if self.row is not None:
            parts.append(_(ROW).format(row=self.row))
        if self.column is not None:
            parts.append(_(COLUMN if self.sheet is not None else CSV_COLUMN).format(column=self.column))
        if self.key is not None and self.row is None:
            parts.append(_(KEY).format(key=self.key))
        text = ", ".join(parts)
        if self.key is not None and self.row is not None:
            text += f" ({self.key})"
        return text


@dataclass(frozen=True)
class InputIssue:
    """One problem in an input file: where it is and what is wrong, in plain words.

    `path` is where, as shown: a scenario path ("classes[12].program") or, in a table file, the
    `cell`'s text; `cell` is that place's sheet, row and column (None for a scenario path)."""

    path: str
    message: str
    severity: Severity = Severity.error
    file: str = ""
    cell: Cell | None = None

    @classmethod
    def at(cls, cell: Cell, message: str, file: str = "", severity: Severity = Severity.error) -> InputIssue:
        """An issue at a cell of a table file, its place written out in the current language."""
        return cls(path=cell.text(), message=message, severity=severity, file=file, cell=cell)

    def __str__(self) -> str:
        where = f"{self.file}: " if self.file else ""
        location = f"{self.path}: " if self.path else ""
        return f"{where}{location}{self.message}"


class ScenarioError(Exception):
    """Raised when input cannot be used; carries every issue found, not only the first."""

    def __init__(self, issues: list[InputIssue]):
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))


def format_path(parts: tuple[int | str, ...] | list[int | str]) -> str:
    """('classes', 12, 'program') -> 'classes[12].program'."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parse_path(path: str) -> tuple[int | str, ...]:
    """'classes[12].program' -> ('classes', 12, 'program') (the inverse of `format_path`)."""
    return tuple(int(index) if index else name for name, index in _PATH_PART.findall(path))
