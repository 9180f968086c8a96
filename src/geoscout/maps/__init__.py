"""Offline map rendering: a Plotly world/regional point map to PNG and to self-contained HTML, and the
checks a rendered map must pass."""

from geoscout.maps.check import map_problems
from geoscout.maps.render import MapSpec, build_figure, render_png, warm_renderer, write_html, write_png

__all__ = [
    "MapSpec",
    "build_figure",
    "map_problems",
    "render_png",
    "warm_renderer",
    "write_html",
    "write_png",
]
