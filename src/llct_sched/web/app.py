"""The planner's web page: upload a plan, solve it with live progress, see the year, change it,
compare versions and download the papers. `create_app(db)` builds the FastAPI application.

Safe by default: uploads are size-limited and parsed by the library's own readers (a file name is
never a path), every text is escaped by the templates, every form carries a token matching a
cookie (cross-site posts fail), and a server bound to another address than 127.0.0.1 requires an
access token.

Languages: the page's own words are `web.i18n`'s; the library's messages (validation errors, the
checker's violations, why a plan is infeasible, the change log's reasons) come from its gettext
catalog. Each request is answered in its page's language (`?lang=`, else the cookie, else
Vietnamese): the middleware sets it with `llct_sched.i18n.speaking` for that request only (a
context variable: the server's threads answering other requests keep theirs), so the messages the
library raises while the request is handled (an upload's errors, a form's) are in that language.
A solve runs in its own worker process, which speaks the language of the page that asked for it
(stored in the version's request as `lang`): the messages it produces (violations, why, the
solver's notes, a re-plan's reasons) are stored in the database as text in that language and shown
as stored, whatever language the page is switched to later. What the page computes when it is
shown (the changes against the parent of a version that was not re-planned, the comparison of two
versions) is in the page's language.
"""

from __future__ import annotations

import datetime as dt
import io
import secrets
import tempfile
import threading
import zipfile
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape

from llct_sched import i18n
from llct_sched.errors import InputIssue, ScenarioError
from llct_sched.i18n import _
from llct_sched.pipeline import read_builtin, read_scenario
from llct_sched.reports import ReportData, build
from llct_sched.scenario import Scenario
from llct_sched.scenario.loading import BUILTIN_SCENARIOS, scenario_from_data, scenario_to_data, scenario_to_yaml
from llct_sched.scenario.validate import ensure_valid
from llct_sched.solve.replan import Changes, apply_changes, change_log
from llct_sched.timetable import Timetable
from llct_sched.web import forms, views
from llct_sched.web.i18n import LANGS, Words
from llct_sched.web.jobs import Runner
from llct_sched.web.store import Store, Version

MAX_UPLOAD_MB = 5
MAX_TIME_LIMIT_S = 3600.0
MAX_COMPARED = 8  # versions in one variants table
DOWNLOADS = ("xlsx", "docx", "calendars", "html", "scenario", "timetable")
CSRF_COOKIE, TOKEN_COOKIE, LANG_COOKIE = "llct_csrf", "llct_token", "llct_lang"


class _Reports:
    """Report facts of finished versions, built once (a version never changes once done)."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self.cache: OrderedDict[int, ReportData] = OrderedDict()
        self.lock = threading.Lock()  # pages are served from a thread pool

    def get(self, version: Version) -> ReportData | None:
        if version.timetable is None:
            return None
        with self.lock:
            data = self.cache.get(version.id)
            if data is not None:
                self.cache.move_to_end(version.id)
                return data
        data = build(scenario_from_data(version.scenario), Timetable.from_json(version.timetable), version.summary)
        with self.lock:
            self.cache[version.id] = data
            while len(self.cache) > self.size:
                self.cache.popitem(last=False)
        return data


@dataclass
class Column:
    """One version in the variants table, its timetable also checked against the base's scenario."""

    version: Version
    objective: int | None  # the checker's, with the version's own weights
    base_objective: int | None  # the same timetable priced with the base version's weights
    breakdown: dict[str, int]  # goal -> weighted cost, with the base's weights
    moved: int | None  # classes whose dates, room or lecturers differ from the base's timetable


class _Repriced:
    """Columns of finished versions, computed once (versions never change once done)."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self.cache: OrderedDict[tuple[int, int], Column] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, base: Version, version: Version) -> Column:
        key = (base.id, version.id)
        with self.lock:
            if key in self.cache:
                return self.cache[key]
        column = _column(base, version)
        if not version.active and not base.active:
            with self.lock:
                self.cache[key] = column
                while len(self.cache) > self.size:
                    self.cache.popitem(last=False)
        return column


def _column(base: Version, version: Version) -> Column:
    own = (version.check_report or {}).get("objective")
    if version.timetable is None:
        return Column(version, own, None, {}, None)
    if version.id == base.id:
        return Column(version, own, own, (version.check_report or {}).get("breakdown", {}), 0)
    stored = version.request.get("priced")  # a variant priced against its parent by its worker
    if version.parent_id != base.id or not isinstance(stored, dict):
        base_timetable = Timetable.from_json(base.timetable) if base.timetable else None
        stored = views.priced(
            Scenario.model_validate(base.scenario),
            base_timetable,
            Scenario.model_validate(version.scenario),
            Timetable.from_json(version.timetable),
        )
    return Column(version, own, stored["objective"], stored["breakdown"], stored["moved"])


def _weights_variant(scenario: dict[str, Any], patch: dict[str, int], row: int) -> dict[str, Any]:
    """The scenario (plain data) with new weights, patched and validated by the library's variants."""
    from pydantic import ValidationError

    from llct_sched.scenario.loading import pydantic_issues
    from llct_sched.scenario.variants import Patch, WeightsPatch, apply_patches

    try:
        weights = WeightsPatch.model_validate(patch)
    except ValidationError as error:
        issues = pydantic_issues(error)
        raise ScenarioError(
            [InputIssue(path=f"weights_{row}.{i.path}", message=i.message, file=i.file) for i in issues]
        ) from None
    patched = apply_patches(scenario_from_data(scenario), [Patch(weights=weights)], file=f"weights_{row}")
    ensure_valid(patched, file=f"weights_{row}")
    return scenario_to_data(patched)


def create_app(
    db: str | Path, max_jobs: int = 2, token: str | None = None, workers: int = 1, scheduler: str | None = None
) -> FastAPI:
    """The application over the database `db`: an SQLite file (a path or sqlite:///path, created
    when missing) or a PostgreSQL URL (postgresql://user:password@host/dbname); see `store`.
    Solves run in local worker processes (`max_jobs` at once), or on the Dask cluster whose
    scheduler is at `scheduler` (tcp://host:port; see `jobs`)."""
    store = Store(db)
    runner = Runner(store, max_jobs=max_jobs, scheduler=scheduler)
    runner.recover()
    reports = _Reports()
    repriced = _Repriced()
    env = Environment(loader=PackageLoader("llct_sched.web", "templates"), autoescape=select_autoescape(default=True))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        runner.close()
        store.close()

    app = FastAPI(title="llct-sched", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.store, app.state.runner = store, runner
    app.mount("/static", StaticFiles(packages=[("llct_sched.web", "static")]), name="static")

    @app.middleware("http")
    async def guard(request: Request, call_next: Any) -> Response:
        if token is not None and not _has_token(request, token):
            return HTMLResponse(Words(_lang(request))("error.token"), status_code=401)
        with i18n.speaking(_lang(request)):  # the library's messages in the page's language, this request only
            response = await call_next(request)
        if token is not None and request.query_params.get("token") == token:
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self'"
        )
        return response

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        lang = _lang(request)
        csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
        other = "en" if lang == "vi" else "vi"
        switch = request.url.include_query_params(lang=other)  # the same page in the other language
        html = env.get_template(name).render(
            t=Words(lang), lang=lang, switch=f"{switch.path}?{switch.query}", csrf=csrf, **context
        )
        response = HTMLResponse(html, status_code=status)
        response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict")
        if request.query_params.get("lang") in LANGS:
            response.set_cookie(LANG_COOKIE, lang, samesite="lax", max_age=365 * 86400)
        return response

    def problem(request: Request, issues: list[InputIssue], status: int = 422, **context: Any) -> HTMLResponse:
        return page(request, "error.html", status, issues=issues, **context)

    def forbidden(request: Request, csrf: str) -> HTMLResponse | None:
        expected = request.cookies.get(CSRF_COOKIE)
        if not expected or not secrets.compare_digest(expected, csrf):
            return page(request, "error.html", 403, message=Words(_lang(request))("error.csrf"))
        return None

    def missing(request: Request) -> HTMLResponse:
        return page(request, "error.html", 404, message=Words(_lang(request))("error.not_found"))

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)  # no icon (the browser asks for one on every page)

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request) -> HTMLResponse:
        return page(request, "home.html", plans=store.plans(), builtins=BUILTIN_SCENARIOS)

    @app.post("/plans", response_class=HTMLResponse)
    async def new_plan(
        request: Request, csrf: str = Form(""), builtin: str = Form(""), file: UploadFile | None = None
    ) -> Response:
        if (refused := forbidden(request, csrf)) is not None:
            return refused
        try:
            if builtin:
                loaded, source = read_builtin(builtin), f"<builtin {builtin}>"
            else:
                name = (file.filename if file else "") or "upload"
                content = await _read_upload(file, name)
                loaded, source = read_scenario(name, content), name
        except ScenarioError as error:
            return page(request, "home.html", 422, plans=store.plans(), builtins=BUILTIN_SCENARIOS, issues=error.issues)
        warnings = [_issue_data(w) for w in loaded.warnings]
        plan_id = store.add_plan(loaded.scenario.name, source, scenario_to_data(loaded.scenario), warnings)
        return RedirectResponse(f"/plans/{plan_id}", status_code=303)

    @app.get("/plans/{plan_id}", response_class=HTMLResponse)
    def plan_page(request: Request, plan_id: int) -> HTMLResponse:
        plan = store.plan(plan_id)
        if plan is None:
            return missing(request)
        scenario = scenario_from_data(plan.scenario)
        return page(request, "plan.html", plan=plan, scenario=scenario, versions=store.versions(plan_id))

    @app.post("/plans/{plan_id}/solve")
    def solve_plan(
        request: Request, plan_id: int, csrf: str = Form(""), time_limit: float = Form(30.0), seed: int = Form(0)
    ) -> Response:
        if (refused := forbidden(request, csrf)) is not None:
            return refused
        plan = store.plan(plan_id)
        if plan is None:
            return missing(request)
        params = _params(time_limit, seed, workers)
        version_id = store.add_version(plan_id, "solve", plan.scenario, params, request={"lang": _lang(request)})
        runner.submit(version_id)
        return RedirectResponse(f"/versions/{version_id}", status_code=303)

    @app.get("/versions/{version_id}", response_class=HTMLResponse)
    def version_page(
        request: Request, version_id: int, kind: str = "lecturer", entity: str = "", week: str = ""
    ) -> HTMLResponse:
        version = store.version(version_id)
        if version is None:
            return missing(request)
        plan = store.plan(version.plan_id)
        data = reports.get(version)
        moved = _moved(store, version, _lang(request))
        context: dict[str, Any] = {"version": version, "plan": plan, "data": data, "moved": moved}
        if data is not None:
            words = Words(_lang(request))
            choices = views.entities(data)
            kind = kind if kind in views.WEEK_KINDS else "lecturer"
            ids = [i for i, _ in choices[kind]]
            entity = entity if entity in ids else (ids[0] if ids else "")
            week_of = _date_or_none(week)
            context |= {
                "gantt": views.gantt(data, words),
                "choices": choices,
                "grid": views.week_grid(data, words, kind, entity, week_of),
                "loads": views.loads(data, words),
                "goals": views.goals(data, words),
                "pins": views.pin_classes(data),
            }
        return page(request, "version.html", **context)

    @app.get("/api/versions/{version_id}")
    def version_state(request: Request, version_id: int) -> JSONResponse:
        version = store.version(version_id)
        if version is None:
            return JSONResponse({"error": "not found"}, status_code=404)
        summary = version.summary or {}
        return JSONResponse(
            {
                "id": version.id,
                "state": version.state,
                "progress": version.progress,
                "stage": Words(_lang(request)).stage(version.progress.get("stage")),
                "status": summary.get("status"),
                "objective": summary.get("objective"),
                "bound": summary.get("bound"),
                "check_ok": (version.check_report or {}).get("ok"),
            }
        )

    @app.post("/versions/{version_id}/cancel")
    def cancel(request: Request, version_id: int, csrf: str = Form("")) -> Response:
        if (refused := forbidden(request, csrf)) is not None:
            return refused
        if store.version(version_id) is None:
            return missing(request)
        runner.cancel(version_id)
        return RedirectResponse(f"/versions/{version_id}", status_code=303)

    @app.post("/versions/{version_id}/pin")
    def pin(
        request: Request,
        version_id: int,
        csrf: str = Form(""),
        class_id: str = Form(...),
        starts: str = Form(""),
        room: str = Form(""),
        module: str = Form(""),
        lecturer: str = Form(""),
    ) -> Response:
        if (refused := forbidden(request, csrf)) is not None:
            return refused
        version = store.version(version_id)
        if version is None:
            return missing(request)
        try:
            data = forms.pinned(version.scenario, class_id, starts, room, module, lecturer)
            ensure_valid(scenario_from_data(data, "pin"), file="pin")
        except ScenarioError as error:
            return problem(request, error.issues, version=version)
        note = f"{class_id}: {starts or '-'} / {room or '-'}"
        if module.strip():
            note += f" / {module.strip()}: {lecturer.strip() or '-'}"
        request_data: dict[str, Any] = {"pinned": class_id, "lang": _lang(request)}
        if version.timetable is not None:
            request_data["baseline"] = version.id  # re-plan from it: move as little as possible
        new_id = store.add_version(version.plan_id, "pin", data, version.params, version.id, note, request_data)
        runner.submit(new_id)
        return RedirectResponse(f"/versions/{new_id}", status_code=303)

    @app.post("/versions/{version_id}/replan")
    def replan_version(
        request: Request,
        version_id: int,
        csrf: str = Form(""),
        kind: str = Form(...),
        who: str = Form(""),
        start: str = Form(""),
        end: str = Form(""),
        from_date: str = Form(""),
        reason: str = Form(""),
        learners: str = Form(""),
        new_class: str = Form(""),
        program: str = Form(""),
        name: str = Form(""),
        bloc: str = Form(""),
    ) -> Response:
        if (refused := forbidden(request, csrf)) is not None:
            return refused
        version = store.version(version_id)
        if version is None:
            return missing(request)
        if version.timetable is None:
            return page(request, "error.html", 409, message=Words(_lang(request))("error.not_ready"))
        try:
            who = new_class if kind == "add_class" else who
            entry = forms.change(kind, who, start, end, reason, learners, program, name, bloc)
            freeze = forms.parse_date(from_date, "from_date").isoformat() if from_date.strip() else None
            apply_changes(scenario_from_data(version.scenario), Changes.model_validate({"changes": [entry]}), "form")
        except ScenarioError as error:
            return problem(request, error.issues, version=version)
        request_data = {"baseline": version.id, "from": freeze, "changes": [entry], "lang": _lang(request)}
        note = f"{kind} {who} " + (f"{learners} learners" if kind == "learners" else f"{start}..{end or start}")
        note += f", from {freeze}" if freeze else ""
        new_id = store.add_version(
            version.plan_id, "replan", version.scenario, version.params, version.id, note, request_data
        )
        runner.submit(new_id)
        return RedirectResponse(f"/versions/{new_id}", status_code=303)

    @app.post("/versions/{version_id}/variants")
    async def run_variants(request: Request, version_id: int) -> Response:
        """What-if: the version's scenario with other weights (and seeds), each solved as a version."""
        form = await request.form()

        def field(key: str) -> str:
            value = form.get(key, "")
            return value if isinstance(value, str) else ""

        if (refused := forbidden(request, field("csrf"))) is not None:
            return refused
        version = store.version(version_id)
        if version is None:
            return missing(request)
        numbers = range(1, forms.MAX_VARIANTS + 1)
        try:
            rows = forms.variants(
                [field(f"name_{k}") for k in numbers],
                [field(f"weights_{k}") for k in numbers],
                [field(f"seed_{k}") for k in numbers],
            )
            time_limit = forms.parse_seconds(field("time_limit"), "time_limit")
            built = [(name, _weights_variant(version.scenario, patch, k), patch, seed) for k, name, patch, seed in rows]
        except ScenarioError as error:
            return problem(request, error.issues, version=version)
        ids = [version.id]
        for name, scenario, patch, seed in built:
            note = f"{name}: " + (", ".join(f"{g}={w}" for g, w in patch.items()) or "-") + f"; seed {seed}"
            request_data = {"variant": name, "weights": patch, "lang": _lang(request)}
            params = _params(time_limit, seed, workers)
            new_id = store.add_version(version.plan_id, "variant", scenario, params, version.id, note, request_data)
            runner.submit(new_id)
            ids.append(new_id)
        return RedirectResponse(f"/variants?ids={','.join(map(str, ids))}", status_code=303)

    @app.get("/variants", response_class=HTMLResponse)
    def variants_page(request: Request, ids: str = "") -> HTMLResponse:
        """Versions side by side: the first is the base; every timetable is also priced with its weights."""
        try:
            numbers = [int(part) for part in ids.split(",") if part.strip()][:MAX_COMPARED]
        except ValueError:
            return missing(request)
        found = [store.version(n) for n in numbers]
        versions = [v for v in found if v is not None]
        if not versions or len(versions) != len(found):
            return missing(request)
        columns = [repriced.get(versions[0], v) for v in versions]
        goals = sorted({g for c in columns for g in c.breakdown})
        active = [v.id for v in versions if v.active]
        return page(
            request,
            "variants.html",
            base=versions[0],
            columns=columns,
            goals=goals,
            active=active,
            plan=store.plan(versions[0].plan_id),
        )

    @app.get("/versions/{version_id}/download/{what}")
    def download(request: Request, version_id: int, what: str) -> Response:
        version = store.version(version_id)
        if version is None or what not in DOWNLOADS:
            return missing(request)
        if what == "scenario":
            text = scenario_to_yaml(scenario_from_data(version.scenario))
            return _attachment(text.encode("utf-8"), f"llct-v{version.id}-scenario.yaml", "application/yaml")
        data = reports.get(version)
        if data is None or version.timetable is None:
            return page(request, "error.html", 409, message=Words(_lang(request))("error.not_ready"))
        if what == "timetable":
            return _attachment(
                version.timetable.encode("utf-8"), f"llct-v{version.id}-timetable.json", "application/json"
            )
        return _report_file(data, what, _lang(request), version.id)

    @app.get("/compare", response_class=HTMLResponse)
    def compare(request: Request, a: int, b: int) -> HTMLResponse:
        first, second = store.version(a), store.version(b)
        if first is None or second is None:
            return missing(request)
        moved = []
        if first.timetable and second.timetable:
            moved = [
                c.row()
                for c in change_log(
                    Changes(),
                    Timetable.from_json(first.timetable),
                    Timetable.from_json(second.timetable),
                    Scenario.model_validate(first.scenario),
                    Scenario.model_validate(second.scenario),
                    _lang(request),
                )
            ]
        goals = sorted(
            set((first.check_report or {}).get("breakdown", {})) | set((second.check_report or {}).get("breakdown", {}))
        )
        return page(
            request, "compare.html", a=first, b=second, moved=moved, goals=goals, plan=store.plan(first.plan_id)
        )

    return app


def _lang(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "vi"
    return chosen if chosen in LANGS else "vi"


def _has_token(request: Request, token: str) -> bool:
    given = request.query_params.get("token") or request.cookies.get(TOKEN_COOKIE) or ""
    return secrets.compare_digest(given.encode(), token.encode())


async def _read_upload(file: UploadFile | None, name: str) -> bytes:
    if file is None:
        raise ScenarioError([InputIssue(path="", message=_("no file chosen"), file=name)])
    content = await file.read(MAX_UPLOAD_MB * 1024 * 1024 + 1)
    if len(content) > MAX_UPLOAD_MB * 1024 * 1024:
        message = _("the file is larger than {mb} MB").format(mb=MAX_UPLOAD_MB)
        raise ScenarioError([InputIssue(path="", message=message, file=name)])
    if not content:
        raise ScenarioError([InputIssue(path="", message=_("the file is empty"), file=name)])
    return content


def _issue_data(issue: InputIssue) -> dict[str, str]:
    return {"file": issue.file, "path": issue.path, "message": issue.message, "severity": issue.severity.value}


def _params(time_limit: float, seed: int, workers: int) -> dict[str, Any]:
    limit = min(max(1.0, time_limit), MAX_TIME_LIMIT_S)
    return {"time_limit": limit, "workers": workers, "seed": max(0, seed)}


def _date_or_none(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _moved(store: Store, version: Version, lang: str) -> list[dict[str, str]] | None:
    """What changed against the parent version: the re-plan's own log (its reasons in the language
    the version was solved in), or a comparison of timetables (in `lang`). The pinned class's
    reason is the page's "pinned"."""
    if version.parent_id is None or version.timetable is None:
        return None
    pinned, because_pinned = version.request.get("pinned"), Words(lang)("moved.pinned")
    if version.request.get("baseline") is not None:  # re-planned from the parent: its own log, with reasons
        return [row | {"reason": because_pinned} if row["class_id"] == pinned else row for row in version.moved or []]
    parent = store.version(version.parent_id)
    if parent is None or parent.timetable is None:
        return None
    log = change_log(
        Changes(),
        Timetable.from_json(parent.timetable),
        Timetable.from_json(version.timetable),
        Scenario.model_validate(parent.scenario),
        Scenario.model_validate(version.scenario),
        lang,
    )
    return [c.row() | {"reason": because_pinned if c.class_id == pinned else c.reason} for c in log]


def _attachment(content: bytes, filename: str, media_type: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type=media_type, headers=headers)


def _report_file(data: ReportData, what: str, lang: str, version_id: int) -> Response:
    """One paper of a version, written by the report writers into a private temporary folder."""
    from llct_sched.reports import labels
    from llct_sched.reports.annex import write_annex
    from llct_sched.reports.calendars import write_calendars
    from llct_sched.reports.excel import write_workbook
    from llct_sched.reports.html import write_html

    lab = labels(lang)
    with tempfile.TemporaryDirectory(prefix="llct-web-") as folder:
        out = Path(folder)
        if what == "xlsx":
            write_workbook(out / "f.xlsx", data, lab)
            content, name, media = (out / "f.xlsx").read_bytes(), "timetable.xlsx", _XLSX
        elif what == "docx":
            write_annex(out / "f.docx", data, lab)
            content, name, media = (out / "f.docx").read_bytes(), "ke_hoach_chi_tiet.docx", _DOCX
        elif what == "html":
            write_html(out / "f.html", data, lab)
            content, name, media = (out / "f.html").read_bytes(), "report.html", "text/html"
        else:
            files = write_calendars(out / "calendars", data, lab)
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in files:
                    archive.write(path, f"calendars/{path.name}")
            content, name, media = buffer.getvalue(), "calendars.zip", "application/zip"
    return _attachment(content, f"llct-v{version_id}-{name}", media)


_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

__all__ = ["DOWNLOADS", "MAX_UPLOAD_MB", "create_app"]
