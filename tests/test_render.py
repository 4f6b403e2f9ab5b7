"""The papers as printed: the annex through LibreOffice and a lecturer's week grid through Chromium,
to PDF and PNG (docs/ shows the images; tests/render.py makes them)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from PIL import Image

from llct_sched.check import check
from llct_sched.reports import ANNEX, TIMETABLES, write_reports
from llct_sched.scenario.loading import load_scenario
from llct_sched.timetable import read_timetable
from render import CHROMIUM, SOFFICE, docx_to_pdf, html_to_pdf, pdf_page_png, pdf_pages

DATA = Path(__file__).parent / "data" / "render"

A4_LANDSCAPE = (841.9, 595.3)  # points


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default plan's papers from one stored timetable (a 5 s, 1-worker solve, accepted by the
    checker): a solve within the test depends on the machine's speed, and so would the page breaks."""
    scenario = load_scenario("hoang_mai_2020")
    timetable = read_timetable(DATA / "timetable.json")
    assert check(scenario, timetable).ok
    out = tmp_path_factory.mktemp("render")
    write_reports(out, scenario, timetable, json.loads((DATA / "summary.json").read_text(encoding="utf-8")))
    return out


def _a4_landscape(width: float, height: float) -> bool:
    return abs(width - A4_LANDSCAPE[0]) < 2 and abs(height - A4_LANDSCAPE[1]) < 2


def _not_blank(png: Path) -> None:
    with Image.open(png) as image:
        rgb = image.convert("RGB")
        colours = rgb.getcolors(maxcolors=1_000_000)
        assert colours is not None and len(colours) > 20, "a blank page?"
        assert max(count for count, _ in colours) < 0.97 * rgb.width * rgb.height


@pytest.mark.skipif(SOFFICE is None, reason="no LibreOffice (apt-get install libreoffice-writer-nogui)")
def test_the_annex_prints_on_a4_landscape_with_page_numbers(tmp_path: Path, reports: Path) -> None:
    pdf = docx_to_pdf(tmp_path, reports / ANNEX)
    pages = pdf_pages(pdf)
    # 48 classes, the long ones in each month they meet: a few pages, not a table three pages wide
    assert 3 <= len(pages) <= 12
    for n, (width, height, text) in enumerate(pages, start=1):
        assert _a4_landscape(width, height), (n, width, height)
        # the PAGE and NUMPAGES fields as LibreOffice computed them
        assert re.search(rf"Trang {n} / {len(pages)}\s*$", text), text[-200:]
        assert "Tên l" in text  # the header row repeated on every page ("Tên lớp")
    assert "llct-sched" not in "".join(text for _, _, text in pages)
    _not_blank(pdf_page_png(pdf, 0, tmp_path / "annex.png"))


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary found (apt-get install chromium)")
def test_a_lecturers_week_grid_prints_on_a4_landscape(tmp_path: Path, reports: Path) -> None:
    page = reports / TIMETABLES / "lecturer_pho_giam_doc.html"
    pdf = html_to_pdf(tmp_path, page, tmp_path / "grid.pdf")
    pages = pdf_pages(pdf)
    weeks = page.read_text(encoding="utf-8").count("<table class='week'>")
    assert weeks > 5 and 1 < len(pages) < weeks  # several weeks a page, no week split (checked below)
    for width, height, text in pages:
        assert _a4_landscape(width, height)
        assert "Tu" in text  # every page starts or holds a week ("Tuần N (...)")
    # the text layer may break a word at a stacked diacritic ("Tu" / "ần 47 (...)" on one rendered line)
    captions = sum(len(re.findall(r"Tu\s*\S*\s*n \d+ \(", text)) for _, _, text in pages)
    assert captions == weeks
    _not_blank(pdf_page_png(pdf, 0, tmp_path / "grid.png"))
