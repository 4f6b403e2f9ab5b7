"""Reading input text into validated models: size limits, YAML / JSON parsing, pydantic's errors
as located issues, the built-in scenarios. The lowest layer of loading: `llct_sched.scenario.loading` (which
loads a scenario from any kind of source), `variants` and `replan` read their files with it.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from llct_sched.errors import InputIssue, ScenarioError, format_path
from llct_sched.i18n import _, pydantic_message

BUILTIN_SCENARIOS = ("hoang_mai_2020", "tutorial")

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


MAX_INPUT_BYTES = 16 * 2**20  # a province's plan is well below 5 MB of YAML
MAX_ITEMS = 20_000  # entries of any one list (classes, sessions, holidays, ...)


def read_input_text(path: Path) -> str:
    """The UTF-8 text of an input file of at most MAX_INPUT_BYTES, or a located ScenarioError."""
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            message = _("is {size:.1f} MB; input files are limited to {most} MB").format(
                size=size / 2**20, most=MAX_INPUT_BYTES // 2**20
            )
            raise ScenarioError([InputIssue(path="", message=message, file=str(path))])
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        message = _("cannot be read: {error}").format(error=error)
        raise ScenarioError([InputIssue(path="", message=message, file=str(path))]) from None


def check_size(path: Path) -> None:
    """A located ScenarioError when the file is larger than MAX_INPUT_BYTES (for files read otherwise than as text)."""
    if path.is_file() and path.stat().st_size > MAX_INPUT_BYTES:
        read_input_text(path)  # raises the located error


def parse_text(text: str, file: str = "", fmt: str = "yaml") -> Any:
    """YAML or JSON text as plain data; unparsable or too deeply nested text is a located ScenarioError."""
    try:
        return json.loads(text) if fmt == "json" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as error:
        message = _("cannot be parsed: {error}").format(error=error)
        raise ScenarioError([InputIssue(path="", message=message, file=file)]) from None
    except RecursionError:
        message = _("cannot be parsed: nested too deeply")
        raise ScenarioError([InputIssue(path="", message=message, file=file)]) from None


def _too_long(data: Any, path: tuple[int | str, ...] = ()) -> list[InputIssue]:
    """Lists longer than MAX_ITEMS, anywhere in the data."""
    if isinstance(data, dict):
        return [i for key, value in data.items() for i in _too_long(value, (*path, str(key)))]
    if isinstance(data, list):
        if len(data) > MAX_ITEMS:
            message = _("{n} entries; at most {most}").format(n=len(data), most=MAX_ITEMS)
            return [InputIssue(path=format_path(path), message=message)]
        return [i for k, value in enumerate(data) for i in _too_long(value, (*path, k))]
    return []


def model_from_data(model: type[M], data: Any, file: str = "") -> M:
    """Validate already-parsed data as `model` (a scenario, a variant, a changes file), raising
    ScenarioError with every issue, located."""
    if not isinstance(data, dict):
        message = _("the file must hold a mapping (keys and values)")
        raise ScenarioError([InputIssue(path="", message=message, file=file)])
    too_long = _too_long(data)
    if too_long:
        raise ScenarioError([InputIssue(path=i.path, message=i.message, file=file) for i in too_long])
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(pydantic_issues(error, file)) from None


def model_from_yaml(model: type[M], text: str, file: str = "") -> M:
    """Parse YAML text and validate it as `model`; every problem is a located ScenarioError."""
    return model_from_data(model, parse_text(text, file), file)


def builtin_scenario_text(name: str) -> str:
    """The YAML text of a scenario shipped inside the package."""
    if name not in BUILTIN_SCENARIOS:
        raise ScenarioError(
            [
                InputIssue(
                    path="",
                    message=_("no built-in scenario '{name}' (have: {names})").format(
                        name=name, names=", ".join(BUILTIN_SCENARIOS)
                    ),
                )
            ]
        )
    return resources.files("llct_sched.data").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
