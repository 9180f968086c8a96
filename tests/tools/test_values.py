"""find_value on a made-up web of per-place pages (subjects in no eval set): facts boxes, a climate table
with months as columns, one with months as rows, a value only in a sentence, and distractors beside each."""

import pytest

from geoscout.provenance import find_quote
from geoscout.snapshot import Snapshot
from geoscout.tools import PageReader, SnapshotSearch
from geoscout.tools.values import find_value
from tests.conftest import write_snapshot

PAGES = {
    "glacier.html": (
        "https://enc.example/wiki/Orm_Glacier",
        "<html><head><title>Orm Glacier - Encyclopedia</title></head><body><h1>Orm Glacier</h1>"
        '<table class="infobox"><caption>Orm Glacier</caption>'
        "<tr><th>Area</th><td>1,204&nbsp;km²<sup>[1]</sup></td></tr>"
        "<tr><th>Length</th><td>62&nbsp;km</td></tr>"
        "<tr><th>Average thickness</th><td>210 m</td></tr><tr><th>Max. thickness</th><td>915 m</td></tr>"
        "<tr><th>First surveyed</th><td>14 June 1894<br>by the Orm expedition</td></tr></table>"
        "<p>The glacier was resurveyed in 1977.</p></body></html>",
    ),
    "velmar-climate.md": (
        "https://weather.example/velmar",
        "# Velmar weather\n\nClimate data for Velmar (1991–2020)\n\n"
        "| Month | Jan | Feb | Mar | Apr | May | Jun | Jul | Aug | Sep | Oct | Nov | Dec | Year |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        "| Mean daily maximum °C | 5.1 | 6 | 9 | 13 | 17 | 21 | 24.0 | 23 | 19 | 14 | 9 | 6 | 13.8 |\n"
        "| Daily mean °C | 2.2 | 3 | 6 | 9 | 13 | 17 | 19.4 | 19 | 15 | 11 | 6 | 3 | 10.3 |\n"
        "| Mean daily minimum °C | −0.7 | 0 | 2 | 5 | 9 | 12 | 14.8 | 14 | 11 | 7 | 3 | 0 | 6.5 |\n",
    ),
    "dorrin-climate.md": (
        "https://travel.example/dorrin-weather",
        "# When to visit Dorrin\n\n| Month | Average high (°C) | Average low (°C) | Mean (°C) |\n"
        "|---|---|---|---|\n"
        "| January | 30.1 | 22.0 | 26.0 |\n| July | 24.3 | 15.9 | 20.1 |\n| Year | 27.6 | 19.2 | 23.4 |\n",
    ),
    "ferry.md": (
        "https://news.example/kessa-ferry",
        "# The Kessa ferry turns 100\n\nThe Kessa ferry line, opened in 1925, carried 3.4 million passengers "
        "last year, up from 2.9 million a decade ago.\n",
    ),
}


def web_with_tables_read(folder, pages, url=None):
    """A made-up web: its search, and a page reader that has read the tables of ``url`` (the agent's own
    table), when one is given."""
    from geoscout.tools import ReadTablesTool

    snapshot = Snapshot.open(write_snapshot(folder, pages))
    reader = PageReader(snapshot)
    if url:
        ReadTablesTool(reader)(url)
    return SnapshotSearch(snapshot), reader


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    folder = write_snapshot(tmp_path_factory.mktemp("web"), PAGES)
    snapshot = Snapshot.open(folder)
    return SnapshotSearch(snapshot), snapshot


@pytest.mark.parametrize(
    ("place", "what", "value", "url"),
    [
        ("Orm Glacier", "area in km²", 1204, "https://enc.example/wiki/Orm_Glacier"),
        ("Orm Glacier", "maximum thickness in m", 915, "https://enc.example/wiki/Orm_Glacier"),
        ("Orm Glacier", "year first surveyed", 1894, "https://enc.example/wiki/Orm_Glacier"),
        ("Velmar", "average annual temperature in °C", 10.3, "https://weather.example/velmar"),
        ("Velmar", "average July temperature in °C", 19.4, "https://weather.example/velmar"),
        ("Velmar", "July daily maximum temperature in °C", 24.0, "https://weather.example/velmar"),
        ("Dorrin", "average annual temperature in °C", 23.4, "https://travel.example/dorrin-weather"),
        ("Kessa ferry", "passengers last year", 3400000, "https://news.example/kessa-ferry"),
    ],
)
def test_a_places_value_is_read_from_the_page_about_it_and_can_be_quoted(web, place, what, value, url):
    backend, snapshot = web
    reader = PageReader(snapshot)
    found = find_value(place, what, backend, reader)
    assert (found["value"], found["source"]) == (value, url)
    assert find_quote(reader.text(url), place, found["value"])  # stated on that page, as provenance reads it


def test_a_value_no_page_states_is_none_with_a_note(web):
    backend, snapshot = web
    found = find_value("Orm Glacier", "annual rainfall in mm", backend, PageReader(snapshot))
    assert found["value"] is None and found["source"] is None and "no page found" in found["note"]


def test_the_questions_period_completes_the_words_the_model_wrote(web):
    from geoscout.question import read_question

    backend, snapshot = web
    reading = read_question("Map 3 cities with their average temperature in July.")
    found = find_value("Velmar", "average temperature of cities", backend, PageReader(snapshot), reading)
    assert found["value"] == 19.4


def test_a_fact_in_words_comes_back_as_words():
    from geoscout.pages.values import candidates

    page = "# Arena Verde\n\n| | |\n|---|---|\n| City | Barcelona, Spain |\n| Capacity | 61,000 |\n"
    assert candidates("Arena Verde", page, "Arena Verde", "the city it is in")[0].value == "Barcelona, Spain"
    assert candidates("Arena Verde", page, "Arena Verde", "seating capacity")[0].value == 61000
    listed = "# Orrinland\n\n- **Capital:** Vessa\n- **Area:** 41,200 km²\n"
    assert candidates("Orrinland", listed, "Orrinland", "capital")[0].value == "Vessa"  # no '** ' left


@pytest.mark.parametrize("cell", ["—", "–", "?", "n/a", ""])
def test_a_cell_that_states_nothing_is_no_value(cell):
    """Seen: a list's '—' for an airport whose figure was not yet out, taken as its passengers."""
    from geoscout.pages.values import candidates

    page = f"# Busiest\n\n| Airport | Passengers 2023 |\n|---|---|\n| Orvan Airport | {cell} |\n"
    assert candidates("Busiest", page, "Orvan Airport", "passengers in 2023") == []


def test_a_value_the_question_never_speaks_of_is_not_looked_for(web):
    from geoscout.question import read_question

    backend, snapshot = web
    reading = read_question("Map the 3 largest glaciers with their area in km².")
    found = find_value("Orm Glacier", "year of completion", backend, PageReader(snapshot), reading)
    assert found["value"] is None and "does not ask for" in found["note"]
    assert find_value("Orm Glacier", "area", backend, PageReader(snapshot), reading)["value"] == 1204


def test_a_value_the_agents_own_table_holds_comes_from_that_table(tmp_path):
    """A list page ranks three ports by their throughput; another page gives other figures for them. Asked
    for a port's throughput, find_value keeps the ranked table's cell (its row, the column the words mean)."""

    pages = {
        "league.md": (
            "https://ports.example/league-2022",
            "# Port league table 2022\n\n| Port | Country | Throughput (TEU) |\n|---|---|---|\n"
            "| Harlow | Examplia | 9,100,000 |\n| Port Vessa | Examplia | 7,300,000 |\n",
        ),
        "harlow.md": (
            "https://enc.example/wiki/Harlow",
            "# Harlow\n\n| | |\n|---|---|\n| Throughput | 12,000,000 TEU (2015) |\n",
        ),
    }
    backend, fresh = web_with_tables_read(tmp_path / "before", pages)
    before = find_value("Harlow", "throughput", backend, fresh)
    assert before["source"] == "https://enc.example/wiki/Harlow"  # no table read: the page about it
    backend, reader = web_with_tables_read(tmp_path / "ports", pages, "https://ports.example/league-2022")
    found = find_value("Harlow", "throughput", backend, reader)
    assert (found["value"], found["source"]) == (9100000, "https://ports.example/league-2022")
    assert found["label"] == "Throughput (TEU)"
    # a value the ranked table lacks is still looked up on the place's page
    assert find_value("Port Vessa", "year opened", backend, reader)["value"] is None


def test_the_places_own_name_is_not_its_value():
    from geoscout.pages.values import candidates

    page = "# Cities\n\n| Rank | City | Country |\n|---|---|---|\n| 32 | Brenford | Examplia |\n"
    assert [c.value for c in candidates("Cities", page, "Brenford", "city population")] == []


def test_the_name_column_of_the_agents_table_is_no_value_of_its_places(tmp_path):
    """Seen: 'population within city limits' meant the 'City' column, and each city's value was its name."""
    from geoscout.question import read_question
    from geoscout.tools import ReadTablesTool

    page = "# Towns\n\n| Town | Population (town proper) |\n|---|---|\n| Brenford | 81,200 |\n"
    snapshot = Snapshot.open(
        write_snapshot(tmp_path / "towns", {"towns.md": ("https://towns.example/", page)})
    )
    backend, reader = SnapshotSearch(snapshot), PageReader(snapshot)
    reading = read_question("Map the 3 largest towns of Examplia, with their population within town limits")
    ReadTablesTool(reader, reading)("https://towns.example/")
    found = find_value("Brenford", "population within town limits", backend, reader, reading)
    assert (found["value"], found["source"]) == (81200, "https://towns.example/")


def test_a_column_of_the_agents_table_the_question_does_not_ask_for_is_not_taken(tmp_path):
    """The model copies a list's 'First winter ascent' column name; the question asks for the first ascent,
    which the mountain's own page states."""
    from geoscout.question import read_question

    pages = {
        "list.md": (
            "https://peaks.example/list",
            "# Highest peaks of Examplia\n\n| Mountain | Height[1] | First winter ascent |\n|---|---|---|\n"
            "| Mount Orrin / Tal Kora | 7,912 | 1988 |\n",
        ),
        "orrin.md": (
            "https://enc.example/wiki/Mount_Orrin",
            "# Mount Orrin\n\n| | |\n|---|---|\n| Elevation | 7,912 m |\n| First ascent | 12 May 1961 |\n",
        ),
    }
    backend, reader = web_with_tables_read(tmp_path / "peaks", pages, "https://peaks.example/list")
    reading = read_question("Map the 3 highest mountains of Examplia with the year of their first ascent.")
    ascent = find_value("Mount Orrin / Tal Kora", "first winter ascent", backend, reader, reading)
    assert (ascent["value"], ascent["source"]) == (1961, "https://enc.example/wiki/Mount_Orrin")
    height = find_value("Mount Orrin / Tal Kora", "height", backend, reader, reading)
    assert (height["value"], height["source"]) == (7912, "https://peaks.example/list")


@pytest.mark.parametrize(
    ("label", "what", "fits"),
    [
        ("First winter ascent", "year of first ascent", False),
        ("First ascent", "year of first ascent", True),
        ("Average high temperature", "average temperature", False),
        ("Daily mean °C Jul", "average July temperature in °C", True),
        ("Mean daily minimum °C Jul", "average July temperature in °C", False),
        ("Max. depth", "maximum depth in m", True),
    ],
)
def test_a_label_that_puts_another_word_between_the_asked_ones_names_another_value(label, what, fits):
    from geoscout.pages.values import fit

    assert (fit(label, what) > 0) is fits


@pytest.mark.parametrize(
    ("rows", "what", "value"),
    [
        ((("Top floor", "585.7 m"), ("Floor count", "163 above ground")), "number of floors", 163),
        (
            (("Visitor centre", "1.2 km²"), ("Visitor count (2023)", "4,180,000")),
            "number of visitors",
            4180000,
        ),
        ((("Seat pitch", "0.8 m"), ("Seat count", "81,365")), "number of seats", 81365),
    ],
)
def test_a_count_is_the_number_of_what_it_counts(rows, what, value):
    """Seen: 'Top floor 585.7 m' taken for "their number of floors above ground"."""
    from geoscout.pages.values import candidates

    page = "# Tower\n\n| Tower | |\n|---|---|\n" + "".join(f"| {label} | {cell} |\n" for label, cell in rows)
    found = sorted(candidates("Tower", page, "Tower", what), key=lambda c: -c.score)
    assert found[0].value == value


def test_a_list_column_that_only_names_a_period_is_no_value():
    from geoscout.pages.values import candidates

    page = "# Capitals\n\n| Country | Capital | Year |\n|---|---|---|\n| Examplia | Brenford | 1990 |\n"
    assert [c.value for c in candidates("Capitals", page, "Brenford", "average annual temperature")] == []


def test_a_list_column_naming_a_period_holds_the_measure_its_caption_names():
    from geoscout.pages.values import candidates

    page = (
        "# Monthly rainfall\n\nAverage monthly rainfall of towns (mm)\n\n"
        "| Town | Country | Jan | Feb | Year |\n|---|---|---|---|---|\n"
        "| Brenford | Examplia | 81 | 64 | 900 |\n"
    )

    def best(what):
        return [c.value for c in candidates("Rainfall", page, "Brenford", what)][:1]

    assert best("average rainfall in February") == [64]
    assert best("annual rainfall") == [900]


def test_a_country_stands_for_the_place_of_the_asked_kind_its_table_pairs_it_with(tmp_path):
    """Asked for the capitals of a group of countries, the model looks up each country's temperature; the
    value is the capital's, which the table the agent read pairs with the country."""
    from geoscout.question import read_question

    pages = {
        "capitals.md": (
            "https://enc.example/wiki/Capitals_of_the_Northern_League",
            "# Capitals of the Northern League\n\n| Country | Capital | Population |\n|---|---|---|\n"
            "| Norway | Vessa[a] | 410,000 |\n| Finland | Orrin | 655,000 |\n",
        ),
        "vessa.md": (
            "https://weather.example/vessa",
            "# Vessa climate\n\n| Month | Jan | Jul | Year |\n|---|---|---|---|\n"
            "| Daily mean °C | −4.3 | 16.4 | 5.7 |\n",
        ),
        "orrin.md": (
            "https://weather.example/orrin",
            "# Orrin\n\nOrrin has an annual mean temperature of 6.1 °C.\n",
        ),
    }
    league = "https://enc.example/wiki/Capitals_of_the_Northern_League"
    backend, reader = web_with_tables_read(tmp_path / "league", pages, league)
    capitals = read_question(
        "Map the capitals of the Northern League with their population and average annual temperature."
    )
    vessa = find_value("Norway", "average annual temperature", backend, reader, capitals)
    assert (vessa["value"], vessa["source"]) == (5.7, "https://weather.example/vessa")
    assert find_value("Finland", "average annual temperature", backend, reader, capitals)["value"] == 6.1
    assert find_value("Norway", "population", backend, reader, capitals)["value"] == 410000
    # a question about countries asks for the country's own value
    countries = read_question(
        "Map the countries of the Northern League with their average annual temperature."
    )
    assert find_value("Norway", "average annual temperature", backend, reader, countries)["value"] is None


@pytest.mark.parametrize(
    ("header", "value", "what"),
    [
        ("Population (city proper)", "412,000", "population within city limits"),
        ("Passengers (2023)", "9,100,000", "passengers per year"),
        ("Max. depth (m)", "212", "maximum depth in m"),
    ],
)
def test_the_agents_table_answers_words_that_name_its_column_in_other_terms(tmp_path, header, value, what):
    """The agent ranked its own table; the same words asked of find_value come from that table's column
    that the words name (by shared word stems), not from another page's figure for something else."""

    pages = {
        "list.md": (
            "https://stats.example/list",
            f"# Orrin and Vessa\n\n| Name | Country | {header} |\n|---|---|---|\n"
            f"| Orrin | Examplia | {value} |\n",
        ),
        "other.md": (
            "https://other.example/orrin",
            "# Orrin\n\n| | |\n|---|---|\n| Population | 2,950,000 |\n| Passengers | 1,200,000 |\n"
            "| Depth | 40 m |\n",
        ),
    }
    backend, reader = web_with_tables_read(tmp_path / "s", pages, "https://stats.example/list")
    found = find_value("Orrin", what, backend, reader)
    assert (found["source"], found["label"]) == ("https://stats.example/list", header)


@pytest.mark.parametrize(
    ("sentence", "what", "value"),
    [
        # a sentence that only names the place is no value of it (seen: '1,500 km from the sea … Peru' as
        # Peru's life expectancy)
        ("Ships sail 1,500 km upstream to Orrin.", "life expectancy at birth", None),
        ("Orrin had 2.1 million visitors in 2021.", "visitors in 2023", None),  # another year's figure
        ("In 2000, Orrin had 1.2 million visitors.", "visitors", 1200000),  # 'in 2000' is a date
        ("In 2000, only Orrin could expect its newborns to live beyond 75 years.", "life expectancy", 75),
        ("Orrin was first climbed on 3 May 1961.", "year of first ascent", 1961),
        # one word inside the asked ones names another value: the winter ascent, the women's figure
        ("Orrin was first climbed in 1961. The first winter ascent was made in 1988.", "first ascent", 1961),
        ("Life expectancy of women at birth in Orrin is 81.2 years.", "life expectancy at birth", None),
        # the number nearest where most asked words stand together, not the first one of them
        (
            "Eruptions of Orrin were seen in 1822 and 1838, and the last eruption in 1960.",
            "year of last eruption",
            1960,
        ),
        (
            "The metro population of Orrin is 9.1 million; its city population is 3.4 million.",
            "city population",
            3400000,
        ),
        ("Orrin has a total length of 2,910 m and a main span length of 1,650 m.", "main span length", 1650),
    ],
)
def test_a_sentence_gives_the_value_it_states_for_what_is_asked_and_no_other_number(sentence, what, value):
    from geoscout.pages.values import candidates

    found = candidates("Notes", f"# Notes\n\n{sentence}\n", "Orrin", what)
    assert (found[0].value if found else None) == value


def test_a_column_the_agent_ranked_by_gives_the_value_asked_in_other_words(tmp_path):
    """The agent ranked a table by 'Forest cover, all land types (%)' and asks find_value for the 'forest
    cover in 2020' of each row: the column it ranked by holds it, though the question never says 'land
    types' (seen: 'Life expectancy at birth, both sexes (years)' and each country's value from other
    pages)."""
    from geoscout.question import read_question
    from geoscout.tools import TopRowsTool

    pages = {
        "forest.md": (
            "https://stats.example/forest-2020",
            "# Forest cover, 2020\n\n"
            "| Country | Forest cover, all land types (%) | Forest cover, primary (%) |\n|---|---|---|\n"
            "| Finland | 73.7 | 2.8 |\n| Sweden | 68.7 | 3.1 |\n| Norway | 33.4 | 1.9 |\n",
        ),
        "finland.md": (
            "https://enc.example/wiki/Finland",
            "# Finland\n\nIn 2020 forest cover in Finland was about 75 per cent of the land.\n",
        ),
    }
    backend, reader = web_with_tables_read(tmp_path / "forest", pages, "https://stats.example/forest-2020")
    reading = read_question("Which 2 countries of Europe had the largest forest cover in 2020, in %?")
    (table,) = reader.tables_read()
    assert find_value("Finland", "forest cover in 2020", backend, reader, reading)["value"] != 73.7
    TopRowsTool(reader, reading)(table, "Forest cover, all land types (%)", 2)
    found = find_value("Finland", "forest cover in 2020", backend, reader, reading)
    assert (found["value"], found["source"]) == (73.7, "https://stats.example/forest-2020")


def test_a_country_stands_for_the_place_of_the_asked_kind_its_own_page_names(tmp_path):
    """Asked for the capitals of countries it names one by one, the model looks up each country's value
    before reading any table that pairs them: the country's page (or a table naming it) states its capital,
    whose page holds the value, and the answer is named by it."""
    from geoscout.question import read_question

    pages = {
        "norway.html": (
            "https://enc.example/wiki/Norway",
            "<html><head><title>Norway - Encyclopedia</title></head><body><h1>Norway</h1>"
            '<table class="infobox"><tr><th>Capital</th><td><a href="/wiki/Vessa">Vessa</a></td></tr>'
            "<tr><th>Area</th><td>385,207 km²</td></tr></table><p>Norway has a mean temperature of 1.5 °C."
            "</p></body></html>",
        ),
        "vessa.md": (
            "https://weather.example/vessa",
            "# Vessa climate\n\n| Month | Jan | Jul | Year |\n|---|---|---|---|\n"
            "| Daily mean °C | −4.3 | 16.4 | 5.7 |\n",
        ),
    }
    snapshot = Snapshot.open(write_snapshot(tmp_path / "norway", pages))
    backend, reader = SnapshotSearch(snapshot), PageReader(snapshot)
    capitals = read_question("What is the average annual temperature in the capitals of Norway and Finland?")
    found = find_value("Norway", "average annual temperature", backend, reader, capitals)
    assert (found["name"], found["value"], found["source"]) == ("Vessa", 5.7, "https://weather.example/vessa")
    # the capital itself, asked of the country, is its name, not the question's temperature
    capital = find_value("Norway", "capital", backend, reader, capitals)
    assert capital["value"] == "Vessa" and capital["name"] == "Vessa"  # the row's name, whichever is taken
    # that answer given whole, or a table row, stands for the place it names
    assert find_value(capital, "average annual temperature", backend, reader, capitals)["value"] == 5.7
    row = {"City": "Vessa", "Country": "Norway", "source": "https://x.example/"}
    assert find_value(row, "average annual temperature", backend, reader, capitals)["value"] == 5.7
    # with no question read, a row stands for its place, not its country, whichever column comes first
    row = {"Country": "Norway", "City": "Vessa", "source": "https://x.example/"}
    assert find_value(row, "average annual temperature", backend, reader, None)["value"] == 5.7
    # a question about the countries themselves asks for the country's own value
    countries = read_question("What is the average annual temperature of Norway and Finland?")
    assert find_value("Norway", "average annual temperature", backend, reader, countries)["value"] == 1.5


def test_the_period_the_question_gives_one_value_is_not_added_to_another(tmp_path):
    """ "their population and their average annual temperature": the population is no annual figure (seen:
    each capital's yearly precipitation, from its climate page's Year column, as its population)."""
    from geoscout.question import read_question

    pages = {
        "vessa.md": (
            "https://weather.example/vessa",
            "# Vessa climate\n\n| Month | Jan | Jul | Year |\n|---|---|---|---|\n"
            "| Daily mean °C | −4.3 | 16.4 | 5.7 |\n| Average precipitation mm | 49 | 81 | 763 |\n",
        )
    }
    backend, reader = web_with_tables_read(tmp_path / "vessa", pages)
    reading = read_question(
        "Map the 3 largest towns of Orrinland with their population and their average annual temperature."
    )
    assert find_value("Vessa", "population", backend, reader, reading)["value"] is None
    assert find_value("Vessa", "average annual temperature", backend, reader, reading)["value"] == 5.7


@pytest.mark.parametrize(
    ("question", "what", "value"),
    [
        ("Map the 3 largest lakes of Orrinland by surface area, with their area in km²", "area in km²", 4210),
        (
            "Map the 3 largest towns of Orrinland, with their population within town limits",
            "population",
            81200,
        ),
        ("Which 3 towns of Orrinland have the highest daily maximum in July?", "July temperature", 24.1),
    ],
)
def test_of_labels_that_fit_the_words_as_well_the_one_the_question_speaks_of_wins(
    tmp_path, question, what, value
):
    """Seen: Lake Victoria's catchment area, listed above its surface area, for "by surface area"."""
    from geoscout.question import read_question

    pages = {
        "vessa.md": (
            "https://enc.example/wiki/Vessa",
            "# Vessa\n\n| | |\n|---|---|\n| Catchment area | 18,900 km² |\n| Surface area | 4,210 km² |\n"
            "| Metro population | 240,000 |\n| Town population | 81,200 |\n\n"
            "| Month | Jan | Jul |\n|---|---|---|\n| Daily mean °C | −4.3 | 16.4 |\n"
            "| Daily maximum °C | 0.2 | 24.1 |\n",
        )
    }
    backend, reader = web_with_tables_read(tmp_path / "vessa", pages)
    assert find_value("Vessa", what, backend, reader, read_question(question))["value"] == value


def test_a_row_naming_the_place_only_in_its_country_column_is_another_places_row():
    """Seen: Buenos Aires's population, from a table of agglomerations, as the population of Argentina; a
    table of countries, with the continent after the name, still gives the country's own row."""
    from geoscout.pages.values import candidates

    cities = (
        "# Largest agglomerations\n\n| Rank | Agglomeration | Country | Population |\n|---|---|---|---|\n"
        "| 1 | Vessa | Norway | 1,204,000 |\n"
    )
    assert candidates("Largest agglomerations", cities, "Norway", "population") == []
    assert candidates("Largest agglomerations", cities, "Vessa", "population")[0].value == 1204000
    countries = "# Countries\n\n| Country | Continent | Population |\n|---|---|---|\n"
    countries += "| Norway | Europe | 5,425,000 |\n"
    assert candidates("Countries", countries, "Norway", "population")[0].value == 5425000


def test_a_places_country_is_found_though_the_question_does_not_name_it(tmp_path):
    """Every row has a country: asked for it, find_value reads it, as it does the city a question asks."""
    from geoscout.question import read_question

    pages = {
        "arena.md": (
            "https://enc.example/wiki/Arena_Verde",
            "# Arena Verde\n\n| | |\n|---|---|\n| City | Vessa |\n| Country | Norway |\n"
            "| Capacity | 61,000 |\n",
        )
    }
    backend, reader = web_with_tables_read(tmp_path / "arena", pages)
    reading = read_question(
        "Map the 3 largest stadiums of Europe with their capacity and the city they are in."
    )
    assert find_value("Arena Verde", "country", backend, reader, reading)["value"] == "Norway"
    assert find_value("Arena Verde", "city", backend, reader, reading)["value"] == "Vessa"


def test_a_column_of_another_year_yields_to_a_sentence_stating_the_asked_years_value():
    """Seen: an airport's 2019 figure from an old list's column for "passengers in 2023", its own page's
    sentence giving 2023's; another year's column still answers when nothing states the asked year's."""
    from geoscout.pages.values import candidates

    listed = "# Busiest in 2019\n\n| Airport | Passengers 2019 |\n|---|---|\n| Orrin Airport | 71,706,999 |\n"
    own = "# Orrin Airport\n\nOrrin Airport handled 61.9 million passengers in 2023.\n"
    found = candidates("Busiest", listed, "Orrin Airport", "passengers in 2023")
    found += candidates("Orrin Airport", own, "Orrin Airport", "passengers in 2023")
    assert max(found, key=lambda c: c.score).value == 61900000
    assert candidates("Busiest", listed, "Orrin Airport", "passengers in 2023")[0].value == 71706999
    # a column of the asked year, or of no year, is not held back
    for header in ("Passengers 2023", "Passengers"):
        table = listed.replace("Passengers 2019", header)
        assert candidates("Busiest", table, "Orrin Airport", "passengers in 2023")[0].score >= 1.0


def test_the_year_the_question_asks_of_dates_the_value_looked_up(tmp_path):
    """ "the busiest airports in 2023, with their passenger numbers": each airport's figure is 2023's, though
    the words the agent passes name no year (seen: an old list's 2019 column taken for Schiphol)."""
    from geoscout.question import read_question

    pages = {
        "old.md": (
            "https://lists.example/busiest-2019",
            "# Busiest airports in 2019\n\n| Airport | Passengers 2019 |\n|---|---|\n"
            "| Orrin Airport | 71,706,999 |\n",
        ),
        "orrin.md": (
            "https://wiki.example/orrin-airport",
            "# Orrin Airport\n\nOrrin Airport handled 61.9 million passengers in 2023, "
            "after 52.5 million in 2022.\n",
        ),
    }
    backend, reader = web_with_tables_read(tmp_path / "air", pages, "https://lists.example/busiest-2019")
    reading = read_question("What are the 3 busiest airports in 2023, with their passenger numbers?")
    assert find_value("Orrin Airport", "passenger numbers", backend, reader, reading)["value"] == 61900000


@pytest.mark.parametrize(
    ("place", "label", "line", "question", "what", "value"),
    [
        ("Orrin Airport", "Passengers (2022)", "In 2023 Orrin Airport\nhandled 76,027,321 passengers.",
         "The 3 busiest airports in 2023, with their passengers", "passengers", 76027321),
        ("Orrin Museum", "Visitors (2019)", "The Orrin Museum had 4,180,000 visitors in 2023.",
         "The 3 most visited museums in 2023, with their visitors", "visitors", 4180000),
        ("Orrin Corp", "Revenue (2021)", "In 2023 Orrin Corp reported revenue of 9,120 million.",
         "The 3 largest companies of Examplia in 2023 by revenue", "revenue", 9120000000),
    ],
)  # fmt: skip
def test_on_the_page_about_a_place_a_label_of_another_year_yields_to_a_line_of_the_asked_one(
    tmp_path, place, label, line, question, what, value
):
    """Seen: an airport's infobox 'Passengers (2022)' taken, its own page's next paragraph stating 2023's."""
    from geoscout.question import read_question

    page = f"# {place}\n\n| Field | Value |\n|---|---|\n| {label} | 64,289,107 |\n\n{line}\n"
    snapshot = Snapshot.open(write_snapshot(tmp_path / "own", {"own.md": ("https://own.example/", page)}))
    found = find_value(place, what, SnapshotSearch(snapshot), PageReader(snapshot), read_question(question))
    assert found["value"] == value


@pytest.mark.parametrize(
    ("title", "page", "place", "what", "value"),
    [
        (
            "Orvan tops the rankings as Tessaport climbs",
            "# Orvan tops the rankings as Tessaport climbs\n\n| Rank | Name | TEU |\n|---|---|---|\n"
            "| 1 | Orvan | 47,300,000 |\n| 2 | Tessaport | 25,700,000 |\n",
            "Tessaport",
            "throughput in TEU",
            25700000,
        ),
        (
            "Brenford",
            "# Brenford\n\nBrenford is a city of Examplia.\n\n## Nearby towns\n\n| Town | Population |\n"
            "|---|---|\n| Calder | 120,000 |\n| Brenford | 81,200 |\n",
            "Brenford",
            "population",
            81200,
        ),
        (
            "Mount Orrin",
            "# Mount Orrin\n\n| Peak | Elevation (m) |\n|---|---|\n| Mount Tessa | 4,810 |\n"
            "| Mount Orrin | 4,634 |\n",
            "Mount Orrin",
            "elevation",
            4634,
        ),
    ],
)
def test_in_a_list_on_the_page_about_a_place_only_its_own_row_is_its_value(title, page, place, what, value):
    """Seen: a news page titled by a port's climb, its list's first row taken as that port's throughput."""
    from geoscout.pages.values import candidates

    assert {c.value for c in candidates(title, page, place, what)} == {value}


@pytest.mark.parametrize(
    ("page", "what", "value"),
    [
        (
            "# Orvan Airport\n\nThe final figures came in February. In 2023 Orvan Airport\n"
            "handled 76,027,321 passengers, 18.3 % more than in 2022.\n",
            "passengers in 2023",
            76027321,
        ),
        (
            "# Orvan Bridge\n\nThe bridge was first opened to traffic\nin 1998, after ten years of work.\n",
            "year opened to traffic",
            1998,
        ),
        (
            "# Orvan Museum\n\nThe museum welcomed 4,180,000 visitors, 12 % more\nthan the year before.\n",
            "number of visitors",
            4180000,
        ),
    ],
)
def test_a_sentence_wrapped_over_lines_is_read_whole(page, what, value):
    from geoscout.pages.values import candidates

    assert candidates(page.splitlines()[0][2:], page, page.splitlines()[0][2:], what)[0].value == value


@pytest.mark.parametrize(
    ("place", "rows", "what", "value"),
    [
        ("Baffin Island", "| Mount Odin | 2,147 m | highest point of the island |\n"
         "| Mount Asgard | 2,015 m | twin towers |\n", "elevation of the highest point in metres", 2147),
        ("Lake Orrin", "| North basin | 706 m | deepest point of the lake |\n| South basin | 310 m | |\n",
         "maximum depth, the deepest point", 706),
        ("Tessa Range", "| Mount Vel | 3,480 m | |\n| Mount Orr | 4,810 m | highest peak of the range |\n",
         "elevation of the highest peak", 4810),
    ],
)  # fmt: skip
def test_a_row_on_the_page_about_a_place_that_says_what_is_asked_gives_its_number(place, rows, what, value):
    """Seen: an island's highest point only in a table of its peaks, in a note on the highest one."""
    from geoscout.pages.values import candidates

    page = f"# {place}\n\n## Features\n\n| Name | Height | Notes |\n|---|---|---|\n{rows}"
    assert [c.value for c in candidates(place, page, place, what)] == [value]
    other = page.replace(f"# {place}", "# Peaks of Examplia")
    assert candidates("Peaks of Examplia", other, place, what) == []  # a page about no such place: none


def test_an_infobox_whose_title_row_names_the_place_is_no_list():
    """Seen: the infobox's first row 'Sagarmatha · Chomolungma' named the place, and its 'First ascent' row
    was skipped as another place's row."""
    from geoscout.pages.values import candidates

    page = (
        "# Mount Orrin\n\n| | |\n|---|---|\n| Orrin (Examplian) · Orrinberg | |\n"
        "| Elevation | 4,810 m |\n| First ascent | 8 August 1786 |\n"
    )
    found = candidates("Mount Orrin", page, "Mount Orrin / Orrin / Orrinberg", "year of first ascent")
    assert found[0].value == 1786


@pytest.mark.parametrize(
    ("section", "label", "what", "question"),
    [
        ("Statistics (2022)", "Passengers", "passengers", "The 3 busiest airports of Examplia in 2023"),
        ("Attendance (2019)", "Visitors", "visitors", "The 3 most visited museums of Examplia in 2023"),
        ("Financials (2021)", "Revenue", "revenue", "The 3 largest companies of Examplia by revenue in 2023"),
    ],
)
def test_an_infobox_section_of_another_year_dates_the_rows_under_it(tmp_path, section, label, what, question):
    """Seen: an airport's infobox 'Passengers' under 'Statistics (2022)' taken for 2023, over the list's
    2023 column."""
    from geoscout.question import read_question

    own = f"# Orrin\n\n| | |\n|---|---|\n| Orrin | |\n| {section} | |\n| {label} | 57,474,033 |\n"
    listed = f"# The list\n\n| Name | {label} 2023 |\n|---|---|\n| Orrin | 67,421,316 |\n"
    pages = {"own.md": ("https://own.example/orrin", own), "list.md": ("https://list.example/", listed)}
    snapshot = Snapshot.open(write_snapshot(tmp_path / "s", pages))
    found = find_value("Orrin", what, SnapshotSearch(snapshot), PageReader(snapshot), read_question(question))
    assert (found["value"], found["source"]) == (67421316, "https://list.example/")
