"""``web_search``: one typed result shape (title, url, snippet) whatever the backend."""

from __future__ import annotations

from typing import Protocol

from smolagents import Tool

from geoscout.snapshot import SearchResult, Snapshot


class SearchBackend(Protocol):
    name: str

    def search(self, query: str, limit: int) -> list[SearchResult]: ...


class SnapshotSearch:
    """Full-text (BM25) search over an offline snapshot."""

    name = "snapshot"

    def __init__(self, snapshot: Snapshot):
        self.snapshot = snapshot

    def search(self, query: str, limit: int) -> list[SearchResult]:
        return self.snapshot.search(query, limit=limit)


class WebSearchTool(Tool):
    name = "web_search"
    description = (
        "Searches the web. Returns a list of results, each a dict with keys 'title', 'url' and 'snippet'."
    )
    inputs = {"query": {"type": "string", "description": "What to search for, in a few words."}}
    output_type = "array"

    def __init__(self, backend: SearchBackend, limit: int = 5):
        super().__init__()
        self.backend = backend
        self.limit = limit

    def forward(self, query: str) -> list[dict]:
        return [r.as_dict() for r in self.backend.search(query, self.limit)]
