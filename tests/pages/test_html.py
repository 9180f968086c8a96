from geoscout.pages.html import html_to_markdown
from geoscout.pages.tables import parse_tables

INFOBOX = """<html><head><title>Orvan Bridge - Encyclopedia</title></head><body>
<h1>Orvan Bridge</h1>
<table class="infobox"><caption>Orvan Bridge</caption>
<tr><td colspan="2">Ponte de Orvan</td></tr>
<tr><th>Total length</th><td>4,120&nbsp;m (13,517&nbsp;ft)<sup>[1]</sup></td></tr>
<tr><th>Crosses</th><td><a href="/wiki/Tagus">Tagus</a><br>estuary</td></tr>
</table>
<p>The <a href="/wiki/Orvan">Orvan Bridge</a> opened in 1998.</p>
</body></html>"""

LIST = """<html><body><table class="wikitable sortable">
<caption>Longest bridges</caption>
<tr><th>Bridge</th><th>Length</th><th>Country</th></tr>
<tr><td><a href="/wiki/Orvan">Orvan Bridge</a></td><td>4,120 m<sup>[2]</sup></td><td>Portugal</td></tr>
<tr><td><a href="/wiki/Kessel">Kessel Viaduct</a></td><td>3,870 m</td><td>France</td></tr>
</table></body></html>"""


def test_an_infobox_without_a_header_is_a_table_of_label_value_rows():
    title, markdown = html_to_markdown(INFOBOX)
    assert title == "Orvan Bridge - Encyclopedia"
    rows = parse_tables(markdown)[0]
    labels = {row["column 1"]: row["column 2"] for row in rows}
    assert labels["Total length"] == 4120 and labels["Crosses"] == "Tagus estuary"
    assert "Orvan Bridge\n\n|" in markdown  # the caption names the table, on the line above it


def test_a_list_without_thead_takes_its_th_row_as_header_and_cells_lose_their_link_syntax():
    rows = parse_tables(html_to_markdown(LIST)[1])[0]
    assert rows == [
        {"Bridge": "Orvan Bridge", "Length": 4120, "Country": "Portugal"},
        {"Bridge": "Kessel Viaduct", "Length": 3870, "Country": "France"},
    ]


def test_links_in_text_keep_their_words():
    assert "The [Orvan Bridge](/wiki/Orvan) opened in 1998." in html_to_markdown(INFOBOX)[1]
