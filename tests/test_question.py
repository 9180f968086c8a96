"""The reading of a question, table-driven over questions on many subjects."""

import pytest

from geoscout.question import read_question


@pytest.mark.parametrize(
    ("question", "count", "largest_first", "periods", "units", "near"),
    [
        ("Which are the 10 most populated cities? Give population and December temperature.", 10, True,
         {"dec"}, (), None),
        ("Map the 6 longest rivers in South America, with their length in km. Place each river at its mouth.",
         6, True, set(), ("km",), "mouth"),
        ("Map the 8 highest mountains with their elevation in metres and the year of their first ascent.", 8,
         True, set(), ("m",), None),
        ("The capitals of the G7 countries with their average annual temperature in °C.", None, None,
         {"year"}, ("°C",), None),
        ("Map the 5 largest lakes in Africa with their area in km² and maximum depth.", 5, True, set(),
         ("km²",), None),
        ("The 7 busiest container ports in 2022, with their throughput in TEU.", 7, True, set(), ("TEU",),
         None),
        ("The 4 coldest capitals other than Ottawa in January.", 4, False, {"jan"}, (), None),
        ("The 3 tallest towers, with their height, placed at the summit of each.", 3, True, set(), (),
         "summit"),
        ("Which 5 airports in May handled the most passengers?", 5, True, set(), (), None),  # May: a verb
    ],
)  # fmt: skip
def test_a_question_is_read_once_into_one_typed_object(question, count, largest_first, periods, units, near):
    reading = read_question(question)
    assert reading.count == count and reading.largest_first is largest_first
    assert set(reading.periods) <= periods | {"may"} and periods <= set(reading.periods)
    assert reading.units == units and reading.near == near


def test_the_words_an_agent_asks_are_completed_with_the_questions_period_and_unit():
    reading = read_question("The 5 largest cities with their average temperature in December in °C")
    assert reading.completes("average temperature") == "average temperature dec °C"
    assert reading.completes("July temperature in °C") == "July temperature in °C"
    assert read_question("The 3 longest rivers").completes("length") == "length"
