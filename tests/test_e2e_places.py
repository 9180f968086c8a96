"""End to end on the real embedded model, on pages about places that are not cities: every tower the team
finds is placed from the coordinates its page states, and one that no page, gazetteer or country places is
kept, listed as not mapped, and makes the run partial (exit status 3) with the map still drawn."""

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e

TOWERS = """# Tallest towers of Examplia

The Examplia Tower Register lists every free-standing tower taller than 300 m.

| Tower | Height (m) | Completed | Coordinates |
|---|---|---|---|
| Brenna Spire | 412 | 1998 | 47°22′N 8°33′E |
| Coldwater Mast | 365 | 2004 | — |
| Orrin Needle | 498 | 2011 | 46.2044°N 6.1432°E |
| Talbot Beacon | 331 | 1987 | 46.9480, 7.4474 |
"""


@pytest.fixture(scope="module")
def towers_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("towers")
    (folder / "towers.md").write_text(TOWERS, encoding="utf-8")
    manifest = {"pages": [{"file": "towers.md", "url": "https://towers.example/register"}]}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    out = folder / "run"
    question = "Map the 3 tallest towers of Examplia with their height in m."
    proc = subprocess.run(
        [sys.executable, "-m", "geoscout", "ask", question, "--snapshot", str(folder), "--out", str(out)]
        + ["--quiet", "--time-limit", "600"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    return proc, json.loads((out / "run.json").read_text()), out


def test_towers_are_placed_from_their_page_and_the_unplaced_one_makes_the_run_partial(towers_run):
    proc, report, out = towers_run
    rows = {row["name"]: row for row in report["rows"]}
    assert set(rows) == {"Orrin Needle", "Brenna Spire", "Coldwater Mast"}, report["verdict"]
    assert rows["Orrin Needle"]["coordinates_precision"] == "page"
    assert rows["Orrin Needle"]["coordinates_source"] == "https://towers.example/register"
    assert (rows["Orrin Needle"]["latitude"], rows["Orrin Needle"]["longitude"]) == (46.2044, 6.1432)
    assert round(rows["Brenna Spire"]["latitude"], 3) == 47.367
    assert [entry["name"] for entry in report["not_mapped"]] == ["Coldwater Mast"]
    assert report["state"] == "partial" and "not mapped: Coldwater Mast" in report["verdict"]
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert proc.stdout.strip().splitlines()[-1].startswith("partial: 3 places")
    assert (out / "saved_map.png").stat().st_size > 0
