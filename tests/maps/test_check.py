"""The map checks on real renders (kaleido + Chromium): a right map passes, a corrupted one is caught."""

import pandas as pd
import pytest

from geoscout.maps import MapSpec, build_figure, map_problems, render_png, warm_renderer

ROWS = pd.DataFrame(
    {
        "name": ["Tokyo", "Delhi", "Lagos"],
        "latitude": [35.69, 28.65, 6.45],
        "longitude": [139.69, 77.23, 3.39],
        "population": [37468000, 28514000, 13463000],
    }
)


@pytest.fixture(scope="module")
def rendered():
    figure = build_figure(ROWS, MapSpec(title="Cities", size_column="population"))
    with warm_renderer():
        yield figure, render_png(figure)


def test_a_right_map_passes(rendered):
    figure, png = rendered
    with warm_renderer():
        assert map_problems(figure, png, rows=3) == []


def test_a_blank_map_is_caught(rendered):
    figure, _ = rendered
    bare = build_figure(ROWS, MapSpec(title="Cities", size_column="population"))
    bare.data = []
    with warm_renderer():
        problems = map_problems(figure, render_png(bare), rows=3)
    assert problems == ["saved_map.png shows no markers: it is the bare base map"]


def test_a_missing_marker_and_a_broken_file_are_caught(rendered):
    figure, png = rendered
    with warm_renderer():
        assert map_problems(figure, png, rows=4) == ["the map marks 3 places for 4 rows with coordinates"]
        assert map_problems(figure, b"not a png", rows=3) == ["saved_map.png is not a PNG image"]


def test_countries_are_a_choropleth_that_passes_the_checks(tmp_path):
    from PIL import Image

    from geoscout.results import country_codes, tabulate

    table = tabulate(
        [{"name": n, "forest_pct": v} for n, v in [("Brazil", 59.4), ("India", 24.3), ("Canada", 38.7)]]
    )
    codes = country_codes(table)
    assert codes == ["BRA", "IND", "CAN"]
    figure = build_figure(table.frame, MapSpec(title="Forest", color_column="forest_pct", countries=codes))
    assert [type(t).__name__ for t in figure.data] == ["Choropleth"]
    with warm_renderer():
        png = render_png(figure)
        assert map_problems(figure, png, rows=3) == []
    (tmp_path / "map.png").write_bytes(png)
    image = Image.open(tmp_path / "map.png").convert("RGB")
    assert len(image.getcolors(maxcolors=1 << 20)) > 50
