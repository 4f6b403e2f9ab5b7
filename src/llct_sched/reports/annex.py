"""The printable annex (.docx): "Kế hoạch đào tạo, bồi dưỡng chi tiết các lớp", month by month.

The header block follows a Vietnamese party administrative document: on the left the parent
committee and the center (with the plan's number), on the right "ĐẢNG CỘNG SẢN VIỆT NAM" and the
place and date line. Names, number and date are taken from the scenario's title and description
where they can be found (e.g. "Trung tâm Chính trị thị xã Hoàng Mai", "Kế hoạch số 28-KH/TTCT
ngày 06/01/2020"); otherwise the defaults of the built-in plan's labels are used.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell

from llct_sched.files import save_atomic
from llct_sched.reports.data import ReportData
from llct_sched.reports.labels import Labels
from llct_sched.scenario import Scenario

FONT = "Times New Roman"
_UNIT = re.compile(r"Trung tâm\s+Chính trị\s+(thị xã|huyện|thành phố|quận)\s+([^,;—–\-\n(]+)", re.IGNORECASE)
_COMMITTEE = {"thị xã": "THỊ ỦY", "huyện": "HUYỆN ỦY", "thành phố": "THÀNH ỦY", "quận": "QUẬN ỦY"}
_NUMBER = re.compile(r"\bsố\s+(\d+\s*-\s*KH/[A-ZĐ]+)", re.IGNORECASE)
_DATE = re.compile(r"ngày\s+(\d{1,2})/(\d{1,2})/(\d{4})")


@dataclass
class Header:
    committee: str  # e.g. "THỊ ỦY HOÀNG MAI"
    center: str  # "TRUNG TÂM CHÍNH TRỊ"
    place: str  # "Hoàng Mai"
    number: str  # "Số 28-KH/TTCT" or ""
    date: dt.date
    director: str  # the signer's name, or ""


def header_info(scenario: Scenario, lab: Labels) -> Header:
    text = f"{scenario.title}\n{scenario.description}"
    committee, place = lab("annex.left_top"), ""
    unit = _UNIT.search(text)
    if unit:
        level, name = unit.group(1).lower(), unit.group(2).strip()
        place = name
        committee = f"{_COMMITTEE[level]} {name.upper()}"
    elif "HOÀNG MAI" in committee:
        place = "Hoàng Mai"
    number = _NUMBER.search(text)
    day = _DATE.search(text)
    try:
        date = dt.date(int(day.group(3)), int(day.group(2)), int(day.group(1))) if day else scenario.calendar.start
    except ValueError:
        date = scenario.calendar.start
    director = ""
    for lec in scenario.lecturers:
        name, _, role = lec.name.partition("—")
        if role and "giám đốc" in role.lower() and not role.strip().lower().startswith("phó"):
            director = name.strip()
            break
    return Header(
        committee=committee,
        center=lab("annex.left_bottom"),
        place=place or "…",
        number="Số " + re.sub(r"\s+", "", number.group(1)) if number else "",
        date=date,
        director=director,
    )


def _run(paragraph, text: str, *, bold: bool = False, italic: bool = False, size: float = 13, underline=False):
    run = paragraph.add_run(text)
    run.bold = bold
    run.italic = italic
    run.underline = underline
    run.font.size = Pt(size)
    run.font.name = FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return run


def _para(cell_or_doc, text: str = "", *, align=WD_ALIGN_PARAGRAPH.CENTER, space_after: float = 0, **style):
    paragraph = cell_or_doc.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.space_before = Pt(0)
    if text:
        _run(paragraph, text, **style)
    return paragraph


def _cell_text(cell: _Cell, text: str, *, bold: bool = False, size: float = 11, align=WD_ALIGN_PARAGRAPH.LEFT):
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    _run(paragraph, text, bold=bold, size=size)


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row) -> None:
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def build_document(data: ReportData, lab: Labels):
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(1.5)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(12)
    doc.core_properties.title = lab("title.annex", year=data.year)
    doc.core_properties.author = "llct-sched"

    head = header_info(data.scenario, lab)
    block = doc.add_table(rows=1, cols=2)
    _no_borders(block)
    left, right = block.rows[0].cells
    left.width, right.width = Cm(10), Cm(16.7)
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(left.paragraphs[0], head.committee, size=13)
    _para(left, head.center, bold=True)
    _para(left, "*", size=13)
    if head.number:
        _para(left, head.number, size=13)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(right.paragraphs[0], lab("annex.right_top"), bold=True, underline=True, size=14)
    _para(right, "")
    _para(
        right,
        lab("annex.place_date", place=head.place, day=head.date.day, month=head.date.month, year=head.date.year),
        italic=True,
        size=13,
    )

    _para(doc, "", space_after=6)
    _para(doc, lab("title.annex", year=data.year), bold=True, size=14)
    sub = lab("title.annex_sub", plan=head.number.replace("Số ", "số ")) if head.number else ""
    _para(doc, sub or lab("title.annex_sub_plain", year=data.year), italic=True, size=13, space_after=10)

    headers = [
        lab("col.no"),
        lab("col.class"),
        lab("col.bloc"),
        lab("col.learners"),
        lab("col.blocks"),
        lab("col.days"),
        lab("col.room"),
        lab("col.lecturers"),
    ]
    widths = [Cm(1.1), Cm(7.0), Cm(2.6), Cm(1.7), Cm(5.2), Cm(1.4), Cm(3.0), Cm(4.7)]
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(table.rows[0].cells, headers, strict=True):
        _cell_text(cell, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _shade(cell, "D9E2F3")
    _repeat_header(table.rows[0])

    by_month = data.classes_by_month()
    n = 0
    for month in data.months:
        classes = by_month.get(month, [])
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[-1])
        learners = sum(c.learners for c in classes)
        heading = (
            lab("month_heading", n=month, classes=len(classes), learners=learners)
            if classes
            else f"{lab.month(month)}: {lab('no_class_this_month')}"
        )
        _cell_text(merged, heading, bold=True)
        _shade(merged, "FBE4D5")
        for klass in classes:
            n += 1
            program = lab.enum("program_type", klass.program.type)
            bloc = lab.enum("bloc", klass.spec.bloc) if klass.spec.bloc else program
            lecturers = ", ".join(data.lecturer_name(i).split("—")[0].strip() for i in klass.lecturers)
            values = [
                str(n),
                klass.spec.name or klass.spec.id,
                bloc,
                str(klass.learners),
                klass.blocks_text(lab.short_date)
                if len(klass.segments) > 1
                else lab.date_range(klass.start, klass.end),
                str(klass.days),
                ", ".join(data.room_name(r) for r in klass.rooms),
                lecturers or lab("taught_by.external"),
            ]
            cells = table.add_row().cells
            for c, (cell, value) in enumerate(zip(cells, values, strict=True)):
                centered = c in (0, 3, 5)
                _cell_text(
                    cell, value, size=10.5, align=WD_ALIGN_PARAGRAPH.CENTER if centered else WD_ALIGN_PARAGRAPH.LEFT
                )
    total = table.add_row().cells
    label_cell = total[0].merge(total[2])
    _cell_text(
        label_cell,
        lab("annex.total_row", classes=len(data.classes), learners=sum(c.learners for c in data.classes)),
        bold=True,
    )
    _cell_text(total[3], str(sum(c.learners for c in data.classes)), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width

    _para(doc, "", space_after=6)
    sign = doc.add_table(rows=1, cols=2)
    _no_borders(sign)
    sign.rows[0].cells[0].width, sign.rows[0].cells[1].width = Cm(16.7), Cm(10)
    right = sign.rows[0].cells[1]
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(right.paragraphs[0], lab("annex.signature"), bold=True)
    for _ in range(3):
        _para(right, "")
    if head.director:
        _para(right, head.director, bold=True)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    grey = _run(footer, "llct-sched", size=8)
    grey.font.color.rgb = RGBColor(0x99, 0x99, 0x99)
    return doc


def write_annex(path: Path, data: ReportData, lab: Labels) -> None:
    doc = build_document(data, lab)
    save_atomic(path, lambda tmp: doc.save(str(tmp)))
