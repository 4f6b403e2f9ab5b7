"""The run.py of 2026-12-05-performance-round-2, loaded once for this study's scripts (their rows
and columns are that study's: `_scale_row`, `part_province`, `part_variants`, `Table`)."""

import importlib.util
from pathlib import Path
from types import ModuleType


def _load() -> ModuleType:
    path = Path(__file__).resolve().parent.parent / "2026-12-05-performance-round-2" / "run.py"
    spec = importlib.util.spec_from_file_location("round2_run", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


run = _load()
