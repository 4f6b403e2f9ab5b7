"""The changes file is specified: a JSON Schema, one example per kind, located errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from llct_sched.cli import app
from llct_sched.errors import ScenarioError
from llct_sched.scenario.loading import load_scenario
from llct_sched.solve.replan import CHANGE_KINDS, apply_changes, load_changes

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "replan"


@pytest.mark.parametrize("kind", CHANGE_KINDS)
def test_every_kind_has_an_example_that_applies_to_the_2020_plan(kind: str) -> None:
    changes = load_changes(EXAMPLES / f"{kind}.yaml")
    assert {c.kind for c in changes.changes} == {kind}
    scenario = load_scenario(str(EXAMPLES / "plan_january_2020.yaml"))
    changed = apply_changes(scenario, changes, f"{kind}.yaml")
    assert changed.model_dump() != scenario.model_dump()


def test_the_readme_documents_every_kind_and_its_example() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### The changes file") :]
    for kind in CHANGE_KINDS:
        assert re.search(rf"^\| `{kind}` \|", section, flags=re.M), kind
        assert f"(examples/replan/{kind}.yaml)" in section


def test_schema_of_changes_files() -> None:
    run = CliRunner().invoke(app, ["schema", "--changes"])
    assert run.exit_code == 0
    schema = json.loads(run.output)
    change = schema["$defs"]["Change"]
    assert set(change["properties"]) == set(CHANGE_KINDS)
    assert all(change["properties"][k].get("description") for k in CHANGE_KINDS)
    away = schema["$defs"]["LecturerAway"]
    assert set(away["required"]) == {"lecturer", "start", "end"} and away["additionalProperties"] is False
    scenario = json.loads(CliRunner().invoke(app, ["schema"]).output)
    assert "calendar" in scenario["properties"]


def test_unknown_kinds_and_ids_are_located_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "changes:\n  - lecturer_gone: {lecturer: gv_1}\n  - room_closed: {room: hoi_truong, start: 2020-06-01}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as caught:
        load_changes(bad)
    text = str(caught.value)
    assert f"{bad}: changes[0].lecturer_gone: unknown kind of change 'lecturer_gone' (one of: lecturer_away," in text
    assert f"{bad}: changes[1].room_closed.end: required but missing" in text
    ids = tmp_path / "ids.yaml"
    ids.write_text("changes:\n  - learners: {class_id: nope, learners: 3}\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["replan", str(EXAMPLES / "plan_january_2020.yaml"), "--baseline", str(tmp_path), "--out", str(out)]
    for changes, where in ((bad, "changes[0].lecturer_gone: unknown kind"), (ids, "changes[0].learners.class_id")):
        (tmp_path / "timetable.json").write_text(
            '{"scenario": "plan_january_2020", "class_learners": {}}', encoding="utf-8"
        )
        run = CliRunner().invoke(app, ["--lang", "en", *args, "--changes", str(changes)])
        assert run.exit_code == 2 and where in run.output and "Traceback" not in run.output, run.output
        assert not out.exists()
