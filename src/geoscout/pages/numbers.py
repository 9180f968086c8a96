"""Numbers as pages write them: thousands separators (commas, spaces, no-break and narrow no-break spaces),
Unicode minus, footnote markers, a unit after the number, a conversion in brackets, scale words.

``to_number`` reads a table cell whose value is one number ("99,354[3]", "8,849 m (29,032 ft)", "47.3
million", "−3.9"); a cell holding two numbers without a unit to tell them apart ("44.8 (7.1)") or a range
("6,400–7,000") stays text, since code cannot know which one is meant. ``numbers_in`` lists every number a
line of text states, the way ``to_number`` would read it, so a value can be found again on its page.
"""

from __future__ import annotations

import re

SPACES = " \u00a0\u202f\u2009"
MINUS = "-\u2212"
_FOOTNOTE = re.compile(r"\[(?:\d+|[a-z]|note \d+|citation needed)\]", re.I)
_GROUPED = rf"\d{{1,3}}(?:[,{SPACES[1:]} ]\d{{3}})+(?!\d)"
_NUMBER = rf"[{MINUS}+]?(?:{_GROUPED}|\d+)(?:\.\d+)?|[{MINUS}+]?\.\d+"
_NUMBER_RE = re.compile(rf"(?<![\w.]){_NUMBER}")
_COMMA_NUMBER_RE = re.compile(rf"(?<![\w.])[{MINUS}+]?(?:\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d+)(?:\.\d+)?")
SCALES = {"thousand": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
_SCALE = re.compile(r"\s*(thousand|million|billion|trillion|mn|bn)\b", re.I)
# what may follow the one number of a cell: a unit (m, km², °C, %, TEU, people...), then a note in brackets
_UNIT = r"(?:°\s?[CF]|[a-zA-Z²³/%$€£]{1,12}(?:\s?[a-zA-Z²³/]{1,6})?|%)"
_TAIL = re.compile(rf"^\s*(?:{_UNIT})?\s*(?:\([^()]*\))?\s*$")


def _plain(text: str) -> int | float:
    digits = text.replace(",", "").replace("\u2212", "-")
    for space in SPACES:
        digits = digits.replace(space, "")
    return float(digits) if "." in digits else int(digits)


def _scaled(value: int | float, word: str | None) -> int | float:
    if not word:
        return value
    scaled = value * SCALES[word.lower()]
    return int(round(scaled)) if abs(scaled - round(scaled)) < 1e-6 * max(1.0, abs(scaled)) else scaled


def to_number(cell: str) -> int | float | str:
    """'37,468,000' -> 37468000, '−3.4' -> -3.4, '99,354[3]' -> 99354, '8,849 m (29,032 ft)' -> 8849,
    '47.3 million' -> 47300000; anything else is returned stripped (of footnote markers), unchanged."""
    text = " ".join(_FOOTNOTE.sub("", cell).split())
    match = re.match(rf"^(?:about |approx\.? |c\. |~)?({_NUMBER})", text)
    if not match:
        return text
    rest = text[match.end() :]
    scale = _SCALE.match(rest)
    if scale:
        rest = rest[scale.end() :]
    if not _TAIL.match(rest) or re.search(r"\d", re.sub(r"\([^()]*\)", "", rest)):
        return text
    if re.search(r"\d", rest) and not re.search(r"[a-zA-Z°%]", text[match.end() : match.end() + 12]):
        return text  # "44.8 (7.1)": two numbers, no unit to say which is which
    return _scaled(_plain(match.group(1)), scale.group(1) if scale else None)


def numbers_in(text: str) -> list[int | float]:
    """Every number the text states, each as written and, when a scale word follows it, scaled too
    ('handled 47.3 million TEU' -> 47.3 and 47300000)."""
    text = _FOOTNOTE.sub("", text)
    found: list[int | float] = []
    # grouped by spaces ("3 211") and, apart, each run of digits a space separates ("in 2022 100 ships")
    matches = [*_NUMBER_RE.finditer(text), *_COMMA_NUMBER_RE.finditer(text)]
    for match in matches:
        try:
            value = _plain(match.group(0))
        except ValueError:
            continue
        found.append(value)
        scale = _SCALE.match(text, match.end())
        if scale:
            found.append(_scaled(value, scale.group(1)))
    return found


def first_number(text: str) -> int | float | None:
    """The first number the text states, scaled by a scale word after it ('3.4 million passengers' ->
    3400000); None without one."""
    text = _FOOTNOTE.sub("", text)
    match = _NUMBER_RE.search(text)
    if not match:
        return None
    scale = _SCALE.match(text, match.end())
    return _scaled(_plain(match.group(0)), scale.group(1) if scale else None)
