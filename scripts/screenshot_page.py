"""Screenshots of the web page for the README: docs/serve-running.png while the agents work on the demo
question (embedded model, bundled snapshot) and docs/serve-finished.png when the run has ended.

Run: .venv/bin/python scripts/screenshot_page.py   (about two minutes; Debian's chromium, offline)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geoscout.ui.page import PageSettings  # noqa: E402
from tests.ui.browser import browser_page, served  # noqa: E402


def main() -> None:
    docs = ROOT / "docs"
    settings = PageSettings(out_root=Path(tempfile.mkdtemp()), model="local", search="snapshot")
    with served(settings) as url, browser_page([]) as page:
        page.set_viewport_size({"width": 1280, "height": 1400})
        page.goto(url)
        page.get_by_role("button", name="Ask").click()
        page.locator("#steps").get_by_text("web_agent · step 2").wait_for(timeout=600_000)
        page.screenshot(path=str(docs / "serve-running.png"), full_page=False)
        page.locator("#map iframe").wait_for(timeout=900_000)
        page.frame_locator("#map iframe").locator(".main-svg").first.wait_for(timeout=60_000)
        page.locator("#verdict").scroll_into_view_if_needed()
        page.screenshot(path=str(docs / "serve-finished.png"), full_page=True)


if __name__ == "__main__":
    main()
