from geoscout.pages.tables import parse_tables


def test_parse_tables_keys_rows_by_header():
    text = (
        "intro\n\n| City | Pop |\n| --- | ---: |\n| A | 1,000 |\n| B | 2 |\n\ntext\n\n| X |\n|---|\n| y |\n"
    )
    tables = parse_tables(text)
    assert tables == [[{"City": "A", "Pop": 1000}, {"City": "B", "Pop": 2}], [{"X": "y"}]]


def test_no_tables():
    assert parse_tables("just | a pipe in prose") == []
