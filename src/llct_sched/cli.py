"""The llct-sched command line. It only calls the public library API.

Exit codes: 0 success (feasible or optimal), 1 infeasible / no timetable in time / check failed,
2 bad input (every problem is printed, nothing is written).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from llct_sched.errors import ScenarioError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Yearly training timetables for district political centers (Trung tâm chính trị cấp huyện).",
)
console = Console()
err = Console(stderr=True, soft_wrap=True)  # located messages stay on one line, copyable

DEFAULT_SCENARIO = "hoang_mai_2020"
ScenarioArg = Annotated[
    str,
    typer.Argument(
        help="Scenario file (YAML, JSON, Excel or an ITC-2007 .ectt) or a built-in name: hoang_mai_2020, tutorial."
    ),
]


class Lang(StrEnum):
    vi = "vi"
    en = "en"


class ItcEngine(StrEnum):
    core = "core"
    dedicated = "dedicated"


LangOption = Annotated[Lang, typer.Option("--lang", help="Language of the reports (Vietnamese or English)")]


def _fail_input(error: ScenarioError) -> None:
    err.print(f"[bold red]Bad input[/]: {len(error.issues)} problem(s)")
    for issue in error.issues:
        err.print(f"  [red]{issue.severity.value}[/] {issue}", markup=True, highlight=False)
    raise typer.Exit(2)


def _load_valid(source: str):
    """Load and validate a scenario; print problems and exit 2 on bad input; show warnings."""
    from llct_sched.io import load_scenario
    from llct_sched.validate import ensure_valid

    excel = Path(source).suffix.lower() in (".xlsx", ".xlsm") and Path(source).exists()
    try:
        scenario = load_scenario(source)
        file = source if Path(source).exists() else f"<builtin {source}>"
        warnings = ensure_valid(scenario, file=file)
    except ScenarioError as error:
        if excel and error.issues and not error.issues[0].path.startswith("Sheet "):
            from llct_sched.excel_in import locate_issues

            error = ScenarioError(locate_issues(source, error.issues))
        _fail_input(error)
        raise  # unreachable: _fail_input exits
    if excel and warnings:
        from llct_sched.excel_in import locate_issues

        warnings = locate_issues(source, warnings)
    for warning in warnings:
        err.print(f"[yellow]warning[/] {warning}", highlight=False)
    return scenario


@app.command()
def validate(scenario: ScenarioArg) -> None:
    """Check a scenario file and print every error and warning."""
    loaded = _load_valid(scenario)
    console.print(
        f"[green]valid[/]: {loaded.name}: {len(loaded.classes)} classes, {len(loaded.rooms)} rooms, "
        f"{len(loaded.lecturers)} lecturers, {len(loaded.programs)} programs"
    )


@app.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editor completion and checking)."""
    from llct_sched.scenario import Scenario

    typer.echo(json.dumps(Scenario.model_json_schema(), indent=2, ensure_ascii=False))


@app.command()
def example(
    name: Annotated[str, typer.Argument(help="hoang_mai_2020 or tutorial")] = DEFAULT_SCENARIO,
    out: Annotated[Path | None, typer.Option("-o", "--out", help="File to write (default: print)")] = None,
) -> None:
    """Write a built-in scenario out for editing."""
    from llct_sched.io import builtin_scenario_text, write_text_atomic

    try:
        text = builtin_scenario_text(name)
    except ScenarioError as error:
        _fail_input(error)
        return
    if out is None:
        typer.echo(text)
    else:
        write_text_atomic(out, text)
        console.print(f"wrote {out}")


@app.command()
def solve(
    scenario: ScenarioArg = DEFAULT_SCENARIO,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory")] = Path("out"),
    time_limit: Annotated[float, typer.Option(help="Seconds")] = 60.0,
    workers: Annotated[int, typer.Option(help="CP-SAT workers (0: all cores)")] = 0,
    seed: Annotated[int, typer.Option(help="Random seed")] = 0,
    gap: Annotated[float, typer.Option(help="Stop at this relative gap")] = 0.0,
    quiet: Annotated[bool, typer.Option(help="No progress display")] = False,
    lang: LangOption = Lang.vi,
) -> None:
    """Solve a scenario (the embedded Hoàng Mai 2020 plan by default) and write the timetable."""
    from llct_sched.check import check as run_check
    from llct_sched.outputs import write_outputs
    from llct_sched.solve import SolveParams
    from llct_sched.solve import solve as run_solve

    loaded = _load_valid(scenario)
    params = SolveParams(time_limit=time_limit, workers=workers, seed=seed, relative_gap=gap)

    result = _with_progress(lambda show: run_solve(loaded, params, progress=show), quiet)
    summary = result.summary()
    summary["scenario"] = loaded.name
    report = run_check(loaded, result.timetable) if result.timetable is not None else None
    if report is not None:
        summary["check"] = {"ok": report.ok, "violations": len(report.violations), "objective": report.objective}
    if result.status == "INFEASIBLE":
        from llct_sched.why import explain_infeasibility

        why = explain_infeasibility(loaded, time_limit=max(10.0, time_limit / 2), workers=max(1, workers))
        summary["why"] = why.lines()
    write_outputs(out, loaded, result.timetable, summary, lang=lang.value)
    _print_result(result, report, out)
    for line in summary.get("why", []):
        console.print(line, highlight=False)
    if result.timetable is None:
        raise typer.Exit(1)
    if report is not None and not report.ok:
        err.print("[bold red]the independent checker found violations[/] (see above)")
        raise typer.Exit(1)


def _with_progress(run, quiet: bool):
    """Run a solve, showing incumbent, bound and elapsed time unless quiet."""
    from llct_sched.solve import Progress

    if quiet:
        return run(None)
    status_line = console.status("building the model", spinner="dots")

    def show(p: Progress) -> None:
        bound = "-" if p.bound is None else f"{p.bound:g}"
        objective = "-" if p.objective is None else f"{p.objective:g}"
        status_line.update(f"{p.stage}: objective {objective}, bound {bound}, {p.elapsed:.1f}s")

    with status_line:
        return run(show)


@app.command()
def replan(
    scenario: ScenarioArg,
    baseline: Annotated[Path, typer.Option(help="The previous result: a folder with timetable.json (or sessions.csv)")],
    changes: Annotated[Path, typer.Option(help="YAML file listing what happened")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory")] = Path("replan"),
    from_date: Annotated[
        str | None, typer.Option("--from", help="Keep everything that started before this date (YYYY-MM-DD)")
    ] = None,
    max_moves: Annotated[int | None, typer.Option(help="Move at most this many blocks")] = None,
    time_limit: Annotated[float, typer.Option(help="Seconds")] = 60.0,
    workers: Annotated[int, typer.Option(help="CP-SAT workers (0: all cores)")] = 0,
    seed: Annotated[int, typer.Option(help="Random seed")] = 0,
    quiet: Annotated[bool, typer.Option(help="No progress display")] = False,
    lang: LangOption = Lang.vi,
) -> None:
    """Re-plan after changes (a lecturer away, a room closed, a blackout, a class added or cancelled,
    learners changed), moving as little as possible; writes the new plan and changes.csv."""
    import datetime as dt

    import pandas as pd
    from pydantic import ValidationError

    from llct_sched.check import check as run_check
    from llct_sched.errors import InputIssue
    from llct_sched.io import pydantic_issues
    from llct_sched.outputs import write_outputs
    from llct_sched.replan import load_changes
    from llct_sched.replan import replan as run_replan
    from llct_sched.solve import SolveParams
    from llct_sched.timetable import read_timetable

    loaded = _load_valid(scenario)
    try:
        freeze = dt.date.fromisoformat(from_date) if from_date else None
    except ValueError:
        _fail_input(ScenarioError([InputIssue(path="--from", message=f"'{from_date}' is not a date (YYYY-MM-DD)")]))
        return
    try:
        base = read_timetable(baseline)
        change_list = load_changes(changes)
        from llct_sched.replan import apply_changes

        apply_changes(loaded, change_list, str(changes))  # bad input fails here, before any solving
    except ScenarioError as error:
        _fail_input(error)
        return
    except ValidationError as error:
        _fail_input(ScenarioError(pydantic_issues(error, str(baseline))))
        return
    except (OSError, ValueError, KeyError) as error:
        _fail_input(ScenarioError([InputIssue(path="", message=str(error), file=str(baseline))]))
        return
    params = SolveParams(time_limit=time_limit, workers=workers, seed=seed)
    done = _with_progress(
        lambda show: run_replan(loaded, base, change_list, params, freeze, max_moves, show, str(changes)), quiet
    )
    result = done.result
    summary = result.summary() | {"scenario": loaded.name, "replan": {"from": from_date, "max_moves": max_moves}}
    report = run_check(done.scenario, result.timetable) if result.timetable is not None else None
    if report is not None:
        summary["check"] = {"ok": report.ok, "violations": len(report.violations), "objective": report.objective}
    log = pd.DataFrame([c.row() for c in done.log], columns=["class_id", "change", "before", "after", "reason"])
    write_outputs(out, done.scenario, result.timetable, summary, lang=lang.value, extra={"changes.csv": log})
    _print_result(result, report, out, title="llct-sched replan")
    if done.log:
        table = Table(title="what changed")
        for column in ("class", "change", "before", "after", "reason"):
            table.add_column(column)
        for change in done.log:
            table.add_row(change.class_id, change.what, change.before, change.after, change.reason)
        console.print(table)
    else:
        console.print("nothing had to move")
    if result.timetable is None or (report is not None and not report.ok):
        raise typer.Exit(1)


def _print_result(result, report, out: Path, title: str = "llct-sched solve") -> None:
    table = Table(title=title, show_header=False)
    table.add_row(
        "status", result.status + ("" if result.status == "OPTIMAL" or not result.feasible else " (not proven optimal)")
    )
    table.add_row("objective", str(result.objective))
    table.add_row("bound", str(result.bound))
    table.add_row("gap", "-" if result.gap is None else f"{result.gap:.2%}")
    table.add_row("first feasible", "-" if result.first_feasible_s is None else f"{result.first_feasible_s:.2f}s")
    table.add_row("wall time", f"{result.wall_time_s:.2f}s")
    if report is not None:
        table.add_row("check", "all hard rules hold" if report.ok else f"{len(report.violations)} violation(s)")
    console.print(table)
    for message in result.messages:
        console.print(f"  {message}", highlight=False)
    if report is not None:
        for violation in report.violations[:20]:
            err.print(f"  [red]{violation.rule}[/] {violation.message}", highlight=False)
    console.print(f"outputs in {out}/")


@app.command()
def check(
    scenario: ScenarioArg,
    timetable: Annotated[Path, typer.Argument(help="timetable.json, or a directory with it or with sessions.csv")],
) -> None:
    """Check a timetable (solver output or hand-made) against a scenario: exit 0 only when every hard rule holds."""
    from pydantic import ValidationError

    from llct_sched.check import check as run_check
    from llct_sched.errors import InputIssue
    from llct_sched.io import pydantic_issues
    from llct_sched.timetable import read_timetable

    loaded = _load_valid(scenario)
    try:
        table = read_timetable(timetable)
    except ValidationError as error:
        _fail_input(ScenarioError(pydantic_issues(error, str(timetable))))
        return
    except (OSError, ValueError, KeyError) as error:
        _fail_input(ScenarioError([InputIssue(path="", message=str(error), file=str(timetable))]))
        return
    report = run_check(loaded, table)
    for violation in report.violations:
        console.print(f"[red]{violation.rule}[/] {violation.message}", highlight=False)
    console.print(report.summary(), highlight=False)
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def report(
    folder: Annotated[Path, typer.Argument(help="A solve output directory (with timetable.json and summary.json)")],
    scenario: Annotated[
        str | None,
        typer.Option(
            "--scenario", "-s", help="Scenario file or built-in name (default: the one named in summary.json)"
        ),
    ] = None,
    lang: LangOption = Lang.vi,
) -> None:
    """Write the reports (timetable.xlsx, the annex .docx, calendars, report.html) of an existing result."""
    from pydantic import ValidationError

    from llct_sched.errors import InputIssue
    from llct_sched.io import BUILTIN_SCENARIOS, atomic_directory, pydantic_issues
    from llct_sched.reports import write_reports
    from llct_sched.timetable import Timetable

    timetable_file, summary_file = folder / "timetable.json", folder / "summary.json"
    try:
        summary = json.loads(summary_file.read_text(encoding="utf-8")) if summary_file.exists() else {}
        if not isinstance(summary, dict):
            raise ValueError("summary.json must hold a mapping")
        table = Timetable.from_json(timetable_file.read_text(encoding="utf-8"))
    except ValidationError as error:
        _fail_input(ScenarioError(pydantic_issues(error, str(timetable_file))))
        return
    except (OSError, ValueError) as error:
        where = timetable_file if not isinstance(error, ValueError) or summary_file.exists() else summary_file
        message = "no such file" if isinstance(error, FileNotFoundError) else str(error)
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
                            message=f"'{named}' is not a built-in scenario: give the scenario file with --scenario",
                            file=str(summary_file),
                        )
                    ]
                )
            )
        scenario = named
    loaded = _load_valid(scenario)
    if table.scenario != loaded.name:
        err.print(f"[yellow]warning[/] the timetable is of scenario '{table.scenario}', not '{loaded.name}'")
    with atomic_directory(folder) as staging:
        written = write_reports(staging, loaded, table, summary, lang=lang.value)
    console.print(f"wrote {len(written)} report files in {folder}/")


@app.command()
def template(
    out: Annotated[Path, typer.Option("-o", "--out", help="Excel workbook to write (.xlsx)")] = Path("scenario.xlsx"),
    scenario: Annotated[str, typer.Option("--scenario", "-s", help="Scenario to fill it with")] = DEFAULT_SCENARIO,
) -> None:
    """Write an input workbook (one sheet per entity) holding a scenario, to edit and load back."""
    from llct_sched.errors import InputIssue
    from llct_sched.excel_in import write_template

    if out.suffix.lower() != ".xlsx":
        _fail_input(
            ScenarioError([InputIssue(path="", message="the workbook's name must end with .xlsx", file=str(out))])
        )
    loaded = _load_valid(scenario)
    write_template(out, loaded)
    console.print(f"wrote {out}")


@app.command()
def generate(
    scale: Annotated[int, typer.Option(min=1, help="How many times the default scenario")] = 4,
    seed: Annotated[int, typer.Option(help="Random seed")] = 0,
    out: Annotated[Path, typer.Option("-o", "--out", help="YAML file to write")] = Path("generated.yaml"),
) -> None:
    """Write a scenario shaped like the default, `scale` times larger (deterministic for a seed)."""
    from llct_sched.generate import generate_scenario
    from llct_sched.io import scenario_to_yaml, write_text_atomic

    scenario = generate_scenario(scale, seed)
    write_text_atomic(out, scenario_to_yaml(scenario))
    console.print(
        f"wrote {out}: {len(scenario.classes)} classes, {len(scenario.rooms)} rooms, "
        f"{len(scenario.lecturers)} lecturers"
    )


@app.command()
def compare(
    base: ScenarioArg,
    variants: Annotated[list[Path], typer.Argument(help="Variant files (YAML): a base scenario and patches")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory")] = Path("comparison"),
    seeds: Annotated[int, typer.Option(min=1, help="Solve with seeds 0..N-1")] = 3,
    time_limit: Annotated[float, typer.Option(help="Seconds per solve")] = 60.0,
    workers: Annotated[int, typer.Option(min=0, help="CP-SAT workers per solve (pool size: cores // workers)")] = 1,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address (default: a process pool)")] = None,
) -> None:
    """Solve a base scenario and what-if variants and write comparison.csv, .xlsx and .html."""
    from llct_sched.batch import compare as run_compare
    from llct_sched.batch import write_comparison
    from llct_sched.validate import validate as validate_scenario
    from llct_sched.variants import load_variants

    loaded_base = _load_valid(base)
    try:
        loaded = load_variants(variants)
    except ScenarioError as error:
        _fail_input(error)
        return
    known = {(w.path, w.message) for w in validate_scenario(loaded_base)}  # already shown for the base
    for variant in loaded:
        for warning in variant.warnings:
            if (warning.path, warning.message) not in known:
                err.print(f"[yellow]warning[/] {warning}", highlight=False)

    def show(row: dict) -> None:
        status = f"{row['status']} {'' if row['objective'] is None else row['objective']}"
        console.print(f"  {row['variant']} seed {row['seed']}: {status} ({row['wall_time_s']}s)", highlight=False)

    console.print(f"solving {len(loaded) + 1} scenario(s) x {seeds} seed(s), {time_limit:g}s each")
    try:
        rows = run_compare(
            loaded_base, [(v.name, v.scenario) for v in loaded], seeds, time_limit, workers, scheduler, on_row=show
        )
    except (OSError, TimeoutError) as error:
        err.print(f"[bold red]cannot run on the Dask scheduler {scheduler}[/]: {error}", highlight=False)
        raise typer.Exit(2) from None
    write_comparison(rows, out)
    shown = {"variant": "variant", "seed": "seed", "status": "status", "objective": "objective"}
    shown |= {"classes_moved": "moved", "learners_served": "learners", "wall_time_s": "time (s)"}
    table = Table(*shown.values(), title="llct-sched compare")
    for row in rows:
        table.add_row(*("-" if row[c] is None else str(row[c]) for c in shown))
    console.print(table)
    console.print(f"wrote {out}/comparison.csv, comparison.xlsx, comparison.html")


def _read_timetable_or_exit(path: Path):
    """read_timetable, or the located problem and exit 2."""
    from pydantic import ValidationError

    from llct_sched.errors import InputIssue
    from llct_sched.io import pydantic_issues
    from llct_sched.timetable import read_timetable

    try:
        return read_timetable(path)
    except ValidationError as error:
        _fail_input(ScenarioError(pydantic_issues(error, str(path))))
    except (OSError, ValueError, KeyError) as error:
        message = "no such file or directory" if isinstance(error, FileNotFoundError) else str(error)
        _fail_input(ScenarioError([InputIssue(path="", message=message, file=str(path))]))


@app.command()
def explain(
    scenario: ScenarioArg,
    timetable: Annotated[
        Path | None, typer.Option(help="timetable.json, or a directory with it or sessions.csv (default: solve)")
    ] = None,
    against: Annotated[Path | None, typer.Option(help="A second timetable: compare goal by goal")] = None,
    lang: LangOption = Lang.vi,
    time_limit: Annotated[float, typer.Option(help="Seconds, when solving")] = 60.0,
    top: Annotated[int, typer.Option(min=1, help="Entities shown per goal")] = 5,
) -> None:
    """Explain a timetable's objective by goal and by entity (solving first when no timetable is given)."""
    from llct_sched.explain import compare_timetables, comparison_table, explanation_tables
    from llct_sched.explain import explain as run_explain
    from llct_sched.solve import SolveParams
    from llct_sched.solve import solve as run_solve

    loaded = _load_valid(scenario)
    table = _read_timetable_or_exit(timetable) if timetable is not None else None
    other = _read_timetable_or_exit(against) if against is not None else None
    if table is None:
        with console.status(f"solving {loaded.name} ({time_limit:g}s at most)", spinner="dots"):
            result = run_solve(loaded, SolveParams(time_limit=time_limit))
        console.print(f"{result.status}, objective {result.objective}", highlight=False)
        if result.timetable is None:
            for message in result.messages:
                err.print(f"  {message}", highlight=False)
            raise typer.Exit(1)
        table = result.timetable
    for shown in (table, other):
        if shown is not None and shown.scenario != loaded.name:
            err.print(f"[yellow]warning[/] a timetable is of scenario '{shown.scenario}', not '{loaded.name}'")
    explanation = run_explain(loaded, table, lang=lang.value)
    if explanation.violations:
        err.print(f"[yellow]warning[/] {explanation.lines()[1]}", highlight=False)
    for rich_table in explanation_tables(explanation, top):
        console.print(rich_table)
    if other is not None:
        console.print(comparison_table(compare_timetables(loaded, table, other), lang.value, top))


@app.command()
def diagnose(scenario: ScenarioArg) -> None:
    """Cheap pre-solve checks that prove a scenario infeasible: exit 1 when one fires, 0 when none does."""
    from llct_sched.diagnose import diagnose as run_diagnose

    found = run_diagnose(_load_valid(scenario))
    for diagnosis in found:
        console.print(f"[red]{diagnosis.kind}[/] {diagnosis.message}", highlight=False)
    if found:
        console.print(f"{len(found)} certain reason(s) why no timetable exists")
        raise typer.Exit(1)
    console.print("no diagnosis (this does not prove that a timetable exists)")


@app.command("itc2007")
def itc2007(
    instance: Annotated[Path, typer.Argument(help="ITC-2007 track 3 instance (.ectt)")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Solution file to write (competition format)")],
    time_limit: Annotated[float, typer.Option(help="Seconds")] = 60.0,
    workers: Annotated[int, typer.Option(min=0, help="CP-SAT workers (0: all cores)")] = 0,
    seed: Annotated[int, typer.Option(help="Random seed")] = 0,
    engine: Annotated[
        ItcEngine,
        typer.Option(help="dedicated: a model made for ITC-2007 (better costs); core: the scenario core (solve)"),
    ] = ItcEngine.dedicated,
) -> None:
    """Solve an ITC-2007 curriculum-based timetabling instance (UD2) and print its validator-style cost."""
    from llct_sched.io import write_text_atomic
    from llct_sched.itc2007 import read_ectt, write_solution
    from llct_sched.itc2007_scenario import solve_itc_on_core
    from llct_sched.itc2007_solver import solve_itc

    try:
        loaded = read_ectt(instance)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        message = f"{instance}: no such file" if isinstance(error, FileNotFoundError) else str(error)
        typer.echo(f"Bad input: {message}", err=True)
        raise typer.Exit(2) from None
    run = solve_itc_on_core if engine == ItcEngine.core else solve_itc
    result = run(loaded, time_limit=time_limit, workers=workers, seed=seed)
    if result.cost is None:
        typer.echo(f"no timetable found ({result.status}, {result.wall_time_s:.1f}s)", err=True)
        raise typer.Exit(1)
    write_text_atomic(out, write_solution(result.lectures))
    typer.echo(result.cost.report(), nl=False)
    bound = "-" if result.bound is None else str(result.bound)
    typer.echo(
        f"status {result.status}, bound {bound}, first feasible {result.first_feasible_s}s, "
        f"wall {result.wall_time_s:.1f}s; wrote {out}"
    )
    raise typer.Exit(0 if result.cost.feasible else 1)


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (another than 127.0.0.1 needs --token)")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    db: Annotated[str, typer.Option(help="SQLite database file (or sqlite:///path) of plans and versions")] = (
        "llct-sched.db"
    ),
    max_jobs: Annotated[int, typer.Option(min=1, help="Solves running at once (each in its own process)")] = 2,
    workers: Annotated[int, typer.Option(min=0, help="CP-SAT workers per solve (0: all cores)")] = 1,
    token: Annotated[
        str | None, typer.Option(help="Access token required by the page (open it with ?token=...)")
    ] = None,
) -> None:
    """Start the planner's web page (Vietnamese by default, English switch) at http://HOST:PORT/."""
    try:
        import uvicorn

        from llct_sched.web.app import create_app
        from llct_sched.web.store import sqlite_path
    except ImportError as error:
        err.print(f"[bold red]the web page needs its extra[/]: pip install 'llct-sched[web]' ({error})")
        raise typer.Exit(2) from None
    if host not in ("127.0.0.1", "localhost", "::1") and not token:
        err.print(f"[bold red]Bad input[/]: --host {host} is reachable from other machines: give --token too")
        raise typer.Exit(2)
    application = create_app(sqlite_path(db), max_jobs=max_jobs, token=token, workers=workers)
    console.print(f"llct-sched: http://{host}:{port}/ (database {db}; Ctrl-C stops)")
    uvicorn.run(application, host=host, port=port, log_level="warning")


def main() -> None:
    app()
