"""Scoring one answer against an eval question: which expected rows it found, which values are within
tolerance, and which values carry a quote from their source page."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from geoscout.evaluation.sets import Question
from geoscout.geocode import normalize_name
from geoscout.results import PLACE_COLUMNS, ResultTable
from geoscout.tools.webpage import name_score

NAME_MATCH = 0.8  # the same name, or one holding the other as whole words ("New York" / "New York City")


def same_place(expected: str, got: str) -> bool:
    """Names of one place: equal once normalised, or one holding the other as whole words when that is at
    least half of it ("Delhi" / "New Delhi", but not "York" / "New York–Newark")."""
    a, b = normalize_name(expected), normalize_name(got)
    if name_score(a, b) < NAME_MATCH:
        return False
    shorter, longer = sorted((len(a.split()), len(b.split())))
    return 2 * shorter >= longer


@dataclass
class Score:
    rows_expected: int
    rows_returned: int = 0
    rows_matched: int = 0
    values_checked: int = 0
    values_within: int = 0
    values_returned: int = 0  # asked values the answer holds
    values_quoted: int = 0  # of those, the ones whose quote was found on their source page
    misses: list[str] = field(default_factory=list)  # why each checked value or row did not score

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
    def quoted(self) -> float:
        return self.values_quoted / self.values_returned if self.values_returned else 0.0

    @property
    def correct(self) -> bool:
        """Every expected row found, nothing extra, and at least 90 % of values within tolerance."""
        return self.recall == 1.0 and self.precision == 1.0 and self.value_accuracy >= 0.9


def answer_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of a result table that hold asked values (not the place, its sources or quotes)."""
    return [
        c for c in frame.columns if c not in PLACE_COLUMNS and not c.endswith(("_source", "_quote", "_unit"))
    ]


def match_columns(fields: list[str], columns: list[str]) -> dict[str, str]:
    """Pair each expected value key with a result column: by a shared word stem first, then in order."""
    pairs: dict[str, str] = {}
    free = list(columns)
    for key in fields:
        stem = key[:4].lower()
        hit = next((c for c in free if stem in c.lower()), None)
        if hit:
            pairs[key] = hit
            free.remove(hit)
    for key in fields:
        if key not in pairs and free:
            pairs[key] = free.pop(0)
    return pairs


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def within(expected: object, got: object, tolerance: dict) -> bool:
    """Whether an answer's value is close enough: relative or absolute for numbers, same text for text."""
    if _missing(got):
        return False
    if tolerance.get("text") or isinstance(expected, str):
        return same_place(str(expected), str(got))
    try:
        got = float(got)
    except (TypeError, ValueError):
        return False
    if "relative" in tolerance:
        return abs(got - expected) <= tolerance["relative"] * abs(expected)
    return abs(got - expected) <= tolerance.get("absolute", 0.0)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def _find(row: dict, returned: list[dict], used: set[int]) -> int | None:
    """The index of the returned row that names the expected place (or one of its aliases)."""
    names = [row["name"], *row.get("aliases", [])]
    best, best_score = None, 0.0
    for i, got in enumerate(returned):
        candidate = str(got.get("name", ""))
        if i in used or not any(same_place(n, candidate) for n in names):
            continue
        s = max(name_score(normalize_name(n), normalize_name(candidate)) for n in names)
        if s > best_score:
            best, best_score = i, s
    return best


def score(question: Question, table: ResultTable | None) -> Score:
    """Match returned rows to expected rows by name, then compare each expected value within tolerance."""
    fields = question.fields
    places = sum(1 for r in question.expected if "latitude" in r and "longitude" in r)
    checked = sum(1 for r in question.expected for k in fields if k in r) + places
    result = Score(len(question.expected), values_checked=checked)
    if table is None:
        result.misses.append("no answer")
        return result
    frame = table.frame
    returned = frame.where(frame.notna(), None).to_dict("records")
    result.rows_returned = len(returned)
    pairs = match_columns(fields, answer_columns(frame))
    for column in pairs.values():
        for row in returned:
            if not _missing(row.get(column)):
                result.values_returned += 1
                result.values_quoted += bool(row.get(f"{column}_quote"))
    used: set[int] = set()
    for row in question.expected:
        index = _find(row, returned, used)
        if index is None:
            result.misses.append(f"{row['name']}: not in the answer")
            continue
        used.add(index)
        result.rows_matched += 1
        got = returned[index]
        for key in (k for k in fields if k in row):
            column = pairs.get(key)
            value = got.get(column) if column else None
            if within(row[key], value, question.tolerances.get(key, {})):
                result.values_within += 1
            else:
                result.misses.append(f"{row['name']}: {key} expected {row.get(key)!r}, got {value!r}")
        if "latitude" in row and "longitude" in row:
            km = question.tolerances.get("coordinates", {}).get("km", 50.0)
            lat, lon = got.get("latitude"), got.get("longitude")
            if _missing(lat) or _missing(lon):
                result.misses.append(f"{row['name']}: not placed on the map")
            elif distance_km(row["latitude"], row["longitude"], lat, lon) <= km:
                result.values_within += 1
            else:
                away = distance_km(row["latitude"], row["longitude"], lat, lon)
                result.misses.append(f"{row['name']}: placed {away:.0f} km from where it is")
    for i, got in enumerate(returned):
        if i not in used:
            result.misses.append(f"{got.get('name')}: not an expected row")
    return result
