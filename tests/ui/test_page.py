"""The page in a real Chromium, with the real team on scripted models (control flow; the real model's run
is in tests/test_e2e_serve.py): steps stream in, the map, verdict, data table and downloads appear, an
earlier run opens, Stop stops a run, and the browser asks nothing of any address but loopback."""

import json
import time

import pytest

from geoscout.ui.page import PageSettings
from tests.conftest import ScriptedModel
from tests.test_run import MANAGER, QUESTION, WEB
from tests.ui.browser import ask_and_check_answer, browser_page, chromium, new_page, served


class SlowModel(ScriptedModel):
    """A scripted model that takes its time, so a run is still going when Stop is pressed."""

    def generate(self, *args, **kwargs):
        time.sleep(1.5)
        return super().generate(*args, **kwargs)


def test_a_run_streams_its_steps_then_shows_map_table_and_downloads(tmp_path):
    settings = PageSettings(out_root=tmp_path, models=lambda: (ScriptedModel(MANAGER), SlowModel(WEB)))
    requests: list[str] = []
    with served(settings) as url, browser_page(requests) as page:
        page.goto(url)
        page.get_by_label("Question").fill(QUESTION)
        ask_and_check_answer(page, rows=3, links=1, first_step=30, end=60)
        frame = page.frame_locator("#map iframe")
        frame.locator(".main-svg").first.wait_for(timeout=30_000)  # the map itself is drawn, offline

        page.reload()  # an earlier run opens from the output folder
        page.get_by_label("Earlier runs").click()
        page.get_by_role("option").first.click()
        page.locator("#data table.geoscout-data tbody tr").first.wait_for(timeout=10_000)
        assert page.locator("#data table.geoscout-data tbody tr").count() == 3
        assert page.locator("#steps").get_by_text("manager · step 1").count() == 1
    assert requests and all(r.startswith(("http://127.0.0.1", "data:", "blob:")) for r in requests), [
        r for r in requests if not r.startswith("http://127.0.0.1")
    ]


def test_stop_ends_a_run_before_its_next_step(tmp_path):
    searching = 'Thought: search.\n<code>\nprint(web_search("largest cities"))\n</code>'
    settings = PageSettings(
        out_root=tmp_path, models=lambda: (ScriptedModel(MANAGER * 3), SlowModel([searching] * 40))
    )
    with served(settings) as url, browser_page([]) as page:
        page.goto(url)
        page.get_by_label("Question").fill(QUESTION)
        page.get_by_role("button", name="Ask").click()
        page.locator("#steps").get_by_text("web_agent · step 1").wait_for(timeout=30_000)
        page.get_by_role("button", name="Stop").click()
        page.locator("#verdict").get_by_text("failed").wait_for(timeout=30_000)
    (run_dir,) = [p.parent for p in tmp_path.glob("*/run.json")]
    report = json.loads((run_dir / "run.json").read_text())
    assert report["reason"] == "stopped by the user"
    assert len(report["trace"]) < 10  # 40 steps were scripted: it stopped long before


@pytest.mark.parametrize("host", ["0.0.0.0"])
def test_serving_beyond_loopback_warns_that_the_page_runs_llm_code(host, monkeypatch):
    from click.testing import CliRunner

    from geoscout import cli
    from geoscout.ui import page

    monkeypatch.setattr(page, "launch", lambda *a, **k: None)
    result = CliRunner().invoke(cli.cli, ["serve", "--host", host, "--out", "x"])
    assert result.exit_code == 0
    assert "warning: listening on 0.0.0.0" in result.output and "LLM-written code" in result.output


def test_a_second_question_waits_in_the_queue_and_shows_its_place(tmp_path):
    searching = 'Thought: search.\n<code>\nprint(web_search("largest cities"))\n</code>'
    settings = PageSettings(
        out_root=tmp_path, models=lambda: (ScriptedModel(MANAGER * 3), SlowModel([searching] * 40))
    )
    with served(settings) as url, chromium() as browser:
        first, second = new_page(browser), new_page(browser)
        for page in (first, second):
            page.goto(url)
            page.get_by_label("Question").fill(QUESTION)
        first.get_by_role("button", name="Ask").click()
        first.locator("#steps").get_by_text("web_agent · step 1").wait_for(timeout=30_000)
        second.get_by_role("button", name="Ask").click()
        second.get_by_text("queue: 1/1").first.wait_for(timeout=30_000)  # one run at a time: it waits
        assert second.locator("#steps").get_by_text("web_agent · step 1").count() == 0
        first.get_by_role("button", name="Stop").click()
        second.locator("#steps").get_by_text("web_agent · step 1").wait_for(timeout=60_000)  # its turn
        second.get_by_role("button", name="Stop").click()
        second.locator("#verdict").get_by_text("failed").wait_for(timeout=30_000)


def test_a_taken_port_or_an_unwritable_folder_is_one_error_line(tmp_path):
    import subprocess
    import sys

    from tests.ui.browser import free_port

    settings = PageSettings(out_root=tmp_path / "runs")
    with served(settings) as url:
        port = url.rsplit(":", 1)[1].strip("/")
        taken = subprocess.run(
            [sys.executable, "-m", "geoscout", "serve", "--port", port, "--out", str(tmp_path / "b")],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert taken.returncode == 1 and taken.stderr.startswith(
        f"geoscout: error: cannot serve on 127.0.0.1:{port}"
    )
    assert "Traceback" not in taken.stderr and len(taken.stderr.strip().splitlines()) == 1
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    out = str(blocked / "runs")
    unwritable = subprocess.run(
        [sys.executable, "-m", "geoscout", "serve", "--port", str(free_port()), "--out", out],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert unwritable.returncode == 1 and "is not writable" in unwritable.stderr
    assert "Traceback" not in unwritable.stderr
