"""geoscout.maps: offline PNG/HTML rendering. No network: the base map comes from the vendored topojson.

The PNG tests start a real headless Chromium (via kaleido), so they take a few seconds.
"""

from __future__ import annotations

import io
import os
import re
import time
import uuid
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image

from geoscout.maps import MapSpec, build_figure, render, warm_renderer, write_html, write_png

W, H = 900, 520

# Made-up places and values, for tests only.
PLACES = pd.DataFrame(
    {
        "name": ["Alphaville", "Betatown", "Gammaport"],
        "latitude": [45.0, -20.0, 10.0],
        "longitude": [-100.0, 30.0, 120.0],
        "population": [4_000_000, 250_000, 1_000_000],
        "dec_temp": [-8.0, 24.5, 27.0],
    }
)
SPEC = MapSpec(
    title="Test map",
    size_column="population",
    color_column="dec_temp",
    color_label="December mean temp (°C)",
    size_label="Population",
    source_note="Sources: made-up test data",
)


def _hex_rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _chromium_pids_with(marker: str) -> list[int]:
    """Live processes whose environment carries our marker: the Chromium we started, and nothing else."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes():
                pids.append(int(entry.name))
        except OSError:  # gone, zombie or not ours
            continue
    return pids


@pytest.fixture(scope="module")
def pngs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Image.Image]:
    """Render the map and its bare base map (traces hidden) with one warm Chromium."""
    out = tmp_path_factory.mktemp("png")
    fig = build_figure(PLACES, SPEC)
    base = go.Figure(fig)
    base.update_traces(visible=False)
    with warm_renderer():
        write_png(fig, out / "map.png", width=W, height=H)
        write_png(base, out / "base.png", width=W, height=H)
    images = {}
    for name in ("map", "base"):
        data = (out / f"{name}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        images[name] = Image.open(io.BytesIO(data)).convert("RGB")
    return images


def test_png_has_requested_size(pngs: dict[str, Image.Image]) -> None:
    assert pngs["map"].size == (W, H)
    assert pngs["base"].size == (W, H)


def test_png_base_map_is_drawn(pngs: dict[str, Image.Image]) -> None:
    # Without the topojson the geo subplot is empty: no land, no ocean colour.
    img = pngs["base"]
    colors = img.getcolors(maxcolors=W * H)
    counts = {rgb: n for n, rgb in colors}
    total = W * H
    assert counts.get(_hex_rgb(render.OCEAN_COLOR), 0) > 0.10 * total
    assert counts.get(_hex_rgb(render.LAND_COLOR), 0) > 0.05 * total


def test_png_markers_are_drawn(pngs: dict[str, Image.Image]) -> None:
    # Compare only the map area (left of the legend margin), so the colour bar alone can't pass this.
    map_w = W - render._LEGEND_MARGIN_R
    a = pngs["map"].crop((0, 0, map_w, H)).tobytes()
    b = pngs["base"].crop((0, 0, map_w, H)).tobytes()
    differing = sum(1 for i in range(0, len(a), 3) if a[i : i + 3] != b[i : i + 3])
    assert differing > 1500, differing  # three markers of 10-44 px plus their labels


def test_write_png_cold_works_and_leaves_no_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = f"GEOSCOUT_TEST_{uuid.uuid4().hex}"
    monkeypatch.setenv(marker, "1")  # inherited by the Chromium kaleido launches
    target = tmp_path / "cold.png"
    target.write_bytes(b"old content")  # replaced atomically
    write_png(build_figure(PLACES, SPEC), target, width=400, height=300)
    assert Image.open(target).size == (400, 300)
    assert [p.name for p in tmp_path.iterdir()] == ["cold.png"]  # no temp file left behind
    deadline = time.monotonic() + 10
    while _chromium_pids_with(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _chromium_pids_with(marker) == []


def test_warm_renderer_stops_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = f"GEOSCOUT_TEST_{uuid.uuid4().hex}"
    monkeypatch.setenv(marker, "1")
    with warm_renderer():
        with warm_renderer():  # re-entrant: the inner block must not stop the shared browser
            write_png(build_figure(PLACES, SPEC), tmp_path / "a.png", width=300, height=200)
        assert _chromium_pids_with(marker), "Chromium should still be warm inside the outer block"
        write_png(build_figure(PLACES, SPEC), tmp_path / "b.png", width=300, height=200)
    deadline = time.monotonic() + 10
    while _chromium_pids_with(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _chromium_pids_with(marker) == []
    assert render._warm is None


def test_html_is_self_contained(tmp_path: Path) -> None:
    path = tmp_path / "map.html"
    write_html(build_figure(PLACES, SPEC), path)
    page = path.read_text(encoding="utf-8")
    head = page[: page.index("</head>")]
    assert "window.PlotlyGeoAssets" in head and '"world_110m":{"type":"Topology"' in head
    assert "plotly.js v" in page  # the library itself is inline
    assert page.index("<meta charset") < 1024  # else browsers may mis-decode "°C"
    assert "Alphaville" in page
    # Nothing the page would load from the network: no external scripts, styles, images or frames.
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.IGNORECASE)
    assert not re.search(r"<(link|img|iframe)[^>]*(href|src)\s*=\s*[\"']?https?:", page, re.IGNORECASE)
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


def test_world_view_for_spread_points() -> None:
    geo = build_figure(PLACES, SPEC).layout.geo
    assert list(geo.lonaxis.range) == [-180, 180]
    assert list(geo.lataxis.range) == [-90, 90]


def test_regional_zoom_for_clustered_points() -> None:
    benelux = pd.DataFrame(
        {"name": ["A", "B", "C"], "latitude": [50.8, 52.4, 49.6], "longitude": [4.4, 4.9, 6.1]}
    )
    geo = build_figure(benelux, MapSpec("Clustered", None, None, None, None, None)).layout.geo
    lo, hi = geo.lonaxis.range
    assert hi - lo < 30
    assert lo < 4.4 and hi > 6.1
    lat_lo, lat_hi = geo.lataxis.range
    assert lat_lo < 49.6 and lat_hi > 52.4 and lat_hi - lat_lo < 20


def test_single_point_gets_a_regional_view() -> None:
    one = pd.DataFrame({"name": ["Solo"], "latitude": [-33.9], "longitude": [18.4]})
    geo = build_figure(one, MapSpec("One", None, None, None, None, None)).layout.geo
    lo, hi = geo.lonaxis.range
    lat_lo, lat_hi = geo.lataxis.range
    assert lo < 18.4 < hi and hi - lo < 40
    assert lat_lo < -33.9 < lat_hi


def test_regional_zoom_across_antimeridian() -> None:
    pacific = pd.DataFrame(
        {"name": ["Suva-ish", "Apia-ish"], "latitude": [-18.1, -13.8], "longitude": [178.4, -171.8]}
    )
    geo = build_figure(pacific, MapSpec("Pacific", None, None, None, None, None)).layout.geo
    lo, hi = geo.lonaxis.range
    assert hi - lo < 40  # not the whole globe
    assert lo < 178.4 and hi > 360 - 171.8  # spans the dateline as one window


def test_marker_area_is_proportional_to_value() -> None:
    sizes = render._marker_sizes(pd.Series([100.0, 25.0, 0.0, float("nan")]))
    assert sizes[0] == pytest.approx(render.MAX_MARKER_PX)
    assert sizes[1] == pytest.approx(render.MAX_MARKER_PX / 2)  # a quarter of the value, half the diameter
    assert sizes[2] == sizes[3] == render.MIN_MARKER_PX


def test_figure_content() -> None:
    fig = build_figure(PLACES, SPEC)
    (trace,) = fig.data
    assert list(trace.text) == ["Alphaville", "Betatown", "Gammaport"]
    assert trace.marker.colorbar.title.text == "December mean temp (°C)"
    assert "Population: %{customdata" in trace.hovertemplate
    assert trace.customdata[0][3] == "4,000,000"
    notes = [a.text for a in fig.layout.annotations]
    assert "Sources: made-up test data" in notes and "<b>Population</b>" in notes


def test_missing_colour_values_get_a_no_data_trace() -> None:
    df = PLACES.assign(dec_temp=[1.0, None, 3.0])
    fig = build_figure(df, SPEC)
    assert [t.name for t in fig.data] == ["", "no data"]
    assert list(fig.data[1].text) == ["Betatown"]


def test_crowded_labels_do_not_pile_up() -> None:
    crowd = pd.DataFrame(
        {
            "name": [f"Place number {i}" for i in range(8)],
            "latitude": [50 + 0.05 * i for i in range(8)],
            "longitude": [10 + 0.05 * i for i in range(8)],
            "population": [1000 * (i + 1) for i in range(8)],
        }
    )
    world = pd.concat([crowd, PLACES[["name", "latitude", "longitude", "population"]]])
    spec = MapSpec("Crowded", "population", None, None, "Population", None)
    (trace,) = build_figure(world, spec).data
    shown = [t for t in trace.text if t.startswith("Place")]
    assert 1 <= len(shown) < 8  # some labels kept, the pile-up dropped (hover still names them)
    assert len(set(trace.textposition)) > 1 or len(shown) == 1


def test_bad_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="longitude"):
        build_figure(PLACES.drop(columns="longitude"), SPEC)
    with pytest.raises(ValueError, match="coordinates"):
        build_figure(PLACES.assign(latitude=[95.0, 0.0, 0.0]), SPEC)
    with pytest.raises(ValueError, match="numeric"):
        build_figure(PLACES.assign(population=["many", "few", "some"]), SPEC)


def test_approximate_places_look_different_and_unplaced_ones_are_named() -> None:
    df = pd.DataFrame(
        {
            "name": ["Summit A", "Stadium B"],
            "latitude": [27.9, 41.4],
            "longitude": [86.9, 2.1],
            "v": [1.0, 2.0],
        }
    )
    spec = MapSpec(
        title="t", color_column="v", approximate=[False, True], footnote="1 place could not be placed: C"
    )
    fig = build_figure(df, spec)
    assert list(fig.data[0].marker.symbol) == ["circle", "circle-x"]
    notes = " ".join(a.text for a in fig.layout.annotations)
    assert "1 place could not be placed: C" in notes and "approximate position" in notes
    plain = build_figure(df, MapSpec(title="t", color_column="v"))
    assert set(plain.data[0].marker.symbol) == {"circle"}
    assert "approximate" not in " ".join(a.text for a in plain.layout.annotations)
