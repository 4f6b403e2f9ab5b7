"""Small scenarios built in code, for tests that need one rule to force an outcome."""

from __future__ import annotations

import datetime as dt
from typing import Any

from llct_sched.scenario import Scenario


def tiny_data(**overrides: Any) -> dict[str, Any]:
    """A four-week scenario: two rooms, three lecturers, two programs, three classes.

    Keys given as overrides replace the top-level entries of the scenario data.
    """
    data: dict[str, Any] = {
        "name": "tiny",
        "calendar": {
            "start": dt.date(2020, 3, 2),
            "end": dt.date(2020, 3, 27),
            "holidays": [{"start": dt.date(2020, 3, 9), "name": "a holiday"}],
        },
        "rooms": [
            {"id": "HALL", "seats": 120, "kind": "hall"},
            {"id": "R1", "seats": 50, "kind": "classroom"},
        ],
        "lecturers": [
            {"id": "FT1", "kind": "full_time", "topics": ["pol", "law"], "can_observe": True},
            {"id": "FT2", "kind": "full_time", "topics": ["pol", "law"], "can_observe": True},
            {
                "id": "PT1",
                "kind": "part_time",
                "topics": ["local"],
                "available": {"tue": ["morning"], "thu": ["afternoon"]},
            },
        ],
        "programs": [
            {
                "id": "BD3",
                "type": "boi_duong",
                "modules": [
                    {"id": "m1", "sessions": 2, "topic": "pol"},
                    {"id": "m2", "sessions": 1, "topic": "local"},
                    {"id": "m3", "sessions": 3, "topic": "law"},
                ],
            },
            {
                "id": "SC",
                "type": "so_cap",
                "modules": [
                    {"id": "s1", "sessions": 4, "topic": "pol"},
                    {"id": "s2", "sessions": 4, "topic": "law"},
                ],
                "delivery": {"blocks": 2, "sessions_per_day": 2, "min_gap_days": 3},
            },
        ],
        "classes": [
            {"id": "BD-A", "program": "BD3", "bloc": "dang", "learners": 100, "groups": ["ward1"]},
            {"id": "BD-B", "program": "BD3", "bloc": "doan_the", "learners": 45, "groups": ["ward1"]},
            {"id": "SC-1", "program": "SC", "learners": 40},
        ],
        "groups": [{"id": "ward1"}],
    }
    data.update(overrides)
    return data


def tiny(**overrides: Any) -> Scenario:
    return Scenario.model_validate(tiny_data(**overrides))
