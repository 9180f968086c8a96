"""``find_value``: one place's value from the page about that place, for values no list table holds.

A value a table the agent read already holds comes from that table. Otherwise the web agent would search
for each place in turn; this tool does that search itself and reads the results as code: the pages whose
title or first heading names the place come first, then any page read in the run or found that names it in
a row or a sentence. Each page's candidates (``geoscout.pages.values``) are scored; the best one comes back
with its page's url, and the page is kept as read so the value can be quoted.
"""

from __future__ import annotations

import re

from smolagents import Tool

from geoscout.geocode import country_code
from geoscout.pages.coordinates import aboutness, names_place
from geoscout.pages.tables import header_meant
from geoscout.pages.values import Candidate, candidates, fit, of_another_year
from geoscout.question import Reading
from geoscout.tools.search import SearchBackend
from geoscout.tools.webpage import PageReader, Record, find_best_row, name_column, page_tables

ABOUT_BONUS = 0.5  # a labelled value on the page about the place beats one on a page that mentions it
QUESTION_WORD = 0.01  # breaks a tie between labels: 'Surface area' over 'Catchment area' "by surface area"


def unasked_note(what: str, reading: Reading) -> str | None:
    """Why a value is not looked up: no word of it is one the question says (seen: the prompt example's
    'year of completion' and 'number of floors', copied into a question on lakes); None when it is asked."""
    key = "_".join(re.findall(r"[a-z]+", what.lower()))
    if reading.names_the_rows(key) or key == "country" or reading.phrase_for(what) or reading.mentions(what):
        return None
    return f"the question does not ask for the {what}: leave it out of the rows"


def find_value(
    place: str, what: str, backend: SearchBackend, reader: PageReader, reading: Reading | None = None
) -> Record:
    """The value of ``what`` for ``place`` (e.g. 'Mount X', 'year of first ascent'), as
    {'name', 'value', 'source', 'label'}; value and source None, with a 'note', when no page states it.
    With the run's reading of the question, ``what`` becomes the question's own words for that value, or is
    completed with the period and unit the question names."""
    key = "_".join(re.findall(r"[a-z]+", str(what).lower()))
    found = _value_found(place, what, backend, reader, reading)
    named = found["value"]
    if reading and reading.names_the_rows(key) and isinstance(named, str) and named.strip():
        # the place of the asked kind itself ('capital' of 'Ecuador' is Quito): its name is the row's name
        # (seen: rows named by `find_value(country, 'capital')["name"]`, each the country again)
        return Record({**found, "name": named.strip()})
    return found


def _value_found(
    place: str, what: str, backend: SearchBackend, reader: PageReader, reading: Reading | None
) -> Record:
    place, what = _name_of(place), str(what).strip()
    searched = what
    key = "_".join(re.findall(r"[a-z]+", what.lower()))
    if reading and (reading.names_the_rows(key) or key == "country"):
        # a place's name: the place asked for itself ('capital' of 'France'), or its country, which every
        # row has whether the question says so or not; of no period, no kind
        reading = None
    if reading:  # the question's own words for the value, else the model's completed with its period
        if note := unasked_note(what, reading):
            return Record(name=place, value=None, source=None, label=None, note=note)
        phrase = reading.phrase_for(what)
        # the question's phrase has the period it gives that value, if any ('their city population' has
        # none, though the question's temperature is annual: seen, a climate table's Year column)
        what = reading.dated(phrase if phrase is not None else reading.completes(what))
    place = _place_meant(place, backend, reader, reading)
    if held := _in_tables_read(place, searched, reader, reading):
        return held
    urls = [r.url for r in backend.search(f"{place} {searched}", 5)]
    urls += [r.url for r in backend.search(place, 3)]
    best: tuple[float, Candidate, str] | None = None
    for url in [*dict.fromkeys(urls), *reader.visited]:
        try:
            page = reader.get(url) if url not in reader.visited else reader.visited[url]
        except ValueError:
            continue
        about = ABOUT_BONUS * aboutness(page.title, page.markdown, place) / 2
        for candidate in candidates(page.title, page.markdown, place, what):
            # the page about a place is where its labelled facts are; a sentence there is no stronger
            # evidence than a labelled cell elsewhere ('city' in a weather page's prose is no population),
            # but a label of another year is no fact of the asked one ('Passengers (2022)' beside a line
            # stating the 2023 figure)
            own = candidate.labelled and not candidate.other_year
            score = candidate.score + (about if own else 0.0)
            if reading:  # of labels that fit as well, the one the question speaks of more
                score += QUESTION_WORD * reading.shares(candidate.label)
            if best is None or score > best[0]:
                best = (score, candidate, page.url)
    if best is None:
        note = f"no page found states the {searched} of {place}"
        return Record(name=place, value=None, source=None, label=None, note=note)
    _, candidate, url = best
    return Record(name=place, value=candidate.value, source=url, label=candidate.label)


def _name_of(place: object) -> str:
    """The place a model passes, as a name: a ``find_value`` result stands for the place it found (seen:
    ``capital = find_value(country, "capital")`` then ``find_value(capital, …)``), a table row for the place
    it names."""
    if isinstance(place, dict):
        found = place.get("value")
        if isinstance(found, str) and found.strip():
            return found.strip()
        named = place.get("name")
        if named is None and (column := name_column(place)):
            named = place.get(column)
        place = named if named is not None else ""
    return str(place).strip()


def _place_meant(place: str, backend: SearchBackend, reader: PageReader, reading: Reading | None) -> str:
    """The place a country stands for when the question asks for places of another kind (its capital for
    "the capitals of the G7" as for "the capitals of France, Germany, …"): the one a table read in the
    run pairs with it, else the one a page states for it. Seen: the model looked up each country's
    average temperature, not its capital's. Any other place is itself."""
    if reading is None or reading.kind in (None, "countries") or not country_code(place):
        return place
    return _paired_in_tables_read(place, reader, reading) or _place_looked_up(place, backend, reader, reading)


def _paired_in_tables_read(place: str, reader: PageReader, reading: Reading) -> str | None:
    """The place a table read in the run pairs with the country in a column naming the asked kind ('Canada'
    is 'Ottawa' in a Country | Capital table)."""
    for page in reader.tabled.values():
        for table in page_tables(page):
            row = find_best_row(table, place, least=0.8)
            for key, value in (row or {}).items():
                label = "_".join(re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", key).lower().split())
                if reading.names_the_rows(label) and isinstance(value, str) and not country_code(value):
                    named = re.sub(r"\[[^\]]*\]", "", value).strip()  # 'Tokyo[b]': a footnote marker
                    if named:
                        return named
    return None


def _place_looked_up(country: str, backend: SearchBackend, reader: PageReader, reading: Reading) -> str:
    """The country's place of the asked kind as a page states it ('Capital | Paris' in a table or facts
    box of France), when no table read pairs them (seen: for "the capitals of France, Germany, …" the
    model looked up each country's January temperature); the country itself when none does."""
    kind = reading.kind or ""
    one = kind[:-3] + "y" if kind.endswith("ies") else kind.removesuffix("s")
    found = find_value(country, one, backend, reader)
    value = found["value"]
    if isinstance(value, str) and value.strip() and not country_code(value):
        return re.sub(r"\[[^\]]*\]", "", value).strip()
    return country


def _in_tables_read(place: str, what: str, reader: PageReader, reading: Reading | None) -> Record | None:
    """The value a table the agent read already holds: the cell of the row naming the place, in the column
    the words mean (``header_meant``: 'population' is 'Population (city proper)') when the question asks
    for what that column holds (a 'First winter ascent' column is no "first ascent"). Seen: the model
    looked up each city's population, which its ranked table held, and got another page's agglomeration
    figures."""
    for url, page in reader.tabled.items():
        for table in page_tables(page):
            row = find_best_row(table, place, least=0.8)
            if row is None:
                continue
            # the columns naming the place are none of its values ('City' is no "population within city
            # limits": seen, each city's population came back as its name)
            columns = [
                k
                for k, v in row.items()
                if k != "source" and not (isinstance(v, str) and names_place(v, place))
            ]
            # a column the agent ranked by is one it took for the asked value ('Life expectancy at birth,
            # both sexes (years)': words the question does not have, beside those it does)
            column = _column_meant(what, columns, [c for c in columns if c in reader.ranked])
            if column is None or (reading and not reading.asks_for(column) and column not in reader.ranked):
                continue
            if reading and of_another_year(column, reading.dated(what)) and column not in reader.ranked:
                continue  # 'Passengers 2019' for the busiest in 2023: the page about the place may say 2023's
            if row.get(column) not in (None, ""):
                return Record(name=place, value=row[column], source=url, label=column)
    return None


def _column_meant(what: str, columns: list[str], ranked: list[str] | None = None) -> str | None:
    """The column the words name: as ``header_meant`` finds it ('population' is 'Population (2018)'), else
    of the ``ranked`` columns (those the agent ranked by) the one whose label fits them best by shared word
    stems, else of all columns (``fit``: 'population within city limits' is 'Population (city proper)',
    'passengers per year' 'Passengers (2023)'), never one that puts an unasked word between asked ones
    ('First winter ascent' is no "first ascent")."""
    column = header_meant(what, columns)
    if column is not None:
        return column
    for among in (ranked or [], columns):
        score, best = max(
            ((fit(str(c), what), c) for c in among), key=lambda pair: pair[0], default=(0.0, None)
        )
        if score > 0:
            return best
    return None


class FindValueTool(Tool):
    name = "find_value"
    description = (
        "Finds one value of one place on the page about that place (its facts box, its tables or its text), "
        "e.g. find_value('Lake X', 'maximum depth in m'). Returns a dict with keys 'name', 'value' and "
        "'source' (the page's url); 'value' is None when no page states it."
    )
    inputs = {
        "place": {"type": "string", "description": "The place's name, as a table or the task writes it."},
        "what": {"type": "string", "description": "The value, in a few words with its unit or period."},
    }
    output_type = "object"

    def __init__(self, backend: SearchBackend, reader: PageReader, reading: Reading | None = None):
        super().__init__()
        self.backend, self.reader, self.reading = backend, reader, reading

    def forward(self, place: str, what: str) -> Record:
        return find_value(place, what, self.backend, self.reader, self.reading)
