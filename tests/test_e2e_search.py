"""Live search backends, end to end on the real embedded model: Tavily's API and DuckDuckGo's result pages
answered by loopback servers that serve the demo snapshot's pages over HTTP."""

import dataclasses

import pytest

from geoscout.run import SEED_QUESTION, RunSettings, run
from tests.servers import MiniWeb, allow, tavily_on_mini_web

pytestmark = pytest.mark.e2e


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


def test_tavily_backend_whole_team_recorded_then_replayed_offline(monkeypatch, tmp_path):
    with tavily_on_mini_web(monkeypatch) as web:
        settings = RunSettings(
            question=SEED_QUESTION, model="local", search="tavily", out_dir=tmp_path / "live", quiet=True
        )
        outcome = run(dataclasses.replace(settings, record=tmp_path / "recorded"))
    check_run(outcome, web)
    replay = run(
        dataclasses.replace(
            settings, search=None, snapshot=tmp_path / "recorded", out_dir=tmp_path / "replay"
        )
    )
    assert replay.state == "success", replay.reason
    assert (replay.out_dir / "data.csv").read_text() == (outcome.out_dir / "data.csv").read_text()


def test_duckduckgo_backend_whole_team(mini_web, monkeypatch, tmp_path):
    from ddgs.engines.duckduckgo import Duckduckgo

    monkeypatch.setattr(Duckduckgo, "search_url", mini_web.server.url + "/html/")
    outcome = run(
        RunSettings(question=SEED_QUESTION, model="local", search="duckduckgo", out_dir=tmp_path, quiet=True)
    )
    check_run(outcome, mini_web)
