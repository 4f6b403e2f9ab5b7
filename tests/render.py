"""Render printable outputs the way a center would print them: .docx with LibreOffice, HTML with
headless Chromium, PDF pages to PNG with pdfium. Shared by the tests (and used to make docs/ images)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """Headless Chromium with a throw-away profile under `tmp_path`."""
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=10000",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def html_to_pdf(tmp_path: Path, page: Path, pdf: Path) -> Path:
    """Print an HTML page to PDF as Chromium prints it (the page's @page size, no browser header)."""
    run = chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.resolve().as_uri())
    assert pdf.is_file(), run.stderr[-2000:]
    return pdf


def docx_to_pdf(tmp_path: Path, document: Path) -> Path:
    """Convert a .docx to PDF with LibreOffice (headless, a throw-away profile)."""
    assert SOFFICE is not None
    out = tmp_path / "pdf"
    command = [
        SOFFICE,
        "--headless",
        "--norestore",
        f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        str(document),
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    pdf = out / (document.stem + ".pdf")
    assert pdf.is_file(), run.stdout[-2000:] + run.stderr[-2000:]
    return pdf


def pdf_pages(pdf: Path) -> list[tuple[float, float, str]]:
    """Each page's width, height (points) and text."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    pages = []
    for page in document:
        width, height = page.get_size()
        pages.append((width, height, page.get_textpage().get_text_range()))
    return pages


def pdf_page_png(pdf: Path, index: int, png: Path, scale: float = 1.5) -> Path:
    """One page of a PDF as a PNG image."""
    import pypdfium2 as pdfium

    pdfium.PdfDocument(str(pdf))[index].render(scale=scale).to_pil().save(png)
    return png
