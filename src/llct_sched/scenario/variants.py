"""What-if variants: a base scenario plus a few patches, in a small YAML file.

A variant file names its base (a path relative to the variant file, or a built-in name such as
`hoang_mai_2020`) and lists patches, applied in order and as written (nothing cascades: removing a
class does not take it out of its cohort; the patched scenario is validated as a whole)::

    name: third_tc_class                 # optional; defaults to the file name without suffix
    title: "A third trung cấp class"      # optional
    base: hoang_mai_2020
    patches:
      - add: {what: classes, item: {id: tc_lop_3, program: tc_llct_hc}}
      - change: {what: cohorts, id: tc_2020, set: {learners: 210, classes: [tc_lop_1, tc_lop_2, tc_lop_3]}}
      - remove: {what: rooms, id: phong_hoc_3}
      - scale_learners: {factor: 1.1, program_type: boi_duong, bloc: dang, rounding: nearest}
      - weights: {borrowed_room: 0}

`what` is one of rooms, lecturers, classes, blackouts (calendar.blackouts), events
(calendar.events), programs, groups, cohorts. `change.set` replaces the named fields of the item
(a list is replaced whole). Unknown ids, duplicate ids and bad field values are reported with
their place in the variant file (`patches[2].change.id: no class 'X' in the base scenario`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field, ValidationError, create_model

from llct_sched import i18n
from llct_sched.errors import InputIssue, ScenarioError
from llct_sched.i18n import N_
from llct_sched.scenario import (
    Blackout,
    Bloc,
    Cohort,
    Event,
    Id,
    LearnerGroup,
    Lecturer,
    OneOf,
    Program,
    ProgramType,
    Room,
    Scenario,
    StrictModel,
    TrainingClass,
    Weights,
)
from llct_sched.scenario.reading import BUILTIN_SCENARIOS, model_from_yaml, pydantic_issues, read_input_text
from llct_sched.scenario.validate import ensure_valid

__all__ = [
    "Collection",
    "LoadedVariant",
    "Patch",
    "Variant",
    "apply_patches",
    "load_variant",
    "load_variants",
    "parse_variant",
    "variant_scenario",
]


class Collection(StrEnum):
    """The lists of a scenario that patches can add to, remove from and change, by id."""

    rooms = "rooms"
    lecturers = "lecturers"
    classes = "classes"
    blackouts = "blackouts"
    events = "events"
    programs = "programs"
    groups = "groups"
    cohorts = "cohorts"


# collection -> (item model, singular noun for messages)
_ITEMS: dict[Collection, tuple[type[BaseModel], str]] = {
    Collection.rooms: (Room, N_("room")),
    Collection.lecturers: (Lecturer, N_("lecturer")),
    Collection.classes: (TrainingClass, N_("class")),
    Collection.blackouts: (Blackout, N_("blackout")),
    Collection.events: (Event, N_("event")),
    Collection.programs: (Program, N_("program")),
    Collection.groups: (LearnerGroup, N_("group")),
    Collection.cohorts: (Cohort, N_("cohort")),
}


class Rounding(StrEnum):
    nearest = "nearest"
    up = "up"
    down = "down"


class AddPatch(StrictModel):
    """Add one item (a room, a class, a blackout, ...) whose id is new."""

    what: Collection
    item: dict[str, Any]


class RemovePatch(StrictModel):
    """Remove the item with this id (references to it elsewhere are not removed)."""

    what: Collection
    id: Id


class ChangePatch(StrictModel):
    """Replace some fields of the item with this id; lists are replaced whole."""

    what: Collection
    id: Id
    set: dict[str, Any] = Field(min_length=1)


class ScaleLearners(StrictModel):
    """Multiply the learners of the matching classes (and cohorts) by `factor`.

    A class matches when it satisfies every filter given (none given: every class). A cohort is
    scaled (when `cohorts` is true) if all its classes match; its min/max per class stay as they are.
    """

    factor: float = Field(gt=0)
    program_type: ProgramType | None = None
    bloc: Bloc | None = None
    programs: list[Id] | None = None
    classes: list[Id] | None = None
    rounding: Rounding = Rounding.nearest
    cohorts: bool = True


# New weights of some soft goals; the others keep the base's. One optional field per goal of
# `Weights`, so that every goal a scenario knows can be patched.
if TYPE_CHECKING:
    WeightsPatch = StrictModel
else:
    WeightsPatch = create_model(
        "WeightsPatch",
        __base__=StrictModel,
        __doc__="New weights of some soft goals; the others keep the base's.",
        **{goal: (int | None, Field(default=None, ge=0)) for goal in Weights.model_fields},
    )


class Patch(OneOf):
    """One patch: exactly one of add, remove, change, scale_learners, weights."""

    add: AddPatch | None = None
    remove: RemovePatch | None = None
    change: ChangePatch | None = None
    scale_learners: ScaleLearners | None = None
    weights: WeightsPatch | None = None


class Variant(StrictModel):
    """A what-if variant: a base scenario and the patches that make the variant."""

    name: Id | None = None
    title: str = ""
    description: str = ""
    base: str = Field(min_length=1, description="A scenario file (relative to this file) or a built-in name.")
    patches: list[Patch] = Field(default_factory=list)


@dataclass
class LoadedVariant:
    """A variant file, its patched and validated scenario, and the validation warnings."""

    name: str
    file: str
    variant: Variant
    scenario: Scenario
    warnings: list[InputIssue] = field(default_factory=list)


def parse_variant(text: str, file: str = "") -> Variant:
    """Parse the YAML text of a variant file (structure only; ids are checked when applied)."""
    return model_from_yaml(Variant, text, file)


def _items(scenario: Scenario, what: Collection) -> list[Any]:
    if what in (Collection.blackouts, Collection.events):
        return list(getattr(scenario.calendar, what.value))
    return list(getattr(scenario, what.value))


def _set_items(data: dict[str, Any], what: Collection, items: list[dict[str, Any]]) -> None:
    if what in (Collection.blackouts, Collection.events):
        data["calendar"][what.value] = items
    else:
        data[what.value] = items


def _prefixed(error: ValidationError, prefix: str, file: str) -> list[InputIssue]:
    return [
        InputIssue(path=f"{prefix}.{i.path}" if i.path else prefix, message=i.message, file=file)
        for i in pydantic_issues(error)
    ]


def _rounded(value: float, rounding: Rounding) -> int:
    if rounding == Rounding.up:
        number = math.ceil(value - 1e-9)
    elif rounding == Rounding.down:
        number = math.floor(value + 1e-9)
    else:
        number = math.floor(value + 0.5)
    return max(1, number)


def apply_patches(base: Scenario, patches: list[Patch], file: str = "", name: str | None = None) -> Scenario:
    """The base scenario with the patches applied in order.

    Raises ScenarioError with every patch problem located as `patches[i]....` in `file`. The result
    is a well-formed Scenario, not yet semantically validated (see `variant_scenario`).
    """
    data = base.model_dump(mode="python")
    issues: list[InputIssue] = []

    def problem(path: str, message: str) -> None:
        issues.append(InputIssue(path=path, message=message, file=file))

    for index, patch in enumerate(patches):
        at = f"patches[{index}]"
        current = Scenario.model_validate(data)
        if patch.add is not None:
            op = patch.add
            model, noun = _ITEMS[op.what]
            try:
                item = model.model_validate(op.item)
            except ValidationError as error:
                issues.extend(_prefixed(error, f"{at}.add.item", file))
                continue
            items = _items(current, op.what)
            if any(x.id == item.id for x in items):  # type: ignore[attr-defined]
                message = i18n._("{what} '{id}' already exists in the base scenario")
                problem(f"{at}.add.item.id", message.format(what=i18n._(noun), id=item.id))  # type: ignore[attr-defined]
                continue
            _set_items(data, op.what, [x.model_dump(mode="python") for x in [*items, item]])
        elif patch.remove is not None:
            op_r = patch.remove
            _, noun = _ITEMS[op_r.what]
            items = _items(current, op_r.what)
            kept = [x for x in items if x.id != op_r.id]
            if len(kept) == len(items):
                problem(
                    f"{at}.remove.id",
                    i18n._("no {what} '{id}' in the base scenario").format(what=i18n._(noun), id=op_r.id),
                )
                continue
            _set_items(data, op_r.what, [x.model_dump(mode="python") for x in kept])
        elif patch.change is not None:
            op_c = patch.change
            model, noun = _ITEMS[op_c.what]
            items = _items(current, op_c.what)
            positions = [k for k, x in enumerate(items) if x.id == op_c.id]
            if not positions:
                problem(
                    f"{at}.change.id",
                    i18n._("no {what} '{id}' in the base scenario").format(what=i18n._(noun), id=op_c.id),
                )
                continue
            if "id" in op_c.set and op_c.set["id"] != op_c.id:
                problem(f"{at}.change.set.id", i18n._("an id cannot be changed (remove the item and add a new one)"))
                continue
            unknown = [key for key in op_c.set if key not in model.model_fields]
            if unknown:
                for key in unknown:
                    problem(
                        f"{at}.change.set.{key}",
                        i18n._("unknown key '{key}' for a {what}").format(key=key, what=i18n._(noun)),
                    )
                continue
            dumped = [x.model_dump(mode="python") for x in items]
            for k in positions:
                try:
                    dumped[k] = model.model_validate({**dumped[k], **op_c.set}).model_dump(mode="python")
                except ValidationError as error:
                    issues.extend(_prefixed(error, f"{at}.change.set", file))
                    break
            else:
                _set_items(data, op_c.what, dumped)
        elif patch.scale_learners is not None:
            issues.extend(_scale(current, data, patch.scale_learners, f"{at}.scale_learners", file))
        elif patch.weights is not None:
            data["weights"] = {**data["weights"], **patch.weights.model_dump(exclude_none=True)}
    if issues:
        raise ScenarioError(issues)
    if name is not None:
        data["name"] = name
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(pydantic_issues(error, f"{file} (patched base)")) from None


def _scale(current: Scenario, data: dict[str, Any], op: ScaleLearners, at: str, file: str) -> list[InputIssue]:
    programs = {p.id: p for p in current.programs}
    classes = {c.id: c for c in current.classes}
    issues = [
        InputIssue(
            path=f"{at}.programs[{k}]",
            message=i18n._("no {what} '{id}' in the base scenario").format(what=i18n._("program"), id=pid),
            file=file,
        )
        for k, pid in enumerate(op.programs or [])
        if pid not in programs
    ]
    issues += [
        InputIssue(
            path=f"{at}.classes[{k}]",
            message=i18n._("no {what} '{id}' in the base scenario").format(what=i18n._("class"), id=cid),
            file=file,
        )
        for k, cid in enumerate(op.classes or [])
        if cid not in classes
    ]
    if issues:
        return issues

    def matches(klass: TrainingClass) -> bool:
        program = programs.get(klass.program)
        if op.program_type is not None and (program is None or program.type != op.program_type):
            return False
        if op.bloc is not None and klass.bloc != op.bloc:
            return False
        if op.programs is not None and klass.program not in op.programs:
            return False
        return op.classes is None or klass.id in op.classes

    for klass_data in data["classes"]:
        klass = classes[klass_data["id"]]
        if klass.learners is not None and matches(klass):
            klass_data["learners"] = _rounded(klass.learners * op.factor, op.rounding)
    if op.cohorts:
        for cohort_data in data["cohorts"]:
            members = [classes[c] for c in cohort_data["classes"] if c in classes]
            if members and all(matches(k) for k in members):
                cohort_data["learners"] = _rounded(cohort_data["learners"] * op.factor, op.rounding)
    return []


SAFE_NAME = re.compile(r"\w[\w.-]*")  # a variant name becomes part of file names
MAX_BASE_DEPTH = 10  # a variant's base may be a variant, this many levels deep
_LOADING: dict[Path, None] = {}  # the variant files being loaded (a base leading back is a cycle)
# loads a scenario from a file or a built-in name (`llct_sched.scenario.loading.load_scenario`, which can load a
# variant in turn: passed in rather than imported, since io imports this module)
ScenarioLoader = Callable[[str | Path], Scenario]


def _load_base(variant: Variant, file: Path | None, load_scenario: ScenarioLoader) -> Scenario:
    """The base: a file relative to the variant file if one exists there, else a built-in name."""
    candidate = (file.parent / variant.base) if file is not None else Path(variant.base)
    where = str(file) if file is not None else ""
    if candidate.exists():
        return load_scenario(candidate)
    if variant.base in BUILTIN_SCENARIOS:
        return load_scenario(variant.base)
    builtins = ", ".join(BUILTIN_SCENARIOS)
    message = i18n._("no scenario file '{file}' and no built-in scenario '{name}' (have: {names})").format(
        file=candidate, name=variant.base, names=builtins
    )
    raise ScenarioError([InputIssue(path="base", message=message, file=where)])


def variant_scenario(variant: Variant, load_scenario: ScenarioLoader, file: str | Path | None = None) -> LoadedVariant:
    """Load the variant's base with `load_scenario`, apply its patches and validate the result
    (`validate.ensure_valid`). `llct_sched.scenario.loading.variant_scenario` passes its loader.

    `file` is the variant file, used to find a relative base and to locate errors.
    """
    path = Path(file) if file is not None else None
    label = str(path) if path is not None else "<variant>"
    name = variant.name or (path.stem if path is not None else "variant")
    if not SAFE_NAME.fullmatch(name) or ".." in name:
        where = "name" if variant.name else ""
        message = i18n._(
            "'{name}' cannot name a variant: it becomes file names, so use letters, digits, '_', '-' and "
            "'.' only (not first, no '..')"
        ).format(name=name) + ("" if variant.name else i18n._("; give one with name:"))
        raise ScenarioError([InputIssue(path=where, message=message, file=label)])
    base = _load_base(variant, path, load_scenario)
    scenario = apply_patches(base, variant.patches, file=label, name=name)
    warnings = ensure_valid(scenario, file=f"{label} (base {variant.base} patched)")
    return LoadedVariant(name=name, file=label, variant=variant, scenario=scenario, warnings=warnings)


def load_variant(path: str | Path, load_scenario: ScenarioLoader) -> LoadedVariant:
    """Read a variant file, apply its patches to its base (loaded with `load_scenario`) and
    validate the patched scenario. `llct_sched.scenario.loading.load_variant` passes its loader.

    Raises ScenarioError with located issues on any problem (a base that leads back to the
    variant itself included).
    """
    path = Path(path)
    if not path.exists():
        raise ScenarioError([InputIssue(path="", message=i18n._("no such file"), file=str(path))])
    key = path.resolve()
    if key in _LOADING or len(_LOADING) >= MAX_BASE_DEPTH:
        chain = " -> ".join(p.name for p in [*_LOADING, key])
        message = i18n._("the variant's bases lead back to itself or too deep ({chain})").format(chain=chain)
        raise ScenarioError([InputIssue(path="base", message=message, file=str(path))])
    text = read_input_text(path)
    _LOADING[key] = None
    try:
        return variant_scenario(parse_variant(text, str(path)), load_scenario, path)
    finally:
        del _LOADING[key]


def load_variants(
    paths: Sequence[str | Path], load_scenario: ScenarioLoader, reserved: tuple[str, ...] = ("base",)
) -> list[LoadedVariant]:
    """Load several variant files; raise one ScenarioError with the issues of all of them.

    Variant names must be unique and not in `reserved` (the comparison's label of the base).
    """
    issues: list[InputIssue] = []
    loaded: list[LoadedVariant] = []
    seen: dict[str, str] = {}
    for path in paths:
        try:
            variant = load_variant(path, load_scenario)
        except ScenarioError as error:
            issues.extend(error.issues)
            continue
        if variant.name in reserved:
            message = i18n._(
                "the variant name '{name}' is reserved (it labels the base scenario); choose another"
            ).format(name=variant.name)
            issues.append(InputIssue(path="name", message=message, file=variant.file))
        elif variant.name in seen:
            message = i18n._("variant name '{name}' is already used by {file}; names must be unique").format(
                name=variant.name, file=seen[variant.name]
            )
            issues.append(InputIssue(path="name", message=message, file=variant.file))
        else:
            seen[variant.name] = variant.file
            loaded.append(variant)
    if issues:
        raise ScenarioError(issues)
    return loaded
