"""Scoring one answer: rows by name (and aliases), values within tolerance, coordinates, quotes."""

import pandas as pd

from geoscout.evaluation import Question, match_columns, score, within
from geoscout.results import ResultTable

QUESTION = Question(
    id="q",
    question="?",
    expected=[
        {"name": "Tokyo", "country": "Japan", "population": 100, "temperature": 7.0},
        {"name": "Delhi", "country": "India", "population": 80, "temperature": 14.0},
    ],
    tolerances={"population": {"relative": 0.1}, "temperature": {"absolute": 2.0}},
)


def table(rows):
    frame = pd.DataFrame(rows)
    return ResultTable(frame, [c for c in frame.columns if c not in ("name", "country")])


def test_right_values_score_right():
    s = score(
        QUESTION,
        table(
            [
                {"name": "Tokyo", "pop": 105, "dec_temp_c": 8.5},
                {"name": "Delhi", "pop": 80, "dec_temp_c": 14.0},
            ]
        ),
    )
    assert (s.recall, s.precision, s.value_accuracy, s.correct) == (1.0, 1.0, 1.0, True)
    assert s.misses == []


def test_wrong_values_and_extra_rows_score_wrong():
    s = score(
        QUESTION,
        table(
            [
                {"name": "Tokyo", "pop": 150, "dec_temp_c": 7.0},
                {"name": "Lagos", "pop": 80, "dec_temp_c": 27.0},
            ]
        ),
    )
    assert s.rows_matched == 1 and s.recall == 0.5 and s.precision == 0.5
    assert s.values_within == 1 and not s.correct
    assert "Tokyo: population expected 100, got 150" in s.misses
    assert "Delhi: not in the answer" in s.misses and "Lagos: not an expected row" in s.misses


def test_failed_run_scores_zero():
    s = score(QUESTION, None)
    assert (s.rows_matched, s.values_within, s.values_checked) == (0, 0, 4)


def test_aliases_match_other_spellings_and_loose_names_do_not():
    question = Question(
        "q", "?", [{"name": "New York–Newark", "aliases": ["New York City"], "population": 1}]
    )
    assert score(question, table([{"name": "New York City", "population": 1}])).rows_matched == 1
    assert score(question, table([{"name": "York", "population": 1}])).rows_matched == 0


def test_coordinates_score_by_distance():
    question = Question(
        "q",
        "?",
        [{"name": "Tokyo", "population": 1, "latitude": 35.69, "longitude": 139.69}],
        {"coordinates": {"km": 50}},
    )
    near = score(question, table([{"name": "Tokyo", "population": 1, "latitude": 35.9, "longitude": 139.6}]))
    swapped = score(
        question, table([{"name": "Tokyo", "population": 1, "latitude": 139.69, "longitude": 35.69}])
    )
    assert (near.values_checked, near.values_within) == (2, 2)
    assert swapped.values_within == 1 and "km from where it is" in swapped.misses[0]


def test_text_values_match_ignoring_case_and_accents():
    assert within("Brasília", "brasilia", {"text": True})
    assert not within("Beijing", "Shanghai", {"text": True})
    assert not within(7.0, "seven", {"absolute": 2.0})


def test_quoted_values_are_counted_per_asked_value():
    s = score(
        QUESTION,
        table(
            [
                {"name": "Tokyo", "pop": 100, "pop_quote": "| Tokyo | 100 |", "temp": 7.0, "temp_quote": "x"},
                {"name": "Delhi", "pop": 80, "pop_quote": "", "temp": 14.0, "temp_quote": "y"},
            ]
        ),
    )
    assert (s.values_returned, s.values_quoted) == (4, 3) and s.quoted == 0.75


def test_columns_pair_by_stem_then_order():
    assert match_columns(["population", "temperature"], ["dec_c", "population_count"]) == {
        "population": "population_count",
        "temperature": "dec_c",
    }
