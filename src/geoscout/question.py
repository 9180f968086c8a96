"""The reading of a question, made once per run by code and passed explicitly to what needs it.

"Map the 6 longest rivers in South America, with their length in km. Place each river at its mouth." reads
as: 6 rows, ranked largest first; the periods it names (none); the units it names (km); where a marker
goes (the mouth). Tools get this object, never an agent's task text: ``find_value`` completes the words
the model wrote ("average temperature") with the period and unit the question names ("in December",
"in °C"); the result table places a river at the part of it the question names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geoscout.pages.tables import periods

COUNT = re.compile(r"\b(?:the|top|which|what|map|list|name)\s+(\d{1,3})\b(?!\s*(?:%|km|m\b|°|years?))", re.I)
LOW_FIRST = re.compile(r"\b(lowest|smallest|coldest|coolest|least|fewest|shortest|minimum)\b", re.I)
HIGH_FIRST = re.compile(
    r"\b(highest|largest|biggest|hottest|warmest|most|greatest|tallest|longest|busiest|deepest|maximum)\b",
    re.I,
)
# units a question names for its values, as pages write them
UNITS = {
    r"°\s?C\b|\bcelsius\b|\bdegrees C\b": "°C",
    r"°\s?F\b|\bfahrenheit\b": "°F",
    r"\bkm²|\bkm2\b|\bsquare kilomet": "km²",
    r"\bkm\b|\bkilomet": "km",
    r"\bmetres\b|\bmeters\b|\bin m\b": "m",
    r"\bmm\b|\bmillimet": "mm",
    r"\bTEU\b": "TEU",
    r"\byears\b": "years",
}
NEAR = re.compile(r"\bat (?:its|their|the) (\w+)", re.I)


@dataclass(frozen=True)
class Reading:
    """What a question asks, as code reads it: how many rows, which way they are ranked, the periods and
    units it names, and the part of each place a marker goes at."""

    question: str
    count: int | None = None
    largest_first: bool | None = None  # True: the largest first; False: the smallest; None: no ranking
    periods: frozenset[str] = field(default_factory=frozenset)  # 'jan'..'dec', 'year'
    units: tuple[str, ...] = ()
    near: str | None = None  # 'mouth', 'summit', 'centre'

    def completes(self, what: str) -> str:
        """The words of a value asked by an agent, with the question's one period and its units when the
        words name none: 'average temperature' -> 'average temperature December °C'."""
        extra = []
        if len(self.periods) == 1 and not periods(what, prose=True):
            (period,) = self.periods
            extra.append("annual" if period == "year" else period)
        extra += [unit for unit in self.units if unit.lower() not in what.lower() and unit != "years"]
        return " ".join([what, *extra])


def read_question(question: str) -> Reading:
    """The reading of one question (see ``Reading``)."""
    text = " ".join(question.split())
    count = COUNT.search(text)
    low, high = LOW_FIRST.search(text), HIGH_FIRST.search(text)
    ranked = None if bool(low) == bool(high) else bool(high)
    units = tuple(unit for pattern, unit in UNITS.items() if re.search(pattern, text, re.I))
    near = NEAR.search(text)
    return Reading(
        question=text,
        count=int(count.group(1)) if count else None,
        largest_first=ranked,
        # "the year of its first ascent" asks for a year, not for annual values
        periods=frozenset(periods(re.sub(r"\byears?\b", " ", text), prose=True)),
        units=units,
        near=near.group(1).lower() if near else None,
    )
