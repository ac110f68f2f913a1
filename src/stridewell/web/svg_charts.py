"""The inline SVG charts of the web pages. They live in `stridewell.export.svg_charts`, a
pure module the handover PDF draws with too (the handover may not import the web app)."""

from stridewell.export.activity_svg import route_svg, series_svg
from stridewell.export.svg_charts import pain_chart_svg, shoe_bars_svg, weekly_load_svg

__all__ = ["pain_chart_svg", "route_svg", "series_svg", "shoe_bars_svg", "weekly_load_svg"]
