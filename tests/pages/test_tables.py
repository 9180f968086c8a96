import pytest

from geoscout.pages.tables import parse_table_blocks, parse_tables, title_of_table


def test_parse_tables_keys_rows_by_header():
    text = (
        "intro\n\n| City | Pop |\n| --- | ---: |\n| A | 1,000 |\n| B | 2 |\n\ntext\n\n| X |\n|---|\n| y |\n"
    )
    tables = parse_tables(text)
    assert tables == [[{"City": "A", "Pop": 1000}, {"City": "B", "Pop": 2}], [{"X": "y"}]]


def test_no_tables():
    assert parse_tables("just | a pipe in prose") == []


@pytest.mark.parametrize(
    ("wanted", "headers", "meant"),
    [
        ("population", ["City", "Population (2018)"], "Population (2018)"),
        ("Jan", ["City", "January", "February"], "January"),
        ("city", ["Stadium", "Capacity"], None),  # 'city' is inside 'Capacity', not a word of it
        ("area", ["Lake", "Catchment area"], "Catchment area"),
        ("age", ["Country", "Percentage"], None),  # nor "age" of "Percentage"
    ],
)
def test_a_header_a_small_model_wrote_in_part_is_found_by_the_start_of_a_word(wanted, headers, meant):
    """Seen: the stadiums' city asked of find_value came back as their capacity."""
    from geoscout.pages.tables import header_meant

    assert header_meant(wanted, headers) == meant


def test_a_numbered_list_of_names_is_a_ranked_table_under_its_heading():
    page = "# News\n\n## Busiest in 2024\n\n1. Shinjuku (JR)\n2. Shibuya\n3. Ikebukuro\n\nMore."
    [(lines, rows)] = parse_table_blocks(page)
    assert rows == [
        {"Rank": 1, "Name": "Shinjuku (JR)"},
        {"Rank": 2, "Name": "Shibuya"},
        {"Rank": 3, "Name": "Ikebukuro"},
    ]
    assert lines[0] == "1. Shinjuku (JR)"
    assert title_of_table(page.splitlines(), lines[0]) == "## Busiest in 2024"


@pytest.mark.parametrize(
    ("items", "column", "values"),
    [
        (
            "1. Shanghai — 47.3 million TEU\n2. Singapore — 37.3 million TEU\n3. Busan — 22.1 million TEU",
            "TEU",
            [47_300_000, 37_300_000, 22_100_000],
        ),
        ("1. Mount Everest: 8,849 m\n\n2. K2: 8,611 m\n\n3. Kangchenjunga: 8,586 m", "m", [8849, 8611, 8586]),
        (
            "1) Nile - 6,650 km\n2) Amazon - 6,400 km (disputed)\n3) Yangtze - 6,300 km",
            "Value",
            [6650, 6400, 6300],
        ),
    ],
)
def test_a_numbered_list_of_names_and_values_has_the_values_in_a_column_named_by_their_unit(
    items, column, values
):
    [(_, rows)] = parse_table_blocks(f"Top three:\n\n{items}\n")
    assert [row[column] for row in rows] == values and rows[0]["Name"] in (
        "Shanghai",
        "Mount Everest",
        "Nile",
    )


@pytest.mark.parametrize(
    "items",
    [
        "1. R. Sharma, *Nepal opens its doors*, 1998.\n2. *Rivers of the Amazon*, p. 77.\n3. Atlas, 2001.",
        "1. **^** ACI Europe Airport Traffic Report\n2. **^** Includes traffic\n3. **^** Another note",
        "1. Preheat the oven. Then wait\n2. Mix the flour\n3. Bake",  # steps, one a sentence
        "1. Lima\n2. Quito",  # two items rank nothing
        "2. Lima\n3. Quito\n4. Bogotá",  # not from the first
    ],
)
def test_a_numbered_list_of_references_steps_or_a_few_items_is_no_table(items):
    assert parse_table_blocks(items) == []
