"""The web agent's tools: search, read a page, read a page's tables as records, rank a table, match a row
by name, find one place's value on the page about it.

Every tool returns typed data (lists of dicts, strings) rather than prose, so that a small model can write
code over it, and every record read from a page carries that page's URL as ``source``.
"""

from smolagents import Tool

from geoscout.question import Reading
from geoscout.tools.rows import MakeRowsTool, TopRowsTool
from geoscout.tools.search import SearchBackend, SnapshotSearch, WebSearchTool, resolve_search
from geoscout.tools.values import FindValueTool
from geoscout.tools.webpage import FindRowTool, LiveWeb, PageReader, ReadTablesTool, VisitWebpageTool


def web_tools(
    search_backend: SearchBackend, reader: PageReader, reading: Reading | None = None
) -> list[Tool]:
    """The web agent's tool belt, in the order the prompt presents them; ``reading`` is the run's reading
    of the question, for the tools that complete what the model asks with it."""
    return [
        WebSearchTool(search_backend, shown=reader.found, reading=reading),
        VisitWebpageTool(reader),
        ReadTablesTool(reader, reading),
        TopRowsTool(reader, reading),
        FindRowTool(reader),
        FindValueTool(search_backend, reader, reading),
    ]


__all__ = [
    "FindRowTool",
    "FindValueTool",
    "LiveWeb",
    "MakeRowsTool",
    "PageReader",
    "ReadTablesTool",
    "SearchBackend",
    "SnapshotSearch",
    "TopRowsTool",
    "VisitWebpageTool",
    "WebSearchTool",
    "resolve_search",
    "web_tools",
]
