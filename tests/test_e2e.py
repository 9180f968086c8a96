"""End to end on the real embedded model: `geoscout demo` through the whole team to a map, with code
agents and with tool-calling agents.

Slow (about 1-2 minutes per agent type on 2 cores): it loads the 1.5B GGUF with llama.cpp and renders with
Chromium.
"""

import csv
import json
import subprocess
import sys

import pytest
from PIL import Image

from geoscout.pages.tables import parse_tables
from geoscout.snapshot import Snapshot, demo_snapshot_path
from geoscout.tools.webpage import find_best_row

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module", params=["code", "tool-calling"])
def demo_run(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"demo-{request.param}")
    proc = subprocess.run(
        [sys.executable, "-m", "geoscout", "demo", "--quiet", "--agent-type", request.param]
        + ["--out", str(out)],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return request.param, out


def test_demo_writes_the_four_files(demo_run):
    agent_type, demo_run = demo_run
    for name in ["saved_map.png", "map.html", "data.csv", "run.json"]:
        assert (demo_run / name).stat().st_size > 0, name
    report = json.loads((demo_run / "run.json").read_text())
    assert report["state"] == "success"
    assert report["agent_type"] == agent_type
    assert report["model"].startswith("local:qwen2.5-coder-1.5b")
    assert report["llm_calls"] >= 2 and report["input_tokens"] > 0 and report["trace"]


def test_demo_data_matches_the_snapshot(demo_run):
    _, demo_run = demo_run
    snapshot = Snapshot.open(demo_snapshot_path())
    with open(demo_run / "data.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 10
    un = parse_tables(snapshot.page("https://population.un.org/wup/").markdown)[0]
    temps = parse_tables(snapshot.page("https://georank.place/temperature-map").markdown)[0]
    assert [r["name"] for r in rows] == [r["Urban agglomeration"] for r in un[:10]]
    values = [c for c in rows[0] if not c.endswith(("_source", "_quote", "_unit"))]
    pop_col = next(c for c in values if "pop" in c.lower())
    place = ("name", "country", "latitude", "longitude", "coordinates_precision", pop_col)
    temp_col = next(c for c in values if c not in place)
    for row, published in zip(rows, un[:10], strict=True):
        assert float(row[pop_col]) in (published["Population (2018)"], published["Population (2018)"] / 1e6)
        assert row[f"{pop_col}_source"] == "https://population.un.org/wup/"
        assert row[f"{pop_col}_quote"].startswith("| ") and row["name"] in row[f"{pop_col}_quote"]
        assert float(row[temp_col]) == find_best_row(temps, row["name"])["Dec"]
        assert row["latitude"] and row["longitude"]


def test_demo_map_is_not_blank(demo_run):
    _, demo_run = demo_run
    image = Image.open(demo_run / "saved_map.png").convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    assert image.size == (1400, 800) and len(colours) > 50
