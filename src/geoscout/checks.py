"""Checks an answer must pass before it is final (smolagents ``final_answer_checks``).

smolagents calls each check as ``check(final_answer, memory, agent=agent)`` (since 1.23); a failed check's
message goes back to the agent as an error, so messages say exactly what to repair.
"""

from __future__ import annotations

import re
from typing import Any

from smolagents import ToolCallingAgent

from geoscout.geocode import country_code, country_name, geocode, normalize_name
from geoscout.pages.numbers import to_number
from geoscout.question import KEY_UNITS, Reading, read_question

ALWAYS_ALLOWED = ("name", "country", "latitude", "longitude", "coordinates_source")


def unasked_keys(row: dict, task: str) -> list[str]:
    """The keys of a row the task does not ask for: a small model copies its prompt example's values
    ("completed_year", a joined population) into rows. With the task's list of keys, every other key;
    without one, the numbers whose key the task's words never speak of, and their sources; without a
    task, none."""
    reading = read_question(task)
    keys = reading.keys
    if not task.strip():
        return []
    if keys:
        allowed = {*keys, *ALWAYS_ALLOWED}
        return [k for k in row if k not in allowed and k.removesuffix("_source") not in allowed]
    numbers = [
        k for k, v in row.items() if _is_number(v) and k not in ALWAYS_ALLOWED and not reading.mentions(k)
    ]
    return numbers + [f"{k}_source" for k in numbers if f"{k}_source" in row]


def renamed_to_task(row: dict, keys: tuple[str, ...]) -> dict:
    """The row with a key the task does not ask for renamed to the asked key it stands for: the one missing
    asked value with the same unit in its key (seen: the prompt example's 'height_m' written for the asked
    'elevation_m', and the rows then rebuilt wrong after being sent back). Other rows are left as they are."""
    asked = [k for k in keys if k not in ALWAYS_ALLOWED and not k.endswith("_source")]
    missing = [k for k in asked if k not in row]
    extra = [k for k in row if k not in keys and k not in ALWAYS_ALLOWED and not k.endswith("_source")]
    renames = {}
    for key in missing:
        unit = key.rsplit("_", 1)[-1]
        same = [k for k in extra if "_" in key and k.rsplit("_", 1)[-1] == unit and unit in KEY_UNITS]
        if len(same) == 1 and same[0] not in renames:
            renames[same[0]] = key
    if not renames:
        return row
    renames |= {f"{old}_source": f"{new}_source" for old, new in renames.items()}
    return {renames.get(k, k): v for k, v in row.items()}


def _is_number(value: Any) -> bool:
    if isinstance(value, str):
        value = to_number(value)
    return isinstance(value, int | float) and not isinstance(value, bool)


def found_values_unwrapped(rows: Any) -> Any:
    """Rows whose cells hold a whole ``find_value`` result ({'name', 'value', 'source', …}) hold its value
    instead, with its source under '<key>_source' when the row has none, and a name cell the place found
    (seen: ``{"name": capital, …}`` with ``capital = find_value(country, "capital")``, every row named by a
    dict). Other rows are left as they are."""
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        return rows
    return [_unwrapped(row) for row in rows]


def _unwrapped(row: dict) -> dict:
    out = dict(row)
    for key, cell in row.items():
        if not (isinstance(cell, dict) and {"value", "source"} <= set(cell)):
            continue
        value = cell["value"]
        if key in ("name", "country"):
            out[key] = value if isinstance(value, str) else cell.get("name")
            continue
        out[key] = value
        if not out.get(f"{key}_source"):
            out[f"{key}_source"] = cell["source"]
    return out


def drop_unasked_keys(rows: Any, task: str) -> Any:
    """The rows without the keys the task did not ask for (``unasked_keys``), once a key standing for an
    asked one is renamed (``renamed_to_task``). Sending them back made the model rewrite rows that were
    right, so this is done when a managed agent hands its rows over."""
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        return rows
    keys = read_question(task).keys
    rows = [renamed_to_task(row, keys) for row in rows] if keys else rows
    unasked = {k for row in rows for k in unasked_keys(row, task)}
    return [{k: v for k, v in row.items() if k not in unasked} for row in rows]


def named_by_kind(rows: Any, reading: Reading) -> Any:
    """Rows named by their country that hold the place the question asks for under a key naming its kind
    ({'name': 'Canada', 'capital': 'Ottawa'} for capitals, {'name': 'Peru', 'airport': 'Jorge Chávez'} for
    airports) are renamed to that place, the country kept as the row's country. Asking the model to do it
    was ignored (seen: the capitals of the G7, every row named by its country); other rows are left."""
    if not isinstance(rows, list) or not rows or not all(isinstance(row, dict) for row in rows):
        return rows
    if any(not isinstance(row.get("name"), str) or not country_code(row["name"]) for row in rows):
        return rows
    held = next(
        (
            key
            for key in rows[0]
            if reading.names_the_rows(key)
            and all(
                isinstance(row.get(key), str) and row[key].strip() and not country_code(row[key])
                for row in rows
            )
        ),
        None,
    )
    if held is None:
        return rows
    renamed = []
    for row in rows:
        rest = {k: v for k, v in row.items() if k not in (held, "name", "country")}
        renamed.append({"name": row[held], "country": row.get("country") or row["name"], **rest})
    return renamed


def _reading(agent: Any) -> Reading:
    """The reading of the task of the agent whose answer is judged (its question, for the manager)."""
    return read_question(getattr(agent, "task", "") or "")


ASK_AGAIN = "Call web_agent again with the whole task and what to correct, then final_answer(rows)"


def _repair(agent: Any, *, tool_calling: str, code: str) -> str:
    """How to repair, in the terms of the agent that must do it (a manager has no tables: it asks its
    web_agent again)."""
    if getattr(agent, "managed_agents", None):
        return ASK_AGAIN
    return tool_calling if isinstance(agent, ToolCallingAgent) else code


class Unusable(ValueError):
    """An answer no table can be made of (not a list of rows with names): sent back every time."""


class SendsBackOnce:
    """A check that sends an answer back once, then accepts: a second failure is recorded in ``accepted``
    and the answer goes on, so a check that misjudges a question (a misread region or count) costs one
    step, never the run. Only an answer nothing can be made of (``Unusable``) is sent back every time."""

    __name__ = "check"  # smolagents names a failed check by its __name__

    def judge(self, final_answer: Any, agent: Any = None) -> bool:
        raise NotImplementedError

    def __call__(self, final_answer: Any, memory: Any = None, agent: Any = None) -> bool:
        accepted = self.__dict__.setdefault("accepted", [])
        try:
            return self.judge(final_answer, agent)
        except Unusable:
            raise
        except ValueError as e:
            if self.__dict__.get("_sent_back"):
                accepted.append(str(e))
                return True
            self._sent_back = True
            raise


class RowsCheck(SendsBackOnce):
    """Rows must be a non-empty list of dicts with a name, with the keys and the number of rows the task
    asked for."""

    __name__ = "rows_check"

    def judge(self, final_answer: Any, agent: Any = None) -> bool:
        if not isinstance(final_answer, list) or not final_answer:
            manager = getattr(agent, "managed_agents", None)
            again = f" web_agent found no rows. {ASK_AGAIN}." if manager else ""
            # seen: {'average_temp_c': 0.4}, one figure computed over the rows the code had built
            one = (
                " Give one dict per place with its own values (the list you built, e.g. final_answer(rows)), "
                "never one figure computed over them."
                if isinstance(final_answer, dict) and not manager
                else ""
            )
            raise Unusable(
                "final_answer needs a non-empty list of dicts, got "
                f"{type(final_answer).__name__}: {str(final_answer)[:200]}.{again}{one}"
            )
        reading = _reading(agent)
        keys = reading.keys
        for i, row in enumerate(final_answer, start=1):
            if not isinstance(row, dict):
                raise Unusable(f"row {i} is a {type(row).__name__}, not a dict: {str(row)[:200]}")
            if not row.get("name"):
                named = [
                    k
                    for k, v in row.items()
                    if isinstance(v, str) and v and not v.startswith("http") and k not in ALWAYS_ALLOWED
                ]
                hint = f" Put the place's name under the key 'name' instead of {named[0]!r}." if named else ""
                if named and not isinstance(agent, ToolCallingAgent):  # a line of code is followed best
                    hint += (
                        " Rename it in the rows you answered: rows = [{('name' if k == "
                        f"{named[0]!r} else k): v for k, v in row.items()}} for row in rows], then "
                        "final_answer(rows)."
                    )
                raise Unusable(f"row {i} has no 'name': {str(row)[:200]}.{hint}")
            # a key naming the places the rows are ('capital') is their name once rows are renamed
            mended = renamed_to_task(row, keys)
            absent = [k for k in keys if k not in mended and not reading.names_the_rows(k)]
            if absent:
                raise ValueError(
                    f"row {i} ({row['name']}) lacks the keys {', '.join(absent)}; the task asks for the keys "
                    f"{', '.join(keys)}. Build every row with all of them."
                )
            for key in reading.measures:
                value = row.get(key)
                # a text fact ("Beijing") is fine; a number written as text ("37.4 million") is not
                if isinstance(value, str) and re.search(r"\d", value) and isinstance(to_number(value), str):
                    raise ValueError(
                        f"row {i} ({row['name']}): {key} is {value!r}, not a number. Take the number from "
                        "its table as it is."
                    )
        names = [normalize_name(str(row["name"])) for row in final_answer]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            rows = [i for i, n in enumerate(names, start=1) if n == repeated[0]]
            place = final_answer[rows[0] - 1]["name"]
            raise ValueError(f"rows {', '.join(map(str, rows))} are all {place}: each place once.")
        count = reading.count
        if count and len(final_answer) != count:
            how = _repair(
                agent,
                tool_calling=f"call make_rows again with n {count}",
                code=f"`for row in top_rows(table, column, {count}):` (filter the table first if a region is "
                "named)",
            )
            raise ValueError(
                f"the task asks for {count} rows; the answer has {len(final_answer)}. "
                f"Build the rows again, as before, from the top {count} rows of the table: {how}."
            )
        return True


class CountriesCheck(SendsBackOnce):
    """Rows must be the kind of place the task counts: countries when it asks for a number of countries,
    not countries when it asks for cities. A small model reads the first table that has the values asked
    for (a table of cities has a population too, and so does a table of countries)."""

    __name__ = "countries_check"

    def judge(self, final_answer: Any, agent: Any = None) -> bool:
        kind = _reading(agent).kind
        if kind is None or not isinstance(final_answer, list):
            return True
        named = [
            (i, row["name"])
            for i, row in enumerate(final_answer, 1)
            if isinstance(row, dict) and row.get("name")
        ]
        countries = [(i, name) for i, name in named if country_code(str(name))]
        wants_countries = kind == "countries"
        if wants_countries:
            wrong = [(i, name) for i, name in named if (i, name) not in countries]
            what = "is not a country"
        else:
            wrong = countries if len(countries) > len(named) / 2 else []  # a city-state alone is a city
            what = f"is a country, not one of the {kind}"
        if not wrong:
            return True
        if wants_countries:
            repair = code = "Read the tables of a page that lists countries and make the rows from it"
        else:  # a table of countries may have a column naming the places asked for ('Capital')
            repair = code = (
                f"Name each row by the place the task asks for (one of the {kind}), from the column of the "
                "table that names it; if the table has none, read a page that lists them"
            )
        how = _repair(agent, tool_calling=repair, code=code)
        rows = ", ".join(f"row {i} ({name})" for i, name in wrong)
        raise ValueError(f"{rows} {what}. {how}.")


def places_absent(rows: list[dict], reading: Reading) -> list[str]:
    """What rows lack of the places a question asks for: fewer rows than it counts ('5 asked'), or no row
    in a country it names one by one ('none in Spain'; counted, one country may hold all the rows: "the 5
    largest cities in France and Spain")."""
    if reading.count:
        return [f"{reading.count} asked"] if len(rows) < reading.count else []
    absent = countries_without_rows(rows, reading)
    return [f"none in {', '.join(absent)}"] if absent else []


def countries_without_rows(rows: list[dict], reading: Reading) -> list[str]:
    """The countries the question names one by one that no row is in. A row's country is its own, its
    name's (a country), or the gazetteer's for its name (a city)."""
    have = set()
    for row in rows:
        name, country = str(row.get("name") or ""), str(row.get("country") or "")
        city = None if country or country_code(name) else geocode(name)
        have |= {country_code(country), country_code(name), city.country_code if city else None}
    return [name for name in reading.named_countries if country_code(name) not in have]


class RegionCheck(SendsBackOnce):
    """When the task names a continent or a country, every row must lie in it; the message lists the
    countries of that region so the agent can filter its table and take the first rows again."""

    __name__ = "region_check"

    def judge(self, final_answer: Any, agent: Any = None) -> bool:
        region = _reading(agent).region
        if region is None or not isinstance(final_answer, list):
            return True
        label, codes = region
        outside = []
        for i, row in enumerate(final_answer, start=1):
            country = row.get("country") if isinstance(row, dict) else None
            code = country_code(str(country)) if country else None
            if code and code not in codes:
                outside.append(f"row {i} ({row.get('name')}, {country})")
        if not outside:
            return self._covers(final_answer, agent, label)
        names = sorted(filter(None, (country_name(c) for c in codes)))
        count = _reading(agent).count or len(final_answer)
        how = _repair(
            agent,
            tool_calling=f'Call make_rows again as before, with n {count} and where {{"Country": {names}}}',
            code=f"First filter the table to the rows whose country is in {names}; then rank the filtered "
            f"rows with top_rows(rows, column, {count}) and build each row with all its keys as before",
        )
        raise ValueError(f"{', '.join(outside)} not in {label}. {how}.")

    @staticmethod
    def _covers(rows: list, agent: Any, label: str) -> bool:
        """Every country the task names one by one has its row ("the capitals of France, Italy and Spain");
        without a count, the task names its places rather than ranking them."""
        reading = _reading(agent)
        if reading.count or not all(isinstance(row, dict) for row in rows):
            return True
        absent = countries_without_rows(rows, reading)
        if not absent:
            return True
        how = _repair(
            agent,
            tool_calling=f"Make a row for each of {absent} as well, with every value the task asks for",
            code=f"The task names its places: loop over {absent} and find each value with find_value(name, "
            "what) (see the rules), with every value the task asks for",
        )
        raise ValueError(f"the task names {label}, but the answer has no row in {', '.join(absent)}. {how}.")


def _is_gap(key: str, row: dict, measures: list[str]) -> bool:
    """Whether a row lacks a value: empty, or an asked value that is the row's own name (seen: each
    capital's name as its elevation, from the wrong one of two find_value results)."""
    value, name = row.get(key), row.get("name")
    if key in ALWAYS_ALLOWED:
        return False
    if value is None or value == "":
        return True
    own_name = (
        isinstance(value, str) and isinstance(name, str) and normalize_name(value) == normalize_name(name)
    )
    return own_name and key in measures


class GapsCheck(SendsBackOnce):
    """A missing value is sent back once to be filled; the rows that come back are accepted, so a value no
    page has is a recorded gap, not a loop. It runs after the region and order checks: rows of
    the wrong places lack values too, and filling them would be wasted work."""

    __name__ = "gaps_check"

    def judge(self, final_answer: Any, agent: Any = None) -> bool:
        if not isinstance(final_answer, list) or not all(isinstance(row, dict) for row in final_answer):
            return True
        task = getattr(agent, "task", "") or ""
        gaps = []
        asked = drop_unasked_keys(final_answer, task)
        measures = read_question(task).measures  # a key naming the rows' kind ('capital') may be the name
        for i, row in enumerate(asked, start=1):
            # a place's country is found from its name later (the gazetteer), so it is no gap to fill
            missing = [k for k in row if _is_gap(k, row, measures)]
            if missing:
                gaps.append(f"row {i} ({row.get('name')}) has no value for {', '.join(missing)}")
        if gaps:
            measure = measures[0] if measures else None
            lacking = measure and sum(row.get(measure) in (None, "") for row in final_answer)
            if lacking and lacking > len(final_answer) / 2:
                raise ValueError(
                    f"most rows have no {measure}: the rows were probably taken from a table that is not "
                    f"ranked by {measure}. Take the rows from the table that has {measure} and add the other "
                    "values to them. If no table has it, call final_answer again with the same rows."
                )
            raise ValueError(
                "; ".join(gaps) + f". {self._how_to_fill(asked, agent, task)}\n"
                "If no page has them, call final_answer(rows) again with the same rows."
            )
        return True

    @staticmethod
    def _how_to_fill(rows: list[dict], agent: Any, task: str) -> str:
        """How to fill the gaps: a value no table read holds is on the page about each place (seen: a
        lake's depth left empty, then the rows handed over as they were)."""
        reading = read_question(task)
        lacking = [
            k
            for k in dict.fromkeys(k for row in rows for k in row)
            if not k.endswith("_source")
            and k not in ALWAYS_ALLOWED
            and any(_is_gap(k, row, reading.measures) for row in rows)
        ]
        if not lacking:  # only sources are missing
            return "Give each value the url of the page it is on."
        words = {k: reading.phrase_for(k.replace("_", " ")) or k.replace("_", " ") for k in lacking}
        calls = ", ".join(f"find_value(name, {w!r})" for w in words.values())
        fills = "".join(
            f"\n    found = find_value(row['name'], {w!r})\n    row[{k!r}] = found['value']\n"
            f"    row[{k + '_source'!r}] = found['source']"
            for k, w in words.items()
        )
        how = _repair(
            agent,
            tool_calling=f"A value no table has is on the page about its place: call {calls} for each place.",
            code="A value no table has is on the page about its place: fill it with this code.\n"
            f"for row in rows:{fills}\nfinal_answer(rows)",
        )
        return f"{how}." if how == ASK_AGAIN else how


def _ranked_values(rows: list, reading: Reading) -> list[float]:
    """The values of the first asked measure (or, without asked keys, the first numeric column that is
    not a coordinate), row by row; empty when some row lacks a number."""
    measures = reading.measures or [
        k
        for k, v in rows[0].items()
        if isinstance(v, (int, float)) and k not in ALWAYS_ALLOWED and not k.endswith("_source")
    ]
    if not measures:
        return []
    values = [row.get(measures[0]) for row in rows]
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return []
    return values


class OrderCheck(SendsBackOnce):
    """A task that ranks one way ("the coldest", "the largest") must not be answered with rows ranked the
    other way: the model often keeps the default order of its sort. Only rows sorted the wrong way are sent
    back; rows in no order, or a task that names both directions, pass."""

    __name__ = "order_check"

    def judge(self, final_answer: Any, agent: Any = None) -> bool:
        reading = _reading(agent)
        if reading.largest_first is None or not isinstance(final_answer, list) or len(final_answer) < 2:
            return True
        if not all(isinstance(row, dict) for row in final_answer):
            return True
        values = _ranked_values(final_answer, reading)
        pairs = list(zip(values, values[1:], strict=False))
        ascending = pairs and all(a <= b for a, b in pairs) and any(a < b for a, b in pairs)
        descending = pairs and all(a >= b for a, b in pairs) and any(a > b for a, b in pairs)
        low = not reading.largest_first
        if (low and not descending) or (not low and not ascending):
            return True
        word = reading.superlative
        fix = "largest=False" if low else "largest=True"
        how = _repair(
            agent,
            tool_calling=f"rank the table with top_rows and {fix}, then call make_rows on that table",
            code=f"rank the table with top_rows(table, column, n, {fix})",
        )
        got = "largest" if descending else "smallest"
        raise ValueError(f"the task asks for the {word}, but these rows start from the {got} value: {how}.")


class CoordinatesCheck(SendsBackOnce):
    """Coordinates the agents give must be numbers in range and lie in the row's country (offline country
    outlines); a point that fits only with latitude and longitude swapped is named as such."""

    __name__ = "coordinates_check"

    def judge(self, final_answer: Any, agent: Any = None) -> bool:
        from geoscout.geocode import in_country

        if not isinstance(final_answer, list):
            return True
        problems = []
        for i, row in enumerate(final_answer, start=1):
            if not isinstance(row, dict) or row.get("latitude") is None or row.get("longitude") is None:
                continue
            lat, lon, where = row["latitude"], row["longitude"], f"row {i} ({row.get('name')})"
            if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon)):
                problems.append(f"{where}: latitude and longitude must be numbers")
            elif not (-90 <= lat <= 90 and -180 <= lon <= 180):
                problems.append(f"{where}: ({lat}, {lon}) is not a place on Earth")
            elif row.get("country") and in_country(lat, lon, str(row["country"])) is False:
                swapped = abs(lon) <= 90 and in_country(lon, lat, str(row["country"]))
                hint = " (latitude and longitude look swapped)" if swapped else ""
                problems.append(f"{where}: ({lat}, {lon}) is not in {row['country']}{hint}")
        if problems:
            raise ValueError("; ".join(problems) + ". Take the coordinates as they are from their source.")
        return True


class MapReviewCheck:
    """Before the manager's answer is final, a vision model looks at the map these rows make and says
    PASS or FAIL (``--check-model``). A FAIL goes back to the manager with the reviewer's reason; after
    ``max_fails`` the answer is accepted and the last review kept for run.json."""

    __name__ = "map_review_check"

    def __init__(self, model: Any, render: Any, question: str, max_fails: int = 2) -> None:
        self.model, self.render, self.question, self.max_fails = model, render, question, max_fails
        self.reviews: list[str] = []

    def __call__(self, final_answer: Any, memory: Any = None, agent: Any = None) -> bool:
        import io

        from PIL import Image
        from smolagents.agents import populate_template
        from smolagents.models import ChatMessage, MessageRole

        from geoscout.prompts import load_prompts

        try:
            png = self.render(final_answer)
        except Exception:  # rows that cannot be drawn fail the other checks, with better messages
            return True
        prompt = populate_template(load_prompts("map_review")["prompt"], {"question": self.question})
        image = Image.open(io.BytesIO(png)).convert("RGB")
        content = [{"type": "image", "image": image}, {"type": "text", "text": prompt}]
        reply = (
            self.model.generate([ChatMessage(role=MessageRole.USER, content=content)]).content or ""
        ).strip()
        self.reviews.append(reply)
        passed = reply.upper().lstrip("*# ").startswith("PASS")
        if passed or len(self.reviews) > self.max_fails:
            return True
        raise ValueError(f"A reviewer looking at the map these rows make says: {reply}")
