"""Errors and warnings about input, each located by file and path (or sheet, row and column)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    error = "error"
    warning = "warning"


@dataclass(frozen=True)
class InputIssue:
    """One problem in an input file: where it is and what is wrong, in plain words."""

    path: str
    message: str
    severity: Severity = Severity.error
    file: str = ""

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
