"""Larger scenarios shaped like the default one, for benchmarks and province-wide tests.

`generate_scenario(scale, seed)` takes the built-in `hoang_mai_2020` scenario and makes `scale`
copies of its classes, rooms, lecturers, learner groups and cohorts, as if `scale` centers of the
same shape planned together with their rooms and lecturers pooled province-wide (any class may
use any room and any lecturer). Programs, the calendar and the observation policy are shared.

Copy k's ids end in ``-k{k}`` (``tc_lop_1-k2``); copy k's classes refer to copy k's groups and
cohorts. The copies are not identical: each class's learners are jittered by about 10% (staying
in the same room size band, so the room-day arithmetic of the default scenario still holds),
each cohort's learners by about 5% (within its per-class bounds), and the part-time lecturers'
weekly free half-days are redrawn (as many as before). Everything random comes from
``random.Random(seed)``: the same arguments always give the same scenario.

Targets keep the plan's shape: class counts are multiplied by `scale` (so the default plan's
"39 bồi dưỡng classes" disagreement is kept, on purpose), learner targets are the generated
classes' totals.
"""

from __future__ import annotations

import copy
import random
from typing import Any

from llct_sched.io import load_scenario
from llct_sched.scenario import LecturerKind, Period, Scenario, Weekday

__all__ = ["generate_scenario"]

BASE_SCENARIO = "hoang_mai_2020"
CLASS_JITTER = 0.10
COHORT_JITTER = 0.05


def _suffix(item_id: str, k: int) -> str:
    return f"{item_id}-k{k}"


def _named(data: dict[str, Any], k: int) -> None:
    """Suffix the id of a copied item (and its name, when it has one) with the copy number."""
    data["id"] = _suffix(data["id"], k)
    if data.get("name"):
        data["name"] = f"{data['name']} (k{k})"


def _jitter(rng: random.Random, value: int, share: float, low: int, high: int) -> int:
    """value +- about share*value, kept within [low, high] (and never below 1)."""
    spread = max(1, round(value * share))
    return max(low, 1, min(high, value + rng.randint(-spread, spread)))


def _seat_band(learners: int, seats: list[int]) -> tuple[int, int]:
    """The learners a class may have and still need the same size of room: (previous size, size]."""
    fitting = [s for s in seats if s >= learners]
    high = min(fitting) if fitting else learners
    smaller = [s for s in seats if s < high]
    return (max(smaller) + 1 if smaller else 1), high


def _reshuffled_availability(
    rng: random.Random, available: dict[Weekday, list[Period]], weekdays: list[Weekday]
) -> dict[Weekday, list[Period]]:
    """The same free half-days moved to other working weekdays, each keeping its period.

    The period is kept because a program's one-session modules sit at fixed periods of a class
    day (a morning module stays a morning module whatever the weekday): a part-timer free only
    on afternoons where every module of their topic is a morning one could never teach, never
    be observed, and the generated scenario would be infeasible.
    """
    periods = [p for ps in available.values() for p in set(ps)]
    chosen: set[tuple[Weekday, Period]] = set()
    for period in periods:
        free = [(day, period) for day in weekdays if (day, period) not in chosen]
        if free:
            chosen.add(rng.choice(free))
    return {
        day: [p for p in Period if (day, p) in chosen] for day in weekdays if any((day, p) in chosen for p in Period)
    }


def _target_learners(data: dict[str, Any], program_type: Any, bloc: Any) -> int:
    """Learners of the classes a target counts (rules as in validate: a cohort counts once)."""
    types = {p["id"]: p["type"] for p in data["programs"]}
    cohort_of = {c: h for h in data["cohorts"] for c in h["classes"]}
    total = 0
    seen: set[str] = set()
    for klass in data["classes"]:
        if types.get(klass["program"]) != program_type or (bloc is not None and klass["bloc"] != bloc):
            continue
        cohort = cohort_of.get(klass["id"])
        if cohort is None:
            total += klass["learners"] or 0
        elif cohort["id"] not in seen:
            seen.add(cohort["id"])
            total += cohort["learners"]
    return total


def generate_scenario(scale: int, seed: int = 0) -> Scenario:
    """A scenario like `hoang_mai_2020` but `scale` times larger (see the module docstring)."""
    if scale < 1:
        raise ValueError(f"scale must be at least 1, not {scale}")
    base = load_scenario(BASE_SCENARIO)
    source = base.model_dump()
    rng = random.Random(seed)
    seats = sorted(room.seats for room in base.rooms)
    weekdays = list(base.calendar.working_weekdays)

    rooms: list[dict[str, Any]] = []
    lecturers: list[dict[str, Any]] = []
    classes: list[dict[str, Any]] = []
    groups: list[dict[str, Any]] = []
    cohorts: list[dict[str, Any]] = []
    for k in range(1, scale + 1):
        for room in source["rooms"]:
            item = copy.deepcopy(room)
            _named(item, k)
            rooms.append(item)
        for group in source["groups"]:
            item = copy.deepcopy(group)
            _named(item, k)
            groups.append(item)
        for klass in source["classes"]:
            item = copy.deepcopy(klass)
            _named(item, k)
            item["groups"] = [_suffix(g, k) for g in item["groups"]]
            if item["pinned_room"] is not None:
                item["pinned_room"] = _suffix(item["pinned_room"], k)
            if item["learners"] is not None:
                low, high = _seat_band(item["learners"], seats)
                item["learners"] = _jitter(rng, item["learners"], CLASS_JITTER, low, high)
            classes.append(item)
        for cohort in source["cohorts"]:
            item = copy.deepcopy(cohort)
            _named(item, k)
            item["classes"] = [_suffix(c, k) for c in item["classes"]]
            n = len(item["classes"])
            low = n * item["min_per_class"]
            high = n * item["max_per_class"] if item["max_per_class"] is not None else item["learners"] * 2
            item["learners"] = _jitter(rng, item["learners"], COHORT_JITTER, low, high)
            cohorts.append(item)
        for lecturer in source["lecturers"]:
            item = copy.deepcopy(lecturer)
            _named(item, k)
            if item["kind"] == LecturerKind.part_time and item["available"] is not None:
                item["available"] = _reshuffled_availability(rng, item["available"], weekdays)
            lecturers.append(item)

    observation = copy.deepcopy(source["observation"])
    if observation["observers"] is not None:
        observation["observers"] = [_suffix(o, k) for k in range(1, scale + 1) for o in observation["observers"]]

    data: dict[str, Any] = {
        **source,
        "name": f"generated_scale{scale}_seed{seed}",
        "title": f"{base.title} (x{scale}, seed {seed})",
        "description": f"Generated from '{BASE_SCENARIO}': {scale} copies with rooms and lecturers pooled. "
        + base.description,
        "rooms": rooms,
        "lecturers": lecturers,
        "classes": classes,
        "groups": groups,
        "cohorts": cohorts,
        "observation": observation,
    }
    targets = []
    for target in source["targets"]:
        item = copy.deepcopy(target)
        if item["classes"] is not None:
            item["classes"] *= scale
        if item["learners"] is not None:
            item["learners"] = _target_learners(data, item["program_type"], item["bloc"])
        if item["label"]:
            note = "; learners: the generated totals" if item["learners"] is not None else ""
            item["label"] = f"{item['label']} (x{scale}{note})"
        targets.append(item)
    data["targets"] = targets
    return Scenario.model_validate(data)
