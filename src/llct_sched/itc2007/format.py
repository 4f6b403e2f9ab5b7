"""ITC-2007 Track 3 (curriculum-based course timetabling): the instance and solution formats.

Implements the rules of ``benchmarks/itc2007/instances/FORMAT.md``:

* :func:`read_ectt` / :func:`parse_ectt` read the extended ``.ectt`` instance format and raise a
  :class:`ValueError` naming the file and line for malformed input; :func:`write_ectt` writes it back
  (``parse_ectt(write_ectt(x)) == x``).
* :func:`read_solution` / :func:`write_solution` handle the competition solution format, one
  ``<course> <room> <day> <timeslot>`` per line. Bad lines are treated like the reference validator
  does: ignored, with a warning.

The UD2 cost is counted in :mod:`llct_sched.itc2007.cost`. Standard library only.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

__all__ = [
    "Course",
    "Curriculum",
    "ItcInstance",
    "Lecture",
    "Room",
    "parse_ectt",
    "read_ectt",
    "read_solution",
    "write_ectt",
    "write_solution",
]

# --------------------------------------------------------------------------------------------------
# Data model
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Course:
    name: str
    teacher: str
    lectures: int
    min_working_days: int
    students: int
    double_lectures: bool = False


@dataclass(frozen=True)
class Room:
    name: str
    capacity: int
    building: str = "0"


@dataclass(frozen=True)
class Curriculum:
    name: str
    courses: tuple[str, ...]


@dataclass(frozen=True)
class Lecture:
    """One scheduled lecture: ``course`` in ``room`` at (``day``, ``timeslot``), both 0-based."""

    course: str
    room: str
    day: int
    timeslot: int

    def period(self, periods_per_day: int) -> int:
        """Flat period index ``day * periods_per_day + timeslot``."""
        return self.day * periods_per_day + self.timeslot


@dataclass(frozen=True)
class ItcInstance:
    """A CB-CTT instance. ``unavailability`` holds (course, day, timeslot); ``room_constraints`` holds
    unsuitable (course, room) pairs (ignored by UD2). ``min_daily``/``max_daily`` are the
    Min_Max_Daily_Lectures header values (ignored by UD2)."""

    name: str
    days: int
    periods_per_day: int
    courses: tuple[Course, ...]
    rooms: tuple[Room, ...]
    curricula: tuple[Curriculum, ...]
    unavailability: frozenset[tuple[str, int, int]] = frozenset()
    room_constraints: frozenset[tuple[str, str]] = frozenset()
    min_daily: int = 0
    max_daily: int = 0

    @property
    def n_periods(self) -> int:
        return self.days * self.periods_per_day

    @property
    def total_lectures(self) -> int:
        return sum(c.lectures for c in self.courses)

    @cached_property
    def course_by_name(self) -> dict[str, Course]:
        return {c.name: c for c in self.courses}

    @cached_property
    def room_by_name(self) -> dict[str, Room]:
        return {r.name: r for r in self.rooms}

    def course(self, name: str) -> Course:
        return self.course_by_name[name]

    def room(self, name: str) -> Room:
        return self.room_by_name[name]

    def period(self, day: int, timeslot: int) -> int:
        return day * self.periods_per_day + timeslot

    def is_available(self, course: str, day: int, timeslot: int) -> bool:
        return (course, day, timeslot) not in self.unavailability

    def curricula_of(self, course: str) -> tuple[Curriculum, ...]:
        return tuple(g for g in self.curricula if course in g.courses)

    def conflicting_pairs(self) -> frozenset[tuple[str, str]]:
        """Unordered pairs of distinct courses that share a curriculum or a teacher, each as
        ``(a, b)`` with ``a < b``."""
        return self._conflicting_pairs

    @cached_property
    def _conflicting_pairs(self) -> frozenset[tuple[str, str]]:
        pairs: set[tuple[str, str]] = set()
        groups: list[list[str]] = [list(g.courses) for g in self.curricula]
        by_teacher: dict[str, list[str]] = defaultdict(list)
        for c in self.courses:
            by_teacher[c.teacher].append(c.name)
        groups.extend(by_teacher.values())
        for members in groups:
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    if a != b:
                        pairs.add((a, b) if a < b else (b, a))
        return frozenset(pairs)


# --------------------------------------------------------------------------------------------------
# Instance reader / writer
# --------------------------------------------------------------------------------------------------

_HEADER_KEYS = (
    "Name",
    "Courses",
    "Rooms",
    "Days",
    "Periods_per_day",
    "Curricula",
    "Min_Max_Daily_Lectures",
    "UnavailabilityConstraints",
    "RoomConstraints",
)
_SECTIONS = ("COURSES:", "ROOMS:", "CURRICULA:", "UNAVAILABILITY_CONSTRAINTS:", "ROOM_CONSTRAINTS:")
_END = "END."


class _Lines:
    """Non-blank lines with 1-based line numbers, and error helpers naming the file and line."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source or "<string>"
        self.items = [(i, line.split()) for i, line in enumerate(text.splitlines(), start=1) if line.strip()]
        self.pos = 0
        self.last_line = len(text.splitlines())

    def error(self, lineno: int | None, msg: str) -> ValueError:
        where = f"{self.source}, line {lineno}" if lineno is not None else self.source
        return ValueError(f"{where}: {msg}")

    def peek(self) -> tuple[int, list[str]] | None:
        return self.items[self.pos] if self.pos < len(self.items) else None

    def next(self, what: str) -> tuple[int, list[str]]:
        item = self.peek()
        if item is None:
            raise self.error(self.last_line, f"unexpected end of file, expected {what}")
        self.pos += 1
        return item

    def integer(self, lineno: int, token: str, what: str, minimum: int = 0) -> int:
        try:
            value = int(token)
        except ValueError:
            raise self.error(lineno, f"{what} must be an integer, got {token!r}") from None
        if value < minimum:
            raise self.error(lineno, f"{what} must be >= {minimum}, got {value}")
        return value


def parse_ectt(text: str, source: str = "") -> ItcInstance:
    """Parse the text of an ``.ectt`` instance. ``source`` (e.g. the file name) is used in error messages."""
    lines = _Lines(text, source)

    # Header: one "Key: value" line per field, in the fixed order.
    header: dict[str, tuple[int, list[str]]] = {}
    for key in _HEADER_KEYS:
        lineno, tokens = lines.next(f"header field '{key}:'")
        first = tokens[0]
        if ":" in first and not first.endswith(":"):  # tolerate "Key:value"
            hkey, _, hval = first.partition(":")
            tokens = [hkey + ":", hval, *tokens[1:]]
        if tokens[0] != key + ":":
            raise lines.error(lineno, f"expected header field '{key}:', got {tokens[0]!r}")
        values = tokens[1:]
        expected = 2 if key == "Min_Max_Daily_Lectures" else 1
        if len(values) != expected:
            raise lines.error(lineno, f"'{key}:' takes {expected} value(s), got {len(values)}")
        header[key] = (lineno, values)

    def header_int(key: str, minimum: int = 0, index: int = 0) -> int:
        lineno, values = header[key]
        return lines.integer(lineno, values[index], key, minimum)

    name = header["Name"][1][0]
    n_courses = header_int("Courses")
    n_rooms = header_int("Rooms")
    days = header_int("Days", 1)
    periods_per_day = header_int("Periods_per_day", 1)
    n_curricula = header_int("Curricula")
    min_daily = header_int("Min_Max_Daily_Lectures", 0, 0)
    max_daily = header_int("Min_Max_Daily_Lectures", 0, 1)
    n_unavail = header_int("UnavailabilityConstraints")
    n_room_constraints = header_int("RoomConstraints")
    expected_counts = dict(
        zip(_SECTIONS, (n_courses, n_rooms, n_curricula, n_unavail, n_room_constraints), strict=True)
    )
    count_keys = dict(
        zip(_SECTIONS, ("Courses", "Rooms", "Curricula", "UnavailabilityConstraints", "RoomConstraints"), strict=True)
    )

    def section(title: str) -> list[tuple[int, list[str]]]:
        lineno, tokens = lines.next(f"section title {title!r}")
        if tokens != [title]:
            raise lines.error(lineno, f"expected section title {title!r}, got {' '.join(tokens)!r}")
        body: list[tuple[int, list[str]]] = []
        while True:
            item = lines.peek()
            if item is None or (len(item[1]) == 1 and (item[1][0] in _SECTIONS or item[1][0] == _END)):
                break
            body.append(lines.next("section line"))
        declared = (
            f"the header (line {header[count_keys[title]][0]}) says {count_keys[title]}: {expected_counts[title]}"
        )
        if len(body) > expected_counts[title]:
            at, extra = body[expected_counts[title]]
            raise lines.error(at, f"unexpected line {' '.join(extra)!r}: section {title} is complete ({declared})")
        if len(body) < expected_counts[title]:
            at = item[0] if item is not None else lines.last_line
            raise lines.error(
                at,
                f"section {title} has {len(body)} line(s) but {declared}",
            )
        return body

    def check_fields(lineno: int, tokens: list[str], n: int, layout: str) -> None:
        if len(tokens) != n:
            raise lines.error(lineno, f"expected {n} fields '{layout}', got {len(tokens)}: {' '.join(tokens)!r}")

    # COURSES
    courses: list[Course] = []
    seen_courses: set[str] = set()
    for lineno, tokens in section("COURSES:"):
        check_fields(lineno, tokens, 6, "<course> <teacher> <#lectures> <min_working_days> <#students> <double 0|1>")
        cname, teacher = tokens[0], tokens[1]
        if cname in seen_courses:
            raise lines.error(lineno, f"duplicate course {cname!r}")
        seen_courses.add(cname)
        double = lines.integer(lineno, tokens[5], "double_lectures")
        if double not in (0, 1):
            raise lines.error(lineno, f"double_lectures must be 0 or 1, got {double}")
        courses.append(
            Course(
                name=cname,
                teacher=teacher,
                lectures=lines.integer(lineno, tokens[2], "#lectures"),
                min_working_days=lines.integer(lineno, tokens[3], "min_working_days"),
                students=lines.integer(lineno, tokens[4], "#students"),
                double_lectures=bool(double),
            )
        )

    # ROOMS
    rooms: list[Room] = []
    seen_rooms: set[str] = set()
    for lineno, tokens in section("ROOMS:"):
        check_fields(lineno, tokens, 3, "<room> <capacity> <building>")
        if tokens[0] in seen_rooms:
            raise lines.error(lineno, f"duplicate room {tokens[0]!r}")
        seen_rooms.add(tokens[0])
        rooms.append(Room(tokens[0], lines.integer(lineno, tokens[1], "capacity"), tokens[2]))

    # CURRICULA
    curricula: list[Curriculum] = []
    seen_curricula: set[str] = set()
    for lineno, tokens in section("CURRICULA:"):
        if len(tokens) < 2:
            raise lines.error(
                lineno, f"expected '<curriculum> <k> <course_1> ... <course_k>', got {' '.join(tokens)!r}"
            )
        gname = tokens[0]
        k = lines.integer(lineno, tokens[1], "number of courses in curriculum")
        members = tokens[2:]
        if len(members) != k:
            raise lines.error(lineno, f"curriculum {gname!r} declares {k} course(s) but lists {len(members)}")
        if gname in seen_curricula:
            raise lines.error(lineno, f"duplicate curriculum {gname!r}")
        seen_curricula.add(gname)
        for m in members:
            if m not in seen_courses:
                raise lines.error(lineno, f"curriculum {gname!r} lists unknown course {m!r}")
        if len(set(members)) != len(members):
            raise lines.error(lineno, f"curriculum {gname!r} lists a course more than once")
        curricula.append(Curriculum(gname, tuple(members)))

    # UNAVAILABILITY_CONSTRAINTS
    unavailability: set[tuple[str, int, int]] = set()
    for lineno, tokens in section("UNAVAILABILITY_CONSTRAINTS:"):
        check_fields(lineno, tokens, 3, "<course> <day> <timeslot>")
        if tokens[0] not in seen_courses:
            raise lines.error(lineno, f"unknown course {tokens[0]!r}")
        day = lines.integer(lineno, tokens[1], "day")
        slot = lines.integer(lineno, tokens[2], "timeslot")
        if day >= days:
            raise lines.error(lineno, f"day {day} out of range 0..{days - 1}")
        if slot >= periods_per_day:
            raise lines.error(lineno, f"timeslot {slot} out of range 0..{periods_per_day - 1}")
        unavailability.add((tokens[0], day, slot))

    # ROOM_CONSTRAINTS
    room_constraints: set[tuple[str, str]] = set()
    for lineno, tokens in section("ROOM_CONSTRAINTS:"):
        check_fields(lineno, tokens, 2, "<course> <room>")
        if tokens[0] not in seen_courses:
            raise lines.error(lineno, f"unknown course {tokens[0]!r}")
        if tokens[1] not in seen_rooms:
            raise lines.error(lineno, f"unknown room {tokens[1]!r}")
        room_constraints.add((tokens[0], tokens[1]))

    lineno, tokens = lines.next(f"terminator {_END!r}")
    if tokens != [_END]:
        raise lines.error(lineno, f"expected {_END!r}, got {' '.join(tokens)!r}")
    trailing = lines.peek()
    if trailing is not None:
        raise lines.error(trailing[0], f"unexpected content after {_END!r}: {' '.join(trailing[1])!r}")

    return ItcInstance(
        name=name,
        days=days,
        periods_per_day=periods_per_day,
        courses=tuple(courses),
        rooms=tuple(rooms),
        curricula=tuple(curricula),
        unavailability=frozenset(unavailability),
        room_constraints=frozenset(room_constraints),
        min_daily=min_daily,
        max_daily=max_daily,
    )


def read_ectt(path: str | os.PathLike[str]) -> ItcInstance:
    """Read an ``.ectt`` instance file."""
    p = Path(path)
    return parse_ectt(p.read_text(encoding="utf-8"), source=str(p))


def write_ectt(instance: ItcInstance) -> str:
    """Serialise ``instance`` in the ``.ectt`` format (unavailability and room constraints sorted)."""
    course_order = {c.name: i for i, c in enumerate(instance.courses)}
    room_order = {r.name: i for i, r in enumerate(instance.rooms)}
    unavail = sorted(instance.unavailability, key=lambda u: (course_order.get(u[0], len(course_order)), u))
    room_cons = sorted(
        instance.room_constraints,
        key=lambda rc: (course_order.get(rc[0], len(course_order)), room_order.get(rc[1], len(room_order)), rc),
    )
    out = [
        f"Name: {instance.name}",
        f"Courses: {len(instance.courses)}",
        f"Rooms: {len(instance.rooms)}",
        f"Days: {instance.days}",
        f"Periods_per_day: {instance.periods_per_day}",
        f"Curricula: {len(instance.curricula)}",
        f"Min_Max_Daily_Lectures: {instance.min_daily} {instance.max_daily}",
        f"UnavailabilityConstraints: {len(unavail)}",
        f"RoomConstraints: {len(room_cons)}",
        "",
        "COURSES:",
    ]
    out += [
        f"{c.name} {c.teacher} {c.lectures} {c.min_working_days} {c.students} {int(c.double_lectures)}"
        for c in instance.courses
    ]
    out += ["", "ROOMS:"]
    out += [f"{r.name} {r.capacity} {r.building}" for r in instance.rooms]
    out += ["", "CURRICULA:"]
    out += [" ".join([g.name, str(len(g.courses)), *g.courses]) for g in instance.curricula]
    out += ["", "UNAVAILABILITY_CONSTRAINTS:"]
    out += [f"{c} {d} {t}" for c, d, t in unavail]
    out += ["", "ROOM_CONSTRAINTS:"]
    out += [f"{c} {r}" for c, r in room_cons]
    out += ["", _END, ""]
    return "\n".join(out)


# --------------------------------------------------------------------------------------------------
# Solutions
# --------------------------------------------------------------------------------------------------


def _lecture_problem(instance: ItcInstance, lec: Lecture) -> str | None:
    if lec.course not in instance.course_by_name:
        return f"unknown course {lec.course!r}"
    if lec.room not in instance.room_by_name:
        return f"unknown room {lec.room!r}"
    if not 0 <= lec.day < instance.days:
        return f"day {lec.day} out of range 0..{instance.days - 1}"
    if not 0 <= lec.timeslot < instance.periods_per_day:
        return f"timeslot {lec.timeslot} out of range 0..{instance.periods_per_day - 1}"
    return None


def _accept(instance: ItcInstance, items: Iterable[tuple[str, Lecture]], warnings: list[str]) -> Iterator[Lecture]:
    """Validator-style filter: drop lectures with unknown course/room or out-of-range day/timeslot, and
    a second lecture of the same course in the same period; each drop appends a warning."""
    seen: dict[tuple[str, int, int], str] = {}
    for where, lec in items:
        problem = _lecture_problem(instance, lec)
        if problem is not None:
            warnings.append(f"{where}: {problem}; lecture ignored")
            continue
        key = (lec.course, lec.day, lec.timeslot)
        if key in seen:
            warnings.append(
                f"{where}: course {lec.course!r} already has a lecture at day {lec.day} timeslot {lec.timeslot} "
                f"({seen[key]}); lecture ignored"
            )
            continue
        seen[key] = where
        yield lec


def _solution_text(path_or_text: str | os.PathLike[str]) -> tuple[str, str]:
    """Return (text, source label). A ``PathLike`` is always read; a ``str`` is read as a file when it
    has no newline and names an existing file, otherwise it is the solution text itself."""
    if isinstance(path_or_text, os.PathLike):
        p = Path(path_or_text)
        return p.read_text(encoding="utf-8"), str(p)
    if "\n" not in path_or_text and path_or_text.strip() and os.path.isfile(path_or_text):
        return Path(path_or_text).read_text(encoding="utf-8"), path_or_text
    return path_or_text, "<solution>"


def read_solution(
    path_or_text: str | os.PathLike[str], instance: ItcInstance, warnings: list[str] | None = None
) -> list[Lecture]:
    """Read a solution (a file path or the text itself), one ``<course> <room> <day> <timeslot>`` per line.

    Like the reference validator, lines with an unknown course or room, an out-of-range day/timeslot,
    or a second lecture of the same course in the same period are ignored; so are malformed lines
    (wrong number of fields, non-integer day/timeslot). A message for each ignored line is appended
    to ``warnings`` when given."""
    text, source = _solution_text(path_or_text)
    sink: list[str] = warnings if warnings is not None else []

    def items() -> Iterator[tuple[str, Lecture]]:
        for lineno, line in enumerate(text.splitlines(), start=1):
            tokens = line.split()
            if not tokens:
                continue
            where = f"{source}, line {lineno}"
            if len(tokens) != 4:
                sink.append(f"{where}: expected '<course> <room> <day> <timeslot>', got {line.strip()!r}; ignored")
                continue
            try:
                day, slot = int(tokens[2]), int(tokens[3])
            except ValueError:
                sink.append(f"{where}: day and timeslot must be integers, got {line.strip()!r}; ignored")
                continue
            yield where, Lecture(tokens[0], tokens[1], day, slot)

    return list(_accept(instance, items(), sink))


def write_solution(lectures: Iterable[Lecture]) -> str:
    """Competition format: one ``<course> <room> <day> <timeslot>`` line per lecture."""
    return "".join(f"{lec.course} {lec.room} {lec.day} {lec.timeslot}\n" for lec in lectures)
