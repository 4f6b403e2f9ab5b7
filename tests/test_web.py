"""The web page (`llct-sched serve`) driven through FastAPI's TestClient: upload, solve in worker
processes with progress and cancel, see the year, pin and re-plan, compare, download, restart.

Solves run in real worker processes (spawned); the tutorial scenario keeps each one to seconds.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
import shutil
import socket
import subprocess
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import httpx
import openpyxl
import pytest
import uvicorn
import yaml
from fastapi.testclient import TestClient
from PIL import Image
from typer.testing import CliRunner

from llct_sched.check import check
from llct_sched.cli import app as cli_app
from llct_sched.errors import ScenarioError
from llct_sched.scenario import Scenario
from llct_sched.scenario.excel import column_field, write_template
from llct_sched.scenario.loading import builtin_scenario_text, load_scenario, scenario_to_data, scenario_to_yaml
from llct_sched.timetable import Timetable
from llct_sched.web import forms
from llct_sched.web.app import create_app
from llct_sched.web.store import Store, Version
from tiny import tiny_data


def _client(db: Path | str, **options: Any) -> TestClient:
    client = TestClient(create_app(db, **options))
    client.get("/")  # sets the form token cookie
    return client


def _csrf(client: TestClient) -> str:
    return str(client.cookies.get("llct_csrf"))


def _store(client: TestClient) -> Store:
    store = client.app.state.store  # type: ignore[attr-defined]
    assert isinstance(store, Store)
    return store


def _upload(client: TestClient, name: str, content: bytes, lang: str = "") -> Any:
    files = {"file": (name, content, "application/octet-stream")}
    url = f"/plans?lang={lang}" if lang else "/plans"
    return client.post(url, data={"csrf": _csrf(client)}, files=files, follow_redirects=False)


def _builtin(client: TestClient, name: str) -> int:
    response = client.post("/plans", data={"csrf": _csrf(client), "builtin": name}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def _solve(client: TestClient, plan_id: int, time_limit: float = 10) -> int:
    form = {"csrf": _csrf(client), "time_limit": str(time_limit), "seed": "0"}
    response = client.post(f"/plans/{plan_id}/solve", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def _wait(client: TestClient, version_id: int, timeout: float = 180) -> Version:
    version = client.app.state.runner.wait(version_id, timeout)  # type: ignore[attr-defined]
    assert version is not None and not version.active, f"version {version_id} still running"
    return version


def _timetable(version: Version) -> Timetable:
    assert version.timetable is not None, version.error
    return Timetable.from_json(version.timetable)


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, int]]:
    """The tutorial uploaded as the Excel template and solved once: (client, version id)."""
    folder = tmp_path_factory.mktemp("web")
    write_template(folder / "tutorial.xlsx", load_scenario("tutorial"))
    client = _client(folder / "plans.db")
    response = _upload(client, "tutorial.xlsx", (folder / "tutorial.xlsx").read_bytes())
    assert response.status_code == 303, response.text
    plan_id = int(response.headers["location"].rsplit("/", 1)[1])
    version_id = _solve(client, plan_id)
    version = _wait(client, version_id)
    assert version.state == "done", version.error
    yield client, version_id


# --- input ------------------------------------------------------------------------------------


def test_uploaded_plan_is_stored_with_its_warnings(solved: tuple[TestClient, int]) -> None:
    client, version_id = solved
    version = _store(client).version(version_id)
    assert version is not None
    page = client.get(f"/plans/{version.plan_id}")
    assert page.status_code == 200
    assert "tutorial" in page.text and "5 lớp, 2 phòng, 4 giảng viên" in page.text


def test_bad_excel_upload_shows_sheet_row_column_and_stores_nothing(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    write_template(path, load_scenario("hoang_mai_2020"))
    wb = openpyxl.load_workbook(path)
    classes = wb["classes"]
    column = [column_field(c.value) for c in classes[1]].index("program") + 1
    classes.cell(row=12, column=column, value="BD9")
    lecturers = wb["lecturers"]
    lecturers.cell(row=4, column=[column_field(c.value) for c in lecturers[1]].index("can_observe") + 1, value="maybe")
    wb.save(path)

    client = _client(tmp_path / "plans.db")
    where = {
        "": "Trang &#39;lecturers&#39;, dòng 4, cột &#39;can_observe&#39;",
        "en": "Sheet &#39;lecturers&#39;, row 4, column &#39;can_observe&#39;",
    }
    for lang, message in (("", "cần giá trị có hoặc không"), ("en", "expected yes or no")):  # the page's language
        response = _upload(client, "kế hoạch.xlsx", path.read_bytes(), lang)
        assert response.status_code == 422
        rows = re.findall(
            r"<tr class=\"error\"><td>(.*?)</td><td><code>(.*?)</code></td><td>(.*?)</td></tr>", response.text
        )
        assert any(row[:2] == ("kế hoạch.xlsx", where[lang]) and row[2].startswith(message) for row in rows), rows
    assert _store(client).plans() == []
    assert "tmp" not in response.text  # the private temporary file's path is not shown


def test_semantic_error_in_workbook_is_located(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    write_template(path, load_scenario("hoang_mai_2020"))
    wb = openpyxl.load_workbook(path)
    classes = wb["classes"]
    classes.cell(row=12, column=[column_field(c.value) for c in classes[1]].index("program") + 1, value="BD9")
    wb.save(path)
    client = _client(tmp_path / "plans.db")
    response = _upload(client, "plan.xlsx", path.read_bytes())
    assert response.status_code == 422
    flat = " ".join(response.text.split())
    assert "Trang &#39;classes&#39;, dòng 12, cột &#39;program&#39;" in flat and "BD9" in flat  # the page's language
    assert _store(client).plans() == []


def test_bad_yaml_upload_shows_paths_and_escapes_text(tmp_path: Path) -> None:
    text = builtin_scenario_text("tutorial").replace("name: tutorial", "name: tutorial\nsurprise: <b>x</b>", 1)
    client = _client(tmp_path / "plans.db")
    response = _upload(client, "<i>plan</i>.yaml", text.encode("utf-8"))
    assert response.status_code == 422
    assert "<code>surprise</code>" in response.text and "khóa không xác định" in response.text
    assert "<i>plan</i>" not in response.text and "&lt;i&gt;plan&lt;/i&gt;.yaml" in response.text
    assert _store(client).plans() == []


def test_an_infeasible_plan_says_why(tmp_path: Path) -> None:
    data = tiny_data()
    data["rooms"][0]["unavailable"] = [{"start": dt.date(2020, 3, 1), "end": dt.date(2020, 3, 31)}]
    client = _client(tmp_path / "plans.db")
    response = _upload(client, "tiny.yaml", scenario_to_yaml(Scenario.model_validate(data)).encode("utf-8"))
    assert response.status_code == 303, response.text
    version = _wait(client, _solve(client, int(response.headers["location"].rsplit("/", 1)[1])))
    assert version.state == "done" and version.timetable is None and version.why
    page = client.get(f"/versions/{version.id}").text
    why = page[page.index('id="why"') :]
    assert "Không thể xếp" in page and "HALL" in why
    assert "các ràng buộc sau không thể cùng thỏa mãn" in why  # the worker spoke the page's language
    assert client.get(f"/versions/{version.id}/download/xlsx").status_code == 409


def test_errors_and_warnings_are_listed_apart(tmp_path: Path) -> None:
    scenario = load_scenario("hoang_mai_2020")
    data = scenario_to_data(scenario)
    data["classes"][3]["program"] = "BD9"
    client = _client(tmp_path / "plans.db")
    response = _upload(client, "plan.json", json.dumps(data).encode("utf-8"))
    assert response.status_code == 422
    errors = response.text[response.text.index('id="errors"') : response.text.index('id="warnings"')]
    warnings = response.text[response.text.index('id="warnings"') :]
    assert "classes[3].program" in errors and "BD9" in errors and "targets" not in errors
    assert "<code>targets" in warnings and "BD9" not in warnings
    assert _store(client).plans() == []


def test_uploads_are_limited_in_size_and_kind(tmp_path: Path) -> None:
    client = _client(tmp_path / "plans.db")
    big = _upload(client, "big.yaml", b"#" * (5 * 1024 * 1024 + 10))
    assert big.status_code == 422 and "5 MB" in big.text
    other = _upload(client, "../../etc/passwd", b"root:x:0:0")
    assert other.status_code == 422 and "cần một tệp .xlsx" in other.text
    other = _upload(client, "../../etc/passwd", b"root:x:0:0", "en")
    assert other.status_code == 422 and "expected a .xlsx" in other.text
    assert "the file is empty" in _upload(client, "plan.yaml", b"", "en").text
    assert "tệp rỗng" in _upload(client, "plan.yaml", b"", "vi").text
    assert _store(client).plans() == []


def test_posts_without_the_form_token_are_refused(tmp_path: Path) -> None:
    client = _client(tmp_path / "plans.db")
    response = client.post("/plans", data={"csrf": "forged", "builtin": "tutorial"}, follow_redirects=False)
    assert response.status_code == 403
    assert _store(client).plans() == []
    assert _builtin(client, "tutorial") == 1  # with the token it works


def test_language_switch(tmp_path: Path) -> None:
    client = _client(tmp_path / "plans.db")
    assert "Lập kế hoạch đào tạo" in client.get("/").text
    assert "Training plan scheduler" in client.get("/?lang=en").text
    assert "Training plan scheduler" in client.get("/").text  # remembered in a cookie
    assert "Lập kế hoạch đào tạo" in client.get("/?lang=vi").text
    page = client.get("/versions/7?kind=room&entity=a%26b").text  # a missing version: the switch keeps the query
    assert 'id="lang-switch" href="/versions/7?kind=room&amp;entity=a%26b&amp;lang=en"' in page


def test_library_messages_in_the_page_language_request_by_request(tmp_path: Path) -> None:
    """Validation messages follow each request's language, also when requests of both languages are
    answered at once by the server's threads (a form handled in the thread pool, an upload in the loop)."""
    from concurrent.futures import ThreadPoolExecutor

    from llct_sched import i18n

    client = _client(tmp_path / "plans.db")
    plan_id = _builtin(client, "tutorial")
    plan = _store(client).plan(plan_id)
    assert plan is not None
    version_id = _store(client).add_version(plan_id, "solve", plan.scenario, {"time_limit": 1.0})  # never solved
    data = load_scenario("tutorial").model_dump(mode="json")
    data["rooms"][0]["seats"] = 0
    bad_yaml = yaml.safe_dump(data, allow_unicode=True).encode("utf-8")
    expected = {
        "vi": ("&#39;31/02/2020&#39; không phải là ngày (dd/mm/yyyy)", "phải lớn hơn 0"),
        "en": ("&#39;31/02/2020&#39; is not a date (dd/mm/yyyy)", "must be greater than 0"),
    }

    def ask(lang: str) -> tuple[str, str, str]:
        form = {"csrf": _csrf(client), "class_id": "qt_co_quan", "starts": "31/02/2020", "room": ""}
        pin = client.post(f"/versions/{version_id}/pin?lang={lang}", data=form)
        upload = _upload(client, "plan.yaml", bad_yaml, lang)
        assert pin.status_code == 422 and upload.status_code == 422
        return lang, pin.text, upload.text

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(ask, ["vi", "en"] * 6))
    for lang, pin, upload in answers:
        other = "en" if lang == "vi" else "vi"
        assert expected[lang][0] in pin and expected[other][0] not in pin, lang
        assert expected[lang][1] in upload and expected[other][1] not in upload, lang
    assert i18n.language() == "en"  # the requests left the process's language alone


def test_token_required_when_configured(tmp_path: Path) -> None:
    client = TestClient(create_app(tmp_path / "plans.db", token="s3cret"))
    assert client.get("/").status_code == 401
    assert client.get("/?token=wrong").status_code == 401
    assert client.get("/?token=s3cret").status_code == 200
    assert client.get("/").status_code == 200  # the cookie carries it from then on


def test_serve_refuses_another_address_without_token() -> None:
    result = CliRunner().invoke(cli_app, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "--token" in result.output


# --- see the year -----------------------------------------------------------------------------


def test_version_page_shows_the_year(solved: tuple[TestClient, int]) -> None:
    client, version_id = solved
    version = _store(client).version(version_id)
    assert version is not None and version.check_report is not None and version.summary is not None
    assert version.check_report["ok"] and version.summary["objective"] == version.check_report["objective"]
    table = _timetable(version)
    page = client.get(f"/versions/{version_id}")
    assert page.status_code == 200
    text = page.text
    bars = re.findall(r'<a class="g-bar (\w+)" style="left:([\d.]+)%;width:([\d.]+)%"[^>]*>([^<]*)</a>', text)
    assert {label for *_, label in bars} == {s.class_id for s in table.sessions}
    qt = next(b for b in bars if b[3] == "qt_co_quan")
    first = table.sessions_of("qt_co_quan")[0].date
    assert float(qt[1]) == pytest.approx((first - dt.date(2020, 9, 1)).days / 30 * 100, abs=0.01)
    assert 'class="g-shade holiday"' in text and "Quốc khánh" in text  # 02/09 shaded
    assert 'class="g-shade limited"' in text and 'class="g-shade closed"' in text
    assert "Thời khóa biểu tuần" in text and "Tải giảng dạy so với định mức" in text
    assert f">{version.check_report['objective']}</td></tr></tbody>" in text.replace("\n", "")


def test_week_grid_of_a_lecturer(solved: tuple[TestClient, int]) -> None:
    client, version_id = solved
    table = _timetable(_store(client).version(version_id))  # type: ignore[arg-type]
    session = next(s for s in table.sessions if s.lecturer_id == "gv_an")
    page = client.get(f"/versions/{version_id}?kind=lecturer&entity=gv_an&week={session.date.isoformat()}")
    grid = page.text[page.text.index('<table class="week">') :]
    grid = grid[: grid.index("</table>")]
    monday = session.date - dt.timedelta(days=session.date.weekday())
    week = [s for s in table.sessions if s.lecturer_id == "gv_an" and 0 <= (s.date - monday).days < 7]
    assert grid.count("<div>") >= len(week) and grid.count("<div>") > 0
    row = re.search(rf"<th>[^<]*{session.date.strftime('%d/%m')}</th>(.*?)</tr>", grid)
    assert row is not None and session.class_id in row.group(1)
    other = page.text.replace(grid, "")
    assert "gv_an" in other  # the picker


def test_unknown_ids_in_links_fall_back_safely(solved: tuple[TestClient, int]) -> None:
    client, version_id = solved
    page = client.get(f"/versions/{version_id}?kind=../../x&entity=<script>&week=nonsense")
    assert page.status_code == 200 and "<script>" not in page.text.split("</head>")[1]
    assert client.get("/versions/9999").status_code == 404
    assert client.get(f"/versions/{version_id}/download/passwd").status_code == 404


def test_downloads_open_in_their_readers(solved: tuple[TestClient, int]) -> None:
    client, version_id = solved
    xlsx = client.get(f"/versions/{version_id}/download/xlsx")
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["content-disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert len(workbook.sheetnames) >= 5
    annex = docx.Document(io.BytesIO(client.get(f"/versions/{version_id}/download/docx").content))
    assert annex.tables
    calendars = zipfile.ZipFile(io.BytesIO(client.get(f"/versions/{version_id}/download/calendars").content))
    names = calendars.namelist()
    assert "calendars/lecturer_gv_an.ics" in names and "calendars/room_hoi_truong.ics" in names
    assert calendars.read("calendars/lecturer_gv_an.ics").startswith(b"BEGIN:VCALENDAR")
    html = client.get(f"/versions/{version_id}/download/html")
    assert html.status_code == 200 and b"<html" in html.content[:500].lower()
    table = Timetable.model_validate(json.loads(client.get(f"/versions/{version_id}/download/timetable").content))
    assert table.sessions
    scenario = client.get(f"/versions/{version_id}/download/scenario").text
    assert "name: tutorial" in scenario


# --- change it, compare -----------------------------------------------------------------------


def test_pin_a_class_to_another_week_and_resolve(solved: tuple[TestClient, int]) -> None:
    client, version_id = solved
    before = _timetable(_store(client).version(version_id))  # type: ignore[arg-type]
    old = before.sessions_of("qt_co_quan")[0].date
    target = dt.date(2020, 9, 23) if old != dt.date(2020, 9, 23) else dt.date(2020, 9, 16)
    form = {"csrf": _csrf(client), "class_id": "qt_co_quan", "starts": target.strftime("%d/%m/%Y"), "room": ""}
    response = client.post(f"/versions/{version_id}/pin", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    new_id = int(response.headers["location"].rsplit("/", 1)[1])
    version = _wait(client, new_id)
    assert version.state == "done" and version.parent_id == version_id, version.error
    assert version.check_report is not None and version.check_report["ok"]
    after = _timetable(version)
    assert {s.date for s in after.sessions_of("qt_co_quan")} == {target}
    assert version.request["baseline"] == version_id  # re-planned from the parent: as little moves as possible
    assert version.moved and "qt_co_quan" in {row["class_id"] for row in version.moved if row["change"] == "moved"}
    page = client.get(f"/versions/{new_id}").text
    moved = page[page.index('id="moved"') :]
    assert "qt_co_quan</td><td>Đổi ngày" in moved[: moved.index("</section>")]
    assert re.search(r"qt_co_quan</td><td>Đổi ngày</td><td>[^<]*</td><td>[^<]*</td><td>được ghim</td>", moved)

    bad = client.post(f"/versions/{version_id}/pin", data=form | {"starts": "31/02/2020"})
    assert bad.status_code == 422 and "31/02/2020" in bad.text


def test_pin_a_lecturer_and_resolve(solved: tuple[TestClient, int]) -> None:
    client, version_id = solved
    before = _timetable(_store(client).version(version_id))  # type: ignore[arg-type]
    now = {s.lecturer_id for s in before.sessions_of("qt_co_quan") if s.module_id == "qt_1"}
    chosen = "gv_binh" if now != {"gv_binh"} else "gv_an"  # both teach the module's topic (nghiquyet)
    page = client.get(f"/versions/{version_id}").text
    form = page[page.index('id="pin-form"') : page.index('id="replan-form"')]
    assert 'name="module"' in form and 'name="lecturer"' in form and f'value="{chosen}"' in form
    fields = {"csrf": _csrf(client), "class_id": "qt_co_quan", "starts": "", "room": "hoi_truong"}
    fields |= {"module": "qt_1", "lecturer": chosen}
    response = client.post(f"/versions/{version_id}/pin", data=fields, follow_redirects=False)
    assert response.status_code == 303, response.text
    version = _wait(client, int(response.headers["location"].rsplit("/", 1)[1]))
    assert version.state == "done" and version.check_report and version.check_report["ok"], version.error
    spec = next(c for c in version.scenario["classes"] if c["id"] == "qt_co_quan")
    assert spec["pinned_lecturers"] == {"qt_1": chosen} and spec["pinned_room"] == "hoi_truong"
    assert {s.lecturer_id for s in _timetable(version).sessions_of("qt_co_quan") if s.module_id == "qt_1"} == {chosen}
    rows = [row for row in version.moved or [] if row["class_id"] == "qt_co_quan"]  # chosen is not in `now`
    assert any(row["change"] == "lecturer" for row in rows), version.moved
    page = client.get(f"/versions/{version.id}").text
    assert re.search(r"qt_co_quan</td><td>Đổi giảng viên</td>(<td>[^<]*</td>){2}<td>được ghim</td>", page)
    assert f"&#34;pinned&#34;: &#34;{chosen}&#34;" in page  # the form shows the pin (JSON escaped in an attribute)

    unable = client.post(f"/versions/{version_id}/pin", data=fields | {"lecturer": "kc_dung"})  # no nghiquyet
    assert unable.status_code == 422
    assert "classes[4].pinned_lecturers.qt_1" in unable.text and "kc_dung" in unable.text
    no_module = client.post(f"/versions/{version_id}/pin", data=fields | {"module": ""})
    assert no_module.status_code == 422 and "<code>module</code>" in no_module.text


def test_replan_after_a_lecturer_is_away(solved: tuple[TestClient, int]) -> None:
    client, version_id = solved
    before = _timetable(_store(client).version(version_id))  # type: ignore[arg-type]
    hit = max((s for s in before.sessions if s.lecturer_id), key=lambda s: s.date)
    # from the year's start: under the frozen-past rule a block not yet started only moves forward,
    # and the year's last session has no later day to go to
    solved_scenario = _store(client).version(version_id).scenario  # type: ignore[union-attr]
    start = str(solved_scenario["calendar"]["start"])
    form = {
        "csrf": _csrf(client),
        "kind": "lecturer_away",
        "who": hit.lecturer_id or "",
        "start": hit.date.isoformat(),
        "end": hit.date.isoformat(),
        "from_date": start,
        "reason": "ốm",
    }
    response = client.post(f"/versions/{version_id}/replan", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    new_id = int(response.headers["location"].rsplit("/", 1)[1])
    version = _wait(client, new_id)
    assert version.state == "done", version.error
    assert version.check_report is not None and version.check_report["ok"]
    after = _timetable(version)
    assert not [s for s in after.sessions if s.lecturer_id == hit.lecturer_id and s.date == hit.date]
    name = next(lec["name"] for lec in solved_scenario["lecturers"] if lec["id"] == hit.lecturer_id)
    assert version.moved and any(name in row["reason"] for row in version.moved if row["class_id"] == hit.class_id)
    assert any(f"{name} vắng" in row["reason"] for row in version.moved)  # the reasons in the page's language
    reasons = " ".join(row["reason"] for row in version.moved)
    assert not re.search(r"\b(away|moved|make room|changes|not forced)\b", reasons), reasons

    unknown = client.post(f"/versions/{version_id}/replan", data=form | {"who": "nobody"})
    assert unknown.status_code == 422 and "nobody" in unknown.text

    assert 'id="change-cost"' in client.get(f"/versions/{new_id}").text
    compare = client.get(f"/compare?a={version_id}&b={new_id}")
    assert compare.status_code == 200
    first = _store(client).version(version_id)
    assert first is not None and first.check_report is not None
    objectives = re.search(
        r'id="plan-objective"><th>[^<]*</th><td>(\d+)</td><td>(\d+)</td><td>(-?\d+)</td>', compare.text
    )
    assert objectives is not None, compare.text
    a, b, delta = (int(x) for x in objectives.groups())
    assert (a, b, delta) == (first.check_report["objective"], version.check_report["objective"], b - a)
    assert f"Phiên bản {version_id}" in compare.text and f"Phiên bản {new_id}" in compare.text
    moved = compare.text[compare.text.index('id="moved"') :]
    assert any(row["class_id"] in moved for row in version.moved)


# --- worker processes: two at once, cancel, restart -------------------------------------------


def test_two_solves_at_once_both_finish(tmp_path: Path) -> None:
    client = _client(tmp_path / "plans.db", max_jobs=2)
    plan_id = _builtin(client, "hoang_mai_2020")
    ids = [_solve(client, plan_id, time_limit=6), _solve(client, plan_id, time_limit=6)]
    together = False
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        states = [client.get(f"/api/versions/{i}").json()["state"] for i in ids]
        together = together or states == ["running", "running"]
        if all(s not in ("queued", "running") for s in states):
            break
        time.sleep(0.2)
    assert together, "the two solves never ran at the same time"
    for version_id in ids:
        version = _wait(client, version_id)
        assert version.state == "done" and version.check_report and version.check_report["ok"], version.error


def test_cancel_keeps_the_best_timetable(tmp_path: Path) -> None:
    client = _client(tmp_path / "plans.db")
    plan_id = _builtin(client, "hoang_mai_2020")
    version_id = _solve(client, plan_id, time_limit=300)
    deadline = time.monotonic() + 60
    while client.get(f"/api/versions/{version_id}").json()["progress"].get("objective") is None:
        assert time.monotonic() < deadline, "no incumbent reported"
        time.sleep(0.2)
    page = client.get(f"/versions/{version_id}").text
    assert 'id="progress"' in page and 'id="cancel"' in page
    stage = client.get(f"/api/versions/{version_id}").json()["stage"]
    assert stage.startswith(("Giai đoạn", "Thời khóa biểu")), stage  # the solver's stage in Vietnamese
    response = client.post(f"/versions/{version_id}/cancel", data={"csrf": _csrf(client)}, follow_redirects=False)
    assert response.status_code == 303
    version = _wait(client, version_id, timeout=60)
    assert version.state == "done", version.error
    assert version.summary is not None and version.summary["interrupted"]
    assert version.summary["wall_time_s"] < 300
    assert version.check_report is not None and version.check_report["ok"]
    assert 'id="interrupted"' in client.get(f"/versions/{version_id}").text


def test_a_restart_keeps_the_versions(solved: tuple[TestClient, int], tmp_path: Path) -> None:
    client, version_id = solved
    store = _store(client)
    version = store.version(version_id)
    assert version is not None
    # a version left running by a server that stopped
    stale = store.add_version(version.plan_id, "solve", version.scenario, version.params)
    stale_en = store.add_version(version.plan_id, "solve", version.scenario, version.params, request={"lang": "en"})
    restarted = _client(store.url)
    again = _store(restarted).version(version_id)
    assert again is not None and again.timetable == version.timetable
    assert restarted.get(f"/versions/{version_id}").status_code == 200
    assert "qt_co_quan" in restarted.get(f"/versions/{version_id}").text
    left = _store(restarted).version(stale)
    assert left is not None and left.state == "failed" and "máy chủ đã dừng" in (left.error or "")
    left = _store(restarted).version(stale_en)  # in the language of the page that asked for the solve
    assert left is not None and left.state == "failed" and "server stopped" in (left.error or "")


def test_solves_on_a_dask_cluster(tmp_path: Path) -> None:
    """`serve --scheduler`: solves go to the Dask cluster (here a local one, its worker a process of
    its own), their incumbent and bound shown live; Cancel there stops waiting and keeps nothing."""
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(processes=True, n_workers=1, threads_per_worker=1, dashboard_address=None) as cluster,
        TestClient(create_app(tmp_path / "plans.db", scheduler=cluster.scheduler_address)) as client,
    ):
        client.get("/")
        plan_id = _builtin(client, "tutorial")
        version_id = _solve(client, plan_id, time_limit=10)
        version = _wait(client, version_id)
        assert version.state == "done", version.error
        assert version.pid is None and version.request.get("cluster") is True  # no local worker process
        assert version.started and version.timetable is not None
        report = check(Scenario.model_validate(version.scenario), _timetable(version))
        assert report.ok and version.check_report is not None and version.check_report["ok"]
        assert version.summary is not None and version.summary["status"] in ("OPTIMAL", "FEASIBLE")

        # a longer solve: its incumbent crosses the cluster while it runs; Cancel keeps no timetable
        long_plan = _builtin(client, "hoang_mai_2020")
        running = _solve(client, long_plan, time_limit=120)
        deadline = time.monotonic() + 90
        while (state := client.get(f"/api/versions/{running}").json())["progress"].get("objective") is None:
            assert state["state"] in ("queued", "running") and time.monotonic() < deadline, state
            time.sleep(0.2)
        assert state["state"] == "running" and state["progress"]["elapsed"] >= 0
        page = client.get(f"/versions/{running}?lang=en").text
        assert 'id="cluster"' in page and "keeps no timetable" in page and 'id="cancel"' in page
        response = client.post(f"/versions/{running}/cancel", data={"csrf": _csrf(client)}, follow_redirects=False)
        assert response.status_code == 303
        cancelled = _wait(client, running, timeout=10)
        assert cancelled.state == "failed" and "Dask" in (cancelled.error or "") and cancelled.timetable is None


def test_an_unreachable_dask_scheduler_fails_the_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("llct_sched.batch.DASK_CONNECT_SECONDS", 2.0)
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with TestClient(create_app(tmp_path / "plans.db", scheduler=f"tcp://127.0.0.1:{port}")) as client:
        client.get("/")
        version = _wait(client, _solve(client, _builtin(client, "tutorial")), timeout=60)
        assert version.state == "failed" and f"127.0.0.1:{port}" in (version.error or ""), version.error
        assert "Dask" in (version.error or "")


# --- a real server in headless Chromium -------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@contextlib.contextmanager
def _server(db: Path) -> Iterator[str]:
    """uvicorn serving the app on a free local port, in a thread."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def _chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
    command += [f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary found (apt-get install chromium)")
def test_pages_render_in_chromium(tmp_path: Path) -> None:
    with _server(tmp_path / "plans.db") as base, httpx.Client(base_url=base) as http:
        http.get("/")
        form = {"csrf": http.cookies["llct_csrf"], "builtin": "tutorial"}
        plan = http.post("/plans", data=form).headers["location"]
        version = http.post(f"{plan}/solve", data={"csrf": form["csrf"], "time_limit": "10"}).headers["location"]
        deadline = time.monotonic() + 120
        while http.get(f"/api{version}").json()["state"] in ("queued", "running"):
            assert time.monotonic() < deadline
            time.sleep(0.3)
        dom = _chromium(tmp_path / "profile", "--dump-dom", f"{base}{version}?lang=en")
        shot = tmp_path / "version.png"
        run = _chromium(tmp_path / "profile", "--window-size=1400,1800", f"--screenshot={shot}", f"{base}{version}")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert dom.stdout.count('class="g-bar ') >= 5  # one bar per class at least
    assert "Classes by room and month" in dom.stdout and "Week timetable" in dom.stdout
    console = [line for line in dom.stderr.splitlines() if ":CONSOLE" in line]
    assert not [line for line in console if any(w in line for w in ("violates", "blocked", "Uncaught"))], console
    assert shot.is_file(), run.stderr[-2000:]
    with Image.open(shot) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 50, "a blank page?"


def test_replan_after_a_class_is_cancelled(solved: tuple[TestClient, int]) -> None:
    client, version_id = solved
    form = {"csrf": _csrf(client), "kind": "cancel_class", "who": "qt_co_quan", "reason": "không đủ học viên"}
    # asked for on the English page: the worker gives the reasons in English
    response = client.post(f"/versions/{version_id}/replan?lang=en", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    version = _wait(client, int(response.headers["location"].rsplit("/", 1)[1]))
    assert version.state == "done" and version.check_report and version.check_report["ok"], version.error
    assert "qt_co_quan" not in {s.class_id for s in _timetable(version).sessions}
    assert {"class_id": "qt_co_quan", "change": "cancelled"}.items() <= version.moved[0].items()  # type: ignore[index]
    assert version.moved[0]["reason"] == "cancelled by the changes"  # type: ignore[index]
    assert version.request["lang"] == "en"
    client.get("/?lang=vi")  # the page back in Vietnamese (the language is remembered in a cookie)


def test_replan_after_a_class_is_added(solved: tuple[TestClient, int]) -> None:
    client, version_id = solved
    form = {
        "csrf": _csrf(client),
        "kind": "add_class",
        "who": "qt_co_quan",  # the lecturer/room/class field is not read for a new class
        "new_class": "qt_bo_sung",
        "name": "Quán triệt bổ sung",
        "program": "quan_triet",
        "bloc": "doan_the",
        "learners": "50",
        "start": "2020-09-21",
        "end": "2020-09-30",
        "from_date": "2020-09-01",
    }
    response = client.post(f"/versions/{version_id}/replan", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    version = _wait(client, int(response.headers["location"].rsplit("/", 1)[1]))
    assert version.state == "done" and version.check_report and version.check_report["ok"], version.error
    days = {s.date for s in _timetable(version).sessions_of("qt_bo_sung")}
    assert days and all(dt.date(2020, 9, 21) <= d <= dt.date(2020, 9, 30) for d in days)
    added = next(c for c in version.scenario["classes"] if c["id"] == "qt_bo_sung")
    assert added["learners"] == 50 and added["bloc"] == "doan_the" and added["name"] == "Quán triệt bổ sung"
    assert any(row["class_id"] == "qt_bo_sung" and row["change"] == "added" for row in version.moved or [])
    page = client.get(f"/versions/{version.id}").text
    assert re.search(r"qt_bo_sung</td><td>Thêm lớp</td>", page)

    again = client.post(f"/versions/{version_id}/replan", data=form | {"new_class": "qt_co_quan"})  # not new
    assert again.status_code == 422 and "qt_co_quan" in again.text
    no_learners = client.post(f"/versions/{version_id}/replan", data=form | {"learners": "many"})
    assert no_learners.status_code == 422 and "<code>learners</code>" in no_learners.text


def test_replan_after_learners_change(solved: tuple[TestClient, int]) -> None:
    client, version_id = solved
    before = _timetable(_store(client).version(version_id))  # type: ignore[arg-type]
    form = {"csrf": _csrf(client), "kind": "learners", "who": "dvm_phuong_a", "learners": "100"}
    form |= {"from_date": "2020-09-01"}
    response = client.post(f"/versions/{version_id}/replan", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    version = _wait(client, int(response.headers["location"].rsplit("/", 1)[1]))
    assert version.state == "done" and version.check_report and version.check_report["ok"], version.error
    spec = next(c for c in version.scenario["classes"] if c["id"] == "dvm_phuong_a")
    assert spec["learners"] == 100
    # 100 learners fit only the hall (150 seats; the classroom has 60)
    assert {s.room_id for s in _timetable(version).sessions_of("dvm_phuong_a")} == {"hoi_truong"}
    if {s.room_id for s in before.sessions_of("dvm_phuong_a")} != {"hoi_truong"}:
        assert any(row["class_id"] == "dvm_phuong_a" for row in version.moved or []), version.moved
    cohort = client.post(f"/versions/{version_id}/replan", data=form | {"who": "sc_lop_1"})  # a cohort's class
    assert cohort.status_code == 422 and "sc_lop_1" in cohort.text


def _cells(page: str, row: str) -> list[str]:
    match = re.search(rf'<tr id="{row}"><th>[^<]*</th>(.*?)</tr>', page)
    assert match is not None, row
    return re.findall(r"<td[^>]*>(.*?)</td>", match.group(1))


def test_what_if_variants_side_by_side(solved: tuple[TestClient, int]) -> None:
    client, version_id = solved
    form = {"csrf": _csrf(client), "time_limit": "10"}
    form |= {"name_1": "no_months", "weights_1": "preferred_months=0", "seed_1": "0"}
    form |= {"name_2": "seed_1", "weights_2": "", "seed_2": "1"}
    response = client.post(f"/versions/{version_id}/variants", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    ids = [int(i) for i in location.split("ids=")[1].split(",")]
    assert ids[0] == version_id and len(ids) == 3
    versions = [_wait(client, i) for i in ids[1:]]
    assert all(v.state == "done" and v.kind == "variant" and v.parent_id == version_id for v in versions)
    assert versions[0].scenario["weights"]["preferred_months"] == 0 and versions[1].params["seed"] == 1
    page = client.get(location).text
    assert 'id="waiting"' not in page
    assert _cells(page, "variant-name")[1:] == ["no_months", "seed_1"]
    own = [int(x) for x in _cells(page, "variant-own")]
    priced = [int(x) for x in _cells(page, "variant-base-objective")]
    assert own == [v.check_report["objective"] for v in [_store(client).version(version_id), *versions]]  # type: ignore[union-attr,index]
    assert priced[0] == own[0] and priced[2] == own[2]  # the same weights: the same price
    # only preferred_months differs: the variant's own price lacks exactly that goal's base cost
    base_scenario = Scenario.model_validate(_store(client).version(version_id).scenario)  # type: ignore[union-attr]
    report = check(base_scenario, _timetable(versions[0]))
    assert own[1] == priced[1] - report.breakdown["preferred_months"] and priced[1] == report.objective
    assert versions[0].request["priced"]["breakdown"] == report.breakdown  # priced once, by the worker

    bad = client.post(f"/versions/{version_id}/variants", data=form | {"weights_1": "nonsense=3"})
    assert bad.status_code == 422 and "weights_1.nonsense" in bad.text
    typo = client.post(f"/versions/{version_id}/variants", data=form | {"weights_2": "preferred_months 3"})
    assert typo.status_code == 422 and "<code>weights_2</code>" in typo.text
    empty = {"csrf": _csrf(client), "time_limit": "10"}
    assert client.post(f"/versions/{version_id}/variants", data=empty).status_code == 422
    assert client.get("/variants?ids=1,x").status_code == 404 and client.get("/variants?ids=99999").status_code == 404


def test_form_fields_become_changes() -> None:
    assert forms.parse_date("28/03/2020", "x") == dt.date(2020, 3, 28) == forms.parse_date(" 2020-03-28", "x")
    away = forms.change("lecturer_away", " gv_an ", "2020-09-10", "", "ốm")
    assert away == {"lecturer_away": {"start": "2020-09-10", "end": "2020-09-10", "lecturer": "gv_an", "reason": "ốm"}}
    closed = forms.change("room_closed", "phong_hoc", "01/09/2020", "03/09/2020", "")
    assert closed["room_closed"]["room"] == "phong_hoc" and closed["room_closed"]["end"] == "2020-09-03"
    assert forms.change("blackout", "", "2020-09-15", "2020-09-16", "bão")["blackout"]["name"] == "bão"
    assert forms.change("learners", " dvm_xa ", "", "", "", learners=" 95") == {
        "learners": {"class_id": "dvm_xa", "learners": 95}
    }
    added = forms.change("add_class", "bo_sung", "01/07/2020", "", "", "60", "bd_dvm", "Lớp bổ sung", "dang")
    assert added == {
        "add_class": {
            "id": "bo_sung",
            "program": "bd_dvm",
            "learners": 60,
            "name": "Lớp bổ sung",
            "bloc": "dang",
            "earliest_start": "2020-07-01",
        }
    }
    for bad in ("0", "-3", "", "x"):
        with pytest.raises(ScenarioError):
            forms.change("learners", "dvm_xa", "", "", "", learners=bad)
    for kind, start, end in (
        ("flood", "2020-09-01", ""),
        ("blackout", "2020-09-05", "2020-09-01"),
        ("blackout", "x", ""),
    ):
        with pytest.raises(ScenarioError):
            forms.change(kind, "", start, end, "")
    scenario = scenario_to_data(load_scenario("tutorial"))
    pinned = forms.pinned(scenario, "qt_co_quan", "2020-09-23", "hoi_truong")
    spec = next(c for c in pinned["classes"] if c["id"] == "qt_co_quan")
    assert spec["pinned_starts"] == ["2020-09-23"] and spec["pinned_room"] == "hoi_truong"
    unpinned = next(c for c in forms.pinned(pinned, "qt_co_quan", "", "")["classes"] if c["id"] == "qt_co_quan")
    assert "pinned_starts" not in unpinned and "pinned_room" not in unpinned
    both = forms.pinned(scenario, "qt_co_quan", "", "", "qt_1", "gv_an")
    both = forms.pinned(both, "qt_co_quan", "", "", "qt_2", "gv_binh")
    spec = next(c for c in both["classes"] if c["id"] == "qt_co_quan")
    assert spec["pinned_lecturers"] == {"qt_1": "gv_an", "qt_2": "gv_binh"}  # other modules' pins kept
    one = next(c for c in forms.pinned(both, "qt_co_quan", "", "", "qt_1", "")["classes"] if c["id"] == "qt_co_quan")
    assert one["pinned_lecturers"] == {"qt_2": "gv_binh"}
    none = forms.pinned(forms.pinned(both, "qt_co_quan", "", "", "qt_1", ""), "qt_co_quan", "", "", "qt_2", "")
    assert "pinned_lecturers" not in next(c for c in none["classes"] if c["id"] == "qt_co_quan")
    with pytest.raises(ScenarioError):
        forms.pinned(scenario, "qt_co_quan", "", "", "", "gv_an")  # a lecturer without a module
    assert scenario == scenario_to_data(load_scenario("tutorial"))  # the input is not changed in place
