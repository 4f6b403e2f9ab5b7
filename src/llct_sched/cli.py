"""The llct-sched command line. It only calls the public library API.

Exit codes: 0 success (feasible or optimal), 1 infeasible / no timetable in time / check failed,
2 bad input (every problem is printed, nothing is written).
"""

from __future__ import annotations

import json
import re
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from llct_sched.errors import ScenarioError
from llct_sched.help import HelpCommand, HelpGroup
from llct_sched.i18n import N_, _, language, set_language

app = typer.Typer(
    cls=HelpGroup,
    add_completion=False,
    no_args_is_help=True,
    help=N_("Yearly training timetables for district political centers (Trung tâm chính trị cấp huyện)."),
)
command = partial(app.command, cls=HelpCommand)  # help texts in the language of the command line
console = Console()
err = Console(stderr=True, soft_wrap=True)  # located messages stay on one line, copyable

DEFAULT_SCENARIO = "hoang_mai_2020"
ScenarioArg = Annotated[
    str,
    typer.Argument(
        help=N_("Scenario file (YAML, JSON, Excel or an ITC-2007 .ectt) or a built-in name: hoang_mai_2020, tutorial.")
    ),
]


class Lang(StrEnum):
    vi = "vi"
    en = "en"


# words shown through a variable, marked here for the catalog: solver statuses, progress stages, severities
SHOWN_WORDS = (
    N_("OPTIMAL"),
    N_("FEASIBLE"),
    N_("INFEASIBLE"),
    N_("UNKNOWN"),
    N_("MODEL_INVALID"),
    N_("calendar"),
    N_("staffing"),
    N_("timetable"),
    N_("error"),
    N_("warning"),
)


class ItcEngine(StrEnum):
    core = "core"
    dedicated = "dedicated"


MAX_WORKERS = 1024  # CP-SAT workers
MAX_SEED = 2**31 - 1  # CP-SAT's random_seed is a 32-bit integer
MAX_SECONDS = 7 * 24 * 3600.0


def _seconds(value: float) -> float:
    """A time limit: a positive, finite number of seconds (NaN, infinity, 0 and negatives are bad input)."""
    if not 0 < value <= MAX_SECONDS:  # also false for NaN
        raise typer.BadParameter(
            _("{value} is not a number of seconds between 0 and {most:g}").format(value=value, most=MAX_SECONDS)
        )
    return value


def _scheduler_address(value: str | None) -> str | None:
    """A Dask scheduler address: tcp://host:port (or tls://, ws://, wss://), or host:port."""
    if value is None:
        return None
    if not re.fullmatch(r"((tcp|tls|ws|wss)://)?[\w.\-]+:\d{1,5}", value) or int(value.rsplit(":", 1)[1]) > 65535:
        raise typer.BadParameter(
            _("'{value}' is not a Dask scheduler address such as tcp://host:8786").format(value=value)
        )
    return value


LangOption = Annotated[
    Lang | None,
    typer.Option("--lang", help=N_("Language of the reports and messages (default: the one before the command, vi)")),
]


@app.callback()
def _root(
    ctx: typer.Context,
    lang: Annotated[Lang, typer.Option("--lang", help=N_("Language of messages and reports (vi, en)"))] = Lang.vi,
) -> None:
    """Messages in Vietnamese unless --lang en; the library's language is restored afterwards."""
    previous = set_language(lang.value)
    ctx.call_on_close(lambda: set_language(previous))


def _lang(lang: Lang | None) -> str:
    """The language of this command: its own --lang, else the one given before the command."""
    if lang is not None:
        set_language(lang.value)
    return language()


AnnexTemplateOption = Annotated[
    Path | None,
    typer.Option(
        "--annex-template", help=N_("The center's own .docx for the annex (letterhead; {{table}} placeholder)")
    ),
]


def _check_annex_template(path: Path | None) -> None:
    """Exit 2 (bad input, nothing written) when --annex-template is not a readable .docx."""
    if path is None:
        return
    from llct_sched.errors import InputIssue
    from llct_sched.reports.annex import AnnexTemplateError, open_template

    try:
        open_template(path)
    except AnnexTemplateError as error:
        _fail_input(ScenarioError([InputIssue(path="", message=str(error), file=str(path))]))


def _fail_input(error: ScenarioError) -> None:
    err.print("[bold red]" + _("Bad input") + "[/]: " + _("{n} problem(s)").format(n=len(error.issues)))
    for issue in error.issues:
        severity = _(issue.severity.value)
        err.print(f"  [red]{severity}[/] {escape(str(issue))}", markup=True, highlight=False)
    raise typer.Exit(2)


def _load_valid(source: str):
    """Load and validate a scenario; print problems and exit 2 on bad input; show warnings."""
    return _read_valid(source).scenario


def _read_valid(source: str):
    """The scenario and its warnings (`pipeline.read_source`), the warnings shown; on bad input every
    problem printed and exit 2."""
    from llct_sched.pipeline import read_source

    try:
        loaded = read_source(source)
    except ScenarioError as error:
        _fail_input(error)
        raise  # unreachable: _fail_input exits
    for warning in loaded.warnings:
        err.print("[yellow]" + _("warning") + f"[/] {escape(str(warning))}", highlight=False)
    return loaded


@command(help=N_("Check a scenario file and print every error and warning."))
def validate(scenario: ScenarioArg) -> None:
    loaded = _load_valid(scenario)
    counts = _("{classes} classes, {rooms} rooms, {lecturers} lecturers, {programs} programs").format(
        classes=len(loaded.classes),
        rooms=len(loaded.rooms),
        lecturers=len(loaded.lecturers),
        programs=len(loaded.programs),
    )
    console.print("[green]" + _("valid") + f"[/]: {loaded.name}: {counts}")


@command(help=N_("Print the JSON Schema of scenario files, or of changes files (for editor completion and checking)."))
def schema(
    changes: Annotated[bool, typer.Option("--changes", help=N_("The schema of re-plan changes files instead"))] = False,
) -> None:
    from llct_sched.scenario import Scenario
    from llct_sched.solve.replan import Changes

    model = Changes if changes else Scenario
    typer.echo(json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False))


@command(help=N_("Write a built-in scenario out for editing."))
def example(
    name: Annotated[str, typer.Argument(help=N_("hoang_mai_2020 or tutorial"))] = DEFAULT_SCENARIO,
    out: Annotated[Path | None, typer.Option("-o", "--out", help=N_("File to write (default: print)"))] = None,
) -> None:
    from llct_sched.files import write_text_atomic
    from llct_sched.scenario.loading import builtin_scenario_text

    try:
        text = builtin_scenario_text(name)
    except ScenarioError as error:
        _fail_input(error)
        return
    if out is None:
        typer.echo(text)
    else:
        _write_file(out, lambda: write_text_atomic(out, text))
        console.print(_("wrote {path}").format(path=out))


@command(help=N_("Solve a scenario (the embedded Hoàng Mai 2020 plan by default) and write the timetable."))
def solve(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    out: Annotated[Path, typer.Option("--out", "-o", help=N_("Output directory"))] = Path("out"),
    time_limit: Annotated[float, typer.Option(callback=_seconds, help=N_("Seconds"))] = 60.0,
    workers: Annotated[int, typer.Option(min=0, max=MAX_WORKERS, help=N_("CP-SAT workers (0: all cores)"))] = 0,
    seed: Annotated[int, typer.Option(min=0, max=MAX_SEED, help=N_("Random seed"))] = 0,
    gap: Annotated[float, typer.Option(min=0.0, max=1.0, help=N_("Stop at this relative gap"))] = 0.0,
    quiet: Annotated[bool, typer.Option(help=N_("No progress display"))] = False,
    lang: LangOption = None,
    annex_template: AnnexTemplateOption = None,
) -> None:
    from llct_sched.files import deferred_interrupts
    from llct_sched.pipeline import run_solve, write_outcome
    from llct_sched.solve import SolveParams

    code = _lang(lang)  # this command's language, for every message from here on
    loaded = _read_valid(scenario)
    _check_out(out)
    _check_annex_template(annex_template)
    params = SolveParams(time_limit=time_limit, workers=workers, seed=seed, relative_gap=gap)

    with deferred_interrupts(reraise=False) as held:  # Ctrl-C after the solve waits for the outputs
        outcome = _with_progress(
            lambda show: run_solve(loaded.scenario, params, progress=show, issues=loaded.warnings), quiet
        )
        written = _publish(
            out, outcome.result, lambda: write_outcome(out, outcome, lang=code, annex_template=annex_template)
        )
    _finish(outcome, out if written else None, held)


def _finish(outcome, out: Path | None, held: list[int], title: str = "llct-sched solve") -> None:
    """Print the result, why it is infeasible and, for a re-plan, what moved; exit 1 without a
    timetable or when the checker found violations."""
    result, report = outcome.result, outcome.check
    _print_result(result, report, out, title=title)
    _say_held(held)
    for line in outcome.why:
        console.print(line, highlight=False)
    if outcome.replanned is not None:
        _print_changes(outcome.moved, language())
    if result.timetable is None:
        raise typer.Exit(1)
    if report is not None and not report.ok:
        err.print("[bold red]" + _("the independent checker found violations") + "[/] " + _("(see above)"))
        raise typer.Exit(1)


def _check_out(out: Path) -> None:
    """Exit 2 before any work when the output folder cannot be written."""
    from llct_sched.files import output_problem

    problem = output_problem(out)
    if problem is not None:
        err.print("[bold red]" + _("Bad output folder") + f"[/]: {escape(problem)}", highlight=False)
        raise typer.Exit(2)


def _publish(out: Path, result, write) -> bool:
    """Publish a result folder; a run without a timetable never replaces an earlier result.

    Returns whether `out` was written; exit 2 with a message when it cannot be.
    """
    from llct_sched.files import OutputError

    if result.timetable is None and (out / "timetable.json").exists():
        console.print(
            _("no timetable: the earlier result in {path}/ is left as it was").format(path=out), highlight=False
        )
        return False
    try:
        write()
    except OutputError as error:
        err.print("[bold red]" + _("cannot write the results") + f"[/]: {escape(str(error))}", highlight=False)
        raise typer.Exit(2) from None
    return True


def _write_file(out: Path, write) -> None:
    """Write one output file; a folder in its place, a read-only folder or a full disk: exit 2."""
    try:
        write()
    except OSError as error:
        err.print(
            "[bold red]" + _("cannot write") + f"[/] {escape(str(out))}: {error.strerror or error}", highlight=False
        )
        raise typer.Exit(2) from None


def _say_held(held: list[int]) -> None:
    if held:
        err.print(_("Ctrl-C while the results were written: held until the folder was complete"))


def _with_progress(run, quiet: bool):
    """Run a solve, showing incumbent, bound and elapsed time unless quiet."""
    from llct_sched.solve import Progress

    if quiet:
        return run(None)

    def line(p: Progress) -> str:
        bound = "-" if p.bound is None else f"{p.bound:g}"
        objective = "-" if p.objective is None else f"{p.objective:g}"
        return _("{stage}: objective {objective}, bound {bound}, {elapsed:.1f}s").format(
            stage=_(p.stage), objective=objective, bound=bound, elapsed=p.elapsed
        )

    if not console.is_terminal:  # piped or in a log: one line per new incumbent, on stderr
        last: list[tuple[str, float | None]] = []

        def print_line(p: Progress) -> None:
            if not last or last[-1] != (p.stage, p.objective):
                last.append((p.stage, p.objective))
                err.print(_("progress") + " " + line(p), highlight=False, markup=False)

        return run(print_line)
    status_line = console.status(_("building the model"), spinner="dots")

    def show(p: Progress) -> None:
        status_line.update(line(p))

    with status_line:
        return run(show)


@command(
    help=N_(
        "Re-plan after changes (a lecturer away, a room closed, a blackout, a class added or "
        "cancelled, learners changed), moving as little as possible; writes the new plan and "
        "changes.csv."
    )
)
def replan(
    scenario: ScenarioArg,
    baseline: Annotated[
        Path, typer.Option(help=N_("The previous result: a folder with timetable.json (or sessions.csv)"))
    ],
    changes: Annotated[Path, typer.Option(help=N_("YAML file listing what happened"))],
    out: Annotated[Path, typer.Option("--out", "-o", help=N_("Output directory"))] = Path("replan"),
    from_date: Annotated[
        str | None, typer.Option("--from", help=N_("Keep everything that started before this date (YYYY-MM-DD)"))
    ] = None,
    max_moves: Annotated[int | None, typer.Option(min=0, help=N_("Move at most this many blocks"))] = None,
    time_limit: Annotated[float, typer.Option(callback=_seconds, help=N_("Seconds"))] = 60.0,
    workers: Annotated[int, typer.Option(min=0, max=MAX_WORKERS, help=N_("CP-SAT workers (0: all cores)"))] = 0,
    seed: Annotated[int, typer.Option(min=0, max=MAX_SEED, help=N_("Random seed"))] = 0,
    quiet: Annotated[bool, typer.Option(help=N_("No progress display"))] = False,
    lang: LangOption = None,
    annex_template: AnnexTemplateOption = None,
) -> None:
    import datetime as dt

    from pydantic import ValidationError

    from llct_sched.errors import InputIssue
    from llct_sched.files import deferred_interrupts
    from llct_sched.pipeline import run_solve, write_outcome
    from llct_sched.scenario.loading import pydantic_issues
    from llct_sched.solve import SolveParams
    from llct_sched.solve.replan import apply_changes, load_changes
    from llct_sched.timetable import read_timetable

    code = _lang(lang)  # this command's language, for every message from here on
    loaded = _read_valid(scenario)
    _check_annex_template(annex_template)
    try:
        freeze = dt.date.fromisoformat(from_date) if from_date else None
    except ValueError:
        message = _("'{value}' is not a date (YYYY-MM-DD)").format(value=from_date)
        _fail_input(ScenarioError([InputIssue(path="--from", message=message)]))
        return
    try:
        base = read_timetable(baseline)
        if _other_scenario(baseline, base.scenario, loaded.scenario.name):
            message = _("a timetable of scenario '{found}', not of '{expected}'").format(
                found=base.scenario, expected=loaded.scenario.name
            )
            raise ScenarioError([InputIssue(path="scenario", message=message, file=str(baseline))])
        change_list = load_changes(changes)
        # bad input fails here, before any solving; the changed scenario is validated once
        changed = apply_changes(loaded.scenario, change_list, str(changes), baseline=base, freeze_before=freeze)
    except ScenarioError as error:
        _fail_input(error)
        return
    except ValidationError as error:
        _fail_input(ScenarioError(pydantic_issues(error, str(baseline))))
        return
    except (OSError, ValueError, KeyError) as error:
        _fail_input(ScenarioError([InputIssue(path="", message=str(error), file=str(baseline))]))
        return
    _check_out(out)
    params = SolveParams(time_limit=time_limit, workers=workers, seed=seed)
    with deferred_interrupts(reraise=False) as held:
        outcome = _with_progress(
            lambda show: run_solve(
                loaded.scenario,
                params,
                show,
                baseline=base,
                changes=change_list,
                freeze_before=freeze,
                max_moves=max_moves,
                changes_file=str(changes),
                changed=changed,
                lang=code,
                issues=loaded.warnings,
                explain=False,
            ),
            quiet,
        )
        previous = baseline / "calendars" if baseline.is_dir() else None
        written = _publish(
            out,
            outcome.result,
            lambda: write_outcome(out, outcome, lang=code, annex_template=annex_template, previous_calendars=previous),
        )
    _finish(outcome, out if written else None, held, title="llct-sched replan")


def _other_scenario(path: Path, named: str, expected: str) -> bool:
    """A timetable.json names its scenario (a folder of CSVs does not): is it another one?"""
    json_file = path.is_file() or (path / "timetable.json").exists()
    return json_file and named != expected


def _print_changes(log, lang: str) -> None:
    """Every difference in full (lines wrap between words, nothing is cut)."""
    from llct_sched.solve.replan_log import summary_lines

    for line in summary_lines(log, lang):
        console.print(line, markup=False, highlight=False)


def _print_result(result, report, out: Path | None, title: str = "llct-sched solve") -> None:
    from llct_sched.check import rule_name

    table = Table(title=title, show_header=False)
    proven = result.status == "OPTIMAL" or not result.feasible
    table.add_row(_("status"), _(result.status) + ("" if proven else " " + _("(not proven optimal)")))
    table.add_row(_("objective"), "-" if result.objective is None else str(result.objective))
    table.add_row(_("bound"), "-" if result.bound is None else str(result.bound))
    table.add_row(_("gap"), "-" if result.gap is None else f"{result.gap:.2%}")
    table.add_row(_("first feasible"), "-" if result.first_feasible_s is None else f"{result.first_feasible_s:.2f}s")
    table.add_row(_("wall time"), f"{result.wall_time_s:.2f}s")
    if report is not None:
        verdict = _("all hard rules hold") if report.ok else _("{n} violation(s)").format(n=len(report.violations))
        table.add_row(_("check"), verdict)
    console.print(table)
    for message in result.messages:
        console.print(f"  {message}", highlight=False)
    if report is not None:
        for violation in report.violations[:20]:
            err.print(f"  [red]{escape(rule_name(violation.rule))}:[/] {escape(violation.message)}", highlight=False)
    if out is not None:
        console.print(_("outputs in {path}/").format(path=out))


@command(
    help=N_(
        "Check a timetable (solver output or hand-made) against a scenario: exit 0 only when every hard rule holds."
    )
)
def check(
    scenario: ScenarioArg,
    timetable: Annotated[Path, typer.Argument(help=N_("timetable.json, or a directory with it or with sessions.csv"))],
    baseline: Annotated[
        Path | None,
        typer.Option(help=N_("A re-plan's baseline (folder or timetable.json): with --from, the past must equal it")),
    ] = None,
    from_date: Annotated[
        str | None,
        typer.Option("--from", help=N_("With --baseline: nothing dated before this day may differ (YYYY-MM-DD)")),
    ] = None,
) -> None:
    from llct_sched.check import check as run_check
    from llct_sched.check import rule_name

    loaded = _load_valid(scenario)
    if (baseline is None) != (from_date is None):
        _fail_input(
            ScenarioError(
                [_issue("--baseline" if baseline is None else "--from", _("give --baseline and --from together"))]
            )
        )
    freeze = _date_option("--from", from_date)
    table = _read_timetable_or_exit(timetable)
    base = _read_timetable_or_exit(baseline) if baseline is not None else None
    if _other_scenario(timetable, table.scenario, loaded.name):
        text = _("the timetable is of scenario '{found}', not '{expected}'").format(
            found=table.scenario, expected=loaded.name
        )
        err.print("[yellow]" + _("warning") + f"[/] {escape(text)}", highlight=False)
    report = run_check(loaded, table, baseline=base, freeze_before=freeze)
    for violation in report.violations:
        console.print(f"[red]{escape(rule_name(violation.rule))}:[/] {escape(violation.message)}", highlight=False)
    console.print(report.summary(), highlight=False)
    raise typer.Exit(0 if report.ok else 1)


@command(help=N_("Write the reports (timetable.xlsx, the annex .docx, calendars, report.html) of an existing result."))
def report(
    folder: Annotated[Path, typer.Argument(help=N_("A solve output directory (with timetable.json and summary.json)"))],
    scenario: Annotated[
        str | None,
        typer.Option(
            "--scenario", "-s", help=N_("Scenario file or built-in name (default: the one named in summary.json)")
        ),
    ] = None,
    lang: LangOption = None,
    annex_template: AnnexTemplateOption = None,
) -> None:
    from pydantic import ValidationError

    from llct_sched.errors import InputIssue
    from llct_sched.files import OutputError, publish_folder
    from llct_sched.reports import write_reports
    from llct_sched.scenario.loading import BUILTIN_SCENARIOS, pydantic_issues
    from llct_sched.timetable import Timetable

    code = _lang(lang)  # this command's language, for every message from here on
    timetable_file, summary_file = folder / "timetable.json", folder / "summary.json"
    try:
        summary = json.loads(summary_file.read_text(encoding="utf-8")) if summary_file.exists() else {}
        if not isinstance(summary, dict):
            raise ValueError(_("summary.json must hold a mapping"))
        table = Timetable.from_json(timetable_file.read_text(encoding="utf-8"))
    except ValidationError as error:
        _fail_input(ScenarioError(pydantic_issues(error, str(timetable_file))))
        return
    except (OSError, ValueError) as error:
        where = timetable_file if not isinstance(error, ValueError) or summary_file.exists() else summary_file
        message = _("no such file") if isinstance(error, FileNotFoundError) else str(error)
        _fail_input(ScenarioError([InputIssue(path="", message=message, file=str(where))]))
        return
    if scenario is None:
        named = str(summary.get("scenario") or table.scenario)
        if named not in BUILTIN_SCENARIOS:
            _fail_input(
                ScenarioError(
                    [
                        InputIssue(
                            path="scenario",
                            message=_(
                                "'{name}' is not a built-in scenario: give the scenario file with --scenario"
                            ).format(name=named),
                            file=str(summary_file),
                        )
                    ]
                )
            )
        scenario = named
    loaded = _load_valid(scenario)
    _check_annex_template(annex_template)
    if table.scenario != loaded.name:
        text = _("the timetable is of scenario '{found}', not '{expected}'").format(
            found=table.scenario, expected=loaded.name
        )
        err.print("[yellow]" + _("warning") + f"[/] {escape(text)}", highlight=False)
    try:
        with publish_folder(folder, keep=True) as staging:
            written = write_reports(
                staging,
                loaded,
                table,
                summary,
                lang=code,
                annex_template=annex_template,
                previous_calendars=folder / "calendars",
            )
    except OutputError as error:
        err.print("[bold red]" + _("cannot write the reports") + f"[/]: {escape(str(error))}", highlight=False)
        raise typer.Exit(2) from None
    console.print(_("wrote {n} report files in {path}/").format(n=len(written), path=folder))


@command(help=N_("Write an input workbook (one sheet per entity) holding a scenario, to edit and load back."))
def template(
    out: Annotated[Path, typer.Option("-o", "--out", help=N_("Excel workbook to write (.xlsx)"))] = Path(
        "scenario.xlsx"
    ),
    scenario: Annotated[str, typer.Option("--scenario", "-s", help=N_("Scenario to fill it with"))] = DEFAULT_SCENARIO,
) -> None:
    from llct_sched.errors import InputIssue
    from llct_sched.scenario.excel import write_template

    if out.suffix.lower() != ".xlsx":
        _fail_input(
            ScenarioError([InputIssue(path="", message=_("the workbook's name must end with .xlsx"), file=str(out))])
        )
    loaded = _load_valid(scenario)
    _write_file(out, lambda: write_template(out, loaded))
    console.print(_("wrote {path}").format(path=out))


class Profile(StrEnum):
    province = "province"
    center = "center"  # type: ignore[assignment]  # shadows str.center, harmless


@command(
    help=N_(
        "Write a generated scenario (deterministic for a seed): the default `scale` times larger, or "
        "one center whose part-time lecturers must carry a share, built around a planted timetable."
    )
)
def generate(
    scale: Annotated[
        int, typer.Option(min=1, max=200, help=N_("How many times the default scenario (province profile)"))
    ] = 4,
    seed: Annotated[int, typer.Option(min=0, max=MAX_SEED, help=N_("Random seed"))] = 0,
    out: Annotated[Path, typer.Option("-o", "--out", help=N_("YAML file to write"))] = Path("generated.yaml"),
    profile: Annotated[
        Profile, typer.Option(help=N_("province: the default x scale, pooled; center: one center, part-time staffing"))
    ] = Profile.province,
    part_time_share: Annotated[
        float,
        typer.Option(min=0.0, max=1.0, help=N_("center profile: share of sessions part-time lecturers must carry")),
    ] = 0.4,
    planted: Annotated[
        Path | None, typer.Option(help=N_("center profile: also write the planted timetable (JSON) here"))
    ] = None,
    per_center: Annotated[
        bool,
        typer.Option(
            "--per-center/--pooled",
            help=N_("province profile: each copy with its own lecturers and rooms, or all pooled (the default)"),
        ),
    ] = False,
) -> None:
    from llct_sched.files import write_text_atomic
    from llct_sched.scenario.generate import CenterProfileError, generate_center, generate_scenario
    from llct_sched.scenario.loading import scenario_to_yaml

    if profile == Profile.center:
        try:
            scenario, witness = generate_center(part_time_share, seed)
        except CenterProfileError:
            text = _("no center with a planted timetable for a part-time share of {share:.0%} (seed {seed})")
            err.print("[red]" + escape(text.format(share=part_time_share, seed=seed)) + "[/red]", highlight=False)
            raise typer.Exit(2) from None
        if planted is not None:
            _write_file(planted, lambda: write_text_atomic(planted, witness.to_json()))
    else:
        scenario = generate_scenario(scale, seed, per_center=per_center)
    _write_file(out, lambda: write_text_atomic(out, scenario_to_yaml(scenario)))
    counts = _("{classes} classes, {rooms} rooms, {lecturers} lecturers").format(
        classes=len(scenario.classes), rooms=len(scenario.rooms), lecturers=len(scenario.lecturers)
    )
    console.print(_("wrote {path}").format(path=out) + f": {counts}")


@command(
    help=N_(
        "Solve a base scenario and what-if variants and write comparison.csv, .xlsx and "
        ".html.\n\nEach variant starts from the base's timetable (same seed): a variant that only "
        "relaxes the base never reports a worse plan than the base's."
    )
)
def compare(
    base: ScenarioArg,
    variants: Annotated[list[Path], typer.Argument(help=N_("Variant files (YAML): a base scenario and patches"))],
    out: Annotated[Path, typer.Option("--out", "-o", help=N_("Output directory"))] = Path("comparison"),
    seeds: Annotated[int, typer.Option(min=1, max=1000, help=N_("Solve with seeds 0..N-1"))] = 3,
    time_limit: Annotated[float, typer.Option(callback=_seconds, help=N_("Seconds per solve"))] = 60.0,
    workers: Annotated[
        int, typer.Option(min=0, max=MAX_WORKERS, help=N_("CP-SAT workers per solve (pool size: cores // workers)"))
    ] = 1,
    scheduler: Annotated[
        str | None,
        typer.Option(callback=_scheduler_address, help=N_("Dask scheduler address (default: a process pool)")),
    ] = None,
    independent: Annotated[
        bool, typer.Option("--independent", help=N_("Solve each variant on its own, not from the base's timetable"))
    ] = False,
) -> None:
    from llct_sched.batch import compare as run_compare
    from llct_sched.batch import write_comparison
    from llct_sched.scenario.loading import load_variants

    read_base = _read_valid(base)
    loaded_base = read_base.scenario
    try:
        loaded = load_variants(variants)
    except ScenarioError as error:
        _fail_input(error)
        return
    known = {w.message for w in read_base.warnings}  # already shown for the base (located on a workbook)
    for variant in loaded:
        for warning in variant.warnings:
            if warning.message not in known:
                err.print("[yellow]" + _("warning") + f"[/] {escape(str(warning))}", highlight=False)

    def gap(row: dict) -> str:
        return "-" if row.get("gap") is None else f"{row['gap']:.1%}"

    def show(row: dict) -> None:
        status = f"{_(row['status'])} {'' if row['objective'] is None else row['objective']}"
        if row.get("solution") and row["status"] != "OPTIMAL" and row.get("gap") is not None:
            status += " (" + _("{solution}, gap {gap}").format(solution=_(row["solution"]), gap=gap(row)) + ")"
        elif row.get("solution"):
            status += f" ({_(row['solution'])})"
        seed = _("seed {k}").format(k=row["seed"])
        console.print(f"  {row['variant']} {seed}: {status} ({row['wall_time_s']}s)", highlight=False)

    console.print(
        _("solving {n} scenario(s) x {seeds} seed(s), {seconds:g}s each").format(
            n=len(loaded) + 1, seeds=seeds, seconds=time_limit
        )
    )
    try:
        rows = run_compare(
            loaded_base,
            [(v.name, v.scenario) for v in loaded],
            seeds,
            time_limit,
            workers,
            scheduler,
            on_row=show,
            from_base=not independent,
        )
    except (OSError, TimeoutError) as error:
        what = _("cannot run on the Dask scheduler {address}").format(address=scheduler)
        err.print(f"[bold red]{what}[/]: {error}", highlight=False)
        raise typer.Exit(2) from None
    write_comparison(rows, out)
    shown = {"variant": _("variant"), "seed": _("seed"), "status": _("status"), "objective": _("objective")}
    shown |= {"solution": _("solution"), "gap": _("gap")}
    shown |= {"classes_moved": _("moved"), "learners_served": _("learners"), "wall_time_s": _("time (s)")}
    table = Table(*shown.values(), title="llct-sched compare")
    words = ("status", "solution")  # the CSV keeps them in English; the table shows them translated

    def cell(row: dict, column: str) -> str:
        if column == "gap":
            return gap(row)
        if row[column] is None:
            return "-"
        return _(row[column]) if column in words and row[column] else str(row[column])

    for row in rows:
        table.add_row(*(cell(row, c) for c in shown))
    console.print(table)
    console.print(_("wrote {path}").format(path=f"{out}/comparison.csv, comparison.xlsx, comparison.html"))


def _issue(path: str, message: str):
    from llct_sched.errors import InputIssue

    return InputIssue(path=path, message=message)


def _date_option(name: str, value: str | None):
    """A YYYY-MM-DD option as a date (None when not given), or the located problem and exit 2."""
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        _fail_input(ScenarioError([_issue(name, _("'{value}' is not a date (YYYY-MM-DD)").format(value=value))]))
        raise  # unreachable: _fail_input exits


def _read_timetable_or_exit(path: Path):
    """read_timetable, or the located problem and exit 2."""
    from pydantic import ValidationError

    from llct_sched.errors import InputIssue
    from llct_sched.scenario.loading import pydantic_issues
    from llct_sched.timetable import read_timetable

    try:
        return read_timetable(path)
    except ScenarioError as error:
        _fail_input(error)
    except ValidationError as error:
        _fail_input(ScenarioError(pydantic_issues(error, str(path))))
    except (OSError, ValueError, KeyError) as error:
        message = _("no such file or directory") if isinstance(error, FileNotFoundError) else str(error)
        _fail_input(ScenarioError([InputIssue(path="", message=message, file=str(path))]))


@command(help=N_("Explain a timetable's objective by goal and by entity (solving first when no timetable is given)."))
def explain(
    scenario: ScenarioArg,
    timetable: Annotated[
        Path | None, typer.Option(help=N_("timetable.json, or a directory with it or sessions.csv (default: solve)"))
    ] = None,
    against: Annotated[Path | None, typer.Option(help=N_("A second timetable: compare goal by goal"))] = None,
    lang: LangOption = None,
    time_limit: Annotated[float, typer.Option(callback=_seconds, help=N_("Seconds, when solving"))] = 60.0,
    top: Annotated[int, typer.Option(min=1, help=N_("Entities shown per goal"))] = 5,
) -> None:
    from llct_sched.reports.explain import compare_timetables, comparison_table, explanation_tables
    from llct_sched.reports.explain import explain as run_explain
    from llct_sched.solve import SolveParams
    from llct_sched.solve import solve as run_solve

    code = _lang(lang)  # this command's language, for every message from here on
    loaded = _load_valid(scenario)
    table = _read_timetable_or_exit(timetable) if timetable is not None else None
    other = _read_timetable_or_exit(against) if against is not None else None
    if table is None:
        solving = _("solving {name} ({seconds:g}s at most)").format(name=loaded.name, seconds=time_limit)
        with console.status(solving, spinner="dots"):
            result = run_solve(loaded, SolveParams(time_limit=time_limit))
        console.print(_(result.status) + ", " + _("objective") + f" {result.objective}", highlight=False)
        if result.timetable is None:
            for message in result.messages:
                err.print(f"  {message}", highlight=False)
            raise typer.Exit(1)
        table = result.timetable
    for shown in (table, other):
        if shown is not None and shown.scenario != loaded.name:
            text = _("the timetable is of scenario '{found}', not '{expected}'").format(
                found=shown.scenario, expected=loaded.name
            )
            err.print("[yellow]" + _("warning") + f"[/] {escape(text)}", highlight=False)
    explanation = run_explain(loaded, table, lang=code)
    if explanation.violations:
        err.print("[yellow]" + _("warning") + f"[/] {escape(explanation.lines()[1])}", highlight=False)
    for rich_table in explanation_tables(explanation, top):
        console.print(rich_table)
    if other is not None:
        console.print(comparison_table(compare_timetables(loaded, table, other), code, top))


@command(help=N_("Cheap pre-solve checks that prove a scenario infeasible: exit 1 when one fires, 0 when none does."))
def diagnose(scenario: ScenarioArg) -> None:
    from llct_sched.scenario.diagnose import diagnose as run_diagnose

    found = run_diagnose(_load_valid(scenario))
    for diagnosis in found:
        console.print(f"[red]{diagnosis.kind}[/] {diagnosis.message}", highlight=False)
    if found:
        console.print(_("{n} certain reason(s) why no timetable exists").format(n=len(found)))
        raise typer.Exit(1)
    console.print(_("no diagnosis (this does not prove that a timetable exists)"))


@command(
    "itc2007",
    help=N_("Solve an ITC-2007 curriculum-based timetabling instance (UD2) and print its validator-style cost."),
)
def itc2007(
    instance: Annotated[Path, typer.Argument(help=N_("ITC-2007 track 3 instance (.ectt)"))],
    out: Annotated[Path, typer.Option("--out", "-o", help=N_("Solution file to write (competition format)"))],
    time_limit: Annotated[float, typer.Option(callback=_seconds, help=N_("Seconds"))] = 60.0,
    workers: Annotated[int, typer.Option(min=0, max=MAX_WORKERS, help=N_("CP-SAT workers (0: all cores)"))] = 0,
    seed: Annotated[int, typer.Option(min=0, max=MAX_SEED, help=N_("Random seed"))] = 0,
    engine: Annotated[
        ItcEngine,
        typer.Option(help=N_("dedicated: a model made for ITC-2007 (better costs); core: the scenario core (solve)")),
    ] = ItcEngine.dedicated,
) -> None:
    from llct_sched.files import write_text_atomic
    from llct_sched.itc2007 import read_ectt, write_solution
    from llct_sched.itc2007.scenario import solve_itc_on_core
    from llct_sched.itc2007.solver import solve_itc

    try:
        loaded = read_ectt(instance)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        message = f"{instance}: " + _("no such file") if isinstance(error, FileNotFoundError) else str(error)
        typer.echo(_("Bad input") + f": {message}", err=True)
        raise typer.Exit(2) from None
    run = solve_itc_on_core if engine == ItcEngine.core else solve_itc
    result = run(loaded, time_limit=time_limit, workers=workers, seed=seed)
    if result.cost is None:
        typer.echo(_("no timetable found") + f" ({result.status}, {result.wall_time_s:.1f}s)", err=True)
        raise typer.Exit(1)
    _write_file(out, lambda: write_text_atomic(out, write_solution(result.lectures)))
    typer.echo(result.cost.report(), nl=False)
    bound = "-" if result.bound is None else str(result.bound)
    typer.echo(
        f"status {result.status}, bound {bound}, first feasible {result.first_feasible_s}s, "
        f"wall {result.wall_time_s:.1f}s; wrote {out}"
    )
    raise typer.Exit(0 if result.cost.feasible else 1)


@command(help=N_("Start the planner's web page (Vietnamese by default, English switch) at http://HOST:PORT/."))
def serve(
    host: Annotated[
        str, typer.Option(help=N_("Address to listen on (another than 127.0.0.1 needs --token)"))
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help=N_("Port"))] = 8000,
    db: Annotated[
        str,
        typer.Option(
            help=N_(
                "Database of plans and versions: an SQLite file (a path or sqlite:///path, created when "
                "missing) or PostgreSQL (postgresql://user:password@host:port/dbname, an existing database)"
            )
        ),
    ] = "llct-sched.db",
    max_jobs: Annotated[
        int, typer.Option(min=1, help=N_("Solves running at once, each in its own process (not with --scheduler)"))
    ] = 2,
    workers: Annotated[int, typer.Option(min=0, help=N_("CP-SAT workers per solve (0: all cores)"))] = 1,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help=N_(
                "Dask scheduler address (tcp://host:port): solve on that cluster instead of local processes "
                "(its workers need llct-sched\\[web]; live incumbent and bound, but Cancel keeps no timetable there)"
            )
        ),
    ] = None,
    token: Annotated[
        str | None, typer.Option(help=N_("Access token required by the page (open it with ?token=...)"))
    ] = None,
) -> None:
    try:
        import uvicorn
        from sqlalchemy.exc import SQLAlchemyError

        from llct_sched.web.app import create_app
        from llct_sched.web.store import database_url, shown_database
    except ImportError as error:
        err.print("[bold red]" + _("the web page needs its extra") + f"[/]: pip install 'llct-sched\\[web]' ({error})")
        raise typer.Exit(2) from None
    if host not in ("127.0.0.1", "localhost", "::1") and not token:
        text = _("--host {host} is reachable from other machines: give --token too").format(host=host)
        err.print("[bold red]" + _("Bad input") + f"[/]: {escape(text)}")
        raise typer.Exit(2)
    try:
        database_url(db)
        application = create_app(db, max_jobs=max_jobs, token=token, workers=workers, scheduler=scheduler)
    except (ValueError, SQLAlchemyError) as error:
        cause = getattr(error, "orig", None) or error  # the driver's words, without SQLAlchemy's links
        text = _("the database {db} cannot be opened: {error}").format(db=shown_database(db), error=cause)
        err.print("[bold red]" + _("Bad input") + f"[/]: {escape(text)}")
        raise typer.Exit(2) from None
    shown = shown_database(db)
    where = _("http://{host}:{port}/ (database {db}; Ctrl-C stops)").format(host=host, port=port, db=shown)
    if scheduler is not None:
        where += " · " + _("solves on the Dask cluster {address}").format(address=scheduler)
    console.print("llct-sched: " + where, highlight=False)
    uvicorn.run(application, host=host, port=port, log_level="warning")


# --- a province: a set of centers sharing provincial lecturers ---------------------------------------

province_app = typer.Typer(
    cls=HelpGroup,
    no_args_is_help=True,
    help=N_("A province as a set of centers (one scenario file each) sharing the provincial school's lecturers."),
)
app.add_typer(province_app, name="province")
province_command = partial(province_app.command, cls=HelpCommand)
ProvinceArg = Annotated[
    Path, typer.Argument(help=N_("The province set: a folder with province.yaml, or the index file itself"))
]


def _load_province(folder: Path):
    """The province set, its warnings shown; on bad input every problem printed and exit 2."""
    from llct_sched.province import load_province

    try:
        province = load_province(folder)
    except ScenarioError as error:
        _fail_input(error)
        raise  # unreachable: _fail_input exits
    for warning in province.warnings:
        err.print("[yellow]" + _("warning") + f"[/] {escape(str(warning))}", highlight=False)
    return province


@province_command("validate", help=N_("Check a province set: every center's scenario with the shared lecturers."))
def province_validate(folder: ProvinceArg) -> None:
    province = _load_province(folder)
    classes = sum(len(c.scenario.classes) for c in province.centers)
    counts = _("{centers} centers, {classes} classes, {shared} shared lecturers").format(
        centers=len(province.centers), classes=classes, shared=len(province.shared)
    )
    console.print("[green]" + _("valid") + f"[/]: {province.name}: {counts}")


@province_command(
    "generate",
    help=N_(
        "Write a generated province set (deterministic for a seed): generated centers whose trung cấp "
        "classes are taught by shared lecturers of the provincial school."
    ),
)
def province_generate(
    centers: Annotated[int, typer.Option(min=1, max=200, help=N_("Number of centers"))] = 10,
    seed: Annotated[int, typer.Option(min=0, max=MAX_SEED, help=N_("Random seed"))] = 0,
    shared: Annotated[
        int | None, typer.Option(min=1, max=1000, help=N_("Shared lecturers (default: 1.5 per center)"))
    ] = None,
    out: Annotated[Path, typer.Option("-o", "--out", help=N_("Folder to write (new or empty)"))] = Path("province"),
) -> None:
    from llct_sched.files import OutputError
    from llct_sched.province import write_province
    from llct_sched.scenario.generate import generate_province

    _check_out(out)
    with console.status(_("generating {n} centers").format(n=centers), spinner="dots"):
        province = generate_province(centers, seed, shared)
    try:
        write_province(province, out)
    except OutputError as error:
        err.print("[bold red]" + _("cannot write") + f"[/] {escape(str(error))}", highlight=False)
        raise typer.Exit(2) from None
    classes = sum(len(c.scenario.classes) for c in province.centers)
    counts = _("{centers} centers, {classes} classes, {shared} shared lecturers").format(
        centers=len(province.centers), classes=classes, shared=len(province.shared)
    )
    console.print(_("wrote {path}").format(path=out) + f": {counts}")


@province_command(
    "solve",
    help=N_(
        "Solve every center of a province set, in parallel, so that no shared lecturer is in two "
        "centers at once; writes one result folder per center and a summary."
    ),
)
def province_solve(
    folder: ProvinceArg,
    out: Annotated[Path, typer.Option("--out", "-o", help=N_("Output directory"))] = Path("province_out"),
    time_limit: Annotated[float, typer.Option(callback=_seconds, help=N_("Seconds per center's solve"))] = 60.0,
    workers: Annotated[int, typer.Option(min=0, max=MAX_WORKERS, help=N_("CP-SAT workers per solve"))] = 1,
    seed: Annotated[int, typer.Option(min=0, max=MAX_SEED, help=N_("Random seed"))] = 0,
    parallel: Annotated[
        int | None,
        typer.Option(min=1, max=1024, help=N_("Solves at once (default: cores // workers; on Dask: its threads)")),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(callback=_scheduler_address, help=N_("Dask scheduler address (default: a process pool)")),
    ] = None,
    independent: Annotated[
        bool,
        typer.Option("--independent", help=N_("Solve the centers apart and only report the shared lecturers' clashes")),
    ] = False,
    reports: Annotated[
        bool, typer.Option("--reports/--no-reports", help=N_("Write each center's workbook, annex and reports"))
    ] = True,
    lang: LangOption = None,
) -> None:
    from llct_sched.province_solve import CenterEvent, solve_province
    from llct_sched.solve import SolveParams

    code = _lang(lang)
    province = _load_province(folder)
    _check_out(out)
    params = SolveParams(time_limit=time_limit, workers=workers, seed=seed)

    def show(event: CenterEvent) -> None:
        row = event.row
        if event.kind == "plan":
            status = f"{_(row['status'])} ({row['wall_time_s']}s)"
            text = _("shared lecturers' plan, {n} classes of every center: {status}")
            console.print("  " + text.format(n=event.attempt, status=status), highlight=False)
            return
        if event.kind == "accepted":
            what = f"{_(row['status'])} {row['objective']} ({row['wall_time_s']}s)"
        elif event.kind == "clash":
            what = _("a shared lecturer is taken in a center accepted meanwhile: solved again")
        elif event.kind == "first":
            what = _("no timetable with the shared lecturers' sessions taken: solved again, choosing first")
        elif event.kind == "longer":
            what = _("no timetable found in time: solved again with twice the time")
        elif event.kind == "displaced":
            what = _("its shared lecturers' sessions went to a center that chose first: solved again")
        else:
            what = _("no timetable") + f" ({row.get('message') or _(row['status'])})"
        console.print(f"  {event.center} #{event.attempt}: {what}", highlight=False)

    console.print(
        _("solving {n} centers, {seconds:g}s each").format(n=len(province.centers), seconds=time_limit),
        highlight=False,
    )
    try:
        result = solve_province(
            province, params, scheduler=scheduler, parallel=parallel, resolve=not independent, on_event=show
        )
    except (OSError, TimeoutError) as error:
        what = _("cannot run on the Dask scheduler {address}").format(address=scheduler)
        err.print(f"[bold red]{what}[/]: {error}", highlight=False)
        raise typer.Exit(2) from None
    _print_province(result)
    if not any(c.timetable is not None for c in result.centers) and (out / "summary.json").exists():
        console.print(
            _("no timetable: the earlier result in {path}/ is left as it was").format(path=out), highlight=False
        )
    else:
        _publish_province(out, result, code if reports else None)
    raise typer.Exit(0 if result.ok else 1)


def _print_province(result) -> None:
    table = Table(_("center"), _("status"), _("objective"), _("solves"), _("check"), title="llct-sched province")
    for c in result.centers:
        verdict = "-" if c.report is None else (_("OK") if c.report.ok else str(len(c.report.violations)))
        objective = "-" if c.report is None else str(c.report.objective)
        table.add_row(c.center, _(c.row.get("status") or "UNKNOWN"), objective, str(c.solves), verdict)
    console.print(table)
    failed = [c.center for c in result.centers if c.timetable is None]
    if result.resolved and failed and len(failed) < len(result.centers):
        hint = _(
            "{centers}: no timetable with the shared lecturers' sessions taken by the other centers, even "
            "choosing first: give the shared lecturers more days, or run with --independent to see whether "
            "they have one alone"
        )
        err.print(escape(hint.format(centers=", ".join(failed))), highlight=False)
    if result.clashes:
        err.print("[bold red]" + _("{n} clash(es) of shared lecturers").format(n=len(result.clashes)) + "[/]")
        for clash in result.clashes[:20]:
            err.print(f"  {escape(str(clash))}", highlight=False)
    else:
        console.print(_("no shared lecturer is in two centers at once"))
    console.print(
        _("{solves} solves, {seconds:.1f}s").format(solves=result.solves, seconds=result.wall_time_s), highlight=False
    )


def _publish_province(out: Path, result, lang: str | None) -> None:
    from llct_sched.files import OutputError
    from llct_sched.province_solve import write_province_result

    try:
        write_province_result(out, result, lang)
    except OutputError as error:
        err.print("[bold red]" + _("cannot write the results") + f"[/]: {escape(str(error))}", highlight=False)
        raise typer.Exit(2) from None
    console.print(_("outputs in {path}/").format(path=out))


def main() -> None:
    app()
