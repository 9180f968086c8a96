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
    """Each pipe table in the text, and each numbered list that is a ranking (``ranked_list``), as (its
    row lines, its rows as dicts keyed by its header cells)."""
    tables: list[tuple[list[str], list[dict]]] = []
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        if i < len(lines) - 1 and "|" in lines[i] and _is_separator(lines[i + 1]):
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
        elif found := ranked_list(lines, i):
            i, block, rows = found
            tables.append((block, rows))
        else:
            i += 1
    return tables


LIST_ITEM = re.compile(
    r"^\s{0,3}(\d{1,3})[.)]\s+(.+?)\s*$"
)  # '1. Shanghai — 47.3 million TEU', '2) Istanbul'
ITEM_VALUE = re.compile(r"\s+[\u2013\u2014-]\s+|:\s+")  # what parts a place's name from its value in an item
VALUE_TAIL = re.compile(r"^[-\u2212]?\d[\d,.]*\s*(?:thousand|million|billion)?\s*(.*)$", re.I)


def ranked_list(lines: list[str], at: int) -> tuple[int, list[str], list[dict]] | None:
    """The numbered list that starts at line ``at`` with 1., when every item is a name, or a name and a
    value after a dash or a colon: (the line after it, its item lines, its rows {'Rank', 'Name', and the
    value's column}). A news article or a blog gives a ranking this way ('1. London Heathrow (LHR)',
    '1. Shanghai — 47.3 million TEU'); the value's column is named by the words after its numbers when every
    item has the same ('TEU'). A list of references or of steps (sentences, citations) is none."""
    items: list[tuple[str, str]] = []
    i = at
    while i < len(lines):
        item = LIST_ITEM.match(lines[i])
        if item and int(item.group(1)) == len(items) + 1:
            items.append((lines[i], item.group(2)))
        elif lines[i].strip() or not (items and i + 1 < len(lines) and LIST_ITEM.match(lines[i + 1])):
            break
        i += 1
    if len(items) < 3:
        return None
    names, values = [], []
    for _, text in items:
        parts = ITEM_VALUE.split(text, maxsplit=1)
        value = parts[1].strip() if len(parts) == 2 and re.match(r"[-\u2212]?\d", parts[1].strip()) else ""
        name = (parts[0] if value else text).strip().strip("*_").strip()
        if not name or len(name.split()) > 8 or name.endswith(".") or re.search(r"[\^\[*]|\.\s+[A-Z]", name):
            return None
        names.append(name)
        values.append(value)
    rows: list[dict] = [{"Rank": n, "Name": name} for n, name in enumerate(names, 1)]
    if any(values):
        tails = {(m.group(1).strip() if (m := VALUE_TAIL.match(v)) else "") for v in values}
        tail = next(iter(tails))
        column = tail if len(tails) == 1 and 0 < len(tail.split()) <= 3 else "Value"
        for row, value in zip(rows, values, strict=True):
            row[column] = to_number(value) if value else None
    return i, [line for line, _ in items], rows


def title_of_table(page_lines: list[str], first_row: str) -> str:
    """A table's header row and the caption or heading it stands under: the text lines just above its
    header, up to the nearest heading ('Climate data for Rome (1991–2020)'); ``first_row`` is the line of
    its first row (of a ranked list, its first item, which has no header row above it)."""
    at = page_lines.index(first_row) if first_row in page_lines else 0
    top = at - 2 if "|" in first_row else at
    above: list[str] = [page_lines[top]] if "|" in first_row and top >= 0 else []  # '| Lake X | |'
    for line in reversed(page_lines[: max(top, 0)]):
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
