import pytest

from geoscout.pages.coordinates import (
    aboutness,
    coordinate_columns,
    coordinates_on_page,
    is_about,
    parse_coordinates,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("48.858°N 2.294°E", (48.858, 2.294)),
        ("48°51′29″N 2°17′40″E", (48.8581, 2.2944)),
        ("48°51'29\"N, 2°17'40\"E", (48.8581, 2.2944)),
        ("-33.86, 151.21", (-33.86, 151.21)),
        ("−22.91, −43.17", (-22.91, -43.17)),
        ("12.18°S, 34.37°E", (-12.18, 34.37)),
        ("1°41′N 30°55′E", (1.6833, 30.9167)),
        ("0.1276°W 51.5072°N", (51.5072, -0.1276)),  # longitude first, lettered
        ("Summit: 27°53′23″N 87°05′19″E (surveyed 2019)", (27.8897, 87.0886)),
        ("64.1 N 21.9 W", (64.1, -21.9)),
    ],
)
def test_common_forms_are_read_as_signed_degrees(text, expected):
    lat, lon = parse_coordinates(text)
    assert lat == pytest.approx(expected[0], abs=1e-3) and lon == pytest.approx(expected[1], abs=1e-3)


@pytest.mark.parametrize(
    "text", ["", "8,849 m (29,032 ft)", "opened in 1998, renovated 2004", "28.5 °C", "95°N 10°E", "3.2, 4"]
)
def test_text_without_a_position_gives_none(text):
    assert parse_coordinates(text) is None


def test_columns_of_a_row_give_its_position():
    assert coordinate_columns({"Tower": "A", "Lat": 25.2, "Lon": 55.27}) == (25.2, 55.27)
    assert coordinate_columns({"Port": "B", "Location": "1.26°N 103.84°E"}) == (1.26, 103.84)
    assert coordinate_columns({"Port": "B", "Coordinates": "-33.86, 151.21"}) == (-33.86, 151.21)
    assert coordinate_columns({"Port": "B", "Capacity": "47,303,000"}) is None


LIST_PAGE = """# Airports of Examplia

| Airport | Passengers | Location |
|---|---|---|
| Northfield Intl | 1,200,000 | 61.17°N 149.99°W |
| Southgate Field | 800,000 | 34°26′S 58°32′W |
"""

ABOUT_PAGE = """# Mount Quillon

Mount Quillon is a peak of the Example Range.

| | |
|---|---|
| Elevation | 4,102 m |
| Coordinates | 46°25′N 9°53′E |

Its base camp lies at 46.30°N 9.80°E.
"""

RIVER_PAGE = """# Velt River

- **Source:** Lake Orun, 12.50°S, 30.10°E
- **Mouth:** Gulf of Ness, 10.25°S, 36.75°E
"""


def test_a_table_row_naming_the_place_gives_its_position():
    position = coordinates_on_page("Airports of Examplia", LIST_PAGE, "Southgate Field")
    assert (round(position.latitude, 3), round(position.longitude, 3)) == (-34.433, -58.533)
    assert "Southgate Field" in position.line


def test_the_page_about_a_place_gives_its_labelled_coordinates_first():
    position = coordinates_on_page("Mount Quillon - Encyclopedia", ABOUT_PAGE, "Mount Quillon")
    assert (round(position.latitude, 3), round(position.longitude, 3)) == (46.417, 9.883)


def test_a_page_about_another_place_gives_nothing():
    assert coordinates_on_page("Mount Quillon", ABOUT_PAGE, "Mount Orrin") is None
    assert coordinates_on_page("Airports of Examplia", LIST_PAGE, "Eastbay Airport") is None


def test_near_picks_the_line_naming_that_part_of_the_place():
    assert coordinates_on_page("Velt River", RIVER_PAGE, "Velt River").latitude == -12.5
    mouth = coordinates_on_page("Velt River", RIVER_PAGE, "Velt River", near="mouth")
    assert (mouth.latitude, mouth.longitude) == (-10.25, 36.75)


def test_a_name_with_its_other_names_names_the_place_by_any_of_them():
    from geoscout.pages.coordinates import name_variants, names_place

    assert name_variants("Mount Orrin / Tsenpo / Kalgar") == [
        "mount orrin tsenpo kalgar",
        "mount orrin",
        "tsenpo",
        "kalgar",
    ]
    assert names_place("Mount Orrin is the highest peak", "Mount Orrin / Tsenpo")
    assert names_place("The Velt (Kessa) meets the sea", "Kessa (with Orm)")
    assert not names_place("Orm Lake", "Kessa (with Orm River)")


def test_the_page_most_squarely_about_the_place_gives_its_position():
    from geoscout.results import tabulate
    from geoscout.snapshot import Page

    pages = [
        Page("https://a.example/tributaries", "Tributaries of the Velt",
             "# Tributaries of the Velt\n\nThe Orm joins at 3.70°S, 61.47°W.\n"),
        Page("https://b.example/velt", "Velt River", "# Velt River\n\n- **Mouth:** 0.71°N, 50.09°W\n"),
    ]  # fmt: skip
    row = tabulate([{"name": "Velt", "length_km": 900}], pages, near="mouth").frame.iloc[0]
    assert (row["latitude"], row["longitude"], row["coordinates_source"]) == (
        0.71,
        -50.09,
        "https://b.example/velt",
    )


def test_an_agglomeration_named_by_its_cities_names_each_of_them():
    from geoscout.pages.coordinates import names_place

    assert names_place("| New York City | United States | 0.5 |", "New York–Newark")
    assert names_place("| Keihanshin | Japan |", "Osaka–Kobe (Keihanshin)")


TRIBUTARIES_PAGE = """# Tributaries of the Velt

| Tributary | Joins | Confluence lat | Confluence lon |
|---|---|---|---|
| Orm | Velt, near Kessa | −3.70 | −61.47 |
| Tarn | Velt, near Orvik | −3.13 | −64.77 |
"""


def test_a_row_places_the_place_its_first_cell_names_before_one_its_other_cells_name():
    orm = coordinates_on_page("Tributaries of the Velt", TRIBUTARIES_PAGE, "Orm")
    assert (orm.latitude, orm.longitude) == (-3.70, -61.47)  # a named point's 'lat' / 'lon' columns
    velt = "# Velt River\n\n- **Mouth:** Gulf of Ness, 0.71°N, 50.09°W\n\n" + TRIBUTARIES_PAGE.replace(
        "#", "##"
    )
    mouth = coordinates_on_page("Velt River", velt, "Velt", near="mouth")
    assert (mouth.latitude, mouth.longitude) == (0.71, -50.09)  # not where a tributary joins it


def test_a_facts_table_headed_by_the_place_gives_its_coordinates_on_a_page_titled_otherwise():
    page = (
        "# The Green Sea: a field guide\n\nA long desert lake.\n\n| Lake Orun | |\n|---|---|\n"
        "| Surface area | 6,405 km² |\n| Coordinates (centre) | 3.58°N, 36.12°E |\n"
    )
    position = coordinates_on_page("The Green Sea", page, "Lake Orun")
    assert (position.latitude, position.longitude) == (3.58, 36.12)
    assert coordinates_on_page("The Green Sea", page, "Lake Tarn") is None


@pytest.mark.parametrize(
    ("heading", "name", "label"),
    [
        ("Borneo at a glance", "Borneo", "Geographic centre"),
        ("Examplia in figures", "Examplia", "Geographic center"),
        ("Lake Orun facts", "Lake Orun", "Centroid"),
    ],
)
def test_a_facts_table_headed_by_the_place_gives_its_centre(heading, name, label):
    """Seen: '| Geographic centre | 0.96°N 114.55°E |' under 'Borneo at a glance' on 'The island of three
    nations', and the island left off the map."""
    page = f"# A page\n\nText.\n\n## {heading}\n\n| | |\n|---|---|\n| Area | 748,168 km² |\n"
    page += f"| {label} | 0.96°N 114.55°E |\n"
    position = coordinates_on_page("A page", page, name)
    assert (position.latitude, position.longitude) == (0.96, 114.55)


def test_a_place_no_page_about_it_places_is_placed_by_a_table_row_on_another_page_read():
    from geoscout.results import tabulate
    from geoscout.snapshot import Page

    pages = [
        Page(
            "https://a.example/rivers",
            "Rivers",
            "# Rivers\n\n| River | Length (km) |\n|---|---|\n| Orm | 900 |\n",
        ),
        Page("https://b.example/tributaries", "Tributaries of the Velt", TRIBUTARIES_PAGE),
    ]
    rows = [{"name": "Orm", "length_km": 900, "length_km_source": "https://a.example/rivers"}]
    row = tabulate(rows, pages, near="mouth").frame.iloc[0]
    assert (row["latitude"], row["coordinates_source"], row["coordinates_precision"]) == (
        -3.70,
        "https://b.example/tributaries",
        "page",
    )


@pytest.mark.parametrize(
    ("title", "markdown", "name"),
    [
        # every word of the name, in another order
        (
            "Amsterdam Airport Schiphol - Encyclopedia",
            "# Amsterdam Airport Schiphol\n\nText.",
            "Amsterdam-Schiphol (AMS)",
        ),
        ("University of Cambridge", "# University of Cambridge", "Cambridge University"),
        # a name the opening paragraph sets in bold
        (
            "Heathrow Airport - Encyclopedia",
            "# Heathrow Airport\n\n| IATA | LHR |\n| --- | --- |\n\n"
            "**Heathrow Airport**, also known as **London Heathrow**, is an airport.",
            "London Heathrow (LHR)",
        ),
        (
            "Spotify Camp Nou",
            "# Spotify Camp Nou\n\nThe **Spotify Camp Nou**, formerly **Nou Camp**, is a stadium.",
            "Nou Camp",
        ),
    ],
)
def test_a_page_is_about_a_place_its_own_names_give_in_other_words(title, markdown, name):
    assert is_about(title, markdown, name) and aboutness(title, markdown, name) == 1


@pytest.mark.parametrize(
    ("title", "markdown", "name"),
    [
        ("Amsterdam Airport Schiphol", "# Amsterdam Airport Schiphol", "AMS"),  # a code is no word's start
        ("London", "# London\n\n**London** is a city. **Heathrow** lies to its west.", "Heathrow Airport"),
        ("News", "# Airports\n\nLondon Heathrow has reclaimed its title.", "London Heathrow"),  # not in bold
        (
            "Lake Victoria",
            "# Lake Victoria\n\nIt borders **Uganda**.\n\n**Lake Malawi** is smaller.",
            "Lake Malawi",
        ),
    ],
)
def test_a_page_is_not_about_a_place_only_its_text_names(title, markdown, name):
    assert aboutness(title, markdown, name) == 0
