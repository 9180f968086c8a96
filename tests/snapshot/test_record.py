"""--record then --snapshot: a run against loopback servers (a Tavily-shaped search API and a page server),
recorded, then replayed with the servers stopped, gives the same data."""

import json

import pytest

from geoscout.errors import GeoscoutError
from geoscout.run import RunSettings, run
from geoscout.snapshot import Snapshot
from geoscout.snapshot.record import merge_snapshots, snapshot_info
from tests.conftest import ScriptedModel
from tests.servers import tavily_on_mini_web

MANAGER = [
    'Thought: delegate.\n<code>\nrows = web_agent(task="Find the 3 most populated cities and their '
    'population. Keys name, country, population, population_source.")\nfinal_answer(rows)\n</code>'
]
WEB = [
    "Thought: search and read.\n<code>\n"
    'hits = web_search("largest cities population")\n'
    'pops = read_tables(hits[0]["url"])[0]\n'
    'rows = [{"name": c["Urban agglomeration"], "country": c["Country"], "population": '
    'c["Population (2018)"], "population_source": c["source"]} for c in pops[:3]]\n'
    "final_answer(rows)\n</code>"
]
QUESTION = "Which are the 3 most populated cities, with their population?"


def _run(out_dir, **settings):
    models = (ScriptedModel(MANAGER), ScriptedModel(WEB))
    return run(RunSettings(question=QUESTION, out_dir=out_dir, quiet=True, models=models, **settings))


@pytest.fixture()
def recorded(tmp_path, monkeypatch):
    with tavily_on_mini_web(monkeypatch) as web:
        live = _run(tmp_path / "live", search="tavily", record=tmp_path / "rec")
        served = len(web.server.requests)
    return live, tmp_path / "rec", web, served


def test_a_recorded_run_replays_offline_with_the_same_data(recorded, tmp_path):
    live, folder, web, served = recorded
    assert live.state == "success", live.reason
    assert served >= 2  # one search, one page at least, all over HTTP
    replay = _run(tmp_path / "replay", snapshot=folder)  # the servers are stopped now
    assert replay.state == "success", replay.reason
    data = (live.out_dir / "data.csv").read_text()
    assert web.server.url in data  # the sources are the live URLs
    assert (replay.out_dir / "data.csv").read_text() == data
    report = json.loads((live.out_dir / "run.json").read_text())
    assert report["recorded"] == str(folder)
    searched = json.loads((folder / "manifest.json").read_text())["searches"][0]
    hits = Snapshot.open(folder).search("Largest  cities population")  # the recorded answer, not BM25
    assert [h.url for h in hits] == [r["url"] for r in searched["results"]] and len(hits) > 1


def test_info_and_merge(recorded, tmp_path, demo_snapshot):
    _, folder, _, _ = recorded
    info = snapshot_info(folder)
    assert info["pages"] == 1 and info["searches"] == 1 and info["bytes"] > 0 and info["recorded"]
    merged = tmp_path / "merged"
    count = merge_snapshots(folder, demo_snapshot.location, merged)
    assert count == 1 + len(demo_snapshot)
    both = Snapshot.open(merged)
    assert both.recorded_searches()[0]["query"] == "largest cities population"
    assert snapshot_info(merged)["searches"] == 1


def test_a_manifest_page_outside_its_folder_is_refused(tmp_path):
    (tmp_path / "snap").mkdir()
    (tmp_path / "secret.md").write_text("# Secret")
    manifest = {"pages": [{"file": "../secret.md", "url": "https://a.example/"}]}
    (tmp_path / "snap" / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(GeoscoutError, match="outside the snapshot folder"):
        Snapshot.open(tmp_path / "snap")
