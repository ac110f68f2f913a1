"""The handover PDF: every dev vignette renders on at most two A4 pages whose text
(poppler's pdftotext) holds the level, the leading causes and the warning signs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from handover_cases import QUESTIONS, dev_cases, dev_summary, summary_for

from stridewell.handover import HandoverSummary, render_html, render_pdf
from stridewell.text import day_words

CASES = dev_cases()
IDS = [c["id"] for c in CASES]
POPPLER = "Debian's poppler-utils (make unit installs it)"


def _summary(case_id: str) -> HandoverSummary:
    return dev_summary(case_id)


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path is not None, f"{name} is missing: install {POPPLER}"
    return path


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "handover.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([_tool("pdftotext"), str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("case_id", IDS)
def test_pdf_fits_two_pages_and_names_level_causes_and_warning_signs(
    case_id: str, tmp_path: Path
) -> None:
    summary = _summary(case_id)
    pdf = render_pdf(summary)
    assert pdf.startswith(b"%PDF-")
    text = _pdf_text(pdf, tmp_path)
    pages = text.count("\f")
    assert 1 <= pages <= 2
    said = _words(text)
    assert _words(summary.level_words) in said
    assert day_words(summary.assessed_at) in said
    for cause in summary.causes[:3]:
        assert _words(cause.name) in said
    for sign in summary.warning_signs:
        assert _words(sign.name) in said
    assert "not a diagnosis" in said


def test_pdf_holds_the_runners_questions_shoes_and_training(tmp_path: Path) -> None:
    summary = _summary("dev-plantar-fasciitis-classic")
    said = _words(_pdf_text(render_pdf(summary), tmp_path))
    for question in QUESTIONS:
        assert question in said
    assert "Brooks Ghost 15" in said and "check" in said
    assert "Single-run spike" in said
    assert "Exercises done on" in said


def test_first_page_renders_to_a_png_image(tmp_path: Path) -> None:
    pdf = tmp_path / "handover.pdf"
    pdf.write_bytes(render_pdf(_summary("dev-plantar-fasciitis-classic")))
    subprocess.run(
        [_tool("pdftoppm"), "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
         str(pdf), str(tmp_path / "page")],
        check=True,
    )  # fmt: skip
    png = (tmp_path / "page.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(png[16:20], "big")
    height = int.from_bytes(png[20:24], "big")
    # A4 (210 x 297 mm) at 60 dpi: about 496 x 702 pixels.
    assert abs(width - 496) <= 1 and abs(height - 702) <= 1


def test_the_runners_own_words_are_escaped_in_the_page() -> None:
    case = next(c for c in CASES if c["id"] == "dev-heel-fat-pad")
    summary = summary_for(case).model_copy(update={"questions": ["<b>is it bad?</b> & why"]})
    html = render_html(summary)
    assert "&lt;b&gt;is it bad?&lt;/b&gt; &amp; why" in html
    assert "<b>is it bad?" not in html


def test_the_journal_chart_is_drawn_inline_from_the_pain_scores() -> None:
    summary = _summary("dev-plantar-fasciitis-classic")
    html = render_html(summary)
    assert html.count('class="sw-pain-point"') == len(summary.journal.days)
    assert 'data-phase="protect"' in html
