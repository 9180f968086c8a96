import pandas as pd
import pytest

from geoscout.errors import GeoscoutError
from geoscout.results import approximate, label, size_and_colour, source_domains, tabulate
from geoscout.snapshot import Page

ROWS = [
    {
        "name": "Tokyo",
        "country": "Japan",
        "population": "37,468,000",
        "population_source": "https://un.example/wup",
        "dec_temp_c": 7.2,
        "dec_temp_c_source": "https://t.example/m",
    },
    {
        "name": "Delhi",
        "country": "India",
        "population": 28514000,
        "population_source": "https://un.example/wup",
        "dec_temp_c": 13.9,
        "dec_temp_c_source": "https://t.example/m",
    },
]


def test_tabulate_keeps_values_with_their_sources_and_geocodes():
    table = tabulate(ROWS)
    frame = table.frame
    assert table.value_columns == ["population", "dec_temp_c"]
    assert list(frame["population"]) == [37468000, 28514000]
    assert list(frame["dec_temp_c_source"]) == ["https://t.example/m"] * 2
    tokyo = frame.iloc[0]
    assert abs(tokyo["latitude"] - 35.69) < 0.5 and abs(tokyo["longitude"] - 139.69) < 0.5
    assert tokyo["coordinates_source"].startswith("https://www.geonames.org/")
    assert table.gaps == []


def test_text_facts_are_kept_with_their_sources_but_not_mapped_as_values():
    rows = [
        {"name": "China", "population": 1411778724, "capital": "Beijing", "source": "https://a.org"},
        {
            "name": "India",
            "population": 1352617328,
            "capital": "New Delhi",
            "capital_source": "https://b.org",
        },
    ]
    table = tabulate(rows)
    assert table.value_columns == ["population"] and table.text_columns == ["capital"]
    assert list(table.frame["capital"]) == ["Beijing", "New Delhi"]
    assert list(table.frame["capital_source"]) == ["https://a.org", "https://b.org"]
    assert size_and_colour(table) == ("population", "population")


def test_coordinates_from_the_rows_win_over_the_gazetteer():
    frame = tabulate([{"name": "Tokyo", "lat": 1.0, "lon": 2.0, "source": "https://s"}]).frame
    assert (frame.iloc[0]["latitude"], frame.iloc[0]["longitude"]) == (1.0, 2.0)


def test_gaps_and_places_not_mapped_are_reported():
    table = tabulate(
        [{"name": "Atlantis", "country": "Nowhere", "depth_m": None}, {"name": "Oslo", "depth_m": 3}]
    )
    assert table.not_mapped == [{"name": "Atlantis", "reason": table.not_mapped[0]["reason"]}]
    assert "Atlantis: no value for depth_m" in table.gaps
    atlantis = table.frame.iloc[0]
    assert pd.isna(atlantis["latitude"]) and pd.isna(atlantis["coordinates_precision"])
    assert table.frame.iloc[1]["coordinates_precision"] == "gazetteer"


def test_a_key_with_no_value_in_any_row_is_still_an_asked_value():
    table = tabulate([{"name": "Oslo", "jul_temp_c": None}, {"name": "Bergen", "jul_temp_c": None}])
    assert table.value_columns == ["jul_temp_c"]
    assert table.gaps == ["Oslo: no value for jul_temp_c", "Bergen: no value for jul_temp_c"]


def test_a_city_key_is_a_value_of_the_row_not_its_name():
    table = tabulate([{"name": "Camp Orr", "city": "Madrid", "capacity": 80000, "country": "Spain"}])
    assert table.text_columns == ["city"] and table.frame.iloc[0]["name"] == "Camp Orr"


def page(url, markdown):
    title = markdown.splitlines()[0].lstrip("# ")
    return Page(url, title, markdown)


# Pages on subjects that are not cities; the places are made up, so no gazetteer knows them.
PAGES = [
    page(
        "https://air.example/list",
        "# Busiest airports of Examplia\n\n| Airport | Passengers | Coordinates |\n|---|---|---|\n"
        "| Northfield Intl | 1,200,000 | 61.17°N 149.99°W |\n"
        "| Southgate Field | 800,000 | -34.44, -58.53 |\n",
    ),
    page(
        "https://towers.example/zorvat",
        "# Zorvat Tower\n\n| | |\n|---|---|\n| Height | 612 m |\n| Coordinates | 25°11′49″N 55°16′26″E |\n",
    ),
    page(
        "https://peaks.example/quillon",
        "# Mount Quillon\n\n- **Elevation:** 4,102 m\n- **Summit coordinates:** 46.4170°N, 9.8830°E\n",
    ),
    page(
        "https://stadia.example/arena-verde",
        "# Arena Verde\n\n| | |\n|---|---|\n| Location | Barcelona, Spain |\n| Capacity | 61,000 |\n",
    ),
    page(
        "https://lakes.example/nyasa",
        "# Lake Malawi\n\nLake Malawi, also called Lake Nyasa, lies at 12°11′S 34°22′E.\n",
    ),
    page(
        "https://spans.example/list",
        "# Longest spans\n\n| Rank | Bridge | Main span | Location | Country |\n|---|---|---|---|---|\n"
        "| 1 | Orrin Strait Bridge | 1,700 m | Wuhan, Hubei | China |\n",
    ),
    page(
        "https://ports.example/harbour",
        "# Port of Velmar\n\nThe port lies at 1°16′N 103°50′E and handled 30.1 million TEU in 2022.\n",
    ),
]


@pytest.mark.parametrize(
    ("row", "position", "precision", "source"),
    [
        (
            {
                "name": "Southgate Field",
                "passengers": 800000,
                "passengers_source": "https://air.example/list",
            },
            (-34.44, -58.53),
            "page",
            "https://air.example/list",
        ),
        (
            {"name": "Zorvat Tower", "height_m": 612},
            (25.197, 55.274),
            "page",
            "https://towers.example/zorvat",
        ),
        (
            {"name": "Mount Quillon", "elevation_m": 4102},
            (46.417, 9.883),
            "page",
            "https://peaks.example/quillon",
        ),
        (
            {"name": "Port of Velmar", "teu": 30100000},
            (1.267, 103.833),
            "page",
            "https://ports.example/harbour",
        ),
        ({"name": "Arena Verde", "capacity": 61000, "country": "Spain"}, (41.39, 2.16), "city", "geonames"),
        ({"name": "Lake Norvath", "area_km2": 310, "country": "Kenya"}, (0.4, 37.9), "country", "geonames"),
        # a territory its row's country names too is placed at the territory, not at its sovereign; a lake
        # named by its country is placed by its page
        (
            {"name": "Malawi (Nyasa)", "area_km2": 29500, "country": "Malawi, Mozambique, Tanzania"},
            (-12.18, 34.37),
            "page",
            "https://lakes.example/nyasa",
        ),
        (
            {"name": "Greenland", "area_km2": 2130800, "country": "Denmark (Greenland)"},
            (72, -40),
            "country",
            "GL",
        ),
        # no page is about it: the city a list's row names for it ('Location'), not China's centroid
        (
            {"name": "Orrin Strait Bridge", "main_span": 1700, "country": "China"},
            (30.58, 114.27),
            "city",
            "geonames",
        ),
    ],
)
def test_places_that_are_not_cities_are_placed_from_the_pages_read(row, position, precision, source):
    located = tabulate([row], PAGES).frame.iloc[0]
    assert located["coordinates_precision"] == precision
    assert source in located["coordinates_source"]
    assert located["latitude"] == pytest.approx(position[0], abs=1.5 if precision != "page" else 0.01)
    assert located["longitude"] == pytest.approx(position[1], abs=1.5 if precision != "page" else 0.01)


def test_only_city_and_country_positions_are_approximate():
    rows = [
        {"name": "Zorvat Tower", "height_m": 612},
        {"name": "Arena Verde", "capacity": 61000, "country": "Spain"},
        {"name": "Lake Norvath", "area_km2": 310, "country": "Kenya"},
        {"name": "Kenya", "area_km2": 580367},
    ]
    assert approximate(tabulate(rows, PAGES).frame).tolist() == [False, True, True, False]


@pytest.mark.parametrize("rows", ["prose", [], [1, 2], [{"population": 3}]])
def test_not_rows(rows):
    with pytest.raises(GeoscoutError):
        tabulate(rows)


def test_map_choices_and_labels():
    table = tabulate(ROWS)
    assert size_and_colour(table) == ("population", "dec_temp_c")
    assert label("dec_temp_c") == "Dec temp (°C)"
    assert label("population") == "Population"
    assert source_domains(table) == ["geonames.org", "t.example", "un.example"]


def test_a_place_given_twice_is_one_row():
    table = tabulate(
        [{"name": "Oslo", "depth_m": 3}, {"name": "Bergen", "depth_m": 4}, {"name": "oslo", "depth_m": 5}]
    )
    assert (
        list(table.frame["name"]) == ["Oslo", "Bergen"]
        and "oslo: row 3 repeats it and was left out" in table.gaps
    )


@pytest.mark.parametrize(
    ("question", "weak"),
    [
        ("Map the 3 busiest container ports of Asia", ["Busan"]),  # a port named like its city
        ("Map the 3 largest football stadiums of Europe, with the city they are in", ["Busan"]),
        ("Map the 3 largest cities of South Korea", []),  # the city is what is asked
        ("Map the 3 longest rivers of Asia, placed at their mouth", ["Busan"]),
    ],
)
def test_a_gazetteer_city_named_like_a_place_of_another_kind_places_it_weakly(question, weak):
    from geoscout.question import read_question
    from geoscout.results import placed_weakly

    reading = read_question(question)
    table = tabulate([{"name": "Busan", "country": "South Korea", "size": 1}], near=reading.near)
    assert table.frame["coordinates_precision"].tolist() == ["gazetteer"]
    assert placed_weakly(table, reading.near, reading.places_are_settlements) == weak


@pytest.mark.parametrize(
    ("name", "page", "position"),
    [
        ("Madagascar", "# Madagascar – the island\n\n| | |\n|---|---|\n| Coordinates | 18°46′S 46°52′E |\n",
         (-18.77, 46.87)),
        ("Niger", "# Niger (river)\n\n| | |\n|---|---|\n| Mouth coordinates | 4°18′N 6°05′E |\n",
         (4.3, 6.08)),
        ("Iceland", "# Iceland, the island\n\n| | |\n|---|---|\n| Coordinates | 64°59′N 18°36′W |\n",
         (64.98, -18.6)),
    ],
)  # fmt: skip
def test_a_place_of_another_kind_named_like_a_country_is_placed_by_its_page(name, page, position):
    """Seen: the island of Madagascar placed at the country's centroid, 137 km off, before its page."""
    pages = [Page(f"https://x.example/{name}", name, page)]
    located = tabulate([{"name": name, "area_km2": 1}], pages, countries=False).frame.iloc[0]
    assert (round(located["latitude"], 2), round(located["longitude"], 2)) == position
    assert (
        tabulate([{"name": name, "area_km2": 1}], pages).frame.iloc[0]["coordinates_precision"] == "country"
    )
