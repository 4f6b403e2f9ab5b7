"""For province.py `off` only: the first phase without `interleave_search` in every process."""

import importlib
import os

if os.environ.get("LLCT_STUDY_NO_INTERLEAVE"):
    search = importlib.import_module("llct_sched.solve.search")
    search._default_portfolio = lambda workers, teaching: {}
