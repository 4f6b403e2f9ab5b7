"""The diagnostic model: stage 1 with every rule instance behind an assumption literal.

When a scenario is infeasible, CP-SAT's sufficient assumptions for infeasibility, minimised,
name the few rule instances that clash ("class SC-1: window ..." + "room P3 closed ..."). The
solving model filters start slots in the instance; here each filter is a separate, switchable rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from llct_sched.i18n import _
from llct_sched.model.calendar_stage import block_intervals
from llct_sched.model.instance import BlockInfo, Instance, _block_day_runs, _class_window, _closed_slots


@dataclass(frozen=True)
class RuleInstance:
    """One switchable rule: its family, the entities it concerns, and a plain-words description."""

    family: str
    entities: tuple[str, ...]
    text: str


@dataclass
class DiagnosticModel:
    model: cp_model.CpModel
    literals: dict[RuleInstance, cp_model.IntVar] = field(default_factory=dict)

    def switch(self, rule: RuleInstance) -> cp_model.IntVar:
        if rule not in self.literals:
            self.literals[rule] = self.model.new_bool_var(f"{rule.family}:{'/'.join(rule.entities)}")
        return self.literals[rule]


def _dm(day) -> str:  # type: ignore[no-untyped-def]
    return day.strftime("%d/%m/%Y")


def _structural_starts(inst: Instance, block: BlockInfo) -> list[int]:
    """Starts where the block's days form a block of consecutive working days, ignoring every other rule."""
    runs = _block_day_runs(inst.days, block.days, inst.scenario.calendar.max_block_gap_days)
    fits_day = inst.periods - block.sessions_per_day
    return [t for t in range(inst.n_slots) if runs[inst.slot_day(t)] and t % inst.periods <= fits_day]


def _restrict(dm: DiagnosticModel, var: cp_model.IntVar, allowed: list[int], rule: RuleInstance) -> None:
    domain = cp_model.Domain.from_values(allowed) if allowed else cp_model.Domain(-1, -1)
    dm.model.add_linear_expression_in_domain(var, domain).only_enforce_if(dm.switch(rule))


def build_diagnostic_model(inst: Instance) -> DiagnosticModel:
    model = cp_model.CpModel()
    dm = DiagnosticModel(model)
    scenario = inst.scenario
    starts = {}
    structural_of = {block.index: _structural_starts(inst, block) for block in inst.blocks}
    ords = [inst.slot_date(t).toordinal() for t in range(inst.n_slots)]
    for block in inst.blocks:
        structural = structural_of[block.index]
        domain = cp_model.Domain.from_values(structural) if structural else cp_model.Domain(0, 0)
        starts[block.index] = model.new_int_var_from_domain(domain, f"start_b{block.index}")
    learners = [model.new_int_var(c.learners_min, c.learners_max, f"learners_c{c.index}") for c in inst.classes]

    for c in inst.classes:
        cid = c.spec.id
        first, last = _class_window(scenario, c.spec)
        window = RuleInstance(
            "window",
            (cid,),
            _("class {klass} must meet between {first} and {last}").format(klass=cid, first=_dm(first), last=_dm(last)),
        )
        shut = _closed_slots(scenario, c.spec, inst.days) if c.spec.closed_periods else set()
        for b in c.blocks:
            block = inst.blocks[b]
            days_of = {t: inst.days[inst.slot_day(t) : inst.slot_day(t) + block.days] for t in structural_of[b]}
            _restrict(dm, starts[b], [t for t, ds in days_of.items() if first <= ds[0] and ds[-1] <= last], window)
            for blackout in scenario.calendar.blackouts:
                if blackout.max_gathering is not None and c.learners_max <= blackout.max_gathering:
                    continue
                limit = (
                    _("closes all classes")
                    if blackout.max_gathering is None
                    else _("allows at most {n}").format(n=blackout.max_gathering)
                )
                rule = RuleInstance(
                    "blackout",
                    (blackout.id, cid),
                    _("blackout {blackout} ({start}-{end}) {limit}: class {klass}").format(
                        blackout=blackout.id, start=_dm(blackout.start), end=_dm(blackout.end), limit=limit, klass=cid
                    ),
                )
                ok = [t for t, ds in days_of.items() if not any(blackout.start <= d <= blackout.end for d in ds)]
                _restrict(dm, starts[b], ok, rule)
            if shut:
                rule = RuleInstance(
                    "closed_periods", (cid,), _("class {klass}: never in its closed weekly periods").format(klass=cid)
                )
                _restrict(dm, starts[b], [t for t in days_of if shut.isdisjoint(block.slots(t))], rule)
            if c.spec.pinned_starts and block.number < len(c.spec.pinned_starts):
                pin = c.spec.pinned_starts[block.number]
                rule = RuleInstance(
                    "pinned",
                    (cid,),
                    _("class {klass}: block {n} pinned to {day}").format(klass=cid, n=block.number + 1, day=_dm(pin)),
                )
                _restrict(dm, starts[b], [t for t, ds in days_of.items() if ds[0] == pin], rule)
            for s in block.segments:
                seg = inst.segments[s]
                if not c.taught_by_center:
                    continue
                module = c.program.modules[seg.module_index]
                names = ", ".join(scenario.lecturers[i].id for i in seg.lecturers) or _("nobody")
                rule = RuleInstance(
                    "lecturers",
                    (cid, module.id),
                    _(
                        "class {klass} module {module} (topic {topic}): only {names} can teach it, "
                        "and they are free only at some times"
                    ).format(klass=cid, module=module.id, topic=module.topic, names=names),
                )
                ok = [
                    t
                    for t in days_of
                    if any(
                        all(inst.lecturer_available[lec][x] for x in block.slots(t)[seg.first : seg.first + seg.length])
                        for lec in seg.lecturers
                    )
                ]
                _restrict(dm, starts[b], ok, rule)
        if len(c.blocks) > 1 and c.program.delivery.same_day_blocks:
            rule = RuleInstance("delivery", (cid,), _("class {klass}: its blocks one after another").format(klass=cid))
            for prev, nxt in zip(c.blocks, c.blocks[1:], strict=False):
                model.add(starts[nxt] > starts[prev] + inst.blocks[prev].last_offset).only_enforce_if(dm.switch(rule))
        elif len(c.blocks) > 1:
            gap = c.program.delivery.min_gap_days
            rule = RuleInstance(
                "delivery", (cid,), _("class {klass}: its blocks at least {gap} days apart").format(klass=cid, gap=gap)
            )
            lit = dm.switch(rule)
            for prev, nxt in zip(c.blocks, c.blocks[1:], strict=False):
                bp = inst.blocks[prev]
                last_day = [
                    inst.days[min(inst.slot_day(t) + bp.days - 1, len(inst.days) - 1)].toordinal()
                    for t in range(inst.n_slots)
                ]
                f = model.new_int_var(min(ords), max(ords), f"f{nxt}")
                lo = model.new_int_var(min(ords), max(ords), f"l{prev}")
                model.add_element(starts[nxt], ords, f)
                model.add_element(starts[prev], last_day, lo)
                model.add(f - lo - 1 >= gap).only_enforce_if(lit)

    # rooms: seats (switchable per class), closures (switchable per room), one class per room and slot
    per_room: list[list[cp_model.IntervalVar]] = [[] for _ in inst.rooms]
    for block in inst.blocks:
        c = inst.classes[block.class_index]
        cid = c.spec.id
        seats_rule = RuleInstance(
            "seats",
            (cid,),
            _("class {klass}: {learners} learners need a room that seats them").format(
                klass=cid, learners=c.learners_min
            ),
        )
        choices = []
        for r, seats in enumerate(inst.rooms):
            room_id = scenario.rooms[r].id
            if c.spec.pinned_room is not None and room_id != c.spec.pinned_room:
                pin_rule = RuleInstance(
                    "pinned",
                    (cid, "room"),
                    _("class {klass}: pinned to room {room}").format(klass=cid, room=c.spec.pinned_room),
                )
                choice = model.new_bool_var(f"r{block.index}_{r}")
                model.add_implication(dm.switch(pin_rule), choice.Not())
            else:
                choice = model.new_bool_var(f"r{block.index}_{r}")
            if c.spec.allowed_rooms is not None and room_id not in c.spec.allowed_rooms:
                held_rule = RuleInstance(
                    "allowed_rooms",
                    (cid,),
                    _("class {klass}: only in rooms {rooms}").format(klass=cid, rooms=", ".join(c.spec.allowed_rooms)),
                )
                model.add_implication(dm.switch(held_rule), choice.Not())
            if seats < c.learners_max and not scenario.rules.soft_room_capacity:
                model.add(learners[c.index] <= seats).only_enforce_if([choice, dm.switch(seats_rule)])
            choices.append(choice)
            per_room[r] += block_intervals(model, block, starts[block.index], f"in{r}_{block.index}", choice)
        model.add_exactly_one(choices)
    for r, room_intervals in enumerate(per_room):
        room = scenario.rooms[r]
        closed = []
        for k, span in enumerate(room.unavailable):
            rule = RuleInstance(
                "room_closed",
                (room.id,),
                _("room {room} closed {start}-{end}").format(room=room.id, start=_dm(span.start), end=_dm(span.last)),
            )
            lit = dm.switch(rule)
            for d, day in enumerate(inst.days):
                if span.contains(day):
                    closed.append(
                        model.new_optional_fixed_size_interval_var(
                            inst.periods * d, inst.periods, lit, f"closed{r}_{k}_{d}"
                        )
                    )
        if len(room_intervals) + len(closed) > 1:
            model.add_no_overlap(room_intervals + closed)

    for g, members in enumerate(inst.group_classes):
        if len(members) < 2:
            continue
        group = scenario.groups[g]
        names = ", ".join(inst.classes[ci].spec.id for ci in members)
        rule = RuleInstance(
            "group",
            (group.id,),
            _("learner group {group}: classes {names} may not meet together").format(group=group.id, names=names),
        )
        lit = dm.switch(rule)
        copies = [
            iv
            for ci in members
            for b in inst.classes[ci].blocks
            for iv in block_intervals(model, inst.blocks[b], starts[b], f"g{g}_b{b}", lit)
        ]
        model.add_no_overlap(copies)

    for k, members in enumerate(inst.cohort_classes):
        cohort = scenario.cohorts[k]
        rule = RuleInstance(
            "cohort",
            (cohort.id,),
            _("cohort {cohort}: {learners} learners split over {n} classes of {low}-{high}").format(
                cohort=cohort.id,
                learners=cohort.learners,
                n=len(members),
                low=cohort.min_per_class,
                high=cohort.max_per_class or cohort.learners,
            ),
        )
        model.add(sum(learners[ci] for ci in members) == cohort.learners).only_enforce_if(dm.switch(rule))

    needed = scenario.observation.visits_per_lecturer
    if needed:
        for lec in inst.observed:
            if lec in inst.observable_elsewhere:
                continue
            spec = scenario.lecturers[lec]
            rule = RuleInstance(
                "observation",
                (spec.id,),
                _("lecturer {lecturer} must be observed teaching while an observer is free").format(lecturer=spec.id),
            )
            chances: list[cp_model.LinearExprT] = []
            for (s, who), good in inst.visit_chances.items():
                if who == lec:
                    lit = model.new_bool_var(f"chance{s}_{lec}")
                    model.add_linear_expression_in_domain(
                        starts[inst.segments[s].block], cp_model.Domain.from_values(good)
                    ).only_enforce_if(lit)
                    chances.append(inst.visits_a_chance_holds(s) * lit)
            model.add(sum(chances) >= needed).only_enforce_if(dm.switch(rule))
    model.add_assumptions(list(dm.literals.values()))
    return dm
