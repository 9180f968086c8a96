"""HTML pages as markdown, with their tables as pipe tables however the page writes them.

markdownify writes a pipe table's separator line only under a ``<thead>`` or a first row of ``<th>``; an
infobox (``<th>`` label / ``<td>`` value rows, a ``<caption>``) or a table with no header section came out
without one, and no table parser could read it. Each ``<table>`` is therefore written here: its caption on
a line above it, its header row (the ``<thead>``, else a first row of ``<th>`` cells, else an empty header
for a table of label/value rows), the separator, one line per row. Cells are plain text: a link keeps its
words, not its markdown; line breaks become spaces; footnote markers stay (``to_number`` drops them).
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag
from markdownify import markdownify

_PLACEHOLDER = "GEOSCOUTTABLE{}X"


def _cell_text(cell: Tag) -> str:
    for br in cell.find_all("br"):
        br.replace_with(" ")
    text = " ".join(cell.get_text(" ").split())
    text = re.sub(r"\s+([,.;:)\]])", r"\1", text).replace("( ", "(").replace(" [", "[")
    return text.replace("|", "/")


def _rows(table: Tag) -> list[tuple[list[str], bool]]:
    """(cells, whether every cell is a header cell) per row of the table itself (not of nested tables)."""
    rows = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue
        cells = [c for c in tr.find_all(["th", "td"], recursive=False)]
        texts: list[str] = []
        for cell in cells:
            span = int(cell.get("colspan", 1) or 1) if str(cell.get("colspan", "1")).isdigit() else 1
            texts += [_cell_text(cell)] + [""] * (min(span, 20) - 1)
        if any(texts):
            rows.append((texts, all(c.name == "th" for c in cells)))
    return rows


def table_markdown(table: Tag) -> str:
    """One HTML table as a caption line and a pipe table."""
    rows = _rows(table)
    if not rows:
        return ""
    width = max(len(cells) for cells, _ in rows)
    first = next(tr for tr in table.find_all("tr") if tr.find_parent("table") is table)
    in_head = first.find_parent("thead") is not None
    if in_head or (rows[0][1] and width > 1 and len(rows[0][0]) == width):
        header, body = rows[0][0], rows[1:]
    else:  # label/value rows (an infobox) or a table without a header: an empty header keeps it a table
        header, body = [""] * width, rows
    lines = []
    caption = table.find("caption")
    if caption is not None and caption.get_text(strip=True):
        lines += [_cell_text(caption), ""]

    def line(cells: list[str]) -> str:
        cells = cells + [""] * (width - len(cells))
        return "| " + " | ".join(cells) + " |"

    lines += [line(header), "|" + " --- |" * width]
    lines += [line(cells) for cells, _ in body]
    return "\n".join(lines)


def html_to_markdown(html: str) -> tuple[str, str]:
    """Return (title, markdown) of an HTML page, scripts and styles dropped, tables as pipe tables."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    title = soup.title.get_text(strip=True) if soup.title else ""
    if not title and soup.h1:
        title = soup.h1.get_text(strip=True)
    tables: list[str] = []
    for table in soup.find_all("table"):
        if table.find_parent("table") is not None:
            continue
        tables.append(table_markdown(table))
        marker = soup.new_tag("p")
        marker.string = _PLACEHOLDER.format(len(tables) - 1)
        table.replace_with(marker)
    markdown = markdownify(str(soup.body or soup), heading_style="ATX")
    for i, text in enumerate(tables):
        markdown = markdown.replace(_PLACEHOLDER.format(i), f"\n{text}\n")
    return title, re.sub(r"\n{3,}", "\n\n", markdown).strip()
