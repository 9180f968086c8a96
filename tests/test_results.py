import pytest

from geoscout.errors import GeoscoutError
from geoscout.results import label, size_and_colour, source_domains, tabulate

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


def test_gaps_are_reported():
    table = tabulate(
        [{"name": "Atlantis", "country": "Nowhere", "depth_m": None}, {"name": "Oslo", "depth_m": 3}]
    )
    assert "Atlantis: no coordinates found" in table.gaps
    assert "Atlantis: no value for depth_m" in table.gaps


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
