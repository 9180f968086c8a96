"""Live search backends, end to end on the real embedded model: Tavily's API and DuckDuckGo's result pages
answered by loopback servers that serve the demo snapshot's pages over HTTP."""

import html
import json
import urllib.parse

import pytest

from geoscout.run import SEED_QUESTION, RunSettings, run
from geoscout.snapshot import Snapshot, demo_snapshot_path
from tests.servers import LoopbackServer, allow, json_reply

pytestmark = pytest.mark.e2e
PAGES = demo_snapshot_path()


class MiniWeb:
    """Serves the demo pages at /pages/<file> and ranks them with the snapshot's own BM25 search."""

    def __init__(self):
        self.snapshot = Snapshot.open(PAGES)
        manifest = json.loads((PAGES / "manifest.json").read_text())["pages"]
        self.file_of = {entry["url"]: entry["file"] for entry in manifest}
        self.server = LoopbackServer(self.handle)

    def hits(self, query):
        return [
            (r.title, f"{self.server.url}/{self.file_of[r.url]}", r.snippet)
            for r in self.snapshot.search(query)
        ]

    def handle(self, method, path, body):
        if path == "/search":  # Tavily's API
            query = json.loads(body)["query"]
            results = [{"title": t, "url": u, "content": s, "score": 1.0} for t, u, s in self.hits(query)]
            return json_reply(200, {"query": query, "results": results})
        if path.startswith("/html"):  # DuckDuckGo's HTML results
            query = urllib.parse.parse_qs(body.decode())["q"][0]
            items = "".join(
                f'<div class="result"><div class="links_main result__body"><h2 class="result__title">'
                f'<a class="result__a" href="{u}">{html.escape(t)}</a></h2>'
                f'<a class="result__snippet" href="{u}">{html.escape(s)}</a></div></div>'
                for t, u, s in self.hits(query)
            )
            return 200, "text/html", f"<html><body>{items}</body></html>".encode()
        file = PAGES / path.lstrip("/")
        if path.startswith("/pages/") and file.is_file():
            return 200, "text/html; charset=utf-8", file.read_bytes()
        return 404, "text/plain", b"not found"


@pytest.fixture()
def mini_web(monkeypatch):
    web = MiniWeb()
    with web.server:
        allow(monkeypatch, web.server)
        yield web


def check_run(outcome, web):
    assert outcome.state == "success", outcome.reason
    frame = outcome.table.frame
    assert list(frame["name"])[:3] == ["Tokyo", "Delhi", "Shanghai"] and len(frame) == 10
    sources = {
        v for c in frame.columns if c.endswith("_source") and c != "coordinates_source" for v in frame[c]
    }
    assert sources and all(s.startswith(web.server.url) for s in sources)  # values came over HTTP


def test_tavily_backend_whole_team(mini_web, monkeypatch, tmp_path):
    monkeypatch.setenv("TAVILY_API_KEY", "tvly-test")
    monkeypatch.setenv("TAVILY_API_BASE", mini_web.server.url)
    outcome = run(
        RunSettings(question=SEED_QUESTION, model="local", search="tavily", out_dir=tmp_path, quiet=True)
    )
    check_run(outcome, mini_web)


def test_duckduckgo_backend_whole_team(mini_web, monkeypatch, tmp_path):
    from ddgs.engines.duckduckgo import Duckduckgo

    monkeypatch.setattr(Duckduckgo, "search_url", mini_web.server.url + "/html/")
    outcome = run(
        RunSettings(question=SEED_QUESTION, model="local", search="duckduckgo", out_dir=tmp_path, quiet=True)
    )
    check_run(outcome, mini_web)
