"""Coordinates as pages write them, and where a page gives a place's coordinates.

Pages write a position in many forms: ``48.858°N 2.294°E``, ``48°51′29″N 2°17′40″E``, ``-33.86, 151.21``,
``12.18°S, 34.37°E``, a pair of Latitude / Longitude columns. ``parse_coordinates`` reads any of them into
signed decimal degrees; ``coordinates_on_page`` finds the line of a page that gives one place's position:
a table row naming the place, else, on the page about that place (its title or first heading names it), an
infobox or key–value line labelled with coordinates, else the first position in its text.

Nothing here knows a subject: a mountain's summit, a stadium and a river's mouth are read the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geoscout.geocode import normalize_name
from geoscout.pages.tables import parse_table_blocks, title_of_table

_MINUS = "-\u2212\u2013"
_DEG = r"\s*(?:°|º|˚|deg\b)\s*"
_MIN = r"\s*(?:′|'|’|min\b)\s*"
_SEC = r"\s*(?:″|\"|”|''|sec\b)\s*"
_HEMI = r"\s*([NSEW])\b"

# 48°51′29″N, 48°51′N, 48°N (degrees, optional minutes and seconds, hemisphere letter)
_DMS = rf"(\d{{1,3}}(?:\.\d+)?){_DEG}(?:(\d{{1,2}}(?:\.\d+)?){_MIN}(?:(\d{{1,2}}(?:\.\d+)?){_SEC})?)?{_HEMI}"
# 48.858°N or 48.858 N (decimal degrees with a hemisphere letter)
_DEC_HEMI = rf"(\d{{1,3}}\.\d+)(?:{_DEG}|\s*){_HEMI}"
_ONE = re.compile(rf"(?:{_DMS})|(?:{_DEC_HEMI})")
# -33.86, 151.21 (signed decimals, at least one decimal place each, comma or slash between)
_SIGNED_PAIR = re.compile(
    rf"(?<![\w.°])([{_MINUS}+]?\d{{1,2}}\.\d+)°?\s*[,;/]\s*([{_MINUS}+]?\d{{1,3}}\.\d+)°?(?![\w.°])"
)
COORDINATE_LABELS = re.compile(
    r"\b(coordinates?|coords|location|position|lat(?:itude)?|geo(?:graphic(?:al)?)?|cent(?:re|er|roid))\b",
    re.I,
)
# a latitude / longitude column, also of a named point ('Confluence lat', 'Summit longitude')
_LAT_HEADER = re.compile(r"\blat(?:itude)?\b", re.I)
_LON_HEADER = re.compile(r"\b(?:lon(?:gitude)?|lng|long)\b", re.I)


@dataclass(frozen=True)
class Position:
    """A place's position as a page states it: signed decimal degrees and the line that states it."""

    latitude: float
    longitude: float
    line: str


def _signed(match: re.Match) -> tuple[float, str] | None:
    """(signed degrees, 'lat' or 'lon') of one hemisphere-lettered coordinate."""
    if match.group(1) is not None:
        degrees = float(match.group(1)) + float(match.group(2) or 0) / 60 + float(match.group(3) or 0) / 3600
        hemisphere = match.group(4)
    else:
        degrees, hemisphere = float(match.group(5)), match.group(6)
    axis = "lat" if hemisphere in "NS" else "lon"
    limit = 90 if axis == "lat" else 180
    if degrees > limit:
        return None
    return (-degrees if hemisphere in "SW" else degrees), axis


def _minus(text: str) -> float:
    return float(text.replace("\u2212", "-").replace("\u2013", "-"))


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """(latitude, longitude) of the first position written in ``text``, in any common form; None if none.

    A latitude and a longitude lettered N/S and E/W may come in either order; a pair of signed decimals
    is read as latitude, longitude."""
    if not text:
        return None
    found = [parsed for m in _ONE.finditer(text) if (parsed := _signed(m))]
    for (first, first_axis), (second, second_axis) in zip(found, found[1:], strict=False):
        if {first_axis, second_axis} == {"lat", "lon"}:
            return (first, second) if first_axis == "lat" else (second, first)
    pair = _SIGNED_PAIR.search(text)
    if pair:
        lat, lon = _minus(pair.group(1)), _minus(pair.group(2))
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return lat, lon
    return None


def coordinate_columns(row: dict) -> tuple[float, float] | None:
    """A row's position from its columns: a cell holding a lettered position (any column), else a pair of
    Latitude / Longitude columns holding numbers."""
    lat_key = next((k for k in row if _LAT_HEADER.search(str(k))), None)
    lon_key = next((k for k in row if _LON_HEADER.search(str(k))), None)
    if lat_key and lon_key:
        lat, lon = _number(row[lat_key]), _number(row[lon_key])
        if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
            return lat, lon
        single = [parse_coordinates(f"{row[lat_key]} {row[lon_key]}")]
        if single[0]:
            return single[0]
    for key, value in row.items():
        if key == "source" or not isinstance(value, str):
            continue
        if _ONE.search(value) or COORDINATE_LABELS.search(str(key)):
            position = parse_coordinates(value)
            if position:
                return position
    return None


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return _minus(str(value).strip().rstrip("°"))
    except ValueError:
        return None


def name_variants(name: str) -> list[str]:
    """The names a row's name gives a place, normalised, the whole name first: a list writes 'Mount X /
    Y / Z', 'River X (Y)', 'X (with Y)' or an agglomeration 'X–Y'; each part names the place too."""
    whole = normalize_name(name)
    parts = re.split(r"\s+/\s+|[()\[\]]|\s*[\u2013\u2014]\s*|\s+-\s+", name)
    variants = [normalize_name(re.sub(r"^\s*(?:with|incl\.?|including|or|also)\s+", "", p)) for p in parts]
    return list(dict.fromkeys(v for v in [whole, *variants] if len(v) >= 2))


def names_place(text: str, name: str) -> bool:
    """Whether ``text`` names the place ``name`` (or one of its ``name_variants``) as whole words, accents,
    case and punctuation ignored."""
    found = normalize_name(text)
    return any(re.search(rf"\b{re.escape(v)}\b", found) for v in name_variants(name))


def is_about(title: str, markdown: str, name: str) -> bool:
    """Whether a page is about the place: one of the page's own names (``page_names``) names it, or holds
    every word of one of its names of two words or more in another order ('Amsterdam-Schiphol' is the
    page 'Amsterdam Airport Schiphol', 'Cambridge University' 'University of Cambridge')."""
    own = page_names(title, markdown)
    if any(names_place(text, name) for text in own):
        return True
    words = [set(v.split()) for v in name_variants(name) if len(v.split()) >= 2]
    return any(w <= set(normalize_name(text).split()) for w in words for text in own)


def page_names(title: str, markdown: str) -> list[str]:
    """The names a page gives its subject: its title, its first heading, and the names its opening
    paragraph sets in bold, as encyclopedias do ('**Heathrow Airport**, also known as **London
    Heathrow**')."""
    lines = markdown.splitlines()
    heading = next((line.lstrip("# ") for line in lines if line.startswith("#")), "")
    opening = next((line for line in lines if line.strip() and not line.lstrip().startswith(("#", "|"))), "")
    return [title, heading, *re.findall(r"\*\*([^*]{2,80})\*\*", opening)]


def aboutness(title: str, markdown: str, name: str) -> int:
    """How squarely a page is about the place, for ranking pages: 2 when its title or first heading begins
    with one of its names ('Amazon River – Encyclopedia'), 1 when it is otherwise about it (``is_about``:
    'Tributaries of the Amazon'), 0 when it is not."""
    heading = next((line.lstrip("# ") for line in markdown.splitlines() if line.startswith("#")), "")
    starts = any(
        re.match(rf"{re.escape(v)}\b", normalize_name(t))
        for t in (title, heading)
        for v in name_variants(name)
    )
    return 2 if starts else 1 if is_about(title, markdown, name) else 0


def _table_positions(markdown: str) -> list[tuple[str, str, str, tuple[float, float]]]:
    """(row line, its first text cell, the table's title, position) for each row of the page's pipe
    tables that has a position in its cells; the title is the table's header and caption ('Lake X')."""
    out = []
    page_lines = markdown.splitlines()
    for lines, rows in parse_table_blocks(markdown):
        title = title_of_table(page_lines, lines[0])
        for line, row in zip(lines, rows, strict=False):
            position = coordinate_columns(row)
            if position:
                first = next((v for k, v in row.items() if k != "source" and isinstance(v, str)), "")
                out.append((line, first, title, position))
    return out


def coordinates_on_page(title: str, markdown: str, name: str, near: str | None = None) -> Position | None:
    """The position a page gives for the place ``name``: the table row that names it, else (on the page
    about that place) the line labelled as its coordinates or, with ``near``, the line that names ``near``
    too ('mouth', 'summit'), else the first position in its text. None when the page gives none."""
    found = ranked_positions(title, markdown, name, near)
    return found[0][1] if found else None


def ranked_positions(
    title: str, markdown: str, name: str, near: str | None = None
) -> list[tuple[int, Position]]:
    """Every position the page gives for the place, each with a rank (lower is better): 0 for a table row
    whose first text cell names it; on the page about it or in a table headed by its name, 1 for a line
    naming ``near``, 2 for a line labelled as coordinates; 3 for a table row naming it in another cell (a
    capital beside its country, a tributary's row that 'joins the Amazon'); 4 for any other line of the
    page about it."""
    out = []
    for line, first, table_title, (lat, lon) in _table_positions(markdown):
        if names_place(first, name):
            rank = 0
        elif names_place(table_title, name) and COORDINATE_LABELS.search(line):  # a facts box headed by it
            rank = 1 if near and names_place(line, near) else 2
        elif names_place(line, name):
            rank = 3
        else:
            continue
        out.append((rank, Position(lat, lon, " ".join(line.split()))))
    if is_about(title, markdown, name):
        for line in markdown.splitlines():
            position = parse_coordinates(line)
            if position is None:
                continue
            rank = 1 if near and names_place(line, near) else 2 if COORDINATE_LABELS.search(line) else 4
            out.append((rank, Position(position[0], position[1], " ".join(line.split()))))
    return sorted(out, key=lambda pair: pair[0])
