"""The harness on a two-question set with a scripted team: the real smolagents agents, tools on the demo
snapshot, real map files; a right answer must score right and a wrong one wrong, in JSON and Markdown."""

import json
from pathlib import Path

import pytest

from geoscout.evaluation import EvalSet, Question, compare, configurations, evaluate, load, markdown, save
from geoscout.snapshot import demo_snapshot_path
from tests.conftest import ScriptedModel
from tests.test_run import WEB  # reads the December column: right for one question, wrong for the other


def manager(month: str) -> list[str]:
    return [
        "Thought: delegate.\n<code>\n"
        f'rows = web_agent(task="Find the 3 most populated cities, population and {month} temperature.")\n'
        "final_answer(rows)\n</code>"
    ]


TOLERANCES = {"population": {"relative": 0.1}, "temperature": {"absolute": 2.0}, "coordinates": {"km": 50}}


def expected(temperatures):
    places = [
        ("Tokyo", "Japan", 37468000, 35.69, 139.69),
        ("Delhi", "India", 28514000, 28.65, 77.23),
        ("Shanghai", "China", 25582000, 31.22, 121.46),
    ]
    return [
        {"name": n, "country": c, "population": p, "temperature": t, "latitude": la, "longitude": lo}
        for (n, c, p, la, lo), t in zip(places, temperatures, strict=True)
    ]


SET = EvalSet(
    name="two",
    folder=demo_snapshot_path(),
    snapshot=demo_snapshot_path(),
    questions=[
        Question(
            "december",
            "The 3 most populated cities and their December temperature?",
            expected([7.2, 14.9, 7.2]),
            TOLERANCES,
        ),
        Question(
            "july",
            "The 3 most populated cities and their July temperature?",
            expected([25.2, 30.8, 28.2]),
            TOLERANCES,
        ),
    ],
)


def scripted(question, config):
    return ScriptedModel(manager(question.id)), ScriptedModel(list(WEB))


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    runs_dir = tmp_path_factory.mktemp("eval")
    seen = []
    document = evaluate(
        SET,
        configurations(["code"], []),
        runs_dir=runs_dir,
        models=scripted,
        progress=lambda record, so_far: seen.append((record["question"], len(so_far["results"]))),
    )
    assert seen == [("december", 1), ("july", 2)]  # each run as it ends, with the document so far
    return document


def by_question(document):
    return {r["question"]: r for r in document["results"]}


def test_a_right_answer_scores_right(document):
    right = by_question(document)["december"]
    assert right["success"] and right["correct"], right["misses"]
    assert (right["rows_matched"], right["precision"], right["recall"]) == (3, 1.0, 1.0)
    assert (right["values_within"], right["values_checked"]) == (9, 9)  # population, temperature, place
    assert right["values_quoted"] == right["values_returned"] == 6


def test_a_wrong_value_scores_wrong(document):
    wrong = by_question(document)["july"]
    assert wrong["success"] and not wrong["correct"]
    assert (wrong["values_within"], wrong["values_checked"]) == (6, 9)
    assert "Tokyo: temperature expected 25.2, got 7.2" in wrong["misses"]
    assert wrong["values_quoted"] == 6  # quoted from the page, yet the wrong month: quotes are not truth


def test_a_partial_run_is_counted_apart_and_its_rows_are_still_scored(tmp_path):
    gaps = [WEB[0], WEB[1].replace('t["Dec"]', "None"), WEB[1].replace('t["Dec"]', "None")]
    again = "Thought: the same rows.\n<code>\nfinal_answer(rows)\n</code>"
    document = evaluate(
        EvalSet("one", SET.folder, SET.questions[:1], SET.snapshot),
        configurations(["code"], []),
        runs_dir=tmp_path,
        models=lambda q, c: (ScriptedModel(manager(q.id) + [again]), ScriptedModel(list(gaps))),
    )
    record = document["results"][0]
    assert record["state"] == "partial" and record["partial"] and not record["success"]
    assert "dec_temp_c" in record["verdict"]
    assert (record["rows_matched"], record["values_within"], record["values_checked"]) == (3, 6, 9)
    assert "| december | geoscout-code | 0/1 | 1/1 | 0/1 |" in markdown(document)


def test_costs_and_step_timings_are_recorded(document):
    for r in document["results"]:
        assert r["llm_calls"] == 3 and r["input_tokens"] == 300 and r["seconds"] > 0
        assert [s["agent"] for s in r["steps"]] == ["web_agent", "web_agent", "manager"]
        assert all(s["seconds"] >= 0 for s in r["steps"])
        assert json.loads((Path(r["run_dir"]) / "run.json").read_text())["state"] == "success"


def test_markdown_and_json_tell_the_same_story(document, tmp_path):
    text = markdown(document)
    assert "| december | geoscout-code | 1/1 | 0/1 | 1/1 | 3/3 (+0) | 100% | 100% | 100% | 100% |" in text
    assert "| july | geoscout-code | 1/1 | 0/1 | 0/1 | 3/3 (+0) | 100% | 100% | 67% | 100% |" in text
    assert "| geoscout-code | 2/2 | 0/2 | 1/2 | 6/6 (+0) |" in text
    save(document, tmp_path / "r.json")
    saved = load(tmp_path / "r.json")
    assert saved["summary"]["geoscout-code"]["value_accuracy"] == pytest.approx(15 / 18)


def test_two_result_files_compare_side_by_side(document):
    worse = json.loads(json.dumps(document))
    for r in worse["results"]:
        r["input_tokens"] *= 2
        r["correct"] = False
    table = compare(document, worse, ("before", "after"))
    assert "| december | geoscout-code | 1/1 | 0/1 |" in table
    assert "| all shared | – | 1/2 | 0/2 |" in table and "2.00×" in table


def test_baselines_run_only_where_asked():
    configs = configurations(["code", "tool-calling"], ["seed"], ["december"])
    assert [c.name for c in configs] == ["geoscout-code", "geoscout-tool-calling", "seed"]
    assert [c.runs_on(q) for q in SET.questions for c in configs[2:]] == [True, False]
