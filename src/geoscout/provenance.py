"""Where each value comes from: the line of its source page that states it, quoted verbatim.

The quote is found by code in the page the run actually read (the run's page cache, else the snapshot),
never taken from the model: a value is *verified* when its source page has a line naming the place and
holding that number. A value no line supports is reported back to the agent (``QuoteCheck``) and, if the
agent keeps it, recorded as unverified.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from geoscout.checks import SendsBackOnce
from geoscout.geocode import normalize_name
from geoscout.pages.coordinates import is_about, name_variants
from geoscout.pages.numbers import numbers_in, to_number
from geoscout.pages.tables import MONTHS, periods, row_cells
from geoscout.question import KEY_UNITS

MAX_QUOTE = 240
# units as sources state them in parentheses: "Height (m)", "Temperature (°C, 1981–2010)", "(thousands)"
UNIT = re.compile(
    r"°\s?[CF]\b|km²|km2|\bsq\.? ?km\b|\bmm\b|\bcm\b|\bkm\b|\bm\b|%|\bthousands\b|\bmillions\b|\bUSD\b"
    r"|\bft\b|\bmi\b|\bha\b|\bTEU\b|\byears\b"
)
PageText = Callable[[str], "str | None"]  # url -> the markdown of that page as the run read it, or None
PagesRead = Callable[[], Iterable[str]]  # the urls of the pages the run read
UNQUOTED_KEYS = ("name", "country", "latitude", "longitude", "lat", "lon", "lng", "source")


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _holds(line: str, value: int | float | str) -> bool:
    """Whether a line of a page states the value: the same number, or the text as whole words."""
    if isinstance(value, str) and isinstance(number := to_number(value), int | float):
        value = number  # a number written as text: '19980000' is stated by '19,980,000'
    if isinstance(value, str):
        return re.search(rf"\b{re.escape(normalize_name(value))}\b", normalize_name(line)) is not None
    return any(_same(n, value) for n in numbers_in(line))


def find_quote(markdown: str, name: str, value: Any) -> str | None:
    """The first line of ``markdown`` that names ``name`` and holds ``value`` (a number, or a text such as
    a capital's name); None if none."""
    return next(quotes(markdown, name, value), None)


def quotes(markdown: str, name: str, value: Any) -> Iterator[str]:
    """Every line of ``markdown`` that holds ``value`` and names ``name``: the lines naming it whole, then
    those naming one of its other names or longer words, then those under a caption or heading naming it
    (a 'Climate data for X' table, an infobox), then, on the page about it (``is_about``: its first heading
    or its opening's bold names name it), any line; each in page order (a line may come twice)."""
    if hasattr(value, "item"):  # numpy scalars, from a data frame
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, int | float | str) or not str(value).strip():
        return
    wanted = normalize_name(str(name))
    if not wanted or (isinstance(value, str) and normalize_name(value) in (wanted, *wanted.split())):
        return  # a place's own name states none of its values
    # the names it gives ('Mount X / Y' is 'Mount X' on the page about it), then its longer words
    # ('Mumbai (Bombay)' is 'Mumbai' on another page)
    variants = name_variants(str(name))
    words = list(dict.fromkeys(variants + [w for w in wanted.split() if len(w) >= 4]))
    lines = markdown.splitlines()
    holding = [i for i, line in enumerate(lines) if _holds(line, value)]

    def names(text: str, candidates: list[str]) -> bool:
        return any(re.search(rf"\b{re.escape(w)}\b", normalize_name(text)) for w in candidates)

    # lines naming the whole place first: 'Mexico City' before Guadalajara's row, which names 'Mexico'
    tiers = [
        [i for i in holding if names(lines[i], [wanted])],
        [i for i in holding if names(lines[i], words[1:])],
        [i for i in holding if names(_context(lines, i), variants)],
        holding if is_about("", markdown, str(name)) else [],
    ]
    for tier in tiers:
        for i in tier:
            quote = " ".join(lines[i].split())
            yield quote if len(quote) <= MAX_QUOTE else quote[: MAX_QUOTE - 1] + "…"


def _context(lines: list[str], at: int) -> str:
    """The caption and heading a line stands under: for a table row, the header row and the text line
    above its table; and the nearest heading above."""
    i = at
    while i > 0 and "|" in lines[i - 1] and "|" in lines[at]:
        i -= 1
    header = lines[i] if "|" in lines[at] else ""
    caption = next((x for x in reversed(lines[:i]) if x.strip()), "")
    heading = next((x for x in reversed(lines[:at]) if x.startswith("#")), "")
    return " ".join((header, caption, heading))


def _cell(markdown: str, quote: str, value: Any) -> tuple[list[str], list[str], str] | None:
    """(the column headers of the cells of the ``quote`` line that hold ``value``, every header of that
    table, the heading above the table), or None when the quote is not a table row."""
    if hasattr(value, "item"):
        value = value.item()
    lines = markdown.splitlines()
    at = next((i for i, line in enumerate(lines) if " ".join(line.split()) == quote.rstrip("…")), None)
    if at is None or "|" not in lines[at]:
        return None
    top = at
    while top > 0 and "|" in lines[top - 1]:
        top -= 1
    cells, header = row_cells(lines[at]), row_cells(lines[top])
    columns = [h for h, c in zip(header, cells, strict=False) if _is(to_number(c), value)]
    heading = next((line for line in reversed(lines[:top]) if line.startswith("#")), "")
    return columns, header, heading


def unit_of(markdown: str, quote: str, value: Any) -> str | None:
    """The unit the page states for ``value`` in its ``quote`` line: from its column header's parentheses,
    else from the parentheses of the heading above the table; None when the page states none."""
    cell = _cell(markdown, quote, value)
    for text in (cell[0][:1] + [cell[2]]) if cell else ():
        for inside in re.findall(r"\(([^)]*)\)", text):
            found = UNIT.search(inside)
            if found:
                return found.group(0).replace(" ", "")
    return None


def _other_period(key: str, task: str, markdown: str, name: str, value: Any) -> str | None:
    """Why a value is from another month (or the year) than its key, else the task, asks for: the value
    of "annual_temp_c" taken from the 'Jan' column. None when they agree, either names no period, or any
    line naming the place has the value in the column asked for ('Mexico' also names Monterrey's row)."""
    wanted, said = periods(key), "its key asks for"
    if not wanted:
        wanted, said = periods(task, prose=True), "the task asks for"
    cells = (
        [c for q in quotes(markdown, name, value) if (c := _cell(markdown, q, value))]
        if len(wanted) == 1
        else []
    )
    if not cells or any(periods(column) & wanted for c in cells for column in c[0]):  # 28.5: 'Sep' and 'Year'
        return None
    cell = cells[0]
    named = [column for column in cell[0] if periods(column)]
    if not named:
        return None
    right = next((h for h in cell[1] if periods(h) == wanted), None)
    take = f": take the {right!r} column" if right else ""
    label = "the year" if wanted == {"year"} else next(m.capitalize() for m in MONTHS if m[:3] in wanted)
    return f"is in the {named[0]!r} column, but {said} {label}{take}"


def _is(cell: Any, value: Any) -> bool:
    return isinstance(cell, int | float) and isinstance(value, int | float) and _same(cell, value)


def value_keys(row: dict) -> list[str]:
    """The keys of a row that hold a sourced number."""
    return [
        key
        for key, value in row.items()
        if key.lower() not in UNQUOTED_KEYS
        and not key.endswith(("_source", "_quote"))
        and isinstance(value, int | float)
        and not isinstance(value, bool)
    ]


def reattribute(rows: list[dict], page_text: PageText, pages_read: PagesRead) -> list[str]:
    """Give a value that its source page does not state the page read in the run that does, as its
    ``<key>_source``, and say so, one line each (seen: the passengers found on each airport's own page,
    given the url of the ranked list the airports came from; sending it back made the model rewrite a
    right loop wrongly). The quote is still found by code on that page, so the value stays verified."""
    notes = []
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            continue
        name = row.get("name") or ""
        for key in value_keys(row):
            url = row.get(f"{key}_source") or row.get("source")
            text = page_text(str(url)) if url else None
            if text is not None and find_quote(text, name, row[key]) is not None:
                continue
            stated = _stated_on(pages_read, page_text, name, row[key])
            if stated is not None:
                row[f"{key}_source"] = stated
                notes.append(f"row {i} ({name}): {key} {row[key]} is not on {url}; its source is {stated}")
    return notes


def unsupported(rows: list[dict], page_text: PageText, task: str = "") -> list[str]:
    """One line per value whose source page does not state it, or states it for another month than its
    key (else the task) names; ``page_text(url)`` gives a page's markdown (or None when no page was read
    at that url)."""
    problems = []
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            continue
        name = row.get("name") or ""
        for key in value_keys(row):
            url = row.get(f"{key}_source") or row.get("source")
            if not url:
                problems.append(f"row {i} ({name}): {key} has no source url")
                continue
            text = page_text(str(url))
            quote = find_quote(text, name, row[key]) if text is not None else None
            if text is None:
                problems.append(f"row {i} ({name}): {key}'s source {url} is not a page read in this run")
            elif quote is None:
                problems.append(f"row {i} ({name}): {key} {row[key]} is not on {url}")
            elif other := _other_period(key, task, text, name, row[key]):
                problems.append(f"row {i} ({name}): {key} {row[key]} {other}")
            elif _measured(row[key]) and not _unit_in_key(key) and unit_of(text, quote, row[key]) is None:
                problems.append(
                    f"row {i} ({name}): {key} {row[key]} has no unit, neither in its key nor on its page; "
                    f"name it in the key (e.g. {key}_c, {key}_km)"
                )
    return problems


def _stated_on(pages_read: PagesRead, page_text: PageText, name: str, value: Any) -> str | None:
    """The url of the first page read in the run that states the value for the place."""
    for url in pages_read():
        text = page_text(url)
        if text is not None and find_quote(text, name, value) is not None:
            return url
    return None


def _measured(value: Any) -> bool:
    """A value with decimals is a measurement, which needs a unit (a whole number may be a count)."""
    return isinstance(value, float) and not value.is_integer()


def _unit_in_key(key: str) -> bool:
    return len(key.split("_")) > 1 and key.split("_")[-1].lower() in KEY_UNITS


class QuoteCheck(SendsBackOnce):
    """Every sourced value must be stated on its source page, in a line naming the place (or on the page
    about it), and a measurement must have a unit (in its key or on its page). A value its page does not
    state but another page read in the run does takes that page as its source (``corrected``). A failure
    goes back once with the rows and values concerned; the rows that come back are accepted and their
    unquoted values recorded as unverified (a page may state a value in a form we cannot match)."""

    __name__ = "quote_check"

    def __init__(self, page_text: PageText, pages_read: PagesRead | None = None) -> None:
        self.page_text, self.pages_read = page_text, pages_read
        self.corrected: list[str] = []  # the sources it set to the page read that states a value

    def judge(self, final_answer: Any, agent: Any = None) -> bool:
        if not isinstance(final_answer, list):
            return True
        if self.pages_read is not None:
            self.corrected.extend(reattribute(final_answer, self.page_text, self.pages_read))
        problems = unsupported(final_answer, self.page_text, getattr(agent, "task", "") or "")
        if not problems:
            return True
        raise ValueError(
            "; ".join(problems[:8])
            + (f" (and {len(problems) - 8} more)" if len(problems) > 8 else "")
            + ". Take each value as it is from the table of its source page, with that page's url. If the "
            "values are right, call final_answer again with the same rows."
        )


def add_quotes(frame: Any, value_columns: list[str], page_text: PageText) -> None:
    """Add ``<column>_quote`` and ``<column>_unit`` beside each ``<column>_source`` of a result frame: the
    line stating the value and the unit its page states (None when there is none)."""
    for column in value_columns:
        quotes, units = [], []
        for _, row in frame.iterrows():
            text = page_text(str(row.get(f"{column}_source") or ""))
            quote = find_quote(text, row["name"], row[column]) if text else None
            quotes.append(quote)
            numeric = not isinstance(row[column], str)
            units.append(unit_of(text, quote, row[column]) if quote and numeric else None)
        position = list(frame.columns).index(f"{column}_source") + 1
        frame.insert(position, f"{column}_quote", quotes)
        frame.insert(position + 1, f"{column}_unit", units)


def unquoted(table: Any) -> list[str]:
    """The values of a result table, numbers and facts in words, that no line of their source page states:
    the run's verdict."""
    frame = table.frame
    return [
        f"{row['name']}: {column} {row[column]} not found on {row[f'{column}_source'] or 'any page'}"
        for column in table.value_columns + table.text_columns
        for _, row in frame.iterrows()
        if row[column] is not None
        and row[column] == row[column]
        and not isinstance(row.get(f"{column}_quote"), str)  # None, or NaN in a data frame
    ]
