import pytest

from geoscout.pages.numbers import numbers_in, to_number


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("37,468,000", 37468000),
        ("−3.4", -3.4),
        ("−10.3", -10.3),
        ("7.2", 7.2),
        ("12[3]", 12),
        ("99,354[3]", 99354),
        ("1 234", 1234),
        ("3\u00a0211", 3211),
        ("3\u202f211 km", 3211),
        ("8,849 m (29,032 ft)", 8849),
        ("68,870 km²", 68870),
        ("28.5 °C", 28.5),
        ("47.3 million", 47300000),
        ("1.2 billion people", 1200000000),
        ("1,488,307 (CMA)", 1488307),
        ("Tokyo", "Tokyo"),
        ("2018–2020", "2018–2020"),
        ("6,400–7,000 km", "6,400–7,000 km"),
        ("44.8 (7.1)", "44.8 (7.1)"),  # °F (°C): two numbers and nothing to say which is which
        ("29 May 1953 Edmund Hillary", "29 May 1953 Edmund Hillary"),
        ("3.70°S, 61.47°W", "3.70°S, 61.47°W"),
        ("", ""),
    ],
)
def test_a_cell_with_one_number_is_that_number(cell, value):
    assert to_number(cell) == value


def test_numbers_in_a_sentence_are_found_as_written_and_scaled():
    found = numbers_in("In 2022 the port handled 47.3 million TEU, up from 3\u00a0211 ships[2].")
    assert {2022, 47.3, 47300000, 3211} <= set(found)
    assert 8849 in numbers_in("| 1 | Peak | 8,849 m (29,032 ft)[2] |")
    assert -10.3 in numbers_in("a daily mean of −10.3 °C")
