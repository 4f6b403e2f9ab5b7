"""Loading scenarios from any source (YAML, JSON, Excel, a variant file, an ITC-2007 instance, a
built-in name) and writing them back as YAML; files are written by llct_sched.files.

The reading helpers (size limits, parsing, located pydantic errors) live in `llct_sched.scenario.reading`
and are re-exported here. This module sits above the formats it dispatches to (`excel`,
`variants`, the ITC-2007 adapter); a variant's base is loaded with `load_scenario`, passed to
`variants` rather than imported by it, so that there is no import cycle (tests/test_imports.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from llct_sched.errors import InputIssue, ScenarioError
from llct_sched.i18n import _
from llct_sched.scenario import Scenario
from llct_sched.scenario.reading import (
    BUILTIN_SCENARIOS,
    MAX_INPUT_BYTES,
    MAX_ITEMS,
    builtin_scenario_text,
    check_size,
    model_from_data,
    model_from_yaml,
    parse_text,
    pydantic_issues,
    read_input_text,
)

if TYPE_CHECKING:
    from llct_sched.scenario.variants import LoadedVariant, Variant


def scenario_from_data(data: Any, file: str = "") -> Scenario:
    """Validate already-parsed data as a Scenario, raising ScenarioError with every issue: with
    type errors, the semantic errors of the rest of the file too (validate.validate_despite)."""
    try:
        return model_from_data(Scenario, data, file)
    except ScenarioError as error:
        from llct_sched.scenario.validate import validate_despite

        more = validate_despite(data, error.issues, file) if isinstance(data, dict) else []
        if not more:
            raise
        raise ScenarioError(error.issues + more) from None


def parse_scenario_text(text: str, file: str = "", fmt: str = "yaml") -> Scenario:
    return scenario_from_data(parse_text(text, file, fmt), file)


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
        raise ScenarioError([InputIssue(path="", message=_("no such file"), file=str(path))])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from llct_sched.scenario.excel import load_scenario_workbook

        check_size(path)
        return load_scenario_workbook(path)
    if path.suffix.lower() == ".ectt":
        check_size(path)
        return _load_itc2007(path)
    text = read_input_text(path)
    fmt = "json" if path.suffix.lower() == ".json" else "yaml"
    if fmt == "yaml" and _is_variant(text):
        return load_variant(path).scenario
    return parse_scenario_text(text, file=str(path), fmt=fmt)


def _load_itc2007(path: Path) -> Scenario:
    """An ITC-2007 track 3 instance as a scenario (docs/rules.md, "ITC-2007 instances as scenarios")."""
    from llct_sched.itc2007 import read_ectt
    from llct_sched.itc2007.scenario import scenario_from_itc

    try:
        return scenario_from_itc(read_ectt(path))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ScenarioError([InputIssue(path="", message=str(error), file=str(path))]) from None


def _is_variant(text: str) -> bool:
    """A variant file (a base scenario plus patches) can stand wherever a scenario file can."""
    try:
        data = yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError):
        return False
    return isinstance(data, dict) and "base" in data and "calendar" not in data


def scenario_to_data(scenario: Scenario) -> dict[str, Any]:
    """Plain data (JSON-compatible) with defaults left out, for writing back to a file."""
    return scenario.model_dump(mode="json", exclude_defaults=True)


def scenario_to_yaml(scenario: Scenario) -> str:
    return yaml.safe_dump(scenario_to_data(scenario), allow_unicode=True, sort_keys=False)


def load_variant(path: str | Path) -> LoadedVariant:
    """Read a variant file, apply its patches to its base and validate the patched scenario
    (`variants.load_variant` with this module's `load_scenario` for the base)."""
    from llct_sched.scenario import variants

    return variants.load_variant(path, load_scenario)


def load_variants(paths: Sequence[str | Path], reserved: tuple[str, ...] = ("base",)) -> list[LoadedVariant]:
    """Load several variant files; one ScenarioError with the issues of all of them (`variants.load_variants`)."""
    from llct_sched.scenario import variants

    return variants.load_variants(paths, load_scenario, reserved)


def variant_scenario(variant: Variant, file: str | Path | None = None) -> LoadedVariant:
    """Load the variant's base, apply its patches and validate the result (`variants.variant_scenario`)."""
    from llct_sched.scenario import variants

    return variants.variant_scenario(variant, load_scenario, file)


__all__ = [
    "BUILTIN_SCENARIOS",
    "MAX_INPUT_BYTES",
    "MAX_ITEMS",
    "builtin_scenario_text",
    "load_scenario",
    "load_variant",
    "load_variants",
    "model_from_data",
    "model_from_yaml",
    "parse_scenario_text",
    "parse_text",
    "pydantic_issues",
    "read_input_text",
    "scenario_from_data",
    "scenario_to_data",
    "scenario_to_yaml",
    "variant_scenario",
]
