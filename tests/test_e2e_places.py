"""End to end on the real embedded model, on pages about places that are not cities: every tower the team
finds is placed from the coordinates its list states, and one that no page, gazetteer or country places is
kept, listed as not mapped, and makes the run partial (exit status 3) with the map still drawn; a list of
lakes gives their areas, and each lake's own page (an infobox, key-value lines, a sentence) its maximum
depth, found with find_value, and its position, from which it is placed (coordinates_precision 'page'); a list
of waterfalls gives their heights, and the run's own search for each one places it from its own page; a
question naming its countries one by one gets each capital from its country's page and each capital's value
from the capital's own page."""

import json
import subprocess
import sys

import pytest

from tests.conftest import write_snapshot

pytestmark = pytest.mark.e2e

TOWERS = {
    "towers.md": (
        "https://towers.example/register",
        "# Tallest towers of Examplia\n\n"
        "The Examplia Tower Register lists every free-standing tower taller than 300 m.\n\n"
        "| Tower | Height (m) | Completed | Coordinates |\n|---|---|---|---|\n"
        "| Brenna Spire | 412 | 1998 | 47°22′N 8°33′E |\n| Coldwater Mast | 365 | 2004 | — |\n"
        "| Orrin Needle | 498 | 2011 | 46.2044°N 6.1432°E |\n"
        "| Talbot Beacon | 331 | 1987 | 46.9480, 7.4474 |\n",
    )
}


def ask(folder, question):
    """``geoscout ask`` on the real model over a made-up snapshot: (process, run.json, run folder)."""
    out = folder / "run"
    proc = subprocess.run(
        [sys.executable, "-m", "geoscout", "ask", question, "--snapshot", str(folder), "--out", str(out)]
        + ["--quiet", "--time-limit", "600"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    return proc, json.loads((out / "run.json").read_text()), out


@pytest.fixture(scope="module")
def towers_run(tmp_path_factory):
    folder = write_snapshot(tmp_path_factory.mktemp("towers"), TOWERS)
    return ask(folder, "Map the 3 tallest towers of Examplia with their height in m.")


def test_towers_are_placed_from_their_list_and_the_unplaced_one_makes_the_run_partial(towers_run):
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


LAKES = {
    "lakes.md": (
        "https://atlas.example/lakes-of-examplia",
        "# Lakes of Examplia\n\nThe five largest lakes of Examplia by surface area.\n\n"
        "| Lake | Area (km²) | Region |\n|---|---|---|\n| Lake Orrin | 1,840 | North |\n"
        "| Lake Vessa | 2,310 | East |\n| Lake Marrow | 960 | West |\n| Lake Tully | 1,205 | South |\n",
    ),
    "orrin.html": (
        "https://enc.example/wiki/Lake_Orrin",
        "<html><head><title>Lake Orrin - Encyclopedia</title></head><body><h1>Lake Orrin</h1>"
        '<table class="infobox"><caption>Lake Orrin</caption><tr><th>Surface area</th><td>1,840 km²</td></tr>'
        "<tr><th>Average depth</th><td>41 m</td></tr><tr><th>Max. depth</th><td>212 m</td></tr>"
        "<tr><th>Coordinates</th><td>61°05′N 24°10′E</td></tr></table>"
        "<p>Lake Orrin is the second largest lake of Examplia.</p></body></html>",
    ),
    "vessa.md": (
        "https://lakes.example/vessa",
        "# Lake Vessa\n\n- **Area:** 2,310 km²\n- **Mean depth:** 18 m\n- **Maximum depth:** 97 m\n"
        "- **Centre:** 60.41°N, 27.92°E\n",
    ),
    "tully.md": (
        "https://travel.example/tully",
        "# A weekend at Lake Tully\n\nLake Tully reaches a maximum depth of 64 m near its northern shore, "
        "at 58.20°N, 22.60°E.\n",
    ),
}


@pytest.fixture(scope="module")
def lakes_run(tmp_path_factory):
    folder = write_snapshot(tmp_path_factory.mktemp("lakes"), LAKES)
    question = "Map the 3 largest lakes of Examplia with their area in km² and their maximum depth in m."
    return ask(folder, question)[:2]


def test_a_value_each_place_has_on_its_own_page_is_found_there(lakes_run):
    proc, report = lakes_run
    rows = {row["name"]: row for row in report["rows"]}
    assert set(rows) == {"Lake Vessa", "Lake Orrin", "Lake Tully"}, report["verdict"]
    depth = next(
        k for k in report["rows"][0] if "depth" in k and not k.endswith(("_source", "_quote", "_unit"))
    )
    assert [rows[n][depth] for n in ("Lake Vessa", "Lake Orrin", "Lake Tully")] == [97, 212, 64]
    assert rows["Lake Orrin"][f"{depth}_source"] == "https://enc.example/wiki/Lake_Orrin"
    assert all(rows[n][f"{depth}_quote"] for n in rows)  # each depth quoted from its page
    assert all(rows[n]["coordinates_precision"] == "page" for n in rows)  # placed from the same pages
    assert report["state"] == "success" and proc.returncode == 0, report["verdict"]


FALLS = {
    "falls.md": (
        "https://atlas.example/waterfalls-of-examplia",
        "# Waterfalls of Examplia\n\nThe highest waterfalls of Examplia, by total drop.\n\n"
        "| Waterfall | Height (m) | Region |\n|---|---|---|\n| Orrin Falls | 312 | North |\n"
        "| Vessa Cascade | 248 | East |\n| Marrow Force | 187 | West |\n| Tully Chute | 95 | South |\n",
    ),
    "orrin.html": (
        "https://enc.example/wiki/Orrin_Falls",
        "<html><head><title>Orrin Falls - Encyclopedia</title></head><body><h1>Orrin Falls</h1>"
        '<table class="infobox"><caption>Orrin Falls</caption><tr><th>Total height</th><td>312 m</td></tr>'
        "<tr><th>Coordinates</th><td>61°05′N 24°10′E</td></tr></table>"
        "<p>Orrin Falls drops from the northern plateau.</p></body></html>",
    ),
    "vessa.md": (
        "https://falls.example/vessa",
        "# Vessa Cascade\n\n- **Drop:** 248 m\n- **Location:** 60.41°N, 27.92°E\n",
    ),
    "marrow.md": (
        "https://travel.example/marrow",
        "# Marrow Force\n\nA path leads to the top of Marrow Force, at 58.20°N, 22.60°E.\n",
    ),
}


def test_places_no_page_the_agents_read_places_are_looked_up_and_placed_from_their_own_pages(tmp_path):
    """The question asks for one value, which the list holds: the agents read no page about a waterfall,
    and the run's own search for each one places it from its page."""
    proc, report, _ = ask(
        write_snapshot(tmp_path, FALLS), "Map the 3 highest waterfalls of Examplia with their height in m."
    )
    rows = {row["name"]: row for row in report["rows"]}
    assert set(rows) == {"Orrin Falls", "Vessa Cascade", "Marrow Force"}, report["verdict"]
    assert set(report["positions_looked_up"]) <= set(rows)
    assert rows["Orrin Falls"]["coordinates_source"] == "https://enc.example/wiki/Orrin_Falls"
    assert (rows["Vessa Cascade"]["latitude"], rows["Marrow Force"]["longitude"]) == (60.41, 22.60)
    assert all(rows[n]["coordinates_precision"] == "page" for n in rows)
    assert report["state"] == "success" and proc.returncode == 0, report["verdict"]


NORTH = {
    "norway.html": (
        "https://enc.example/wiki/Norway",
        "<html><head><title>Norway - Encyclopedia</title></head><body><h1>Norway</h1>"
        '<table class="infobox"><caption>Kingdom of Norway</caption><tr><th>Capital</th><td>Oslo</td></tr>'
        "<tr><th>Area</th><td>385,207 km²</td></tr></table>"
        "<p>Norway lies in northern Europe.</p></body></html>",
    ),
    "finland.md": (
        "https://countries.example/finland",
        "# Finland\n\n- **Capital:** Helsinki\n- **Official languages:** Finnish, Swedish\n",
    ),
    "iceland.md": (
        "https://travel.example/iceland-basics",
        "# Iceland basics\n\nThe capital of Iceland is Reykjavík, home to about a third of the people.\n\n"
        "| | |\n|---|---|\n| Capital | Reykjavík |\n| Currency | Króna |\n",
    ),
    "oslo.md": (
        "https://weather.example/oslo",
        "# Oslo climate\n\nClimate data for Oslo (1991–2020)\n\n"
        "| Month | Jan | Apr | Jul | Oct | Year |\n|---|---|---|---|---|---|\n"
        "| Mean daily maximum °C | 0.1 | 10.2 | 22.4 | 9.9 | 10.8 |\n"
        "| Daily mean °C | −2.3 | 5.9 | 17.6 | 6.8 | 7.1 |\n",
    ),
    "helsinki.md": (
        "https://weather.example/helsinki",
        "# Helsinki by month\n\n| Month | Average high (°C) | Mean (°C) |\n|---|---|---|\n"
        "| January | −1.9 | −3.7 |\n| July | 21.8 | 18.1 |\n| Year | 9.6 | 6.4 |\n",
    ),
    "reykjavik.html": (
        "https://enc.example/wiki/Reykjavik",
        "<html><head><title>Reykjavík - Encyclopedia</title></head><body><h1>Reykjavík</h1>"
        "<p>Reykjavík is the capital of Iceland. In July it has a daily mean temperature of 11.4 °C, and in "
        "January of −0.4 °C.</p>"
        '<table class="infobox"><tr><th>Coordinates</th><td>64°08′N 21°56′W</td></tr></table></body></html>',
    ),
}


def test_a_question_naming_its_countries_gets_each_capitals_value_from_the_capitals_page(tmp_path):
    proc, report, _ = ask(
        write_snapshot(tmp_path, NORTH),
        "What is the average July temperature in the capitals of Norway, Finland and Iceland?",
    )
    rows = {row["name"]: row for row in report["rows"]}
    assert set(rows) == {"Oslo", "Helsinki", "Reykjavík"}, report["verdict"]
    value = next(
        k
        for k in report["rows"][0]
        if k not in ("name", "country")
        and not k.endswith(("_source", "_quote", "_unit"))
        and isinstance(report["rows"][0][k], (int, float))
        and k not in ("latitude", "longitude")
    )
    assert [rows[n][value] for n in ("Oslo", "Helsinki", "Reykjavík")] == [17.6, 18.1, 11.4]
    assert rows["Reykjavík"][f"{value}_source"] == "https://enc.example/wiki/Reykjavik"
    assert [rows[n]["country"] for n in ("Oslo", "Helsinki", "Reykjavík")] == ["Norway", "Finland", "Iceland"]
    assert report["state"] == "success" and proc.returncode == 0, report["verdict"]
