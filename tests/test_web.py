"""The guarded fetch, against real HTTP servers on loopback: which addresses it refuses (before any
connection), redirects, time and size limits, and what each content type becomes."""

import gzip
import socket
import threading
import time

import pytest

from geoscout import web
from geoscout.web import Fetched, FetchFailed, Refused, as_text, fetch
from tests.servers import LoopbackServer


def pages(method, path, body):
    if path == "/page":
        return (
            200,
            "text/html; charset=utf-8",
            b"<html><title>Lakes</title><body><p>Deep water.</p></body></html>",
        )
    if path.startswith("/to/"):
        return 302, "text/plain", b""  # Location is added by the redirecting server below
    return 404, "text/plain", b"missing"


@pytest.fixture()
def server():
    with LoopbackServer(pages) as s:
        yield s


@pytest.fixture()
def allowed(server, monkeypatch):
    """The test's own server, let through the address check by the allow-list (nothing else can)."""
    monkeypatch.setattr(web, "ALLOWED_ADDRESSES", {f"127.0.0.1:{server.httpd.server_address[1]}"})
    return server


def _port(server):
    return server.httpd.server_address[1]


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "localhost",
        "2130706433",
        "0x7f000001",
        "127.1",
        "0177.0.0.1",
        "user:pw@127.0.0.1",
        "127.0.0.2",
        "[::ffff:127.0.0.1]",
        "[::1]",
        "0.0.0.0",
    ],
)
def test_every_spelling_of_a_loopback_address_is_refused_before_connecting(server, host):
    with pytest.raises(Refused, match="local or private address"):
        fetch(f"http://{host}:{_port(server)}/page")
    assert server.requests == []


@pytest.mark.parametrize(
    "address",
    [
        "169.254.169.254",
        "10.0.0.1",
        "192.168.1.1",
        "172.16.0.1",
        "224.0.0.1",
        "240.0.0.1",
        "fe80::1",
        "fc00::1",
        "::",
    ],
)
def test_private_link_local_multicast_and_reserved_addresses_are_refused(address, monkeypatch):
    def connect(*args, **kwargs):  # were the check to fail, no packet may leave the machine
        raise AssertionError("connected to a refused address")

    monkeypatch.setattr("urllib3.util.connection.create_connection", connect)
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(Refused, match="local or private address"):
        fetch(f"http://{host}/latest/meta-data/", timeout=2)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://example.org/", "/page"]
)
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(Refused, match="not an http"):
        fetch(url)


def test_a_name_that_resolves_to_loopback_is_refused(server):
    def resolver(
        host, port, **kwargs
    ):  # a resolver the test controls, as a rebinding DNS server would answer
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    with pytest.raises(Refused, match="pages.example is at 127.0.0.1"):
        fetch(f"http://pages.example:{_port(server)}/page", resolve=resolver)
    assert server.requests == []


def test_the_connection_goes_to_the_address_checked_and_the_scheme_may_be_upper_case(allowed):
    lookups = []

    def resolver(host, port, **kwargs):
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    got = fetch(f"HTTP://pages.example:{_port(allowed)}/page", resolve=resolver)
    assert got.status == 200 and b"Deep water" in got.body
    assert lookups == ["pages.example"]  # one lookup: no second one a rebinding server could answer
    assert as_text(got) == ("Lakes", "Deep water.")


class _RawServer:
    """A loopback server whose handler writes raw bytes to the socket, as slowly as it likes."""

    def __init__(self, handle):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.handle = handle
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn):
        with conn:
            conn.recv(65536)
            try:
                self.handle(conn)
            except OSError:
                pass

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.sock.close()


@pytest.fixture()
def raw(monkeypatch):
    def start(handle):
        server = _RawServer(handle)
        monkeypatch.setattr(web, "ALLOWED_ADDRESSES", {f"127.0.0.1:{server.port}"})
        return server

    return start


def _redirect(location):
    return lambda conn: conn.sendall(
        f"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n".encode()
    )


def test_a_redirect_to_loopback_is_checked_and_refused(server, raw):
    outer = raw(_redirect(f"http://127.0.0.1:{_port(server)}/page"))  # the inner server is not allowed
    with outer, pytest.raises(Refused, match="local or private address"):
        fetch(f"http://127.0.0.1:{outer.port}/")
    assert server.requests == []


def test_a_redirect_loop_stops_at_the_cap(raw):
    server = raw(_redirect("/again"))
    with server, pytest.raises(Refused, match="redirects more than 5 times"):
        fetch(f"http://127.0.0.1:{server.port}/")


def test_a_server_dripping_bytes_is_cut_at_the_total_time_limit(raw):
    def drip(conn):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n")
        for _ in range(100):
            conn.sendall(b"x")
            time.sleep(0.2)

    server = raw(drip)
    started = time.monotonic()
    with server, pytest.raises(FetchFailed, match="time limit"):
        fetch(f"http://127.0.0.1:{server.port}/", timeout=1.5)
    assert time.monotonic() - started < 4  # each read is quick; the limit is for the whole answer


def test_a_huge_body_and_a_compression_bomb_are_cut_at_the_size_cap(raw):
    bomb = gzip.compress(b"\0" * 50_000_000)  # about 50 KB on the wire

    def send(conn):
        head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\n"
        conn.sendall(f"{head}Content-Length: {len(bomb)}\r\n\r\n".encode() + bomb)

    server = raw(send)
    with server:
        got = fetch(f"http://127.0.0.1:{server.port}/", max_bytes=1_000_000)
    assert got.truncated and len(got.body) == 1_000_000
    assert as_text(got)[1].endswith("[the page was cut at 1,000,000 bytes]")


def _pdf(text):
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        None,
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    stream = f"BT /F1 12 Tf 10 50 Td ({text}) Tj ET"
    objects[3] = f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream"
    out, offsets = "%PDF-1.4\n", []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n"
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode()


@pytest.mark.parametrize("content_type", ["application/pdf", "application/octet-stream", "text/html"])
def test_a_pdf_becomes_its_text_whatever_its_label(content_type):
    got = Fetched("https://a.example/report.pdf", 200, content_type, _pdf("Lake Baikal 1642 m"))
    assert as_text(got) == ("https://a.example/report.pdf", "Lake Baikal 1642 m")


def test_other_bytes_become_one_line_saying_what_they_are():
    got = Fetched("https://a.example/x.png", 200, "image/png", b"\x89PNG\r\n\x1a\n" + bytes(100))
    assert as_text(got) == ("https://a.example/x.png", "[image/png, 108 bytes: not text, not shown]")
