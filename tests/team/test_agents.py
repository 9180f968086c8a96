"""The tool-calling team with a scripted LLM: real smolagents ToolCallingAgents, demo snapshot tools."""

import json

import pytest

from geoscout.errors import GeoscoutError
from geoscout.run import RunSettings, run
from geoscout.team import build_team, resolve_agent_type
from geoscout.tools import PageReader, SnapshotSearch, web_tools
from tests.conftest import ScriptedModel

TASK = (
    "Find the 3 most populated cities, population and December temperature. Return a list of dicts with "
    "keys name, country, population, population_source, dec_temp_c, dec_temp_c_source."
)
MANAGER = [
    "Thought: delegate.\nAction:\n" + json.dumps({"name": "web_agent", "arguments": {"task": TASK}}),
    'Thought: done.\nAction:\n{"name": "final_answer", "arguments": {"answer": "rows_1"}}',
]
SEARCH = 'Action:\n{"name": "web_search", "arguments": {"query": "largest cities population"}}'
READ_UN = 'Action:\n{"name": "read_tables", "arguments": {"url": "https://population.un.org/wup/"}}'
READ_TEMPS = 'Action:\n{"name": "read_tables", "arguments": {"url": "https://georank.place/temperature-map"}}'
MAKE = "Action:\n" + json.dumps(
    {
        "name": "make_rows",
        "arguments": {
            "tables": ["table_2", "table_1"],
            "n": 3,
            "keys": {
                "name": "City",
                "country": "Country",
                "population": "Population (2018)",
                "dec_temp_c": "Dec",
            },
        },
    }
)
ANSWER = 'Action:\n{"name": "final_answer", "arguments": {"answer": "rows_1"}}'


def _run(tmp_path, manager, web):
    settings = RunSettings(
        question="Which are the 3 most populated cities, with December temperature?",
        out_dir=tmp_path,
        quiet=True,
        agent_type="tool-calling",
        models=(ScriptedModel(manager), ScriptedModel(web)),
    )
    return run(settings), settings.models


def test_tool_calling_team_makes_the_map_from_stored_tables(tmp_path):
    outcome, (_, web) = _run(tmp_path, MANAGER, [SEARCH, READ_TEMPS, READ_UN, MAKE, ANSWER])
    assert outcome.state == "success", outcome.reason
    frame = outcome.table.frame
    assert list(frame["name"]) == ["Tokyo", "Delhi", "Shanghai"]
    assert frame["dec_temp_c"].notna().all()
    assert set(frame["population_source"]) == {"https://population.un.org/wup/"}
    assert (tmp_path / "saved_map.png").stat().st_size > 0
    report = json.loads((tmp_path / "run.json").read_text())
    assert report["agent_type"] == "tool-calling"
    # the model saw the 270-row table as a name and a preview, not as 270 rows
    seen = str(web.prompts[3])
    assert "table_1: 270 rows" in seen and "more rows" in seen and "Yerevan" not in seen


def test_an_unknown_table_name_is_answered_with_the_stored_names(tmp_path):
    wrong = MAKE.replace('"table_2", ', "")
    wrong = wrong.replace("table_1", "table_7")
    outcome, (_, web) = _run(tmp_path, MANAGER, [READ_TEMPS, READ_UN, wrong, MAKE, ANSWER])
    assert outcome.state == "success", outcome.reason
    assert "there is no table_7; the stored names are: table_1, table_2" in str(web.prompts[3])


def test_out_of_steps_the_latest_rows_are_the_answer(demo_snapshot):
    search_forever = [READ_TEMPS, READ_UN, MAKE] + [SEARCH] * 20
    team = build_team(
        ScriptedModel(MANAGER),
        ScriptedModel(search_forever),
        web_tools(SnapshotSearch(demo_snapshot), PageReader(demo_snapshot)),
        agent_type="tool-calling",
        max_steps_web=5,
        verbosity_level=0,
    )
    result = team.run(
        "Which are the 3 most populated cities, with December temperature?", return_full_result=True
    )
    assert [row["name"] for row in result.output] == ["Tokyo", "Delhi", "Shanghai"]


CODE_MANAGER = [
    f'Thought: delegate.\n<code>\nrows = web_agent(task="{TASK}")\nfinal_answer(rows)\n</code>',
    "Thought: no page has the temperatures: the same rows.\n<code>\nfinal_answer(rows)\n</code>",
]
BUILD_ROWS = (
    "Thought: build the rows.\n<code>\n"
    'un = read_tables("https://population.un.org/wup/")[0]\n'
    'rows = [{"name": c["Urban agglomeration"], "country": c["Country"], '
    '"population": c["Population (2018)"], "population_source": c["source"], '
    '"dec_temp_c": None, "dec_temp_c_source": None} '
    'for c in top_rows(un, "Population (2018)", 3)]\n'
    'print(rows[0]["name"])\n</code>'
)
SEARCH_AGAIN = 'Thought: search.\n<code>\nprint(web_search("december temperature"))\n</code>'


def _run_code_team(demo_snapshot, web, executor, max_steps_web):
    """The code team with the scripted manager and ``web`` as web_agent's model: its run's result, and its
    web_agent."""
    team = build_team(
        ScriptedModel(CODE_MANAGER),
        web,
        web_tools(SnapshotSearch(demo_snapshot), PageReader(demo_snapshot)),
        executor=executor,
        max_steps_manager=2,
        max_steps_web=max_steps_web,
        verbosity_level=0,
    )
    try:
        result = team.run(
            "Which are the 3 most populated cities, with December temperature?", return_full_result=True
        )
    finally:
        for agent in (team, *team.managed_agents.values()):
            agent.cleanup()  # the sandbox workers end with the run
    return result, team.managed_agents["web_agent"]


@pytest.mark.parametrize("executor", ["sandbox", "local"])
def test_out_of_steps_the_rows_a_code_agent_built_are_the_answer(demo_snapshot, executor):
    web = ScriptedModel([BUILD_ROWS] + [SEARCH_AGAIN] * 4)
    result, _ = _run_code_team(demo_snapshot, web, executor, 3)
    assert [row["name"] for row in result.output] == ["Tokyo", "Delhi", "Shanghai"]
    assert len(web.prompts) == 3  # no extra call asked the model to type its answer from memory


def test_agent_type_comes_from_the_environment_and_is_checked(monkeypatch):
    monkeypatch.setenv("GEOSCOUT_AGENT_TYPE", "tool-calling")
    assert resolve_agent_type() == "tool-calling" and resolve_agent_type("code") == "code"
    with pytest.raises(GeoscoutError, match="unknown agent type 'json'"):
        resolve_agent_type("json")


def test_rows_written_in_an_out_of_steps_answer_are_parsed_not_evaluated():
    from geoscout.team.agents import rows_in_text

    text = "Here they are:\n```python\n[{'name': 'China', 'population': 1411778724}]\n```"
    assert rows_in_text(text) == [{"name": "China", "population": 1411778724}]
    assert rows_in_text("[{'name': __import__('os').getcwd()}]").startswith("[{")
    assert rows_in_text("I could not find them.") == "I could not find them."


FAIL_AFTER_ROWS = (
    "Thought: build the rows.\n<code>\n"
    'un = read_tables("https://population.un.org/wup/")[0]\n'
    'temps = read_tables("https://georank.place/temperature-map")[0]\n'
    "rows = []\n"
    'for c in top_rows(un, "Population (2018)", 3):\n'
    '    t = find_row(temps, c["Urban agglomeration"])\n'
    '    rows.append({"name": c["Urban agglomeration"], "country": c["Country"], '
    '"population": c["Population (2018)"], "population_source": c["source"], '
    '"dec_temp_c": t["Dec"], "dec_temp_c_source": t["source"]})\n'
    'print(top_rows(rows, "population", 1)[0]["value"])\n</code>'
)


@pytest.mark.parametrize("executor", ["sandbox", "local"])
def test_the_same_code_failing_the_same_way_twice_answers_with_its_rows(demo_snapshot, executor):
    """Seen: a right loop over five capitals, its last line failing, written again until the step limit."""
    web = ScriptedModel([FAIL_AFTER_ROWS] * 2 + [SEARCH_AGAIN] * 4)
    result, _ = _run_code_team(demo_snapshot, web, executor, 6)
    assert [row["name"] for row in result.output] == ["Tokyo", "Delhi", "Shanghai"]
    assert len(web.prompts) == 2  # stopped at the repeat, not at the step limit


def test_the_same_failure_without_rows_says_so(demo_snapshot):
    failing = (
        'Thought: read.\n<code>\nx = read_tables("https://population.un.org/wup/")[0][0]["nope"]\n</code>'
    )
    web = ScriptedModel([failing] * 2 + [SEARCH_AGAIN] * 2)
    _, web_agent = _run_code_team(demo_snapshot, web, "local", 3)
    steps = web_agent.memory.steps
    errors = [str(step.error) for step in steps if getattr(step, "error", None)]
    assert "previous step" not in errors[0] and "This is the code of your previous step" in errors[1]
