"""From the team's rows to a table: one row per place, each value next to the URL it came from.

Coordinates come from the rows when the agents found them, otherwise from the offline GeoNames
gazetteer (``geocode``), with the GeoNames URL as their source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from geoscout.errors import GeoscoutError
from geoscout.geocode import country_code, country_place, geocode, iso3
from geoscout.tools.tables import to_number

NAME_KEYS = ("name", "city", "place")
LAT_KEYS = ("latitude", "lat")
LON_KEYS = ("longitude", "lon", "lng")
UNITS = {"c": "°C", "f": "°F", "km": "km", "km2": "km²", "m": "m", "mm": "mm", "pct": "%", "percent": "%"}


@dataclass
class ResultTable:
    frame: pd.DataFrame
    value_columns: list[str]  # numbers: sized, coloured, quoted and checked
    gaps: list[str] = field(default_factory=list)
    text_columns: list[str] = field(default_factory=list)  # other asked facts, e.g. a capital's name


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


def tabulate(rows: Any) -> ResultTable:
    """Normalise the final answer into name, country, latitude, longitude and value columns with sources."""
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise GeoscoutError(f"the team's answer is not a list of rows: {str(rows)[:120]!r}")
    skip = set(NAME_KEYS + LAT_KEYS + LON_KEYS + ("country", "source"))
    value_columns: list[str] = []
    for row in rows:
        for key, value in row.items():
            if key.lower() in skip or key.endswith("_source") or key in value_columns:
                continue
            if _number(value) is not None:
                value_columns.append(key)
    text_columns = [
        key
        for key in dict.fromkeys(k for row in rows for k in row)
        if key.lower() not in skip
        and not key.endswith("_source")
        and key not in value_columns
        and any(isinstance(row.get(key), str) and row[key].strip() for row in rows)
    ]
    records, gaps = [], []
    for i, row in enumerate(rows, start=1):
        name_key = _first_key(row, NAME_KEYS)
        name = str(row[name_key]).strip() if name_key else ""
        if not name:
            raise GeoscoutError(f"row {i} of the team's answer has no name: {str(row)[:120]!r}")
        country = str(row.get("country") or "").strip()
        record: dict[str, Any] = {"name": name, "country": country}
        lat_key, lon_key = _first_key(row, LAT_KEYS), _first_key(row, LON_KEYS)
        lat = _number(row.get(lat_key)) if lat_key else None
        lon = _number(row.get(lon_key)) if lon_key else None
        if lat is not None and lon is not None:
            coord_source = row.get(f"{lat_key}_source") or row.get("source") or ""
        else:
            is_country = not country or country_code(country) == country_code(name)
            place = (country_place(name) if is_country else None) or geocode(name, country or None)
            if place is None:
                lat = lon = None
                coord_source = ""
                gaps.append(f"{name}: no coordinates found")
            else:
                lat, lon, coord_source = place.latitude, place.longitude, place.source
                record["country"] = country or place.country
        record.update(latitude=lat, longitude=lon, coordinates_source=coord_source)
        for column in value_columns:
            value = _number(row.get(column))
            record[column] = value
            record[f"{column}_source"] = row.get(f"{column}_source") or row.get("source") or ""
            if value is None:
                gaps.append(f"{name}: no value for {column}")
        for column in text_columns:
            text = row.get(column)
            record[column] = str(text).strip() if text is not None else None
            record[f"{column}_source"] = row.get(f"{column}_source") or row.get("source") or ""
        records.append(record)
    return ResultTable(pd.DataFrame.from_records(records), value_columns, gaps, text_columns)


def label(column: str, stated_unit: str | None = None) -> str:
    """'december_temp_c' -> 'December temp (°C)'; 'population' -> 'Population'; a unit the source states
    ('daily_temp' with '°C') is used when the key names none."""
    words = column.split("_")
    unit = UNITS.get(words[-1].lower()) if len(words) > 1 else None
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
