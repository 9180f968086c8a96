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


DOWNLOADED = ["saved_map.png", "map.html", "data.csv", "data.geojson", "run.json"]


def ask_and_check_answer(page, rows: int, links: int, first_step: float, end: float) -> None:
    """Press Ask and check the run as a user sees it: a step shows while the run goes on, then the map, a
    success verdict, ``rows`` table rows each with at least ``links`` source links, and every download."""
    page.get_by_role("button", name="Ask").click()
    page.locator("#steps").get_by_text("web_agent · step 1").wait_for(timeout=first_step * 1000)
    assert page.locator("#map iframe").count() == 0  # the first step shows before the run ends
    page.locator("#map iframe").wait_for(timeout=end * 1000)
    assert "success" in page.locator("#verdict").inner_text()
    table = page.locator("#data table.geoscout-data tbody tr")
    assert table.count() == rows
    assert all(table.nth(i).locator("a", has_text="source").count() >= links for i in range(rows))
    for i, name in enumerate(DOWNLOADED):
        with page.expect_download() as download:
            page.locator(f"#download-{i}").click()
        assert download.value.suggested_filename == name
        assert download.value.path().stat().st_size > 0
