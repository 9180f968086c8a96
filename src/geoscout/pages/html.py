"""HTML pages as markdown, with their tables as pipe tables however the page writes them.

markdownify writes a pipe table's separator line only under a ``<thead>`` or a first row of ``<th>``; an
infobox (``<th>`` label / ``<td>`` value rows, a ``<caption>``) or a table with no header section came out
without one, and no table parser could read it. Each ``<table>`` is therefore written here: its caption on
a line above it, its header row (the ``<thead>``, else a first row of ``<th>`` cells, else an empty header
for a table of label/value rows), the separator, one line per row. Cells are plain text: a link keeps its
words, not its markdown; line breaks become spaces; footnote markers stay (``to_number`` drops them).

The text around the tables is the page's main content as trafilatura finds it: cookie banners, menus,
breadcrumbs, link lists, footers and comment sections are dropped, so a page cut to a small model's budget
shows what the page is about, not its chrome. Every table stays whatever trafilatura makes of the block it
sits in (a data table in a sidebar is still data): one it drops comes after the main text.
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
    """Return (title, markdown) of an HTML page: its main content, scripts and styles dropped, every table
    as a pipe table."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    for tag in soup(["sup", "sub"]):  # footnote markers stay beside their number: '99,354[3]'
        tag.unwrap()
    for text in soup.find_all(string=True):  # whitespace collapses as a browser shows it, so a sentence
        if text.parent is not None and text.parent.name != "pre":  # is one line whatever the source's
            text.replace_with(re.sub(r"\s+", " ", text))
    title = soup.title.get_text(strip=True) if soup.title else ""
    heading = " ".join(soup.h1.get_text(" ").split()) if soup.h1 else ""
    title = title or heading
    tables: list[str] = []
    for table in soup.find_all("table"):
        if table.find_parent("table") is not None:
            continue
        tables.append(table_markdown(table))
        marker = soup.new_tag("p")
        marker.string = _PLACEHOLDER.format(len(tables) - 1)
        table.replace_with(marker)
    markdown = main_content(str(soup)) or markdownify(str(soup.body or soup), heading_style="ATX")
    if heading and heading not in markdown:  # trafilatura drops a heading that repeats the title
        markdown = f"# {heading}\n\n{markdown}"
    dropped = []
    for i, text in enumerate(tables):
        if _PLACEHOLDER.format(i) in markdown:
            markdown = markdown.replace(_PLACEHOLDER.format(i), f"\n{text}\n")
        else:
            dropped.append(text)
    markdown = "\n\n".join([markdown, *dropped])
    return title, re.sub(r"\n{3,}", "\n\n", markdown).strip()


def main_content(html: str) -> str | None:
    """The main content of a page as markdown (trafilatura; no links, images or comments), or None when it
    finds none. Markdown escapes are undone: a quote is checked against the page's own characters."""
    import trafilatura
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")  # a short page is content too, not a reason to fall back
    text = trafilatura.extract(
        html,
        config=config,
        output_format="markdown",
        include_tables=False,  # the tables are written by table_markdown, in place of their markers
        include_comments=False,
        include_links=False,
        include_images=False,
        favor_recall=True,
    )
    if not text:
        return None
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>])", r"\1", text)
