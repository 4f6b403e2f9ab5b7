"""Larger scenarios shaped like the default one, for benchmarks and province-wide tests.

`generate_scenario(scale, seed)` takes the built-in `hoang_mai_2020` scenario and makes `scale`
copies of its classes, rooms, lecturers, learner groups and cohorts, as if `scale` centers of the
same shape planned together with their rooms and lecturers pooled province-wide (any class may
use any room and any lecturer). Programs, the calendar and the observation policy are shared.

With `per_center=True` each copy teaches with its own lecturers in its own rooms: copy k has its
own copy of every center-taught program (``bd_chinh_quyen-k2``) whose modules' topics carry the
copy's suffix (``phapluat-k2``), and so do copy k's lecturers' topics, specialist topics and the
modules' preferred lecturers; the lecturer rule (a lecturer teaches only modules of their topics)
then keeps every copy's teaching to its own staff, and every class of copy k has copy k's rooms as
its `allowed_rooms`; the objective stays one over the whole province. Observers stay pooled: the
observation policy names one list of observers for every observed lecturer, so any observer may
still visit any copy's lecturer. The random draws are the same in both modes: for a seed, the two
scenarios differ only in who may teach what and where. Pooled stays the default: the benchmark
figures (benchmarks/, the README) were measured on it, and a province of separate centers is
`generate_province`'s.

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
import math
import random
from collections import Counter
from typing import TYPE_CHECKING, Any

from llct_sched.scenario import Lecturer, LecturerKind, Period, Scenario, Weekday
from llct_sched.scenario.loading import load_scenario
from llct_sched.timetable import Timetable

if TYPE_CHECKING:
    from llct_sched.province import Province

__all__ = ["CenterProfileError", "generate_center", "generate_province", "generate_scenario"]

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


def _per_center_topics(data: dict[str, Any], k: int) -> None:
    """Copy k's lecturer (a copied item) teaches copy k's topics."""
    data["topics"] = [_suffix(t, k) for t in data["topics"]]
    data["specialist_topics"] = [_suffix(t, k) for t in data["specialist_topics"]]


def _center_programs(programs: list[dict[str, Any]], k: int) -> list[dict[str, Any]]:
    """Copy k's own copies of the center-taught programs: ids, module topics and preferred
    lecturers suffixed with the copy number (module ids stay: they are unique within a program)."""
    copies = []
    for program in programs:
        if program["taught_by"] != "center":
            continue
        item = copy.deepcopy(program)
        _named(item, k)
        for module in item["modules"]:
            module["topic"] = _suffix(module["topic"], k)
            if module["preferred_lecturers"] is not None:
                module["preferred_lecturers"] = [_suffix(p, k) for p in module["preferred_lecturers"]]
        copies.append(item)
    return copies


def generate_scenario(scale: int, seed: int = 0, per_center: bool = False) -> Scenario:
    """A scenario like `hoang_mai_2020` but `scale` times larger, its rooms and lecturers pooled, or
    with `per_center` every copy taught by its own lecturers in its own rooms (see the module docstring)."""
    if scale < 1:
        raise ValueError(f"scale must be at least 1, not {scale}")
    base = load_scenario(BASE_SCENARIO)
    source = base.model_dump()
    rng = random.Random(seed)
    seats = sorted(room.seats for room in base.rooms)
    weekdays = list(base.calendar.working_weekdays)

    center_taught = {p["id"] for p in source["programs"] if p["taught_by"] == "center"}
    programs: list[dict[str, Any]] = [] if per_center else list(source["programs"])
    if per_center:
        programs += [p for p in source["programs"] if p["id"] not in center_taught]
    rooms: list[dict[str, Any]] = []
    lecturers: list[dict[str, Any]] = []
    classes: list[dict[str, Any]] = []
    groups: list[dict[str, Any]] = []
    cohorts: list[dict[str, Any]] = []
    for k in range(1, scale + 1):
        if per_center:
            programs += _center_programs(source["programs"], k)
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
            if item["allowed_rooms"] is not None:
                item["allowed_rooms"] = [_suffix(r, k) for r in item["allowed_rooms"]]
            elif per_center:  # copy k's own rooms
                item["allowed_rooms"] = [_suffix(r["id"], k) for r in source["rooms"]]
            item["pinned_lecturers"] = {m: _suffix(lec, k) for m, lec in item["pinned_lecturers"].items()}
            if per_center and item["program"] in center_taught:
                item["program"] = _suffix(item["program"], k)
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
            if per_center:
                _per_center_topics(item, k)
            lecturers.append(item)

    observation = copy.deepcopy(source["observation"])
    if observation["observers"] is not None:
        observation["observers"] = [_suffix(o, k) for k in range(1, scale + 1) for o in observation["observers"]]
    if per_center and observation["programs"] is not None:
        observation["programs"] = [
            _suffix(p, k) if p in center_taught else p for p in observation["programs"] for k in range(1, scale + 1)
        ]

    pools = "each copy with its own lecturers and rooms" if per_center else "rooms and lecturers pooled"
    data: dict[str, Any] = {
        **source,
        "name": f"generated_scale{scale}_seed{seed}" + ("_per_center" if per_center else ""),
        "title": f"{base.title} (x{scale}, seed {seed})",
        "description": f"Generated from '{BASE_SCENARIO}': {scale} copies, {pools}. " + base.description,
        "programs": programs,
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


# --- the center profile: one center in the realistic staffing regime, with a planted witness ------

CENTER_TOPICS_SPECIALIST = (
    "nghiquyet",
    "qp_an",
    "phapluat",
    "kiem_tra",
    "dan_van",
)  # fields with an obvious specialist
CENTER_ATTEMPTS = 60  # derived seeds tried before giving up (each attempt is deterministic)


class CenterProfileError(ValueError):
    """No planted timetable could be built for these arguments (e.g. a share the staff cannot reach)."""


def _half_days(rng: random.Random, weekdays: list[Weekday], count: int) -> dict[Weekday, list[str]]:
    days = rng.sample(weekdays, min(count, len(weekdays)))
    return {day: [rng.choice([Period.morning.value, Period.afternoon.value])] for day in days}


def _center_lecturers(
    rng: random.Random, topics: list[str], weekdays: list[Weekday], part_time: tuple[int, int]
) -> list[dict[str, Any]]:
    """1-3 full-time lecturers (the deputy director and 0-2 more) who can teach every topic and observe,
    a part-time director free two days a week who observes too,
    and `part_time` (a range, 12-20 for a center) part-time lecturers with one or two topics and one or
    two free half-days each."""
    lecturers: list[dict[str, Any]] = [
        {"id": "pho_giam_doc", "name": "Phó Giám đốc Trung tâm", "kind": "full_time", "topics": list(topics)}
    ]
    for k in range(rng.randint(0, 2)):
        lecturers.append(
            {"id": f"gv_{k + 1}", "name": f"Giảng viên {k + 1}", "kind": "full_time", "topics": list(topics)}
        )
    for lecturer in lecturers:
        lecturer["can_observe"] = True
    director_days = rng.sample(weekdays, 2)
    lecturers.append(
        {
            "id": "giam_doc",
            "name": "Giám đốc Trung tâm (kiêm nhiệm)",
            "kind": "part_time",
            "topics": ["nghiquyet", "dang", "tthcm"],
            "specialist_topics": ["nghiquyet"],
            "available": {day: [Period.morning.value, Period.afternoon.value] for day in director_days},
            "can_observe": True,
        }
    )
    n_part = rng.randint(*part_time)
    order = rng.sample(topics, len(topics))
    for k in range(n_part):
        own = [order[k % len(order)]]  # every topic has part-time lecturers
        if rng.random() < 0.7:
            own.append(rng.choice([t for t in topics if t not in own]))
        lecturers.append(
            {
                "id": f"kc_{k + 1:02d}",
                "name": f"Giảng viên kiêm chức {k + 1}",
                "kind": "part_time",
                "topics": own,
                "specialist_topics": [t for t in own if t in CENTER_TOPICS_SPECIALIST],
                "available": _half_days(rng, weekdays, rng.randint(1, 2)),
            }
        )
    return lecturers


def _center_draft(
    rng: random.Random, base: Scenario, share: float, short_classes: tuple[int, int], long_courses: bool
) -> dict[str, Any]:
    """A center's scenario before the planted timetable fixes its caps: the default's programs,
    calendar and rooms, `short_classes` (a range) of its bồi dưỡng classes and (`long_courses`) its
    sơ cấp and trung cấp classes. A small case (fewer than 15 bồi dưỡng classes) has 3-6 part-time
    lecturers instead of 12-20, so that each can have something to teach."""
    source = base.model_dump(mode="json")
    external = {p["id"] for p in source["programs"] if p["taught_by"] == "external"}
    types = {p["id"]: p["type"] for p in source["programs"]}
    short = [c for c in source["classes"] if types[c["program"]] == "boi_duong"]
    low, high = (min(n, len(short)) for n in short_classes)
    kept_short = {c["id"] for c in rng.sample(short, rng.randint(low, high))}
    classes = [
        c for c in source["classes"] if c["id"] in kept_short or (long_courses and types[c["program"]] != "boi_duong")
    ]
    used_groups = {g for c in classes for g in c["groups"]}
    cohorts = [h for h in source["cohorts"] if set(h["classes"]) <= {c["id"] for c in classes}]
    topics = sorted({m["topic"] for p in source["programs"] if p["id"] not in external for m in p["modules"]})
    weekdays = list(base.calendar.working_weekdays)
    part_time = (12, 20) if short_classes[1] >= 15 else (3, 6)
    lecturers = _center_lecturers(rng, topics, weekdays, part_time)
    observers = [lec["id"] for lec in lecturers if lec.get("can_observe")]
    return {
        **source,
        "classes": classes,
        "groups": [g for g in source["groups"] if g["id"] in used_groups],
        "cohorts": cohorts,
        "lecturers": lecturers,
        "observation": {
            "observed_kinds": ["full_time", "part_time"],
            "visits_per_lecturer": 1,
            "observers": observers,
            "max_visits_per_observer": None,
        },
        "staffing": {"part_time_share": share},
        "targets": [],
    }


def _segment_slots(inst: Any, plan: Any, s: int) -> list[int]:
    seg = inst.segments[s]
    block = inst.blocks[seg.block]
    return block.slots(plan.starts[seg.block])[seg.first : seg.first + seg.length]


def _busy(inst: Any, plan: Any) -> list[set[int]]:
    """Per lecturer: the slots the plan has them teaching or observing."""
    busy: list[set[int]] = [set() for _ in inst.scenario.lecturers]
    for s, lec in plan.teach.items():
        busy[lec].update(_segment_slots(inst, plan, s))
    for _, slot, _, observer in plan.visits:
        busy[observer].add(slot)
    return busy


def _shift_to_part_time(inst: Any, plan: Any) -> None:
    """Give full-time lecturers' segments to part-time lecturers free for them (the least loaded
    first), keeping the segments observed in the plan."""
    lecturers = inst.scenario.lecturers
    busy = _busy(inst, plan)
    load = [0] * len(lecturers)
    for s, lec in plan.teach.items():
        load[lec] += inst.segments[s].length
    observed_segments = {s for s, _, _, _ in plan.visits}
    for s, lec in sorted(plan.teach.items()):
        if lecturers[lec].kind != LecturerKind.full_time or s in observed_segments:
            continue
        slots = _segment_slots(inst, plan, s)
        free = [
            p
            for p in inst.segments[s].lecturers
            if lecturers[p].kind == LecturerKind.part_time
            and all(inst.lecturer_available[p][t] and t not in busy[p] for t in slots)
        ]
        if free:
            chosen = min(free, key=lambda p: load[p])
            plan.teach[s] = chosen
            busy[lec].difference_update(slots)
            busy[chosen].update(slots)
            load[lec] -= len(slots)
            load[chosen] += len(slots)


def _complete_visits(inst: Any, plan: Any) -> None:
    """A visit for every observed lecturer still without one, by an observer free during one of
    the lecturer's observable sessions."""
    busy = _busy(inst, plan)
    visited = {lec for _, _, lec, _ in plan.visits}
    for lec in inst.observed:
        if lec in visited:
            continue
        options = (
            (s, t, obs)
            for s, who in sorted(plan.teach.items())
            if who == lec and inst.classes[inst.segments[s].class_index].qualifies_for_observation
            for t in _segment_slots(inst, plan, s)
            for obs in inst.observers
            if obs != lec and inst.lecturer_available[obs][t] and t not in busy[obs]
        )
        found = next(options, None)
        if found is not None:
            s, t, obs = found
            plan.visits.append((s, t, lec, obs))
            busy[obs].add(t)


def _adopt_segments(inst: Any, plan: Any, data: dict[str, Any]) -> None:
    """Each part-time lecturer with a free half-day the plan leaves unused takes one single-session
    segment of their topics from a full-time lecturer, at a slot where an observer is free, and is
    made free on that weekday half-day instead: the planted timetable defines when they come, as a
    center asks its part-time lecturers for their free half-days."""
    lecturers = inst.scenario.lecturers
    busy = _busy(inst, plan)
    taken = {s for s, _, _, _ in plan.visits}
    weekdays = list(Weekday)

    def half_day(slot: int) -> tuple[str, str]:
        return weekdays[inst.slot_date(slot).weekday()].value, inst.slot_period(slot)

    for p, spec in enumerate(lecturers):
        if spec.kind != LecturerKind.part_time or spec.id == "giam_doc":
            continue
        drawn = [(day, period) for day, periods in data["lecturers"][p]["available"].items() for period in periods]
        used = {half_day(t) for t in busy[p]}
        unused = [h for h in drawn if h not in used]
        if not unused:
            continue
        for s, lec in sorted(plan.teach.items()):
            seg = inst.segments[s]
            topic = inst.classes[seg.class_index].program.modules[seg.module_index].topic
            if s in taken or seg.length != 1 or lecturers[lec].kind != LecturerKind.full_time:
                continue
            if topic not in spec.topics or p not in seg.lecturers:
                continue
            (slot,) = _segment_slots(inst, plan, s)
            if half_day(slot) in used or slot in busy[p]:
                continue
            free = (
                o not in (p, lec) and inst.lecturer_available[o][slot] and slot not in busy[o] for o in inst.observers
            )
            if not any(free):
                continue
            kept = [h for h in drawn if h != unused[0]] + [half_day(slot)]
            data["lecturers"][p]["available"] = {
                day: sorted({period for d, period in kept if d == day}) for day in dict.fromkeys(d for d, _ in kept)
            }
            plan.teach[s] = p
            busy[lec].discard(slot)
            busy[p].add(slot)
            taken.add(s)
            break


def _witness(data: dict[str, Any], seed: int) -> tuple[Scenario, Timetable] | None:
    """A complete timetable of the draft (whose part-time availability it may adapt, see
    `_adopt_segments`): the greedy construction (which fills part-time lecturers' free half-days
    first), idle part-time lecturers given a segment, more segments moved to free part-time
    lecturers, a visit for everyone. None unless the independent checker accepts it."""
    from llct_sched.check import check
    from llct_sched.model.greedy import greedy_plan
    from llct_sched.model.instance import build_instance
    from llct_sched.solve.search import _Assignment, _timetable

    inst = build_instance(Scenario.model_validate(data))
    plan = greedy_plan(inst, seed)
    if not plan.complete:
        return None
    _adopt_segments(inst, plan, data)
    scenario = Scenario.model_validate(data)
    inst = build_instance(scenario)
    _shift_to_part_time(inst, plan)
    _complete_visits(inst, plan)
    timetable = _timetable(inst, _Assignment(plan.starts, plan.rooms, plan.learners, plan.teach, plan.visits))
    return (scenario, timetable) if check(scenario, timetable).ok else None


def generate_center(
    part_time_share: float = 0.4,
    seed: int = 0,
    short_classes: tuple[int, int] = (25, 40),
    long_courses: bool = True,
) -> tuple[Scenario, Timetable]:
    """One center in the realistic staffing regime, with a timetable known to exist.

    Shaped like the default: its programs, calendar and rooms, 25-40 (`short_classes`) of its bồi dưỡng
    classes and its sơ cấp and trung cấp classes (unless not `long_courses`, for small test cases),
    1-3 full-time lecturers (every topic), a part-time director and 12-20 part-time lecturers with
    their own topics and one or two free half-days a week. A timetable is planted: the greedy
    construction builds one that the checker accepts, and the full-time lecturers' yearly caps are
    set to their loads in it, so part-time lecturers must carry their share. The scenario asks for
    `part_time_share` of the sessions from part-time lecturers (the goal `part_time_share`); the
    planted timetable reaches at least that share. Returns (scenario, planted timetable).
    """
    if not 0.0 <= part_time_share <= 1.0:
        raise ValueError(f"part_time_share must be between 0 and 1, not {part_time_share}")
    base = load_scenario(BASE_SCENARIO)
    for attempt in range(CENTER_ATTEMPTS):
        rng = random.Random(f"center-{seed}-{attempt}")
        data = _center_draft(rng, base, part_time_share, short_classes, long_courses)
        data["name"] = f"center_share{round(part_time_share * 100)}_seed{seed}"
        data["title"] = f"Trung tâm mẫu (giảng viên kiêm chức {part_time_share:.0%}, seed {seed})"
        data["description"] = (
            f"Generated center profile from '{BASE_SCENARIO}' with a planted timetable (attempt {attempt})."
        )
        found = _witness(data, seed + attempt)
        if found is None:
            continue
        draft, witness = found
        loads = dict.fromkeys((lec.id for lec in draft.lecturers), 0)
        for session in witness.sessions:
            if session.lecturer_id is not None:
                loads[session.lecturer_id] += 1
        part_time = {lec.id for lec in draft.lecturers if lec.kind == LecturerKind.part_time}
        total = sum(loads.values())
        if total == 0 or sum(loads[i] for i in part_time) < part_time_share * total:
            continue
        full_time = [lec for lec in data["lecturers"] if lec["kind"] == "full_time"]
        # the full-time staff may take (1 - share) of the sessions, and at least what they teach in
        # the planted timetable: the extra is shared out evenly
        room = max(0, math.floor((1 - part_time_share) * total) - sum(loads[lec["id"]] for lec in full_time))
        for k, lec in enumerate(full_time):
            extra = room // len(full_time) + (1 if k < room % len(full_time) else 0)
            lec["max_sessions_per_year"] = loads[lec["id"]] + extra
            lec["norm_sessions_per_year"] = min(23, lec["max_sessions_per_year"])
        for lec in data["lecturers"]:
            if lec["kind"] == "part_time":
                lec["min_sessions_per_year"] = min(4, loads[lec["id"]])
        return Scenario.model_validate(data), witness
    raise CenterProfileError(
        f"no planted center timetable with a part-time share of {part_time_share:.0%} after "
        f"{CENTER_ATTEMPTS} attempts (seed {seed})"
    )


# --- a province set: generated centers sharing the provincial school's lecturers ----------------

PROVINCE_TOPIC_PREFIX = "tc_"  # the trung cấp modules' topics, taught by the shared lecturers only
SHARED_PER_CENTER = 1.5  # shared lecturers per center


def _provincial_program(program: dict[str, Any]) -> dict[str, Any]:
    """A trung cấp program taught by the provincial school's lecturers: taught as the center's own,
    its modules' topics the provincial ones (``tc_<topic>``)."""
    item = copy.deepcopy(program)
    item["taught_by"] = "center"
    for module in item["modules"]:
        module["topic"] = PROVINCE_TOPIC_PREFIX + module["topic"]
        module["preferred_lecturers"] = None
    return item


def _center_sessions(data: dict[str, Any]) -> int:
    """Sessions of the center-taught classes (the `part_time_share` goal's S)."""
    sessions = {p["id"]: sum(m["sessions"] for m in p["modules"]) for p in data["programs"]}
    taught = {p["id"] for p in data["programs"] if p["taught_by"] == "center"}
    return sum(sessions[c["program"]] for c in data["classes"] if c["program"] in taught)


def _province_center(scenario: Scenario, k: int) -> Scenario:
    """Center k of a province: its trung cấp classes taught by the shared lecturers, its part-time
    share target kept at the same number of sessions."""
    data = scenario.model_dump(mode="json")
    before = _center_sessions(data)
    data["programs"] = [_provincial_program(p) if p["type"] == "trung_cap" else p for p in data["programs"]]
    share = data["staffing"]["part_time_share"]
    if share is not None and before:
        data["staffing"]["part_time_share"] = math.floor(share * before / _center_sessions(data) * 1000) / 1000
    data["name"] = f"ttct_{k:02d}"
    data["title"] = f"Trung tâm chính trị số {k}"
    return Scenario.model_validate(data)


def _shared_lecturers(rng: random.Random, loads: dict[str, int], count: int) -> list[Lecturer]:
    """`count` lecturers of the provincial school, free every working session: each has a main topic
    (topics given out by their load, every topic to at least one) and, most, a second one."""
    topics = sorted(loads, key=lambda t: (-loads[t], t))
    total = sum(loads.values())
    main = list(topics[:count])
    while len(main) < count:  # the next main topic goes where load per lecturer is highest
        main.append(max(topics, key=lambda t: (loads[t] / total / (main.count(t) + 1), t)))
    lecturers = []
    for j, topic in enumerate(main, start=1):
        own = [topic]
        if rng.random() < 0.7 and len(topics) > 1:
            own.append(rng.choice([t for t in topics if t != topic]))
        lecturers.append(
            Lecturer(
                id=f"tinh_gv_{j:02d}",
                name=f"Giảng viên Trường Chính trị tỉnh {j}",
                kind=LecturerKind.external,
                topics=own,
            )
        )
    return lecturers


def generate_province(
    centers: int = 10,
    seed: int = 0,
    shared: int | None = None,
    short_classes: tuple[int, int] = (25, 40),
    part_time_share: float = 0.4,
) -> Province:
    """A province set (`llct_sched.province`): `centers` generated centers (`generate_center` with
    seeds derived from `seed`, each with its own rooms, lecturers and classes) whose trung cấp classes
    are taught by `shared` lecturers of the provincial political school (default 1.5 per center),
    shared by every center. The trung cấp modules get provincial topics (``tc_mln``, ...) that only
    the shared lecturers teach; each center's part-time share target keeps its number of sessions."""
    from llct_sched.province import Center, Province

    if centers < 1:
        raise ValueError(f"centers must be at least 1, not {centers}")
    made = [
        _province_center(generate_center(part_time_share, seed * 1000 + k, short_classes)[0], k)
        for k in range(1, centers + 1)
    ]
    loads: Counter[str] = Counter()
    for scenario in made:
        programs = {p.id: p for p in scenario.programs}
        for klass in scenario.classes:
            for module in programs[klass.program].modules:
                if module.topic.startswith(PROVINCE_TOPIC_PREFIX):
                    loads[module.topic] += module.sessions
    count = shared if shared is not None else max(len(loads), math.ceil(SHARED_PER_CENTER * centers))
    lecturers = _shared_lecturers(random.Random(f"province-{seed}"), dict(loads), count) if loads else []
    return Province(
        name=f"province_{centers}_seed{seed}",
        centers=tuple(Center(s.name, s) for s in made),
        shared=tuple(lecturers),
        title=f"Tỉnh mẫu: {centers} trung tâm (seed {seed})",
    )
