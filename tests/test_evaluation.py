from pathlib import Path

import pandas as pd

from geoscout.evaluation import Question, load_questions, match_columns, score
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


def test_failed_run_scores_zero():
    s = score(QUESTION, None)
    assert (s.rows_matched, s.values_within, s.values_checked) == (0, 0, 4)


def test_columns_pair_by_stem_then_order():
    assert match_columns(["population", "temperature"], ["dec_c", "population_count"]) == {
        "population": "population_count",
        "temperature": "dec_c",
    }


def test_shipped_seed_set_loads():
    questions = load_questions(Path(__file__).resolve().parents[1] / "evals" / "seed")
    assert len(questions) >= 5 and all(q.expected for q in questions)
