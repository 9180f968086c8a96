"""A place's value on the page about it, wherever the page states it.

The web keeps a mountain's first ascent, a lake's depth or a city's climate on the page about that place,
in one of a few shapes: an infobox or key–value line ("| Max. depth | 1,470 m |", "- **Elevation:** 8,516 m"),
a table with periods as columns and measures as rows ("Daily mean °C | 0.9 | … | 10.2" under "Year"), or
the reverse (months as rows), a table row naming the place, or a sentence ("was first climbed on 29 May
1953"). ``candidates`` lists every value a page states for what is asked, each with the cell label or
sentence it came from and a score for how well that label fits the words asked; nothing here knows a
subject: the fit is shared words (by stem), the period the words name, and the unit they name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geoscout.geocode import normalize_name
from geoscout.pages.coordinates import is_about, names_place
from geoscout.pages.numbers import first_number, numbers_in, to_number
from geoscout.pages.tables import parse_table_blocks, periods, title_of_table

STOP = {
    "the", "of", "in", "and", "a", "an", "its", "their", "by", "at", "for", "to", "on", "with", "as", "is",
    "approximate", "approximately", "value", "number", "total", "current", "metres", "meters",
    "km", "m", "c", "f", "year", "annual", "per", "each", "what",
}  # fmt: skip
# words written for one another: abbreviations, 'average' for 'mean', 'Floor count' for 'number of floors'
SAME = {"avg": "mean", "average": "mean", "max": "maximum", "min": "minimum", "pop": "population",
        "elev": "elevation", "alt": "altitude", "temp": "temperature", "no": "number",
        "count": "number"}  # fmt: skip
YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
# a year written as a date, not as a value: 'in 2000', 'since 1998', '29 May 1953'
DATED = re.compile(
    r"\b(?:in|since|from|until|till|before|after|during|by|of|"
    r"jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*)\s+"
    r"(?:1[5-9]\d\d|20\d\d)$",
    re.I,
)
OTHER_YEAR = 0.5  # less than a sentence naming the asked year, which a label of another year fits as well
UNIT_WORDS = {"c": "°C", "celsius": "°C", "f": "°F", "fahrenheit": "°F"}


@dataclass(frozen=True)
class Candidate:
    """One value a page states for what was asked: the value, the label or sentence it came from, the
    page line that states it, and how well the label fits (higher is better)."""

    value: int | float | str
    label: str
    line: str
    score: float
    labelled: bool = True  # from a table cell or a key-value line, not from a sentence
    other_year: bool = False  # its label, or the section it stands in, is of another year than asked


def _words(text: str) -> list[str]:
    """The stems of a text's words that carry meaning, in order ('Max. depth' -> ['maxim', 'depth'])."""
    words = [SAME.get(w, w) for w in re.findall(r"[a-z]+", normalize_name(text))]
    return [_singular(w)[:5] for w in words if w not in STOP and len(w) >= 2]


def _singular(word: str) -> str:
    """'seats' -> 'seat', so a short word and its plural share a stem ('Seat count', "number of seats")."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _stems(text: str) -> set[str]:
    return set(_words(text))


def fit(label: str, what: str) -> float:
    """How well a label fits the words asked: the share of the asked words' stems the label has, plus a
    half when it names the unit asked (a climate table's 'Daily mean °C' for a temperature in °C), less a
    third for each word of the label that was not asked (so 'Daily mean' beats 'Mean daily maximum'); 0 when
    it shares neither a word nor the unit, or puts an unasked word between asked ones ('First winter
    ascent' is no 'first ascent')."""
    wanted, have = _stems(what), _stems(label)
    unit = _unit_asked(what)
    same_unit = unit is not None and unit in label
    shared = len(wanted & have)
    if not (shared or same_unit) or not have or _qualified(label, wanted):
        return 0.0
    return shared / max(len(wanted), 1) + 0.5 * same_unit - 0.3 * len(have - wanted)


def _qualified(label: str, wanted: set[str]) -> bool:
    """Whether the label puts a word that was not asked between words that were: it names another value
    ('First winter ascent' is no "first ascent", 'Average high temperature' no "average temperature")."""
    words = _words(label)
    at = [i for i, w in enumerate(words) if w in wanted]
    return bool(at) and any(w not in wanted for w in words[at[0] : at[-1] + 1])


def _unit_asked(what: str) -> str | None:
    for word in re.findall(r"°?[a-z]+", what.lower().replace("°", " ")):
        if word in UNIT_WORDS:
            return UNIT_WORDS[word]
    return "°C" if "°c" in what.lower() else "°F" if "°f" in what.lower() else None


def asks_year(what: str) -> bool:
    """Whether the words ask for a year as the value ('year of first ascent', 'when opened'), not for a
    value of some year ('passengers last year', 'rainfall per year')."""
    if re.search(r"\b(?:last|per|a|each|this|every|that|next)\s+years?\b", what, re.I):
        return False
    return re.search(r"\byears?\b|\bwhen\b|\bdate\b", what, re.I) is not None


def value_of(cell: str, label: str, what: str, cell_text: bool = False) -> int | float | str | None:
    """The value a cell states for what was asked: a year when the words ask for one ('first ascent year'
    of '29 May 1953'), the bracketed number when the label's bracketed unit is the one asked ('°F (°C)'
    and '59.3 (15.2)' asked in °C), else the cell's number, else its first number; a labelled cell
    (``cell_text``) without a number is a fact in words ('Barcelona'); None otherwise."""
    text = str(cell)
    if asks_year(what):
        year = YEAR.search(text)
        return int(year.group(1)) if year else None
    unit = _unit_asked(what)
    bracketed = re.search(r"\(([^()]*)\)", label)
    if unit and bracketed and unit in bracketed.group(1):
        inner = re.search(r"\(([^()]*)\)", text)
        if inner and (numbers := numbers_in(inner.group(1))):
            return numbers[0]
    number = to_number(text)
    if isinstance(number, int | float):
        return number
    found = first_number(text)
    if found is None and cell_text:  # a fact that is a name ('City': 'Barcelona'), from a labelled cell
        words = " ".join(text.split())
        # a cell without a word ('—', '–', '?') or saying it has none ('n/a') states nothing
        return words if re.search(r"[^\W\d_]{2,}", words) and words.lower() not in ("n/a", "na") else None
    return found


def _period_fit(header: str, what: str) -> float:
    """1 when a column header names the period the words ask for (a month, or the year), -1 when it names
    another, 0 when either names none."""
    wanted, named = periods(what, prose=True), periods(header)
    if not wanted or not named:
        return 0.0
    return 1.0 if wanted == named else -1.0


def _measures(text: str, what: str) -> bool:
    """Whether a text speaks of the measure asked: a word of it that names no period, or its unit."""
    measure = _stems(" ".join(w for w in re.findall(r"[a-z]+", what.lower()) if not periods(w)))
    unit = _unit_asked(what)
    return bool(measure & _stems(text)) or (unit is not None and unit in text)


def _table_candidates(markdown: str, place: str, what: str, about: bool) -> list[Candidate]:
    """Cells of the page's tables: on the page about the place, or in a table whose caption, heading or
    header names it, each cell labelled by its row's first cell and its column header (an infobox's
    label/value rows, a climate table's measure × month); elsewhere, the cells of a row naming the place,
    labelled by their column header."""
    out: list[Candidate] = []
    page_lines = markdown.splitlines()
    for lines, rows in parse_table_blocks(markdown):
        title = title_of_table(page_lines, lines[0])
        titled = names_place(title, place)
        measured = _measures(title, what)
        # a list with a row of its own for the place: the other rows are other places', even on the page
        # about it (seen: a news page on a port's climb, its list's first row taken as that port's)
        listed = len(rows) > 1 and any(_names_row(row, place) for row in rows)
        section = ""  # an infobox's section row ('Statistics (2022)') dates the rows under it
        for line, row in zip(lines, rows, strict=False):
            (_, first), *cells = list(row.items())
            if isinstance(first, str) and all(v in (None, "") for k, v in cells if k != "source"):
                section = first
            own_row = _own_row(row, place)
            if not (about or titled or own_row) or (listed and not _names_row(row, place)):
                continue
            found = False
            for header, cell in cells:
                header = "" if re.fullmatch(r"column \d+", header) else header
                label = header if own_row else f"{first} {header}".strip()
                matched, period = fit(label, what), _period_fit(label, what)
                # a column of another year than the one asked is the value's distractor ('Passengers 2019'
                # for 2023), kept only when no page states the asked year's
                other = of_another_year(f"{section} {label}", what)
                score = matched + 0.5 * period + 0.3 * titled - OTHER_YEAR * other
                # a column that only names a period ('Dec', 'Year') holds the asked measure when the row's
                # first cell names it (a climate table's measure × month) or, in a list, when the table's
                # caption does ('Average monthly temperature …'); else it is a date ('capital since 1990')
                asked = (matched > 0 or (period > 0 and (measured or not own_row))) and score > 0
                value = value_of(str(cell), label, what, cell_text=True) if asked else None
                if value is not None:
                    found = True
                    out.append(Candidate(value, label, " ".join(line.split()), score, other_year=other))
            if about and not found and (said := _row_said(row, " ".join(line.split()), what)) is not None:
                out.append(said)
    return out


def _row_said(row: dict, line: str, what: str) -> Candidate | None:
    """A row of the page about a place whose words say what is asked, read as a sentence: its number
    ('| Mount Odin | 2,147 m | highest point of the island |' for the island's highest point; '| North
    basin | 706 m | deepest point of the lake |' for the lake's depth)."""
    text = " ".join(str(v) for k, v in row.items() if k != "source" and v not in (None, ""))
    score = _sentence_fit(text, what)
    value = value_of(_after_asked(text, what), text, what) if score > 0 else None
    return Candidate(value, text, line, score, labelled=False) if isinstance(value, int | float) else None


def _own_row(row: dict, place: str) -> bool:
    """Whether a table row is the place's own: a cell names it, and not only a country column after the
    row's name ('| Buenos Aires | Argentina | 14,967,000 |' is no row of Argentina: seen, the city's
    population as the country's)."""
    texts = [(h, v) for h, v in row.items() if isinstance(v, str) and re.search(r"[^\W\d_]", v)]
    return any(
        names_place(v, place) and (i == 0 or "country" not in h.lower()) for i, (h, v) in enumerate(texts)
    )


def _names_row(row: dict, place: str) -> bool:
    """Whether a row of a list is the place's: its first text cell, the name of the place it is about, is
    a name of the place (not an infobox's label, a climate table's measure, a source line that mentions
    the place, nor an infobox's title row, which holds nothing else), and another cell holds a value."""
    cells = [v for k, v in row.items() if k != "source" and v not in (None, "")]
    first = next((v for v in cells if isinstance(v, str) and re.search(r"[^\W\d_]", v)), None)
    short = first is not None and len(first.split()) <= len(place.split()) + 3
    return short and len(cells) > 1 and names_place(first, place)


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def _sentence_candidates(markdown: str, place: str, what: str, about: bool) -> list[Candidate]:
    """Key–value lines ('- **Elevation:** 8,516 m') and sentences that speak of what is asked; a sentence's
    value is the first one after the asked words (with the asked unit, when one is asked)."""
    out: list[Candidate] = []
    for line in _text_lines(markdown):
        for sentence in _SENTENCE.split(line):
            key_value = re.match(r"^\s*[-*]?\s*\*{0,2}([^:*]{2,60}?)(?::\*{0,2}|\*{0,2}:)\s*(.+)$", sentence)
            if not (about or names_place(sentence, place)):
                continue
            other = False
            if key_value:
                label, text = key_value.group(1), key_value.group(2)
                score, other = fit(label, what), of_another_year(label, what)
            else:
                if of_another_year(sentence, what):
                    continue
                label, text = sentence, _after_asked(sentence, what)
                score = _sentence_fit(sentence, what)
                score += 0.2 * names_place(sentence, place) if score else 0.0
            value = value_of(text, label, what, cell_text=bool(key_value)) if score > 0 else None
            if value is not None:
                out.append(
                    Candidate(value, label.strip(), " ".join(line.split()), score, bool(key_value), other)
                )
    return out


def _text_lines(markdown: str) -> list[str]:
    """The page's lines outside its tables, a paragraph wrapped over several lines joined into one (seen:
    'In 2023 X Airport' ending one line and 'handled 76,027,321 passengers' starting the next); headings,
    list items and quotes stay lines of their own."""
    out: list[str] = []
    joining = False
    for line in markdown.splitlines():
        text = line.strip()
        if "|" in text or not text:
            joining = False
            continue
        prose = not re.match(r"[#>*+-]|\d+[.)]\s", text)
        if prose and joining:
            out[-1] += " " + text
        else:
            out.append(text)
        joining = prose
    return out


def _after_asked(sentence: str, what: str) -> str:
    """The part of a sentence where its value is written: from the number written with the asked unit,
    when one is asked, else from the number nearest the first asked word ('carried 3.4 million
    passengers')."""
    unit = _unit_asked(what)
    if unit and (with_unit := re.search(rf"[-\u2212]?\d[\d,.]*\s?{re.escape(unit)}", sentence)):
        return sentence[with_unit.start() :]
    word = _asked_words_at(sentence, what)
    numbers = [
        m
        for m in re.finditer(r"[-\u2212]?\d[\d,.]*", sentence)
        if asks_year(what) or not DATED.search(sentence[: m.end()].rstrip(",."))
    ]
    if word is None or not numbers:
        return sentence
    start, end = word

    def distance(m: re.Match) -> int:  # none for a number between the asked words ('handled 3 passengers')
        return 0 if start <= m.start() < end else min(abs(m.start() - end), abs(m.end() - start))

    nearest = min(numbers, key=distance)
    return sentence[nearest.start() :]


def _asked_words_at(sentence: str, what: str) -> tuple[int, int] | None:
    """Where a sentence says most of the asked words together (within three words), as a character span:
    'the last eruption' in 'Eruptions were reported in 1822 and 1838, and the last eruption in 1960' for
    "year of last eruption", 'city population' past 'the metropolitan population' for "city population"."""
    words = [m for m in re.finditer(r"[A-Za-z]+", sentence) if _stems(m.group(0))]
    wanted = _stems(what)
    best: tuple[int, int, int] | None = None  # (asked words, start, end)
    for i, word in enumerate(words):
        if not _stems(word.group(0)) & wanted:
            continue
        window = [w for w in words[i : i + 3] if _stems(w.group(0)) & wanted]
        count = len(set().union(*(_stems(w.group(0)) & wanted for w in window)))
        span = (window[0].start(), window[-1].end())
        if best is None or (count, span[0] - span[1]) > (best[0], best[1] - best[2]):
            best = (count, *span)  # the most asked words, then the tightest
    return best[1:] if best else None


def of_another_year(sentence: str, what: str) -> bool:
    """Whether a sentence or a label speaks of other years than the one asked, and not of it ('In 2000,
    only X ...' for the life expectancy in 2019; 'Passengers 2019' for the passengers in 2023)."""
    asked = set(YEAR.findall(what))
    named = set(YEAR.findall(sentence))
    return bool(asked and named) and not asked & named


def _sentence_fit(sentence: str, what: str) -> float:
    """A sentence fits by the share of the asked words it has, less a little for every word between them,
    and less than a label that names the value; not at all when one word stands inside them ('the first
    winter ascent' is not the first ascent, 'life expectancy of women at birth' not the life expectancy)."""
    wanted = _stems(what)
    words = _words(sentence)
    at = [i for i, w in enumerate(words) if w in wanted]
    if not wanted or not at:
        return 0.0
    found = {words[i] for i in at}
    between = (at[-1] - at[0] + 1 - len(at)) if len(found) > 1 else 0
    if between == 1:
        return 0.0  # one word put inside the asked ones names another value, as in a label (``_qualified``)
    return len(found) / len(wanted) - 0.3 - 0.15 * min(between, 4)


def candidates(title: str, markdown: str, place: str, what: str) -> list[Candidate]:
    """Every value the page states for ``what`` of ``place``, best fit first: from its tables (label/value
    rows, measure × period tables, rows naming the place) and its lines and sentences. On a page that is not
    about the place, only rows and sentences that name it count; a text that names the place is no value."""
    about = is_about(title, markdown, place)
    found = _table_candidates(markdown, place, what, about) + _sentence_candidates(
        markdown, place, what, about
    )
    # a place's own name is none of its values (seen: 'Bengaluru' as the population of Bengaluru)
    found = [c for c in found if not (isinstance(c.value, str) and names_place(c.value, place))]
    return sorted(found, key=lambda c: -c.score)
