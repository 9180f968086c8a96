"""Checks a rendered map must pass: a real PNG of the asked size, one marker per row, and markers that
show (the picture differs from the same map with its markers taken away)."""

from __future__ import annotations

import io

import numpy as np
import plotly.graph_objects as go

from geoscout.maps.render import render_png

MIN_CHANGED_PIXELS = 50  # fewer than this many pixels differ from the bare base map: nothing shows


def markers(figure: go.Figure) -> int:
    """How many places the figure marks: points, or shaded countries (legends are shapes and annotations)."""
    points = sum(len(t.lat) for t in figure.data if isinstance(t, go.Scattergeo) and t.lat is not None)
    return points + sum(len(t.locations) for t in figure.data if isinstance(t, go.Choropleth))


def map_problems(figure: go.Figure, png: bytes, rows: int, width: int = 1400, height: int = 800) -> list[str]:
    """What is wrong with a rendered map, in one line each; [] when it is right."""
    from PIL import Image, ImageChops, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(png)).convert("RGB")
    except (UnidentifiedImageError, OSError):
        return ["saved_map.png is not a PNG image"]
    problems = []
    if image.size != (width, height):
        problems.append(f"saved_map.png is {image.size[0]}x{image.size[1]}, not {width}x{height}")
    if markers(figure) != rows:
        problems.append(f"the map marks {markers(figure)} places for {rows} rows with coordinates")
    bare = go.Figure(figure)
    bare.data = []
    base = Image.open(io.BytesIO(render_png(bare, width, height))).convert("RGB").resize(image.size)
    changed = int((np.asarray(ImageChops.difference(image, base)).max(axis=2) > 40).sum())
    if changed < MIN_CHANGED_PIXELS:
        problems.append("saved_map.png shows no markers: it is the bare base map")
    return problems
