"""The web page in a real headless Chromium (Playwright with the system's Chromium) against a real
server (`python -m llct_sched serve` in a subprocess on a free local port and a temporary database).

The planner's path of issue 26: upload the Excel template -> solve -> the Gantt and a lecturer's
week grid -> pin a class to another week -> re-solve -> the class is there and the checker accepts
-> download the workbook and open it; a bad upload shows located errors and stores nothing; a
server restart keeps the versions; two solves at once both finish.

Waiting is Playwright's (auto-waiting locators and `expect`) with generous bounds; nothing is timed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import openpyxl
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, expect, sync_playwright

from llct_sched.check import check
from llct_sched.scenario.excel import column_field, write_template
from llct_sched.scenario.loading import load_scenario, parse_scenario_text
from llct_sched.timetable import Timetable
from llct_sched.web.store import Store

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary found (apt-get install chromium)")

SOLVED_MS = 240_000  # a generous bound for a solve to finish and its page to reload (not a timing test)
PAGE_MS = 60_000
expect.set_options(timeout=PAGE_MS)  # a loaded machine: generous bounds for every assertion


class Server:
    """`llct-sched serve` in a subprocess: started, stopped and started again on the same database."""

    def __init__(self, db: Path, log: Path) -> None:
        self.db, self.log = db, log
        self.process: subprocess.Popen[bytes] | None = None
        self.base = ""

    def start(self) -> str:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        command = [sys.executable, "-m", "llct_sched", "serve", "--port", str(port), "--db", str(self.db)]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())
        self.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert self.process.poll() is None, f"the server exited: {self.log.read_text(errors='replace')[-3000:]}"
            try:
                if httpx.get(self.base + "/", timeout=5).status_code == 200:
                    return self.base
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not answer within 60 s"
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)  # uvicorn's graceful shutdown, as Ctrl-C
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path / "plans.db", tmp_path / "server.log")
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (own cookies) whose page fails the test on a script error or a blocked
    resource (e.g. a Content-Security-Policy violation)."""
    context = browser.new_context(accept_downloads=True)
    context.set_default_timeout(PAGE_MS)
    opened = context.new_page()
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        # a failed resource is told by its response below (a refused upload's own 422 page is expected)
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(message.text)

    def on_response(response: Response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            problems.append(f"{response.status} {response.url}")

    opened.on("console", on_console)
    opened.on("pageerror", lambda error: problems.append(str(error)))
    opened.on("response", on_response)
    try:
        yield opened
        assert not problems, problems
    finally:
        context.close()


def _upload(page: Page, base: str, path: Path) -> None:
    page.goto(base + "/")
    form = page.locator('form[action="/plans"]').filter(has=page.locator('input[type="file"]'))
    form.locator('input[type="file"]').set_input_files(path)
    form.locator('button[type="submit"]').click()


def _solve(page: Page, time_limit: int) -> int:
    """On a plan's page: solve; returns the new version's id (the page is the version's)."""
    form = page.locator('form[action$="/solve"]')
    form.locator('input[name="time_limit"]').fill(str(time_limit))
    form.locator('button[type="submit"]').click()
    page.wait_for_url("**/versions/*")
    return int(page.url.split("?")[0].rsplit("/", 1)[1])


def _wait_done(page: Page) -> None:
    """The version page reloads itself when the solve ends; a done solve shows its result."""
    expect(page.locator("#result")).to_be_visible(timeout=SOLVED_MS)
    expect(page.locator("#progress")).to_have_count(0)


def _download(page: Page, link: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.locator(f'#downloads a[href$="/download/{link}"]').click()
    download = info.value
    target = folder / download.suggested_filename
    download.save_as(target)
    return target


def _other_week(day: dt.date) -> dt.date:
    """A working day of the tutorial's September in another ISO week than `day` (no holiday,
    blackout, event or closed room on it)."""
    for candidate in (dt.date(2020, 9, 23), dt.date(2020, 9, 16), dt.date(2020, 9, 8)):
        if candidate.isocalendar()[:2] != day.isocalendar()[:2]:
            return candidate
    raise AssertionError("no other week")


def test_upload_solve_see_pin_resolve_download_restart(server: Server, page: Page, tmp_path: Path) -> None:
    template = tmp_path / "ke_hoach.xlsx"
    write_template(template, load_scenario("tutorial"))

    # upload the Excel template: the plan's page
    _upload(page, server.base, template)
    page.wait_for_url("**/plans/*")
    expect(page.locator("main")).to_contain_text("5 lớp, 2 phòng, 4 giảng viên")

    # solve: live progress, then the result checked, the Gantt and a week grid
    first = _solve(page, 10)
    _wait_done(page)
    expect(page.locator("#check.ok")).to_be_visible()
    bars = page.locator("#gantt a.g-bar")
    expect(bars.first).to_be_visible()
    labels = set(bars.all_inner_texts())
    assert labels == {c.id for c in load_scenario("tutorial").classes}, labels  # every class has its bar
    expect(page.locator("#gantt .g-shade.holiday").first).to_be_attached()

    # a lecturer's week grid (thời khóa biểu), picked from the page's own picker
    picker = page.locator('#week form:has(input[name="kind"][value="lecturer"])')
    picker.locator("select").select_option("gv_binh")
    picker.locator('button[type="submit"]').click()
    expect(page.locator("#week h2")).to_contain_text("gv_binh")
    busy = page.locator("#week table.week td.busy")
    expect(busy.first).to_be_visible()
    assert busy.count() >= 1

    # the solved timetable as the page offers it
    before = Timetable.model_validate(json.loads(_download(page, "timetable", tmp_path).read_text("utf-8")))
    old_day = before.sessions_of("qt_co_quan")[0].date
    target = _other_week(old_day)

    # pin the class to another week: the form shows the class's current start (the page's script)
    page.locator("#pin-class").select_option("qt_co_quan")
    expect(page.locator("#pin-now")).to_have_text(old_day.isoformat())
    expect(page.locator("#pin-starts")).to_have_attribute("placeholder", old_day.isoformat())
    expect(page.locator("#pin-starts")).to_have_value("")  # not pinned yet
    expect(page.locator("#pin-room")).to_have_value("hoi_truong")  # the tutorial pins its room
    page.locator("#pin-starts").fill(target.strftime("%d/%m/%Y"))
    page.locator('#pin-form button[type="submit"]').click()
    page.wait_for_url(lambda url: url.rstrip("/").rsplit("/", 1)[1] != str(first))
    pinned = int(page.url.split("?")[0].rsplit("/", 1)[1])
    _wait_done(page)
    expect(page.locator("#check.ok")).to_be_visible()
    moved = page.locator("#moved tr", has_text="qt_co_quan")
    expect(moved.first).to_contain_text("được ghim")

    # the class is at the pinned week, read from the downloaded files and checked independently
    scenario = parse_scenario_text(_download(page, "scenario", tmp_path).read_text("utf-8"), fmt="yaml")
    after = Timetable.model_validate(json.loads(_download(page, "timetable", tmp_path).read_text("utf-8")))
    assert {s.date for s in after.sessions_of("qt_co_quan")} == {target}
    spec = next(c for c in scenario.classes if c.id == "qt_co_quan")
    assert spec.pinned_starts == [target]
    report = check(scenario, after)
    assert report.ok, [v.message for v in report.violations]

    # pin a lecturer of the class: the form keeps the pinned date and room, lists the class's modules
    # with who teaches them, and offers only lecturers of the module's topic
    now = {s.lecturer_id or "" for s in after.sessions_of("qt_co_quan") if s.module_id == "qt_1"}
    chosen = "gv_binh" if now != {"gv_binh"} else "gv_an"  # both teach nghiquyet (and on Wednesdays)
    page.locator("#pin-class").select_option("qt_co_quan")
    expect(page.locator("#pin-starts")).to_have_value(target.isoformat())
    expect(page.locator("#pin-room")).to_have_value("hoi_truong")
    page.locator("#pin-module").select_option("qt_1")
    expect(page.locator("#pin-module option:checked")).to_contain_text(", ".join(sorted(now)))
    expect(page.locator("#pin-lecturer")).to_have_value("")
    expect(page.locator('#pin-lecturer option[value="kc_dung"]')).to_be_hidden()  # no nghiquyet
    page.locator("#pin-lecturer").select_option(chosen)
    page.locator('#pin-form button[type="submit"]').click()
    page.wait_for_url(lambda url: url.rstrip("/").rsplit("/", 1)[1] != str(pinned))
    _wait_done(page)
    expect(page.locator("#check.ok")).to_be_visible()
    expect(page.locator("#moved tr", has_text="qt_co_quan").first).to_contain_text("được ghim")
    scenario = parse_scenario_text(_download(page, "scenario", tmp_path).read_text("utf-8"), fmt="yaml")
    staffed = Timetable.model_validate(json.loads(_download(page, "timetable", tmp_path).read_text("utf-8")))
    spec = next(c for c in scenario.classes if c.id == "qt_co_quan")
    assert spec.pinned_lecturers == {"qt_1": chosen} and spec.pinned_starts == [target]
    assert {(s.date, s.lecturer_id) for s in staffed.sessions_of("qt_co_quan") if s.module_id == "qt_1"} == {
        (target, chosen)
    }
    report = check(scenario, staffed)
    assert report.ok, [v.message for v in report.violations]

    # the workbook opens in openpyxl
    workbook = openpyxl.load_workbook(_download(page, "xlsx", tmp_path))
    assert len(workbook.sheetnames) >= 5
    cells = {cell for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row}
    assert "qt_co_quan" in cells

    # a restart on the same database keeps both versions and their timetables
    server.stop()
    base = server.start()
    page.goto(f"{base}/plans/1")
    rows = page.locator("table.versions tbody tr")
    expect(rows).to_have_count(3)
    page.goto(f"{base}/versions/{pinned}")
    expect(page.locator("#check.ok")).to_be_visible()
    expect(page.locator("#gantt a.g-bar", has_text="qt_co_quan")).to_be_visible()
    again = Timetable.model_validate(json.loads(_download(page, "timetable", tmp_path).read_text("utf-8")))
    assert again == after


def test_bad_upload_shows_located_errors_and_stores_nothing(server: Server, page: Page, tmp_path: Path) -> None:
    path = tmp_path / "ke_hoach_loi.xlsx"
    write_template(path, load_scenario("tutorial"))
    workbook = openpyxl.load_workbook(path)
    lecturers = workbook["lecturers"]
    column = [column_field(c.value) for c in lecturers[1]].index("can_observe") + 1
    lecturers.cell(row=3, column=column, value="maybe")
    workbook.save(path)

    _upload(page, server.base, path)
    errors = page.locator("#errors")
    expect(errors).to_be_visible()
    row = errors.locator("tbody tr", has_text="can_observe")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(0)).to_have_text("ke_hoach_loi.xlsx")
    expect(row.locator("td").nth(1)).to_have_text("Trang 'lecturers', dòng 3, cột 'can_observe'")
    expect(row.locator("td").nth(2)).to_contain_text("cần giá trị có hoặc không")  # the page's language
    page.goto(server.base + "/")
    expect(page.locator("main")).to_contain_text("Chưa có kế hoạch nào.")
    assert Store(server.db).plans() == []


def test_two_solves_at_once_both_finish(server: Server, page: Page, browser: Browser) -> None:
    page.goto(server.base + "/")
    page.locator('form[action="/plans"]:has(select[name="builtin"]) select').select_option("hoang_mai_2020")
    page.locator('form[action="/plans"]:has(select[name="builtin"]) button').click()
    page.wait_for_url("**/plans/*")
    plan_url = page.url
    other = page.context.new_page()  # a second tab (the same planner, or a colleague's cookies alike)
    other.goto(plan_url)
    ids = [_solve(page, 20), _solve(other, 20)]
    assert ids[0] != ids[1]
    for tab in (page, other):  # each page shows its live progress, then reloads with the result
        expect(tab.locator("#progress")).to_be_attached()
    for tab in (page, other):
        _wait_done(tab)
        expect(tab.locator("#check.ok")).to_be_visible()
        expect(tab.locator("#gantt a.g-bar").first).to_be_visible()
    other.close()
    # they ran together: each started before the other finished (20 s solves, two worker slots)
    first, second = (Store(server.db).version(i) for i in ids)
    assert first is not None and second is not None
    assert first.started and second.started and first.finished and second.finished
    assert first.started < second.finished and second.started < first.finished, (first, second)


def test_replan_form_adds_a_class(server: Server, page: Page) -> None:
    page.goto(server.base + "/")
    builtin = page.locator('form[action="/plans"]:has(select[name="builtin"])')
    builtin.locator("select").select_option("tutorial")
    builtin.locator("button").click()
    page.wait_for_url("**/plans/*")
    first = _solve(page, 10)
    _wait_done(page)

    # the form shows the fields of the chosen kind of change only
    form = page.locator("#replan-form")
    expect(page.locator("#replan-new-id")).to_be_hidden()
    expect(page.locator("#replan-reason")).to_be_visible()
    form.locator("#replan-kind").select_option("add_class")
    expect(page.locator("#replan-new-id")).to_be_visible()
    expect(page.locator("#replan-who")).to_be_hidden()
    expect(page.locator("#replan-reason")).to_be_hidden()
    page.locator("#replan-new-id").fill("qt_bo_sung")
    page.locator("#replan-name").fill("Quán triệt bổ sung")
    page.locator("#replan-program").select_option("quan_triet")
    page.locator("#replan-learners").fill("50")
    page.locator("#replan-start").fill("2020-09-21")
    page.locator("#replan-end").fill("2020-09-30")
    page.locator("#replan-from").fill("2020-09-01")
    form.locator('button[type="submit"]').click()
    page.wait_for_url(lambda url: url.rstrip("/").rsplit("/", 1)[1] != str(first))
    _wait_done(page)
    expect(page.locator("#check.ok")).to_be_visible()
    expect(page.locator("#gantt a.g-bar", has_text="qt_bo_sung")).to_be_visible()
    expect(page.locator("#moved tr", has_text="qt_bo_sung")).to_contain_text("Thêm lớp")


def test_variants_form_solves_and_compares(server: Server, page: Page) -> None:
    page.goto(server.base + "/?lang=en")  # the English switch, remembered in a cookie
    builtin = page.locator('form[action="/plans"]:has(select[name="builtin"])')
    builtin.locator("select").select_option("tutorial")
    builtin.locator("button").click()
    page.wait_for_url("**/plans/*")
    first = _solve(page, 10)
    _wait_done(page)

    page.locator("#variant-name-1").fill("no_months")
    page.locator("#variant-weights-1").fill("preferred_months=0")
    page.locator("#variant-name-2").fill("seed_1")
    page.locator("#variant-seed-2").fill("1")
    page.locator('#variants-form button[type="submit"]').click()
    page.wait_for_url("**/variants?ids=*")
    assert page.url.split("ids=")[1].split(",")[0] == str(first)
    expect(page.locator("#waiting")).to_have_count(0, timeout=SOLVED_MS)  # the page reloads when all are done
    expect(page.locator("#variants thead th")).to_have_count(4)  # the label column and three versions
    expect(page.locator("#variant-name td")).to_have_text(["Solve", "no_months", "seed_1"])
    for cell in page.locator("#variant-own td").all_inner_texts():
        assert cell.isdigit(), cell
    expect(page.locator("#variant-check td")).to_have_text(["yes", "yes", "yes"], ignore_case=True)
