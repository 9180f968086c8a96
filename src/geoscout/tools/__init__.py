"""The web agent's tools: search, read a page, read a page's tables as records, match a row by name.

Every tool returns typed data (lists of dicts, strings) rather than prose, so that a small model can write
code over it, and every record read from a page carries that page's URL as ``source``.
"""

from geoscout.tools.search import SearchBackend, SnapshotSearch, WebSearchTool, resolve_search
from geoscout.tools.webpage import (
    FindRowTool,
    LiveWeb,
    PageReader,
    ReadTablesTool,
    VisitWebpageTool,
    web_tools,
)

__all__ = [
    "FindRowTool",
    "LiveWeb",
    "PageReader",
    "ReadTablesTool",
    "SearchBackend",
    "SnapshotSearch",
    "VisitWebpageTool",
    "WebSearchTool",
    "resolve_search",
    "web_tools",
]
