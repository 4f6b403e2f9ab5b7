"""Reading and writing scenarios (YAML or JSON), and writing output files atomically."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from llct_sched.errors import InputIssue, ScenarioError, format_path
from llct_sched.i18n import pydantic_message
from llct_sched.scenario import Scenario

M = TypeVar("M", bound=BaseModel)

BUILTIN_SCENARIOS = ("hoang_mai_2020", "tutorial")


def pydantic_issues(error: ValidationError, file: str = "") -> list[InputIssue]:
    """Turn pydantic's errors into located, plain-words issues."""
    issues = []
    for item in error.errors():
        loc = [p for p in item["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        message = pydantic_message(dict(item))
        issues.append(InputIssue(path=format_path(loc), message=message, file=file))
    return issues


def model_from_data(model: type[M], data: Any, file: str = "") -> M:
    """Validate already-parsed data as `model` (a scenario, a variant, a changes file), raising
    ScenarioError with every issue, located."""
    if not isinstance(data, dict):
        raise ScenarioError([InputIssue(path="", message="the file must hold a mapping (keys and values)", file=file)])
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(pydantic_issues(error, file)) from None


def model_from_yaml(model: type[M], text: str, file: str = "") -> M:
    """Parse YAML text and validate it as `model`; every problem is a located ScenarioError."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ScenarioError([InputIssue(path="", message=f"cannot be parsed: {error}", file=file)]) from None
    return model_from_data(model, data, file)


def scenario_from_data(data: Any, file: str = "") -> Scenario:
    """Validate already-parsed data as a Scenario, raising ScenarioError with every issue."""
    return model_from_data(Scenario, data, file)


def parse_scenario_text(text: str, file: str = "", fmt: str = "yaml") -> Scenario:
    try:
        data = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as error:
        raise ScenarioError([InputIssue(path="", message=f"cannot be parsed: {error}", file=file)]) from None
    return scenario_from_data(data, file)


def load_scenario(source: str | Path) -> Scenario:
    """Load a scenario from a YAML, JSON or Excel file, a variant file (base + patches), an ITC-2007
    instance (.ectt), or a built-in name such as 'hoang_mai_2020'.

    Raises ScenarioError (never a traceback-worthy exception) when the input is unusable.
    """
    text_source = str(source)
    if text_source in BUILTIN_SCENARIOS:
        return parse_scenario_text(builtin_scenario_text(text_source), file=f"<builtin {text_source}>")
    path = Path(source)
    if not path.exists():
        raise ScenarioError([InputIssue(path="", message="no such file", file=str(path))])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from llct_sched.excel_in import load_scenario_workbook

        return load_scenario_workbook(path)
    if path.suffix.lower() == ".ectt":
        return _load_itc2007(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError([InputIssue(path="", message=f"cannot be read: {error}", file=str(path))]) from None
    fmt = "json" if path.suffix.lower() == ".json" else "yaml"
    if fmt == "yaml" and _is_variant(text):
        from llct_sched.variants import load_variant

        return load_variant(path).scenario
    return parse_scenario_text(text, file=str(path), fmt=fmt)


def _load_itc2007(path: Path) -> Scenario:
    """An ITC-2007 track 3 instance as a scenario (docs/rules.md, "ITC-2007 instances as scenarios")."""
    from llct_sched.itc2007 import read_ectt
    from llct_sched.itc2007_scenario import scenario_from_itc

    try:
        return scenario_from_itc(read_ectt(path))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ScenarioError([InputIssue(path="", message=str(error), file=str(path))]) from None


def _is_variant(text: str) -> bool:
    """A variant file (a base scenario plus patches) can stand wherever a scenario file can."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    return isinstance(data, dict) and "base" in data and "calendar" not in data


def builtin_scenario_text(name: str) -> str:
    """The YAML text of a scenario shipped inside the package."""
    if name not in BUILTIN_SCENARIOS:
        raise ScenarioError(
            [InputIssue(path="", message=f"no built-in scenario '{name}' (have: {', '.join(BUILTIN_SCENARIOS)})")]
        )
    return resources.files("llct_sched.data").joinpath(f"{name}.yaml").read_text(encoding="utf-8")


def scenario_to_data(scenario: Scenario) -> dict[str, Any]:
    """Plain data (JSON-compatible) with defaults left out, for writing back to a file."""
    return scenario.model_dump(mode="json", exclude_defaults=True)


def scenario_to_yaml(scenario: Scenario) -> str:
    return yaml.safe_dump(scenario_to_data(scenario), allow_unicode=True, sort_keys=False)


@contextmanager
def atomic_directory(target: Path) -> Iterator[Path]:
    """Yield a temporary directory next to `target`; on success its files replace target's files.

    A failure inside the block leaves `target` as it was: no partial outputs.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield staging
        target.mkdir(parents=True, exist_ok=True)
        for item in sorted(staging.rglob("*")):
            dest = target / item.relative_to(staging)
            if item.is_dir():
                dest.mkdir(parents=True, exist_ok=True)
            else:
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.replace(item, dest)
    finally:
        for item in sorted(staging.rglob("*"), reverse=True):
            item.rmdir() if item.is_dir() else item.unlink()
        staging.rmdir()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(path: Path, text: str) -> None:
    """Write a file so that readers see the old or the new content, never a partial one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes owner-only files; give the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
