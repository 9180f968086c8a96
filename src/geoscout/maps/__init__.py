"""Offline map rendering: a Plotly world/regional point map to PNG and to self-contained HTML."""

from geoscout.maps.render import MapSpec, build_figure, warm_renderer, write_html, write_png

__all__ = ["MapSpec", "build_figure", "warm_renderer", "write_html", "write_png"]
