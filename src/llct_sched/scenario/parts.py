"""Independent parts of a scenario: groups of classes that share no room, lecturer, observer,
learner group or cohort, each as a scenario of its own.

A province written as one scenario (`generate --scale N --per-center`, or centers merged by hand)
falls apart into its centers this way. A timetable of every part, put together, keeps every rule
of the whole: the parts' rooms, lecturers and observers are apart. Only the goals that count the
whole year at once (the busiest month, the visits' peak, the full-time lecturers' balance) are
not the sum of the parts': the search of the whole goes on from the parts' timetables
(`solve.search`).
"""

from __future__ import annotations

import networkx as nx

from llct_sched.scenario.models import LecturerKind, Scenario, TaughtBy
from llct_sched.timetable import Timetable

__all__ = ["independent_parts", "merge_timetables"]


def _class_links(scenario: Scenario) -> nx.Graph:
    """Classes, rooms, lecturers, groups and cohorts as nodes; a class linked to whatever it may use."""
    graph = nx.Graph()
    programs = {p.id: p for p in scenario.programs}
    all_rooms = [r.id for r in scenario.rooms]
    for c in scenario.classes:
        node = ("class", c.id)
        graph.add_node(node)
        rooms = [c.pinned_room] if c.pinned_room else (c.allowed_rooms if c.allowed_rooms is not None else all_rooms)
        graph.add_edges_from((node, ("room", r)) for r in rooms)
        graph.add_edges_from((node, ("group", g)) for g in c.groups)
        program = programs[c.program]
        if program.taught_by == TaughtBy.center:
            topics = {m.topic for m in program.modules}
            graph.add_edges_from(
                (node, ("lecturer", lec.id)) for lec in scenario.lecturers if topics.intersection(lec.topics)
            )
    for cohort in scenario.cohorts:
        graph.add_edges_from((("cohort", cohort.id), ("class", cid)) for cid in cohort.classes)
    return graph


def _observers(scenario: Scenario) -> list[str]:
    listed = scenario.observation.observers
    return list(listed) if listed is not None else [lec.id for lec in scenario.lecturers if lec.can_observe]


def independent_parts(scenario: Scenario) -> list[Scenario]:
    """The scenario's independent parts, each a scenario (named `<name>_part<k>`), in the order of
    their first class; [] when it is one part, or when a part would need an observer from another
    (an observer who teaches in none of them, a part with lecturers to observe and no observer).

    Each part keeps the calendar, the policies and the weights; its classes, the rooms and learner
    groups they may use, the cohorts among them, the lecturers who may teach them and the observers
    who teach there. Lecturers who may teach nothing are left out (their goals do not depend on
    the timetable)."""
    graph = _class_links(scenario)
    observers = _observers(scenario)
    observed_kinds = set(scenario.observation.observed_kinds)
    needs_visits = scenario.observation.visits_per_lecturer > 0
    order = {c.id: k for k, c in enumerate(scenario.classes)}
    parts = [nodes for nodes in nx.connected_components(graph) if any(kind == "class" for kind, _ in nodes)]
    if len(parts) < 2:
        return []
    parts.sort(key=lambda nodes: min(order[name] for kind, name in nodes if kind == "class"))
    placed = {name for nodes in parts for kind, name in nodes if kind == "lecturer"}
    if any(o not in placed for o in observers):
        return []  # an observer free of teaching could observe in any part: solved as a whole
    out = []
    for k, nodes in enumerate(parts, start=1):
        names = {kind: {name for kd, name in nodes if kd == kind} for kind in ("class", "room", "lecturer", "group")}
        lecturers = [lec for lec in scenario.lecturers if lec.id in names["lecturer"]]
        kept_observers = [o for o in observers if o in names["lecturer"]]
        observed = [lec for lec in lecturers if LecturerKind(lec.kind) in observed_kinds]
        if needs_visits and observed and not kept_observers:
            return []
        classes = [c for c in scenario.classes if c.id in names["class"]]
        used_programs = {c.program for c in classes}
        programs = [
            p.model_copy(
                update={
                    "modules": [
                        m.model_copy(
                            update={"preferred_lecturers": [x for x in m.preferred_lecturers if x in names["lecturer"]]}
                        )
                        if m.preferred_lecturers is not None
                        else m
                        for m in p.modules
                    ]
                }
            )
            for p in scenario.programs
            if p.id in used_programs
        ]
        observation = scenario.observation.model_copy(
            update={
                "observers": kept_observers if scenario.observation.observers is not None else None,
                "programs": [p for p in scenario.observation.programs if p in used_programs]
                if scenario.observation.programs is not None
                else None,
            }
        )
        out.append(
            scenario.model_copy(
                update={
                    "name": f"{scenario.name}_part{k}",
                    "rooms": [r for r in scenario.rooms if r.id in names["room"]],
                    "lecturers": lecturers,
                    "programs": programs,
                    "classes": classes,
                    "groups": [g for g in scenario.groups if g.id in names["group"]],
                    "cohorts": [c for c in scenario.cohorts if c.classes[0] in names["class"]],
                    "observation": observation,
                    "targets": [],
                }
            )
        )
    return out


def merge_timetables(scenario: Scenario, timetables: list[Timetable]) -> Timetable:
    """The parts' timetables as one timetable of the whole scenario."""
    return Timetable(
        scenario=scenario.name,
        periods=list(scenario.calendar.periods),
        class_learners={cid: n for t in timetables for cid, n in t.class_learners.items()},
        sessions=[s for t in timetables for s in t.sessions],
        observations=[v for t in timetables for v in t.observations],
    )
