"""The pages that place the places an answer names, where the pages the agents read did not.

A map needs each place's position. The agents read pages for the values asked; a river's length comes
from a list, while its mouth is on the page about the river, and a summit's position may sit in a register
that no value led to. For each such place, the run searches for it (with the part of it the question puts
the marker at: 'mouth', 'summit') and reads the first results, so that the result table
(``geoscout.results.locate``) can take its position from them like from any page read in the run.
"""

from __future__ import annotations

from geoscout.errors import GeoscoutError
from geoscout.tools.search import SearchBackend
from geoscout.tools.webpage import PageReader

RESULTS_READ = 3  # search results read per place


def read_pages_placing(
    names: list[str], backend: SearchBackend, reader: PageReader, near: str | None = None
) -> list[str]:
    """Read the first search results for each place's position; returns the urls newly read."""
    before = set(reader.visited)
    for name in names:
        try:
            results = backend.search(f"{name} {near or 'coordinates'}", RESULTS_READ)
        except GeoscoutError:  # the search failed (a live backend's limits): the place stays as it was
            continue
        for result in results:
            try:
                reader.get(result.url)
            except ValueError:  # a result with no page behind it
                continue
    return [url for url in reader.visited if url not in before]
