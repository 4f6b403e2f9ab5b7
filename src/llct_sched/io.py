"""Compatibility: `llct_sched.io` is now `llct_sched.scenario.loading` (issue 25). Kept for users'
`from llct_sched.io import load_scenario`; the package's own modules import the new path."""

from llct_sched.scenario.loading import (
    BUILTIN_SCENARIOS,
    MAX_INPUT_BYTES,
    MAX_ITEMS,
    builtin_scenario_text,
    load_scenario,
    load_variant,
    load_variants,
    model_from_data,
    model_from_yaml,
    parse_scenario_text,
    parse_text,
    pydantic_issues,
    read_input_text,
    scenario_from_data,
    scenario_to_data,
    scenario_to_yaml,
    variant_scenario,
)

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
