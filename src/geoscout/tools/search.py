"""``web_search``: one typed result shape (title, url, snippet) whatever the backend.

Backends: ``snapshot[:PATH]`` (offline, BM25 over saved pages), ``tavily`` (``TAVILY_API_KEY``) and
``duckduckgo`` (keyless, the ``ddgs`` library). Live backends get a timeout, retries with backoff on
rate limits and server errors, and one clear error when they stay down.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, TypeVar

from smolagents import Tool

from geoscout.errors import GeoscoutError
from geoscout.pages.values import of_another_year
from geoscout.question import Reading
from geoscout.snapshot import SearchResult, Snapshot, demo_snapshot_path

T = TypeVar("T")
TIMEOUT_SECONDS = 20
SEARCH_CHOICES = "snapshot, snapshot:PATH, tavily, duckduckgo"


class SearchBackend(Protocol):
    name: str

    def search(self, query: str, limit: int) -> list[SearchResult]: ...


MAX_WAIT_SECONDS = 30.0  # the longest wait a server's Retry-After gets; a longer one ends the tries


class TransientError(Exception):
    """A failure worth retrying: rate limit, server error, timeout, dropped connection; ``retry_after``,
    the seconds the server asked to wait (its Retry-After header), when it said."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


def with_retries(call: Callable[[], T], what: str, attempts: int = 3, backoff: float = 1.0) -> T:
    """Run ``call``; on a TransientError wait 1, 2, 4… × ``backoff`` seconds, or as long as the server
    asked when that is longer, and try again. A server asking for more than ``MAX_WAIT_SECONDS`` is not
    tried again: the error says how long it asked for."""
    for attempt in range(attempts):
        try:
            return call()
        except TransientError as e:
            asked = e.retry_after or 0.0
            if asked > MAX_WAIT_SECONDS:
                raise GeoscoutError(f"{what} is busy and asks to wait {asked:.0f} s: {e}") from None
            if attempt == attempts - 1:
                raise GeoscoutError(f"{what} is not answering after {attempts} tries: {e}") from None
            time.sleep(max(backoff * 2**attempt, asked))
    raise AssertionError("unreachable")


class SnapshotSearch:
    """Full-text (BM25) search over an offline snapshot."""

    name = "snapshot"

    def __init__(self, snapshot: Snapshot):
        self.snapshot = snapshot

    def search(self, query: str, limit: int) -> list[SearchResult]:
        return self.snapshot.search(query, limit=limit)


class TavilySearch:
    """Tavily's search API (``TAVILY_API_KEY``; ``TAVILY_API_BASE`` points it elsewhere, e.g. a proxy)."""

    name = "tavily"

    def __init__(self, api_key: str, base_url: str | None = None, backoff: float = 1.0):
        from tavily import TavilyClient

        self.client = TavilyClient(api_key=api_key, api_base_url=base_url)
        self.backoff = backoff

    def _call(self, query: str, limit: int) -> dict:
        import requests
        from tavily import errors

        try:
            return self.client.search(query, max_results=limit, timeout=TIMEOUT_SECONDS)
        except (errors.UsageLimitExceededError, errors.TimeoutError, requests.RequestException) as e:
            raise TransientError(str(e) or type(e).__name__) from None
        except (errors.InvalidAPIKeyError, errors.ForbiddenError):
            raise GeoscoutError("Tavily refused the API key (TAVILY_API_KEY)") from None
        except requests.HTTPError as e:
            status = e.response.status_code if e.response is not None else 0
            if status >= 500:
                raise TransientError(f"HTTP {status}") from None
            raise GeoscoutError(f"Tavily search failed: HTTP {status}") from None

    def search(self, query: str, limit: int) -> list[SearchResult]:
        data = with_retries(lambda: self._call(query, limit), "Tavily search", backoff=self.backoff)
        return [
            SearchResult(r.get("title") or "", r.get("url") or "", (r.get("content") or "")[:300])
            for r in data.get("results", [])
        ]


class DuckDuckGoSearch:
    """DuckDuckGo through the ``ddgs`` library: no key needed."""

    name = "duckduckgo"

    def __init__(self, backoff: float = 1.0):
        self.backoff = backoff

    def _call(self, query: str, limit: int) -> list[dict]:
        from ddgs import DDGS
        from ddgs.exceptions import DDGSException, RatelimitException, TimeoutException

        try:
            return DDGS(timeout=TIMEOUT_SECONDS).text(query, max_results=limit, backend="duckduckgo")
        except (RatelimitException, TimeoutException) as e:
            raise TransientError(str(e)) from None
        except DDGSException as e:
            if "No results found" in str(e):
                return []
            raise TransientError(str(e)) from None

    def search(self, query: str, limit: int) -> list[SearchResult]:
        rows = with_retries(lambda: self._call(query, limit), "DuckDuckGo search", backoff=self.backoff)
        return [SearchResult(r.get("title", ""), r.get("href", ""), r.get("body", "")[:300]) for r in rows]


def default_search_spec() -> str:
    """``GEOSCOUT_SEARCH``, else Tavily when its key is set, else the offline snapshot. geoscout never
    probes the network to guess: choose ``duckduckgo`` explicitly to search live without a key."""
    if os.environ.get("GEOSCOUT_SEARCH"):
        return os.environ["GEOSCOUT_SEARCH"]
    return "tavily" if os.environ.get("TAVILY_API_KEY") else "snapshot"


def resolve_search(spec: str | None) -> tuple[SearchBackend, Snapshot | None]:
    """The backend for a ``--search`` spec, and the snapshot that also serves pages when it is offline."""
    spec = (spec or default_search_spec()).strip()
    kind, _, arg = spec.partition(":")
    if kind == "snapshot":
        snapshot = Snapshot.open(Path(arg).expanduser() if arg else demo_snapshot_path())
        return SnapshotSearch(snapshot), snapshot
    if kind == "tavily" and not arg:
        key = os.environ.get("TAVILY_API_KEY")
        if not key:
            raise GeoscoutError("--search tavily needs TAVILY_API_KEY (set it in the environment or .env)")
        return TavilySearch(key, os.environ.get("TAVILY_API_BASE") or None), None
    if kind == "duckduckgo" and not arg:
        return DuckDuckGoSearch(), None
    raise GeoscoutError(f"unknown --search {spec!r}; expected one of: {SEARCH_CHOICES}")


class WebSearchTool(Tool):
    name = "web_search"
    description = (
        "Searches the web. Returns a list of results, each a dict with keys 'title', 'url' and 'snippet'."
    )
    inputs = {"query": {"type": "string", "description": "What to search for, in a few words."}}
    output_type = "array"

    def __init__(
        self,
        backend: SearchBackend,
        limit: int = 5,
        shown: dict[str, str] | None = None,
        reading: Reading | None = None,
    ):
        super().__init__()
        self.backend = backend
        self.limit = limit
        self.shown = shown  # url -> title of every result shown, for tools that point to unread ones
        self.reading = reading

    def forward(self, query: str) -> list[dict]:
        # a small model reads the first result: a result whose title is of another year than the one asked
        # (a 2019 ranking for "in 2023") comes after those that are not, and, for a question that ranks
        # its places, one whose title speaks of what it ranks by before one that does not (seen: a
        # temperature table read first, and ranked, for "the 5 most populated cities … and their December
        # temperature"; the places are the rows of the ranking, the other values are joined to them). The
        # engine is asked for twice as many, so a ranking it puts just below the pages about single places
        # ("Sumatra … the sixth-largest island in the world" before "List of islands by area") is shown.
        def order(result: SearchResult) -> tuple[bool, bool]:
            ranking = self.reading is None or self.reading.ranks_in(result.title)
            return of_another_year(result.title, query), not ranking

        pool = self.backend.search(query, 2 * self.limit if self.reading else self.limit)
        results = sorted(pool, key=order)[: self.limit]
        if self.shown is not None:
            self.shown.update((r.url, r.title) for r in results if r.url not in self.shown)
        return [{**r.as_dict(), "snippet": plain_text(r.snippet)} for r in results]


def plain_text(markdown: str) -> str:
    """A snippet as a search engine shows one: words, without table pipes and rules, heading marks, link
    targets or emphasis. Seen: a snippet holding '| Tower | Height (m) | … |---|' was taken for the table
    itself, and the model searched again and again for one with the columns of its example."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)  # [text](url) -> text
    text = re.sub(r"\|?\s*:?-{3,}:?\s*(?=\|)", " ", text)  # table rules
    text = re.sub(r"\s*\|\s*", " · ", text)
    text = re.sub(r"(^|\s)#{1,6}\s+|\*\*|__", " ", text)
    text = re.sub(r"(?:\s*·\s*)+", " · ", text)
    return " ".join(text.split()).strip(" ·")
