"""Recording a run's inputs as a snapshot folder, so that ``--snapshot`` replays the run offline.

A recorded folder is an ordinary snapshot folder (``manifest.json`` plus one markdown file per page) whose
manifest also lists the searches: each query with the results the live backend gave. Replayed, a recorded
query gets those same results (``Snapshot.search``) and every page the same text, so the agents see what
they saw live.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from geoscout.errors import GeoscoutError
from geoscout.snapshot import Page, SearchResult, Snapshot, read_manifest


@dataclass
class Recorder:
    """Keeps every search and page a run used, in the order used."""

    searches: list[dict] = field(default_factory=list)
    pages: dict[str, Page] = field(default_factory=dict)  # by the URL asked for

    def searching(self, backend: Any) -> Any:
        return _RecordedSearch(backend, self)

    def reading(self, source: Any) -> Any:
        return _RecordedPages(source, self)

    def save(self, folder: Path) -> None:
        entries = _page_entries(self.pages)
        write_snapshot_folder(folder, entries, self.searches)


class _RecordedSearch:
    def __init__(self, backend: Any, recorder: Recorder):
        self.backend, self.recorder = backend, recorder
        self.name = backend.name

    def search(self, query: str, limit: int) -> list[SearchResult]:
        results = self.backend.search(query, limit)
        self.recorder.searches.append(
            {"query": query, "backend": self.name, "results": [r.as_dict() for r in results]}
        )
        return results


class _RecordedPages:
    def __init__(self, source: Any, recorder: Recorder):
        self.source, self.recorder = source, recorder

    def page(self, url: str) -> Page | None:
        page = self.source.page(url)
        if page is not None:
            self.recorder.pages[url] = page
        return page


def _page_entries(pages: dict[str, Page]) -> list[tuple[str, str, str]]:
    """(url, title, markdown) per page: under the URL it was read from, and, after a redirect, also under
    the URL asked for."""
    entries: dict[str, tuple[str, str, str]] = {}
    for asked, page in pages.items():
        for url in dict.fromkeys((page.url, asked)):
            entries.setdefault(url, (url, page.title, page.markdown))
    return list(entries.values())


def write_snapshot_folder(folder: Path, pages: list[tuple[str, str, str]], searches: list[dict]) -> None:
    """Write a snapshot folder whole: into a temp folder beside it, then renamed over it."""
    folder = Path(folder)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    except OSError as e:
        raise GeoscoutError(f"cannot write snapshot folder {folder}: {e.strerror or e}") from None
    try:
        (tmp / "pages").mkdir()
        manifest = []
        for i, (url, title, markdown) in enumerate(pages, 1):
            name = f"pages/{i:04d}.md"
            (tmp / name).write_text(markdown, encoding="utf-8")
            manifest.append({"file": name, "url": url, "title": title})
        document = {
            "recorded": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "pages": manifest,
            "searches": searches,
        }
        (tmp / "manifest.json").write_text(
            json.dumps(document, indent=1, ensure_ascii=False), encoding="utf-8"
        )
        tmp.chmod(0o755)
        if folder.exists():
            old = folder.with_name(f".{folder.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            folder.rename(old)
            tmp.rename(folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(folder)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise GeoscoutError(f"cannot write snapshot folder {folder}: {e.strerror or e}") from None


def snapshot_info(path: Path) -> dict[str, Any]:
    """Pages, searches, size on disk and recording date of a snapshot (folder or .db)."""
    path = Path(path)
    snap = Snapshot.open(path)
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    recorded = read_manifest(path).get("recorded") if path.is_dir() else None
    return {
        "snapshot": str(path),
        "pages": len(snap),
        "searches": snap.searches_count(),
        "bytes": sum(p.stat().st_size for p in files),
        "recorded": recorded,
    }


def merge_snapshots(a: Path, b: Path, out: Path) -> int:
    """Write OUT with the pages and searches of A and B (A's copy where both hold a URL or query)."""
    pages: dict[str, tuple[str, str, str]] = {}
    searches: dict[str, dict] = {}
    for path in (a, b):
        snap = Snapshot.open(path)
        for page in snap.all_pages():
            pages.setdefault(page.url, (page.url, page.title, page.markdown))
        for search in snap.recorded_searches():
            searches.setdefault(search["query"], search)
    write_snapshot_folder(out, list(pages.values()), list(searches.values()))
    return len(pages)
