import pytest

from geoscout.pages.tables import parse_tables, to_number


@pytest.mark.parametrize(
    "cell, value",
    [
        ("37,468,000", 37468000),
        ("−3.4", -3.4),
        ("7.2", 7.2),
        ("12[3]", 12),
        ("Tokyo", "Tokyo"),
        ("1 234", 1234),
        ("2018–2020", "2018–2020"),
        ("", ""),
    ],
)
def test_to_number(cell, value):
    assert to_number(cell) == value


def test_parse_tables_keys_rows_by_header():
    text = (
        "intro\n\n| City | Pop |\n| --- | ---: |\n| A | 1,000 |\n| B | 2 |\n\ntext\n\n| X |\n|---|\n| y |\n"
    )
    tables = parse_tables(text)
    assert tables == [[{"City": "A", "Pop": 1000}, {"City": "B", "Pop": 2}], [{"X": "y"}]]


def test_no_tables():
    assert parse_tables("just | a pipe in prose") == []
