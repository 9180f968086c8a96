"""End to end on the real embedded model, in a real Chromium: the page asks the demo question on the
bundled snapshot, shows at least one step before the run ends, then the map, ten rows with their source
links and every download; and Stop ends a second run before its next step."""

import json

import pytest

from geoscout.run import SEED_QUESTION
from geoscout.ui.page import PageSettings
from tests.ui.browser import ask_and_check_answer, browser_page, served

pytestmark = pytest.mark.e2e


def test_the_page_answers_the_demo_question_and_stop_ends_a_second_run(tmp_path):
    settings = PageSettings(out_root=tmp_path, model="local", search="snapshot", time_limit=900)
    requests: list[str] = []
    with served(settings) as url, browser_page(requests) as page:
        page.goto(url)
        assert page.get_by_label("Question").input_value() == SEED_QUESTION
        ask_and_check_answer(page, rows=10, links=2, first_step=600, end=900)

        page.get_by_role("button", name="Ask").click()  # the same question again, stopped after a step
        page.locator("#verdict").get_by_text("success").wait_for(state="detached", timeout=60_000)
        page.locator("#steps").get_by_text("web_agent · step 1").wait_for(timeout=600_000)
        page.get_by_role("button", name="Stop").click()
        page.locator("#verdict").get_by_text("failed").wait_for(timeout=600_000)
    reports = [json.loads(p.read_text()) for p in tmp_path.glob("*/run.json")]
    assert sorted(r["reason"] or "" for r in reports) == ["", "stopped by the user"]
    stopped = next(r for r in reports if r["reason"])
    assert len(stopped["trace"]) < 4  # the answered run took 4 steps: this one stopped before its end
    assert all(r.startswith(("http://127.0.0.1", "data:", "blob:")) for r in requests)
