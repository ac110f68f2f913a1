"""The inline SVG charts of the web pages. They live in `stridewell.export.svg_charts`, a
pure module the handover PDF draws with too (the handover may not import the web app)."""

from html import escape

from stridewell.export.activity_svg import route_svg, series_svg
from stridewell.export.svg_charts import pain_chart_svg, shoe_bars_svg, weekly_load_svg

__all__ = [
    "pain_chart_svg",
    "route_svg",
    "series_svg",
    "shoe_bars_svg",
    "training_load_svg",
    "weekly_load_svg",
]

NO_RATIO = "No ratio yet."  # in the chart's <desc>, the first thing that says it


def training_load_svg(weeks: list[dict[str, object]], ratio_said: str) -> str:
    """The weekly distance chart of the training page. The page draws no ratio line (the
    ratio is said in words under the chart), so the chart's summary says what the note says
    instead of "No ratio yet."."""
    svg = weekly_load_svg(weeks)
    return svg.replace(NO_RATIO, escape(ratio_said, quote=False), 1)
