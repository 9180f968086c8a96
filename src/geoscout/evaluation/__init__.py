"""Evaluation: how right, how costly and how fast each configuration answers a set of questions.

- ``sets``: the eval-set format (``questions.jsonl`` + a snapshot) and its loader;
- ``scoring``: one answer against its expected rows (rows found, values within tolerance, quotes found);
- ``harness``: every question through every configuration, N runs each, with calls, tokens and timings;
- ``report``: Markdown tables, the JSON results file, and two result files compared.

``geoscout eval SET`` and ``geoscout eval compare A.json B.json`` are the commands.
"""

from geoscout.evaluation.harness import Configuration, configurations, evaluate
from geoscout.evaluation.report import compare, load, markdown, save, summarize
from geoscout.evaluation.scoring import Score, match_columns, score, within
from geoscout.evaluation.sets import EvalSet, Question, load_questions, load_set

__all__ = [
    "Configuration",
    "EvalSet",
    "Question",
    "Score",
    "compare",
    "configurations",
    "evaluate",
    "load",
    "load_questions",
    "load_set",
    "markdown",
    "match_columns",
    "save",
    "score",
    "summarize",
    "within",
]
