"""Operations on table rows that a small model gets wrong when it writes them itself.

- ``top_rows``: the n rows with the largest (or smallest) value in a column. A page's table is often in
  another order than the question's ranking (alphabetical, by another column); a sort written by hand
  fails on a missing value or a text cell, or sorts the wrong way.
- ``make_rows``: select, filter and join tables into answer rows in one call. A code agent writes this as
  a loop over ``top_rows(...)`` with ``find_row``; a tool-calling agent cannot write loops, so it gets the
  same operation as one tool.

Nothing here knows a subject: columns are the ones the model names, joins are on place names.
"""

from __future__ import annotations

import re
from typing import Any

from smolagents import Tool

from geoscout.geocode import country_code, normalize_name
from geoscout.pages.tables import header_meant
from geoscout.question import Reading
from geoscout.tools.webpage import PageReader, Table, find_best_row, name_column, one_table

UNSOURCED_KEYS = ("name", "country")


def _column(tables: list[list[dict]], wanted: str) -> tuple[int, str]:
    """(table index, column) for a column name as the model wrote it (``header_meant``), in the first
    table that has it."""
    columns = [(i, key) for i, table in enumerate(tables) for key in table[0] if key != "source"]
    names = list(dict.fromkeys(c for _, c in columns))
    meant = header_meant(wanted, names)
    if meant is not None:
        return next(c for c in columns if c[1] == meant)
    raise ValueError(
        f"no column {wanted!r} in these tables; their columns are {names}. If none holds it, read the "
        "tables of another page that has it."
    )


def _matches(value: Any, allowed: Any) -> bool:
    options = allowed if isinstance(allowed, list) else [allowed]
    return normalize_name(str(value)) in {normalize_name(str(option)) for option in options}


def _name_column(table: list[dict], wanted: str) -> str:
    """The column of the ranked table that names each place: the one asked for if this table has it,
    else the row's name column (the model often names the other table's column)."""
    if wanted in table[0]:
        return wanted
    if (key := name_column(table[0])) is None:
        raise ValueError(f"the ranked table has no column of names; its columns are {list(table[0])}")
    return key


def _is_table(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(row, dict) for row in value)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def top_rows(
    table: list[dict],
    column: str,
    n: int,
    largest: bool = True,
    countries: set[str] | frozenset[str] | None = None,
) -> Table:
    """The ``n`` rows with the largest values in ``column`` (the smallest with ``largest=False``), largest
    first; rows without a number in that column are left out, and with ``countries`` (ISO codes) rows whose
    country column names another country. A column with no number at all ranks nothing: its first ``n``
    rows come back in page order, with a note saying so."""
    table = one_table(table)
    if not _is_table(table):
        raise TypeError("top_rows(table, column, n): table must be one table, e.g. read_tables(url)[0]")
    if not table:
        return Table(note=getattr(table, "note", "") or "the table is empty")
    try:
        key = _column([table], column)[1]
    except ValueError:
        if (rank := _rank_column(table)) is None:
            raise
        # a ranking the page gives by order only (a news article's numbered list): its order is the ranking
        name = name_column(table[0]) or "name"
        note = (
            f"a ranking by {rank!r} without {column!r}: these are its first {int(n)} rows; "
            f"find_value(row[{name!r}], {column!r}) gives each one's value"
        )
        return Table(sorted(table, key=lambda row: row[rank])[: int(n)], note=note)
    rows = _in_countries(table, countries)
    numbered = [row for row in rows if _is_number(row.get(key))]
    if not numbered:  # seen: top_rows(capitals, "Capital", 7) for "the capitals of the G7", an empty list
        note = f"{key!r} holds no numbers to rank by: these are the first {int(n)} rows in page order"
        return Table(rows[: int(n)], note=note)
    return Table(sorted(numbered, key=lambda row: row[key], reverse=largest)[: int(n)])


RANK = re.compile(r"(?:rank(?:ing)?|#|no\.?|pos(?:ition)?\.?)", re.I)


def _rank_column(table: list[dict]) -> str | None:
    """The column that numbers a bare ranking ('Rank' 1, 2, 3 … with no other number beside it): a list
    that states the order of its places and none of the values it ranks them by."""
    numbers = {k for k, v in table[0].items() if _is_number(v)}
    rank = next((k for k in numbers if RANK.fullmatch(str(k).strip())), None)
    if rank is None or numbers != {rank}:
        return None
    return rank if [row.get(rank) for row in table] == list(range(1, len(table) + 1)) else None


def _in_countries(table: list[dict], countries: set[str] | frozenset[str] | None) -> list[dict]:
    """The rows whose country is one of ``countries`` (or not a country geoscout knows)."""
    column = _country_column(table)
    if not countries or column is None:
        return table
    return [row for row in table if country_code(str(row.get(column) or "")) in {None, *countries}]


def _country_column(table: list[dict]) -> str | None:
    return next((k for k in table[0] if "country" in k.lower()), None)


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
    names = _name_column(tables[0], keys["name"])
    value_columns = {key: _column(tables, column) for key, column in asked.items()}
    where_columns = {_column(tables, column): allowed for column, allowed in (where or {}).items()}
    rows: list[dict] = []
    for ranked in tables[0]:
        joined = [ranked] + [find_best_row(other, ranked[names]) or {} for other in tables[1:]]
        kept = all(_matches(joined[i].get(col), allowed) for (i, col), allowed in where_columns.items())
        if not kept:
            continue
        row: dict[str, Any] = {"name": ranked[names]}
        for key, (i, column) in value_columns.items():
            row[key] = joined[i].get(column)
            if key not in UNSOURCED_KEYS:
                row[f"{key}_source"] = joined[i].get("source")
        rows.append(row)
        if n and len(rows) >= n:
            break
    return rows


def _tables_with_column(tables: list[Table], column: str) -> list[Table]:
    """The tables that have this column (as ``_column`` finds it)."""
    found = []
    for table in tables:
        try:
            _column([table], column)
        except ValueError:
            continue
        found.append(table)
    return found


class TopRowsTool(Tool):
    name = "top_rows"
    description = (
        "Ranks a table: returns its n rows with the largest values in a column, largest first. With "
        "largest=False, the n rows with the smallest values, smallest first. When the question names a "
        "region (a continent, countries), only the rows in it are ranked. If the table has no such column "
        "but one table read so far has it, ranks that table."
    )
    inputs = {
        "table": {"type": "array", "description": "A table from read_tables: a list of dicts."},
        "column": {"type": "string", "description": "The column to rank by, as printed in the table's rows."},
        "n": {"type": "integer", "description": "How many rows to return."},
        "largest": {
            "type": "boolean",
            "description": "True (default) for the largest values, False for the smallest.",
            "nullable": True,
        },
    }
    output_type = "array"

    def __init__(self, reader: PageReader | None = None, reading: Reading | None = None):
        super().__init__()
        self.reader, self.reading = reader, reading
        self.refused: set[str] = set()  # columns said once not to be what the question ranks by

    def forward(self, table: list[dict], column: str, n: int, largest: bool | None = True) -> Table:
        # A small model ranks the whole world's table for "the largest cities in Africa", and when sent
        # back filters the rows it ranked instead of the table: the question's region is applied here.
        region = self.reading.region if self.reading else None
        countries = region[1] if region else None
        table = one_table(table)
        if self.reading and self.reading.names_a_set and _is_table(table):
            # a count the model copied from its example (seen: n = 3) would cut the set short
            n = max(int(n), len(table))
        self._ranks_what_is_asked(table, column)
        try:
            return self._ranked(table, column, n, largest is not False, countries)
        except ValueError as e:
            if self.reading and not self.reading.may_rank_by(column) and (fitting := self._fitting(table)):
                # a column refused on another table, asked again of a table that has the one meant (seen:
                # 'Year' of a temperature table asked of the population table, which ranked the former)
                raise ValueError(
                    f"{e} This table has {fitting[0]!r}, which the question ranks by: "
                    f"top_rows(table, {fitting[0]!r}, n)."
                ) from None
            # a small model ranks the other table of its join (seen: it then searched again, step after
            # step, for a page it had read): the one table read so far with that column is the one meant
            having = _tables_with_column(self.reader.tables_read(), column) if self.reader else []
            if len(having) == 1:
                return self._ranked(having[0], column, n, largest is not False, countries)
            if not having:
                raise ValueError(f"{e}{self._unread_hint()}") from None
            urls = ", ".join(t[0]["source"] for t in having)
            raise ValueError(f"{e} The tables of {urls} have {column!r}: rank one of those.") from None

    def _ranked(self, table: Any, column: str, n: int, largest: bool, countries: Any) -> Table:
        """``top_rows``, and the column ranked by kept in the reader: the agent took it for the asked
        value, so ``find_value`` may take that value from it."""
        ranked = top_rows(table, column, n, largest, countries)
        if self.reader is not None and _is_table(table) and table:
            headers = [k for k in table[0] if k != "source"]
            if (meant := header_meant(column, headers)) is not None:  # none for a bare ranking's order
                self.reader.ranked.add(meant)
        return ranked

    def _unread_hint(self) -> str:
        return self.reader.unread_hint() if self.reader else ""

    def _fitting(self, table: Any) -> list[str]:
        """The columns of numbers of a table the question may rank by."""
        if not self.reading or not _is_table(table) or not table:
            return []
        return [k for k, v in table[0].items() if _is_number(v) and self.reading.may_rank_by(k)]

    def _ranks_what_is_asked(self, table: Any, column: str) -> None:
        """Say once that a column is not what the question ranks by (seen: the cities of a temperature
        table ranked by 'Jan' for "the largest population", then step after step no population found)."""
        if not self.reading or not _is_table(table) or not table or column in self.refused:
            return
        try:
            key = _column([table], column)[1]
        except ValueError:
            return
        if self.reading.may_rank_by(key):
            return
        self.refused.add(column)
        fitting = self._fitting(table)
        if self.reading.of_another_year(key):  # 'Passengers 2019' for "the busiest in 2023"
            what, holding = f"is of another year than {self.reading.year}", f"a table of {self.reading.year}"
        else:
            what, holding = "is not a column the question speaks of", "a table that holds it"
        hint = f"rank by {fitting[0]!r}." if fitting else f"read {holding}.{self._unread_hint()}"
        raise ValueError(
            f"the question ranks by its '{self.reading.superlative}' value, and {key!r} {what}: {hint} If "
            f"{key!r} is what it ranks by, call top_rows again the same way."
        )


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
