"""The handover PDF: the summary through a Jinja template (web/templates/handover/) and
WeasyPrint. One A4 page for a typical history, two at most.

WeasyPrint needs Pango from the system (Debian: libpango-1.0-0, libpangoft2-1.0-0; the
Makefile installs them) and is imported on first use: it is slow to import, and only the
PDF needs it.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from stridewell.export.charts import PainPoint, PhaseSpan
from stridewell.export.svg_charts import pain_chart_svg
from stridewell.text import day_words

from .model import HandoverSummary

TEMPLATE = "handover/summary.html"
STYLESHEET = "handover/handover.css"


def templates_dir() -> Path:
    return Path(str(resources.files("stridewell.web") / "templates"))


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir()),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # The web app's date filters ("3 Dec 2026"), whatever the locale.
    env.filters["day_words"] = day_words
    return env


def pain_chart(summary: HandoverSummary) -> str:
    """The journal chart as inline SVG: worst pain per day, plan phases, km per day."""
    points = [PainPoint(day=d.day, worst=d.worst) for d in summary.journal.days]
    phases = [PhaseSpan(phase=p.phase, first=p.first, last=p.last) for p in summary.tried.phases]
    return pain_chart_svg(
        points, phases, summary.training.daily_km, title="Pain journal and running"
    )


def render_html(summary: HandoverSummary, *, inline_css: bool = True) -> str:
    """The handover page as HTML, its stylesheet inline (printable from a browser too)."""
    template = _environment().get_template(TEMPLATE)
    return template.render(s=summary, chart=pain_chart(summary), inline_css=inline_css)


@lru_cache(maxsize=1)
def _weasy() -> tuple[Any, Any]:
    # The stylesheet parsed once and the fonts found once per process: about a fifth of
    # the time of a render otherwise.
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    css = CSS(filename=str(templates_dir() / STYLESHEET), font_config=fonts)
    return fonts, css


def render_pdf(summary: HandoverSummary) -> bytes:
    """The handover as PDF bytes."""
    from weasyprint import HTML

    fonts, css = _weasy()
    html = HTML(string=render_html(summary, inline_css=False), base_url=str(templates_dir()))
    pdf: bytes = html.write_pdf(stylesheets=[css], font_config=fonts)
    return pdf
