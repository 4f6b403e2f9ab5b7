"""ITC-2007 Track 3: the UD2 cost of a timetable, counted as the competition's reference validator does.

:func:`ud2_cost` counts the four hard violations and the four UD2 soft costs (already weighted, as
the validator prints them); :func:`evaluate_solution` reads a solution file first. Independent of
every solver (the test oracle of ``llct_sched.itc2007.solver`` and of the scenario adapter).
Standard library only.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from llct_sched.itc2007.format import ItcInstance, Lecture, _accept, read_solution

__all__ = ["UD2Cost", "UD2_WEIGHTS", "evaluate_solution", "ud2_cost"]

#: UD2 weights of the soft constraints S1..S4 (RoomCapacity, MinWorkingDays, IsolatedLectures, RoomStability).
UD2_WEIGHTS = {"room_capacity": 1, "min_working_days": 5, "isolated_lectures": 2, "room_stability": 1}


# --------------------------------------------------------------------------------------------------
# UD2 cost
# --------------------------------------------------------------------------------------------------


@dataclass
class UD2Cost:
    """Hard violation counts and UD2 soft costs. Soft fields are already weighted (as the validator prints them):
    ``room_capacity`` ×1, ``min_working_days`` ×5, ``isolated_lectures`` ×2, ``room_stability`` ×1."""

    lectures: int = 0
    conflicts: int = 0
    availability: int = 0
    room_occupancy: int = 0
    room_capacity: int = 0
    min_working_days: int = 0
    isolated_lectures: int = 0
    room_stability: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def hard_violations(self) -> int:
        return self.lectures + self.conflicts + self.availability + self.room_occupancy

    @property
    def feasible(self) -> bool:
        return self.hard_violations == 0

    @property
    def total(self) -> int:
        """UD2 objective: sum of the (weighted) soft costs."""
        return self.room_capacity + self.min_working_days + self.isolated_lectures + self.room_stability

    def report(self) -> str:
        """Text in the style of the reference validator's output."""
        out = [f"Warning: {w}" for w in self.warnings]
        if out:
            out.append("")
        out += [
            f"Violations of Lectures (hard) : {self.lectures}",
            f"Violations of Conflicts (hard) : {self.conflicts}",
            f"Violations of Availability (hard) : {self.availability}",
            f"Violations of RoomOccupation (hard) : {self.room_occupancy}",
            f"Cost of RoomCapacity (soft) : {self.room_capacity}",
            f"Cost of MinWorkingDays (soft) : {self.min_working_days}",
            f"Cost of IsolatedLectures (soft) : {self.isolated_lectures}",
            f"Cost of RoomStability (soft) : {self.room_stability}",
            "",
        ]
        violations = f"Violations = {self.hard_violations}, " if self.hard_violations else ""
        out.append(f"Summary: {violations}Total Cost = {self.total}")
        return "\n".join(out) + "\n"


def ud2_cost(instance: ItcInstance, lectures: Iterable[Lecture]) -> UD2Cost:
    """Count UD2 hard violations and weighted soft costs of ``lectures`` (FORMAT.md §4–5).

    Lectures are first filtered like the validator filters solution lines (unknown course/room,
    out-of-range period, second lecture of a course in one period: ignored, with a warning)."""
    cost = UD2Cost()
    T = instance.periods_per_day
    accepted = list(_accept(instance, ((f"lecture {i}", lec) for i, lec in enumerate(lectures)), cost.warnings))

    per_course: dict[str, list[Lecture]] = defaultdict(list)
    courses_at: dict[int, list[str]] = defaultdict(list)  # period -> courses (each at most once)
    room_use: Counter[tuple[str, int]] = Counter()
    for lec in accepted:
        p = lec.period(T)
        per_course[lec.course].append(lec)
        courses_at[p].append(lec.course)
        room_use[(lec.room, p)] += 1

    # Hard: Lectures, Availability, RoomOccupancy.
    for c in instance.courses:
        cost.lectures += abs(len(per_course[c.name]) - c.lectures)
    cost.availability = sum(1 for lec in accepted if (lec.course, lec.day, lec.timeslot) in instance.unavailability)
    cost.room_occupancy = sum(n - 1 for n in room_use.values() if n > 1)

    # Hard: Conflicts, one per conflicting unordered pair per shared period.
    pairs = instance.conflicting_pairs()
    for present in courses_at.values():
        for i, a in enumerate(present):
            for b in present[i + 1 :]:
                if ((a, b) if a < b else (b, a)) in pairs:
                    cost.conflicts += 1

    # Soft S1 RoomCapacity, S2 MinWorkingDays, S4 RoomStability.
    s1 = s2 = s4 = 0
    for c in instance.courses:
        lecs = per_course[c.name]
        s1 += sum(max(0, c.students - instance.room(lec.room).capacity) for lec in lecs)
        s2 += max(0, c.min_working_days - len({lec.day for lec in lecs}))
        if lecs:
            s4 += len({lec.room for lec in lecs}) - 1

    # Soft S3 IsolatedLectures, per curriculum.
    s3 = 0
    for g in instance.curricula:
        members = set(g.courses)
        k_at: Counter[int] = Counter()
        for p, present in courses_at.items():
            k = sum(1 for c in present if c in members)
            if k:
                k_at[p] = k
        for p, k in k_at.items():
            slot = p % T
            has_prev = slot > 0 and k_at[p - 1] > 0
            has_next = slot < T - 1 and k_at[p + 1] > 0
            if not has_prev and not has_next:
                s3 += k

    cost.room_capacity = s1 * UD2_WEIGHTS["room_capacity"]
    cost.min_working_days = s2 * UD2_WEIGHTS["min_working_days"]
    cost.isolated_lectures = s3 * UD2_WEIGHTS["isolated_lectures"]
    cost.room_stability = s4 * UD2_WEIGHTS["room_stability"]
    return cost


def evaluate_solution(path_or_text: str | os.PathLike[str], instance: ItcInstance) -> UD2Cost:
    """:func:`read_solution` then :func:`ud2_cost`, with the reader's warnings kept in the result."""
    warnings: list[str] = []
    lectures = read_solution(path_or_text, instance, warnings)
    cost = ud2_cost(instance, lectures)
    cost.warnings[:0] = warnings
    return cost
