"""Calendars across a re-plan, imported with icalendar the way a calendar client does: by UID, the
highest SEQUENCE wins, STATUS:CANCELLED removes. After importing the baseline's calendars and then
the re-plan's, each calendar holds exactly the re-plan's events: no ghost, no duplicate."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from icalendar import Calendar

from llct_sched.reports import write_reports
from llct_sched.reports.calendars import session_times
from llct_sched.reports.data import build
from llct_sched.solve import SolveParams, solve
from llct_sched.solve.replan import Changes, replan
from llct_sched.timetable import Timetable
from tiny import tiny

PARAMS = SolveParams(time_limit=10, workers=1, seed=0)


def events(path: Path) -> list:  # type: ignore[type-arg]
    return list(Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def imported(*files: Path) -> dict[str, object]:
    """A client's view after importing the files in order."""
    store: dict[str, tuple[int, object]] = {}
    for path in files:
        for event in events(path):
            uid, seq = str(event["UID"]), int(event.get("SEQUENCE", 0))
            if uid in store and seq < store[uid][0]:
                continue
            store[uid] = (seq, event)
    return {uid: e for uid, (_, e) in store.items() if str(e.get("STATUS", "")).upper() != "CANCELLED"}  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Timetable, Timetable]:
    scenario = tiny()
    base = solve(scenario, PARAMS).timetable
    assert base is not None
    days = sorted({s.date for s in base.sessions_of("BD-A")})
    changes = Changes.model_validate(
        {
            "changes": [
                {"room_closed": {"room": "HALL", "start": days[0], "end": days[-1]}},  # BD-A moves
                {"lecturer_away": {"lecturer": "FT1", "start": "2020-03-23", "end": "2020-03-25"}},
            ]
        }
    )
    done = replan(scenario, base, changes, PARAMS)
    new = done.result.timetable
    assert new is not None
    first, second = tmp_path_factory.mktemp("base"), tmp_path_factory.mktemp("replan")
    write_reports(first, scenario, base, {})
    write_reports(second, done.scenario, new, {}, previous_calendars=first / "calendars")
    return first / "calendars", second / "calendars", base, new


def expected_times(timetable: Timetable, owner: str) -> Counter[tuple[object, object]]:
    data = build(tiny(), timetable, {})
    kind, some_id = owner.split("_", 1)
    if kind == "room":
        slots = [(s.date, s.period) for s in timetable.sessions if s.room_id == some_id]
    else:
        slots = [(s.date, s.period) for s in timetable.sessions if s.lecturer_id == some_id]
        slots += [(o.date, o.period) for o in timetable.observations if o.observer_id == some_id]
    return Counter(session_times(data, day, period) for day, period in slots)


def test_reimporting_the_replan_leaves_no_ghost(plans: tuple[Path, Path, Timetable, Timetable]) -> None:
    first, second, base, new = plans
    assert [(s.date, s.room_id) for s in base.sessions_of("BD-A")] != [
        (s.date, s.room_id) for s in new.sessions_of("BD-A")
    ]
    names = sorted(p.name for p in second.glob("*.ics"))
    assert names == sorted(p.name for p in first.glob("*.ics")) and len(names) == 5
    cancelled = 0
    for name in names:
        seen = imported(first / name, second / name)
        times = Counter((e.decoded("DTSTART"), e.decoded("DTEND")) for e in seen.values())  # type: ignore[attr-defined]
        assert times == expected_times(new, name.removesuffix(".ics")), name
        cancelled += sum(str(e.get("STATUS")) == "CANCELLED" for e in events(second / name))
    assert cancelled > 0  # FT1's sessions of BD-B went to FT2; BD-A left the hall


def test_uids_name_the_event_not_its_date(plans: tuple[Path, Path, Timetable, Timetable]) -> None:
    first, second, base, new = plans
    old = {str(e["UID"]): e for e in events(first / "room_R1.ics") + events(first / "room_HALL.ics")}
    now = {str(e["UID"]): e for e in events(second / "room_R1.ics") + events(second / "room_HALL.ics")}
    kept = [u for u in old if u in now and str(now[u]["STATUS"]) == "CONFIRMED"]
    assert kept  # sessions that did not move keep their UID ...
    for uid in kept:
        same = all(
            old[uid].get(k) == now[uid].get(k) for k in ("DTSTART", "DTEND", "SUMMARY", "LOCATION", "DESCRIPTION")
        )
        assert int(now[uid]["SEQUENCE"]) == (0 if same else 1)
    assert {int(now[u]["SEQUENCE"]) for u in kept} == {0, 1}
    moved = [u for u in kept if "BD-A" in u and old[u].decoded("DTSTART") != now[u].decoded("DTSTART")]
    room_changed = [u for u in old if "BD-A" in u and str(now[u]["STATUS"]) == "CANCELLED"]
    assert moved or room_changed  # ... and BD-A's moved sessions update (same UID) or leave their room (cancelled)
    assert all("2020" not in uid.split("@")[0] for uid in now)


def test_every_owner_has_its_own_uids(plans: tuple[Path, Path, Timetable, Timetable]) -> None:
    _, second, _, new = plans
    uids = [str(e["UID"]) for path in second.glob("*.ics") for e in events(path)]
    assert len(uids) == len(set(uids))
    confirmed = sum(str(e["STATUS"]) == "CONFIRMED" for path in second.glob("*.ics") for e in events(path))
    assert confirmed == 2 * len(new.sessions) - sum(s.lecturer_id is None for s in new.sessions) + len(new.observations)


def test_writing_the_same_plan_again_changes_no_sequence(
    plans: tuple[Path, Path, Timetable, Timetable], tmp_path: Path
) -> None:
    _, second, _, new = plans
    scenario = tiny()
    write_reports(tmp_path, scenario, new, {}, previous_calendars=second)
    for path in second.glob("*.ics"):
        before = {str(e["UID"]): (int(e["SEQUENCE"]), str(e["STATUS"])) for e in events(path)}
        after = {
            str(e["UID"]): (int(e["SEQUENCE"]), str(e["STATUS"])) for e in events(tmp_path / "calendars" / path.name)
        }
        assert after == before
