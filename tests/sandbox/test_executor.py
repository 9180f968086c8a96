"""SandboxExecutor as smolagents uses it: variables kept between blocks, tools called in the host, limits."""

from __future__ import annotations

import pytest
from smolagents.default_tools import FinalAnswerTool
from smolagents.local_python_executor import InterpreterError

from geoscout.errors import GeoscoutError
from geoscout.sandbox import code_agent_options, resolve_executor
from geoscout.sandbox.executor import SandboxExecutor
from geoscout.sandbox.protocol import decode, encode
from geoscout.tools.webpage import Record, Table, Tables


@pytest.fixture()
def executor():
    calls = []

    def read_tables(url):
        calls.append(url)
        return [Table(Record(city=f"c{i}", pop=i, source=url) for i in range(10))]

    executor = SandboxExecutor(["pandas"], timeout_seconds=3)
    executor.send_tools({"read_tables": read_tables, "final_answer": FinalAnswerTool()})
    executor.calls = calls
    yield executor
    executor.cleanup()


def test_variables_live_from_one_block_to_the_next(executor):
    executor("x = 40")
    assert executor("x + 2").output == 42


def test_tools_run_in_the_host_and_their_tables_keep_their_behaviour(executor):
    out = executor("t = read_tables('https://example.org/a')[0]\nprint(t)")
    assert executor.calls == ["https://example.org/a"]
    assert "… 7 more rows" in out.logs
    with pytest.raises(InterpreterError, match="'town' is not a key of this row; its keys are 'city'"):
        executor("t[0]['town']")


def test_final_answer_ends_the_block_with_its_value(executor):
    out = executor("import pandas as pd\nfinal_answer([{'name': 'a', 'n': int(pd.Series([1, 2]).sum())}])")
    assert out.is_final_answer and out.output == [{"name": "a", "n": 3}]


def test_a_hung_block_is_stopped_and_the_worker_restarted_without_its_variables(executor):
    executor("x = 1")
    with pytest.raises(InterpreterError, match="longer than 3 s and was stopped.*variables from earlier"):
        executor("import time\ntime.sleep(60)")
    assert "earlier variables are gone" in executor("y = 2\nprint('hi')").logs
    with pytest.raises(InterpreterError, match="x"):
        executor("x")


def test_errors_of_the_code_come_back_like_smolagents_reports_them(executor):
    with pytest.raises(InterpreterError, match="Import of os is not allowed"):
        executor("import os")
    with pytest.raises(InterpreterError, match="ZeroDivisionError"):
        executor("print('before')\n1 / 0")
    assert executor.state["_print_outputs"] == "before\n"


def test_values_cross_as_json_with_table_types_kept():
    named = Record(Rank=1, Peak="Mount Orrin")
    named.naming = ("mountain", "mountains")
    value = {
        "t": Table([Record(a=1), named]),
        "n": (1, 2),
        "other": object(),
        "p": Tables([Table(note="empty")], "https://x"),
    }
    back = decode(encode(value))
    assert isinstance(back["t"], Table) and isinstance(back["t"][0], Record) and back["n"] == [1, 2]
    assert back["t"][1]["Mountain"] == "Mount Orrin"  # the words naming its kind of place cross with it
    assert isinstance(back["p"], Tables) and back["p"].url == "https://x" and back["p"][0].note == "empty"
    assert back["other"].startswith("<object object")


def test_executor_choice(monkeypatch, capsys):
    monkeypatch.delenv("GEOSCOUT_EXECUTOR", raising=False)
    assert resolve_executor() == "sandbox" and capsys.readouterr().err == ""
    monkeypatch.setenv("GEOSCOUT_EXECUTOR", "local")
    assert resolve_executor() == "local"
    assert "not a security boundary" in capsys.readouterr().err
    with pytest.raises(GeoscoutError, match="unknown executor 'vm'"):
        resolve_executor("vm")
    assert "executor" in code_agent_options("sandbox", [], 5, None, managed=True)
    assert code_agent_options("docker", [], 5, None, managed=True)["executor_type"] == "docker"
    assert "executor" in code_agent_options("docker", [], 5, None, managed=False)


def test_without_bubblewrap_the_run_stops_unless_local_was_asked_for(monkeypatch, capsys):
    monkeypatch.delenv("GEOSCOUT_EXECUTOR", raising=False)
    monkeypatch.setattr("geoscout.sandbox.launch.shutil.which", lambda name: None)
    for asked in ("sandbox", None):  # the default does not fall back to running code beside the keys
        with pytest.raises(GeoscoutError, match="bubblewrap is not installed.*--executor local"):
            resolve_executor(asked)
    assert resolve_executor("local") == "local"
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--executor local runs the agents' code in" in err[0]


def test_time_spent_in_host_tools_does_not_count_against_the_block(executor):
    import time

    executor.tools["slow_tool"] = lambda: time.sleep(4) or "done"
    executor.send_tools(executor.tools)  # a new worker, with a stub for it
    assert executor("slow_tool()").output == "done"  # 4 s in the host, 3 s limit for the code itself
