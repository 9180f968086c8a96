"""make_rows on the demo snapshot's real tables: ranking, join by place name, renaming, filters, errors."""

import re

import pytest

from geoscout.pages.tables import parse_tables
from geoscout.tools.rows import MakeRowsTool, TopRowsTool, make_rows, top_rows

UN = "https://population.un.org/wup/"
TEMPS = "https://georank.place/temperature-map"


@pytest.fixture(scope="module")
def tables(demo_snapshot):
    def table(url):
        return [dict(row, source=url) for row in parse_tables(demo_snapshot.page(url).markdown)[0]]

    return {"un": table(UN), "temps": table(TEMPS)}


KEYS = {
    "name": "Urban agglomeration",
    "country": "Country",
    "population": "Population (2018)",
    "dec_c": "Dec",
}


def test_rows_follow_the_table_of_the_first_value_whatever_the_order(tables):
    for order in ([tables["un"], tables["temps"]], [tables["temps"], tables["un"]]):
        rows = make_rows(order, KEYS, n=4)
        assert [r["name"] for r in rows] == [r["Urban agglomeration"] for r in tables["un"][:4]]
        assert [r["population"] for r in rows] == [r["Population (2018)"] for r in tables["un"][:4]]


def test_values_are_joined_by_place_name_with_their_sources(tables):
    rows = make_rows([tables["un"], tables["temps"]], KEYS, n=3)
    tokyo = next(r for r in tables["temps"] if r["City"] == "Tokyo")
    assert rows[0]["dec_c"] == tokyo["Dec"]
    assert rows[0]["dec_c_source"] == TEMPS and rows[0]["population_source"] == UN
    assert "country_source" not in rows[0] and "name_source" not in rows[0]


def test_the_name_column_of_the_other_table_falls_back_to_the_ranked_tables_names(tables):
    rows = make_rows([tables["temps"], tables["un"]], {**KEYS, "name": "City"}, n=2)
    assert [r["name"] for r in rows] == ["Tokyo", "Delhi"]


def test_where_keeps_only_the_listed_values(tables):
    rows = make_rows([tables["un"]], KEYS | {"dec_c": "Population (2018)"}, n=3, where={"Country": ["India"]})
    assert [r["country"] for r in rows] == ["India"] * 3
    assert rows[0]["name"] == next(r["Urban agglomeration"] for r in tables["un"] if r["Country"] == "India")


def test_a_place_missing_from_the_other_table_is_a_gap_not_an_error(tables):
    rows = make_rows([tables["un"], tables["temps"][:5]], KEYS, n=2)
    assert rows[0]["dec_c"] is None and rows[0]["population"] is not None


def test_an_unknown_column_names_the_columns_there_are(tables):
    with pytest.raises(ValueError, match=r"no column 'Inhabitants'.*Urban agglomeration"):
        make_rows([tables["un"]], {"name": "Urban agglomeration", "population": "Inhabitants"})


def test_a_table_that_is_not_a_table_is_refused():
    with pytest.raises(TypeError, match="table names"):
        MakeRowsTool()(tables=["table_9"], keys={"name": "x"})


def test_a_column_named_by_its_month_is_the_column_of_that_month(tables):
    assert top_rows(tables["temps"], "Average July temperature", 3) == top_rows(tables["temps"], "Jul", 3)
    assert top_rows(tables["temps"], "annual mean", 2) == top_rows(tables["temps"], "Year", 2)


def test_top_rows_ranks_by_the_column_either_way(tables):
    warmest = top_rows(tables["temps"], "Jul", 3)
    coldest = top_rows(tables["temps"], "Jul", 3, largest=False)
    july = sorted(r["Jul"] for r in tables["temps"])
    assert [r["Jul"] for r in warmest] == july[::-1][:3]
    assert [r["Jul"] for r in coldest] == july[:3]
    assert all(r["source"] == TEMPS for r in warmest)


def test_top_rows_skips_rows_without_a_number_and_names_the_columns_it_has():
    table = [{"City": "A", "Pop": 5}, {"City": "B", "Pop": ""}, {"City": "C", "Pop": 9}]
    assert [r["City"] for r in top_rows(table, "pop", 5)] == ["C", "A"]
    with pytest.raises(ValueError, match="their columns are \\['City', 'Pop'\\]"):
        top_rows(table, "Area", 2)
    with pytest.raises(TypeError, match="read_tables"):
        TopRowsTool()(table="table_1", column="Pop", n=2)


def test_a_column_without_numbers_ranks_nothing_and_gives_the_first_rows_in_page_order():
    table = [{"Country": c, "Capital": k} for c, k in [("Aland", "Arn"), ("Bosk", "Bel"), ("Cerra", "Cos")]]
    rows = top_rows(table, "Capital", 2)
    assert [r["Capital"] for r in rows] == ["Arn", "Bel"]
    assert "'Capital' holds no numbers to rank by" in repr(rows)


def test_ranking_a_table_without_the_column_ranks_the_one_table_read_that_has_it(demo_snapshot):
    from geoscout.tools import PageReader, ReadTablesTool

    reader = PageReader(demo_snapshot)
    un = ReadTablesTool(reader)(UN)[0]
    temps = ReadTablesTool(reader)(TEMPS)[0]
    assert TopRowsTool(reader)(table=un, column="Jul", n=3) == top_rows(temps, "Jul", 3)
    with pytest.raises(ValueError, match="no column 'Area'") as error:  # no page read has it
        TopRowsTool(reader)(table=un, column="Area", n=3)
    assert "The tables of" not in str(error.value)
    cities = "https://www.geonames.org/statistics/"
    ReadTablesTool(reader)(cities)  # now two tables have 'Rank': the model must say which
    with pytest.raises(ValueError, match=f"The tables of {UN}, {cities} have 'Rank'"):
        TopRowsTool(reader)(table=temps, column="Rank", n=3)


def test_the_region_the_question_names_limits_the_ranked_rows(demo_snapshot):
    from geoscout.question import read_question
    from geoscout.tools import PageReader, ReadTablesTool

    reader = PageReader(demo_snapshot)
    un = ReadTablesTool(reader)(UN)[0]
    reading = read_question("Which are the 3 largest cities in South America and their population?")
    tool = TopRowsTool(reader, reading)
    ranked = tool(table=un, column="Population (2018)", n=3)
    assert [r["Urban agglomeration"] for r in ranked] == [
        r["Urban agglomeration"]
        for r in top_rows(
            [r for r in un if r["Country"] in {"Brazil", "Argentina", "Peru", "Colombia"}],
            "Population (2018)",
            3,
        )
    ]
    assert {r["Country"] for r in ranked} <= {"Brazil", "Argentina", "Peru", "Colombia"}
    world = TopRowsTool(reader, read_question("Which are the 3 largest cities in the world?"))
    assert world(table=un, column="Population (2018)", n=3) == top_rows(un, "Population (2018)", 3)


@pytest.mark.parametrize(
    ("question", "columns", "wrong", "right"),
    [
        (
            "Which 5 cities of Examplia have the largest population?",
            ["City", "Jan", "Population"],
            "Jan",
            "Population",
        ),
        (
            "Map the 4 highest mountains of Examplia.",
            ["Mountain", "First ascent", "Height (m)"],
            "First ascent",
            "Height (m)",
        ),
        (
            "The 3 warmest cities of Examplia by annual mean temperature.",
            ["City", "Jan", "Year"],
            "Jan",
            "Year",
        ),
        (
            "Which 3 airports of Examplia were the busiest in 2023?",
            ["Airport", "2019", "2023"],
            "2019",
            "2023",
        ),
        ("The 3 countries with the highest GDP in 2020?", ["Country", "2010", "2020"], "2010", "2020"),
        (
            "Which 3 airports of Examplia had the most passengers in 2023?",
            ["Airport", "Passengers 2019", "Passengers 2023"],
            "Passengers 2019",
            "Passengers 2023",
        ),
        (
            "The 3 largest companies of Examplia by revenue in 2022",
            ["Company", "Revenue (2021)", "Revenue (2022)"],
            "Revenue (2021)",
            "Revenue (2022)",
        ),
        ("The 3 most visited cities of Examplia in 2019", ["City", "2021", "2019"], "2021", "2019"),
        ("The 3 coldest cities of Examplia in January", ["City", "Year", "Jan"], "Year", "Jan"),
    ],
)
def test_top_rows_says_once_that_a_column_is_not_what_the_question_ranks_by(question, columns, wrong, right):
    from geoscout.question import read_question

    table = [dict(zip(columns, [name, i, 10 * i], strict=True)) for i, name in enumerate("ABCD", start=1)]
    tool = TopRowsTool(reading=read_question(question))
    with pytest.raises(ValueError, match=re.escape(f"rank by {right!r}")):
        tool(table=table, column=wrong, n=2)
    assert [r[columns[0]] for r in tool(table=table, column=wrong, n=2)] == ["D", "C"]  # then accepted
    assert [r[columns[0]] for r in tool(table=table, column=right, n=2)] == ["D", "C"]


@pytest.mark.parametrize(
    ("question", "kept"),
    [
        ("Map the capitals of the Examplian League with their population.", 4),  # a set, no count
        ("Map the lakes of the Orrin basin with their area and depth.", 4),
        ("Map the islands of the Vessa archipelago with their area.", 4),
        ("Map the 2 largest lakes of the Orrin basin.", 3),  # counted or ranked: the n the model gives
        ("Map the largest lakes of the Orrin basin.", 3),
        ("Map the capitals of France, Spain and Italy with their population.", 3),  # named one by one
    ],
)
def test_a_question_naming_a_set_without_a_count_keeps_every_row_the_model_ranks(question, kept):
    from geoscout.question import read_question

    table = [{"Name": name, "Area": i} for i, name in enumerate("ABCD", start=1)]
    ranked = TopRowsTool(reading=read_question(question))(table=table, column="Area", n=3)
    assert len(ranked) == kept


@pytest.mark.parametrize(
    ("first", "wanted", "column"),
    [
        (("Lakes of Examplia by area", "| Lake | Area (km²) |\n|---|---|\n| Orrin | 1,840 |\n"),
         ("Deepest lakes of Examplia", "| Lake | Max depth (m) |\n|---|---|\n| Orrin | 212 |\n"),
         "Max depth"),
        (("Airports of Examplia by runway", "| Airport | Runway (m) |\n|---|---|\n| Vessa | 3,200 |\n"),
         ("Busiest airports of Examplia", "| Airport | Passengers |\n|---|---|\n| Vessa | 9,100,000 |\n"),
         "Passengers"),
        (("Tallest bridges of Examplia", "| Bridge | Height (m) |\n|---|---|\n| Kessel | 245 |\n"),
         ("Longest bridges of Examplia", "| Bridge | Length (m) |\n|---|---|\n| Kessel | 3,870 |\n"),
         "Length"),
    ],
)  # fmt: skip
def test_ranking_by_a_column_no_page_read_has_points_to_the_search_results_not_read(
    tmp_path, first, wanted, column
):
    """The first result is a list of the same places by another value: the error names the results the
    agent was shown and did not read, as the code that reads them."""
    from geoscout.snapshot import Snapshot
    from geoscout.tools import PageReader, ReadTablesTool, SnapshotSearch, WebSearchTool
    from tests.conftest import write_snapshot

    pages = {
        "a.md": ("https://atlas.example/first", f"# {first[0]}\n\n{first[1]}"),
        "b.md": ("https://atlas.example/wanted", f"# {wanted[0]}\n\n{wanted[1]}"),
    }
    snapshot = Snapshot.open(write_snapshot(tmp_path / "s", pages))
    reader = PageReader(snapshot)
    results = WebSearchTool(SnapshotSearch(snapshot), shown=reader.found)("Examplia")
    assert {r["url"] for r in results} == {"https://atlas.example/first", "https://atlas.example/wanted"}
    table = ReadTablesTool(reader)("https://atlas.example/first")[0]
    with pytest.raises(ValueError) as error:
        TopRowsTool(reader)(table=table, column=column, n=3)
    message = str(error.value)
    assert f"{wanted[0]!r}: read_tables('https://atlas.example/wanted')" in message
    assert "read_tables('https://atlas.example/first')" not in message  # read already


def test_a_month_column_is_not_offered_for_what_a_superlative_ranks_that_is_no_temperature():
    """Seen: "rank by 'Dec'" for "the 5 most populated cities … December temperature", said of a temperature
    table; the model then looked up all 270 cities' populations. The search results not read are named."""
    from geoscout.question import read_question

    reading = read_question("The 3 most populated cities of Examplia and their December temperature")
    table = [{"City": n, "Dec": i, "Year": 10 * i} for i, n in enumerate("ABCD", start=1)]
    with pytest.raises(ValueError) as refused:
        TopRowsTool(reading=reading)(table=table, column="Year", n=2)
    assert "rank by" not in str(refused.value) and "read a table that holds it" in str(refused.value)


@pytest.mark.parametrize(
    ("page", "column"),
    [
        (
            "## Busiest stations in 2024\n\n1. Shinjuku\n2. Shibuya\n3. Ikebukuro\n4. Yokohama\n",
            "Passengers 2024",
        ),
        ("Most visited museums:\n\n1) Louvre\n2) Vatican Museums\n3) British Museum\n4) Met\n", "visitors"),
        (
            "| # | Peak | Range |\n|---|---|---|\n| 1 | Alpha | X |\n| 2 | Beta | Y |\n| 3 | Gamma | X |\n"
            "| 4 | Delta | Z |\n",
            "Height (m)",
        ),
    ],
)
def test_a_bare_ranking_without_the_column_gives_its_first_rows_and_how_to_find_their_values(page, column):
    from geoscout.pages.tables import parse_tables

    ranked = top_rows(parse_tables(page)[0], column, 3)
    assert [row["Rank" if "Rank" in row else "#"] for row in ranked] == [1, 2, 3]
    assert "find_value(row[" in ranked.note and repr(column) in ranked.note


def test_a_bare_ranking_names_the_column_of_its_places_not_their_country():
    table = [
        {"Rank": i, "Country": c, "Airport": a} for i, (c, a) in enumerate([("X", "Orvan"), ("Y", "Tal")], 1)
    ]
    assert "find_value(row['Airport'], 'Passengers')" in top_rows(table, "Passengers", 2).note


def test_a_ranking_with_values_of_another_column_is_no_bare_ranking():
    table = [
        {"Rank": i, "Airport": a, "Passengers 2019": p} for i, (a, p) in enumerate([("A", 9), ("B", 8)], 1)
    ]
    with pytest.raises(ValueError, match="no column 'Passengers 2023'"):
        top_rows(table, "Passengers 2023", 2)


def test_the_tool_gives_a_bare_rankings_first_rows_for_a_column_it_lacks():
    from geoscout.pages.tables import parse_tables
    from geoscout.question import read_question
    from geoscout.snapshot import Page
    from geoscout.tools.webpage import PageReader

    page = Page("https://n.example/a", "News", "## Busiest in 2024\n\n1. Orvan\n2. Tessa\n3. Brell\n")
    reader = PageReader(type("Source", (), {"page": lambda self, url: page})())
    table = parse_tables(page.markdown)[0]
    tool = TopRowsTool(reader, read_question("Which 2 ports of Examplia were the busiest in 2024?"))
    ranked = tool(table=table, column="Passengers 2024", n=2)
    assert [row["Name"] for row in ranked] == ["Orvan", "Tessa"] and "find_value" in ranked.note


@pytest.mark.parametrize(
    ("question", "refused", "meant"),
    [
        ("Which are the 3 most populated cities of Examplia?", "Year", "Population (2018)"),
        ("The 3 highest mountains of Examplia, with their first ascent", "Prominence (m)", "Elevation (m)"),
        ("The 3 longest rivers of Examplia, with their basin area", "Discharge", "Length (km)"),
    ],
)
def test_a_column_refused_on_one_table_and_asked_of_a_table_without_it_names_the_one_meant(
    tmp_path, question, refused, meant
):
    """Seen: 'Year' refused on a temperature table, then asked the same way of the population table, which
    ranked the temperature table again (by its yearly mean) instead of the table given."""
    from geoscout.question import read_question
    from geoscout.snapshot import Snapshot
    from geoscout.tools import PageReader, ReadTablesTool
    from tests.conftest import write_snapshot

    pages = {
        "a.md": (
            "https://a.example/t",
            f"# A\n\n| Name | {refused} |\n|---|---|\n| P | 1960 |\n| Q | 1970 |\n",
        ),
        "b.md": (
            "https://b.example/t",
            f"# B\n\n| Name | {meant} |\n|---|---|\n| P | 8000 |\n| Q | 9000 |\n",
        ),
    }
    reader = PageReader(Snapshot.open(write_snapshot(tmp_path / "snap", pages)))
    reading = read_question(question)
    first, second = (
        ReadTablesTool(reader, reading)(url)[0] for url in ("https://a.example/t", "https://b.example/t")
    )
    tool = TopRowsTool(reader, reading)
    with pytest.raises(ValueError, match=re.escape(f"{refused!r} is not a column the question speaks of")):
        tool(table=first, column=refused, n=2)
    with pytest.raises(ValueError, match=re.escape(f"This table has {meant!r}, which the question ranks by")):
        tool(table=second, column=refused, n=2)
    assert [row["Name"] for row in tool(table=second, column=meant, n=2)] == ["Q", "P"]
    assert [row["Name"] for row in tool(table=first, column=refused, n=2)] == [
        "Q",
        "P",
    ]  # accepted the 2nd time
