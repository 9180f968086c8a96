import pytest

from geoscout.pages.tables import parse_tables


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
