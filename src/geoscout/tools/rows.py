"""``make_rows``: select, filter and join tables into answer rows in one call.

A code agent writes this as a loop over ``table[:n]`` with ``find_row``; a tool-calling agent cannot write
loops, so it gets the same operation as one tool. Nothing in it knows a subject: it ranks by the first
table holding the first value asked for, joins on place names, and renames columns to the keys asked for.
"""

from __future__ import annotations

from typing import Any

from smolagents import Tool

from geoscout.geocode import normalize_name
from geoscout.tools.webpage import find_best_row

UNSOURCED_KEYS = ("name", "country")


def _column(tables: list[list[dict]], wanted: str) -> tuple[int, str]:
    """(table index, column) for a column name as the model wrote it: exact, any case, or a unique part."""
    columns = [(i, key) for i, table in enumerate(tables) for key in table[0] if key != "source"]
    exact = [c for c in columns if c[1] == wanted] or [c for c in columns if c[1].lower() == wanted.lower()]
    partial = [c for c in columns if wanted.lower() in c[1].lower()]
    if exact or len(partial) == 1:
        return (exact or partial)[0]
    names = list(dict.fromkeys(c for _, c in columns))
    raise ValueError(
        f"no column {wanted!r} in these tables; their columns are {names}. If none holds it, read the "
        "tables of a page that has it and pass that table too."
    )


def _matches(value: Any, allowed: Any) -> bool:
    options = allowed if isinstance(allowed, list) else [allowed]
    return normalize_name(str(value)) in {normalize_name(str(option)) for option in options}


def _name_column(table: list[dict], wanted: str) -> str:
    """The column of the ranked table that names each place: the one asked for if this table has it,
    else its first text column that is not a country (the model often names the other table's column)."""
    if wanted in table[0]:
        return wanted
    texts = [k for k, v in table[0].items() if k != "source" and isinstance(v, str)]
    places = [k for k in texts if "country" not in k.lower()] or texts
    if not places:
        raise ValueError(f"the ranked table has no column of names; its columns are {list(table[0])}")
    return places[0]


def make_rows(
    tables: list[list[dict]], keys: dict[str, str], n: int | None = None, where: dict[str, Any] | None = None
) -> list[dict]:
    """The first ``n`` rows, in the order of the table that holds the first value asked for (the ranking the
    question is about), that pass ``where``, each joined by place name with the best-matching row of every
    other table. ``keys`` maps each output key to a column; every value but the name and country gets
    ``<key>_source``, the url of the page its table came from."""
    if tables and isinstance(tables[0], dict):
        tables = [tables]  # one table given on its own
    if not tables or not all(isinstance(t, list) and t and isinstance(t[0], dict) for t in tables):
        raise TypeError("tables must be a list of table names from read_tables, e.g. ['table_1', 'table_2']")
    if "name" not in keys:
        raise ValueError("keys needs 'name': the column that names each place")
    asked = {key: column for key, column in keys.items() if key != "name" and not key.endswith("_source")}
    measures = [key for key in asked if key not in UNSOURCED_KEYS]
    first = _column(tables, asked[measures[0]])[0] if measures else 0
    tables = [tables[first]] + [t for i, t in enumerate(tables) if i != first]
    name_column = _name_column(tables[0], keys["name"])
    value_columns = {key: _column(tables, column) for key, column in asked.items()}
    where_columns = {_column(tables, column): allowed for column, allowed in (where or {}).items()}
    rows: list[dict] = []
    for ranked in tables[0]:
        joined = [ranked] + [find_best_row(other, ranked[name_column]) or {} for other in tables[1:]]
        kept = all(_matches(joined[i].get(col), allowed) for (i, col), allowed in where_columns.items())
        if not kept:
            continue
        row: dict[str, Any] = {"name": ranked[name_column]}
        for key, (i, column) in value_columns.items():
            row[key] = joined[i].get(column)
            if key not in UNSOURCED_KEYS:
                row[f"{key}_source"] = joined[i].get("source")
        rows.append(row)
        if n and len(rows) >= n:
            break
    return rows


class MakeRowsTool(Tool):
    name = "make_rows"
    description = (
        "Builds the answer rows from tables. `keys` maps each key of the answer to a column of the tables. "
        "The rows follow the order of the table that holds the first value in `keys` (the ranking), keep "
        "those matching `where`, stop after n, and get the values of the other tables from their row for "
        "the same place. Each value gets a '<key>_source' url. Returns the rows."
    )
    inputs = {
        "tables": {
            "type": "array",
            "description": "Names of tables from read_tables, e.g. ['table_1', 'table_2'].",
        },
        "keys": {
            "type": "object",
            "description": "Answer key -> column name, e.g. {'name': 'Building', 'height_m': 'Height (m)'}.",
        },
        "n": {"type": "integer", "description": "How many rows the task asks for.", "nullable": True},
        "where": {
            "type": "object",
            "description": "Keep only rows whose column has one of these values, e.g. {'Country': ['Chile', "
            "'Peru']}. Leave out to keep all.",
            "nullable": True,
        },
    }
    output_type = "array"

    def forward(
        self,
        tables: list[list[dict]],
        keys: dict[str, str],
        n: int | None = None,
        where: dict[str, Any] | None = None,
    ) -> list[dict]:
        return make_rows(tables, keys, n, where)
