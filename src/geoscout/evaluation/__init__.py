"""Benchmarks: run an eval set's questions through a configuration and score the rows against expected ones.

An eval set is a folder with ``questions.jsonl``: one JSON object per line with ``id``, ``question``,
``expected`` (rows: name, country and one key per expected value) and ``tolerances`` per value key
(``{"relative": 0.1}`` or ``{"absolute": 2.0}``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geoscout.errors import GeoscoutError
from geoscout.results import ResultTable
from geoscout.tools.webpage import find_best_row


@dataclass
class Question:
    id: str
    question: str
    expected: list[dict]
    tolerances: dict[str, dict]


@dataclass
class Score:
    rows_expected: int
    rows_returned: int
    rows_matched: int
    values_checked: int
    values_within: int

    @property
    def recall(self) -> float:
        return self.rows_matched / self.rows_expected if self.rows_expected else 0.0

    @property
    def precision(self) -> float:
        return self.rows_matched / self.rows_returned if self.rows_returned else 0.0

    @property
    def value_accuracy(self) -> float:
        return self.values_within / self.values_checked if self.values_checked else 0.0

    @property
    def correct(self) -> bool:
        """Every expected row found, nothing extra, and at least 90 % of values within tolerance."""
        return self.recall == 1.0 and self.precision == 1.0 and self.value_accuracy >= 0.9


def load_questions(folder: Path) -> list[Question]:
    path = Path(folder) / "questions.jsonl"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise GeoscoutError(f"cannot read eval set {path}: {e.strerror or e}") from None
    questions = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            questions.append(
                Question(data["id"], data["question"], data["expected"], data.get("tolerances", {}))
            )
        except (json.JSONDecodeError, KeyError, TypeError) as e:
            raise GeoscoutError(f"{path}:{n}: not a question record ({e})") from None
    return questions


def match_columns(fields: list[str], columns: list[str]) -> dict[str, str]:
    """Pair each expected value key with a result column: by a shared word stem first, then in order."""
    pairs: dict[str, str] = {}
    free = list(columns)
    for field in fields:
        stem = field[:4].lower()
        hit = next((c for c in free if stem in c.lower()), None)
        if hit:
            pairs[field] = hit
            free.remove(hit)
    for field in fields:
        if field not in pairs and free:
            pairs[field] = free.pop(0)
    return pairs


def within(expected: float, got: object, tolerance: dict) -> bool:
    if got is None or (isinstance(got, float) and pd.isna(got)):
        return False
    got = float(got)
    if "relative" in tolerance:
        return abs(got - expected) <= tolerance["relative"] * abs(expected)
    return abs(got - expected) <= tolerance.get("absolute", 0.0)


def score(question: Question, table: ResultTable | None) -> Score:
    """Match returned rows to expected rows by name, then compare each expected value within tolerance."""
    fields = [k for k in (question.expected[0] if question.expected else {}) if k not in ("name", "country")]
    checked = len(question.expected) * len(fields)
    if table is None:
        return Score(len(question.expected), 0, 0, checked, 0)
    returned = table.frame.to_dict("records")
    pairs = match_columns(fields, table.value_columns)
    matched = within_count = 0
    used: set[int] = set()
    for row in question.expected:
        candidates = [r for i, r in enumerate(returned) if i not in used]
        hit = find_best_row([{"name": r["name"]} for r in candidates], row["name"])
        if hit is None:
            continue
        index = next(i for i, r in enumerate(returned) if i not in used and r["name"] == hit["name"])
        used.add(index)
        matched += 1
        for field in fields:
            column = pairs.get(field)
            tolerance = question.tolerances.get(field, {"absolute": 0.0})
            if column and within(row[field], returned[index].get(column), tolerance):
                within_count += 1
    return Score(len(question.expected), len(returned), matched, checked, within_count)
