"""Tests for llct_sched.itc2007: .ectt reader/writer, solution format and the UD2 cost (FORMAT.md)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from llct_sched.itc2007 import (
    Course,
    Curriculum,
    ItcInstance,
    Lecture,
    Room,
    UD2Cost,
    evaluate_solution,
    parse_ectt,
    read_ectt,
    read_solution,
    ud2_cost,
    write_ectt,
    write_solution,
)

BENCH_DIR = Path(__file__).resolve().parents[1] / "benchmarks" / "itc2007" / "instances"
INSTANCE_FILES = sorted(BENCH_DIR.glob("*.ectt"))


# --------------------------------------------------------------------------------------------------
# Instances
# --------------------------------------------------------------------------------------------------


def _raw_header(text: str) -> dict[str, list[str]]:
    """Header fields read independently of the module under test."""
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        m = re.match(r"^(\w+):\s*(.*)$", line.strip())
        if m and m.group(2):
            out[m.group(1)] = m.group(2).split()
    return out


def _raw_section_lengths(text: str) -> dict[str, int]:
    lengths: dict[str, int] = {}
    current = None
    for line in text.splitlines():
        s = line.strip()
        if s.endswith(":") and s[:-1].isupper() or s == "END.":
            current = s
            lengths[current] = 0
        elif s and current is not None:
            lengths[current] += 1
    return lengths


def test_benchmark_files_present() -> None:
    if not BENCH_DIR.is_dir():
        pytest.skip(f"ITC-2007 benchmark directory not found at {BENCH_DIR}")
    names = {p.name for p in INSTANCE_FILES}
    assert {f"comp{i:02d}.ectt" for i in range(1, 22)} <= names
    assert "toy.ectt" in names


@pytest.mark.parametrize("path", INSTANCE_FILES, ids=[p.stem for p in INSTANCE_FILES])
def test_parse_shipped_instance_header_counts(path: Path) -> None:
    text = path.read_text()
    header = _raw_header(text)
    sections = _raw_section_lengths(text)
    inst = read_ectt(path)

    assert inst.name == header["Name"][0]
    assert len(inst.courses) == int(header["Courses"][0]) == sections["COURSES:"]
    assert len(inst.rooms) == int(header["Rooms"][0]) == sections["ROOMS:"]
    assert inst.days == int(header["Days"][0])
    assert inst.periods_per_day == int(header["Periods_per_day"][0])
    assert inst.n_periods == inst.days * inst.periods_per_day
    assert len(inst.curricula) == int(header["Curricula"][0]) == sections["CURRICULA:"]
    assert [inst.min_daily, inst.max_daily] == [int(v) for v in header["Min_Max_Daily_Lectures"]]
    assert len(inst.unavailability) == int(header["UnavailabilityConstraints"][0])
    assert len(inst.unavailability) == sections["UNAVAILABILITY_CONSTRAINTS:"]
    assert len(inst.room_constraints) == int(header["RoomConstraints"][0]) == sections["ROOM_CONSTRAINTS:"]
    # every shipped instance round-trips
    assert parse_ectt(write_ectt(inst)) == inst


def test_comp01_details() -> None:
    inst = read_ectt(BENCH_DIR / "comp01.ectt")
    assert inst.name == "Fis0506-1"  # the Name is not the file name
    assert (inst.days, inst.periods_per_day) == (5, 6)
    assert inst.courses[0] == Course("c0001", "t000", 6, 4, 130, True)
    assert inst.total_lectures == 160
    assert all(r.name.startswith("r") for r in inst.rooms)  # ectt renamed rooms X -> rX


def test_comp03_and_comp15_same_ud2_problem() -> None:
    a = read_ectt(BENCH_DIR / "comp03.ectt")
    b = read_ectt(BENCH_DIR / "comp15.ectt")
    assert [replace(c, double_lectures=False) for c in a.courses] == [
        replace(c, double_lectures=False) for c in b.courses
    ]
    assert a.curricula == b.curricula
    assert a.unavailability == b.unavailability
    assert [(r.name, r.capacity) for r in a.rooms] == [(r.name, r.capacity) for r in b.rooms]


@pytest.fixture
def toy() -> ItcInstance:
    if not (BENCH_DIR / "toy.ectt").is_file():
        pytest.skip(f"toy.ectt not found in {BENCH_DIR}")
    return read_ectt(BENCH_DIR / "toy.ectt")


def test_toy_contents(toy: ItcInstance) -> None:
    assert toy.name == "Toy"
    assert (toy.days, toy.periods_per_day, toy.n_periods) == (5, 4, 20)
    assert toy.courses == (
        Course("SceCosC", "Ocra", 3, 3, 30, True),
        Course("ArcTec", "Indaco", 3, 2, 42, False),
        Course("TecCos", "Rosa", 5, 4, 40, True),
        Course("Geotec", "Scarlatti", 5, 4, 18, True),
    )
    assert toy.rooms == (Room("rA", 32, "1"), Room("rB", 50, "0"), Room("rC", 40, "0"))
    assert toy.curricula == (
        Curriculum("Cur1", ("SceCosC", "ArcTec", "TecCos")),
        Curriculum("Cur2", ("TecCos", "Geotec")),
    )
    assert toy.unavailability == frozenset(
        {("TecCos", 2, 0), ("TecCos", 2, 1), ("TecCos", 3, 2), ("TecCos", 3, 3)} | {("ArcTec", 4, t) for t in range(4)}
    )
    assert toy.room_constraints == frozenset({("SceCosC", "rA"), ("Geotec", "rB"), ("TecCos", "rC")})
    assert (toy.min_daily, toy.max_daily) == (2, 3)
    # Curriculum pairs only (all teachers differ): Cur1 gives 3 pairs, Cur2 one.
    assert toy.conflicting_pairs() == frozenset(
        {("ArcTec", "SceCosC"), ("ArcTec", "TecCos"), ("SceCosC", "TecCos"), ("Geotec", "TecCos")}
    )


def test_toy_round_trip(toy: ItcInstance) -> None:
    text = write_ectt(toy)
    again = parse_ectt(text)
    assert again == toy
    assert write_ectt(again) == text
    assert text.endswith("END.\n")


def test_conflicting_pairs_from_shared_teacher(toy: ItcInstance) -> None:
    inst = _same_teacher(toy)
    assert ("Geotec", "SceCosC") in inst.conflicting_pairs()
    assert len(inst.conflicting_pairs()) == 5


TOY_TEXT_LINES = (BENCH_DIR / "toy.ectt").read_text().splitlines() if (BENCH_DIR / "toy.ectt").is_file() else []


def _toy_with(lineno: int, new_line: str | None) -> str:
    """toy.ectt text with 1-based line ``lineno`` replaced (or deleted when ``new_line`` is None)."""
    lines = list(TOY_TEXT_LINES)
    if new_line is None:
        del lines[lineno - 1]
    else:
        lines[lineno - 1] = new_line
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("lineno", "new_line", "report_line", "fragment"),
    [
        (13, "ArcTec Indaco three 2 42 0", 13, "#lectures must be an integer"),  # bad integer
        (13, "ArcTec Indaco 3 2 42", 13, "expected 6 fields"),  # missing field
        (14, "TecCos Rosa 5 4 40 2", 14, "double_lectures must be 0 or 1"),
        (14, "ArcTec Rosa 5 4 40 1", 14, "duplicate course 'ArcTec'"),
        (23, "Cur1 3 SceCosC ArcTec Nope", 23, "unknown course 'Nope'"),
        (23, "Cur1 3 SceCosC ArcTec", 23, "declares 3 course(s) but lists 2"),
        (28, "TecCos 5 0", 28, "day 5 out of range"),
        (30, "Ghost 3 2", 30, "unknown course 'Ghost'"),
        (39, "TecCos rZ", 39, "unknown room 'rZ'"),
        (4, "Dayz: 5", 4, "expected header field 'Days:'"),
        (41, "END", 41, "unexpected line 'END': section ROOM_CONSTRAINTS: is complete"),
        (38, "Geotec rB extra", 38, "expected 2 fields"),
        (15, "Geotec Scarlatti 5 4 18 1\nExtra Prof 1 1 1 0", 16, "unexpected line 'Extra Prof 1 1 1 0'"),
        (18, None, 21, "section ROOMS: has 2 line(s) but the header (line 3) says Rooms: 3"),
    ],
)
def test_malformed_instance_names_the_line(
    tmp_path: Path, lineno: int, new_line: str | None, report_line: int, fragment: str
) -> None:
    assert TOY_TEXT_LINES[lineno - 1].strip()  # we are changing a real line of toy.ectt
    bad = tmp_path / "bad.ectt"
    bad.write_text(_toy_with(lineno, new_line))
    with pytest.raises(ValueError) as excinfo:
        read_ectt(bad)
    msg = str(excinfo.value)
    assert msg.startswith(f"{bad}, line {report_line}:"), msg
    assert fragment in msg


def test_malformed_text_uses_source_label_and_missing_end() -> None:
    text = "\n".join(TOY_TEXT_LINES[:-1]) + "\n"  # drop "END."
    with pytest.raises(ValueError, match=r"^toy-src, line \d+: unexpected end of file, expected terminator 'END.'"):
        parse_ectt(text, source="toy-src")
    with pytest.raises(ValueError, match=r"^x, line 43: unexpected content after 'END.'"):
        parse_ectt("\n".join([*TOY_TEXT_LINES, "", "extra"]) + "\n", source="x")


# --------------------------------------------------------------------------------------------------
# A hand-made feasible solution of toy.ectt
# --------------------------------------------------------------------------------------------------
#
# Grid (day, timeslot) -> lectures.  Cur1 = {SceCosC, ArcTec, TecCos}, Cur2 = {TecCos, Geotec}.
#
#            slot 0        slot 1                   slot 2        slot 3
#   day 0    TecCos rB     SceCosC rA, Geotec rC    ArcTec rB     SceCosC rA
#   day 1    TecCos rB     SceCosC rA, Geotec rC    ArcTec rB     -
#   day 2    -             -                        TecCos rB     Geotec rC
#   day 3    TecCos rB     ArcTec rC,  Geotec rA    -             -
#   day 4    TecCos rB     -                        -             Geotec rC
TOY_SOLUTION = """\
SceCosC rA 0 1
SceCosC rA 0 3
SceCosC rA 1 1
ArcTec rB 0 2
ArcTec rB 1 2
ArcTec rC 3 1
TecCos rB 0 0
TecCos rB 1 0
TecCos rB 2 2
TecCos rB 3 0
TecCos rB 4 0
Geotec rC 0 1
Geotec rC 1 1
Geotec rC 2 3
Geotec rA 3 1
Geotec rC 4 3
"""

# Hard constraints, rule by rule:
#   Lectures: SceCosC 3/3, ArcTec 3/3, TecCos 5/5, Geotec 5/5                                  -> 0
#   Conflicts: the only shared periods are (0,1), (1,1) = SceCosC+Geotec and (3,1) = ArcTec+Geotec;
#              Geotec is in Cur2 only, with a teacher of its own, so neither pair conflicts      -> 0
#   Availability: TecCos avoids (2,0) (2,1) (3,2) (3,3) [it uses (2,2), (3,0)]; ArcTec avoids day 4 -> 0
#   RoomOccupancy: the shared periods use different rooms (rA/rC, rA/rC, rC/rA)                  -> 0
# Soft constraints (weighted):
#   RoomCapacity:  SceCosC 30 in rA(32): 0; ArcTec 42 in rB(50): 0, in rC(40) once: 2;
#                  TecCos 40 in rB(50): 0; Geotec 18 in rC(40)/rA(32): 0                    -> 2 x1 = 2
#   MinWorkingDays: SceCosC days {0,1} vs 3 -> 1; ArcTec {0,1,3} vs 2 -> 0;
#                   TecCos {0..4} vs 4 -> 0; Geotec {0..4} vs 4 -> 0                         -> 1 x5 = 5
#   IsolatedLectures:
#     Cur1: day 0 slots 0,1,2,3 all neighbours -> 0; day 1 slots 0,1,2 -> 0; day 2 TecCos@2 alone -> 1;
#           day 3 slots 0,1 -> 0; day 4 TecCos@0 alone -> 1                                  => 2
#     Cur2: day 0 TecCos@0+Geotec@1, day 1 same, day 2 TecCos@2+Geotec@3, day 3 TecCos@0+Geotec@1 -> 0;
#           day 4 TecCos@0 and Geotec@3 are not adjacent -> 2                                => 2
#     (TecCos@(4,0) is isolated in both curricula and counts in each)                        -> 4 x2 = 8
#   RoomStability: SceCosC {rA} 0, ArcTec {rB,rC} 1, TecCos {rB} 0, Geotec {rC,rA} 1         -> 2 x1 = 2
#   Total = 2 + 5 + 8 + 2 = 17
TOY_EXPECTED = UD2Cost(
    lectures=0,
    conflicts=0,
    availability=0,
    room_occupancy=0,
    room_capacity=2,
    min_working_days=5,
    isolated_lectures=8,
    room_stability=2,
)


def _toy_lectures(toy: ItcInstance) -> list[Lecture]:
    warnings: list[str] = []
    lectures = read_solution(TOY_SOLUTION, toy, warnings)
    assert warnings == []
    assert len(lectures) == 16
    return lectures


def _replace_line(old: str, new: str | None) -> str:
    """TOY_SOLUTION with line ``old`` replaced by ``new`` (or removed)."""
    lines = TOY_SOLUTION.splitlines()
    assert old in lines, old
    i = lines.index(old)
    if new is None:
        del lines[i]
    else:
        lines[i] = new
    return "\n".join(lines) + "\n"


def _same_teacher(toy: ItcInstance) -> ItcInstance:
    """toy with Geotec taught by Ocra, SceCosC's teacher (they share no curriculum)."""
    courses = tuple(replace(c, teacher="Ocra") if c.name == "Geotec" else c for c in toy.courses)
    return replace(toy, courses=courses)


def _hard(cost: UD2Cost) -> tuple[int, int, int, int]:
    return (cost.lectures, cost.conflicts, cost.availability, cost.room_occupancy)


def test_toy_solution_hand_counted(toy: ItcInstance) -> None:
    cost = ud2_cost(toy, _toy_lectures(toy))
    assert cost == TOY_EXPECTED
    assert cost.feasible
    assert cost.hard_violations == 0
    assert cost.total == 17
    assert cost.warnings == []


def test_toy_solution_report(toy: ItcInstance) -> None:
    report = ud2_cost(toy, _toy_lectures(toy)).report()
    assert "Violations of Lectures (hard) : 0" in report
    assert "Violations of RoomOccupation (hard) : 0" in report
    assert "Cost of RoomCapacity (soft) : 2" in report
    assert "Cost of MinWorkingDays (soft) : 5" in report
    assert "Cost of IsolatedLectures (soft) : 8" in report
    assert "Cost of RoomStability (soft) : 2" in report
    assert report.rstrip().endswith("Summary: Total Cost = 17")
    bad = ud2_cost(toy, read_solution(_replace_line("Geotec rC 4 3", None), toy)).report()
    assert "Violations of Lectures (hard) : 1" in bad
    assert "Summary: Violations = 1, Total Cost =" in bad


def test_solution_write_read_round_trip(toy: ItcInstance, tmp_path: Path) -> None:
    lectures = _toy_lectures(toy)
    text = write_solution(lectures)
    assert text == TOY_SOLUTION
    path = tmp_path / "toy.sol"
    path.write_text(text)
    assert read_solution(path, toy) == lectures
    assert read_solution(str(path), toy) == lectures
    assert evaluate_solution(path, toy) == TOY_EXPECTED


# --------------------------------------------------------------------------------------------------
# Hard-rule mutations
# --------------------------------------------------------------------------------------------------


def test_missing_lecture(toy: ItcInstance) -> None:
    cost = ud2_cost(toy, read_solution(_replace_line("Geotec rC 4 3", None), toy))
    assert _hard(cost) == (1, 0, 0, 0)
    assert not cost.feasible
    # Geotec still has 4 days (ok); Cur2 day 4 now only has TecCos@0 isolated -> isolated 3 x2 = 6.
    assert (cost.min_working_days, cost.isolated_lectures) == (5, 6)


def test_missing_and_extra_lectures_add_up(toy: ItcInstance) -> None:
    text = _replace_line("Geotec rC 4 3", None) + "ArcTec rA 2 0\nArcTec rA 2 1\n"
    cost = ud2_cost(toy, read_solution(text, toy))
    assert cost.lectures == 1 + 2  # Geotec 4/5, ArcTec 5/3
    assert _hard(cost)[1:] == (0, 0, 0)


def test_double_booked_course_is_a_missing_lecture(toy: ItcInstance) -> None:
    warnings: list[str] = []
    # Move Geotec's (2,3) lecture onto its own (4,3) lecture: the second line is ignored with a warning.
    lectures = read_solution(_replace_line("Geotec rC 2 3", "Geotec rA 4 3"), toy, warnings)
    assert len(lectures) == 15
    assert len(warnings) == 1 and "Geotec" in warnings[0] and "line 16" in warnings[0]
    cost = ud2_cost(toy, lectures)
    assert _hard(cost) == (1, 0, 0, 0)
    # ud2_cost applies the same filter to a hand-built list.
    raw = [*_toy_lectures(toy), Lecture("Geotec", "rB", 4, 3)]
    cost = ud2_cost(toy, raw)
    assert _hard(cost) == (0, 0, 0, 0)
    assert len(cost.warnings) == 1


def test_conflict_between_curriculum_mates(toy: ItcInstance) -> None:
    # ArcTec moves to (3,0), where TecCos (Cur1 mate) already lectures; room rC is free there.
    cost = ud2_cost(toy, read_solution(_replace_line("ArcTec rC 3 1", "ArcTec rC 3 0"), toy))
    assert _hard(cost) == (0, 1, 0, 0)


def test_three_mutual_conflicts_count_three(toy: ItcInstance) -> None:
    text = _replace_line("ArcTec rC 3 1", "ArcTec rC 3 0")
    text = text.replace("SceCosC rA 0 3\n", "SceCosC rA 3 0\n")
    # (3,0) now holds TecCos rB, ArcTec rC, SceCosC rA: three Cur1 pairs.
    cost = ud2_cost(toy, read_solution(text, toy))
    assert _hard(cost) == (0, 3, 0, 0)


def test_conflict_pair_sharing_two_curricula_counts_once() -> None:
    inst = ItcInstance(
        name="two-curricula",
        days=1,
        periods_per_day=2,
        courses=(Course("a", "t1", 1, 1, 1), Course("b", "t2", 1, 1, 1)),
        rooms=(Room("r1", 10), Room("r2", 10)),
        curricula=(Curriculum("g1", ("a", "b")), Curriculum("g2", ("b", "a"))),
    )
    cost = ud2_cost(inst, [Lecture("a", "r1", 0, 0), Lecture("b", "r2", 0, 0)])
    assert _hard(cost) == (0, 1, 0, 0)
    # Both lectures are isolated in each curriculum: k=2 in g1 and k=2 in g2 -> 4 x2.
    assert cost.isolated_lectures == 8
    assert parse_ectt(write_ectt(inst)) == inst


def test_conflict_between_same_teacher_courses(toy: ItcInstance) -> None:
    lectures = _toy_lectures(toy)
    assert ud2_cost(toy, lectures).conflicts == 0
    # With one teacher for SceCosC and Geotec, their shared periods (0,1) and (1,1) are conflicts.
    cost = ud2_cost(_same_teacher(toy), lectures)
    assert _hard(cost) == (0, 2, 0, 0)


def test_unavailable_period(toy: ItcInstance) -> None:
    # TecCos to (2,1) (unavailable for TecCos); ArcTec to (4,1) (day 4 unavailable for ArcTec).
    text = _replace_line("TecCos rB 2 2", "TecCos rB 2 1")
    cost = ud2_cost(toy, read_solution(text, toy))
    assert _hard(cost) == (0, 0, 1, 0)
    text = _replace_line("TecCos rB 2 2", "TecCos rB 2 1").replace("ArcTec rC 3 1\n", "ArcTec rC 4 1\n")
    cost = ud2_cost(toy, read_solution(text, toy))
    assert _hard(cost) == (0, 0, 2, 0)


def test_two_lectures_in_one_room(toy: ItcInstance) -> None:
    # Geotec at (3,1) moves from rA into rC, already used by ArcTec.
    cost = ud2_cost(toy, read_solution(_replace_line("Geotec rA 3 1", "Geotec rC 3 1"), toy))
    assert _hard(cost) == (0, 0, 0, 1)
    # plus Geotec at (0,1) moves from rC into rA, already used by SceCosC.
    text = _replace_line("Geotec rA 3 1", "Geotec rC 3 1").replace("Geotec rC 0 1\n", "Geotec rA 0 1\n")
    cost = ud2_cost(toy, read_solution(text, toy))
    assert _hard(cost) == (0, 0, 0, 2)
    # a third lecture in the same room and period adds one more
    cost = ud2_cost(toy, [*read_solution(text, toy), Lecture("TecCos", "rA", 0, 1)])
    assert cost.room_occupancy == 3


# --------------------------------------------------------------------------------------------------
# Validator-style handling of bad solution lines, and soft-rule details
# --------------------------------------------------------------------------------------------------


def test_bad_solution_lines_are_ignored_with_warnings(toy: ItcInstance) -> None:
    text = TOY_SOLUTION + "\n".join(
        [
            "Ghost rA 0 0",  # unknown course
            "TecCos rZ 0 2",  # unknown room
            "TecCos rB 5 0",  # day out of range
            "TecCos rB 0 4",  # timeslot out of range
            "TecCos rB -1 0",  # negative day
            "TecCos rB 0",  # malformed
            "TecCos rB x 0",  # malformed
            "",
            "TecCos rC 0 0",  # same course, same period as line 7
        ]
    )
    warnings: list[str] = []
    lectures = read_solution(text, toy, warnings)
    assert lectures == _toy_lectures(toy)
    assert len(warnings) == 8
    assert "line 17" in warnings[0] and "unknown course 'Ghost'" in warnings[0]
    assert "unknown room 'rZ'" in warnings[1]
    assert "day 5 out of range" in warnings[2]
    assert "timeslot 4 out of range" in warnings[3]
    assert "line 25" in warnings[7] and "line 7" in warnings[7]
    cost = evaluate_solution(text, toy)
    assert cost.warnings == warnings
    assert (cost.hard_violations, cost.total) == (0, 17)
    assert cost.report().startswith("Warning: ")


def test_adjacency_does_not_cross_days(toy: ItcInstance) -> None:
    # TecCos at the last slot of day 0 and Geotec at the first slot of day 1 are not adjacent:
    # TecCos is isolated in Cur1 and Cur2, Geotec in Cur2 -> 3 x2.
    cost = ud2_cost(toy, [Lecture("TecCos", "rB", 0, 3), Lecture("Geotec", "rB", 1, 0)])
    assert cost.isolated_lectures == 6
    # Same day, adjacent slots: neither is isolated in Cur2; TecCos still isolated in Cur1 -> 1 x2.
    cost = ud2_cost(toy, [Lecture("TecCos", "rB", 0, 2), Lecture("Geotec", "rB", 0, 3)])
    assert cost.isolated_lectures == 2


def test_empty_solution(toy: ItcInstance) -> None:
    cost = ud2_cost(toy, [])
    assert cost.lectures == 16
    assert cost.min_working_days == 5 * (3 + 2 + 4 + 4)
    assert (cost.room_capacity, cost.isolated_lectures, cost.room_stability) == (0, 0, 0)
    assert not cost.feasible


def test_the_instances_ship_with_the_project() -> None:
    """The ITC tests and benchmark read benchmarks/itc2007/instances/, never a folder beside the clone."""
    names = {path.name for path in INSTANCE_FILES}
    assert names == {f"comp{k:02d}.ectt" for k in range(1, 22)} | {"toy.ectt"}
    assert (BENCH_DIR / "BOUNDS.md").is_file() and (BENCH_DIR / "README.md").is_file()
