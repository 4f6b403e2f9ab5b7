"""The tool's own words: every marked message has a Vietnamese translation in the shipped catalog,
and the command line, validation errors and the input template speak Vietnamese by default."""

from __future__ import annotations

import copy
import datetime as dt
import fnmatch
import gettext
import re
import string
import tomllib
from pathlib import Path

import openpyxl
import pytest
import yaml
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from typer.testing import CliRunner

import llct_sched
from llct_sched import i18n
from llct_sched.cli import app
from llct_sched.errors import ScenarioError
from llct_sched.scenario import Scenario
from llct_sched.scenario.excel import column_field
from llct_sched.scenario.loading import load_scenario, scenario_to_yaml
from tiny import tiny_data

PACKAGE = Path(llct_sched.__file__).parent
PO = i18n.LOCALE_DIR / "vi" / "LC_MESSAGES" / "llct_sched.po"
runner = CliRunner()


KEYWORDS = {"_": None, "N_": None, "NP_": ((1, "c"), 2)}


def _marked() -> dict[tuple[str | None, str], str]:
    """Every message marked with _(), N_() or NP_() in the package's source: (context, msgid) -> where."""
    found: dict[tuple[str | None, str], str] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(PACKAGE), keywords=KEYWORDS, comment_tags=()
    ):
        msgid = message if isinstance(message, str) else message[0]
        found.setdefault((context, msgid), f"{filename}:{lineno}")
    return found


def _catalog() -> dict[tuple[str | None, str], tuple[str, bool]]:
    with PO.open("rb") as source:
        catalog = read_po(source)
    return {(m.context, m.id): (str(m.string), m.fuzzy) for m in catalog if m.id and isinstance(m.id, str)}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_marked_message_has_a_vietnamese_translation() -> None:
    marked = _marked()
    assert len(marked) > 100
    # _() on an f-string or a variable cannot be looked up: Babel extracts it as an empty message
    empty = [where for (_context, msgid), where in marked.items() if not msgid]
    assert not empty, f"a message built at run time is marked at {empty}"
    catalog = _catalog()
    untranslated = sorted(f"{where}: {key!r}" for key, where in marked.items() if not catalog.get(key, ("",))[0])
    assert not untranslated, "messages without a Vietnamese translation:\n" + "\n".join(untranslated)
    fuzzy = sorted(str(key) for key, (_, is_fuzzy) in catalog.items() if is_fuzzy)
    assert not fuzzy, fuzzy
    for (context, msgid), (msgstr, _) in catalog.items():
        assert _fields(msgid) == _fields(msgstr), (context, msgid)  # the same {placeholders}


def test_the_compiled_catalog_is_up_to_date_and_shipped() -> None:
    compiled = gettext.translation(i18n.DOMAIN, localedir=i18n.LOCALE_DIR, languages=["vi"])
    stale = [
        (context, msgid)
        for (context, msgid), (msgstr, _) in _catalog().items()
        if (compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)) != msgstr
    ]
    assert not stale, f"run `python -m llct_sched.i18n` to compile the .po: {stale[:5]}"
    # the repository's pyproject.toml (the package may be installed elsewhere, as in CI)
    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = project["tool"]["setuptools"]["package-data"]["llct_sched"]
    for path in (PO, PO.with_suffix(".mo")):
        relative = path.relative_to(PACKAGE).as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in shipped), relative


def _broken_scenario(tmp_path: Path) -> Path:
    data = load_scenario("tutorial").model_dump(mode="json")
    data["rooms"][0]["seats"] = 0
    data["classes"][0]["learners"] = "many"
    data["rooms"][1]["colour"] = "red"
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_validation_errors_in_vietnamese_by_default_and_english_on_request(tmp_path: Path) -> None:
    path = _broken_scenario(tmp_path)
    vi = runner.invoke(app, ["validate", str(path)])
    assert vi.exit_code == 2
    text = " ".join(vi.output.split())
    assert "Dữ liệu vào không hợp lệ: 3 vấn đề" in text
    assert "rooms[0].seats: phải lớn hơn 0" in text
    assert "classes[0].learners: phải là một số nguyên" in text
    assert "rooms[1].colour: khóa không xác định 'colour'" in text
    assert "Input should" not in text and "Traceback" not in text
    en = runner.invoke(app, ["--lang", "en", "validate", str(path)])
    assert en.exit_code == 2
    assert "Bad input: 3 problem(s)" in en.output and "must be greater than 0" in en.output
    # the command line's language does not stay behind: the library speaks English
    assert i18n.language() == "en"
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert "must be a whole number" in str(caught.value)


def test_semantic_errors_and_warnings_in_vietnamese(tmp_path: Path) -> None:
    data = load_scenario("tutorial").model_dump(mode="json")
    data["targets"] = [{"program_type": "boi_duong", "classes": 99}]
    path = tmp_path / "semantic.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    warned = runner.invoke(app, ["validate", str(path)])
    assert warned.exit_code == 0, warned.output
    text = " ".join(warned.output.split())
    assert f"cảnh báo {path}: targets[0].classes: chỉ tiêu ghi 99 lớp boi_duong nhưng danh sách lớp có" in text
    assert "hợp lệ" in text
    data["classes"][0]["program"] = "X_missing"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    klass = data["classes"][0]["id"]
    assert f"lỗi {path}: classes[0].program: lớp '{klass}' nhắc đến chương trình không tồn tại 'X_missing'" in text


def test_solve_messages_in_vietnamese(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["solve", "tutorial", "--out", str(out), "--workers", "1", "--time-limit", "20"])
    assert result.exit_code == 0, result.output
    for words in ("trạng thái", "hàm mục tiêu", "Tối ưu (OPTIMAL)", "mọi ràng buộc cứng đều thỏa mãn", "kết quả trong"):
        assert words in result.output, words
    assert re.search(r"^tiến trình thời khóa biểu: hàm mục tiêu \d+", result.output, re.M)
    english = runner.invoke(app, ["solve", "tutorial", "--out", str(out), "--workers", "1", "--lang", "en", "--quiet"])
    assert "all hard rules hold" in english.output and "outputs in" in english.output


def test_template_speaks_vietnamese_with_lists_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    result = runner.invoke(app, ["template", "-o", str(path)])
    assert result.exit_code == 0, result.output
    assert "đã ghi" in result.output
    wb = openpyxl.load_workbook(path)
    classes = wb["classes"]
    headers = [c.value for c in classes[1]]
    assert headers[:3] == ["Mã (id)", "Tên (name)", "Chương trình (program)"]
    program_col = [column_field(h) for h in headers].index("program") + 1
    letter = openpyxl.utils.get_column_letter(program_col)
    lists = {str(dv.sqref): dv for dv in classes.data_validations.dataValidation}
    assert lists[f"{letter}2:{letter}1000"].formula1 == "programs!$A$2:$A$1000"
    bloc = [column_field(h) for h in headers].index("bloc") + 1
    bloc_letter = openpyxl.utils.get_column_letter(bloc)
    assert lists[f"{bloc_letter}2:{bloc_letter}1000"].formula1 == '"dang,chinh_quyen,doan_the"'
    assert "Chọn một mã trong trang 'programs'" in classes.cell(row=1, column=program_col).comment.text
    for sheet, column, source in (
        ("lecturer_unavailable", "lecturer", "lecturers!"),
        ("room_unavailable", "room", "rooms!"),
        ("classes", "pinned_room", "rooms!"),
    ):
        ws = wb[sheet]
        c = [column_field(v.value) for v in ws[1]].index(column) + 1
        col = openpyxl.utils.get_column_letter(c)
        formulas = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
        assert formulas[f"{col}2:{col}1000"].startswith(source), (sheet, column)
    readme = [row[0] for row in wb["README"].iter_rows(values_only=True)]
    assert readme[0] == "Sổ dữ liệu kịch bản llct-sched" and "Dòng 1" in readme
    weights = [c.value for c in wb["weights"][1]]
    assert weights == ["Thiết lập (key)", "Giá trị (value)", "Ý nghĩa (meaning)"]
    # the Vietnamese workbook loads back as the scenario it holds
    assert load_scenario(path).model_dump() == load_scenario("hoang_mai_2020").model_dump()


# --- nothing untranslated on the command line -------------------------------------------------------

# words of the tool's English messages that no Vietnamese message has: a message that was never
# marked (or is marked but shown without translating it) puts some of them in the output
ENGLISH_WORDS = (
    "the", "no", "not", "and", "but", "of", "is", "are", "must", "cannot", "can", "found", "round", "rounds",
    "lecturer", "lecturers", "class", "classes", "session", "sessions", "block", "blocks", "free", "only",
    "with", "between", "warning", "error", "objective", "room", "rooms", "learners", "topic", "topics", "module",
    "observer", "observed", "none", "nobody", "days", "day", "year", "wrote", "moved", "changed", "reason",
    "status", "bound", "time", "outputs", "check", "valid", "problem", "problems", "sheet", "row", "rows",
    "column", "columns",
)  # fmt: skip
_ENGLISH = re.compile(r"\b(" + "|".join(ENGLISH_WORDS) + r")\b", re.IGNORECASE)
# paths, file names and ids (classes[0].learners, /tmp/x.yaml, gv_1, hoang_mai_2020) are data, not words
_DATA = re.compile(r"'[^'\s]*'|\S*(?:[\[\]_/\\<>]|\w\.\w)\S*")
# ... and so are the workbook's sheet names listed after an unknown sheet
_SHEET_NAMES = re.compile(r"(?<=các trang hợp lệ: )[^)]*")


# the tutorial's lecturer gv_an away a week, a room closed, a day without classes and one of few learners
REPLAN_CHANGES = [
    {"lecturer_away": {"lecturer": "gv_an", "start": "2020-09-07", "end": "2020-09-11", "reason": "Đi học"}},
    {"room_closed": {"room": "hoi_truong", "start": "2020-09-21", "end": "2020-09-22"}},
    {"blackout": {"id": "bao", "name": "Bão", "start": "2020-09-24", "end": "2020-09-24"}},
    {
        "blackout": {
            "id": "it_nguoi",
            "name": "Hạn chế",
            "start": "2020-09-28",
            "end": "2020-09-30",
            "max_gathering": 30,
        }
    },
]


def english_lines(output: str) -> list[str]:
    """The output's lines with an English word of the tool's messages left in them."""
    return [line for line in output.splitlines() if _ENGLISH.search(_DATA.sub(" ", _SHEET_NAMES.sub(" ", line)))]


def test_the_stop_list_finds_an_untranslated_message() -> None:
    assert english_lines("vòng 2: no calendar found in 3.0s") == ["vòng 2: no calendar found in 3.0s"]
    assert english_lines("lỗi classes[0].learners: phải là một số nguyên (gv_1, /tmp/a_b.yaml)") == []


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The default plan solved briefly on the command line (Vietnamese by default): its folder and output."""
    out = tmp_path_factory.mktemp("vi") / "out"
    run = runner.invoke(app, ["solve", "--out", str(out), "--time-limit", "5", "--workers", "1"])
    assert run.exit_code == 0, run.output
    return out, run.output


def _unstaffable(folder: Path) -> Path:
    """The default plan with every full-time lecturer capped at 5 sessions a year (tests/test_staffing.py)."""
    scenario = load_scenario("hoang_mai_2020")
    for lec in scenario.lecturers:
        if lec.kind.value == "full_time":
            lec.max_sessions_per_year = 5
    path = folder / "unstaffable.yaml"
    path.write_text(scenario_to_yaml(scenario), encoding="utf-8")
    return path


def test_the_command_line_leaves_nothing_in_english(tmp_path: Path, solved: tuple[Path, str]) -> None:
    """Solve, explain, re-plan, diagnose, an impossible plan and broken input: every line Vietnamese."""
    from test_diagnose import TRIGGERS, build

    out, solve_output = solved
    outputs = {"solve": solve_output}
    explained = runner.invoke(app, ["explain", "hoang_mai_2020", "--timetable", str(out), "--top", "20"])
    assert explained.exit_code == 0, explained.output
    outputs["explain"] = explained.output
    tutorial = tmp_path / "tutorial"
    base = runner.invoke(app, ["solve", "tutorial", "--out", str(tutorial), "--time-limit", "10", "--workers", "1"])
    assert base.exit_code == 0, base.output
    outputs["solve tutorial"] = base.output
    changes = tmp_path / "changes.yaml"
    changes.write_text(yaml.safe_dump({"changes": REPLAN_CHANGES}, allow_unicode=True), encoding="utf-8")
    args = ["replan", "tutorial", "--baseline", str(tutorial), "--changes", str(changes), "--out", str(tmp_path / "re")]
    replanned = runner.invoke(app, [*args, "--time-limit", "10", "--workers", "1"])
    assert replanned.exit_code == 0, replanned.output
    outputs["replan"] = replanned.output
    checked = runner.invoke(app, ["check", "hoang_mai_2020", str(out)])
    outputs["check"] = checked.output
    for kind, change in TRIGGERS.items():
        path = tmp_path / f"{kind}.yaml"
        path.write_text(scenario_to_yaml(build(change)), encoding="utf-8")
        outputs[f"diagnose {kind}"] = runner.invoke(app, ["diagnose", str(path)]).output
    outputs["diagnose unstaffable"] = runner.invoke(app, ["diagnose", str(_unstaffable(tmp_path))]).output
    impossible = tmp_path / "impossible.yaml"
    closed = tiny_data()
    closed["rooms"][0]["unavailable"] = [{"start": dt.date(2020, 3, 1), "end": dt.date(2020, 3, 31)}]
    impossible.write_text(scenario_to_yaml(Scenario.model_validate(closed)), encoding="utf-8")
    args = ["solve", str(impossible), "--out", str(tmp_path / "none"), "--time-limit", "10", "--workers", "1"]
    outputs["solve impossible"] = runner.invoke(app, args).output
    for path in [*_broken_inputs(tmp_path), *_broken_workbooks(tmp_path)]:
        outputs[f"validate {path.name}"] = runner.invoke(app, ["validate", str(path)]).output
    outputs["check broken csv"] = runner.invoke(
        app, ["check", "hoang_mai_2020", str(_broken_csv(out, tmp_path))]
    ).output
    for what, output in outputs.items():
        assert output.strip(), what
    left = {what: english_lines(output) for what, output in outputs.items()}
    left = {what: lines for what, lines in left.items() if lines}
    assert not left, "English left in the Vietnamese output:\n" + "\n".join(
        f"{what}: {line}" for what, lines in left.items() for line in lines
    )


def _broken_inputs(folder: Path) -> list[Path]:
    """Scenario files with type errors, semantic errors and bad bounds."""
    data = load_scenario("tutorial").model_dump(mode="json")
    semantic = copy.deepcopy(data)
    semantic["classes"][0]["program"] = "X_missing"
    semantic["lecturers"][0].update(norm_sessions_per_year=10, norm_max_sessions_per_year=5)
    semantic["lecturers"][0]["specialist_topics"] = ["unknown_topic"]
    semantic["programs"][0]["modules"][0]["preferred_lecturers"] = ["NOBODY"]
    semantic["targets"] = [{"program_type": "boi_duong", "classes": 99}]
    bounds = copy.deepcopy(data)
    bounds["rooms"][0]["name"] = "Hội trường\nlớn"
    bounds["calendar"]["holidays"].append({"start": "2030-01-01", "name": "later"})
    models = copy.deepcopy(data)
    models["calendar"]["end"] = "2019-01-01"
    models["rooms"][0]["seats"] = True
    paths = [_broken_scenario(folder)]
    for name, content in (("semantic", semantic), ("bounds", bounds), ("models", models)):
        path = folder / f"{name}.yaml"
        path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
        paths.append(path)
    return paths


# --- the help texts ---------------------------------------------------------------------------------

# option names, metavars, value ranges and the names in the first column (commands, arguments) are
# the command line's own words, not English; so is the usage line after its first word
_HELP_DATA = re.compile(
    r"(?<=Cách dùng: ).*|--[\w-]+|(?<![\w-])-\w\b|<[^>]*>|\[[A-Z]+\]|\b[A-Z]{2,}\b|\[[\d.x<=>-]+\]"
    r"|^\W*[a-z0-9_]+(?=\s{2,})",
    re.M,
)


def _commands() -> list[str]:
    """Every command, a group's subcommands too ("province solve")."""
    import typer.main

    return [name for name, _ in _walk(typer.main.get_command(app))]


def _walk(group, prefix: str = ""):  # type: ignore[no-untyped-def]
    """(name, command) of every command under a click group, groups and their subcommands."""
    for name, command in group.commands.items():
        yield prefix + name, command
        if hasattr(command, "commands"):
            yield from _walk(command, f"{prefix}{name} ")


def help_english_lines(output: str) -> list[str]:
    """The help's lines with an English word left once option names and metavars are taken out."""
    return english_lines(_HELP_DATA.sub(" ", output))


def test_every_help_text_is_marked_for_the_catalog() -> None:
    """A help text not marked with N_() would stay English: every command's and parameter's is marked."""
    import typer.main

    root = typer.main.get_command(app)
    marked = {msgid for _context, msgid in _marked()}
    texts = {"llct-sched": root.help}
    for name, command in _walk(root):
        texts[name] = command.help
        texts |= {f"{name} {p.name}": getattr(p, "help", None) for p in command.params}
    missing = sorted(where for where, text in texts.items() if text and text not in marked)
    assert len(texts) > 60 and not missing, f"help texts not marked with N_(): {missing}"


def test_help_speaks_vietnamese_by_default_and_english_on_request() -> None:
    commands = _commands()
    assert len(commands) >= 14
    outputs = {"--help": runner.invoke(app, ["--help"])}
    outputs |= {f"{name} --help": runner.invoke(app, [*name.split(), "--help"]) for name in commands}
    for what, run in outputs.items():
        assert run.exit_code == 0 and run.output.strip(), (what, run.output)
    text = " ".join(outputs["--help"].output.split())
    for words in ("Cách dùng:", "Tùy chọn", "Lệnh", "Hiện hướng dẫn này rồi thoát.", "Kiểm tra tệp kịch bản"):
        assert words in text, words
    solve = " ".join(outputs["solve --help"].output.split())
    assert "Tham số" in solve and "[mặc định: 60.0]" in solve and "Hạt giống ngẫu nhiên" in solve
    left = {what: help_english_lines(run.output) for what, run in outputs.items()}
    left = {what: lines for what, lines in left.items() if lines}
    assert not left, "English left in the Vietnamese help:\n" + "\n".join(
        f"{what}: {line}" for what, lines in left.items() for line in lines
    )
    # English with --lang en, before the command or as the command's own option
    for args in (["--lang", "en", "--help"], ["--lang", "en", "solve", "--help"], ["solve", "--lang=en", "--help"]):
        english = runner.invoke(app, args)
        assert english.exit_code == 0, english.output
        flat = " ".join(re.sub(r"[│╭╮╰╯─]", " ", english.output).split())  # the words, out of rich's boxes
        assert "Usage:" in flat and "Options" in flat and "Show this message and exit." in flat, args
        assert len(help_english_lines(english.output)) >= 3, args
    assert "Solve a scenario" in " ".join(runner.invoke(app, ["--lang", "en", "--help"]).output.split())
    assert i18n.language() == "en"  # help leaves the library's language as it was


# --- usage errors ---------------------------------------------------------------------------------

USAGE_MISTAKES = (
    ["solve", "--bogus"],
    ["solve", "--time-limit", "abc"],
    ["solve", "--time-limit"],
    ["solve", "--workers", "-3"],
    ["solve", "a", "b", "c"],
    ["solve", "--lang", "xx"],
    ["frobnicate"],
    ["check"],
    ["province", "solve"],
)


def test_usage_errors_speak_vietnamese_by_default_and_english_on_request() -> None:
    """A mistyped command line gets typer's usage error in the command line's language, exit code 2."""

    def english_left(output: str) -> list[str]:  # the command to type for help is data too
        return help_english_lines(re.sub(r"'llct-sched[^']*'", " ", output))

    for args in USAGE_MISTAKES:
        run = runner.invoke(app, args, prog_name="llct-sched")
        assert run.exit_code == 2, (args, run.output)
        flat = " ".join(re.sub(r"[│╭╮╰╯─]", " ", run.output).split())
        assert "Lỗi" in flat, (args, run.output)
        assert not english_left(run.output), (args, english_left(run.output))
        english = runner.invoke(app, ["--lang", "en", *args], prog_name="llct-sched")
        assert english.exit_code == 2 and "Error" in english.output, (args, english.output)
        assert english_left(english.output), (args, english.output)
    mistake = runner.invoke(app, ["solve", "--time-limit", "abc"], prog_name="llct-sched")
    flat = " ".join(re.sub(r"[│╭╮╰╯─]", " ", mistake.output).split())
    assert "Giá trị không hợp lệ cho '--time-limit': cần một số" in flat
    assert "Xem hướng dẫn: 'llct-sched solve --help'" in flat and "Cách dùng: llct-sched solve" in flat


def test_every_usage_error_template_is_translated_with_its_parts() -> None:
    from llct_sched.help import USAGE_ERRORS, translate_usage_error

    for template in USAGE_ERRORS:
        fields = {f: f"<{f}_{i}>" for i, f in enumerate(re.findall(r"\{(\w+)\}", template))}
        english = template.format(**fields)
        vietnamese = translate_usage_error(english, "vi")
        assert vietnamese != english and all(v in vietnamese for v in fields.values()), (template, vietnamese)
        assert translate_usage_error(english, "en") == english
    nested = "Invalid value for '--lang': Value error, 'xx' is not one of 'vi', 'en'."
    expected = "Giá trị không hợp lệ cho '--lang': 'xx' không phải một trong các giá trị 'vi', 'en'."
    assert translate_usage_error(nested, "vi") == expected
    unknown = "something typer says that we never saw"
    assert translate_usage_error(unknown, "vi") == unknown


def _column(ws, name: str) -> int:
    return [column_field(c.value) for c in ws[1]].index(name) + 1


def _broken_workbooks(folder: Path) -> list[Path]:
    """Input workbooks (the Vietnamese template) broken for the reader (an unknown sheet, a bad yes /
    no, a bad date, an unknown program, a bad setting) and, once it reads, for validation."""
    from llct_sched.scenario.excel import write_template

    def broken(name: str, edit) -> Path:
        path = folder / name
        with i18n.speaking("vi"):
            write_template(path, load_scenario("hoang_mai_2020"))
        workbook = openpyxl.load_workbook(path)
        edit(workbook)
        workbook.save(path)
        return path

    def unreadable(wb) -> None:
        wb.create_sheet("notes")
        wb["lecturers"].cell(row=4, column=_column(wb["lecturers"], "can_observe"), value="maybe")
        wb["classes"].cell(row=5, column=_column(wb["classes"], "earliest_start"), value="31/02/2020")
        wb["modules"].cell(row=3, column=1, value="no_such_program")

    def invalid(wb) -> None:
        wb["rooms"].cell(row=3, column=_column(wb["rooms"], "seats"), value="many")
        wb["calendar"]["B2"] = "soon"

    def semantic(wb) -> None:
        wb["classes"].cell(row=12, column=_column(wb["classes"], "program"), value="BD9")

    return [broken("unreadable.xlsx", unreadable), broken("invalid.xlsx", invalid), broken("semantic.xlsx", semantic)]


def _broken_csv(solved_folder: Path, folder: Path) -> Path:
    """A solved folder's sessions.csv with a date that does not exist."""
    import csv

    broken = folder / "broken_csv"
    broken.mkdir()
    with (solved_folder / "sessions.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[4][rows[0].index("date")] = "2020-02-30"
    with (broken / "sessions.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return broken


def test_problems_in_workbooks_and_csv_files_are_located_in_vietnamese(tmp_path: Path) -> None:
    """Sheet, row and column in the command line's language; the ids (sheet, column) as the file has them."""
    from llct_sched.errors import Cell
    from llct_sched.scenario.excel import load_scenario_workbook

    unreadable, invalid, semantic = _broken_workbooks(tmp_path)
    expected = {
        unreadable: (
            "Trang 'notes': trang tính không xác định",
            "Trang 'lecturers', dòng 4, cột 'can_observe': ",
            "Trang 'classes', dòng 5, cột 'earliest_start': ",
            "Trang 'modules', dòng 3, cột 'program': ",
        ),
        invalid: ("Trang 'rooms', dòng 3, cột 'seats': ", "Trang 'calendar', dòng 2, cột 'value' (start): "),
        semantic: ("Trang 'classes', dòng 12, cột 'program': ",),  # found by validation, then located
    }
    for path, places in expected.items():
        vi = runner.invoke(app, ["validate", str(path)])
        assert vi.exit_code == 2, vi.output
        text = " ".join(vi.output.split())
        for place in places:
            assert place in text, (place, text)
        assert "Sheet" not in text and english_lines(vi.output) == []
        en = runner.invoke(app, ["--lang", "en", "validate", str(path)])
        assert "Sheet '" in en.output and ", row " in en.output and ", column '" in en.output
    # the place is also the issue's structure, whatever the language
    with i18n.speaking("vi"), pytest.raises(ScenarioError) as caught:
        load_scenario_workbook(unreadable)
    cells = [issue.cell for issue in caught.value.issues]
    assert Cell("lecturers", 4, "can_observe") in cells and Cell("notes") in cells
    # a CSV file's row and column
    out = tmp_path / "solved"
    assert runner.invoke(app, ["solve", "tutorial", "--out", str(out), "--workers", "1", "--quiet"]).exit_code == 0
    checked = runner.invoke(app, ["check", "tutorial", str(_broken_csv(out, tmp_path))])
    assert checked.exit_code == 2, checked.output
    assert "sessions.csv: dòng 5, cột date: " in " ".join(checked.output.split())


# --- the checker's violations -----------------------------------------------------------------------


def _broken_timetable(solved_folder: Path, folder: Path) -> Path:
    """The default plan's solved timetable broken in many ways (a session on a holiday, a room and a
    lecturer booked twice at once, unknown ids, a missing class, learners and visits gone wrong)."""
    from llct_sched.timetable import ObservationVisit, ScheduledSession, Timetable

    table = Timetable.from_json((solved_folder / "timetable.json").read_text(encoding="utf-8"))
    sessions = table.sessions
    first, other = sessions[0], next(s for s in sessions if s.class_id != sessions[0].class_id)
    sessions[1] = sessions[1].model_copy(update={"date": dt.date(2020, 9, 2)})  # Quốc khánh
    sessions[2] = sessions[2].model_copy(update={"date": dt.date(2020, 9, 5)})  # a Saturday
    # another class in the first session's slot, room and lecturer
    clash = other.model_copy(update={"date": first.date, "period": first.period, "room_id": first.room_id})
    sessions[sessions.index(other)] = clash.model_copy(update={"lecturer_id": first.lecturer_id})
    gone = sessions[-1].class_id  # a class with no session left
    table.sessions = [s for s in sessions if s.class_id != gone]
    table.sessions.append(ScheduledSession(class_id="X_ghost", module_id="m", date=first.date, period="morning",
                                           room_id=first.room_id))  # fmt: skip
    table.sessions.append(first.model_copy(update={"room_id": "R_nowhere", "lecturer_id": "GV_nobody"}))
    table.class_learners[first.class_id] += 1
    lecturer = first.lecturer_id or "gv"
    table.observations.append(ObservationVisit(lecturer_id=lecturer, observer_id=lecturer, class_id=first.class_id,
                                               date=first.date, period=first.period))  # fmt: skip
    out = folder / "broken"
    out.mkdir()
    (out / "timetable.json").write_text(table.to_json(), encoding="utf-8")
    return out


def test_the_checker_speaks_vietnamese(tmp_path: Path, solved: tuple[Path, str]) -> None:
    """`check` on a broken timetable: every violation in Vietnamese, the same in English with --lang en."""
    broken = _broken_timetable(solved[0], tmp_path)
    vi = runner.invoke(app, ["check", "hoang_mai_2020", str(broken)])
    assert vi.exit_code == 1, vi.output
    text = " ".join(vi.output.split())
    for words in (
        "học ngày 2020-09-02, là ngày nghỉ lễ, Tết",
        "không phải ngày làm việc trong tuần (thứ Bảy)",
        "buổi học cùng lúc vào buổi",
        "nơi cùng lúc vào buổi",
        "chưa được xếp lịch",
        "lớp không có trong kế hoạch X_ghost",
        "phòng không tồn tại R_nowhere",
        "giảng viên không thể tự dự giờ chính mình",
        "vi phạm",
    ):
        assert words in text, words
    assert len(vi.output.splitlines()) > 15
    assert english_lines(vi.output) == []
    en = runner.invoke(app, ["--lang", "en", "check", "hoang_mai_2020", str(broken)])
    assert en.exit_code == 1
    text = " ".join(en.output.split())
    assert "meets on 2020-09-02, a holiday" in text and "a lecturer cannot observe themself" in text
    assert len(english_lines(en.output)) > 15


def test_speaking_sets_the_language_of_one_context_only() -> None:
    import threading

    seen: list[str] = []
    with i18n.speaking("vi"):
        assert i18n.language() == "vi" and i18n._("the file is empty") == "tệp rỗng"
        other = threading.Thread(target=lambda: seen.append(i18n._("the file is empty")))
        other.start()
        other.join()
    assert seen == ["the file is empty"]  # another thread keeps the process's language
    assert i18n.language() == "en" and i18n._("the file is empty") == "the file is empty"
