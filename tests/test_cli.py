"""Bad input: one clear line on stderr, a non-zero exit, no traceback, nothing half-written."""

import json
import subprocess
import sys

import pytest

from geoscout.results import tabulate


def geoscout(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "geoscout", *args], capture_output=True, text=True, timeout=120, cwd=cwd
    )


@pytest.fixture()
def bad_snapshot(tmp_path):
    (tmp_path / "junk.db").write_text("this is not sqlite")
    return tmp_path / "junk.db"


@pytest.mark.parametrize(
    "args, message",
    [
        (["ask", ""], "the question is empty"),
        (["ask", "   "], "the question is empty"),
        (["ask", "Largest cities?", "--model", "gpt-9"], "unknown --model 'gpt-9'"),
        (["ask", "Largest cities?", "--model", "local:/nonexistent/model.gguf"], "no GGUF file"),
        (["ask", "Largest cities?", "--snapshot", "/nonexistent/snapshot"], "does not exist"),
        (["ask", "Largest cities?", "--out", "/proc/geoscout-out"], "is not writable"),
        (["snapshot", "build", "/nonexistent", "x.db"], "does not exist"),
        (["ask"], "Missing argument"),
        (["ask", "Largest cities?", "--agent-type", "json"], "Invalid value for '--agent-type'"),
        (["ask", "Largest cities?", "--executor", "vm"], "Invalid value for '--executor'"),
        (["ask", "Largest cities?", "--time-limit", "0"], "Invalid value for '--time-limit'"),
    ],
)
def test_bad_input_gets_one_line_and_non_zero_exit(tmp_path, args, message):
    proc = geoscout(*args, cwd=tmp_path)
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "runs").exists()  # nothing created for a run that never started


def test_unreadable_snapshot_file(tmp_path, bad_snapshot):
    proc = geoscout("ask", "Largest cities?", "--snapshot", str(bad_snapshot), cwd=tmp_path)
    assert proc.returncode == 1 and "not a readable geoscout snapshot" in proc.stderr


def test_a_weights_file_llama_cpp_cannot_load(tmp_path):
    from geoscout.errors import GeoscoutError
    from geoscout.models import resolve_model

    junk = tmp_path / "junk.gguf"
    junk.write_bytes(b"not a gguf file")
    model = resolve_model(f"local:{junk}")  # loading is lazy: building a team costs nothing
    with pytest.raises(GeoscoutError, match="cannot load"):
        model.generate([{"role": "user", "content": [{"type": "text", "text": "hi"}]}])


def test_snapshot_build_then_use(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.md").write_text("# Lakes\n\n| Lake | Area |\n|---|---|\n| Alpha | 10 |\n")
    (folder / "manifest.json").write_text(
        json.dumps({"pages": [{"file": "a.md", "url": "https://x.example/a"}]})
    )
    proc = geoscout("snapshot", "build", str(folder), str(tmp_path / "s.db"))
    assert proc.returncode == 0 and "1 pages" in proc.stdout


def test_visualize_prints_the_team_tree():
    proc = geoscout("visualize")
    assert proc.returncode == 0, proc.stderr
    for part in [
        "CodeAgent",
        "web_agent",
        "Runs web searches for you.",
        "web_search",
        "visit_webpage",
        "plotly.*",
    ]:
        assert part in proc.stdout


def test_visualize_a_tool_calling_team():
    proc = geoscout("visualize", "--agent-type", "tool-calling")
    assert proc.returncode == 0, proc.stderr
    for part in ["ToolCallingAgent", "web_agent", "read_tables", "make_rows"]:
        assert part in proc.stdout


def test_an_unknown_agent_type_in_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOSCOUT_AGENT_TYPE", "json")
    proc = geoscout("ask", "Largest cities?", cwd=tmp_path)
    assert proc.returncode == 1 and proc.stderr.strip() == (
        "geoscout: error: unknown agent type 'json'; choose one of code, tool-calling"
    )
    assert not (tmp_path / "runs").exists()


def test_snapshot_info_is_one_line(tmp_path):
    from geoscout.snapshot import demo_snapshot_path

    proc = geoscout("snapshot", "info", str(demo_snapshot_path()))
    assert proc.returncode == 0 and proc.stdout.count("\n") == 1
    assert " pages, 0 searches, " in proc.stdout
    proc = geoscout("snapshot", "info", str(tmp_path / "none"))
    assert proc.returncode == 1 and proc.stderr.startswith("geoscout: error: snapshot")


def test_the_env_file_is_read_from_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("GEOSCOUT_AGENT_TYPE", raising=False)
    (tmp_path / ".env").write_text("GEOSCOUT_AGENT_TYPE=json\n")
    proc = geoscout("ask", "Largest cities?", cwd=tmp_path)
    assert proc.returncode == 1 and "unknown agent type 'json'" in proc.stderr


def test_sources_prints_each_value_with_its_url_and_quote(tmp_path):
    (tmp_path / "data.csv").write_text(
        "name,country,latitude,longitude,coordinates_source,population,population_source,population_quote\n"
        "Tokyo,Japan,35.7,139.7,https://www.geonames.org/1850147,37468000,https://population.un.org/wup/,"
        '"| 1 | Tokyo | Japan | 37,468,000 |"\n',
        encoding="utf-8",
    )
    proc = geoscout("sources", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "Tokyo\tpopulation\t37468000\thttps://population.un.org/wup/\t| 1 | Tokyo | Japan | 37,468,000 |"
    ]
    proc = geoscout("sources", str(tmp_path / "nothing"))
    assert proc.returncode == 1 and proc.stderr.strip().endswith("is not a run folder (no data.csv)")


def test_eval_results_always_get_a_json_file_beside_their_runs_folder(tmp_path):
    from geoscout.cli import eval_out

    assert eval_out(tmp_path / "p6", "places-1") == tmp_path / "p6.json"  # not the runs' folder itself
    assert eval_out(tmp_path / "p6.json", "places-1") == tmp_path / "p6.json"
    assert eval_out(None, "places-1").name == "places-1.json"


@pytest.mark.parametrize(("state", "code"), [("success", 0), ("partial", 3), ("failed", 4)])
def test_ask_prints_the_verdict_last_and_exits_with_its_state(tmp_path, monkeypatch, state, code):
    from click.testing import CliRunner

    import geoscout.run
    from geoscout.cli import cli

    def fake_run(settings):
        table = None if state == "failed" else tabulate([{"name": "Oslo", "depth_m": 3}])
        files = [] if state == "failed" else ["data.csv"]
        totals = {"llm_calls": 2, "input_tokens": 10, "output_tokens": 5}
        return geoscout.run.RunOutcome(
            tmp_path, state, None, 1.0, totals, f"the {state} verdict", table, files
        )

    monkeypatch.setattr(geoscout.run, "run", fake_run)
    result = CliRunner().invoke(cli, ["ask", "Deepest lakes?"])
    assert result.exit_code == code
    assert result.output.strip().splitlines()[-1] == f"{state}: the {state} verdict"


@pytest.mark.parametrize(
    "files, args, message",
    [
        (
            {"r/data.csv": b"a,b\n1,2\n"},
            ["sources", "r"],
            "r/data.csv is not a geoscout data file (no name column)",
        ),
        ({"r/data.csv": b"name\xff\xfe\x00,b\n"}, ["sources", "r"], "cannot read r/data.csv"),
        ({"e.json": b"\x89PNG\r\n\x1a\n\xff"}, ["eval", "compare", "e.json", "e.json"], "e.json is not JSON"),
        ({"e.json": b'{"results": [1, 2]}'}, ["eval", "compare", "e.json", "e.json"], "not a geoscout eval"),
        (
            {"s/manifest.json": b'{"pages": []}'},
            ["snapshot", "build", "s", "no/dir/x.db"],
            "cannot write snapshot",
        ),
    ],
)
def test_bad_files_get_one_line_and_non_zero_exit(tmp_path, files, args, message):
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    proc = geoscout(*args, cwd=tmp_path)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1, proc.stderr
    assert proc.stderr.startswith("geoscout: error: ") and message in proc.stderr
