"""One run, start to end: question → team → tools → rows → table → map and files in a run folder.

Every file is written to a temporary name and renamed, so a run folder never holds a half-written file.
``run.json`` is written even when the team fails, with the reason, so a failed run can be inspected.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from smolagents import Model, MultiStepAgent
from smolagents.monitoring import LogLevel

from geoscout import __version__
from geoscout.checks import MapReviewCheck, places_absent
from geoscout.errors import GeoscoutError
from geoscout.files import write_atomic
from geoscout.models import resolve_model
from geoscout.monitoring import RunLimit, Trace
from geoscout.provenance import add_quotes, unquoted
from geoscout.question import Reading, read_question
from geoscout.results import (
    ResultTable,
    approximate,
    country_codes,
    label,
    placed_weakly,
    size_and_colour,
    source_domains,
    stated_units,
    tabulate,
    to_geojson,
)
from geoscout.sandbox import resolve_executor
from geoscout.snapshot.record import Recorder
from geoscout.team import build_seed_team, build_team, resolve_agent_type, rows_handed_back
from geoscout.tools import LiveWeb, PageReader, resolve_search, web_tools
from geoscout.tools.positions import read_pages_placing

SEED_QUESTION = (
    "Which are the 10 most populated cities in the world? Give their population count and their "
    "approximate daily temperature in December."
)


@dataclass
class RunSettings:
    question: str
    model: str | None = None  # both agents, unless manager_model / web_model say otherwise
    manager_model: str | None = None
    web_model: str | None = None
    api_base: str | None = None  # an OpenAI-compatible server for openai:/litellm: models
    search: str | None = None  # snapshot[:PATH], tavily, duckduckgo
    snapshot: Path | None = None  # shorthand for search="snapshot:PATH"
    out_dir: Path | None = None
    quiet: bool = False
    agent_type: str | None = None  # code (default) or tool-calling; also GEOSCOUT_AGENT_TYPE
    executor: str | None = None  # sandbox (default), local, docker, e2b; also GEOSCOUT_EXECUTOR
    check_model: str | None = None  # a vision model that reviews the map; also GEOSCOUT_CHECK_MODEL
    configuration: str = "geoscout"  # or "seed": the seed's team, as the baseline for benchmarks
    models: tuple[Model, Model] | None = None  # (manager, web_agent) models already built, e.g. for tests
    time_limit: float | None = None  # seconds for the whole run; agents are stopped before their next step
    record: Path | None = None  # a folder to save every search and page into, for --snapshot to replay
    stop: threading.Event | None = None  # set from another thread to stop the run before the next step
    on_step: Callable[[dict[str, Any]], None] | None = None  # gets each step's record as the step ends


@dataclass
class RunOutcome:
    out_dir: Path
    state: str
    reason: str | None
    seconds: float
    totals: dict[str, Any]
    verdict: str = ""
    table: ResultTable | None = None
    files: list[str] = field(default_factory=list)


def default_out_dir(question: str) -> Path:
    slug = "-".join(re.findall(r"[a-z0-9]+", question.lower())[:6]) or "run"
    return Path("runs") / f"{datetime.now():%Y%m%d-%H%M%S}-{slug}"


RUN_FILES = ("data.csv", "data.geojson", "saved_map.png", "map.html", "run.json")


def prepare_out_dir(path: Path) -> Path:
    """Create the run folder and prove it is writable before any model is loaded. An earlier run's files
    there are removed, so that none is left beside this run's (a map of another answer)."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".probe-"):
            pass
        for name in RUN_FILES:
            (path / name).unlink(missing_ok=True)
    except OSError as e:
        raise GeoscoutError(f"output folder {path} is not writable: {e.strerror or e}") from None
    return path


def map_figure(table: ResultTable, question: str) -> tuple[Any, Any]:
    """The map of a result table (and the rows it can place): sized, coloured, titled and sourced, with
    approximate positions marked and a footnote naming the places it could not place."""
    from geoscout.maps import MapSpec, build_figure

    size, colour = size_and_colour(table)
    units = stated_units(table)
    unplaced = [entry["name"] for entry in table.not_mapped]
    footnote = (
        f"{len(unplaced)} place{'s' if len(unplaced) > 1 else ''} could not be placed: {', '.join(unplaced)}"
        if unplaced
        else None
    )
    mappable = table.frame.dropna(subset=["latitude", "longitude"])
    spec = MapSpec(
        title=question,
        size_column=size,
        color_column=colour,
        size_label=label(size, units.get(size)) if size else None,
        color_label=label(colour, units.get(colour)) if colour else None,
        source_note="Sources: " + ", ".join(source_domains(table)),
        countries=country_codes(table),
        approximate=approximate(mappable).tolist(),
        footnote=footnote,
    )
    return build_figure(mappable, spec), mappable


def _map_png(rows: Any, question: str) -> bytes:
    """The PNG the rows would make, for the map review before the answer is final."""
    from geoscout.maps import render_png

    return render_png(map_figure(tabulate(rows), question)[0])


def write_outputs(table: ResultTable, question: str, out_dir: Path) -> tuple[list[str], list[str]]:
    """data.csv, data.geojson, saved_map.png and map.html for a finished table; and what is wrong with the
    map, if anything (see ``geoscout.maps.map_problems``). With no place placed there is no map: the data
    files and run.json's ``not_mapped`` say what was found."""
    from geoscout.maps import map_problems, render_png, warm_renderer, write_html

    write_atomic(out_dir / "data.csv", table.frame.to_csv(index=False))
    geojson = json.dumps(to_geojson(table), ensure_ascii=False, default=_plain)
    write_atomic(out_dir / "data.geojson", geojson)
    if table.frame.dropna(subset=["latitude", "longitude"]).empty:
        return ["data.csv", "data.geojson"], []
    figure, mappable = map_figure(table, question)
    with warm_renderer():  # one Chromium for the map and its check
        png = render_png(figure)
        write_atomic(out_dir / "saved_map.png", png)
        problems = map_problems(figure, png, len(mappable))
    write_html(figure, out_dir / "map.html")
    return ["data.csv", "data.geojson", "saved_map.png", "map.html"], problems


STATES = ("success", "partial", "failed")  # geoscout ask exits 0, 3 and 4 for them (see cli.EXIT_CODES)


def outcome_of(
    table: ResultTable | None, reason: str | None, reading: Reading | None = None
) -> tuple[str, str]:
    """(state, verdict) of a run: ``success`` when the rows are all the places asked for (as many as the
    question counts, one for each country it names), every asked value of every row is present and quoted
    from its page and every row is on the map; ``partial`` when rows were found but some places, values or
    positions are missing, some values unverified, or the team did not finish (``reason``); ``failed``
    without usable rows. The verdict is one line that names what is missing."""
    if table is None:
        return "failed", f"no answer: {reason or 'the team found no rows'}"
    frame = table.frame
    n = len(frame)
    parts = [f"{n} place{'s' if n != 1 else ''}"]
    absent = places_absent(_records(table), reading) if reading else []
    if absent:
        parts[0] += f" ({'; '.join(absent)})"
    asked = [  # a column the question never speaks of, empty in every row, is no asked value left out
        c
        for c in table.value_columns + table.text_columns
        if reading is None or reading.mentions(c) or frame[c].notna().any()
    ]
    missing = {c: frame.loc[frame[c].isna(), "name"].tolist() for c in asked}
    missing = {c: names for c, names in missing.items() if names}
    if missing:
        count = sum(len(names) for names in missing.values())
        what = "; ".join(f"{c} ({_few(names)})" for c, names in missing.items())
        parts.append(f"{count} of {n * len(asked)} values missing: {what}")
    unverified = unquoted(table)
    if unverified:
        parts.append(f"{len(unverified)} values not stated on their source pages (see unverified)")
    if table.not_mapped:
        unplaced = _few([e["name"] for e in table.not_mapped])
        nothing = len(table.not_mapped) == n
        parts.append(
            f"none placed, no map: {unplaced}"
            if nothing
            else f"{len(table.not_mapped)} not mapped: {unplaced}"
        )
    approximate_rows = frame.loc[approximate(frame), "name"].tolist()
    if approximate_rows:
        parts.append(f"{len(approximate_rows)} placed approximately: {_few(approximate_rows)}")
    if reason:  # the team did not finish (out of steps, out of time): its rows are not the whole answer
        parts.append(reason)
    if absent or missing or unverified or table.not_mapped or reason:
        return "partial", "; ".join(parts)
    return "success", "; ".join(parts + ["every value is quoted from its source page"])


def _few(names: list[str], most: int = 4) -> str:
    shown = ", ".join(str(n) for n in names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def _records(table: ResultTable) -> list[dict[str, Any]]:
    """The table's rows as plain dicts, an empty cell as None (JSON has no NaN)."""
    return table.frame.astype(object).where(table.frame.notna(), None).to_dict("records")


def _plain(value: Any) -> Any:
    """numpy scalars as Python numbers, for JSON."""
    return value.item() if hasattr(value, "item") else str(value)


def _map_review(settings: RunSettings, question: str) -> MapReviewCheck | None:
    """The vision model's review of the map, when one is configured (it must accept images)."""
    spec = settings.check_model or os.environ.get("GEOSCOUT_CHECK_MODEL")
    if not spec:
        return None
    model = resolve_model(spec, settings.api_base)
    model.flatten_messages_as_text = False  # the image must reach the model
    return MapReviewCheck(model, lambda rows: _map_png(rows, question), question)


def said_by_checks(team: MultiStepAgent, what: str) -> list[dict[str, str]]:
    """What the answer checks recorded under ``what``: 'accepted' (what they let through after sending it
    back once) or 'corrected' (the sources the quote check set); {agent, check, message} each."""
    return [
        {"agent": agent.name or "manager", "check": check.__name__, "message": message}
        for agent in [team, *team.managed_agents.values()]
        for check in getattr(agent, "final_answer_checks", None) or []
        for message in getattr(check, what, [])
    ]


@contextmanager
def _cleaned_up(team: MultiStepAgent) -> Iterator[None]:
    """Sandbox workers end with the run, however it ends."""
    try:
        yield
    finally:
        for agent in [team, *team.managed_agents.values()]:
            if hasattr(agent, "cleanup"):
                agent.cleanup()


def run(settings: RunSettings) -> RunOutcome:
    question = (settings.question or "").strip()
    if not question:
        raise GeoscoutError("the question is empty")
    agent_type = resolve_agent_type(settings.agent_type)
    runs_code = settings.configuration == "seed" or agent_type == "code"
    executor = resolve_executor(settings.executor) if runs_code else None
    search_spec = f"snapshot:{settings.snapshot}" if settings.snapshot else settings.search
    backend, snapshot = resolve_search(search_spec)
    manager_model, web_model = settings.models or (
        resolve_model(settings.manager_model or settings.model, settings.api_base),
        resolve_model(settings.web_model or settings.model, settings.api_base),
    )
    review = _map_review(settings, question)
    out_dir = prepare_out_dir(settings.out_dir or default_out_dir(question))
    recorder = Recorder() if settings.record else None
    pages = snapshot or LiveWeb()
    if recorder:
        backend, pages = recorder.searching(backend), recorder.reading(pages)
    reader = PageReader(pages)
    trace = Trace(listener=settings.on_step)
    stoppable = settings.time_limit or settings.stop
    limit = RunLimit(settings.time_limit, settings.stop) if stoppable else None
    reading = read_question(question)
    tools = web_tools(backend, reader, reading)
    if limit:
        tools = [limit.guard(tool) for tool in tools]
    options = {
        "executor": executor or "local",
        "verbosity_level": LogLevel.OFF if settings.quiet else LogLevel.INFO,
        "step_callbacks": [trace.record] + ([limit.check] if limit else []),
    }
    if settings.configuration == "seed":
        seed_tools = [t for t in tools if t.name in ("web_search", "visit_webpage")]
        team = build_seed_team(manager_model, web_model, seed_tools, **options)
    else:
        team = build_team(
            manager_model,
            web_model,
            tools,
            agent_type=agent_type,
            page_text=reader.text,
            pages_read=lambda: list(reader.visited),
            example=reading.shape,
            manager_extra_checks=[review] if review else [],
            **options,
        )
    started = time.perf_counter()
    if limit:
        limit.start([team, *team.managed_agents.values()])
    reason, table, files, broken, looked_up, failure = None, None, [], [], [], None
    try:
        with _cleaned_up(team):
            result = team.run(question, return_full_result=True)
        output = result.output
        if result.state != "success":
            reason = f"the team ended {result.state}"
    except GeoscoutError as e:
        failure, output = str(e), rows_handed_back(team)
    except Exception as e:  # stopped or failed after web_agent handed rows back: those rows, as partial
        failure, output = f"{type(e).__name__}: {e}", rows_handed_back(team)
    try:
        if failure and output is None:
            raise GeoscoutError(failure)
        countries = not reading.counts_other_places
        table = tabulate(output, reader.visited.values(), near=reading.near, countries=countries)
        if (
            looked_up := placed_weakly(table, reading.near, reading.places_are_settlements)
        ) and read_pages_placing(looked_up, backend, reader, reading.near):
            table = tabulate(output, reader.visited.values(), near=reading.near, countries=countries)
        add_quotes(table.frame, table.value_columns + table.text_columns, reader.text)
        files, broken = write_outputs(table, question, out_dir)
    except GeoscoutError as e:
        reason, table = str(e), table if files else None
    except Exception as e:  # a rendering failure still gets a run.json with the reason
        reason, table = f"{type(e).__name__}: {e}", table if files else None
    reason = failure or reason
    if limit and limit.reached:
        reason = limit.reason
    if broken:
        table, reason = None, "the map failed its checks: " + "; ".join(broken)
    state, verdict = outcome_of(table, reason, reading)
    seconds = time.perf_counter() - started
    calls = getattr(manager_model, "calls", []) + getattr(web_model, "calls", [])
    totals = trace.totals(calls)
    report = {
        "geoscout_version": __version__,
        "configuration": settings.configuration,
        "agent_type": "code" if settings.configuration == "seed" else agent_type,
        "executor": executor,
        "question": question,
        "model": manager_model.model_id,
        "web_model": web_model.model_id,
        "search_backend": backend.name,
        "snapshot": snapshot.location if snapshot else None,
        "state": state,
        "reason": reason,
        "seconds": round(seconds, 1),
        **totals,
        "verdict": verdict,
        "map_reviews": review.reviews if review else [],
        "checks_accepted": said_by_checks(team, "accepted"),
        "sources_corrected": said_by_checks(team, "corrected"),
        "gaps": table.gaps if table else [],
        "unverified": unquoted(table) if table else [],
        "not_mapped": table.not_mapped if table else [],
        "positions_looked_up": looked_up,
        "units": stated_units(table) if table else {},
        "pages_read": sorted(reader.visited),
        "rows": _records(table) if table else [],
        "trace": trace.as_list(),
    }
    if recorder:
        recorder.save(settings.record)
        report["recorded"] = str(settings.record)
    write_atomic(out_dir / "run.json", json.dumps(report, indent=2, ensure_ascii=False, default=str))
    return RunOutcome(out_dir, state, reason, seconds, totals, verdict, table, files + ["run.json"])
