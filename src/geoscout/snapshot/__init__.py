"""An offline copy of part of the web: pages with their URLs, full-text searchable with SQLite FTS5 (BM25).

A snapshot is either a folder of saved pages with a ``manifest.json`` mapping each file to its URL, or a
SQLite file built from one with ``geoscout snapshot build``. ``web_search`` and ``visit_webpage`` answer
from it when no live search backend is used; a folder recorded from a live run (``snapshot.record``) also
holds that run's searches, which it answers as they were answered live.
"""

from __future__ import annotations

import contextlib
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
CREATE TABLE searches (query TEXT PRIMARY KEY, record TEXT NOT NULL);
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


def _query_key(query: str) -> str:
    return " ".join(query.lower().split())


def read_manifest(folder: Path) -> dict:
    """A snapshot folder's manifest, checked: every page a string file inside the folder and a URL; the
    searches a run recorded (``snapshot.record``), if any."""
    manifest_path = folder / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GeoscoutError(f"snapshot folder {folder} has no manifest.json") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise GeoscoutError(f"cannot read snapshot manifest {manifest_path}: {e}") from None
    pages = manifest.get("pages") if isinstance(manifest, dict) else None
    if not isinstance(pages, list) or not all(
        isinstance(p, dict) and isinstance(p.get("file"), str) and isinstance(p.get("url"), str)
        for p in pages
    ):
        raise GeoscoutError(f'{manifest_path}: expected {{"pages": [{{"file": ..., "url": ...}}, ...]}}')
    root = folder.resolve()
    for entry in pages:
        if not (folder / entry["file"]).resolve().is_relative_to(root):
            raise GeoscoutError(
                f"{manifest_path}: page file {entry['file']!r} is outside the snapshot folder"
            )
    searches = manifest.get("searches", [])
    if not isinstance(searches, list) or not all(
        isinstance(s, dict) and isinstance(s.get("query"), str) and isinstance(s.get("results"), list)
        for s in searches
    ):
        raise GeoscoutError(
            f'{manifest_path}: expected "searches": [{{"query": ..., "results": [...]}}, ...]'
        )
    return manifest


def _fill(conn: sqlite3.Connection, folder: Path) -> int:
    conn.executescript(SCHEMA)
    manifest = read_manifest(folder)
    entries = manifest["pages"]
    for entry in entries:
        path = folder / entry["file"]
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise GeoscoutError(f"snapshot page {path} is unreadable: {e.strerror or e}") from None
        except UnicodeDecodeError:
            raise GeoscoutError(f"snapshot page {path} is not UTF-8 text") from None
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
    for search in manifest.get("searches", []):
        conn.execute(
            "INSERT OR IGNORE INTO searches (query, record) VALUES (?, ?)",
            (_query_key(search["query"]), json.dumps(search, ensure_ascii=False)),
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
    except (OSError, sqlite3.OperationalError) as e:
        raise GeoscoutError(
            f"cannot write snapshot {out_path}: {getattr(e, 'strerror', None) or e}"
        ) from None
    finally:
        with contextlib.suppress(OSError):
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
            conn.execute("SELECT url, title, markdown FROM pages LIMIT 1").fetchone()
        except sqlite3.DatabaseError as e:
            raise GeoscoutError(f"snapshot {path} is not a readable geoscout snapshot: {e}") from None
        return cls(conn, str(path))

    def __len__(self) -> int:
        return len(self._by_url)

    def search(self, query: str, limit: int = 5) -> list[SearchResult]:
        """The results a recorded run got for this query, else BM25 over the pages."""
        recorded = self._recorded(query)
        if recorded is not None:
            return [SearchResult(r["title"], r["url"], r.get("snippet", "")) for r in recorded["results"]][
                :limit
            ]
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

    def _recorded(self, query: str) -> dict | None:
        try:
            row = self._conn.execute(
                "SELECT record FROM searches WHERE query = ?", (_query_key(query),)
            ).fetchone()
        except sqlite3.OperationalError:  # a snapshot built before searches were recorded
            return None
        return json.loads(row[0]) if row else None

    def recorded_searches(self) -> list[dict]:
        try:
            return [
                json.loads(r) for (r,) in self._conn.execute("SELECT record FROM searches ORDER BY rowid")
            ]
        except sqlite3.OperationalError:
            return []

    def searches_count(self) -> int:
        return len(self.recorded_searches())

    def all_pages(self) -> list[Page]:
        return [
            Page(*row) for row in self._conn.execute("SELECT url, title, markdown FROM pages ORDER BY rowid")
        ]

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
