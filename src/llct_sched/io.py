"""Compatibility: `llct_sched.io` is now `llct_sched.scenario.loading` (issue 25). Kept for users'
`from llct_sched.io import load_scenario`; the package's own modules import the new path."""

from llct_sched.scenario import loading
from llct_sched.scenario.loading import *  # noqa: F403 (the public names, listed once in loading.__all__)

__all__ = loading.__all__
