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
from docx.shared import Cm, Pt
from docx.table import _Cell

from llct_sched import i18n
from llct_sched.files import save_atomic
from llct_sched.reports.data import ClassRow, ReportData
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
    table._tbl.tblPr.insert_element_before(borders, *_TBL_PR_AFTER_W[4:])


ANNEX_COLUMNS = (  # (label key, width in cm): 26.7 cm, the width of A4 landscape inside 1.5 cm margins
    ("col.no", 1.0),
    ("col.class", 5.6),
    ("col.bloc", 2.6),
    ("col.learners", 1.5),
    ("col.dates", 4.6),
    ("col.days", 1.3),
    ("col.room", 2.6),
    ("col.lecturers", 4.5),
    ("col.note", 3.0),
)
# the children of <w:tblPr> that follow <w:tblW> (the schema fixes their order)
_TBL_PR_AFTER_W = (
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
    "w:tblPrChange",
)
TABLE_SLOT = "{{table}}"  # the paragraph of a template where the class table goes


def _set_grid(table, widths_cm: list[float]) -> None:
    """A real table grid: tblGrid column widths, fixed layout and the table's width, cell widths too."""
    tbl = table._tbl
    grid = tbl.tblGrid
    for col in list(grid):
        grid.remove(col)
    for width in widths_cm:
        col = OxmlElement("w:gridCol")
        col.set(qn("w:w"), str(round(Cm(width).twips)))
        grid.append(col)
    table.autofit = False  # <w:tblLayout w:type="fixed"/>
    tbl_pr = tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.insert_element_before(tbl_w, *_TBL_PR_AFTER_W)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(round(Cm(sum(widths_cm)).twips)))
    for tr in tbl.tr_lst:
        for tc in tr.tc_lst:
            start = tc.grid_offset
            _Cell(tc, table).width = Cm(sum(widths_cm[start : start + tc.grid_span]))


def _cant_split(row) -> None:
    flag = OxmlElement("w:cantSplit")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _field(paragraph, instruction: str, size: float = 10) -> None:
    """A Word field (PAGE, NUMPAGES) that the reader computes when the page is laid out."""
    for kind, text in (("begin", None), (None, f" {instruction} "), ("separate", None), (None, "1"), ("end", None)):
        run = _run(paragraph, "", size=size)
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
        elif text == "1":
            run.text = "1"
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)


def page_number_footer(section, lab: Labels) -> None:
    """'Trang N / M' centred in the footer, with PAGE and NUMPAGES fields."""
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, _, rest = lab("annex.page").partition("{page}")
    middle, _, after = rest.partition("{pages}")
    _run(footer, before, size=10)
    _field(footer, "PAGE")
    _run(footer, middle, size=10)
    _field(footer, "NUMPAGES")
    if after:
        _run(footer, after, size=10)


def _header_block(doc, head: Header, lab: Labels) -> None:
    block = doc.add_table(rows=1, cols=2)
    _no_borders(block)
    _set_grid(block, [10.0, 16.7])
    left, right = block.rows[0].cells
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(left.paragraphs[0], head.committee, size=13)
    _para(left, head.center, bold=True)
    _para(left, "*", size=13)
    if head.number:
        _para(left, head.number, size=13)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(right.paragraphs[0], lab("annex.right_top"), bold=True, underline=True, size=14)
    _para(right, "")
    _para(right, _place_date(head, lab), italic=True, size=13)


def _place_date(head: Header, lab: Labels) -> str:
    return lab("annex.place_date", place=head.place, day=head.date.day, month=head.date.month, year=head.date.year)


def _subtitle(head: Header, data: ReportData, lab: Labels) -> str:
    """'(Kèm theo Kế hoạch số 28-KH/TTCT ngày 06/01/2020 ...)' or the plain form without a number."""
    if head.number:
        return lab("title.annex_sub", plan=head.number.replace("Số ", "số "), date=lab.date(head.date))
    return lab("title.annex_sub_plain", year=data.year)


def _class_table(doc, data: ReportData, lab: Labels):
    headers = [lab(key) for key, _ in ANNEX_COLUMNS]
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(table.rows[0].cells, headers, strict=True):
        _cell_text(cell, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _shade(cell, "D9E2F3")
    _repeat_header(table.rows[0])

    by_month = data.classes_by_month()
    number = data.class_number()
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
        _keep_with_next(merged)
        for klass in classes:
            program = lab.enum("program_type", klass.program.type)
            bloc = lab.enum("bloc", klass.spec.bloc) if klass.spec.bloc else program
            lecturers = ", ".join(data.lecturer_name(i).split("—")[0].strip() for i in klass.lecturers)
            values = [
                str(number[klass.spec.id]),
                klass.spec.name or klass.spec.id,
                bloc,
                str(klass.learners),
                klass.blocks_text(lab.short_date, month)
                if len(klass.segments) > 1
                else lab.date_range(klass.start, klass.end),
                str(klass.days_in(month)),
                ", ".join(data.room_name(r) for r in klass.rooms),
                lecturers or lab("taught_by.external"),
                _month_note(klass, month, lab),
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
        _cant_split(row)
    _set_grid(table, [width for _, width in ANNEX_COLUMNS])
    return table


def _month_note(klass: ClassRow, month: int, lab: Labels) -> str:
    """A class of several months: its months where it starts, 'continued' in the later ones."""
    if len(klass.months) < 2:
        return ""
    if month == klass.months[0]:
        return lab("note.months", first=klass.months[0], last=klass.months[-1], days=klass.days)
    return lab("note.continued", date=lab.short_date(klass.start))


def _keep_with_next(cell: _Cell) -> None:
    for paragraph in cell.paragraphs:
        paragraph.paragraph_format.keep_with_next = True


def _signature(doc, head: Header, lab: Labels) -> None:
    sign = doc.add_table(rows=1, cols=2)
    _no_borders(sign)
    _set_grid(sign, [16.7, 10.0])
    right = sign.rows[0].cells[1]
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(right.paragraphs[0], lab("annex.signature"), bold=True)
    for _ in range(3):
        _para(right, "")
    if head.director:
        _para(right, head.director, bold=True)


def _new_document(data: ReportData, lab: Labels):
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(1.5)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(12)
    return doc


def _fill_placeholders(doc, values: dict[str, str]) -> None:
    """Replace {{name}} in the template's paragraphs (body, tables, headers, footers) by plain text."""
    paragraphs = list(_all_paragraphs(doc))
    for paragraph in paragraphs:
        text = paragraph.text
        if "{{" not in text:
            continue
        for name, value in values.items():
            text = text.replace("{{" + name + "}}", value)
        runs = paragraph.runs
        if runs:
            runs[0].text = text
            for run in runs[1:]:
                run._element.getparent().remove(run._element)


def _all_paragraphs(doc):
    def walk(container):
        yield from container.paragraphs
        for table in getattr(container, "tables", []):
            for row in table.rows:
                for cell in row.cells:
                    yield from walk(cell)

    yield from walk(doc)
    for section in doc.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            if not part.is_linked_to_previous:
                yield from walk(part)


def _footer_empty(section) -> bool:
    xml = section.footer._element.xml if not section.footer.is_linked_to_previous else ""
    has_text = any(p.text.strip() for p in section.footer.paragraphs)
    return "fldChar" not in xml and "fldSimple" not in xml and not has_text


class AnnexTemplateError(ValueError):
    """The --annex-template file is not a Word document."""


def open_template(path: Path):
    """The center's own template (.docx); AnnexTemplateError when it cannot be read as one."""
    try:
        return Document(str(path))
    except Exception as error:  # python-docx raises several kinds on a file that is not a .docx
        message = i18n._("not a Word (.docx) document: {error}").format(error=type(error).__name__)
        raise AnnexTemplateError(message) from error


def build_document(data: ReportData, lab: Labels, template: Path | None = None):
    """The annex; with `template`, the center's .docx: its letterhead, styles, page setup and footer are kept.

    A template may hold placeholders {{committee}}, {{center}}, {{number}}, {{place_date}}, {{title}},
    {{subtitle}}, {{year}}, {{signer}} and a paragraph {{table}} where the class table goes; without
    {{table}} the default header block, headings, table and signature are added after its content.
    """
    doc = open_template(template) if template is not None else _new_document(data, lab)
    doc.core_properties.title = lab("title.annex", year=data.year)
    doc.core_properties.author = ""
    head = header_info(data.scenario, lab)
    values = {
        "committee": head.committee,
        "center": head.center,
        "number": head.number,
        "place_date": _place_date(head, lab),
        "title": lab("title.annex", year=data.year),
        "subtitle": _subtitle(head, data, lab),
        "year": str(data.year),
        "signer": head.director,
    }
    slot = next((p for p in doc.paragraphs if p.text.strip() == TABLE_SLOT), None)
    if slot is not None:
        _fill_placeholders(doc, values)
        table = _class_table(doc, data, lab)
        slot._p.addnext(table._tbl)
        slot._p.getparent().remove(slot._p)
    else:
        _header_block(doc, head, lab)
        _para(doc, "", space_after=6)
        _para(doc, lab("annex.appendix"), bold=True, size=14)
        _para(doc, values["title"], bold=True, size=14)
        _para(doc, values["subtitle"], italic=True, size=13, space_after=10)
        _class_table(doc, data, lab)
        _para(doc, "", space_after=6)
        _signature(doc, head, lab)
    for section in doc.sections:
        if _footer_empty(section):
            page_number_footer(section, lab)
    return doc


def write_annex(path: Path, data: ReportData, lab: Labels, template: Path | None = None) -> None:
    doc = build_document(data, lab, template)
    save_atomic(path, lambda tmp: doc.save(str(tmp)))
