"""Real HTTP servers on loopback for tests: each answers from a handler function and counts requests."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Handler = Callable[[str, str, bytes], tuple[int, str, bytes]]  # (method, path, body) -> (status, type, body)


class LoopbackServer:
    def __init__(self, handler: Handler):
        self.requests: list[tuple[str, str, bytes]] = []
        outer = self

        class _Handler(BaseHTTPRequestHandler):
            def _serve(self, method: str) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                outer.requests.append((method, self.path, body))
                status, content_type, payload = handler(method, self.path, body)
                self.send_response(status)
                self.send_header("content-type", content_type)
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
