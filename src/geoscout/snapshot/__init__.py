"""An offline copy of part of the web: pages with their URLs, full-text searchable with SQLite FTS5 (BM25).

A snapshot is either a folder of saved pages with a ``manifest.json`` mapping each file to its URL, or a
SQLite file built from one with ``geoscout snapshot build``. ``web_search`` and ``visit_webpage`` answer
from it when no live search backend is used.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from geoscout.errors import GeoscoutError
from geoscout.pages.html import html_to_markdown

SCHEMA = """
CREATE TABLE pages (url TEXT PRIMARY KEY, title TEXT NOT NULL, markdown TEXT NOT NULL);
CREATE VIRTUAL TABLE pages_fts USING fts5(title, markdown, content='pages', content_rowid='rowid',
                                          tokenize='unicode61 remove_diacritics 2');
"""


@dataclass(frozen=True)
class SearchResult:
    """One search hit, the same shape for every search backend."""

    title: str
    url: str
    snippet: str

    def as_dict(self) -> dict[str, str]:
        return {"title": self.title, "url": self.url, "snippet": self.snippet}


@dataclass(frozen=True)
class Page:
    url: str
    title: str
    markdown: str


def normalize_url(url: str) -> str:
    """Make lookups forgiving: scheme, ``www.``, fragment and a trailing slash do not matter."""
    url = url.strip().split("#", 1)[0]
    url = re.sub(r"^https?://(www\.)?", "", url, flags=re.I)
    return url.rstrip("/").lower()


def _read_manifest(folder: Path) -> list[dict]:
    manifest_path = folder / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GeoscoutError(f"snapshot folder {folder} has no manifest.json") from None
    except (OSError, json.JSONDecodeError) as e:
        raise GeoscoutError(f"cannot read snapshot manifest {manifest_path}: {e}") from None
    pages = manifest.get("pages") if isinstance(manifest, dict) else None
    if not isinstance(pages, list) or not all(
        isinstance(p, dict) and "file" in p and "url" in p for p in pages
    ):
        raise GeoscoutError(f'{manifest_path}: expected {{"pages": [{{"file": ..., "url": ...}}, ...]}}')
    return pages


def _fill(conn: sqlite3.Connection, folder: Path) -> int:
    conn.executescript(SCHEMA)
    entries = _read_manifest(folder)
    for entry in entries:
        path = folder / entry["file"]
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise GeoscoutError(f"snapshot page {path} is unreadable: {e.strerror or e}") from None
        if path.suffix.lower() in {".html", ".htm"}:
            title, markdown = html_to_markdown(text)
        else:
            markdown = text.strip()
            heading = re.search(r"^#\s+(.+)$", markdown, flags=re.M)
            title = heading.group(1).strip() if heading else path.stem
        conn.execute(
            "INSERT OR REPLACE INTO pages (url, title, markdown) VALUES (?, ?, ?)",
            (entry["url"], entry.get("title") or title, markdown),
        )
    conn.execute("INSERT INTO pages_fts(pages_fts) VALUES ('rebuild')")
    conn.commit()
    return len(entries)


def build_snapshot(folder: Path, out_path: Path) -> int:
    """Build a snapshot file from a folder of saved pages; written to a temp file then renamed."""
    folder, out_path = Path(folder), Path(out_path)
    tmp = out_path.with_name(out_path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    try:
        conn = sqlite3.connect(tmp)
        with conn:
            count = _fill(conn, folder)
        conn.close()
        tmp.replace(out_path)
    except OSError as e:
        raise GeoscoutError(f"cannot write snapshot {out_path}: {e.strerror or e}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return count


def _fts_query(query: str) -> str:
    """Any word of the query, from three letters on also as a prefix, so that "avg temp" finds "average
    temperature" and "elev" "elevation", as a web search engine would. (Stemming, tried too, ranked the
    pages of a query's other words first: "most populous countries" found a table of cities.)"""
    words = re.findall(r"\w+", query.lower())
    return " OR ".join(f'"{w}"*' if len(w) >= 3 else f'"{w}"' for w in words)


class Snapshot:
    """Read-only access to a snapshot: ranked search and page lookup by URL."""

    def __init__(self, conn: sqlite3.Connection, location: str):
        self._conn = conn
        self.location = location
        self._by_url = {normalize_url(u): u for (u,) in conn.execute("SELECT url FROM pages")}

    @classmethod
    def open(cls, path: str | Path) -> Snapshot:
        path = Path(path)
        if path.is_dir():
            conn = sqlite3.connect(":memory:", check_same_thread=False)
            _fill(conn, path)
            return cls(conn, str(path))
        if not path.is_file():
            raise GeoscoutError(f"snapshot {path} does not exist")
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            conn.execute("SELECT count(*) FROM pages_fts").fetchone()
        except sqlite3.DatabaseError as e:
            raise GeoscoutError(f"snapshot {path} is not a readable geoscout snapshot: {e}") from None
        return cls(conn, str(path))

    def __len__(self) -> int:
        return len(self._by_url)

    def search(self, query: str, limit: int = 5) -> list[SearchResult]:
        fts = _fts_query(query)
        if not fts:
            return []
        rows = self._conn.execute(
            "SELECT p.title, p.url, snippet(pages_fts, 1, '', '', ' … ', 24) FROM pages_fts "
            "JOIN pages p ON p.rowid = pages_fts.rowid WHERE pages_fts MATCH ? "
            "ORDER BY bm25(pages_fts, 5.0, 1.0) LIMIT ?",
            (fts, limit),
        ).fetchall()
        return [SearchResult(t, u, re.sub(r"\s+", " ", s).strip()) for t, u, s in rows]

    def page(self, url: str) -> Page | None:
        stored = self._by_url.get(normalize_url(url))
        if stored is None:
            return None
        title, markdown = self._conn.execute(
            "SELECT title, markdown FROM pages WHERE url = ?", (stored,)
        ).fetchone()
        return Page(stored, title, markdown)


def demo_snapshot_path() -> Path:
    """The snapshot shipped with geoscout: the world's large cities, their population and climate."""
    return Path(str(files("geoscout.snapshot").joinpath("demo")))
