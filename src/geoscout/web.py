"""Fetching live pages so that a page, or the code a page talks a model into writing, cannot turn geoscout
against the machine it runs on or the network it sits in.

A URL is fetched only over http(s), only from a public address: the host is resolved once, every address it
resolves to is checked (loopback, private, link-local, multicast, reserved, unspecified, IPv4-mapped IPv6 and
every numeric spelling of them are refused), and the connection goes to the address that was checked, so a
second lookup cannot switch it (DNS rebinding). Each redirect is checked the same way. A fetch has one time
limit for the whole answer and a size cap counted after decompression. Bytes become text by their type:
HTML → markdown of the page, PDF → its text, other text as it is, anything else one line saying what it is.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import urllib3

from geoscout.pages.html import html_to_markdown

USER_AGENT = "geoscout/0.1 (+https://pypi.org/project/geoscout/)"
TIMEOUT_SECONDS = 20.0
MAX_BYTES = 2_000_000
MAX_REDIRECTS = 5
CHUNK = 65_536
TOO_SLOW = "the page took longer than the time limit"

# "address:port" of servers the tests start on loopback. Nothing but a test adds to it: there is no
# setting, flag or environment variable that turns the address check off.
ALLOWED_ADDRESSES: set[str] = set()

Resolver = Callable[..., list]


class Refused(ValueError):
    """A URL geoscout will not fetch; the message says why, for the agent that asked."""


class FetchFailed(Exception):
    """A fetch that failed on the way (timeout, dropped connection): worth another try."""


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int
    content_type: str
    body: bytes
    truncated: bool = False
    retry_after: float | None = None  # seconds a 429 or 503 answer asks to wait before another try


def retry_after(value: str | None) -> float | None:
    """The seconds a Retry-After header asks to wait: a number of seconds or an HTTP date; None without
    one or when it cannot be read."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max((when - datetime.now(timezone.utc)).total_seconds(), 0.0)


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and not _is_public(str(embedded)):
            return False
    return ip.is_global and not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def checked_address(host: str, port: int, resolve: Resolver = socket.getaddrinfo) -> str:
    """The address to connect to for a host: resolved once, refused unless every address it resolves to
    is public (or is a test's own server in ``ALLOWED_ADDRESSES``)."""
    try:
        infos = resolve(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError) as e:
        raise FetchFailed(f"cannot resolve {host}: {e}") from None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise FetchFailed(f"cannot resolve {host}")
    for address in addresses:
        if f"{address}:{port}" not in ALLOWED_ADDRESSES and not _is_public(address):
            raise Refused(
                f"Refused: {host} is at {address}, a local or private address; only public web pages "
                "can be read."
            )
    return addresses[0]


def _target(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of an http(s) URL, or Refused."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as e:
        raise Refused(f"Refused: {url!r} is not a valid URL ({e}).") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise Refused(f"Refused: {url!r} is not an http(s) URL of a web page.")
    path = parts.path or "/"
    return (
        scheme,
        parts.hostname,
        port or (443 if scheme == "https" else 80),
        path + (f"?{parts.query}" if parts.query else ""),
    )


def _read(response: urllib3.HTTPResponse, deadline: float, max_bytes: int) -> tuple[bytes, bool]:
    """The decoded body, read until its end, the size cap or the deadline (then the socket is shut)."""
    timer = threading.Timer(max(deadline - time.monotonic(), 0.0), response.shutdown)
    timer.start()
    chunks, size = [], 0
    try:
        while True:
            chunk = response.read1(CHUNK)
            if not chunk:
                return b"".join(chunks), False
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                return b"".join(chunks)[:max_bytes], True
            if time.monotonic() > deadline:
                raise FetchFailed(TOO_SLOW)
    finally:
        timer.cancel()


def fetch(
    url: str,
    *,
    timeout: float = TIMEOUT_SECONDS,
    max_bytes: int = MAX_BYTES,
    max_redirects: int = MAX_REDIRECTS,
    resolve: Resolver = socket.getaddrinfo,
) -> Fetched:
    """GET a public http(s) URL within ``timeout`` seconds in all, following at most ``max_redirects``
    redirects, each checked like the first."""
    deadline = time.monotonic() + timeout
    for _ in range(max_redirects + 1):
        scheme, host, port, path = _target(url)
        address = checked_address(host, port, resolve)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchFailed(TOO_SLOW)
        limit = urllib3.Timeout(connect=min(remaining, 10.0), read=remaining)
        if scheme == "https":
            pool: urllib3.HTTPConnectionPool = urllib3.HTTPSConnectionPool(
                address, port, timeout=limit, retries=False, server_hostname=host, assert_hostname=host
            )
        else:
            pool = urllib3.HTTPConnectionPool(address, port, timeout=limit, retries=False)
        default_port = 443 if scheme == "https" else 80
        host_header = f"[{host}]" if ":" in host else host
        headers = {
            "Host": host_header if port == default_port else f"{host_header}:{port}",
            "User-Agent": USER_AGENT,
            "Accept-Encoding": "gzip, deflate",
        }
        try:
            response = pool.urlopen(
                "GET", path, headers=headers, redirect=False, preload_content=False, assert_same_host=False
            )
            location = response.headers.get("location")
            if response.status in (301, 302, 303, 307, 308) and location:
                response.drain_conn()
                url = urljoin(url, location)
                continue
            body, truncated = _read(response, deadline, max_bytes)
        except (urllib3.exceptions.HTTPError, OSError) as e:
            late = time.monotonic() >= deadline
            raise FetchFailed(
                "the page took longer than the time limit" if late else type(e).__name__
            ) from None
        finally:
            pool.close()
        content_type = response.headers.get("content-type", "")
        wait = retry_after(response.headers.get("retry-after"))
        return Fetched(url, response.status, content_type, body, truncated, wait)
    raise Refused(f"Refused: {url} redirects more than {max_redirects} times.")


def _charset(content_type: str) -> str:
    found = re.search(r"charset=([\w.-]+)", content_type, re.I)
    return found.group(1) if found else "utf-8"


def _pdf_text(body: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        return "\n\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(body)).pages).strip()
    except (PyPdfError, ValueError, KeyError, TypeError) as e:
        return f"[a PDF that could not be read: {type(e).__name__}]"


def as_text(fetched: Fetched) -> tuple[str, str]:
    """(title, markdown) of a fetched page by its content type; a cut page ends with a note saying so."""
    kind = fetched.content_type.split(";", 1)[0].strip().lower()
    body = fetched.body
    if kind == "application/pdf" or body[:5] == b"%PDF-":  # a PDF whatever its label says
        title, markdown = fetched.url, _pdf_text(body)
    elif "html" in kind or (not kind and body.lstrip()[:1] == b"<"):
        title, markdown = html_to_markdown(body.decode(_charset(fetched.content_type), errors="replace"))
    elif kind.startswith("text/") or kind.endswith(("json", "xml", "csv")):
        title, markdown = fetched.url, body.decode(_charset(fetched.content_type), errors="replace")
    else:
        return fetched.url, f"[{kind or 'unknown type'}, {len(body):,} bytes: not text, not shown]"
    if fetched.truncated:
        markdown += f"\n\n[the page was cut at {len(body):,} bytes]"
    return title or fetched.url, markdown
