"""Real HTTP servers on loopback for tests: each answers from a handler function and counts requests."""

from __future__ import annotations

import contextlib
import html
import json
import threading
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from geoscout.snapshot import Snapshot, demo_snapshot_path

PAGES = demo_snapshot_path()
# (method, path, body) -> (status, type, body), or (status, type, body, {header: value})
Handler = Callable[[str, str, bytes], tuple]


class LoopbackServer:
    def __init__(self, handler: Handler):
        self.requests: list[tuple[str, str, bytes]] = []
        outer = self

        class _Handler(BaseHTTPRequestHandler):
            def _serve(self, method: str) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                outer.requests.append((method, self.path, body))
                status, content_type, payload, *more = handler(method, self.path, body)
                self.send_response(status)
                self.send_header("content-type", content_type)
                for name, value in (more[0] if more else {}).items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:  # noqa: N802
                self._serve("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._serve("POST")

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> LoopbackServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def json_reply(status: int, data: object) -> tuple[int, str, bytes]:
    return status, "application/json", json.dumps(data).encode()


def allow(monkeypatch, *servers: LoopbackServer) -> None:
    """Let the guarded fetch read these loopback servers (the only way past its address check)."""
    from geoscout import web

    monkeypatch.setattr(web, "ALLOWED_ADDRESSES", {f"127.0.0.1:{s.httpd.server_address[1]}" for s in servers})


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


@contextlib.contextmanager
def tavily_on_mini_web(monkeypatch):
    """A MiniWeb serving, answering as Tavily's API (a test key), and let through the fetch guard."""
    monkeypatch.setenv("TAVILY_API_KEY", "tvly-test")
    web = MiniWeb()
    with web.server:
        allow(monkeypatch, web.server)
        monkeypatch.setenv("TAVILY_API_BASE", web.server.url)
        yield web
