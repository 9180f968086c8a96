"""From the team's rows to a table: one row per place, each value next to the URL it came from.

Every row gets a position if anything places it (``locate``): the agents' own coordinates, the pages read
in the run (``geoscout.coordinates``), the offline GeoNames gazetteer, the city the row or its page names,
the country's centroid, each recorded with its source and precision. A row nothing places stays in the
table with empty coordinates and is listed under ``not_mapped``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

from geoscout.errors import GeoscoutError
from geoscout.geocode import country_code, country_place, geocode, iso3, normalize_name
from geoscout.pages.coordinates import aboutness, is_about, names_place, ranked_positions
from geoscout.pages.numbers import to_number
from geoscout.pages.tables import parse_table_blocks, row_cells
from geoscout.question import KEY_UNITS

NAME_KEYS = ("name", "city", "place")
LAT_KEYS = ("latitude", "lat")
LON_KEYS = ("longitude", "lon", "lng")
PLACE_COLUMNS = ("name", "country", "latitude", "longitude", "coordinates_source", "coordinates_precision")
PRECISIONS = ("page", "gazetteer", "city", "country")  # coordinates_precision, most precise first
CITY_KEYS = ("city", "town", "location", "municipality", "settlement")  # a row's or page's city of a place


@dataclass
class ResultTable:
    frame: pd.DataFrame
    value_columns: list[str]  # numbers: sized, coloured, quoted and checked
    gaps: list[str] = field(default_factory=list)
    text_columns: list[str] = field(default_factory=list)  # other asked facts, e.g. a capital's name
    not_mapped: list[dict[str, str]] = field(default_factory=list)  # {"name", "reason"} per unplaced row


class PageLike(Protocol):
    url: str
    title: str
    markdown: str


@dataclass(frozen=True)
class Located:
    """Where a row's marker goes, where that position comes from, and how precise it is."""

    latitude: float
    longitude: float
    source: str
    precision: str  # one of PRECISIONS
    country: str = ""


def _first_key(row: dict, keys: tuple[str, ...]) -> str | None:
    lowered = {k.lower(): k for k in row}
    return next((lowered[k] for k in keys if k in lowered), None)


def _number(value: Any) -> float | int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return value
    parsed = to_number(str(value))
    return parsed if isinstance(parsed, int | float) else None


def _row_pages(row: dict, name: str, pages: list[PageLike]) -> list[tuple[int, PageLike]]:
    """The pages read in the run that may place a row, each with its class: 0 for the pages its values
    cite and those about it, 1 for the others (where only a table row naming it can place it: a register
    of summits, a river's mouth in a table of tributaries)."""
    by_url = {page.url: page for page in pages}
    cited = [by_url[u] for k, u in row.items() if k.endswith("_source") or k == "source" if u in by_url]
    about = [page for page in pages if is_about(page.title, page.markdown, name)]
    own = list(dict.fromkeys([*cited, *about]))
    return [(0, page) for page in own] + [(1, page) for page in pages if page not in own]


def _city_of(row: dict, name: str, pages: list[PageLike]) -> str | None:
    """The city a row names for its place (a 'city' key), else the one its page's key-value lines name,
    else the one a table row naming it on a page read gives under such a header (a list's 'Location':
    'Wuhan, Hubei' for a bridge no page is about)."""
    key = _first_key(row, CITY_KEYS)
    if key and isinstance(row[key], str) and row[key].strip():
        return row[key]
    for page in pages:
        if not is_about(page.title, page.markdown, name):
            continue
        for line in page.markdown.splitlines():
            label, value = _key_value(line)
            if _names_a_city(label):
                return value
    for page in pages:
        for _, table in parse_table_blocks(page.markdown):
            for cells in table:
                texts = [v for v in cells.values() if isinstance(v, str)]
                city = next((v for h, v in cells.items() if _names_a_city(h) and v.strip()), None)
                if city and any(names_place(t, name) for t in texts if t != city):
                    return city
    return None


def _names_a_city(label: str) -> bool:
    """Whether a label names the city a place is in ('Location', 'City served')."""
    return bool(label) and any(re.search(rf"\b{k}\b", label, re.I) for k in CITY_KEYS)


def _key_value(line: str) -> tuple[str, str]:
    """('Location', 'Barcelona, Spain') from a key-value line: '| Location | Barcelona, Spain |' or
    '- **Location:** Barcelona, Spain'; empty strings for other lines."""
    cells = [c for c in row_cells(line) if c] if line.strip().startswith("|") else []
    if len(cells) == 2:
        return cells[0], cells[1]
    bullet = re.match(r"^\s*[-*]\s+\*{0,2}([^:*]{2,40}):?\*{0,2}:?\s+(.+)$", line)
    return (bullet.group(1), bullet.group(2)) if bullet else ("", "")


def locate(
    row: dict,
    name: str,
    country: str,
    pages: list[PageLike],
    near: str | None = None,
    countries: bool = True,
) -> Located | None:
    """A row's position, in this order: the row's own latitude/longitude; a country row's centroid (unless
    ``countries`` is False: the rows are places of another kind, and 'Madagascar' is an island); the pages
    read for it (a table row naming it, the page about it); the offline gazetteer; a territory's centroid;
    the city the row or its page names for it; its country's centroid. None when nothing places it."""
    lat_key, lon_key = _first_key(row, LAT_KEYS), _first_key(row, LON_KEYS)
    lat = _number(row.get(lat_key)) if lat_key else None
    lon = _number(row.get(lon_key)) if lon_key else None
    if lat is not None and lon is not None:
        return Located(lat, lon, row.get(f"{lat_key}_source") or row.get("source") or "", "page")
    is_country = not country or country_code(country) == country_code(name)
    if countries and is_country and (place := country_place(name)):
        return Located(place.latitude, place.longitude, place.source, "country", place.country)
    # the best-ranked position over the pages read for the row, the pages it cites or that are about it
    # first; among equals, the page most squarely about the place ('Amazon River' before 'Tributaries of
    # the Amazon'), then the pages its values cite
    found = [
        (kind, rank, -aboutness(page.title, page.markdown, name), order, position, page.url)
        for order, (kind, page) in enumerate(_row_pages(row, name, pages))
        for rank, position in ranked_positions(page.title, page.markdown, name, near)[:1]
    ]
    if found:
        *_, position, url = min(found, key=lambda f: f[:4])
        return Located(position.latitude, position.longitude, url, "page")
    place = geocode(name, country or None)
    if place:
        return Located(place.latitude, place.longitude, place.source, "gazetteer", place.country)
    # a territory its row's country names too ('Greenland', 'Denmark (Greenland)'), when no page placed
    # it: the territory's centre, not its sovereign's (a lake 'Malawi (Nyasa)' is placed by its page)
    if country_code(name) and names_place(country, name) and (place := country_place(name)):
        return Located(place.latitude, place.longitude, place.source, "country", place.country)
    city = _city_of(row, name, pages)
    place = geocode(city, country or None) if city else None
    if place:
        return Located(place.latitude, place.longitude, place.source, "city", place.country)
    place = country_place(country) if country else None
    if place:
        return Located(place.latitude, place.longitude, place.source, "country", place.country)
    return None


def _asked_keys(rows: list[dict], name_key: str | None) -> list[str]:
    """Every key of the rows that holds an asked value: not the name, country, coordinates or sources."""
    skip = {*(k.lower() for k in LAT_KEYS + LON_KEYS), "country", "source", "coordinates_source"}
    keys = dict.fromkeys(k for row in rows for k in row)
    return [
        k for k in keys if k != name_key and k.lower() not in skip and not k.endswith(("_source", "_quote"))
    ]


def tabulate(
    rows: Any, pages: Iterable[PageLike] = (), near: str | None = None, countries: bool = True
) -> ResultTable:
    """Normalise the final answer into name, country, coordinates (with their source and precision) and
    value columns with sources. ``pages`` are the pages read in the run, where a place's coordinates are
    looked for; ``near`` names the part of a place to put its marker at ('mouth', 'summit'); ``countries``
    False says the rows are places of another kind, even those named like a country."""
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise GeoscoutError(f"the team's answer is not a list of rows: {str(rows)[:120]!r}")
    pages = list(pages)
    name_keys = [_first_key(row, NAME_KEYS) for row in rows]
    asked = _asked_keys(rows, next((k for k in name_keys if k), None))
    text_columns = [
        key for key in asked if any(isinstance(r.get(key), str) and _number(r[key]) is None for r in rows)
    ]
    text_columns = [k for k in text_columns if any(isinstance(r.get(k), str) and r[k].strip() for r in rows)]
    value_columns = [key for key in asked if key not in text_columns]
    records, gaps, not_mapped, seen = [], [], [], set()
    for i, (row, name_key) in enumerate(zip(rows, name_keys, strict=True), start=1):
        name = str(row[name_key]).strip() if name_key else ""
        if not name:
            raise GeoscoutError(f"row {i} of the team's answer has no name: {str(row)[:120]!r}")
        if normalize_name(name) in seen:  # a place is one row: a second row of it is dropped, and said so
            gaps.append(f"{name}: row {i} repeats it and was left out")
            continue
        seen.add(normalize_name(name))
        country = str(row.get("country") or "").strip()
        record: dict[str, Any] = {"name": name, "country": country}
        found = locate(row, name, country, pages, near, countries)
        if found is None:
            not_mapped.append(
                {
                    "name": name,
                    "reason": "no coordinates on the pages read, in the gazetteer or for its city or country",
                }
            )
        elif not country and found.country:
            record["country"] = found.country
        record.update(
            latitude=found.latitude if found else None,
            longitude=found.longitude if found else None,
            coordinates_source=found.source if found else "",
            coordinates_precision=found.precision if found else None,
        )
        for column in value_columns:
            value = _number(row.get(column))
            record[column] = value
            record[f"{column}_source"] = row.get(f"{column}_source") or row.get("source") or ""
            if value is None:
                gaps.append(f"{name}: no value for {column}")
        for column in text_columns:
            text = row.get(column)
            record[column] = str(text).strip() if text not in (None, "") else None
            record[f"{column}_source"] = row.get(f"{column}_source") or row.get("source") or ""
            if record[column] is None:
                gaps.append(f"{name}: no value for {column}")
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    for column in value_columns:
        frame[column] = pd.to_numeric(frame[column])
    return ResultTable(frame, value_columns, gaps, text_columns, not_mapped)


def placed_weakly(table: ResultTable, near: str | None = None, settlements: bool = True) -> list[str]:
    """The places that no page read in the run placed and the gazetteer did not either (only their city
    or country did, or nothing), and, when the question puts markers at a part of each place ('mouth') or
    asks for places that are not ``settlements`` (ports, stadiums, mountains), the ones the gazetteer placed
    by name too: its entry is a city of that name (the river Paraná, the port of Guangzhou are no city). A
    country is placed as one."""
    frame = table.frame
    weak = {"city", "country", None} | ({"gazetteer"} if near or not settlements else set())
    return [
        name
        for name, precision in zip(frame["name"], frame["coordinates_precision"], strict=True)
        if (precision if isinstance(precision, str) else None) in weak and not country_code(str(name))
    ]


def approximate(frame: pd.DataFrame) -> pd.Series:
    """Which rows are placed only approximately: at the city a place is in, or at its country's centroid
    when the place is not that country itself."""
    if "coordinates_precision" not in frame:
        return pd.Series(False, index=frame.index)
    precision = frame["coordinates_precision"]
    is_country = [
        bool(country_code(str(n))) and country_code(str(n)) == country_code(str(c or n))
        for n, c in zip(frame["name"], frame["country"], strict=True)
    ]
    return (precision == "city") | ((precision == "country") & ~pd.Series(is_country, index=frame.index))


def label(column: str, stated_unit: str | None = None) -> str:
    """'december_temp_c' -> 'December temp (°C)'; 'population' -> 'Population'; a unit the source states
    ('daily_temp' with '°C') is used when the key names none."""
    words = column.split("_")
    unit = KEY_UNITS.get(words[-1].lower()) if len(words) > 1 else None
    if unit:
        words = words[:-1]
    unit = unit or stated_unit
    text = " ".join(words).strip().capitalize()
    return f"{text} ({unit})" if unit else text


def stated_units(table: ResultTable) -> dict[str, str | None]:
    """Per value column, the unit its source pages state (see ``provenance.unit_of``), or None."""
    units = {}
    for column in table.value_columns:
        stated = table.frame.get(f"{column}_unit")
        found = stated.dropna() if stated is not None else []
        units[column] = str(found.iloc[0]) if len(found) else None
    return units


def size_and_colour(table: ResultTable) -> tuple[str | None, str | None]:
    """Size markers by the largest all-positive quantity (a count), colour them by another value."""
    frame, columns = table.frame, table.value_columns
    positive = [c for c in columns if frame[c].dropna().ge(0).all() and frame[c].notna().any()]
    size = max(positive, key=lambda c: frame[c].abs().median(), default=None)
    others = [c for c in columns if c != size]
    colour = others[0] if others else size
    return size, colour


def source_domains(table: ResultTable) -> list[str]:
    urls = table.frame[[c for c in table.frame.columns if c.endswith("_source")]].to_numpy().ravel()
    domains = [re.sub(r"^https?://(www\.)?", "", str(u)).split("/")[0] for u in urls if u]
    return sorted(set(domains))


def to_geojson(table: ResultTable) -> dict[str, Any]:
    """The rows as a GeoJSON FeatureCollection: one Point per place with coordinates, every column (values,
    sources, quotes) as properties."""
    features = []
    for record in table.frame.astype(object).where(table.frame.notna(), None).to_dict("records"):
        if record["latitude"] is None or record["longitude"] is None:
            continue
        geometry = {"type": "Point", "coordinates": [record["longitude"], record["latitude"]]}
        features.append({"type": "Feature", "geometry": geometry, "properties": record})
    return {"type": "FeatureCollection", "features": features}


def country_codes(table: ResultTable) -> list[str] | None:
    """The ISO-3 codes of the rows when every row is a country (then the map is a choropleth), else None."""
    codes = []
    for name, country in zip(table.frame["name"], table.frame["country"], strict=True):
        code = country_code(str(name))
        if code is None or (country and country_code(str(country)) != code):
            return None
        codes.append(iso3(code))
    return codes if all(codes) else None
