"""The page served in-process on loopback, and Playwright driving Debian's Chromium (no browser download).
Chromium's own calls home go to a dead proxy on loopback; the page is reached directly."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator

from geoscout.ui.page import PageSettings, launch

CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def served(settings: PageSettings) -> Iterator[str]:
    port = free_port()
    page = launch(settings, port=port, block=False)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        page.close()


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--proxy-server=127.0.0.1:1"])
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, requests: list[str] | None = None) -> object:
    """A page of its own (its own cookies: another user), recording every URL it requests."""
    page = browser.new_context(accept_downloads=True).new_page()
    if requests is not None:
        page.on("request", lambda request: requests.append(request.url))
    return page


@contextlib.contextmanager
def browser_page(requests: list[str]) -> Iterator[object]:
    """A Chromium page that records every URL it requests into ``requests``."""
    with chromium() as browser:
        yield new_page(browser, requests)
