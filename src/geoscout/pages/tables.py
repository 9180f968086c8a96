"""Markdown tables as typed records: what a small model can use without parsing prose."""

from __future__ import annotations

import re

from geoscout.pages.numbers import to_number


def row_cells(line: str) -> list[str]:
    """The cells of one pipe-table line, stripped of padding and emphasis."""
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [c.strip().strip("*_").strip() for c in line.split("|")]


def _is_separator(line: str) -> bool:
    return bool(re.fullmatch(r"\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*", line))


def parse_table_blocks(markdown: str) -> list[tuple[list[str], list[dict]]]:
    """Each pipe table in the text as (its row lines, its rows as dicts keyed by its header cells)."""
    tables: list[tuple[list[str], list[dict]]] = []
    lines = markdown.splitlines()
    i = 0
    while i < len(lines) - 1:
        if "|" in lines[i] and _is_separator(lines[i + 1]):
            header = [h or f"column {n + 1}" for n, h in enumerate(row_cells(lines[i]))]
            block: list[str] = []
            rows: list[dict] = []
            i += 2
            while i < len(lines) and "|" in lines[i] and lines[i].strip():
                values = row_cells(lines[i])
                block.append(lines[i])
                rows.append({h: to_number(v) for h, v in zip(header, values, strict=False)})
                i += 1
            if rows:
                tables.append((block, rows))
        else:
            i += 1
    return tables


def title_of_table(page_lines: list[str], first_row: str) -> str:
    """A table's header row and the caption or heading it stands under: the text lines just above its
    header, up to the nearest heading ('Climate data for Rome (1991–2020)'); ``first_row`` is the line of
    its first row."""
    at = page_lines.index(first_row) if first_row in page_lines else 0
    above: list[str] = [page_lines[at - 2]] if at >= 2 else []  # its header row ('| Lake X | |')
    for line in reversed(page_lines[: max(at - 2, 0)]):
        if line.strip():
            above.append(line)
        if line.startswith("#") or len(above) >= 2:
            break
    return " ".join(above)


def parse_tables(markdown: str) -> list[list[dict]]:
    """Each pipe table in the text becomes a list of dicts keyed by its header cells."""
    return [rows for _, rows in parse_table_blocks(markdown)]


MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")  # fmt: skip
YEAR_WORDS = ("annual", "annually", "year", "yearly")


def periods(text: str, *, prose: bool = False) -> set[str]:
    """The months ('jan'...) and the whole year ('year') that a key, a column header or (``prose``) a
    question names: "temp_jul_c", "Jul", "average annual temperature". In prose, "may" is a verb."""
    found = set()
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in YEAR_WORDS:
            found.add("year")
        for month in MONTHS:
            if word in (month, month[:3], "sept" if month == "september" else month) and not (
                prose and word == "may"
            ):
                found.add(month[:3])
    return found


def header_meant(wanted: str, headers: list[str]) -> str | None:
    """The header a key written by a small model means: itself, the one header equal to it in another
    case, the one header holding it or held by it ('January' for 'Jan', 'population' for 'Population
    (2018)'), else the one header naming the same month ('Average July temperature' for 'Jul')."""
    if wanted in headers:
        return wanted
    low = wanted.lower()
    same = [h for h in headers if h.lower() == low]
    holding = [
        h for h in headers if min(len(h), len(low)) >= 3 and (_starts_word(low, h) or _starts_word(h, low))
    ]
    if len(same) == 1 or (not same and len(holding) == 1):
        return (same or holding)[0]
    same_period = [h for h in headers if periods(h) and periods(h) == periods(wanted)] if not holding else []
    return same_period[0] if len(same_period) == 1 else None


def _starts_word(part: str, text: str) -> bool:
    """Whether ``part`` stands in ``text`` from the start of a word: 'Jan' in 'January', 'population' in
    'Population (2018)', not 'city' in 'Capacity'."""
    return re.search(rf"\b{re.escape(part.lower())}", text.lower()) is not None
