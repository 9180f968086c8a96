"""Provenance: each value quoted from the page the run read; values no page states are caught."""

from pathlib import Path

import pytest

from geoscout.provenance import QuoteCheck, find_quote, unit_of, unsupported
from geoscout.snapshot import Snapshot

UN = "https://population.un.org/wup/"
TEMPS = T = "https://georank.place/temperature-map"
COUNTRIES = "https://www.geonames.org/countries/"  # in the places eval set's snapshot


@pytest.fixture(scope="module")
def pages(demo_snapshot):
    return {url: demo_snapshot.page(url).markdown for url in (UN, TEMPS)}


def test_the_quote_is_the_pages_line_naming_the_place_with_the_value(pages):
    assert find_quote(pages[UN], "Tokyo", 37468000) == "| 1 | Tokyo | Japan | 37,468,000 |"
    assert find_quote(pages[TEMPS], "Beijing", -2.0).startswith("| Beijing | China |")
    assert find_quote(pages[TEMPS], "New Delhi (NCT)", 14.9).startswith("| Delhi | India |")  # a longer word


def test_the_line_naming_the_whole_place_is_quoted_before_one_naming_a_word_of_it(pages):
    # Guadalajara's row names 'Mexico' and holds 17.2 too, before Mexico City's row
    assert find_quote(pages[TEMPS], "Mexico City", 17.2).startswith("| Mexico City | Mexico |")
    rows = [{"name": "Mexico City", "temp_jul_c": 17.2, "temp_jul_c_source": TEMPS}]
    assert unsupported(rows, pages.get) == []  # July, on Mexico City's row ('Dec' on Guadalajara's)


def test_a_text_value_is_quoted_from_the_line_naming_the_place():
    places = Snapshot.open(Path(__file__).resolve().parents[1] / "evals" / "places" / "snapshot")
    countries = places.page(COUNTRIES).markdown
    assert find_quote(countries, "China", "Beijing").startswith("| 1 | China | Asia | Beijing |")
    assert find_quote(countries, "China", "Shanghai") is None
    assert find_quote(countries, "China", "Beij") is None  # whole words only


@pytest.mark.parametrize(
    "name, value",
    [("Tokyo", 37.468), ("Tokyo", 37468001), ("Delhi", 37468000), ("Atlantis", 37468000), ("Tokyo", "big")],
)
def test_a_value_the_page_does_not_state_for_that_place_has_no_quote(pages, name, value):
    assert find_quote(pages[UN], name, value) is None


def test_the_check_names_each_unsupported_value_then_accepts_the_same_rows_as_unverified(pages):
    rows = [
        {
            "name": "Tokyo",
            "population": 37468000,
            "population_source": UN,
            "dec_c": 7.2,
            "dec_c_source": TEMPS,
        },
        {"name": "Delhi", "population": 99, "population_source": UN, "dec_c": 14.9, "dec_c_source": T},
        {"name": "Cairo", "population": 20076000, "population_source": "https://made.up/", "dec_c": 15.1},
    ]
    check = QuoteCheck(pages.get)
    with pytest.raises(ValueError) as error:
        check(rows)
    message = str(error.value)
    assert f"row 2 (Delhi): population 99 is not on {UN}" in message
    assert "row 3 (Cairo): population's source https://made.up/ is not a page read in this run" in message
    assert "row 3 (Cairo): dec_c has no source url" in message
    assert "Tokyo" not in message
    assert check(rows) is True and len(check.accepted) == 1 and "population 99" in check.accepted[0]


def test_rows_stated_by_their_pages_pass(pages):
    rows = [
        {
            "name": "Delhi",
            "population": 28514000,
            "population_source": UN,
            "dec_c": 14.9,
            "dec_c_source": TEMPS,
        }
    ]
    assert unsupported(rows, pages.get) == [] and QuoteCheck(pages.get)(rows) is True


@pytest.mark.parametrize(
    "markdown, name, value, unit",
    [
        ("# Peaks\n\n| Peak | Height (m) |\n|---|---|\n| Everest | 8,849 |\n", "Everest", 8849, "m"),
        (
            "# Cities (population in thousands)\n\n| City | Pop |\n|---|---|\n| Lagos | 13,463 |\n",
            "Lagos",
            13463,
            "thousands",
        ),
        ("# Cities\n\n| City | Population (2018) |\n|---|---|\n| Lagos | 13,463 |\n", "Lagos", 13463, None),
    ],
)
def test_the_unit_is_the_one_the_page_states_for_that_column(markdown, name, value, unit):
    assert unit_of(markdown, find_quote(markdown, name, value), value) == unit


def test_the_demo_temperatures_are_stated_in_degrees_celsius(pages):
    quote = find_quote(pages[TEMPS], "Tokyo", 7.2)
    assert unit_of(pages[TEMPS], quote, 7.2) == "°C"


def test_a_measurement_without_a_unit_in_its_key_or_on_its_page_is_sent_back():
    page = "# Lakes\n\n| Lake | Depth |\n|---|---|\n| Baikal | 744.4 |\n| Tanganyika | 1470 |\n"
    url = "https://example.org/lakes"
    rows = [
        {"name": "Baikal", "depth": 744.4, "depth_source": url},
        {"name": "Tanganyika", "depth": 1470, "depth_source": url},  # a whole number may be a count
    ]
    assert unsupported(rows, {url: page}.get) == [
        "row 1 (Baikal): depth 744.4 has no unit, neither in its key nor on its page; name it in the key "
        "(e.g. depth_c, depth_km)"
    ]
    rows[0] = {"name": "Baikal", "depth_m": 744.4, "depth_m_source": url}
    assert unsupported(rows, {url: page}.get) == []


@pytest.mark.parametrize(
    ("header", "key"),
    [("Life expectancy (years)", "life_expectancy"), ("Depth", "depth_ft"), ("Length", "length_mi")],
)
def test_a_unit_in_years_feet_or_miles_is_a_unit(header, key):
    page = f"# Figures\n\n| Place | {header} |\n|---|---|\n| Examplia | 76.6 |\n"
    url = "https://example.org/figures"
    assert unsupported([{"name": "Examplia", key: 76.6, f"{key}_source": url}], {url: page}.get) == []


def test_a_value_from_another_months_column_than_its_key_or_the_task_asks_for_is_sent_back():
    page = (
        "# Temperature (°C)\n\n| City | Jan | Jul | Year |\n|---|---|---|---|\n"
        "| Recife | 27.0 | 24.6 | 25.9 |\n| Oslo | -2.3 | 17.0 | 6.3 |\n"
    )
    url = "https://example.org/climate"
    rows = [
        {"name": "Recife", "annual_temp_c": 27.0, "annual_temp_c_source": url},  # the January value
        {"name": "Oslo", "annual_temp_c": 6.3, "annual_temp_c_source": url},
    ]
    assert unsupported(rows, {url: page}.get) == [
        "row 1 (Recife): annual_temp_c 27.0 is in the 'Jan' column, but its key asks for the year: take the "
        "'Year' column"
    ]
    task = "Find the 2 cities with the warmest average July temperature, with keys name, temp_c."
    rows = [{"name": "Recife", "temp_c": 27.0, "temp_c_source": url}]
    assert unsupported(rows, {url: page}.get, task) == [
        "row 1 (Recife): temp_c 27.0 is in the 'Jan' column, but the task asks for July: take the 'Jul' "
        "column"
    ]
    rows = [{"name": "Recife", "temp_c": 24.6, "temp_c_source": url}]
    assert unsupported(rows, {url: page}.get, task) == []
    same = page.replace("| Oslo | -2.3 | 17.0 | 6.3 |", "| Oslo | 6.3 | 17.0 | 6.3 |")  # January = the year
    rows = [{"name": "Oslo", "annual_temp_c": 6.3, "annual_temp_c_source": url}]
    assert unsupported(rows, {url: same}.get) == []
    # no single period asked for, or a task where "may" is a verb: nothing to compare
    assert unsupported([{"name": "Recife", "temp_c": 27.0, "temp_c_source": url}], {url: page}.get) == []
    both = "Find the January and July temperatures of 2 cities."
    assert (
        unsupported([{"name": "Recife", "temp_c": 27.0, "temp_c_source": url}], {url: page}.get, both) == []
    )
    verb = "Which 2 cities may be the warmest?"
    assert (
        unsupported([{"name": "Recife", "temp_c": 27.0, "temp_c_source": url}], {url: page}.get, verb) == []
    )


def test_a_fact_in_words_no_page_states_is_unverified_and_a_number_written_as_text_is_quoted():
    from geoscout.provenance import add_quotes, unquoted
    from geoscout.results import tabulate

    url = "https://example.org/cities"
    page = "# Cities\n\n| City | Population |\n|---|---|\n| Brenford | 8,495,492 |\n| Olm | 6,993,262 |\n"
    rows = [  # seen: a population column holding a city's name, and numbers turned into text beside it
        {"name": "Brenford", "country": "India", "population": "8495492", "population_source": url},
        {"name": "Olm", "country": "India", "population": "Olm", "population_source": url},
    ]
    table = tabulate(rows)
    add_quotes(table.frame, table.value_columns + table.text_columns, {url: page}.get)
    assert table.frame["population_quote"][0] == "| Brenford | 8,495,492 |"
    assert unquoted(table) == [f"Olm: population Olm not found on {url}"]


def test_a_value_on_the_page_about_a_place_listed_with_several_names_is_quoted():
    """A list names 'Mount Orrin / Tal Kora'; the page about it, headed 'Mount Orrin', states its first
    ascent in its facts box and in a sentence that names neither."""
    page = (
        "# Mount Orrin\n\n| | |\n|---|---|\n| Elevation | 7,912 m |\n| First ascent | 12 May 1961 |\n\n"
        "It was first climbed on 12 May 1961 by a Examplian team.\n"
    )
    assert find_quote(page, "Mount Orrin / Tal Kora", 1961) == "| First ascent | 12 May 1961 |"
    assert find_quote(page, "Tal Kora (Mount Orrin)", 7912) == "| Elevation | 7,912 m |"
    assert find_quote(page, "Mount Brill / Tal Kora", 1961) is None  # another mountain's page


def test_a_value_given_another_pages_url_takes_the_page_read_that_states_it_as_its_source():
    """Seen: the passengers found on each airport's own page, given the url of the ranked list."""
    ranking = "# Busiest ferry ports in 2024\n\n1. Orvan\n2. Tessa\n3. Brell\n"
    about = "# Orvan\n\n**Orvan** is a ferry port. It handled 4,120,000 passengers in 2024.\n"
    other = "# Tessa\n\n**Tessa** is a ferry port. It handled 3,050,000 passengers in 2024.\n"
    pages = {
        "https://n.example/ranking": ranking,
        "https://w.example/Orvan": about,
        "https://w.example/Tessa": other,
    }
    rows = [
        {"name": "Orvan", "rank": 1, "passengers": 4120000, "source": "https://n.example/ranking"},
        {"name": "Tessa", "rank": 2, "passengers": 3050000, "source": "https://n.example/ranking"},
    ]
    check = QuoteCheck(pages.get, lambda: list(pages))
    assert check(rows) is True
    assert [row.get("passengers_source") for row in rows] == [
        "https://w.example/Orvan",
        "https://w.example/Tessa",
    ]
    assert [row["source"] for row in rows] == ["https://n.example/ranking"] * 2  # the rank keeps its source
    assert check.corrected[0] == (
        "row 1 (Orvan): passengers 4120000 is not on https://n.example/ranking; its source is https://w.example/Orvan"
    )
    # without the pages read, the value goes back; so does a value no page states for its place
    alone = [{"name": "Orvan", "passengers": 4120000, "source": "https://n.example/ranking"}]
    with pytest.raises(ValueError, match=r"row 1 \(Orvan\): passengers 4120000 is not on https://n\.example"):
        QuoteCheck(pages.get)(alone)
    # Orvan's figure given to Brell
    stray = [{"name": "Brell", "passengers": 4120000, "source": "https://n.example/ranking"}]
    with pytest.raises(ValueError, match=r"passengers 4120000 is not on https://n.example/ranking"):
        QuoteCheck(pages.get, lambda: list(pages))(stray)
    assert "passengers_source" not in stray[0]
